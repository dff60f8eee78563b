// Breakpoints, jumps and task positions over small hand-written traces.
#include <doctest/doctest.h>

#include "scenarios/source.hpp"
#include "viz/model/breakpoints.hpp"
#include "viz/model/task_positions.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

// Line 1: "main", line 2: "child", line 3: "cancel".
const SourceFile k_file("demo.swift", "let a = 1\nlet b = 2\nlet c = 3\n");
constexpr Span line1{0, 3}, line2{10, 13}, line3{20, 23};

/// main starts (line 1), creates a child; the child runs (line 2) and sleeps; at 1s main
/// cancels it (line 3); at 2s the child notices and finishes.
Trace demo_trace() {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));      // #0
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);                                                        // #1
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "child", line1, 2});
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::unstructured), line1);  // #2
    t.append(EventKind::task_suspended, 1, 0, t.intern("sleep 1s"), static_cast<std::uint8_t>(WaitReason::sleep), line1);  // #3
    t.set_clock(2, 0);
    t.append(EventKind::task_started, 2);                                                        // #4
    t.append(EventKind::task_suspended, 2, 0, t.intern("sleep 5s"), static_cast<std::uint8_t>(WaitReason::sleep), line2);  // #5
    t.set_clock(3, k_second);
    t.append(EventKind::task_resumed, 1);                                                        // #6
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call), line3);  // #7
    t.append(EventKind::task_suspended, 1, 0, t.intern("sleep 1s"), static_cast<std::uint8_t>(WaitReason::sleep), line3);  // #8
    t.set_clock(4, 2 * k_second);
    t.append(EventKind::task_resumed, 2, 0, 0, static_cast<std::uint8_t>(ResumeStatus::cancelled));  // #9
    t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::sleep), line2);  // #10
    t.append(EventKind::task_finished, 2, 0, t.add_string("CancellationError()"),
             static_cast<std::uint8_t>(Outcome::cancelled), line2);                             // #11
    return t;
}

/// The first event index (from `from`) at which a forward watch stops, or -1.
std::int64_t first_stop(const Trace& t, const Breakpoints& bp, std::uint64_t from = 0) {
    BreakpointWatch watch(bp, &k_file, from == 0 ? 0 : t.at(from - 1).time);
    for (std::uint64_t i = from; i < t.size(); ++i)
        if (watch(t.at(i))) return static_cast<std::int64_t>(i);
    return -1;
}

}  // namespace

TEST_CASE("no breakpoint set means nothing stops the cursor") {
    const Trace t = demo_trace();
    Breakpoints bp;
    CHECK_FALSE(bp.any());
    CHECK(first_stop(t, bp) == -1);
    CHECK_FALSE(find_break_backward(t, bp, &k_file, 5).has_value());
}

TEST_CASE("event-kind breakpoints stop forward at the first matching event") {
    const Trace t = demo_trace();
    Breakpoints bp;
    bp.cancel_requested = true;
    CHECK(first_stop(t, bp) == 7);
    bp = {};
    bp.cancel_observed = true;
    CHECK(first_stop(t, bp) == 10);
    bp = {};
    bp.task_finished = true;
    CHECK(first_stop(t, bp) == 11);
    bp.enabled = false;
    CHECK_FALSE(bp.any());
    CHECK(first_stop(t, bp) == -1);
}

TEST_CASE("a time breakpoint stops once, where virtual time first reaches it") {
    const Trace t = demo_trace();
    Breakpoints bp;
    bp.time_at_least = k_second;
    CHECK(first_stop(t, bp) == 6);
    // Starting past the time, it does not fire again.
    CHECK(first_stop(t, bp, 7) == -1);
    // Backward, it stops at the step where time reached it.
    const auto hit = find_break_backward(t, bp, &k_file, 5);
    REQUIRE(hit.has_value());
    CHECK(hit->event == 6);
    CHECK(t.at(hit->event).step == 3);
}

TEST_CASE("a line breakpoint stops where a task's code reaches the line, not at creation sites") {
    const Trace t = demo_trace();
    Breakpoints bp;
    bp.toggle_line(1);
    // #2 (task_created at line 1) does not count; #3 (main suspends at line 1) does.
    CHECK(first_stop(t, bp) == 3);
    bp.toggle_line(1);
    CHECK(bp.lines.empty());
    bp.toggle_line(2);
    CHECK(first_stop(t, bp, 6) == 10);
    const auto hit = find_break_backward(t, bp, &k_file, 4);
    REQUIRE(hit.has_value());
    CHECK(hit->event == 5);
    CHECK(hit->reason == "line 2");
}

TEST_CASE("searching backward looks only at steps before the cursor's and stops at the limit") {
    const Trace t = demo_trace();
    Breakpoints bp;
    bp.cancel_observed = true;
    bp.cancel_requested = true;
    // From step 4 (whose own events do not count) the latest hit is the request at step 3.
    auto hit = find_break_backward(t, bp, &k_file, 4);
    REQUIRE(hit.has_value());
    CHECK(hit->event == 7);
    CHECK_FALSE(find_break_backward(t, bp, &k_file, 3).has_value());
    // Past the end of the trace everything recorded counts.
    hit = find_break_backward(t, bp, &k_file, 99);
    REQUIRE(hit.has_value());
    CHECK(hit->event == 10);
    CHECK_FALSE(find_break_backward(t, bp, &k_file, 99, 5).has_value());
}

TEST_CASE("jump targets are cancels, spawns of tasks other than main, throws and notes") {
    const Trace t = demo_trace();
    CHECK_FALSE(is_jump_target(JumpKind::spawn, t.at(0)));
    CHECK(is_jump_target(JumpKind::spawn, t.at(2)));
    CHECK(is_jump_target(JumpKind::cancel, t.at(7)));
    CHECK_FALSE(is_jump_target(JumpKind::cancel, t.at(10)));
    CHECK_FALSE(is_jump_target(JumpKind::threw, t.at(11)));
    CHECK(event_line(t.at(7), &k_file) == 3);
    CHECK(event_line(t.at(1), &k_file) == 0);
}

TEST_CASE("a task's position is the latest span its own code produced") {
    const Trace t = demo_trace();
    TaskPositions p;
    p.sync(t, 1);
    // main created the child at line 1 and cancelled it at line 3: both are main's positions.
    CHECK(k_file.locate(p.position(1).begin).line == 3);
    CHECK(k_file.locate(p.position(2).begin).line == 2);
    CHECK(p.finished(2));
    CHECK_FALSE(p.finished(1));
    CHECK(p.running() == 2);
    CHECK(p.has_current());
    CHECK(p.current_event() == 11);
}

TEST_CASE("task positions grow with the trace and start over on a new epoch") {
    Trace t = demo_trace();
    TaskPositions p;
    p.sync(t, 1);
    t.set_clock(5, 2 * k_second);
    t.append(EventKind::task_resumed, 1);
    t.append(EventKind::printed, 1, 0, t.add_string("done"), 0, line2);
    p.sync(t, 1);
    CHECK(k_file.locate(p.position(1).begin).line == 2);
    CHECK(p.current_event() == 13);
    Trace fresh;
    fresh.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    fresh.set_clock(0, 0);
    fresh.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    p.sync(fresh, 2);
    CHECK(p.position(1).empty());
    CHECK_FALSE(p.has_current());
}

TEST_CASE("events a step writes before it runs a task belong to the task they are about") {
    Trace t = demo_trace();
    // Step 5: the timer of main's sleep fires (a span in main's code) before main resumes;
    // the child, which ran last in step 4, must not take that position.
    t.set_clock(5, 3 * k_second);
    t.append(EventKind::timer_fired, 1, 1, 0, 0, line1);
    TaskPositions p;
    p.sync(t, 1);
    CHECK(k_file.locate(p.position(1).begin).line == 1);
    CHECK(p.running() == 0);
}
