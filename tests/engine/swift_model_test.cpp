// The Swift cancellation model (semantics.md §1, F1–F29, and §6), driven with native
// coroutine bodies: no interpreter. Each test logs "what@milliseconds" lines and checks the
// log, task states, virtual times and trace events.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/cancel/swift.hpp"

// Logs print as their lines when a check fails.
template <>
struct doctest::StringMaker<std::vector<std::string>> {
    static doctest::String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (const auto& s : v) out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
        return (out + "}").c_str();
    }
};

using namespace tasklab;
using swift::SleepKind;
using swift::WaitResult;

namespace {

constexpr Tick k_ms = k_millisecond;
constexpr Tick k_s = k_second;

struct Harness {
    Trace trace;
    Scheduler sched{trace, Limits{}};
    swift::Model m{sched};
    std::vector<std::string> log;

    void say(const std::string& s) { log.push_back(s + "@" + std::to_string(sched.now() / k_ms)); }
    std::string flag() { return m.current_is_cancelled() ? "cancelled" : "not cancelled"; }
    void run() {
        while (sched.step() == StepStatus::ran) {}
    }
    TaskId me() const { return sched.current(); }

    /// Events of `kind` (for `task` when non-zero), in trace order.
    std::vector<Event> events(EventKind kind, TaskId task = 0) const {
        std::vector<Event> out;
        for (std::uint64_t i = 0; i < trace.size(); ++i) {
            const Event e = trace.at(i);
            if (e.kind == kind && (task == 0 || e.task == task)) out.push_back(e);
        }
        return out;
    }
    std::size_t count(EventKind kind, TaskId task = 0) const { return events(kind, task).size(); }
    /// The cancel_requested event of `task` (it must have exactly one).
    Event cancel_of(TaskId task) const {
        const auto evs = events(EventKind::cancel_requested, task);
        REQUIRE(evs.size() == 1);
        return evs.front();
    }
    static CancelCause cause(const Event& e) { return static_cast<CancelCause>(e.detail); }
    const std::string& name(TaskId t) const { return trace.task(t).name; }

    /// Sleeps, logs "name done" or "name cancelled", finishes accordingly.
    Co<void> sleeper(std::string name, Tick d, SleepKind kind) {
        const WaitResult r = co_await m.sleep(d, kind);
        const bool cancelled = r == WaitResult::cancelled;
        say(name + (cancelled ? " cancelled" : " done"));
        m.finish(cancelled ? Outcome::cancelled : Outcome::returned, {});
    }
    /// Sleeps without observing cancellation, then throws.
    Co<void> thrower(std::string name, Tick d) {
        co_await m.sleep(d, SleepKind::uninterruptible);
        say(name + " throws");
        m.finish(Outcome::threw, "boom");
    }
    /// Logs its own flag and returns.
    Co<void> reporter(std::string name) {
        say(name + " runs, " + flag());
        m.finish(Outcome::returned, {});
        co_return;
    }
    /// A body that only finishes.
    Co<void> noop() {
        m.finish(Outcome::returned, {});
        co_return;
    }
};

}  // namespace

TEST_SUITE("swift model: task cancellation state") {

TEST_CASE("cancelling a task sets a sticky flag and interrupts nothing: blocking work runs on until the task checks") {
    // semantics: F1
    Harness h;
    TaskId worker = 0, child = 0;
    auto child_body = [&]() -> Co<void> {
        co_await h.m.block(3 * k_s);
        h.say("child sees " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    auto worker_body = [&]() -> Co<void> {
        const ScopeId sc = h.m.enter_async_let_scope("async let c");
        child = h.m.async_let(sc, child_body(), "c");
        co_await h.m.block(2 * k_s);
        h.say("worker sees " + h.flag());
        co_await h.m.exit_async_let_scope(sc);
        h.say("worker left the scope");
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        worker = h.m.spawn_unstructured(worker_body(), "worker", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(worker, CancelCause::explicit_call, h.me());
        h.say("main cancelled worker");
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"main cancelled worker@1000", "worker sees cancelled@2000",
                                            "child sees cancelled@3000", "worker left the scope@3000"});
    const Event w = h.cancel_of(worker);
    CHECK(w.time == k_s);
    CHECK(Harness::cause(w) == CancelCause::explicit_call);
    CHECK(w.related == main);
    const Event c = h.cancel_of(child);
    CHECK(c.time == k_s);  // the child is marked at once, not when it next runs
    CHECK(Harness::cause(c) == CancelCause::parent);
    CHECK(h.m.is_cancelled(worker));  // never cleared, even after the task finished
    CHECK(h.m.is_finished(worker));
}

TEST_CASE("cancel is synchronous and idempotent: handlers run innermost first, once, inside the first cancel call") {
    // semantics: F2
    Harness h;
    TaskId worker = 0;
    auto worker_body = [&]() -> Co<void> {
        const auto outer = h.m.push_handler([&] { h.say("outer handler"); });
        const auto inner = h.m.push_handler([&] { h.say("inner handler"); });
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        h.m.pop_handler(inner);
        h.m.pop_handler(outer);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        worker = h.m.spawn_unstructured(worker_body(), "worker", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.say("before cancel");
        h.m.cancel(worker, CancelCause::explicit_call, h.me());
        h.say("after first cancel");
        h.m.cancel(worker, CancelCause::explicit_call, h.me());
        h.m.cancel(worker, CancelCause::explicit_call, h.me());
        h.say("after third cancel");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"before cancel@1000", "inner handler@1000", "outer handler@1000",
                                            "after first cancel@1000", "after third cancel@1000"});
    CHECK(h.count(EventKind::cancel_requested, worker) == 1);
    CHECK(h.count(EventKind::handler_ran, worker) == 2);
}

TEST_CASE("cancelling a child never cancels its parent, its group or its siblings") {
    // semantics: F3
    Harness h;
    TaskId c1 = 0, c2 = 0;
    swift::GroupId g = 0;
    auto main_body = [&]() -> Co<void> {
        g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        c1 = h.m.add_task(g, h.sleeper("c1", 2 * k_s, SleepKind::cancellable), "c1");
        c2 = h.m.add_task(g, h.sleeper("c2", 2 * k_s, SleepKind::cancellable), "c2");
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(c1, CancelCause::explicit_call, h.me());
        h.say("main " + h.flag());
        const TaskId failed = co_await h.m.exit_group(g, false, 0);
        CHECK(failed == 0);
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"main not cancelled@1000", "c1 cancelled@1000", "c2 done@2000"});
    CHECK_FALSE(h.m.is_cancelled(main));
    CHECK_FALSE(h.m.is_cancelled(c2));
    CHECK_FALSE(h.m.group_is_cancelled(g));
    CHECK(h.count(EventKind::cancel_requested) == 1);
}

TEST_CASE("Task.isCancelled is false outside a task, and task.isCancelled is true right after cancel even before the task ran") {
    // semantics: F4
    Harness h;
    CHECK_FALSE(h.m.current_is_cancelled());  // no task is running
    TaskId t = 0;
    bool seen_before_start = false;
    TaskState state_at_cancel = TaskState::finished;
    auto reader = [&]() -> Co<void> {
        h.say("t reads " + h.flag());
        h.say("t reads " + h.flag());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(reader(), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        seen_before_start = h.m.is_cancelled(t);
        state_at_cancel = h.sched.state(t);
        co_await h.m.join(t);
        h.say("main reads " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(seen_before_start);
    CHECK(state_at_cancel == TaskState::ready);
    CHECK(h.log == std::vector<std::string>{"t reads cancelled@0", "t reads cancelled@0", "main reads not cancelled@0"});
    const auto observed = h.events(EventKind::cancel_observed, t);
    REQUIRE(observed.size() == 1);  // only the first true read is an observation
    CHECK(static_cast<ObservedBy>(observed[0].detail) == ObservedBy::is_cancelled);
    CHECK(h.count(EventKind::cancel_observed, main) == 0);
}

TEST_CASE("Task.checkCancellation throws exactly when Task.isCancelled is true") {
    // semantics: F5
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        h.say(std::string("first check ") + (h.m.check_cancellation() ? "throws" : "passes"));
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        const bool flag = h.m.is_cancelled(h.me());
        h.say(std::string("second check ") + (h.m.check_cancellation() ? "throws" : "passes") + ", flag " +
              (flag ? "true" : "false"));
        h.m.finish(Outcome::cancelled, "CancellationError()");
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"first check passes@0", "second check throws, flag true@2000"});
    const auto observed = h.events(EventKind::cancel_observed, t);
    REQUIRE(observed.size() == 1);
    CHECK(static_cast<ObservedBy>(observed[0].detail) == ObservedBy::check_cancellation);
}

TEST_CASE("a task cancelled before it starts still runs its body, from the start, seeing itself cancelled") {
    // semantics: F6
    Harness h;
    TaskId t = 0;
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(h.reporter("t"), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"t runs, cancelled@0"});
    CHECK(h.count(EventKind::task_started, t) == 1);
    CHECK(h.m.outcome(t) == Outcome::returned);
}

}  // TEST_SUITE

TEST_SUITE("swift model: sleeping") {

TEST_CASE("a throwing sleep throws at once when the task is already cancelled, even for zero seconds") {
    // semantics: F7a
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const WaitResult zero = co_await h.m.sleep(0, SleepKind::cancellable);
        h.say(std::string("sleep(0) ") + (zero == WaitResult::cancelled ? "threw" : "returned"));
        const WaitResult ten = co_await h.m.sleep(10 * k_s, SleepKind::cancellable);
        h.say(std::string("sleep(10s) ") + (ten == WaitResult::cancelled ? "threw" : "returned"));
        h.m.finish(Outcome::cancelled, "CancellationError()");
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"sleep(0) threw@0", "sleep(10s) threw@0"});
    CHECK(h.count(EventKind::task_suspended, t) == 0);  // it never waited
    CHECK(h.count(EventKind::timer_armed, t) == 0);
    CHECK(h.count(EventKind::cancel_observed, t) == 2);
    CHECK(h.sched.now() == 0);
}

TEST_CASE("a throwing sleep is woken at the cancel instant, not at its deadline") {
    // semantics: F7b
    Harness h;
    TaskId t = 0;
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(h.sleeper("t", 10 * k_s, SleepKind::cancellable), "t", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"t cancelled@1000"});
    CHECK(h.sched.now() == k_s);  // the 10 s deadline never came
    CHECK(h.count(EventKind::timer_disarmed, t) == 1);
    const auto observed = h.events(EventKind::cancel_observed, t);
    REQUIRE(observed.size() == 1);
    CHECK(static_cast<ObservedBy>(observed[0].detail) == ObservedBy::sleep);
    CHECK(h.m.outcome(t) == Outcome::cancelled);
}

TEST_CASE("the deprecated non-throwing sleep ignores cancellation and keeps its full duration") {
    // semantics: F8
    Harness h;
    TaskId t = 0;
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(h.sleeper("t", 10 * k_s, SleepKind::uninterruptible), "t", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"t done@10000"});
    CHECK(h.m.is_cancelled(t));
    CHECK(h.count(EventKind::cancel_observed, t) == 0);
}

}  // TEST_SUITE

TEST_SUITE("swift model: withTaskCancellationHandler") {

TEST_CASE("a cancellation handler never runs when the task is not cancelled during the operation, and a later cancel does not run it") {
    // semantics: F9
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("handler"); });
        h.say("operation runs");
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.pop_handler(token);
        h.say("operation returned");
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        h.say("after " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.say("main cancelled t");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"operation runs@0", "operation returned@1000", "main cancelled t@2000",
                                            "after cancelled@3000"});
    CHECK(h.count(EventKind::handler_ran) == 0);
    // The handler's operation is a scope on the timeline.
    const auto entered = h.events(EventKind::scope_entered, t);
    REQUIRE(entered.size() == 1);
    CHECK(static_cast<ScopeKind>(entered[0].detail) == ScopeKind::cancellation_handler);
    CHECK(h.count(EventKind::scope_exited, t) == 1);
}

TEST_CASE("a handler installed in an already-cancelled task runs at once, on the task, before the operation") {
    // semantics: F10
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("onCancel sees " + h.flag()); });
        h.say("operation");
        h.m.pop_handler(token);
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"onCancel sees cancelled@0", "operation@0"});
    const auto ran = h.events(EventKind::handler_ran, t);
    REQUIRE(ran.size() == 1);
    CHECK(ran[0].related == t);
}

TEST_CASE("a handler runs synchronously inside the canceller's cancel call while the operation is suspended, and the operation carries on") {
    // semantics: F11
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("handler"); });
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        h.say("operation resumes, " + h.flag());
        h.m.pop_handler(token);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.say("before cancel");
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.say("after cancel");
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"before cancel@1000", "handler@1000", "after cancel@1000",
                                            "operation resumes, cancelled@2000"});
    const auto ran = h.events(EventKind::handler_ran, t);
    REQUIRE(ran.size() == 1);
    CHECK(ran[0].related == main);
    CHECK(ran[0].time == k_s);
}

}  // TEST_SUITE

TEST_SUITE("swift model: children created after cancellation") {

TEST_CASE("a child created from a cancelled parent or in a cancelled group is born cancelled") {
    // semantics: F12
    Harness h;
    TaskId parent = 0, let_child = 0, group_child = 0, cancel_all_child = 0;
    ScopeId let_scope = 0;
    swift::GroupId g = 0, g2 = 0;
    auto parent_body = [&]() -> Co<void> {
        let_scope = h.m.enter_async_let_scope("async let a");
        let_child = h.m.async_let(let_scope, h.reporter("async let"), "a");
        g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        group_child = h.m.add_task(g, h.reporter("group child"), "c");
        co_await h.m.exit_group(g, false, 0);
        co_await h.m.exit_async_let_scope(let_scope);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        parent = h.m.spawn_unstructured(parent_body(), "parent", false);
        h.m.cancel(parent, CancelCause::explicit_call, h.me());
        // A group cancelled by cancelAll in a task that is not cancelled.
        g2 = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        h.m.cancel_all(g2);
        cancel_all_child = h.m.add_task(g2, h.reporter("late child"), "late");
        co_await h.m.exit_group(g2, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"late child runs, cancelled@0", "async let runs, cancelled@0",
                                            "group child runs, cancelled@0"});
    const Event a = h.cancel_of(let_child);
    CHECK(Harness::cause(a) == CancelCause::born_cancelled);
    CHECK(a.related == parent);
    CHECK(a.payload == let_scope);
    const Event c = h.cancel_of(group_child);
    CHECK(Harness::cause(c) == CancelCause::born_cancelled);
    CHECK(c.payload == g);
    const Event late = h.cancel_of(cancel_all_child);
    CHECK(Harness::cause(late) == CancelCause::born_cancelled);
    CHECK(late.related == main);
    CHECK_FALSE(h.m.is_cancelled(main));
}

TEST_CASE("a task group created inside an already-cancelled task starts cancelled and refuses addTaskUnlessCancelled") {
    // semantics: F13
    Harness h;
    TaskId t = 0, refused = 99;
    bool group_cancelled = false, control_cancelled = true;
    auto body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        group_cancelled = h.m.group_is_cancelled(g);
        refused = h.m.add_task_unless_cancelled(g, h.reporter("never"), "never");
        co_await h.m.exit_group(g, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        const swift::GroupId mine = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        control_cancelled = h.m.group_is_cancelled(mine);
        co_await h.m.exit_group(mine, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(group_cancelled);
    CHECK_FALSE(control_cancelled);
    CHECK(refused == 0);
    CHECK(h.log.empty());
    CHECK(h.sched.task_count() == 2);  // nothing was created
    const auto observed = h.events(EventKind::cancel_observed, t);
    REQUIRE(observed.size() == 1);
    CHECK(static_cast<ObservedBy>(observed[0].detail) == ObservedBy::add_task_refused);
}

}  // TEST_SUITE

TEST_SUITE("swift model: task groups") {

TEST_CASE("a group is cancelled by cancelAll, by the cancellation of its owner, or by an error thrown out of a throwing group's body") {
    // semantics: F14
    SUBCASE("cancelAll") {
        Harness h;
        TaskId c = 0;
        swift::GroupId g = 0;
        auto main_body = [&]() -> Co<void> {
            g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
            c = h.m.add_task(g, h.sleeper("c", 5 * k_s, SleepKind::cancellable), "c");
            h.m.cancel_all(g);
            co_await h.m.exit_group(g, false, 0);
            h.m.finish(Outcome::returned, {});
        };
        h.m.spawn_main(main_body());
        h.run();
        CHECK(h.m.group_is_cancelled(g));
        CHECK(Harness::cause(h.cancel_of(c)) == CancelCause::group_cancel_all);
        CHECK(h.log == std::vector<std::string>{"c cancelled@0"});
    }
    SUBCASE("the owner is cancelled") {
        Harness h;
        TaskId owner = 0, c = 0;
        swift::GroupId g = 0;
        auto owner_body = [&]() -> Co<void> {
            g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
            c = h.m.add_task(g, h.sleeper("c", 5 * k_s, SleepKind::cancellable), "c");
            co_await h.m.exit_group(g, false, 0);
            h.say("owner left the group");
            h.m.finish(Outcome::returned, {});
        };
        auto main_body = [&]() -> Co<void> {
            owner = h.m.spawn_unstructured(owner_body(), "owner", false);
            co_await h.m.sleep(k_s, SleepKind::uninterruptible);
            h.m.cancel(owner, CancelCause::explicit_call, h.me());
            h.m.finish(Outcome::returned, {});
        };
        h.m.spawn_main(main_body());
        h.run();
        CHECK(h.m.group_is_cancelled(g));
        const Event e = h.cancel_of(c);
        CHECK(Harness::cause(e) == CancelCause::group);
        CHECK(e.payload == g);
        CHECK(h.log == std::vector<std::string>{"c cancelled@1000", "owner left the group@1000"});
    }
    SUBCASE("an error leaves the body") {
        Harness h;
        TaskId failing = 0, sibling = 0;
        swift::GroupId g = 0;
        auto main_body = [&]() -> Co<void> {
            g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
            failing = h.m.add_task(g, h.thrower("failing", k_s), "failing");
            sibling = h.m.add_task(g, h.sleeper("sibling", 5 * k_s, SleepKind::cancellable), "sibling");
            const TaskId first = co_await h.m.next(g);  // `for try await` receives the error …
            CHECK(first == failing);
            CHECK_FALSE(h.m.group_is_cancelled(g));
            co_await h.m.exit_group(g, true, first);  // … and rethrows it out of the body
            h.say("error leaves the group");
            h.m.finish(Outcome::threw, "boom");
        };
        const TaskId main = h.m.spawn_main(main_body());
        h.run();
        CHECK(h.m.group_is_cancelled(g));
        CHECK_FALSE(h.m.is_cancelled(main));
        const Event e = h.cancel_of(sibling);
        CHECK(Harness::cause(e) == CancelCause::child_error);
        CHECK(e.related == failing);
        CHECK(h.log == std::vector<std::string>{"failing throws@1000", "sibling cancelled@1000",
                                                "error leaves the group@1000"});
    }
}

TEST_CASE("cancelAll does not cancel the task that owns the group nor fire its handlers, and may be called from inside a child") {
    // semantics: F15
    Harness h;
    TaskId c = 0, x = 0, y = 0;
    swift::GroupId g = 0, g2 = 0;
    auto canceller = [&]() -> Co<void> {
        h.m.cancel_all(g2);
        h.say("y called cancelAll, y is " + h.flag());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    auto main_body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("owner handler"); });
        g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        c = h.m.add_task(g, h.sleeper("c", 5 * k_s, SleepKind::cancellable), "c");
        h.m.cancel_all(g);
        h.say("owner is " + h.flag() + ", group is " + (h.m.group_is_cancelled(g) ? "cancelled" : "not cancelled"));
        co_await h.m.exit_group(g, false, 0);
        g2 = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        x = h.m.add_task(g2, h.sleeper("x", 5 * k_s, SleepKind::cancellable), "x");
        y = h.m.add_task(g2, canceller(), "y");
        co_await h.m.exit_group(g2, false, 0);
        h.m.pop_handler(token);
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"owner is not cancelled, group is cancelled@0", "c cancelled@0",
                                            "y called cancelAll, y is cancelled@0", "x cancelled@0"});
    CHECK_FALSE(h.m.is_cancelled(main));
    CHECK(h.count(EventKind::handler_ran) == 0);
    const Event ex = h.cancel_of(x);
    CHECK(Harness::cause(ex) == CancelCause::group_cancel_all);
    CHECK(ex.related == y);
}

TEST_CASE("cancelAll on one group does not affect a sibling group in another async let child of the same parent") {
    // semantics: F16
    Harness h;
    TaskId ca = 0, cb = 0;
    swift::GroupId ga = 0, gb = 0;
    auto a_body = [&]() -> Co<void> {
        ga = h.m.enter_group(ScopeKind::task_group, "group A");
        ca = h.m.add_task(ga, h.sleeper("ca", 2 * k_s, SleepKind::cancellable), "ca");
        h.m.cancel_all(ga);
        co_await h.m.exit_group(ga, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    auto b_body = [&]() -> Co<void> {
        gb = h.m.enter_group(ScopeKind::task_group, "group B");
        cb = h.m.add_task(gb, h.sleeper("cb", 2 * k_s, SleepKind::cancellable), "cb");
        co_await h.m.exit_group(gb, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        const ScopeId sc = h.m.enter_async_let_scope("async let a, b");
        const TaskId a = h.m.async_let(sc, a_body(), "a");
        const TaskId b = h.m.async_let(sc, b_body(), "b");
        co_await h.m.await_async_let(a);
        co_await h.m.await_async_let(b);
        co_await h.m.exit_async_let_scope(sc);
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"ca cancelled@0", "cb done@2000"});
    CHECK(h.m.group_is_cancelled(ga));
    CHECK_FALSE(h.m.group_is_cancelled(gb));
    CHECK_FALSE(h.m.is_cancelled(cb));
    CHECK(h.count(EventKind::cancel_requested) == 1);
}

TEST_CASE("addTask on a cancelled group still creates and runs a born-cancelled child, while addTaskUnlessCancelled creates nothing") {
    // semantics: F17
    Harness h;
    TaskId added = 0, refused = 99;
    std::size_t tasks_before = 0, tasks_after = 0;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        h.m.cancel_all(g);
        added = h.m.add_task(g, h.reporter("child"), "child");
        tasks_before = h.sched.task_count();
        refused = h.m.add_task_unless_cancelled(g, h.reporter("refused"), "refused");
        tasks_after = h.sched.task_count();
        co_await h.m.exit_group(g, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(added != 0);
    CHECK(refused == 0);
    CHECK(tasks_after == tasks_before);
    CHECK(h.log == std::vector<std::string>{"child runs, cancelled@0"});
    CHECK(Harness::cause(h.cancel_of(added)) == CancelCause::born_cancelled);
    const auto refusals = h.events(EventKind::cancel_observed, main);
    REQUIRE(refusals.size() == 1);
    CHECK(static_cast<ObservedBy>(refusals[0].detail) == ObservedBy::add_task_refused);
}

TEST_CASE("next returns children in completion order, a cancelled group still delivers results, and an empty group answers nil at once") {
    // semantics: F18
    Harness h;
    std::vector<std::string> order;
    TaskId main = 0;
    std::size_t suspensions_before_empty_next = 0;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        h.m.add_task(g, h.sleeper("c1", 3 * k_s, SleepKind::uninterruptible), "c1");
        h.m.add_task(g, h.sleeper("c2", 1 * k_s, SleepKind::uninterruptible), "c2");
        h.m.add_task(g, h.sleeper("c3", 2 * k_s, SleepKind::uninterruptible), "c3");
        h.m.cancel_all(g);  // the children ignore it and return normally
        for (;;) {
            const TaskId c = co_await h.m.next(g);
            if (c == 0) break;
            order.push_back(h.name(c) + " " + std::string(outcome_name(h.m.outcome(c))) + "@" +
                            std::to_string(h.sched.now() / k_ms));
        }
        suspensions_before_empty_next = h.count(EventKind::task_suspended, main);
        const TaskId none = co_await h.m.next(g);
        CHECK(none == 0);
        CHECK(h.m.group_is_empty(g));
        co_await h.m.exit_group(g, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    main = h.m.spawn_main(main_body());
    h.run();
    CHECK(order == std::vector<std::string>{"c2 returned@1000", "c3 returned@2000", "c1 returned@3000"});
    CHECK(h.count(EventKind::task_suspended, main) == suspensions_before_empty_next);
    CHECK(h.count(EventKind::error_delivered) == 0);
}

TEST_CASE("when a group body returns normally the remaining children are awaited, not cancelled, and their errors vanish") {
    // semantics: F19
    Harness h;
    TaskId c1 = 0, c2 = 0, failed = 99;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        c1 = h.m.add_task(g, h.sleeper("c1", 1 * k_s, SleepKind::cancellable), "c1");
        c2 = h.m.add_task(g, h.thrower("c2", 2 * k_s), "c2");
        failed = co_await h.m.exit_group(g, false, 0);
        h.say("group returned");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"c1 done@1000", "c2 throws@2000", "group returned@2000"});
    CHECK(failed == 0);
    CHECK(h.count(EventKind::cancel_requested) == 0);
    CHECK(h.count(EventKind::error_delivered) == 0);
    CHECK(h.m.outcome(c1) == Outcome::returned);
    CHECK(h.m.outcome(c2) == Outcome::threw);
}

TEST_CASE("when a throwing group's body throws, the group is cancelled and every child awaited before the error leaves") {
    // semantics: F20
    Harness h;
    TaskId main = 0, c1 = 0, c2 = 0;
    swift::GroupId g = 0;
    auto main_body = [&]() -> Co<void> {
        g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        c1 = h.m.add_task(g, h.sleeper("c1", 5 * k_s, SleepKind::cancellable), "c1");
        c2 = h.m.add_task(g, h.sleeper("c2", 2 * k_s, SleepKind::uninterruptible), "c2");
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.say("body throws");
        co_await h.m.exit_group(g, true, 0);
        h.say("error leaves the group");
        h.m.finish(Outcome::threw, "boom");
    };
    main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"body throws@1000", "c1 cancelled@1000", "c2 done@2000",
                                            "error leaves the group@2000"});
    CHECK(h.m.group_is_cancelled(g));
    CHECK_FALSE(h.m.is_cancelled(main));
    const Event e1 = h.cancel_of(c1);
    CHECK(Harness::cause(e1) == CancelCause::group);
    CHECK(e1.related == main);
    CHECK(e1.payload == g);
    CHECK(h.m.is_cancelled(c2));
    // The group's scope closes only after the last child finished.
    const auto exited = h.events(EventKind::scope_exited, main);
    REQUIRE(exited.size() == 1);
    CHECK(exited[0].time == 2 * k_s);
    CHECK(exited[0].related == g);
}

TEST_CASE("a child error consumed through next does not cancel the group, and waitForAll rethrows the first error without cancelling") {
    // semantics: F21
    Harness h;
    TaskId main = 0, thrower = 0, slow = 0, late = 0, first = 0, d1 = 0;
    bool cancelled_after_catch = true;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        thrower = h.m.add_task(g, h.thrower("thrower", k_s), "thrower");
        slow = h.m.add_task(g, h.sleeper("slow", 3 * k_s, SleepKind::cancellable), "slow");
        first = co_await h.m.next(g);  // do { try await group.next() } catch { … }
        cancelled_after_catch = h.m.group_is_cancelled(g);
        late = h.m.add_task(g, h.reporter("late"), "late");
        co_await h.m.exit_group(g, false, 0);
        const swift::GroupId g2 = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        d1 = h.m.add_task(g2, h.thrower("d1", 1 * k_s), "d1");
        h.m.add_task(g2, h.thrower("d2", 2 * k_s), "d2");
        h.m.add_task(g2, h.sleeper("d3", 3 * k_s, SleepKind::cancellable), "d3");
        const TaskId rethrown = co_await h.m.wait_for_all(g2);
        CHECK(rethrown == d1);
        CHECK_FALSE(h.m.group_is_cancelled(g2));
        h.say("waitForAll threw " + h.name(rethrown));
        co_await h.m.exit_group(g2, true, rethrown);
        h.m.finish(Outcome::threw, "boom");
    };
    main = h.m.spawn_main(main_body());
    h.run();
    CHECK(first == thrower);
    CHECK_FALSE(cancelled_after_catch);
    CHECK_FALSE(h.m.is_cancelled(late));
    CHECK_FALSE(h.m.is_cancelled(slow));
    CHECK(h.log == std::vector<std::string>{"thrower throws@1000", "late runs, not cancelled@1000", "slow done@3000",
                                            "d1 throws@4000", "d2 throws@5000", "d3 done@6000",
                                            "waitForAll threw d1@6000"});
    CHECK(h.count(EventKind::cancel_requested) == 0);
    const auto delivered = h.events(EventKind::error_delivered, main);
    REQUIRE(delivered.size() == 2);
    CHECK(delivered[0].related == thrower);
    CHECK(delivered[1].related == d1);
}

TEST_CASE("a throwing discarding group cancels every child when one throws and keeps the first error, without cancelling the body's task") {
    // semantics: F22
    SUBCASE("the body returns: the first child error is thrown at the end") {
        Harness h;
        TaskId main = 0, a = 0, b = 0, c = 0, failed = 0;
        auto main_body = [&]() -> Co<void> {
            const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_discarding_group, "withThrowingDiscardingTaskGroup");
            a = h.m.add_task(g, h.thrower("a", 1 * k_s), "a");
            b = h.m.add_task(g, h.sleeper("b", 5 * k_s, SleepKind::cancellable), "b");
            c = h.m.add_task(g, h.thrower("c", 2 * k_s), "c");
            const WaitResult r = co_await h.m.sleep(3 * k_s, SleepKind::cancellable);
            h.say(std::string("body sleep ") + (r == WaitResult::ok ? "completed" : "threw"));
            failed = co_await h.m.exit_group(g, false, 0);
            h.say("group throws " + h.name(failed));
            h.m.finish(Outcome::threw, "boom");
        };
        main = h.m.spawn_main(main_body());
        h.run();
        CHECK(h.log == std::vector<std::string>{"a throws@1000", "b cancelled@1000", "c throws@2000",
                                                "body sleep completed@3000", "group throws a@3000"});
        CHECK(failed == a);
        CHECK_FALSE(h.m.is_cancelled(main));
        const Event eb = h.cancel_of(b);
        CHECK(Harness::cause(eb) == CancelCause::child_error);
        CHECK(eb.related == a);
        CHECK(eb.time == k_s);
        CHECK(Harness::cause(h.cancel_of(c)) == CancelCause::child_error);
        const auto delivered = h.events(EventKind::error_delivered, main);
        REQUIRE(delivered.size() == 1);
        CHECK(delivered[0].related == a);
    }
    SUBCASE("the body throws: its own error wins") {
        Harness h;
        TaskId main = 0, a = 0, failed = 0;
        auto main_body = [&]() -> Co<void> {
            const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_discarding_group, "withThrowingDiscardingTaskGroup");
            a = h.m.add_task(g, h.thrower("a", 1 * k_s), "a");
            co_await h.m.sleep(2 * k_s, SleepKind::cancellable);
            failed = co_await h.m.exit_group(g, true, 0);
            h.m.finish(Outcome::threw, "body error");
        };
        main = h.m.spawn_main(main_body());
        h.run();
        CHECK(failed == a);  // reported, but not delivered as the group's error
        CHECK(h.count(EventKind::error_delivered) == 0);
        CHECK_FALSE(h.m.is_cancelled(main));
    }
}

}  // TEST_SUITE

TEST_SUITE("swift model: async let") {

TEST_CASE("an async let child starts when declared, is born cancelled in a cancelled parent, and is reached by a later parent cancel") {
    // semantics: F23
    Harness h;
    TaskId p = 0, q = 0, a = 0, qa = 0;
    auto child = [&]() -> Co<void> {
        h.say("child starts");
        const WaitResult r = co_await h.m.sleep(5 * k_s, SleepKind::cancellable);
        h.say(std::string("child ") + (r == WaitResult::cancelled ? "cancelled" : "done"));
        h.m.finish(r == WaitResult::cancelled ? Outcome::cancelled : Outcome::returned, {});
    };
    auto parent_body = [&](TaskId* out) -> Co<void> {
        const ScopeId sc = h.m.enter_async_let_scope("async let x");
        *out = h.m.async_let(sc, child(), "x");
        h.say("declared");
        co_await h.m.await_async_let(*out);
        co_await h.m.exit_async_let_scope(sc);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        p = h.m.spawn_unstructured(parent_body(&a), "p", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.say("main cancels p");
        h.m.cancel(p, CancelCause::explicit_call, h.me());
        co_await h.m.join(p);
        q = h.m.spawn_unstructured(parent_body(&qa), "q", false);
        h.m.cancel(q, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"declared@0", "child starts@0", "main cancels p@1000",
                                            "child cancelled@1000", "declared@1000", "child starts@1000",
                                            "child cancelled@1000"});
    CHECK(h.m.parent(a) == p);
    const Event e = h.cancel_of(a);
    CHECK(Harness::cause(e) == CancelCause::parent);
    CHECK(e.related == main);
    CHECK(e.payload == h.m.scope_of(a));
    CHECK(Harness::cause(h.cancel_of(qa)) == CancelCause::born_cancelled);
}

TEST_CASE("an async let that was never awaited is cancelled and awaited at scope exit; an awaited one is not cancelled") {
    // semantics: F24
    Harness h;
    TaskId a = 0, b = 0;
    ScopeId sc = 0;
    auto main_body = [&]() -> Co<void> {
        sc = h.m.enter_async_let_scope("async let a, b");
        a = h.m.async_let(sc, h.sleeper("a", 1 * k_s, SleepKind::cancellable), "a");
        b = h.m.async_let(sc, h.sleeper("b", 10 * k_s, SleepKind::cancellable), "b");
        co_await h.m.await_async_let(a);
        co_await h.m.exit_async_let_scope(sc);
        h.say("scope exited");
        h.m.finish(Outcome::returned, {});
    };
    const TaskId main = h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"a done@1000", "b cancelled@1000", "scope exited@1000"});
    CHECK_FALSE(h.m.is_cancelled(a));
    const Event e = h.cancel_of(b);
    CHECK(Harness::cause(e) == CancelCause::scope_exit);
    CHECK(e.related == main);
    CHECK(h.m.outcome(b) == Outcome::cancelled);  // its error is discarded: the scope exits normally
    const auto exited = h.events(EventKind::scope_exited, main);
    REQUIRE(exited.size() == 1);
    CHECK(exited[0].related == sc);
    CHECK(static_cast<ScopeKind>(exited[0].detail) == ScopeKind::async_let);
}

TEST_CASE("async let bindings are cancelled one at a time in reverse order at scope exit") {
    // semantics: F25
    Harness h;
    TaskId a = 0, b = 0;
    auto ignoring = [&](std::string name, Tick d) -> Co<void> {
        co_await h.m.sleep(d, SleepKind::uninterruptible);
        h.say(name + " finishes, " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        const ScopeId sc = h.m.enter_async_let_scope("async let a, b");
        a = h.m.async_let(sc, ignoring("a", 5 * k_s), "a");
        b = h.m.async_let(sc, ignoring("b", 3 * k_s), "b");
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        co_await h.m.exit_async_let_scope(sc);
        h.say("scope exited");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    // b is cancelled first; a is cancelled only once b has finished.
    CHECK(h.cancel_of(b).time == 1 * k_s);
    CHECK(h.cancel_of(a).time == 3 * k_s);
    CHECK(h.log == std::vector<std::string>{"b finishes, cancelled@3000", "a finishes, cancelled@5000", "scope exited@5000"});
}

}  // TEST_SUITE

TEST_SUITE("swift model: unstructured tasks") {

TEST_CASE("Task {} and Task.detached {} are neither born cancelled nor cancelled with their creator") {
    // semantics: F26
    Harness h;
    TaskId p = 0, early = 0, later = 0, detached = 0;
    auto p_body = [&]() -> Co<void> {
        early = h.m.spawn_unstructured(h.sleeper("early", 2 * k_s, SleepKind::cancellable), "early", false);
        co_await h.m.sleep(5 * k_s, SleepKind::cancellable);
        later = h.m.spawn_unstructured(h.reporter("Task {}"), "later", false);
        detached = h.m.spawn_unstructured(h.reporter("Task.detached {}"), "detached", true);
        h.m.finish(Outcome::cancelled, {});
    };
    auto main_body = [&]() -> Co<void> {
        p = h.m.spawn_unstructured(p_body(), "p", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(p, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"Task {} runs, not cancelled@1000", "Task.detached {} runs, not cancelled@1000",
                                            "early done@2000"});
    CHECK(h.m.parent(early) == 0);
    CHECK(h.trace.task(later).kind == TaskKind::unstructured);
    CHECK(h.trace.task(detached).kind == TaskKind::detached);
    CHECK(h.trace.task(later).creator == p);
    CHECK(h.count(EventKind::cancel_requested) == 1);
}

TEST_CASE("awaiting a task's value does not forward the awaiter's cancellation to it") {
    // semantics: F27
    Harness h;
    TaskId a = 0, b = 0;
    auto a_body = [&]() -> Co<void> {
        co_await h.m.join(b);
        h.say("a got the value, " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        b = h.m.spawn_unstructured(h.sleeper("b", 3 * k_s, SleepKind::cancellable), "b", false);
        a = h.m.spawn_unstructured(a_body(), "a", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(a, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"b done@3000", "a got the value, cancelled@3000"});
    CHECK_FALSE(h.m.is_cancelled(b));
}

TEST_CASE("a task's value is whatever it produced: a task ignoring its cancel returns normally, a cancelled sleep's error is rethrown") {
    // semantics: F28
    Harness h;
    TaskId b = 0, c = 0;
    std::vector<std::string> seen;
    auto main_body = [&]() -> Co<void> {
        b = h.m.spawn_unstructured(h.sleeper("b", 2 * k_s, SleepKind::uninterruptible), "b", false);
        c = h.m.spawn_unstructured(h.sleeper("c", 5 * k_s, SleepKind::cancellable), "c", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(b, CancelCause::explicit_call, h.me());
        h.m.cancel(c, CancelCause::explicit_call, h.me());
        co_await h.m.join(c);
        seen.push_back("c " + std::string(outcome_name(h.m.outcome(c))) + "@" + std::to_string(h.sched.now() / k_ms));
        co_await h.m.join(b);
        seen.push_back("b " + std::string(outcome_name(h.m.outcome(b))) + "@" + std::to_string(h.sched.now() / k_ms));
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(seen == std::vector<std::string>{"c cancelled@1000", "b returned@2000"});
}

TEST_CASE("tasks of one priority run in FIFO order and cancelling a task does not move it in the run queue") {
    // semantics: F29
    Harness h;
    auto main_body = [&]() -> Co<void> {
        h.m.spawn_unstructured(h.reporter("a"), "a", false);
        const TaskId b = h.m.spawn_unstructured(h.reporter("b"), "b", false);
        h.m.spawn_unstructured(h.reporter("c"), "c", false);
        h.m.cancel(b, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"a runs, not cancelled@0", "b runs, cancelled@0", "c runs, not cancelled@0"});
}

}  // TEST_SUITE

TEST_SUITE("swift model: the order of a cancellation walk") {

TEST_CASE("cancelling a task reaches its records innermost first and a group's children in addTask order") {
    // semantics: F2 (records innermost first), TaskGroup children in attach order
    Harness h;
    TaskId p = 0, a1 = 0, c1 = 0, c2 = 0;
    auto p_body = [&]() -> Co<void> {
        const auto h1 = h.m.push_handler([&] { h.say("h1"); });
        const ScopeId sc = h.m.enter_async_let_scope("async let a1");
        a1 = h.m.async_let(sc, h.sleeper("a1", 5 * k_s, SleepKind::cancellable), "a1");
        const auto h2 = h.m.push_handler([&] { h.say("h2"); });
        const swift::GroupId g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        c1 = h.m.add_task(g, h.sleeper("c1", 5 * k_s, SleepKind::cancellable), "c1");
        c2 = h.m.add_task(g, h.sleeper("c2", 5 * k_s, SleepKind::cancellable), "c2");
        co_await h.m.exit_group(g, false, 0);
        h.m.pop_handler(h2);
        co_await h.m.exit_async_let_scope(sc);
        h.m.pop_handler(h1);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        p = h.m.spawn_unstructured(p_body(), "p", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(p, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    std::vector<std::string> walk;
    for (std::uint64_t i = 0; i < h.trace.size(); ++i) {
        const Event e = h.trace.at(i);
        if (e.kind == EventKind::cancel_requested) walk.push_back("cancel " + h.name(e.task));
        if (e.kind == EventKind::handler_ran) walk.push_back("handler of " + h.name(e.task));
    }
    CHECK(walk == std::vector<std::string>{"cancel p", "cancel c1", "cancel c2", "handler of p", "cancel a1",
                                           "handler of p"});
    // The group children and the async let were woken in the walk's order.
    CHECK(h.log == std::vector<std::string>{"h2@1000", "h1@1000", "c1 cancelled@1000", "c2 cancelled@1000",
                                            "a1 cancelled@1000"});
}

}  // TEST_SUITE

TEST_SUITE("swift model: common simulator mistakes (semantics §6)") {

TEST_CASE("mistake 1: only the throwing sleep is cancellable; it throws for 0 s when cancelled and wakes at the cancel instant") {
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const WaitResult hard = co_await h.m.sleep(3 * k_s, SleepKind::uninterruptible);
        h.say(std::string("deprecated sleep ") + (hard == WaitResult::ok ? "completed" : "threw"));
        const WaitResult zero = co_await h.m.sleep(0, SleepKind::cancellable);
        h.say(std::string("sleep(0) ") + (zero == WaitResult::cancelled ? "threw" : "completed"));
        h.m.finish(Outcome::cancelled, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        const TaskId u = h.m.spawn_unstructured(h.sleeper("u", 9 * k_s, SleepKind::cancellable), "u", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.cancel(u, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"u cancelled@1000", "deprecated sleep completed@3000", "sleep(0) threw@3000"});
}

TEST_CASE("mistake 2: a task group's normal return awaits its children while an async let scope exit cancels them") {
    Harness h;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        h.m.add_task(g, h.sleeper("group child", 2 * k_s, SleepKind::cancellable), "group child");
        co_await h.m.exit_group(g, false, 0);
        const ScopeId sc = h.m.enter_async_let_scope("async let x");
        h.m.async_let(sc, h.sleeper("async let child", 2 * k_s, SleepKind::cancellable), "async let child");
        co_await h.m.exit_async_let_scope(sc);
        h.say("done");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"group child done@2000", "async let child cancelled@2000", "done@2000"});
}

TEST_CASE("mistake 3: next throwing does not cancel a throwing group, while a discarding group auto-cancels but not the body's task") {
    Harness h;
    TaskId main = 0, sibling = 0, discard_sibling = 0;
    bool group_cancelled = true, discarding_cancelled = false, body_cancelled = true;
    auto main_body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        h.m.add_task(g, h.thrower("thrower", k_s), "thrower");
        sibling = h.m.add_task(g, h.sleeper("sibling", 2 * k_s, SleepKind::cancellable), "sibling");
        const TaskId failed = co_await h.m.next(g);  // caught inside the body
        group_cancelled = h.m.group_is_cancelled(g);
        co_await h.m.exit_group(g, false, 0);
        const swift::GroupId d = h.m.enter_group(ScopeKind::throwing_discarding_group, "withThrowingDiscardingTaskGroup");
        h.m.add_task(d, h.thrower("discard thrower", k_s), "discard thrower");
        discard_sibling = h.m.add_task(d, h.sleeper("discard sibling", 5 * k_s, SleepKind::cancellable), "discard sibling");
        co_await h.m.sleep(2 * k_s, SleepKind::cancellable);
        discarding_cancelled = h.m.group_is_cancelled(d);
        body_cancelled = h.m.current_is_cancelled();
        co_await h.m.exit_group(d, false, 0);
        h.m.finish(failed != 0 ? Outcome::threw : Outcome::returned, {});
    };
    main = h.m.spawn_main(main_body());
    h.run();
    CHECK_FALSE(group_cancelled);
    CHECK_FALSE(h.m.is_cancelled(sibling));
    CHECK(discarding_cancelled);
    CHECK(h.m.is_cancelled(discard_sibling));
    CHECK_FALSE(body_cancelled);
    CHECK_FALSE(h.m.is_cancelled(main));
    CHECK(h.log == std::vector<std::string>{"thrower throws@1000", "sibling done@2000", "discard thrower throws@3000",
                                            "discard sibling cancelled@3000"});
}

TEST_CASE("mistake 4: cancelAll neither cancels the owning task nor fires the owner's handlers") {
    Harness h;
    TaskId owner = 0, child = 0;
    auto owner_body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("owner handler"); });
        const swift::GroupId g = h.m.enter_group(ScopeKind::throwing_task_group, "withThrowingTaskGroup");
        child = h.m.add_task(g, h.sleeper("child", 5 * k_s, SleepKind::cancellable), "child");
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel_all(g);
        h.say("owner " + h.flag());
        co_await h.m.exit_group(g, false, 0);
        h.m.pop_handler(token);
        h.m.finish(Outcome::returned, {});
    };
    owner = h.m.spawn_main(owner_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"owner not cancelled@1000", "child cancelled@1000"});
    CHECK_FALSE(h.m.is_cancelled(owner));
    CHECK(h.count(EventKind::handler_ran) == 0);
    CHECK(h.count(EventKind::cancel_requested, owner) == 0);
}

TEST_CASE("mistake 5: addTask on a cancelled group runs a born-cancelled child and a group made in a cancelled task starts cancelled") {
    Harness h;
    TaskId t = 0, child = 0, refused = 99;
    auto body = [&]() -> Co<void> {
        const swift::GroupId g = h.m.enter_group(ScopeKind::task_group, "withTaskGroup");
        child = h.m.add_task(g, h.reporter("child"), "child");
        refused = h.m.add_task_unless_cancelled(g, h.reporter("refused"), "refused");
        co_await h.m.exit_group(g, false, 0);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
        co_return;
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(child != 0);
    CHECK(refused == 0);
    CHECK(h.log == std::vector<std::string>{"child runs, cancelled@0"});
}

TEST_CASE("mistake 6: a handler runs inside cancel, at most once, and not after its operation ended") {
    Harness h;
    TaskId t = 0;
    auto body = [&]() -> Co<void> {
        const auto token = h.m.push_handler([&] { h.say("handler"); });
        co_await h.m.sleep(2 * k_s, SleepKind::uninterruptible);
        h.m.pop_handler(token);
        const auto second = h.m.push_handler([&] { h.say("second handler"); });  // already cancelled: at once
        h.m.pop_handler(second);
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        t = h.m.spawn_unstructured(body(), "t", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.say("cancel returned");
        h.m.cancel(t, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"handler@1000", "cancel returned@1000", "second handler@2000"});
}

TEST_CASE("mistake 7: Task {} does not inherit cancellation and awaiting its value does not forward it") {
    Harness h;
    TaskId inner = 0;
    auto outer_body = [&]() -> Co<void> {
        inner = h.m.spawn_unstructured(h.sleeper("inner", 2 * k_s, SleepKind::cancellable), "inner", false);
        co_await h.m.join(inner);
        h.say("outer got inner's value, " + h.flag());
        h.m.finish(Outcome::returned, {});
    };
    auto main_body = [&]() -> Co<void> {
        const TaskId outer = h.m.spawn_unstructured(outer_body(), "outer", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(outer, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"inner done@2000", "outer got inner's value, cancelled@2000"});
    CHECK_FALSE(h.m.is_cancelled(inner));
}

TEST_CASE("mistake 8: implicit async let teardown is per binding, last declared first, and sequential") {
    Harness h;
    auto slow = [&](std::string name, Tick cleanup) -> Co<void> {
        const WaitResult r = co_await h.m.sleep(100 * k_s, SleepKind::cancellable);
        co_await h.m.sleep(cleanup, SleepKind::uninterruptible);  // cleanup after the cancel
        h.say(name + (r == WaitResult::cancelled ? " cleaned up" : " done"));
        h.m.finish(Outcome::cancelled, {});
    };
    auto main_body = [&]() -> Co<void> {
        const ScopeId sc = h.m.enter_async_let_scope("async let a, b, c");
        h.m.async_let(sc, slow("a", k_s), "a");
        h.m.async_let(sc, slow("b", k_s), "b");
        h.m.async_let(sc, slow("c", k_s), "c");
        co_await h.m.exit_async_let_scope(sc);
        h.say("scope exited");
        h.m.finish(Outcome::returned, {});
    };
    h.m.spawn_main(main_body());
    h.run();
    CHECK(h.log == std::vector<std::string>{"c cleaned up@1000", "b cleaned up@2000", "a cleaned up@3000", "scope exited@3000"});
    std::vector<std::string> order;
    for (std::uint64_t i = 0; i < h.trace.size(); ++i) {
        const Event e = h.trace.at(i);
        if (e.kind == EventKind::cancel_requested) order.push_back("cancel " + h.name(e.task));
        if (e.kind == EventKind::task_finished && e.task != 1) order.push_back("finish " + h.name(e.task));
    }
    CHECK(order == std::vector<std::string>{"cancel c", "finish c", "cancel b", "finish b", "cancel a", "finish a"});
}

}  // TEST_SUITE

namespace {
/// Builders for the deep-tree tests (recursive bodies need named functions).
struct Deep {
    Harness h;
    std::vector<TaskId> nodes;

    Co<void> chain(int depth, int max_depth) {
        nodes.push_back(h.me());
        ScopeId sc = 0;
        if (depth < max_depth) {
            sc = h.m.enter_async_let_scope("async let");
            h.m.async_let(sc, chain(depth + 1, max_depth), "level " + std::to_string(depth + 1));
        }
        const WaitResult r = co_await h.m.sleep(100 * k_s, SleepKind::cancellable);
        if (sc != 0) co_await h.m.exit_async_let_scope(sc);
        h.m.finish(r == WaitResult::cancelled ? Outcome::cancelled : Outcome::returned, {});
    }
    Co<void> tree(int depth, int max_depth, int fan_out) {
        nodes.push_back(h.me());
        swift::GroupId g = 0;
        if (depth < max_depth) {
            g = h.m.enter_group(ScopeKind::throwing_task_group, "group");
            for (int i = 0; i < fan_out; ++i) h.m.add_task(g, tree(depth + 1, max_depth, fan_out), "node");
        }
        const WaitResult r = co_await h.m.sleep(100 * k_s, SleepKind::cancellable);
        if (g != 0) co_await h.m.exit_group(g, false, 0);
        h.m.finish(r == WaitResult::cancelled ? Outcome::cancelled : Outcome::returned, {});
    }
    Co<void> main_body(Co<void> root_body) {
        const TaskId root = h.m.spawn_unstructured(std::move(root_body), "root", false);
        co_await h.m.sleep(k_s, SleepKind::uninterruptible);
        h.m.cancel(root, CancelCause::explicit_call, h.me());
        h.m.finish(Outcome::returned, {});
    }
    void check_all_cancelled(std::size_t expected) {
        CHECK(nodes.size() == expected);
        // One pass over the trace: how many cancel_requested events each task got, and when.
        std::vector<int> requests(h.sched.task_count() + 1, 0);
        std::vector<Tick> when(h.sched.task_count() + 1, -1);
        for (std::uint64_t i = 0; i < h.trace.size(); ++i) {
            const Event e = h.trace.at(i);
            if (e.kind != EventKind::cancel_requested) continue;
            ++requests[e.task];
            when[e.task] = e.time;
        }
        std::size_t cancelled = 0, cancelled_at_once = 0;
        for (const TaskId t : nodes) {
            if (h.m.is_cancelled(t) && h.m.outcome(t) == Outcome::cancelled) ++cancelled;
            if (requests[t] == 1 && when[t] == k_s) ++cancelled_at_once;
        }
        CHECK(cancelled == expected);
        CHECK(cancelled_at_once == expected);
        CHECK(h.sched.now() == k_s);
    }
};
}  // namespace

TEST_CASE("cancelling the root of a 1,000-deep async let chain marks every task cancelled without deep recursion") {
    Deep d;
    d.h.m.spawn_main(d.main_body(d.chain(1, 1000)));
    d.h.run();
    d.check_all_cancelled(1000);
}

TEST_CASE("cancelling the root of a 10x10x10x10 task group tree marks every task cancelled") {
    Deep d;
    d.h.m.spawn_main(d.main_body(d.tree(0, 4, 10)));
    d.h.run();
    d.check_all_cancelled(11'111);
}
