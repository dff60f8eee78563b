// Scheduler rules (semantics.md §5), driven with native coroutine tasks: no interpreter.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/scheduler.hpp"

using namespace tasklab;

namespace {
struct Harness {
    Trace trace;
    Scheduler sched{trace, Limits{}};
    std::vector<std::string> log;

    Co<void> sleeper(std::string name, Tick d) {
        log.push_back(name + " start@" + std::to_string(sched.now()));
        ResumeStatus st = co_await sched.sleep_for(d, Interruptible::yes);
        log.push_back(name + (st == ResumeStatus::cancelled ? " cancelled@" : " woke@") + std::to_string(sched.now()));
        sched.finish_current(Outcome::returned, {});
    }
    Co<void> spawner(std::string name) {
        log.push_back(name + " runs");
        sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .creator = sched.current(), .name = name + ".child"},
                    marker(name + ".child"));
        log.push_back(name + " after spawn");
        sched.finish_current(Outcome::returned, {});
        co_return;
    }
    Co<void> marker(std::string name) {
        log.push_back(name + " runs");
        sched.finish_current(Outcome::returned, {});
        co_return;
    }
    void spawn(std::string name, Co<void> body) {
        sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .name = std::move(name)}, std::move(body));
    }
    void run() {
        while (sched.step() == StepStatus::ran) {}
    }
};
}  // namespace

TEST_CASE("timers with equal deadlines fire in the order they were armed") {
    Harness h;
    h.spawn("a", h.sleeper("a", k_second));
    h.spawn("b", h.sleeper("b", k_second));
    h.spawn("c", h.sleeper("c", k_second / 2));
    h.run();
    CHECK(h.log == std::vector<std::string>{"a start@0", "b start@0", "c start@0", "c woke@500000000",
                                            "a woke@1000000000", "b woke@1000000000"});
}

TEST_CASE("a task made ready during a pass waits for the next pass") {
    Harness h;
    h.spawn("p", h.spawner("p"));
    h.spawn("q", h.marker("q"));
    h.run();
    // p spawns p.child while the first batch {p, q} runs: q still runs before p.child.
    CHECK(h.log == std::vector<std::string>{"p runs", "p after spawn", "q runs", "p.child runs"});
}

TEST_CASE("the clock jumps to the next timer only when nothing is ready") {
    Harness h;
    h.spawn("a", h.sleeper("a", 3 * k_second));
    CHECK(h.sched.step() == StepStatus::ran);
    CHECK(h.sched.now() == 0);
    CHECK(h.sched.next_deadline() == 3 * k_second);
    CHECK(h.sched.step() == StepStatus::ran);
    CHECK(h.sched.now() == 3 * k_second);
    CHECK(h.sched.step() == StepStatus::idle);
}

TEST_CASE("interrupting an interruptible sleep wakes the task at the same instant") {
    Harness h;
    h.spawn("a", h.sleeper("a", 10 * k_second));
    CHECK(h.sched.step() == StepStatus::ran);
    CHECK(h.sched.interrupt(1, ResumeStatus::cancelled));
    CHECK(h.sched.pending_timers().empty());
    h.run();
    CHECK(h.log.back() == "a cancelled@0");
}

TEST_CASE("the step limit stops a run") {
    Trace trace;
    Scheduler sched(trace, Limits{.max_steps = 3});
    std::vector<int> hits;
    auto looper = [&]() -> Co<void> {
        for (;;) {
            hits.push_back(1);
            co_await sched.yield_now();
        }
    };
    sched.spawn(TaskInfo{.name = "loop"}, looper());
    int ran = 0;
    StepStatus st;
    while ((st = sched.step()) == StepStatus::ran) ++ran;
    CHECK(ran == 3);
    CHECK(st == StepStatus::step_limit);
}

TEST_CASE("the trace records step and time for every event and is stable") {
    auto run_once = [] {
        Harness h;
        h.spawn("a", h.sleeper("a", k_second));
        h.spawn("b", h.sleeper("b", 2 * k_second));
        h.run();
        return h.trace.digest();
    };
    const auto d1 = run_once();
    CHECK(d1 == run_once());
    Harness h;
    h.spawn("a", h.sleeper("a", k_second));
    h.run();
    const Event last = h.trace.at(h.trace.size() - 1);
    CHECK(last.kind == EventKind::task_finished);
    CHECK(last.time == k_second);
    CHECK(last.step == 2);
    CHECK(h.trace.at(0).kind == EventKind::task_created);
    CHECK(h.trace.at(0).step == 0);
}

TEST_CASE("a loop callback runs at its turn in the ready queue, as a step with no task current") {
    Harness h;
    TaskId seen = 99;
    h.spawn("a", h.marker("a"));
    h.sched.call_soon([&] {
        seen = h.sched.current();
        h.log.push_back("callback runs");
    });
    h.spawn("b", h.marker("b"));
    CHECK(h.sched.ready_order().size() == 2);  // callbacks are not tasks
    CHECK(h.sched.has_ready());
    h.run();
    CHECK(h.log == std::vector<std::string>{"a runs", "callback runs", "b runs"});
    CHECK(seen == 0);
    CHECK(h.sched.step_index() == 3);
}

TEST_CASE("a call_later callback fires with the timers of its instant and can be cancelled before it fires") {
    Harness h;
    h.spawn("s", h.sleeper("s", k_second));
    h.sched.call_later(k_second, [&] { h.log.push_back("late@" + std::to_string(h.sched.now())); }, 0);
    const TimerId dropped = h.sched.call_later(k_second / 2, [&] { h.log.push_back("never"); }, 0);
    h.sched.cancel_timer(dropped);
    h.run();
    // The sleeper armed its timer first (when it ran), after the callback's: arming order.
    CHECK(h.log == std::vector<std::string>{"s start@0", "late@1000000000", "s woke@1000000000"});
}

TEST_CASE("waking a task at the end of the pass runs it after the batch and before what the batch queued") {
    Harness h;
    TaskId waiter = 0;
    auto parked = [&]() -> Co<void> {
        co_await h.sched.park(WaitReason::task, 0, "until the pass ends", Interruptible::no);
        h.log.push_back("waiter runs");
        h.sched.finish_current(Outcome::returned, {});
    };
    auto first = [&]() -> Co<void> {
        h.log.push_back("first runs");
        h.sched.call_soon([&] { h.log.push_back("queued during the pass"); });
        h.sched.wake_at_pass_end(waiter, ResumeStatus::normal);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    waiter = h.sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .name = "waiter"}, parked());
    h.sched.step();  // the waiter parks
    h.spawn("first", first());
    h.spawn("second", h.marker("second"));
    h.run();
    CHECK(h.log == std::vector<std::string>{"first runs", "second runs", "waiter runs", "queued during the pass"});
}

TEST_CASE("a callback noted for the next pass runs before the timers due when that pass begins") {
    Harness h;
    auto blocker = [&]() -> Co<void> {
        h.sched.call_later(k_second / 2, [&] { h.log.push_back("timer"); }, 0);
        h.sched.block_loop(k_second);  // the timer comes due while the loop is blocked
        h.sched.call_at_next_pass([&] { h.log.push_back("noted during the block"); });
        h.log.push_back("blocker done");
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn("blocker", blocker());
    CHECK(h.sched.has_work());
    h.run();
    CHECK(h.log == std::vector<std::string>{"blocker done", "noted during the block", "timer"});
}

TEST_CASE("park_for wakes the task with timeout when nobody wakes it first, and a wake before it disarms the timer") {
    Harness h;
    TaskId waker_target = 0;
    auto waiter = [&h](std::string name, Tick d) -> Co<void> {
        const ResumeStatus st = co_await h.sched.park_for(WaitReason::event, 0, "wait(timeout:)", d);
        h.log.push_back(name + (st == ResumeStatus::timeout ? " timed out@" : " woken@") + std::to_string(h.sched.now()));
        h.sched.finish_current(Outcome::returned, {});
    };
    h.spawn("late", waiter("late", 300));
    waker_target = h.sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .name = "early"}, waiter("early", 1000));
    auto waker = [&h, &waker_target]() -> Co<void> {
        co_await h.sched.sleep_for(500, Interruptible::no);
        h.sched.wake(waker_target, ResumeStatus::normal);
        h.sched.finish_current(Outcome::returned, {});
    };
    h.spawn("waker", waker());
    h.run();
    CHECK(h.log == std::vector<std::string>{"late timed out@300", "early woken@500"});
    // The early task's timer was taken off when it was woken: nothing fires at 1000.
    CHECK(h.sched.now() == 500);
    int disarmed = 0;
    for (std::uint64_t i = 0; i < h.trace.size(); ++i) disarmed += h.trace.at(i).kind == EventKind::timer_disarmed;
    CHECK(disarmed == 1);
}
