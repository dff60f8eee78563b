// BackgroundRun (a Controller driven to a goal on a worker thread) and the Session's states
// around it: loading, moving the cursor on the worker, stopping, adopting the result.
//
// Nothing here depends on how fast the machine is: the runs that must still be going when a
// test looks are endless (a statement budget no loop reaches), so only stop() ends them.
#include <doctest/doctest.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

#include "scenarios/frontend.hpp"
#include "viz/model/background_run.hpp"
#include "viz/session.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

constexpr std::uint64_t k_endless = 1'000'000'000'000'000ull;

std::shared_ptr<const ast::Program> parse(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

/// Tasks, timers and prints over several virtual instants.
const char* const k_lesson = R"SW(
Task {
    try await Task.sleep(for: .seconds(1))
    print("one")
}
Task {
    try await Task.sleep(for: .seconds(2))
    print("two")
}
for i in 0..<3 { print(i) }
try await Task.sleep(for: .seconds(3))
print("main")
)SW";

/// Step 1 prints and starts a task; step 2 is that task, which never ends.
const char* const k_endless_second_step = R"SW(
print("start")
Task { while true {} }
try await Task.sleep(for: .seconds(1))
print("never")
)SW";

bool same_trace(const Trace& a, const Trace& b) {
    if (a.size() != b.size()) return false;
    for (std::uint64_t i = 0; i < a.size(); ++i) {
        const StoredEvent& x = a.stored(i);
        const StoredEvent& y = b.stored(i);
        if (x.kind != y.kind || x.task != y.task || x.payload != y.payload || x.detail != y.detail ||
            x.span_begin != y.span_begin || x.related != y.related)
            return false;
    }
    return true;
}

/// A scenario file in a fresh temporary folder, removed with it.
class TempFile {
public:
    TempFile(const std::string& name, const std::string& text) {
        m_dir = std::filesystem::temp_directory_path() / ("tasklab-bg-" + std::to_string(::getpid()) + "-" + std::to_string(++s_count));
        std::filesystem::create_directories(m_dir);
        m_path = (m_dir / name).string();
        write(text);
    }
    ~TempFile() {
        std::error_code ec;
        std::filesystem::remove_all(m_dir, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;
    void write(const std::string& text) const { std::ofstream(m_path, std::ios::binary) << text; }
    [[nodiscard]] const std::string& path() const { return m_path; }

private:
    static inline int s_count = 0;
    std::filesystem::path m_dir;
    std::string m_path;
};

/// Stops the probe run in flight once it has done `steps_before` - 1 steps and then waited a
/// little longer each attempt: how far it got before the stop landed depends on the machine,
/// so the tests retry until it landed inside the endless step, and assert only on the outcome.
void stop_inside_step(Session& s, std::uint64_t endless_step, int attempt) {
    while (s.running() && s.progress().steps + 1 < endless_step) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    std::this_thread::sleep_for(std::chrono::milliseconds(1) * (1 << attempt));
    s.stop_run();
    REQUIRE(s.settle(-1));
}

RunOptions endless_budget() {
    RunOptions o;
    o.max_statements_per_step = k_endless;
    return o;
}

}  // namespace

TEST_CASE("a whole run made on the worker is the run made on the caller's thread, with a cost per step") {
    const auto program = parse("lesson.swift", k_lesson);
    BackgroundRun bg;
    RunJob job;
    job.program = program;
    bg.start(std::move(job));
    CHECK(bg.busy());
    REQUIRE(bg.wait(-1));
    std::optional<RunOutcome> out = bg.take();
    REQUIRE(out.has_value());
    REQUIRE(out->controller);
    CHECK_FALSE(bg.busy());
    CHECK_FALSE(out->stopped);
    Controller here(program);
    here.run_until_idle();
    CHECK(out->controller->status().state == RunState::finished);
    CHECK(out->controller->step_index() == here.step_index());
    CHECK(same_trace(out->controller->trace(), here.trace()));
    // One cost per step and one for making the run, never decreasing.
    REQUIRE(out->cost_ms.size() == here.step_index() + 1);
    for (std::size_t i = 1; i < out->cost_ms.size(); ++i) CHECK(out->cost_ms[i] >= out->cost_ms[i - 1]);
    const StepCosts costs(out->cost_ms);
    CHECK(costs.steps() == here.step_index());
    CHECK(costs.between(2, 2) == 0.0);
    CHECK(costs.replay(here.step_index()) >= costs.between(1, here.step_index()));
    CHECK(costs.between(0, here.step_index() + 1) == std::numeric_limits<double>::infinity());
    CHECK_FALSE(bg.take().has_value());  // handed back once
}

TEST_CASE("a job to a step, to an event and to the next instant stands where the caller's thread would") {
    const auto program = parse("lesson.swift", k_lesson);
    BackgroundRun bg;
    RunJob to_step;
    to_step.program = program;
    to_step.goal = RunGoal::step;
    to_step.step = 3;
    bg.start(to_step);
    REQUIRE(bg.wait(-1));
    auto out = bg.take();
    REQUIRE((out && out->controller));
    Controller here(program);
    here.replay_to(3);
    CHECK(out->controller->step_index() == 3);
    CHECK(same_trace(out->controller->trace(), here.trace()));

    // The first `printed` event after step 1.
    RunJob to_event;
    to_event.program = program;
    to_event.goal = RunGoal::event;
    to_event.step = 1;
    to_event.match = [](const Event& e) { return e.kind == EventKind::printed; };
    bg.start(to_event);
    REQUIRE(bg.wait(-1));
    out = bg.take();
    REQUIRE((out && out->controller && out->found_event));
    Controller search(program);
    search.replay_to(1);
    std::optional<std::uint64_t> found;
    while (!found && !search.finished()) {
        const std::uint64_t first = search.trace().size();
        search.step();
        for (std::uint64_t i = first; i < search.trace().size() && !found; ++i)
            if (search.trace().at(i).kind == EventKind::printed) found = i;
    }
    REQUIRE(found);
    CHECK(*out->found_event == *found);
    CHECK(out->controller->step_index() == search.step_index());

    RunJob to_instant;
    to_instant.program = program;
    to_instant.goal = RunGoal::next_instant;
    to_instant.step = 0;
    bg.start(to_instant);
    REQUIRE(bg.wait(-1));
    out = bg.take();
    REQUIRE((out && out->controller));
    CHECK(out->controller->now() > 0);
    Controller instant(program);
    while (!instant.finished() && instant.now() == 0) instant.step();
    CHECK(out->controller->step_index() == instant.step_index());
}

TEST_CASE("stop ends a background run inside an endless step, and the run comes back stopped") {
    const auto program = parse("loop.swift", "print(\"before\")\nwhile true {}\n");
    BackgroundRun bg;
    RunJob job;
    job.program = program;
    job.options = endless_budget();
    bg.start(job);
    CHECK(bg.busy());
    CHECK(bg.goal() == RunGoal::whole_run);
    CHECK_FALSE(bg.take().has_value());  // nothing yet, or the run would have ended by itself
    bg.stop();
    CHECK(bg.stop_requested());
    REQUIRE(bg.wait(-1));
    auto out = bg.take();
    REQUIRE((out && out->controller));
    CHECK(out->stopped);
    CHECK(out->controller->status().state == RunState::stopped);
    // The stop lands before step 1 or inside it (the machine decides); the run agrees.
    const std::uint64_t n = out->controller->step_index();
    CHECK(n <= 1);
    CHECK(out->controller->status().message == "stopped by the user after " + std::to_string(n) + (n == 1 ? " step" : " steps"));
    const Trace& t = out->controller->trace();
    CHECK(t.stored(t.size() - 1).kind == EventKind::run_ended);
    CHECK(bg.progress().steps == n);
    CHECK(bg.progress().events == t.size());
}

TEST_CASE("a new job replaces one still in flight, whose outcome is dropped") {
    const auto endless = parse("loop.swift", "while true {}\n");
    const auto lesson = parse("lesson.swift", k_lesson);
    BackgroundRun bg;
    RunJob first;
    first.program = endless;
    first.options = endless_budget();
    bg.start(first);
    RunJob second;
    second.program = lesson;
    second.goal = RunGoal::step;
    second.step = 2;
    bg.start(second);
    REQUIRE(bg.wait(-1));
    auto out = bg.take();
    REQUIRE((out && out->controller));
    CHECK(out->goal == RunGoal::step);
    CHECK_FALSE(out->stopped);
    CHECK(&out->controller->program() == lesson.get());
    CHECK(out->controller->step_index() == 2);
}

TEST_CASE("a background run still in flight is stopped when its owner goes") {
    const auto program = parse("loop.swift", "while true {}\n");
    {
        BackgroundRun bg;
        RunJob job;
        job.program = program;
        job.options = endless_budget();
        bg.start(job);
    }  // would never return if the destructor did not stop the run
    CHECK(program.use_count() == 1);  // the worker let go of the program
}

TEST_CASE("a session whose run never ends loads on the worker and opens at the stop, showing what ran") {
    TempFile file("loop.swift", k_endless_second_step);
    std::unique_ptr<Session> s;
    for (int attempt = 0; attempt < 14 && !s; ++attempt) {
        auto tried = std::make_unique<Session>(file.path(), endless_budget(), 0.0);
        CHECK(tried->running());
        CHECK(tried->loading());
        CHECK_FALSE(tried->has_run());
        CHECK(tried->title() == "loop.swift");
        // The verbs wait for the run: a seek asked for meanwhile is made once it has arrived.
        CHECK_FALSE(tried->step_forward());
        tried->seek(0);
        stop_inside_step(*tried, 2, attempt);
        CHECK_FALSE(tried->running());
        REQUIRE(tried->has_run());
        CHECK(tried->final_status().state == RunState::stopped);
        CHECK(tried->final_status().message ==
              "stopped by the user after " + std::to_string(tried->total_steps()) + (tried->total_steps() == 1 ? " step" : " steps"));
        CHECK(tried->step() == 0);  // where the seek asked for
        if (tried->total_steps() == 2) s = std::move(tried);  // the stop landed inside the endless step
    }
    REQUIRE(s);
    // Stepping into the step that never ends goes to the worker (a stopped step's cost is
    // unknown) ...
    s->seek(1);
    REQUIRE(s->settle(-1));
    CHECK(s->step() == 1);
    CHECK(s->step_forward());
    CHECK(s->running());
    CHECK_FALSE(s->loading());
    CHECK(s->step() == 1);  // the panels still read the run at the cursor
    CHECK_FALSE(s->step_back());  // the verbs wait for the run in flight
    const std::uint64_t epoch = s->epoch();
    s->stop_run();
    REQUIRE(s->settle(-1));
    // ... and stopping it shows where it got, with what it printed.
    CHECK(s->epoch() > epoch);  // a new Controller: derived data is rebuilt
    // Where the stop landed (in the replay of step 1, or in step 2) depends on the machine;
    // what the run shows agrees with it either way.
    CHECK(s->at_end());
    CHECK(s->step() <= 2);
    const RunStatus& st = s->controller().status();
    CHECK(st.state == RunState::stopped);
    CHECK(st.message == "stopped by the user after " + std::to_string(s->step()) + (s->step() == 1 ? " step" : " steps"));
    CHECK(s->controller().output().size() == (s->step() >= 1 ? 1u : 0u));
    const Trace& t = s->trace();
    CHECK(t.stored(t.size() - 1).kind == EventKind::run_ended);
    // From a run cut short, going back replays from the start. (Under load the stop can land
    // before step 1 finished its replay: then the cut run has no step to go back to.)
    const std::uint64_t got = s->step();
    if (got >= 1) {
        s->seek(got - 1);
        REQUIRE(s->settle(-1));
        CHECK(s->step() == got - 1);
        CHECK_FALSE(s->at_end());
    }
}

TEST_CASE("a session opens a run that hits the statement budget at the limit, with its message") {
    TempFile file("budget.py", "print('a')\nwhile True:\n    pass\n");
    RunOptions o;
    o.max_statements_per_step = 20'000;
    Session s(file.path(), o, -1.0);
    CHECK_FALSE(s.running());
    REQUIRE(s.has_run());
    CHECK(s.at_end());
    CHECK(s.step() == s.total_steps());
    const RunStatus& st = s.controller().status();
    CHECK(st.state == RunState::runtime_error);
    REQUIRE(st.diagnostic.has_value());
    CHECK(st.diagnostic->kind == DiagnosticKind::step_limit);
    CHECK(st.message.find("20000") != std::string::npos);
    CHECK(Session::opens_at_end(st));
    // Everything before the limit is browsable: back to the start and forward again.
    s.seek(0);
    REQUIRE(s.settle(-1));
    CHECK(s.step() == 0);
    s.run_to_end();
    REQUIRE(s.settle(-1));
    CHECK(s.step() == s.total_steps());
    CHECK(s.controller().status().state == RunState::runtime_error);
}

TEST_CASE("a session opens a run that passes its memory budget at the limit, with its message") {
    TempFile file("grow.py", "# tasklab: limit memory 4MB\nprint('start')\nxs = []\nwhile True:\n    xs.append('x' * 1000)\n");
    Session s(file.path(), RunOptions{}, -1.0);
    REQUIRE(s.has_run());
    CHECK(s.at_end());
    const RunStatus& st = s.controller().status();
    REQUIRE(st.diagnostic.has_value());
    CHECK(st.diagnostic->kind == DiagnosticKind::memory_limit);
    CHECK(st.message.find("memory limit") != std::string::npos);
    CHECK(Session::opens_at_end(st));
    REQUIRE_FALSE(s.controller().output().empty());
    CHECK(s.controller().output().front().text == "start");
}

TEST_CASE("a reload while the run is in flight replaces it with the new text's run") {
    TempFile file("fix.swift", "while true {}\n");
    Session s(file.path(), endless_budget(), 0.0);
    CHECK(s.loading());
    file.write("print(\"fixed\")\n");
    s.reload();  // stops the endless run in flight and starts the new text's
    REQUIRE(s.settle(-1));
    REQUIRE(s.has_run());
    CHECK(s.final_status().state == RunState::finished);
    CHECK(s.step() == 0);  // a finished run opens at its start
    s.run_to_end();
    REQUIRE(s.settle(-1));
    REQUIRE(s.controller().output().size() == 1);
    CHECK(s.controller().output()[0].text == "fixed");
}

TEST_CASE("a search for events moves the cursor from one printed line to the next") {
    TempFile file("search.swift", "print(\"one\")\nTask { for _ in 0..<3 { } ; print(\"two\") }\ntry await Task.sleep(for: .seconds(1))\nprint(\"three\")\n");
    Session s(file.path(), {}, -1.0);
    REQUIRE(s.has_run());
    CHECK(s.step() == 0);
    const auto printed = [](const Event& e) { return e.kind == EventKind::printed; };
    const auto first = s.seek_event(Direction::forward, printed);
    REQUIRE(first.has_value());
    CHECK(s.trace().at(*first).kind == EventKind::printed);
    const auto second = s.seek_event(Direction::forward, printed);
    REQUIRE(second.has_value());
    CHECK(*second > *first);
    CHECK_FALSE(s.take_found_event().has_value());  // found on this thread: nothing waits
}
