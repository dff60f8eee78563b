// The GCD DispatchWorkItem model (semantics.md §2, F30–F34, and §6 item 9), driven with
// native coroutine bodies: no interpreter. Logs are "what@milliseconds" lines.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/cancel/gcd.hpp"
#include "engine/cancel/swift.hpp"

using namespace tasklab;

namespace {

constexpr Tick k_ms = k_millisecond;
constexpr Tick k_s = k_second;

std::string lines(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& s : v) out += s + "\n";
    return out;
}

struct Harness {
    Trace trace;
    Scheduler sched{trace, Limits{}};
    gcd::Model g{sched};
    std::vector<std::string> log;

    void say(const std::string& s) { log.push_back(s + "@" + std::to_string(sched.now() / k_ms)); }
    std::string text() const { return lines(log); }
    void run() {
        while (sched.step() == StepStatus::ran) {}
    }
    /// The program's top-level code (a plain scheduler task that finishes itself).
    TaskId spawn_main(Co<void> body) { return sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, std::move(body)); }
    std::vector<Event> events(EventKind kind, TaskId task = 0) const {
        std::vector<Event> out;
        for (std::uint64_t i = 0; i < trace.size(); ++i) {
            const Event e = trace.at(i);
            if (e.kind == kind && (task == 0 || e.task == task)) out.push_back(e);
        }
        return out;
    }
    /// The task_finished event of `task`.
    Event finished(TaskId task) const {
        const auto evs = events(EventKind::task_finished, task);
        REQUIRE(evs.size() == 1);
        return evs.front();
    }
    /// An item whose body logs "<name> runs".
    gcd::ItemId marker(const std::string& name) {
        return g.make_item([this, name]() -> Co<void> { return say_body(name + " runs"); }, name);
    }
    Co<void> say_body(std::string s) {
        say(s);
        co_return;
    }
};

}  // namespace

TEST_SUITE("gcd model") {

TEST_CASE("cancelling a work item before it starts skips its body, while cancelling a running item does not stop it") {
    // semantics: F30
    Harness h;
    TaskId skipped_exec = 0, running_exec = 0, main = 0;
    gcd::ItemId running = 0;
    const gcd::ItemId early = h.marker("early");
    running = h.g.make_item(
        [&]() -> Co<void> {
            h.say("running starts");
            co_await h.sched.block_for(2 * k_s);
            h.say(std::string("running carries on, isCancelled ") + (h.g.is_cancelled(running) ? "true" : "false"));
        },
        "running");
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId q = h.g.global_queue();
        skipped_exec = h.g.submit(q, early);
        h.g.cancel(early);
        running_exec = h.g.submit(q, running);
        co_await h.sched.sleep_for(k_s, Interruptible::no);
        h.g.cancel(running);
        h.g.cancel(running);  // idempotent: the flag stays set
        h.sched.finish_current(Outcome::returned, {});
    };
    main = h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"running starts@0", "running carries on, isCancelled true@2000"}));
    CHECK(static_cast<Outcome>(h.finished(skipped_exec).detail) == Outcome::skipped);
    CHECK(static_cast<Outcome>(h.finished(running_exec).detail) == Outcome::returned);
    const auto skip = h.events(EventKind::cancel_observed, skipped_exec);
    REQUIRE(skip.size() == 1);
    CHECK(static_cast<ObservedBy>(skip[0].detail) == ObservedBy::body_skipped);
    const auto requests = h.events(EventKind::cancel_requested, running_exec);
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].related == main);
    CHECK(requests[0].time == k_s);
    CHECK(h.events(EventKind::task_unblocked, running_exec).front().time == 2 * k_s);  // not cut short
}

TEST_CASE("item.isCancelled stays true forever, even after the item finished, and a running body must poll it to stop") {
    // semantics: F31 — the seed's outerItem loop, cancelled by an asyncAfter(3 s) closure
    Harness h;
    gcd::ItemId outer = 0, finished_item = 0;
    TaskId outer_exec = 0;
    auto inner_body = [&]() -> Co<void> {
        for (int j = 0; j <= 2; ++j) h.say("inner " + std::to_string(j));
        co_return;
    };
    auto outer_body = [&]() -> Co<void> {
        for (int i = 0; i <= 10; ++i) {
            if (h.g.observe_is_cancelled(outer)) break;
            co_await h.sched.block_for(k_s);
            h.say("outer " + std::to_string(i));
        }
        const gcd::ItemId inner = h.g.make_item(inner_body, "innerItem");
        h.g.submit(h.g.global_queue(), inner);
    };
    outer = h.g.make_item(outer_body, "outerItem");
    finished_item = h.marker("finished");
    const gcd::ItemId canceller = h.g.make_item(
        [&]() -> Co<void> {
            h.g.cancel(outer);
            h.g.cancel(finished_item);
            co_return;
        },
        "cancel closure");
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId q = h.g.global_queue();
        h.g.submit(q, finished_item);
        outer_exec = h.g.submit(q, outer);
        h.g.submit(q, canceller, 3 * k_s);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"finished runs@0", "outer 0@1000", "outer 1@2000", "outer 2@3000", "inner 0@3000",
                             "inner 1@3000", "inner 2@3000"}));
    CHECK(h.g.is_cancelled(finished_item));  // set although it had already run
    CHECK(h.g.is_cancelled(outer));
    const auto observed = h.events(EventKind::cancel_observed, outer_exec);
    REQUIRE(observed.size() == 1);
    CHECK(static_cast<ObservedBy>(observed[0].detail) == ObservedBy::is_cancelled);
    CHECK(observed[0].time == 3 * k_s);
    // Cancelling an item with no pending execution is still recorded, on no task.
    const auto requests = h.events(EventKind::cancel_requested);
    REQUIRE(requests.size() == 2);
    CHECK(requests[0].task == outer_exec);
    CHECK(requests[1].task == 0);
}

TEST_CASE("a cancelled work item's notify fires at its queue slot, not at the cancel, and wait returns then") {
    // semantics: F32
    Harness h;
    TaskId y_exec = 0;
    const gcd::ItemId x = h.g.make_item(
        [&]() -> Co<void> {
            co_await h.sched.block_for(2 * k_s);
            h.say("x done");
        },
        "x");
    const gcd::ItemId y = h.marker("y");
    const gcd::ItemId notified = h.marker("notify of y");
    auto waiter = [&]() -> Co<void> {
        co_await h.g.wait(y);
        h.say("wait(y) returned");
        h.sched.finish_current(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId serial = h.g.make_queue("com.example.serial", true);
        h.g.submit(serial, x);
        y_exec = h.g.submit(serial, y);
        h.g.notify(y, h.g.global_queue(), notified);
        h.sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .creator = h.sched.current(), .name = "waiter"}, waiter());
        co_await h.sched.sleep_for(k_s, Interruptible::no);
        h.say("cancel y");
        h.g.cancel(y);
        h.sched.finish_current(Outcome::returned, {});
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"cancel y@1000", "x done@2000", "notify of y runs@2000", "wait(y) returned@2000"}));
    const Event fin = h.finished(y_exec);
    CHECK(static_cast<Outcome>(fin.detail) == Outcome::skipped);
    CHECK(fin.time == 2 * k_s);
    CHECK(h.g.is_executed(y));
    // y waited for its slot on the serial queue not started: no task_started at the submit
    // and no suspension, one task_started when its slot came at 2 s.
    CHECK(h.events(EventKind::task_suspended, y_exec).empty());
    const auto starts = h.events(EventKind::task_started, y_exec);
    REQUIRE(starts.size() == 1);
    CHECK(starts[0].time == 2 * k_s);
}

TEST_CASE("an item submitted to a busy serial queue is not started until its slot comes") {
    // semantics: F32
    Harness h;
    const gcd::ItemId a = h.g.make_item(
        [&]() -> Co<void> {
            co_await h.sched.block_for(k_s);
            h.say("a done");
        },
        "a");
    const gcd::ItemId b = h.marker("b");
    TaskId b_exec = 0;
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId serial = h.g.make_queue("q", true);
        h.g.submit(serial, a);
        b_exec = h.g.submit(serial, b);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"a done@1000", "b runs@1000"}));
    const auto starts = h.events(EventKind::task_started, b_exec);
    REQUIRE(starts.size() == 1);
    CHECK(starts[0].time == k_s);
    CHECK(h.events(EventKind::task_suspended, b_exec).empty());
}

TEST_CASE("cancelling a work item touches nothing else: items it dispatched and other items on its queue run") {
    // semantics: F33
    Harness h;
    gcd::ItemId outer = 0;
    const gcd::ItemId inner = h.marker("inner");
    const gcd::ItemId neighbour = h.marker("neighbour");
    outer = h.g.make_item(
        [&]() -> Co<void> {
            h.g.submit(h.g.global_queue(), inner);
            h.g.cancel(outer);  // cancels itself while running: nothing stops
            co_await h.sched.block_for(k_s);
            h.say("outer finishes");
        },
        "outer");
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId serial = h.g.make_queue("q", true);
        h.g.submit(serial, outer);
        h.g.submit(serial, neighbour);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"inner runs@0", "outer finishes@1000", "neighbour runs@1000"}));
    CHECK(h.events(EventKind::cancel_requested).size() == 1);
    CHECK(h.events(EventKind::cancel_observed).empty());
}

TEST_CASE("notify blocks registered after the item finished are submitted at once, and several run in registration order") {
    // semantics: F34
    Harness h;
    const gcd::ItemId a = h.marker("a");
    const gcd::ItemId n1 = h.marker("n1");
    const gcd::ItemId n2 = h.marker("n2");
    const gcd::ItemId late = h.marker("late notify");
    std::size_t tasks_before_late = 0, tasks_after_late = 0;
    bool waited_before = true, waited_after = false;
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId q = h.g.global_queue();
        h.g.notify(a, q, n1);
        h.g.notify(a, q, n2);
        h.g.submit(q, a);
        waited_before = h.g.has_been_waited(a);
        co_await h.g.wait(a);
        waited_after = h.g.has_been_waited(a);
        h.say("main after wait");
        co_await h.sched.sleep_for(k_s, Interruptible::no);
        tasks_before_late = h.sched.task_count();
        h.g.notify(a, q, late);
        tasks_after_late = h.sched.task_count();
        h.sched.finish_current(Outcome::returned, {});
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"a runs@0", "n1 runs@0", "n2 runs@0", "main after wait@0", "late notify runs@1000"}));
    CHECK(tasks_after_late == tasks_before_late + 1);  // submitted inside notify()
    CHECK_FALSE(waited_before);
    CHECK(waited_after);
}

TEST_CASE("a serial queue runs one execution at a time in submission order; the global queue runs them together") {
    Harness h;
    auto blocker = [&](std::string name) {
        return h.g.make_item(
            [&h, name]() -> Co<void> {
                h.say(name + " starts");
                co_await h.sched.block_for(k_s);
            },
            name);
    };
    const gcd::ItemId s1 = blocker("s1"), s2 = blocker("s2"), s3 = blocker("s3");
    const gcd::ItemId c1 = blocker("c1"), c2 = blocker("c2");
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId serial = h.g.make_queue("serial", true);
        const gcd::QueueId global = h.g.global_queue();
        h.g.submit(serial, s1);
        h.g.submit(serial, s2);
        h.g.submit(serial, s3);
        h.g.submit(global, c1);
        h.g.submit(global, c2);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"s1 starts@0", "c1 starts@0", "c2 starts@0", "s2 starts@1000", "s3 starts@2000"}));
}

TEST_CASE("asyncAfter starts the execution after its delay") {
    Harness h;
    const gcd::ItemId later = h.marker("later");
    TaskId exec = 0;
    auto main_body = [&]() -> Co<void> {
        exec = h.g.submit(h.g.global_queue(), later, 3 * k_s);
        h.sched.finish_current(Outcome::returned, {});
        co_return;
    };
    h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"later runs@3000"}));
    CHECK(h.trace.task(exec).kind == TaskKind::work_item);
    CHECK(h.g.item_of(exec) == later);
}

TEST_CASE("the main queue runs nothing until dispatchMain parks the main task") {
    Harness h;
    const gcd::ItemId m1 = h.marker("m1");
    const gcd::ItemId m2 = h.marker("m2");
    TaskId main = 0;
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId mq = h.g.main_queue();
        h.g.submit(mq, m1);
        h.g.submit(mq, m2);
        co_await h.sched.sleep_for(k_s, Interruptible::no);
        h.say("main calls dispatchMain");
        co_await h.g.dispatch_main();
        h.say("never");
    };
    main = h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"main calls dispatchMain@1000", "m1 runs@1000", "m2 runs@1000"}));
    CHECK(h.sched.state(main) == TaskState::suspended);
    CHECK(h.sched.wait_reason(main) == WaitReason::forever);
}

TEST_CASE("perform runs the body on the calling task and skips it when the item is cancelled, counting as executed") {
    // semantics: F32 (perform)
    Harness h;
    gcd::ItemId item = 0;
    TaskId main = 0;
    item = h.g.make_item(
        [&]() -> Co<void> {
            h.say(std::string("body on ") + (h.sched.current() == main ? "main" : "another task") + ", item_of " +
                  (h.g.item_of(h.sched.current()) == item ? "this item" : "other"));
            co_return;
        },
        "item");
    const gcd::ItemId cancelled = h.marker("cancelled");
    const gcd::ItemId notified = h.marker("notify");
    auto main_body = [&]() -> Co<void> {
        co_await h.g.perform(item);
        h.g.notify(cancelled, h.g.global_queue(), notified);
        h.g.cancel(cancelled);
        co_await h.g.perform(cancelled);
        h.say("after perform");
        h.sched.finish_current(Outcome::returned, {});
    };
    main = h.spawn_main(main_body());
    h.run();
    CHECK(h.text() == lines({"body on main, item_of this item@0", "after perform@0", "notify runs@0"}));
    CHECK(h.g.item_of(main) == 0);
    const auto skip = h.events(EventKind::cancel_observed, main);
    REQUIRE(skip.size() == 1);
    CHECK(static_cast<ObservedBy>(skip[0].detail) == ObservedBy::body_skipped);
}

TEST_CASE("mistake 9: a GCD item cancelled before it starts never runs its body, the reverse of a Swift task") {
    Trace trace;
    Scheduler sched(trace, Limits{});
    gcd::Model g(sched);
    swift::Model s(sched);
    std::vector<std::string> log;
    const gcd::ItemId item = g.make_item(
        [&]() -> Co<void> {
            log.push_back("work item body");
            co_return;
        },
        "item");
    const gcd::ItemId notified = g.make_item(
        [&]() -> Co<void> {
            log.push_back("notify at " + std::to_string(sched.now() / k_ms));
            co_return;
        },
        "notify");
    auto task_body = [&]() -> Co<void> {
        log.push_back(std::string("swift task body, cancelled ") + (s.current_is_cancelled() ? "true" : "false"));
        s.finish(Outcome::returned, {});
        co_return;
    };
    TaskId exec = 0;
    auto main_body = [&]() -> Co<void> {
        const gcd::QueueId serial = g.make_queue("serial", true);
        const gcd::ItemId busy = g.make_item([&]() -> Co<void> { co_await sched.block_for(2 * k_s); }, "busy");
        g.submit(serial, busy);
        exec = g.submit(serial, item);
        g.notify(item, g.global_queue(), notified);
        const TaskId t = s.spawn_unstructured(task_body(), "task", false);
        g.cancel(item);
        s.cancel(t, CancelCause::explicit_call, sched.current());
        co_await s.sleep(k_s, swift::SleepKind::uninterruptible);
        log.push_back("item executed after 1 s: " + std::string(g.is_executed(item) ? "yes" : "no"));
        s.finish(Outcome::returned, {});
    };
    s.spawn_main(main_body());
    while (sched.step() == StepStatus::ran) {}
    CHECK(lines(log) == lines({"swift task body, cancelled true", "item executed after 1 s: no", "notify at 2000"}));
    CHECK(g.is_cancelled(item));
    const auto fin = [&] {
        for (std::uint64_t i = 0; i < trace.size(); ++i)
            if (trace.at(i).kind == EventKind::task_finished && trace.at(i).task == exec) return trace.at(i);
        return Event{};
    }();
    CHECK(static_cast<Outcome>(fin.detail) == Outcome::skipped);
    CHECK(fin.time == 2 * k_s);
}

}  // TEST_SUITE
