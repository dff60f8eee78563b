// RunOptions::stop: a run that another thread stops, before a step or inside a step that
// never ends, ends as RunState::stopped with a trace that ends like every other run's.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

std::shared_ptr<const ast::Program> parse(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

/// A budget no loop reaches in a test's lifetime: only the stop flag ends these runs.
constexpr std::uint64_t k_endless = 1'000'000'000'000'000ull;

/// Runs `program` to its end on this thread while another thread sets the stop flag; the
/// flag is the only way these runs end.
/// `stop` must outlive the Controller.
std::unique_ptr<Controller> run_and_stop_from_another_thread(const std::shared_ptr<const ast::Program>& program,
                                                             std::atomic<bool>& stop, int delay_ms = 20) {
    RunOptions options;
    options.max_statements_per_step = k_endless;
    options.stop = &stop;
    auto c = std::make_unique<Controller>(program, options);
    std::thread stopper([&stop, delay_ms] {
        std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms));
        stop.store(true);
    });
    c->run_until_idle();
    stopper.join();
    return c;
}

/// The trace ends the way every run's does: one run_ended event, last, with the stop's reason,
/// and no task is left running.
void check_ends_stopped(const Controller& c) {
    const Trace& t = c.trace();
    REQUIRE(t.size() > 0);
    const StoredEvent& last = t.stored(t.size() - 1);
    CHECK(last.kind == EventKind::run_ended);
    CHECK(static_cast<EndReason>(last.detail) == EndReason::stopped);
    std::size_t ended = 0;
    for (std::uint64_t i = 0; i < t.size(); ++i)
        if (t.stored(i).kind == EventKind::run_ended) ++ended;
    CHECK(ended == 1);
    for (TaskId task = 1; task < t.tasks().size(); ++task) {
        const TaskInspection in = c.inspect(task);
        CHECK(in.state == TaskState::finished);
    }
}

}  // namespace

TEST_CASE("a Swift run stopped from another thread inside an endless loop ends as stopped, at the loop") {
    const auto program = parse("loop.swift", "print(\"before\")\nwhile true {}\n");
    // The stop lands inside step 1 unless this thread is kept off the processor that long: the
    // test then tries again with a longer delay (what is asserted never depends on timing).
    std::atomic<bool> stop{false};
    std::unique_ptr<Controller> c;
    for (int attempt = 0; attempt < 8 && (!c || c->step_index() != 1); ++attempt) {
        stop.store(false);
        c = run_and_stop_from_another_thread(program, stop, 20 << attempt);
    }
    const RunStatus& st = c->status();
    CHECK(st.state == RunState::stopped);
    CHECK(st.message == "stopped by the user after 1 step");
    CHECK(st.exit_code == 4);  // a stopped run exits as a deadlock or a limit does (run_types.hpp)
    REQUIRE(st.diagnostic.has_value());
    CHECK(program->file->locate(st.diagnostic->span.begin).line == 2);
    CHECK(run_state_name(st.state) == "stopped");
    CHECK(end_reason_name(EndReason::stopped) == "stopped");
    // What ran before the stop is kept: the line printed before the loop.
    REQUIRE(c->output().size() == 1);
    CHECK(c->output()[0].text == "before");
    check_ends_stopped(*c);
}

TEST_CASE("a Python run stopped from another thread inside while True: pass ends as stopped") {
    const auto program = parse("loop.py", "print('before')\nwhile True:\n    pass\n");
    std::atomic<bool> stop{false};
    const auto c = run_and_stop_from_another_thread(program, stop);
    const RunStatus& st = c->status();
    CHECK(st.state == RunState::stopped);
    CHECK(st.message.rfind("stopped by the user after ", 0) == 0);
    check_ends_stopped(*c);
}

TEST_CASE("a run stopped inside a GCD block that loops forever ends as stopped with its tasks abandoned") {
    const auto program = parse("gcd.swift", "import Foundation\nDispatchQueue.global().async { while true {} }\nsleep(1)\nprint(\"main done\")\n");
    std::atomic<bool> stop{false};
    const auto c = run_and_stop_from_another_thread(program, stop);
    const RunStatus& st = c->status();
    CHECK(st.state == RunState::stopped);
    const std::uint64_t n = c->step_index();
    CHECK(st.message == "stopped by the user after " + std::to_string(n) + (n == 1 ? " step" : " steps"));
    check_ends_stopped(*c);
}

TEST_CASE("a stop flag set between steps ends the run before the next step runs") {
    const auto program = parse("timers.swift", R"SW(
Task {
    try await Task.sleep(for: .seconds(1))
    print("one")
}
try await Task.sleep(for: .seconds(3))
print("main")
)SW");
    std::atomic<bool> stop{false};
    RunOptions options;
    options.stop = &stop;
    Controller c(program, options);
    REQUIRE(c.step());
    REQUIRE(c.step());
    const std::uint64_t events = c.trace().size();
    stop.store(true);
    CHECK_FALSE(c.step());
    CHECK(c.step_index() == 2);
    CHECK(c.status().state == RunState::stopped);
    CHECK(c.status().message == "stopped by the user after 2 steps");
    CHECK(c.trace().size() > events);  // the end of the run was recorded
    check_ends_stopped(c);
    CHECK_FALSE(c.step());  // over: nothing more happens
}

TEST_CASE("a run with a stop flag that is never set is the same run, byte for byte") {
    const auto program = parse("same.swift", R"SW(
Task {
    try await Task.sleep(for: .seconds(1))
    print("one")
}
for i in 0..<3 { print(i) }
try await Task.sleep(for: .seconds(2))
print("main")
)SW");
    std::atomic<bool> stop{false};
    RunOptions with_flag;
    with_flag.stop = &stop;
    Controller a(program, {});
    Controller b(program, with_flag);
    a.run_until_idle();
    b.run_until_idle();
    CHECK(a.status().state == RunState::finished);
    CHECK(b.status().state == RunState::finished);
    REQUIRE(a.trace().size() == b.trace().size());
    for (std::uint64_t i = 0; i < a.trace().size(); ++i) {
        const StoredEvent& x = a.trace().stored(i);
        const StoredEvent& y = b.trace().stored(i);
        CHECK((x.kind == y.kind && x.task == y.task && x.payload == y.payload && x.detail == y.detail &&
               x.span_begin == y.span_begin));
    }
}
