// The asyncio cancellation model (semantics.md §3). See asyncio.hpp.
//
// The code follows CPython 3.11's Lib/asyncio function by function (futures.py Future,
// tasks.py Task.cancel/__step/__wakeup, sleep, wait_for, _wait, _cancel_and_wait, gather,
// shield; taskgroups.py; timeouts.py; runners.py), so the comments name the function each
// piece stands for. Loop callbacks are scheduler callbacks wrapped with the loop's
// generation: when asyncio.run closes its loop, callbacks still queued do nothing, as
// loop.close() drops them.
#include "asyncio.hpp"

#include "engine/text_clip.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <unordered_set>
#include <utility>

namespace tasklab::asyncio {

namespace {

enum class FutKind : std::uint8_t { plain, task, gathering };
enum class FutState : std::uint8_t { pending, finished, cancelled };
enum class TimeoutState : std::uint8_t { created, entered, expiring, expired, exited };

[[nodiscard]] bool is_cancelled_error(const ExcPtr& e) { return e && e->exc_class() == ExcClass::cancelled_error; }
[[nodiscard]] bool is_base_error(const ExcPtr& e) {
    return e && (e->exc_class() == ExcClass::keyboard_interrupt || e->exc_class() == ExcClass::system_exit);
}


struct DoneCallback {
    std::uint32_t id = 0;
    TaskId wakeup = 0;  // a task's own __wakeup: the task itself enters the ready queue
    std::function<void(FutureId)> fn;
};

struct Future {
    FutKind kind = FutKind::plain;
    FutState state = FutState::pending;
    std::any value;
    ExcPtr exception;
    std::optional<std::string> cancel_message;
    ExcPtr cancelled_exc;  // Task: the CancelledError that ended it, for the first result() (A7)
    std::vector<DoneCallback> callbacks;
    TaskId task = 0;
    std::uint32_t loop = 0;
    // _GatheringFuture
    std::vector<FutureId> children;
    bool cancel_requested = false;
    // how a task waiting on it is shown
    WaitReason reason = WaitReason::event;
    std::string label;
};

struct TaskRec {
    FutureId future = 0;
    FutureId fut_waiter = 0;
    bool must_cancel = false;
    std::optional<std::string> cancel_message;
    std::uint32_t num_cancels = 0;
    bool self_wake = false;       // its wakeup was scheduled while it ran (it re-queues itself)
    bool cancel_pending = false;  // a cancel() not yet seen as CancelledError by the coroutine
    bool observed = false;        // a CancelledError of its own cancel was raised into it
    bool caught = false;          // its own code caught a CancelledError after that
    bool awaited = false;         // someone awaited it (await, gather, wait, wait_for)
    bool cancelled_explicitly = false;
};

struct Group {
    TaskId parent = 0;
    FutureId parent_future = 0;
    bool exiting = false;
    bool aborting = false;
    bool parent_cancel_requested = false;
    std::vector<FutureId> tasks;  // creation order (CPython: a set; tasklab's rule)
    std::vector<ExcPtr> errors;
    ExcPtr base_error;
    FutureId on_completed = 0;
    std::string name;
};

struct Timeout {
    TimeoutState state = TimeoutState::created;
    std::uint32_t handler = 0;
    FutureId task = 0;
    TaskId task_id = 0;
    Tick when = k_no_deadline;
    std::uint32_t cancelling = 0;  // the task's cancelling() when the block was entered
};

enum class ScopeType : std::uint8_t { none, group, timeout };

struct SignalRec {
    std::string name;
    Tick at = 0;
    TimerId timer = 0;
    bool delivered = false;
};

struct Handle {
    TimerId timer = 0;
    bool cancelled = false;
    bool done = false;
    std::uint32_t loop = 0;
};

/// The numbers of the POSIX signals a scenario may name.
int signal_number(const std::string& s) {
    static const std::pair<const char*, int> table[] = {{"SIGHUP", 1},   {"SIGINT", 2},   {"SIGQUIT", 3},  {"SIGKILL", 9},
                                                        {"SIGUSR1", 10}, {"SIGUSR2", 12}, {"SIGALRM", 14}, {"SIGTERM", 15},
                                                        {"SIGCHLD", 17}, {"SIGCONT", 18}, {"SIGURG", 23},  {"SIGWINCH", 28}};
    for (const auto& [name, n] : table)
        if (s == name) return n;
    return 0;
}

}  // namespace

struct Model::Impl {
    Impl(Scheduler& s, Host& h) : sched(s), host(h) {}

    Scheduler& sched;
    Host& host;
    bool lints = true;
    std::vector<Future> futures = std::vector<Future>(1);  // index 0: none
    std::vector<TaskRec> tasks;                            // by TaskId
    std::vector<Group> groups;
    std::vector<Timeout> timeouts;
    std::vector<std::pair<ScopeType, std::uint32_t>> scopes;  // by ScopeId
    std::vector<Handle> handles = std::vector<Handle>(1);
    std::uint32_t next_callback_id = 1;

    // the loop of asyncio.run
    std::uint32_t loop = 0;       // generation: 0 none yet
    bool running = false;
    TaskId runner = 0;            // the task that called asyncio.run
    bool waiting_for_executor = false;  // asyncio.run waits in shutdown_default_executor for the worker threads
    FutureId main_future = 0;
    bool in_main = false;         // a main task runs (asyncio.run, Runner.run)
    std::vector<FutureId> loop_tasks;  // creation order
    std::vector<std::pair<std::string, std::uint32_t>> signal_handlers;
    std::uint32_t interrupt_count = 0;
    std::vector<SignalRec> signals;  // `# tasklab: signal` directives, in file order
    ExcPtr loop_interrupt;           // a KeyboardInterrupt or SystemExit that left a task: it stops the loop

    // ---- small helpers ----

    TaskRec* rec(TaskId t) { return t < tasks.size() && tasks[t].future ? &tasks[t] : nullptr; }
    [[nodiscard]] const TaskRec* rec(TaskId t) const { return t < tasks.size() && tasks[t].future ? &tasks[t] : nullptr; }
    Future& fut(FutureId f) {
        if (f == 0 || f >= futures.size()) throw std::logic_error("asyncio: no such future");
        return futures[f];
    }
    [[nodiscard]] const Future& fut(FutureId f) const {
        if (f == 0 || f >= futures.size()) throw std::logic_error("asyncio: no such future");
        return futures[f];
    }
    [[nodiscard]] bool done(FutureId f) const { return fut(f).state != FutState::pending; }

    FutureId new_future(FutKind kind, WaitReason reason, std::string label) {
        Future f;
        f.kind = kind;
        f.loop = loop;
        f.reason = reason;
        f.label = std::move(label);
        futures.push_back(std::move(f));
        return static_cast<FutureId>(futures.size() - 1);
    }

    void emit_lint(TaskId t, LintKind kind, const std::string& text) {
        if (!lints) return;
        sched.emit_at(EventKind::lint, t, Span{}, 0, sched.trace().add_string(text), static_cast<std::uint8_t>(kind));
    }

    const std::string& task_name(TaskId t) const { return sched.trace().task(t).name; }

    // ---- loop callbacks (generation-checked) ----

    void call_soon(std::function<void()> fn) {
        const std::uint32_t gen = loop;
        sched.call_soon([this, gen, fn = std::move(fn)] {
            if (gen == loop) fn();
        });
    }

    std::uint32_t call_later(Tick delay, std::function<void()> fn, TaskId owner) {
        const auto h = static_cast<std::uint32_t>(handles.size());
        handles.push_back(Handle{0, false, false, loop});
        const std::uint32_t gen = loop;
        handles[h].timer = sched.call_later(
            delay,
            [this, h, gen, fn = std::move(fn)] {
                handles[h].done = true;
                if (gen != loop || handles[h].cancelled) return;
                fn();
            },
            owner);
        return h;
    }

    void cancel_handle(std::uint32_t h) {
        if (h == 0 || h >= handles.size() || handles[h].cancelled) return;
        handles[h].cancelled = true;
        if (!handles[h].done) sched.cancel_timer(handles[h].timer);
    }

    // ---- futures.py: Future ----

    void schedule_callbacks(FutureId f) {
        std::vector<DoneCallback> cbs = std::move(fut(f).callbacks);
        fut(f).callbacks.clear();
        for (auto& cb : cbs) {
            if (cb.wakeup != 0) schedule_wakeup(cb.wakeup);
            else call_soon([fn = std::move(cb.fn), f] { fn(f); });
        }
    }

    /// Task.__wakeup scheduled with call_soon: the task itself enters the ready queue.
    void schedule_wakeup(TaskId t) {
        if (t == sched.current() && sched.state(t) == TaskState::running) {
            tasks[t].self_wake = true;  // it is about to park: it queues itself then
            return;
        }
        sched.wake(t, ResumeStatus::normal);
    }

    std::uint32_t add_done_callback(FutureId f, std::function<void(FutureId)> fn) {
        const std::uint32_t id = next_callback_id++;
        if (done(f)) {
            call_soon([fn = std::move(fn), f] { fn(f); });
            return id;
        }
        fut(f).callbacks.push_back(DoneCallback{id, 0, std::move(fn)});
        return id;
    }

    void remove_done_callback(FutureId f, std::uint32_t id) {
        auto& cbs = fut(f).callbacks;
        cbs.erase(std::remove_if(cbs.begin(), cbs.end(), [id](const DoneCallback& c) { return c.id == id; }), cbs.end());
    }

    bool future_cancel(FutureId f, std::optional<std::string> message) {
        Future& x = fut(f);
        if (x.state != FutState::pending) return false;
        x.state = FutState::cancelled;
        x.cancel_message = std::move(message);
        schedule_callbacks(f);
        return true;
    }

    // The texts are those of CPython's C Future (_asyncio), which asyncio uses by default:
    // "invalid state" on a done future, "Result is not set." before it is done.
    Result set_result(FutureId f, std::any value) {
        Future& x = fut(f);
        if (x.state != FutState::pending) return Result::raise(host.invalid_state_error("invalid state"));
        x.value = std::move(value);
        x.state = FutState::finished;
        schedule_callbacks(f);
        return Result::of({});
    }

    Result set_exception(FutureId f, ExcPtr e) {
        Future& x = fut(f);
        if (x.state != FutState::pending) return Result::raise(host.invalid_state_error("invalid state"));
        x.exception = std::move(e);
        x.state = FutState::finished;
        schedule_callbacks(f);
        return Result::of({});
    }

    std::string describe(FutureId f) const {
        const Future& x = fut(f);
        std::string s = x.kind == FutKind::task ? "<Task " : "<Future ";
        switch (x.state) {
        case FutState::pending: s += "pending"; break;
        case FutState::finished: s += "finished"; break;
        case FutState::cancelled: s += "cancelled"; break;
        }
        if (x.kind == FutKind::task) s += " name='" + task_name(x.task) + "'";
        return s + ">";
    }

    /// Future._make_cancelled_error: the task's saved CancelledError once, then a new one.
    ExcPtr make_cancelled_error(FutureId f) {
        Future& x = fut(f);
        if (x.cancelled_exc) {
            ExcPtr e = std::move(x.cancelled_exc);
            x.cancelled_exc = nullptr;
            return e;
        }
        return host.cancelled_error(x.cancel_message);
    }

    Result result(FutureId f) {
        Future& x = fut(f);
        if (x.state == FutState::cancelled) return Result::raise(make_cancelled_error(f));
        if (x.state == FutState::pending) return Result::raise(host.invalid_state_error("Result is not set."));
        if (x.exception) return Result::raise(x.exception);
        return Result::of(x.value);
    }

    Result exception(FutureId f) {
        Future& x = fut(f);
        if (x.state == FutState::cancelled) return Result::raise(make_cancelled_error(f));
        if (x.state == FutState::pending) return Result::raise(host.invalid_state_error("Exception is not set."));
        if (x.exception) return Result::of(x.exception);
        return Result::of({});
    }

    // ---- tasks.py: Task.cancel, _GatheringFuture.cancel ----

    /// `via` is the scope the cancel came through (a TaskGroup, a timeout), for the trace.
    bool cancel(FutureId f, std::optional<std::string> message, CancelCause cause, ScopeId via = 0) {
        Future& x = fut(f);
        switch (x.kind) {
        case FutKind::plain: return future_cancel(f, std::move(message));
        case FutKind::gathering: {
            if (x.state != FutState::pending) return false;
            bool ret = false;
            const std::vector<FutureId> children = x.children;
            for (FutureId c : children)
                if (cancel(c, message, cause, via)) ret = true;
            if (ret) fut(f).cancel_requested = true;
            return ret;
        }
        case FutKind::task: return task_cancel(x.task, std::move(message), cause, via);
        }
        return false;
    }

    bool task_cancel(TaskId t, std::optional<std::string> message, CancelCause cause, ScopeId via) {
        TaskRec& r = tasks[t];
        if (done(r.future)) {
            if (cause == CancelCause::explicit_call)
                emit_lint(t, LintKind::cancel_noop, task_name(t) + ": cancel() on a task that has already finished returns False");
            return false;
        }
        // semantics: A1, A5 — a request: count it, cancel what the task waits on, or leave
        // _must_cancel for its next step.
        ++r.num_cancels;
        r.cancel_pending = true;
        if (cause == CancelCause::explicit_call) r.cancelled_explicitly = true;
        sched.emit(EventKind::cancel_requested, t, sched.current(), via, static_cast<std::uint8_t>(cause));
        if (r.fut_waiter != 0) {
            // semantics: A10 — cancelling a task that awaits another task cancels that one too.
            if (cancel(r.fut_waiter, message, CancelCause::awaiter_cancelled)) return true;
        }
        r.must_cancel = true;
        r.cancel_message = std::move(message);
        return true;
    }

    /// Task._make_cancelled_error for a task that is still running (_must_cancel).
    ExcPtr task_cancelled_error(TaskId t) { return host.cancelled_error(tasks[t].cancel_message); }

    /// After a CancelledError reached the coroutine at an await: record the observation.
    void note_delivery(TaskId t, const Result& r, ObservedBy how) {
        TaskRec& tr = tasks[t];
        if (!is_cancelled_error(r.error) || !tr.cancel_pending) return;
        tr.cancel_pending = false;
        tr.observed = true;
        sched.emit(EventKind::cancel_observed, t, 0, 0, static_cast<std::uint8_t>(how));
    }

    /// The first lines of Task.__step: a pending _must_cancel turns into CancelledError.
    Result step_prologue(TaskId t, Result r) {
        TaskRec& tr = tasks[t];
        if (tr.must_cancel) {
            if (!is_cancelled_error(r.error)) r = Result::raise(task_cancelled_error(t));
            tr.must_cancel = false;
        }
        return r;
    }

    // ---- awaiting ----

    WaitReason reason_of(FutureId f) const {
        const Future& x = fut(f);
        return x.kind == FutKind::task ? WaitReason::task : x.reason;
    }

    Co<Result> await_future(FutureId f) {
        const TaskId t = sched.current();
        TaskRec* rp = rec(t);
        if (!rp) throw std::logic_error("asyncio: await outside a task");
        if (fut(f).kind == FutKind::task) tasks[fut(f).task].awaited = true;
        // Future.__await__: a done future gives its result without suspending (A3).
        if (done(f)) co_return result(f);
        if (fut(f).kind == FutKind::task && fut(f).task == t)
            co_return Result::raise(host.runtime_error("Task cannot await on itself: " + describe(f)));
        fut(f).callbacks.push_back(DoneCallback{next_callback_id++, t, {}});
        rp->fut_waiter = f;
        if (rp->must_cancel) {
            if (cancel(f, rp->cancel_message, CancelCause::awaiter_cancelled)) tasks[t].must_cancel = false;
        }
        // (g++ 12: no temporaries with destructors inside a co_await expression.)
        const bool is_task = fut(f).kind == FutKind::task;
        const std::uint32_t related = is_task ? fut(f).task : 0;
        std::string label = fut(f).label;
        if (is_task) label = "await " + task_name(related);
        const WaitReason reason = reason_of(f);
        if (tasks[t].self_wake) {
            tasks[t].self_wake = false;
            co_await sched.yield_now();
        } else {
            co_await sched.park(reason, related, label, Interruptible::no);
        }
        tasks[t].fut_waiter = 0;
        // Task.__wakeup: future.result(), then __step(exc).
        Result r = step_prologue(t, result(f));
        note_delivery(t, r, ObservedBy::await_point);
        co_return r;
    }

    /// A bare `yield` (asyncio.sleep(0)): back of the ready queue for one pass.
    Co<Result> yield_once() {
        const TaskId t = sched.current();
        if (!rec(t)) throw std::logic_error("asyncio: sleep outside a task");
        co_await sched.yield_now();
        Result r = step_prologue(t, Result::of({}));
        note_delivery(t, r, ObservedBy::await_point);
        co_return r;
    }

    Co<Result> sleep(Tick d, std::any value) {
        if (d <= 0) {
            Result r = co_await yield_once();
            if (r.ok()) r.value = std::move(value);
            co_return r;
        }
        const FutureId f = new_future(FutKind::plain, WaitReason::sleep, "sleep " + format_duration(d));
        const std::uint32_t h = call_later(
            d, [this, f, value] {
                if (!done(f)) set_result(f, value);
            },
            sched.current());
        Result r = co_await await_future(f);
        cancel_handle(h);
        co_return r;
    }

    // ---- creating and finishing tasks ----

    FutureId create_task(Co<void> body, std::string name, TaskKind kind, TaskId parent, ScopeId scope) {
        TaskInfo info;
        info.kind = kind;
        info.parent = parent;
        info.creator = sched.current();
        info.scope = scope;
        info.name = std::move(name);
        const TaskId t = sched.spawn(std::move(info), std::move(body));
        const FutureId f = new_future(FutKind::task, WaitReason::task, {});
        fut(f).task = t;
        if (t >= tasks.size()) tasks.resize(t + 1);
        tasks[t] = TaskRec{};
        tasks[t].future = f;
        loop_tasks.push_back(f);
        return f;
    }

    ExcPtr begin_step() {
        const TaskId t = sched.current();
        if (!rec(t)) return nullptr;
        TaskRec& tr = tasks[t];
        if (!tr.must_cancel) return nullptr;
        // semantics: A2 — cancelled before its first step: CancelledError is thrown into a
        // coroutine that never started, so none of its body runs.
        tr.must_cancel = false;
        ExcPtr e = task_cancelled_error(t);
        if (tr.cancel_pending) {
            tr.cancel_pending = false;
            tr.observed = true;
            sched.emit(EventKind::cancel_observed, t, 0, 0, static_cast<std::uint8_t>(ObservedBy::never_started));
        }
        return e;
    }

    void finish(Result outcome) {
        const TaskId t = sched.current();
        TaskRec& tr = tasks[t];
        const FutureId f = tr.future;
        Outcome how = Outcome::returned;
        std::string text;
        if (outcome.ok()) {
            if (tr.must_cancel) {
                // semantics: A6 — a cancel requested right before the coroutine returned.
                tr.must_cancel = false;
                how = Outcome::cancelled;
                sched.finish_current(how, {});
                future_cancel(f, tr.cancel_message);
                return;
            }
            sched.finish_current(how, {});
            check_swallowed(t, false);
            set_result(f, std::move(outcome.value));
            return;
        }
        text = clip_utf8(outcome.error->describe());
        if (is_cancelled_error(outcome.error)) {
            sched.finish_current(Outcome::cancelled, text);
            fut(f).cancelled_exc = outcome.error;
            future_cancel(f, std::nullopt);
            return;
        }
        sched.finish_current(Outcome::threw, text);
        check_swallowed(t, true);
        set_exception(f, outcome.error);
        if (is_base_error(outcome.error) && running && !loop_interrupt) {
            // Task.__step re-raises KeyboardInterrupt and SystemExit: they leave the loop, and
            // asyncio.run raises them after its shutdown.
            loop_interrupt = outcome.error;
            sched.wake_at_pass_end(runner, ResumeStatus::normal);
        }
    }

    void check_swallowed(TaskId t, bool threw) {
        const TaskRec& tr = tasks[t];
        if (!tr.observed || !tr.caught || tr.num_cancels == 0) return;
        emit_lint(t, LintKind::cancel_swallowed,
                  task_name(t) + " caught CancelledError and " + (threw ? "raised another exception" : "returned normally") +
                      " instead of re-raising it: the cancel was swallowed");
    }

    // ---- taskgroups.py ----

    ScopeId add_scope(ScopeKind kind, std::string name, ScopeType type, std::uint32_t index) {
        const TaskId owner = sched.current();
        const ScopeId id = sched.trace().add_scope(ScopeInfo{.kind = kind, .owner = owner, .name = std::move(name), .span = sched.span()}).id;
        if (id >= scopes.size()) scopes.resize(id + 1, {ScopeType::none, 0});
        scopes[id] = {type, index};
        sched.emit(EventKind::scope_entered, owner, id, 0, static_cast<std::uint8_t>(kind));
        return id;
    }

    Group& group(GroupId g) {
        if (g >= scopes.size() || scopes[g].first != ScopeType::group) throw std::logic_error("asyncio: not a TaskGroup");
        return groups[scopes[g].second];
    }
    [[nodiscard]] const Group& group(GroupId g) const {
        if (g >= scopes.size() || scopes[g].first != ScopeType::group) throw std::logic_error("asyncio: not a TaskGroup");
        return groups[scopes[g].second];
    }
    Timeout& timeout(GroupId g) {
        if (g >= scopes.size() || scopes[g].first != ScopeType::timeout) throw std::logic_error("asyncio: not a timeout");
        return timeouts[scopes[g].second];
    }
    [[nodiscard]] const Timeout& timeout(GroupId g) const {
        if (g >= scopes.size() || scopes[g].first != ScopeType::timeout) throw std::logic_error("asyncio: not a timeout");
        return timeouts[scopes[g].second];
    }

    std::string group_repr(const Group& g) const {
        std::string info;
        if (!g.tasks.empty()) info += " tasks=" + std::to_string(g.tasks.size());
        if (!g.errors.empty()) info += " errors=" + std::to_string(g.errors.size());
        if (g.aborting) info += " cancelling";
        else info += " entered";
        return "<TaskGroup" + info + ">";
    }

    GroupId group_enter(std::string name) {
        Group g;
        g.parent = sched.current();
        g.parent_future = rec(g.parent) ? tasks[g.parent].future : 0;
        g.name = name;
        groups.push_back(std::move(g));
        return add_scope(ScopeKind::asyncio_task_group, std::move(name), ScopeType::group,
                         static_cast<std::uint32_t>(groups.size() - 1));
    }

    /// TaskGroup._abort: cancels the unfinished children, in creation order (A15).
    void abort(GroupId g, CancelCause cause) {
        group(g).aborting = true;
        const std::vector<FutureId> ts = group(g).tasks;
        for (FutureId t : ts)
            if (!done(t)) cancel(t, std::nullopt, cause, g);
    }

    Result group_create_task(GroupId g, Co<void> body, std::string name, FutureId& out) {
        Group& gr = group(g);
        if (gr.exiting && gr.tasks.empty()) return Result::raise(host.runtime_error("TaskGroup " + group_repr(gr) + " is finished"));
        if (gr.aborting) return Result::raise(host.runtime_error("TaskGroup " + group_repr(gr) + " is shutting down"));
        const FutureId f = create_task(std::move(body), std::move(name), TaskKind::child, gr.parent, g);
        add_done_callback(f, [this, g](FutureId done_f) { on_task_done(g, done_f); });
        group(g).tasks.push_back(f);
        out = f;
        return Result::of({});
    }

    void on_task_done(GroupId g, FutureId f) {
        Group& gr = group(g);
        gr.tasks.erase(std::remove(gr.tasks.begin(), gr.tasks.end(), f), gr.tasks.end());
        if (gr.on_completed != 0 && gr.tasks.empty() && !done(gr.on_completed)) set_result(gr.on_completed, true);
        // semantics: A15 note — a child that ends with CancelledError counts as cancelled, not failed.
        if (fut(f).state == FutState::cancelled) return;
        ExcPtr exc = fut(f).exception;
        if (!exc) return;
        Group& g2 = group(g);
        g2.errors.push_back(exc);
        sched.emit(EventKind::error_delivered, g2.parent, fut(f).task, sched.trace().add_string(clip_utf8(exc->describe())));
        if (is_base_error(exc) && !g2.base_error) g2.base_error = exc;
        if (g2.parent_future == 0 || done(g2.parent_future)) return;
        if (!g2.aborting && !g2.parent_cancel_requested) {
            abort(g, CancelCause::child_error);
            group(g).parent_cancel_requested = true;
            cancel(group(g).parent_future, std::nullopt, CancelCause::child_error, g);
        }
    }

    Co<Result> group_exit(GroupId g, ExcPtr exc) {
        group(g).exiting = true;
        if (exc && is_base_error(exc) && !group(g).base_error) group(g).base_error = exc;
        ExcPtr propagate = is_cancelled_error(exc) ? exc : nullptr;
        if (group(g).parent_cancel_requested) {
            if (uncancel(group(g).parent_future) == 0) propagate = nullptr;
        }
        if (exc && !group(g).aborting) abort(g, is_cancelled_error(exc) ? CancelCause::parent : CancelCause::group);
        while (!group(g).tasks.empty()) {
            if (group(g).on_completed == 0) group(g).on_completed = new_future(FutKind::plain, WaitReason::group, "TaskGroup children");
            Result r = co_await await_future(group(g).on_completed);
            if (is_cancelled_error(r.error)) {
                if (!group(g).aborting) {
                    propagate = r.error;
                    abort(g, CancelCause::parent);
                }
            }
            group(g).on_completed = 0;
        }
        sched.emit(EventKind::scope_exited, group(g).parent, g, 0, static_cast<std::uint8_t>(ScopeKind::asyncio_task_group));
        if (group(g).base_error) co_return Result::raise(group(g).base_error);
        if (propagate && group(g).errors.empty()) co_return Result::raise(propagate);
        if (exc && !is_cancelled_error(exc)) group(g).errors.push_back(exc);
        if (!group(g).errors.empty()) {
            std::vector<ExcPtr> errors = std::move(group(g).errors);
            group(g).errors.clear();
            co_return Result::raise(host.exception_group(std::move(errors)));
        }
        co_return Result::of({});
    }

    std::uint32_t uncancel(FutureId f) {
        const TaskId t = fut(f).task;
        if (t == 0) return 0;
        TaskRec& r = tasks[t];
        if (r.num_cancels > 0) {
            --r.num_cancels;
            // semantics: A5 — uncancel() takes one request off; the trace records what is left.
            sched.emit(EventKind::uncancelled, t, 0, r.num_cancels);
        }
        return r.num_cancels;
    }

    // ---- timeouts.py ----

    GroupId timeout_enter(Tick when, std::string name) {
        Timeout to;
        to.state = TimeoutState::entered;
        to.task_id = sched.current();
        to.task = rec(to.task_id) ? tasks[to.task_id].future : 0;
        to.cancelling = rec(to.task_id) ? tasks[to.task_id].num_cancels : 0;
        timeouts.push_back(to);
        const GroupId id = add_scope(ScopeKind::asyncio_timeout, std::move(name), ScopeType::timeout,
                                     static_cast<std::uint32_t>(timeouts.size() - 1));
        reschedule(id, when);
        return id;
    }

    Result reschedule(GroupId id, Tick when) {
        Timeout& to = timeout(id);
        if (to.state != TimeoutState::entered) {
            static const char* names[] = {"created", "active", "expiring", "expired", "finished"};
            return Result::raise(host.runtime_error(std::string("Cannot change state of ") + names[static_cast<int>(to.state)] + " Timeout"));
        }
        to.when = when;
        if (to.handler) cancel_handle(to.handler);
        to.handler = 0;
        if (when == k_no_deadline) return Result::of({});
        auto on_timeout = [this, id] {
            Timeout& t2 = timeout(id);
            if (t2.state != TimeoutState::entered) return;
            t2.handler = 0;
            // semantics: A12 — the deadline cancels the task; TimeoutError comes at the block's exit.
            if (t2.task) cancel(t2.task, std::nullopt, CancelCause::timeout, id);
            timeout(id).state = TimeoutState::expiring;
        };
        if (when <= sched.now()) {
            const std::uint32_t h = static_cast<std::uint32_t>(handles.size());
            handles.push_back(Handle{0, false, false, loop});
            call_soon([this, h, on_timeout] {
                handles[h].done = true;
                if (!handles[h].cancelled) on_timeout();
            });
            to.handler = h;
        } else {
            to.handler = call_later(when - sched.now(), on_timeout, to.task_id);
        }
        return Result::of({});
    }

    Result timeout_exit(GroupId id, ExcPtr exc) {
        Timeout& to = timeout(id);
        if (to.handler) cancel_handle(to.handler);
        to.handler = 0;
        Result out = Result::of({});
        if (to.state == TimeoutState::expiring) {
            to.state = TimeoutState::expired;
            // 3.11.7: no cancel requests beyond those the task carried on entry (a pending or
            // swallowed cancel stays counted), so this block's own expiry is handled here.
            if (uncancel(to.task) <= to.cancelling && is_cancelled_error(exc)) out = Result::raise(host.timeout_error(exc, exc));
        } else if (to.state == TimeoutState::entered) {
            to.state = TimeoutState::exited;
        }
        sched.emit(EventKind::scope_exited, to.task_id, id, 0, static_cast<std::uint8_t>(ScopeKind::asyncio_timeout));
        return out;
    }

    // ---- tasks.py helpers ----

    /// _release_waiter as a done callback.
    std::function<void(FutureId)> releaser(FutureId waiter) {
        return [this, waiter](FutureId) {
            if (!done(waiter)) set_result(waiter, {});
        };
    }

    Co<Result> cancel_and_wait(FutureId f, CancelCause cause, ScopeId via) {
        const FutureId waiter = new_future(FutKind::plain, reason_of(f), "cancel and wait");
        const std::uint32_t cb = add_done_callback(f, releaser(waiter));
        cancel(f, std::nullopt, cause, via);
        Result r = co_await await_future(waiter);
        remove_done_callback(f, cb);
        co_return r;
    }

    void mark_awaited(FutureId f) {
        if (fut(f).kind == FutKind::task) tasks[fut(f).task].awaited = true;
    }

    Co<Result> wait_for(FutureId f, Tick timeout_ticks, std::string name) {
        mark_awaited(f);
        if (timeout_ticks < 0) {
            Result r = co_await await_future(f);
            co_return r;
        }
        // The caller's wait is shown as a timeout scope (wait_for has no Timeout object in 3.11).
        const ScopeId scope = add_scope(ScopeKind::asyncio_timeout, name.empty() ? std::string("wait_for") : std::move(name),
                                        ScopeType::none, 0);
        const TaskId owner = sched.current();
        Result r = co_await wait_for_body(f, timeout_ticks, scope);
        sched.emit(EventKind::scope_exited, owner, scope, 0, static_cast<std::uint8_t>(ScopeKind::asyncio_timeout));
        co_return r;
    }

    Co<Result> wait_for_body(FutureId f, Tick timeout_ticks, ScopeId scope) {
        if (timeout_ticks == 0) {
            if (done(f)) co_return result(f);
            Result w = co_await cancel_and_wait(f, CancelCause::timeout, scope);
            if (!w.ok()) co_return w;
            Result r = result(f);
            if (is_cancelled_error(r.error)) co_return Result::raise(host.timeout_error(r.error, r.error));
            co_return r;
        }
        const FutureId waiter = new_future(FutKind::plain, reason_of(f), "wait_for");
        const std::uint32_t handle = call_later(
            timeout_ticks, [this, waiter] {
                if (!done(waiter)) set_result(waiter, {});
            },
            sched.current());
        const std::uint32_t cb = add_done_callback(f, releaser(waiter));
        Result r = co_await await_future(waiter);
        if (!r.ok()) {
            if (done(f)) {
                cancel_handle(handle);
                co_return result(f);
            }
            remove_done_callback(f, cb);
            Result w = co_await cancel_and_wait(f, CancelCause::awaiter_cancelled, scope);
            cancel_handle(handle);
            if (!w.ok()) co_return w;
            co_return r;
        }
        if (done(f)) {
            cancel_handle(handle);
            co_return result(f);
        }
        remove_done_callback(f, cb);
        Result w = co_await cancel_and_wait(f, CancelCause::timeout, scope);
        cancel_handle(handle);
        if (!w.ok()) co_return w;
        Result out = result(f);
        if (is_cancelled_error(out.error)) co_return Result::raise(host.timeout_error(out.error, out.error));
        co_return out;
    }

    Co<Result> wait(std::vector<FutureId> fs_in, Tick timeout_ticks, ReturnWhen when) {
        std::vector<FutureId> fs;
        for (FutureId f : fs_in)
            if (std::find(fs.begin(), fs.end(), f) == fs.end()) fs.push_back(f);
        for (FutureId f : fs) mark_awaited(f);
        const FutureId waiter = new_future(FutKind::plain, WaitReason::task, "asyncio.wait");
        auto counter = std::make_shared<std::size_t>(fs.size());
        auto handle = std::make_shared<std::uint32_t>(0);
        if (timeout_ticks >= 0) {
            *handle = call_later(
                timeout_ticks, [this, waiter] {
                    if (!done(waiter)) set_result(waiter, {});
                },
                sched.current());
        }
        std::vector<std::uint32_t> cbs;
        for (FutureId f : fs) {
            cbs.push_back(add_done_callback(f, [this, waiter, counter, handle, when](FutureId g) {
                --*counter;
                const bool failed = fut(g).state == FutState::finished && fut(g).exception != nullptr;
                if (*counter == 0 || when == ReturnWhen::first_completed || (when == ReturnWhen::first_exception && failed)) {
                    if (*handle) cancel_handle(*handle);
                    if (!done(waiter)) set_result(waiter, {});
                }
            }));
        }
        Result r = co_await await_future(waiter);
        if (*handle) cancel_handle(*handle);
        for (std::size_t i = 0; i < fs.size(); ++i) remove_done_callback(fs[i], cbs[i]);
        if (!r.ok()) co_return r;
        std::vector<FutureId> d, p;
        for (FutureId f : fs) (done(f) ? d : p).push_back(f);
        co_return Result::of(host.make_wait_result(std::move(d), std::move(p)));
    }

    FutureId gather(std::vector<FutureId> children, bool return_exceptions) {
        if (children.empty()) {
            const FutureId outer = new_future(FutKind::plain, WaitReason::task, "gather()");
            set_result(outer, host.make_list({}));
            return outer;
        }
        const FutureId outer = new_future(FutKind::gathering, WaitReason::task, "gather");
        fut(outer).children = children;
        std::vector<FutureId> unique;  // first occurrences, in order (a set: linear, not quadratic)
        std::unordered_set<FutureId> seen;
        for (FutureId c : children)
            if (seen.insert(c).second) unique.push_back(c);
        for (FutureId c : unique) mark_awaited(c);
        auto nfinished = std::make_shared<std::size_t>(0);
        const std::size_t nfuts = unique.size();
        for (FutureId c : unique) {
            add_done_callback(c, [this, outer, nfinished, nfuts, return_exceptions](FutureId f) {
                ++*nfinished;
                if (done(outer)) return;
                if (!return_exceptions) {
                    if (fut(f).state == FutState::cancelled) {
                        set_exception(outer, make_cancelled_error(f));
                        return;
                    }
                    if (fut(f).exception) {
                        set_exception(outer, fut(f).exception);
                        return;
                    }
                }
                if (*nfinished == nfuts) {
                    std::vector<Result> results;
                    for (FutureId c2 : fut(outer).children) {
                        const Future& x = fut(c2);
                        if (x.state == FutState::cancelled) results.push_back(Result::raise(host.cancelled_error(x.cancel_message.value_or(""))));
                        else if (x.exception) results.push_back(Result::raise(x.exception));
                        else results.push_back(Result::of(x.value));
                    }
                    if (fut(outer).cancel_requested) set_exception(outer, make_cancelled_error(f));
                    else set_result(outer, host.make_list(std::move(results)));
                }
            });
        }
        return outer;
    }

    FutureId shield(FutureId inner) {
        if (done(inner)) return inner;
        mark_awaited(inner);
        const FutureId outer = new_future(FutKind::plain, reason_of(inner), "shield");
        const std::uint32_t inner_cb = add_done_callback(inner, [this, outer](FutureId in) {
            if (fut(outer).state == FutState::cancelled) return;
            if (fut(in).state == FutState::cancelled) future_cancel(outer, std::nullopt);
            else if (fut(in).exception) set_exception(outer, fut(in).exception);
            else set_result(outer, fut(in).value);
        });
        add_done_callback(outer, [this, inner, inner_cb](FutureId) {
            if (!done(inner)) remove_done_callback(inner, inner_cb);
        });
        return outer;
    }

    // ---- runners.py ----

    Co<void> run_until_complete(FutureId f) {
        const std::uint32_t cb = add_done_callback(f, [this](FutureId) { sched.wake_at_pass_end(runner, ResumeStatus::normal); });
        const TaskId related = fut(f).kind == FutKind::task ? fut(f).task : 0;
        co_await sched.park(WaitReason::task, related, "asyncio.run: the loop runs", Interruptible::no);
        remove_done_callback(f, cb);
    }

    /// A loop.run_until_complete of a coroutine that returns at once (shutdown_asyncgens,
    /// shutdown_default_executor): its task's step, then its done-callback, then the stop.
    Co<void> shutdown_turn() {
        call_soon([this] { call_soon([this] { sched.wake_at_pass_end(runner, ResumeStatus::normal); }); });
        co_await sched.park(WaitReason::task, 0, "asyncio.run: shutting down", Interruptible::no);
    }

    /// loop.shutdown_default_executor(): with no worker thread running, one turn; otherwise
    /// the runner waits until the last worker has finished (executor_idle), then the future
    /// the shutdown awaits is resolved, its task wakes and the loop stops, a pass each.
    Co<void> shutdown_default_executor() {
        if (!host.executor_busy()) {
            co_await shutdown_turn();
            co_return;
        }
        waiting_for_executor = true;
        co_await sched.park(WaitReason::task, 0, "asyncio.run: waiting for the worker threads", Interruptible::no);
    }

    void executor_idle() {
        if (!waiting_for_executor) return;
        waiting_for_executor = false;
        call_soon([this] { call_soon([this] { call_soon([this] { sched.wake_at_pass_end(runner, ResumeStatus::normal); }); }); });
    }

    Co<void> cancel_all_tasks() {
        std::vector<FutureId> to_cancel;
        for (FutureId f : loop_tasks)
            if (!done(f)) to_cancel.push_back(f);
        if (to_cancel.empty()) co_return;
        for (FutureId f : to_cancel) {
            const TaskRec& r = tasks[fut(f).task];
            if (r.cancelled_explicitly && !r.awaited)
                emit_lint(fut(f).task, LintKind::task_never_awaited,
                          task_name(fut(f).task) +
                              " was cancelled but nobody awaited it: it was still running when the main coroutine returned");
        }
        // semantics: A11 — asyncio.run cancels what is left, in creation order (tasklab's rule).
        for (FutureId f : to_cancel) cancel(f, std::nullopt, CancelCause::shutdown);
        const FutureId g = gather(to_cancel, true);
        co_await run_until_complete(g);
    }

    Co<Result> run(Co<void> body, std::string name) {
        // asyncio.run is `with Runner() as runner: return runner.run(main)`.
        Result opened = open_loop();
        if (!opened.ok()) co_return opened;
        Result r = co_await run_main(std::move(body), std::move(name));
        co_await close_loop();
        co_return r;
    }

    /// runners.py Runner._lazy_init: a new loop.
    Result open_loop() {
        if (running) return Result::raise(host.runtime_error("asyncio.run() cannot be called from a running event loop"));
        ++loop;
        running = true;
        runner = sched.current();
        loop_tasks.clear();
        interrupt_count = 0;
        return Result::of({});
    }

    /// runners.py Runner.run: the main task, run until it is done, on the open loop.
    Co<Result> run_main(Co<void> body, std::string name) {
        runner = sched.current();
        interrupt_count = 0;
        loop_interrupt = nullptr;
        in_main = true;
        main_future = create_task(std::move(body), std::move(name), TaskKind::main, 0, 0);
        co_await run_until_complete(main_future);
        in_main = false;
        Result r = loop_interrupt ? Result::raise(loop_interrupt) : result(main_future);
        if (is_cancelled_error(r.error) && interrupt_count > 0 && uncancel(main_future) == 0)
            r = Result::raise(host.keyboard_interrupt());
        co_return r;
    }

    /// runners.py Runner.close: cancel what is left and wait for it, the two shutdown turns,
    /// then loop.close().
    Co<void> close_loop() {
        runner = sched.current();
        co_await cancel_all_tasks();
        co_await shutdown_turn();
        co_await shutdown_default_executor();
        drop_loop();
    }

    /// loop.close(): what is still queued or pending never runs.
    void drop_loop() {
        for (FutureId f : loop_tasks)
            if (!done(f) && sched.state(fut(f).task) != TaskState::finished) sched.abandon(fut(f).task);
        for (std::uint32_t h = 1; h < handles.size(); ++h)
            if (handles[h].loop == loop && !handles[h].done && !handles[h].cancelled) cancel_handle(h);
        ++loop;
        running = false;
        signal_handlers.clear();
        main_future = 0;
        loop_interrupt = nullptr;
    }

    // ---- signals ----

    /// Delivers signal `index` now. `blocked`: it arrived during a blocking call (time.sleep):
    /// a loop handler is then reached through the self-pipe when the next pass begins, and a
    /// Python-level handler that raises raises out of the blocking call.
    BlockEnd deliver_signal(std::size_t index, bool blocked) {
        SignalRec& rec = signals[index];
        if (rec.delivered) return BlockEnd::completed;
        rec.delivered = true;
        const std::string signal = rec.name;
        sched.emit(EventKind::signal_raised, sched.current(), 0, sched.trace().add_string(signal));
        if (running) {
            for (const auto& [name, handler] : signal_handlers) {
                if (name == signal) {
                    // The self-pipe reader queues the handler; the handler runs one pass later.
                    const std::uint32_t h = handler;
                    if (blocked) sched.call_at_next_pass([this, h] { host.run_signal_handler(h); });
                    else host.run_signal_handler(h);
                    return BlockEnd::completed;
                }
            }
        }
        if (signal == "SIGINT") {
            if (running && main_future != 0) {
                // asyncio.Runner._on_sigint: the first SIGINT cancels the main task.
                ++interrupt_count;
                if (interrupt_count == 1 && !done(main_future)) {
                    cancel(main_future, std::nullopt, CancelCause::explicit_call);
                    return BlockEnd::completed;
                }
            }
            // default_int_handler raises KeyboardInterrupt where the program is.
            if (blocked) return BlockEnd::keyboard_interrupt;
        }
        if (signal == "SIGCHLD" || signal == "SIGURG" || signal == "SIGWINCH" || signal == "SIGCONT") return BlockEnd::completed;
        host.process_killed(signal);
        return BlockEnd::killed;
    }

    BlockEnd block_loop(Tick d) {
        const Tick until = sched.now() + std::max<Tick>(d, 0);
        for (;;) {
            std::size_t next = signals.size();
            for (std::size_t k = 0; k < signals.size(); ++k) {
                if (signals[k].delivered || signals[k].at > until) continue;
                if (next == signals.size() || signals[k].at < signals[next].at) next = k;
            }
            if (next == signals.size()) break;
            if (signals[next].at > sched.now()) sched.block_loop(signals[next].at - sched.now());
            sched.cancel_timer(signals[next].timer);
            const BlockEnd end = deliver_signal(next, true);
            if (end != BlockEnd::completed) return end;
        }
        if (until > sched.now()) sched.block_loop(until - sched.now());
        return BlockEnd::completed;
    }
};

// =========================================================================================
// Model (public face)
// =========================================================================================

void Model::executor_idle() { m_impl->executor_idle(); }
Model::Model(Scheduler& scheduler, Host& host) : m_sched(scheduler), m_impl(std::make_unique<Impl>(scheduler, host)) {}
Model::~Model() = default;
void Model::set_lints(bool on) { m_impl->lints = on; }

Co<Result> Model::run(Co<void> main_body, std::string name) { return m_impl->run(std::move(main_body), std::move(name)); }
bool Model::loop_running() const { return m_impl->running; }
Result Model::open_loop() { return m_impl->open_loop(); }
Co<Result> Model::run_main(Co<void> main_body, std::string name) { return m_impl->run_main(std::move(main_body), std::move(name)); }
Co<void> Model::close_loop() { return m_impl->close_loop(); }
bool Model::main_running() const { return m_impl->in_main; }
bool Model::loop_has_unfinished_tasks() const {
    for (FutureId f : m_impl->loop_tasks)
        if (!m_impl->done(f)) return true;
    return false;
}
void Model::drop_loop() { m_impl->drop_loop(); }
double Model::loop_time() const { return static_cast<double>(m_sched.now()) / 1e9; }

FutureId Model::create_future() { return m_impl->new_future(FutKind::plain, WaitReason::forever, "Future"); }
bool Model::done(FutureId f) const { return m_impl->done(f); }
bool Model::cancelled(FutureId f) const { return m_impl->fut(f).state == FutState::cancelled; }
bool Model::cancel(FutureId f, std::optional<std::string> message, CancelCause cause) {
    return m_impl->cancel(f, std::move(message), cause);
}
Result Model::set_result(FutureId f, std::any value) { return m_impl->set_result(f, std::move(value)); }
Result Model::set_exception(FutureId f, ExcPtr error) { return m_impl->set_exception(f, std::move(error)); }
Result Model::result(FutureId f) { return m_impl->result(f); }
Result Model::exception(FutureId f) { return m_impl->exception(f); }
void Model::add_done_callback(FutureId f, std::function<void(FutureId)> fn) { m_impl->add_done_callback(f, std::move(fn)); }
void Model::set_wait_label(FutureId f, WaitReason reason, std::string label) {
    m_impl->fut(f).reason = reason;
    m_impl->fut(f).label = std::move(label);
}

FutureId Model::create_task(Co<void> body, std::string name, TaskKind kind, TaskId parent, ScopeId scope) {
    return m_impl->create_task(std::move(body), std::move(name), kind, parent, scope);
}
FutureId Model::future_of(TaskId task) const {
    const TaskRec* r = m_impl->rec(task);
    return r ? r->future : 0;
}
TaskId Model::task_of(FutureId f) const { return m_impl->fut(f).task; }
std::vector<FutureId> Model::all_tasks() const {
    std::vector<FutureId> out;
    if (!m_impl->running) return out;
    for (FutureId f : m_impl->loop_tasks)
        if (!m_impl->done(f)) out.push_back(f);
    return out;
}
FutureId Model::current_task() const { return future_of(m_sched.current()); }
std::uint32_t Model::cancelling(FutureId task) const {
    const TaskId t = m_impl->fut(task).task;
    return t ? m_impl->tasks[t].num_cancels : 0;
}
std::uint32_t Model::uncancel(FutureId task) { return m_impl->uncancel(task); }
ExcPtr Model::begin_step() { return m_impl->begin_step(); }
void Model::note_cancel_caught() {
    if (TaskRec* r = m_impl->rec(m_sched.current()); r && r->observed) r->caught = true;
}
void Model::finish(Result outcome) { m_impl->finish(std::move(outcome)); }

Co<Result> Model::await_future(FutureId f) { return m_impl->await_future(f); }
Co<Result> Model::sleep(Tick d, std::any value) { return m_impl->sleep(d, std::move(value)); }

GroupId Model::group_enter(std::string name) { return m_impl->group_enter(std::move(name)); }
Result Model::group_create_task(GroupId g, Co<void> body, std::string name, FutureId& out) {
    return m_impl->group_create_task(g, std::move(body), std::move(name), out);
}
std::string Model::group_repr(GroupId g) const { return m_impl->group_repr(m_impl->group(g)); }
Co<Result> Model::group_exit(GroupId g, ExcPtr body_error) { return m_impl->group_exit(g, std::move(body_error)); }

GroupId Model::timeout_enter(Tick when, std::string name) { return m_impl->timeout_enter(when, std::move(name)); }
Result Model::timeout_exit(GroupId t, ExcPtr body_error) { return m_impl->timeout_exit(t, std::move(body_error)); }
bool Model::timeout_expired(GroupId t) const {
    const auto s = m_impl->timeout(t).state;
    return s == TimeoutState::expiring || s == TimeoutState::expired;
}
Tick Model::timeout_when(GroupId t) const { return m_impl->timeout(t).when; }
std::string Model::timeout_state(GroupId t) const {
    static const char* names[] = {"created", "active", "expiring", "expired", "finished"};
    return names[static_cast<int>(m_impl->timeout(t).state)];
}
Result Model::timeout_reschedule(GroupId t, Tick when) { return m_impl->reschedule(t, when); }

Co<Result> Model::wait_for(FutureId f, Tick timeout, std::string name) { return m_impl->wait_for(f, timeout, std::move(name)); }
Co<Result> Model::wait(std::vector<FutureId> fs, Tick timeout, ReturnWhen when) {
    return m_impl->wait(std::move(fs), timeout, when);
}
FutureId Model::gather(std::vector<FutureId> children, bool return_exceptions) {
    return m_impl->gather(std::move(children), return_exceptions);
}
FutureId Model::shield(FutureId inner) { return m_impl->shield(inner); }

void Model::schedule_signal(std::string signal, Tick at) {
    Impl* impl = m_impl.get();
    const std::size_t index = impl->signals.size();
    impl->signals.push_back(SignalRec{std::move(signal), at, 0, false});
    impl->signals[index].timer = m_sched.call_later(at - m_sched.now(), [impl, index] { impl->deliver_signal(index, false); }, 0);
}
BlockEnd Model::block_loop(Tick d) { return m_impl->block_loop(d); }
void Model::add_signal_handler(const std::string& signal, std::uint32_t handler) {
    for (auto& [name, h] : m_impl->signal_handlers)
        if (name == signal) {
            h = handler;
            return;
        }
    m_impl->signal_handlers.emplace_back(signal, handler);
}
bool Model::remove_signal_handler(const std::string& signal) {
    auto& hs = m_impl->signal_handlers;
    const auto before = hs.size();
    hs.erase(std::remove_if(hs.begin(), hs.end(), [&](const auto& p) { return p.first == signal; }), hs.end());
    return hs.size() != before;
}
std::uint32_t Model::call_later(Tick delay, std::function<void()> fn, TaskId owner) {
    return m_impl->call_later(delay, std::move(fn), owner);
}
void Model::call_soon(std::function<void()> fn) { m_impl->call_soon(std::move(fn)); }
void Model::cancel_callback(std::uint32_t handle) { m_impl->cancel_handle(handle); }
TaskId Model::running_task() const { return m_sched.current(); }

int Model::signal_number(const std::string& name) { return asyncio::signal_number(name); }

}  // namespace tasklab::asyncio
