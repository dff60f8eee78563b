// The Controller's driving contracts: step, run_current, advance_by, run_until_idle,
// replay_to, the end conditions (deadlock, limits), lints, and determinism.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {
std::shared_ptr<const ast::Program> parse(const std::string& text) {
    auto file = std::make_shared<SourceFile>("ctl.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

/// Two tasks that print at 1 s and 2 s while main sleeps 3 s.
const char* const k_timers = R"SW(
Task {
    try await Task.sleep(for: .seconds(1))
    print("one")
}
Task {
    try await Task.sleep(for: .seconds(2))
    print("two")
}
try await Task.sleep(for: .seconds(3))
print("main")
)SW";

bool same_event(const StoredEvent& a, const StoredEvent& b) {
    return a.task == b.task && a.related == b.related && a.span_begin == b.span_begin && a.span_end == b.span_end &&
           a.payload == b.payload && a.kind == b.kind && a.detail == b.detail;
}

std::size_t count_events(const Trace& t, EventKind k, std::uint8_t detail) {
    std::size_t n = 0;
    for (std::uint64_t i = 0; i < t.size(); ++i)
        if (t.stored(i).kind == k && t.stored(i).detail == detail) ++n;
    return n;
}
}  // namespace

TEST_CASE("step runs one scheduler step at a time and stops at the end of the run") {
    Controller c(parse(k_timers));
    CHECK(c.step_index() == 0);
    CHECK(c.ready_queue().size() == 1);  // main
    CHECK(c.step());
    CHECK(c.step_index() == 1);
    CHECK(c.ready_queue().size() == 2);  // the two tasks main created
    CHECK(c.waiting().size() == 1);      // main sleeps
    std::uint64_t steps = 1;
    while (c.step()) ++steps;
    ++steps;
    CHECK(c.finished());
    CHECK(c.status().state == RunState::finished);
    CHECK(c.step_index() == steps);
    CHECK_FALSE(c.step());
    CHECK(c.step_index() == steps);
}

TEST_CASE("run_current runs what is ready now without moving the clock") {
    Controller c(parse(k_timers));
    c.run_current();
    CHECK(c.now() == 0);
    CHECK(c.ready_queue().empty());
    CHECK(c.output().empty());
    CHECK(c.timers().size() == 3);
    CHECK(c.timers()[0].deadline == k_second);
}

TEST_CASE("advance_by runs what is due strictly before now+d, then sets the clock") {
    Controller c(parse(k_timers));
    c.advance_by(2 * k_second);
    // "one" (due at 1 s) ran; "two" is due exactly at 2 s and waits for the next call.
    REQUIRE(c.output().size() == 1);
    CHECK(c.output()[0].text == "one");
    CHECK(c.now() == 2 * k_second);
    CHECK(c.timers().front().deadline == 2 * k_second);
    c.run_current();
    REQUIRE(c.output().size() == 2);
    CHECK(c.output()[1].text == "two");
    CHECK(c.output()[1].time == 2 * k_second);
    c.advance_by(10 * k_second);
    CHECK(c.finished());
    CHECK(c.output().back().text == "main");
}

TEST_CASE("run_until_idle runs to the end and records run_ended last") {
    Controller c(parse(k_timers));
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(c.output().size() == 3);
    const Trace& t = c.trace();
    REQUIRE(t.size() > 0);
    CHECK(t.stored(t.size() - 1).kind == EventKind::run_ended);
    CHECK(t.stored(t.size() - 1).detail == static_cast<std::uint8_t>(EndReason::finished));
}

TEST_CASE("replay_to rebuilds the run and gives the same trace prefix") {
    auto program = parse(k_timers);
    Controller full(program);
    full.run_until_idle();
    Controller c(program);
    c.run_until_idle();
    c.replay_to(3);
    CHECK(c.step_index() == 3);
    CHECK_FALSE(c.finished());
    const Trace& a = full.trace();
    const Trace& b = c.trace();
    REQUIRE(b.size() > 0);
    REQUIRE(b.size() <= a.size());
    for (std::uint64_t i = 0; i < b.size(); ++i) CHECK(same_event(a.stored(i), b.stored(i)));
    // Stepping a fresh controller by hand to the same point gives the same digest.
    Controller manual(program);
    for (int i = 0; i < 3; ++i) manual.step();
    CHECK(manual.trace().digest() == b.digest());
    c.run_until_idle();
    CHECK(c.trace().digest() == full.trace().digest());
}

TEST_CASE("two runs of the same program give the same trace digest") {
    const std::string text = std::string("// tasklab: latency URLSession.data 1s..3s\n") + R"SW(
import Foundation
let url = URL(string: "https://example.com")!
await withTaskGroup(of: Int.self) { group in
    for n in 0..<20 {
        group.addTask {
            _ = try? await URLSession.shared.data(from: url)
            return n
        }
    }
    var got = 0
    for await _ in group {
        got += 1
        if got == 5 { group.cancelAll() }
    }
    print(got)
}
)SW";
    Controller a(parse(text));
    a.run_until_idle();
    Controller b(parse(text));
    b.run_until_idle();
    CHECK(a.status().state == RunState::finished);
    CHECK(a.trace().digest() == b.trace().digest());
    CHECK(a.trace().size() == b.trace().size());
}

TEST_CASE("a deadlock names every waiting task and points at main's wait") {
    Controller c(parse(R"SW(
var t2: Task<Int, Never>? = nil
let t1 = Task { () -> Int in
    try? await Task.sleep(for: .seconds(1))
    return await t2!.value
}
t2 = Task { () -> Int in await t1.value }
print(await t1.value)
)SW"));
    c.run_until_idle();
    CHECK(c.status().state == RunState::deadlock);
    CHECK(c.status().message ==
          "deadlock: nothing can run and no timer is pending; main waits for t1.value at ctl.swift:8:13; "
          "t1 waits for t2.value at ctl.swift:5:18; t2 waits for t1.value at ctl.swift:7:32");
    REQUIRE(c.status().diagnostic);
    CHECK(c.status().diagnostic->kind == DiagnosticKind::deadlock);
    CHECK(c.status().diagnostic->notes.size() == 3);
    CHECK(c.trace().stored(c.trace().size() - 1).detail == static_cast<std::uint8_t>(EndReason::deadlock));
}

TEST_CASE("the step limit of a program directive stops the run") {
    Controller c(parse(R"SW(
// tasklab: limit steps 20
while true {
    await Task.yield()
}
)SW"));
    c.run_until_idle();
    CHECK(c.status().state == RunState::step_limit);
    CHECK(c.step_index() == 20);
    CHECK(c.status().message == "stopped after 20 steps (the limit); raise it with `// tasklab: limit steps N`");
    REQUIRE(c.status().diagnostic);
    CHECK(c.status().diagnostic->kind == DiagnosticKind::step_limit);
}

TEST_CASE("the time limit stops the run before the clock passes it") {
    RunOptions options;
    options.limits.max_time = 5 * k_second;
    Controller c(parse(R"SW(
while true {
    try await Task.sleep(for: .seconds(2))
    print("tick")
}
)SW"),
                 options);
    c.run_until_idle();
    CHECK(c.status().state == RunState::time_limit);
    CHECK(c.now() == 4 * k_second);
    CHECK(c.output().size() == 2);
    REQUIRE(c.status().diagnostic);
    CHECK(c.status().diagnostic->kind == DiagnosticKind::time_limit);
}

TEST_CASE("the program's limit directive overrides the run options") {
    RunOptions options;
    options.limits.max_steps = 3;
    Controller c(parse(R"SW(
// tasklab: limit steps 100
for _ in 0..<10 { await Task.yield() }
print("done")
)SW"),
                 options);
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(c.output().back().text == "done");
}

TEST_CASE("lints name a cancel nobody observed and a task that outlived the program") {
    Controller c(parse(R"SW(
let ignorer = Task {
    sleep(1)
    print("ignored the cancel")
}
ignorer.cancel()
let straggler = Task {
    try? await Task.sleep(for: .seconds(60))
}
sleep(2)
)SW"));
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(count_events(c.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::cancel_never_observed)) == 1);
    CHECK(count_events(c.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::outlived_creator)) == 1);
    CHECK(count_events(c.trace(), EventKind::task_finished, static_cast<std::uint8_t>(Outcome::abandoned)) == 1);

    RunOptions quiet;
    quiet.lints = false;
    Controller q(c.program_ptr(), quiet);
    q.run_until_idle();
    CHECK(count_events(q.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::cancel_never_observed)) == 0);
}

TEST_CASE("output lines carry their time, task and printed event") {
    Controller c(parse(k_timers));
    c.run_until_idle();
    REQUIRE(c.output().size() == 3);
    const OutputLine& two = c.output()[1];
    CHECK(two.text == "two");
    CHECK(two.time == 2 * k_second);
    CHECK(c.trace().task(two.task).name == "Task {} @6");
    const Event e = c.trace().at(two.event);
    CHECK(e.kind == EventKind::printed);
    CHECK(c.trace().payload_text(e) == "two");
}

TEST_CASE("a task ends cancelled when it throws CancellationError after a cancel") {
    Controller c(parse(R"SW(
let t = Task {
    try await Task.sleep(for: .seconds(10))
}
try await Task.sleep(for: .seconds(1))
t.cancel()
_ = try? await t.value
)SW"));
    c.run_until_idle();
    CHECK(count_events(c.trace(), EventKind::task_finished, static_cast<std::uint8_t>(Outcome::cancelled)) == 1);
}

TEST_CASE("no never-observed lint for a task whose cancel reached it through its children and which caught their error") {
    // The group's children notice the cancel at their sleeps; their CancellationError reaches
    // the group body, which leaves, and the task catches it: it reacted to its cancel.
    Controller group(parse(R"SW(
let task = Task {
    do {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await Task.sleep(for: .seconds(5)) }
            try await group.waitForAll()
        }
    } catch {
        print("caught \(error)")
    }
}
try await Task.sleep(for: .seconds(1))
task.cancel()
try await Task.sleep(for: .seconds(2))
)SW"));
    group.run_until_idle();
    CHECK(group.output().size() == 1);
    CHECK(count_events(group.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::cancel_never_observed)) == 0);

    // The same through an async let the task awaits.
    Controller binding(parse(R"SW(
func fetch() async throws -> Int {
    try await Task.sleep(for: .seconds(5))
    return 1
}
let task = Task {
    async let x = fetch()
    do {
        print(try await x)
    } catch {
        print("caught \(error)")
    }
}
try await Task.sleep(for: .seconds(1))
task.cancel()
try await Task.sleep(for: .seconds(2))
)SW"));
    binding.run_until_idle();
    CHECK(count_events(binding.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::cancel_never_observed)) == 0);

    // A child that notices but returns a value sends no error up: the task never observed its
    // cancel, and the lint stays.
    Controller quiet(parse(R"SW(
func child() async -> Int {
    if Task.isCancelled { return -1 }
    return 1
}
let t = Task {
    sleep(1)
    async let x = child()
    print(await x)
}
t.cancel()
try await Task.sleep(for: .seconds(2))
)SW"));
    quiet.run_until_idle();
    CHECK(count_events(quiet.trace(), EventKind::lint, static_cast<std::uint8_t>(LintKind::cancel_never_observed)) == 1);
}
