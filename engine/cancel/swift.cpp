// The Swift Concurrency cancellation model (semantics.md §1). See swift.hpp.
//
// Per-task state lives in vectors indexed by TaskId, per-scope state in vectors indexed
// through ScopeId (scope ids are shared with everything else that adds scopes to the trace).
//
// Each task keeps its "status records" the way the runtime does: cancellation handlers,
// `async let` children and the task groups it owns, in the order they were installed.
// Cancelling a task walks them innermost (most recent) first; cancelling a group walks its
// children in addTask order. The walk uses an explicit work stack, depth first, so a chain
// of 1,000 nested tasks or a tree of 111,111 tasks never grows the C++ stack.
#include "swift.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace tasklab::swift {

namespace {

enum class RecordKind : std::uint8_t { handler, async_let_child, group };

/// One status record of a task (TaskStatus.cpp): what cancelling the task must reach.
struct Record {
    RecordKind kind = RecordKind::handler;
    std::uint32_t id = 0;  // handler token (a ScopeId), child TaskId, or GroupId
};

enum class ScopeType : std::uint8_t { none, group, async_let, handler };

/// What a ScopeId means to this model: the kind of state and its index.
struct ScopeRef {
    ScopeType type = ScopeType::none;
    std::uint32_t index = 0;
};

/// Why the owner of a group is parked: any completion (next()) or the last one (waitForAll,
/// group exit).
enum class GroupWait : std::uint8_t { none, any_child, all_children };

enum class WorkKind : std::uint8_t { task, group, handler };

/// One pending step of a cancellation walk.
struct Work {
    WorkKind kind = WorkKind::task;
    std::uint32_t id = 0;                          // task, group or handler token
    CancelCause cause = CancelCause::explicit_call;  // for a task: its cause; for a group: its children's
    ScopeId via = 0;                               // the scope the cancel came through (payload)
    bool propagated = false;                       // reached through the tree (skips finished tasks)
};

struct HandlerEntry {
    TaskId owner = 0;
    Model::Handler fn;
    bool alive = false;
};

[[nodiscard]] bool counts_as_thrown(Outcome o) { return o == Outcome::threw || o == Outcome::cancelled; }

[[nodiscard]] bool is_discarding(ScopeKind k) {
    return k == ScopeKind::discarding_group || k == ScopeKind::throwing_discarding_group;
}

}  // namespace

struct Model::TaskState {
    bool swift = false;         // created through this model
    bool cancelled = false;     // the sticky flag (semantics: F1)
    bool finished = false;
    bool observed_flag = false; // cancel_observed(is_cancelled) already recorded
    bool awaited = false;       // async let: awaited explicitly or torn down at scope exit
    Outcome outcome = Outcome::abandoned;
    TaskKind kind = TaskKind::main;
    TaskId parent = 0;
    ScopeId scope = 0;
    std::vector<Record> records;  // installation order; the back is innermost
    std::vector<TaskId> joiners;  // tasks parked until this one finishes
};

struct Model::GroupState {
    ScopeKind kind = ScopeKind::task_group;
    TaskId owner = 0;
    bool cancelled = false;
    bool exited = false;
    std::vector<TaskId> children;   // addTask order
    std::uint32_t running = 0;      // children not finished yet
    std::vector<TaskId> completed;  // finished, not yet consumed, in completion order, from `head`
    std::size_t head = 0;
    TaskId waiter = 0;
    GroupWait wait = GroupWait::none;
    TaskId first_error = 0;         // discarding groups: the first child that threw
};

struct Model::ScopeState {
    TaskId owner = 0;
    std::vector<TaskId> bindings;  // declaration order
    bool exited = false;
};

struct Model::Impl {
    explicit Impl(Scheduler& s) : sched(s) {}

    Scheduler& sched;
    std::vector<TaskState> tasks = std::vector<TaskState>(1);  // index 0: no task
    std::vector<ScopeRef> scopes = std::vector<ScopeRef>(1);   // index 0: no scope
    std::vector<GroupState> groups;
    std::vector<ScopeState> let_scopes;
    std::vector<HandlerEntry> handlers;

    TaskState& task(TaskId id) {
        if (id >= tasks.size()) tasks.resize(std::max<std::size_t>(id + 1, sched.task_count() + 1));
        return tasks[id];
    }
    [[nodiscard]] const TaskState* find_task(TaskId id) const { return id < tasks.size() ? &tasks[id] : nullptr; }

    ScopeRef& scope_ref(ScopeId id) {
        if (id >= scopes.size()) scopes.resize(id + 1);
        return scopes[id];
    }
    [[nodiscard]] const GroupState& group(GroupId id) const {
        if (id >= scopes.size() || scopes[id].type != ScopeType::group) throw std::logic_error("swift: not a task group scope");
        return groups[scopes[id].index];
    }
    GroupState& group(GroupId id) { return const_cast<GroupState&>(std::as_const(*this).group(id)); }
    ScopeState& let_scope(ScopeId id) {
        if (id >= scopes.size() || scopes[id].type != ScopeType::async_let) throw std::logic_error("swift: not an async let scope");
        return let_scopes[scopes[id].index];
    }

    ScopeId add_scope(ScopeKind kind, TaskId owner, std::string name, ScopeType type, std::uint32_t index) {
        const ScopeId id = sched.trace().add_scope(ScopeInfo{.kind = kind, .owner = owner, .name = std::move(name), .span = sched.span()}).id;
        scope_ref(id) = ScopeRef{type, index};
        sched.emit(EventKind::scope_entered, owner, id, 0, static_cast<std::uint8_t>(kind));
        return id;
    }

    void observe(TaskId t, ObservedBy how) { sched.emit(EventKind::cancel_observed, t, 0, 0, static_cast<std::uint8_t>(how)); }

    void remove_record(TaskId owner, RecordKind kind, std::uint32_t id) {
        auto& recs = task(owner).records;
        for (std::size_t i = recs.size(); i-- > 0;) {
            if (recs[i].kind == kind && recs[i].id == id) {
                recs.erase(recs.begin() + static_cast<std::ptrdiff_t>(i));
                return;
            }
        }
    }

    /// Registers a task the scheduler just created and applies F12 (born cancelled).
    void adopt(TaskId id, TaskKind kind, TaskId parent, ScopeId scope, bool born_cancelled) {
        TaskState& t = task(id);
        t.swift = true;
        t.kind = kind;
        t.parent = parent;
        t.scope = scope;
        if (born_cancelled) {  // semantics: F12, F17
            t.cancelled = true;
            sched.emit(EventKind::cancel_requested, id, parent, scope, static_cast<std::uint8_t>(CancelCause::born_cancelled));
        }
    }

    /// The cancellation walk (semantics: F1, F2, F3, F7b, F11, F14). Depth first, with an
    /// explicit stack: a task's records innermost first, a group's children in addTask order.
    void run_cancel(std::vector<Work>& stack, TaskId requester) {
        while (!stack.empty()) {
            const Work w = stack.back();
            stack.pop_back();
            switch (w.kind) {
            case WorkKind::task: {
                TaskState& t = task(w.id);
                if (!t.swift || t.cancelled) break;          // semantics: F2 (idempotent)
                if (w.propagated && t.finished) break;       // a finished child left the tree
                t.cancelled = true;
                sched.emit(EventKind::cancel_requested, w.id, requester, w.via, static_cast<std::uint8_t>(w.cause));
                // A task suspended in a cancellable wait has that wait as its innermost record
                // (Task.sleep and URLSession install their own handler): it is woken first, at
                // this instant. Waits on next(), joins, async let and group exit are not.
                sched.interrupt(w.id, ResumeStatus::cancelled);  // semantics: F7b
                // Push in installation order so the innermost record is handled first.
                for (const Record& r : t.records) {
                    switch (r.kind) {
                    case RecordKind::handler:
                        stack.push_back(Work{WorkKind::handler, r.id, w.cause, 0, true});
                        break;
                    case RecordKind::async_let_child:
                        stack.push_back(Work{WorkKind::task, r.id, CancelCause::parent, tasks[r.id].scope, true});
                        break;
                    case RecordKind::group:
                        stack.push_back(Work{WorkKind::group, r.id, CancelCause::group, r.id, true});
                        break;
                    }
                }
                break;
            }
            case WorkKind::group: {
                GroupState& g = group(w.id);
                g.cancelled = true;  // semantics: F14
                for (std::size_t i = g.children.size(); i-- > 0;) {
                    const TaskId c = g.children[i];
                    const TaskState& ct = task(c);
                    if (ct.finished || ct.cancelled) continue;
                    stack.push_back(Work{WorkKind::task, c, w.cause, w.id, true});
                }
                break;
            }
            case WorkKind::handler: {
                const HandlerEntry& h = handlers[scopes[w.id].index];
                if (!h.alive) break;
                sched.emit(EventKind::handler_ran, h.owner, requester);
                // semantics: F11 — synchronously, inside the canceller's cancel(). Copied first:
                // the handler may install handlers of its own and grow the vector.
                const Handler fn = h.fn;
                if (fn) fn();
                break;
            }
            }
        }
    }

    void cancel_group(GroupId gid, CancelCause cause, TaskId requester) {
        std::vector<Work> stack{Work{WorkKind::group, gid, cause, gid, true}};
        run_cancel(stack, requester);
    }

    /// A child of a group finished: queue it for next(), apply the discarding-group rule, wake
    /// the owner if it waits for this.
    void child_finished(GroupId gid, TaskId child, Outcome outcome) {
        GroupState& g = group(gid);
        --g.running;
        if (is_discarding(g.kind)) {
            // semantics: F22 — any child that throws cancels the whole group at once.
            if (g.kind == ScopeKind::throwing_discarding_group && counts_as_thrown(outcome)) {
                if (g.first_error == 0) g.first_error = child;
                cancel_group(gid, CancelCause::child_error, child);
            }
        } else {
            g.completed.push_back(child);  // semantics: F18 (completion order)
        }
        GroupState& after = group(gid);
        if (after.waiter != 0 && (after.wait == GroupWait::any_child || after.running == 0)) {
            const TaskId w = after.waiter;
            after.waiter = 0;
            after.wait = GroupWait::none;
            sched.wake(w, ResumeStatus::normal);
        }
    }

    /// Takes the oldest completed, unconsumed child, or 0.
    TaskId pop_completed(GroupState& g) {
        if (g.head >= g.completed.size()) return 0;
        const TaskId c = g.completed[g.head++];
        if (g.head == g.completed.size()) {
            g.completed.clear();
            g.head = 0;
        }
        return c;
    }
};

Model::Model(Scheduler& scheduler) : m_sched(scheduler), m_impl(std::make_unique<Impl>(scheduler)) {}
Model::~Model() = default;

// ---- creating tasks ----------------------------------------------------------------------

TaskId Model::spawn_main(Co<void> body, std::string name) {
    const TaskId id = m_sched.spawn(TaskInfo{.kind = TaskKind::main, .name = std::move(name)}, std::move(body));
    m_impl->adopt(id, TaskKind::main, 0, 0, false);
    return id;
}

TaskId Model::spawn_unstructured(Co<void> body, std::string name, bool detached) {
    // semantics: F26 — no parent, so never born cancelled and never reached by a cancel walk.
    const TaskKind kind = detached ? TaskKind::detached : TaskKind::unstructured;
    const TaskId id = m_sched.spawn(TaskInfo{.kind = kind, .creator = m_sched.current(), .name = std::move(name)}, std::move(body));
    m_impl->adopt(id, kind, 0, 0, false);
    return id;
}

TaskId Model::add_task(GroupId group, Co<void> body, std::string name) {
    const GroupState& g = m_impl->group(group);
    const TaskId owner = g.owner;
    // semantics: F12, F17 — the child copies the group's flag and the owner's.
    const bool born_cancelled = g.cancelled || is_cancelled(owner);
    const TaskId id = m_sched.spawn(
        TaskInfo{.kind = TaskKind::child, .parent = owner, .creator = m_sched.current(), .scope = group, .name = std::move(name)},
        std::move(body));
    GroupState& after = m_impl->group(group);
    after.children.push_back(id);
    ++after.running;
    m_impl->adopt(id, TaskKind::child, owner, group, born_cancelled);
    return id;
}

TaskId Model::add_task_unless_cancelled(GroupId group, Co<void> body, std::string name) {
    if (m_impl->group(group).cancelled) {  // semantics: F13, F17
        m_impl->observe(m_sched.current(), ObservedBy::add_task_refused);
        return 0;
    }
    return add_task(group, std::move(body), std::move(name));
}

TaskId Model::async_let(ScopeId scope, Co<void> body, std::string name) {
    const TaskId parent = m_sched.current();
    const bool born_cancelled = is_cancelled(parent);  // semantics: F12, F23
    const TaskId id = m_sched.spawn(
        TaskInfo{.kind = TaskKind::async_let, .parent = parent, .creator = parent, .scope = scope, .name = std::move(name)},
        std::move(body));
    m_impl->let_scope(scope).bindings.push_back(id);
    m_impl->task(parent).records.push_back(Record{RecordKind::async_let_child, id});
    m_impl->adopt(id, TaskKind::async_let, parent, scope, born_cancelled);
    return id;
}

// ---- cancellation --------------------------------------------------------------------------

void Model::cancel(TaskId target, CancelCause cause, TaskId requester) {
    if (target == 0 || !is_swift_task(target)) return;
    std::vector<Work> stack{Work{WorkKind::task, target, cause, 0, false}};
    m_impl->run_cancel(stack, requester);
}

bool Model::is_cancelled(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr && t->swift && t->cancelled;
}

bool Model::current_is_cancelled() {
    const TaskId self = m_sched.current();
    if (!is_cancelled(self)) return false;  // semantics: F4 (false outside a Swift task)
    TaskState& t = m_impl->task(self);
    if (!t.observed_flag) {
        t.observed_flag = true;
        m_impl->observe(self, ObservedBy::is_cancelled);
    }
    return true;
}

bool Model::check_cancellation() {
    const TaskId self = m_sched.current();
    if (!is_cancelled(self)) return false;  // semantics: F5
    m_impl->observe(self, ObservedBy::check_cancellation);
    return true;
}

// ---- suspension points ------------------------------------------------------------------------

Co<WaitResult> Model::sleep(Tick duration, SleepKind kind) {
    if (kind == SleepKind::uninterruptible) {
        co_await m_sched.sleep_for(duration, Interruptible::no);  // semantics: F8
        co_return WaitResult::ok;
    }
    const TaskId self = m_sched.current();
    if (is_cancelled(self)) {  // semantics: F7a — at once, no suspension, even for 0 s
        m_impl->observe(self, ObservedBy::sleep);
        co_return WaitResult::cancelled;
    }
    const ResumeStatus status = co_await m_sched.sleep_for(duration, Interruptible::yes);
    if (status == ResumeStatus::cancelled) {  // semantics: F7b — woken at the cancel instant
        m_impl->observe(self, ObservedBy::sleep);
        co_return WaitResult::cancelled;
    }
    co_return WaitResult::ok;
}

Co<WaitResult> Model::network(Tick latency, std::string what) {
    const TaskId self = m_sched.current();
    if (is_cancelled(self)) {  // URLSession's cancellation handler runs before the request starts
        m_impl->observe(self, ObservedBy::network);
        co_return WaitResult::cancelled;
    }
    const ResumeStatus status = co_await m_sched.sleep_for(latency, Interruptible::yes, WaitReason::network, what);
    if (status == ResumeStatus::cancelled) {
        m_impl->observe(self, ObservedBy::network);
        co_return WaitResult::cancelled;
    }
    co_return WaitResult::ok;
}

Co<void> Model::block(Tick duration) {
    co_await m_sched.block_for(duration);  // semantics: §5 — blocking work observes nothing
}

// ---- withTaskCancellationHandler ---------------------------------------------------------------

std::uint32_t Model::push_handler(Handler handler) {
    const TaskId self = m_sched.current();
    const auto index = static_cast<std::uint32_t>(m_impl->handlers.size());
    m_impl->handlers.push_back(HandlerEntry{self, std::move(handler), true});
    const ScopeId token = m_impl->add_scope(ScopeKind::cancellation_handler, self, "withTaskCancellationHandler",
                                            ScopeType::handler, index);
    m_impl->task(self).records.push_back(Record{RecordKind::handler, token});
    if (is_cancelled(self)) {  // semantics: F10 — at once, before the operation, on the task itself
        m_sched.emit(EventKind::handler_ran, self, self);
        const Handler fn = m_impl->handlers[index].fn;
        if (fn) fn();
    }
    return token;
}

void Model::pop_handler(std::uint32_t token) {
    const ScopeRef ref = m_impl->scope_ref(token);
    if (ref.type != ScopeType::handler) throw std::logic_error("swift: pop_handler with an unknown token");
    HandlerEntry& h = m_impl->handlers[ref.index];
    if (!h.alive) return;
    h.alive = false;  // semantics: F9 — a later cancel() does not run it
    h.fn = nullptr;
    const TaskId owner = h.owner;
    m_impl->remove_record(owner, RecordKind::handler, token);
    m_sched.emit(EventKind::scope_exited, owner, token, 0, static_cast<std::uint8_t>(ScopeKind::cancellation_handler));
}

// ---- task groups -------------------------------------------------------------------------------

GroupId Model::enter_group(ScopeKind kind, std::string name) {
    const TaskId self = m_sched.current();
    const auto index = static_cast<std::uint32_t>(m_impl->groups.size());
    GroupState g;
    g.kind = kind;
    g.owner = self;
    g.cancelled = is_cancelled(self);  // semantics: F13
    m_impl->groups.push_back(std::move(g));
    const GroupId id = m_impl->add_scope(kind, self, std::move(name), ScopeType::group, index);
    m_impl->task(self).records.push_back(Record{RecordKind::group, id});
    return id;
}

void Model::cancel_all(GroupId group) {
    // semantics: F15, F16 — the group and its children only; never the owner or its handlers.
    m_impl->cancel_group(group, CancelCause::group_cancel_all, m_sched.current());
}

bool Model::group_is_cancelled(GroupId group) const { return m_impl->group(group).cancelled; }

bool Model::group_is_empty(GroupId group) const {
    const GroupState& g = m_impl->group(group);
    return g.running == 0 && g.head >= g.completed.size();
}

Co<TaskId> Model::next(GroupId group) {
    const TaskId self = m_sched.current();
    if (is_discarding(m_impl->group(group).kind)) co_return 0;  // discarding groups keep no results
    for (;;) {
        GroupState& g = m_impl->group(group);
        const TaskId child = m_impl->pop_completed(g);
        if (child != 0) {  // semantics: F18 — completion order; returns without suspending
            if (counts_as_thrown(outcome(child)))  // semantics: F21 — delivered, the group is not cancelled
                m_sched.emit(EventKind::error_delivered, g.owner, child);
            co_return child;
        }
        if (g.running == 0) co_return 0;  // semantics: F18 — an empty group answers nil at once
        g.waiter = self;
        g.wait = GroupWait::any_child;
        co_await m_sched.park(WaitReason::group, group, "next()", Interruptible::no);
    }
}

Co<TaskId> Model::wait_for_all(GroupId group) {
    const TaskId self = m_sched.current();
    TaskId first_error = 0;
    for (;;) {
        GroupState& g = m_impl->group(group);
        for (TaskId c = m_impl->pop_completed(g); c != 0; c = m_impl->pop_completed(g))
            if (first_error == 0 && counts_as_thrown(outcome(c))) first_error = c;
        if (g.running == 0) break;
        g.waiter = self;
        g.wait = GroupWait::all_children;
        co_await m_sched.park(WaitReason::group, group, "waitForAll()", Interruptible::no);
    }
    // semantics: F21 — the first error is rethrown after draining; nothing is cancelled.
    if (first_error != 0) m_sched.emit(EventKind::error_delivered, self, first_error);
    co_return first_error;
}

Co<TaskId> Model::exit_group(GroupId group, bool body_threw, TaskId failed_child) {
    const TaskId self = m_sched.current();
    if (body_threw) {
        // semantics: F14, F20 — an error leaving the body cancels the group (not the owner).
        const CancelCause cause = failed_child != 0 ? CancelCause::child_error : CancelCause::group;
        m_impl->cancel_group(group, cause, failed_child != 0 ? failed_child : self);
    }
    // semantics: F19 — a normal return cancels nothing: every remaining child is awaited and
    // its result or error discarded.
    for (;;) {
        GroupState& g = m_impl->group(group);
        g.completed.clear();
        g.head = 0;
        if (g.running == 0) break;
        g.waiter = self;
        g.wait = GroupWait::all_children;
        co_await m_sched.park(WaitReason::group, group, "awaiting remaining children", Interruptible::no);
    }
    GroupState& g = m_impl->group(group);
    g.exited = true;
    const TaskId first_error = is_discarding(g.kind) ? g.first_error : 0;
    const ScopeKind kind = g.kind;
    m_impl->remove_record(g.owner, RecordKind::group, group);
    // semantics: F22 — a discarding group throws its first child error, unless the body threw.
    if (first_error != 0 && !body_threw) m_sched.emit(EventKind::error_delivered, self, first_error);
    m_sched.emit(EventKind::scope_exited, self, group, 0, static_cast<std::uint8_t>(kind));
    co_return first_error;
}

// ---- async let -----------------------------------------------------------------------------------

ScopeId Model::enter_async_let_scope(std::string name) {
    const TaskId self = m_sched.current();
    const auto index = static_cast<std::uint32_t>(m_impl->let_scopes.size());
    m_impl->let_scopes.push_back(ScopeState{self, {}, false});
    return m_impl->add_scope(ScopeKind::async_let, self, std::move(name), ScopeType::async_let, index);
}

Co<void> Model::await_async_let(TaskId child) {
    m_impl->task(child).awaited = true;  // semantics: F24 — scope exit leaves it alone
    const std::string what = m_sched.trace().task(child).name;
    for (;;) {
        TaskState& c = m_impl->task(child);
        if (c.finished) break;
        c.joiners.push_back(m_sched.current());
        co_await m_sched.park(WaitReason::async_let, child, what, Interruptible::no);
    }
}

Co<void> Model::exit_async_let_scope(ScopeId scope) {
    const TaskId self = m_sched.current();
    // semantics: F24, F25 — one binding at a time, in reverse declaration order: cancel the
    // last unawaited binding, wait for it to finish, only then move to the one before it.
    for (std::size_t i = m_impl->let_scope(scope).bindings.size(); i-- > 0;) {
        const TaskId child = m_impl->let_scope(scope).bindings[i];
        TaskState& c = m_impl->task(child);
        if (c.awaited) continue;
        c.awaited = true;
        if (c.finished) continue;  // AsyncLet.cpp: a finished child is not cancelled
        cancel(child, CancelCause::scope_exit, self);
        const std::string what = m_sched.trace().task(child).name;
        for (;;) {
            TaskState& cs = m_impl->task(child);
            if (cs.finished) break;
            cs.joiners.push_back(self);
            co_await m_sched.park(WaitReason::async_let, child, what, Interruptible::no);
        }
    }
    ScopeState& s = m_impl->let_scope(scope);
    s.exited = true;
    for (const TaskId child : s.bindings) m_impl->remove_record(s.owner, RecordKind::async_let_child, child);
    m_sched.emit(EventKind::scope_exited, self, scope, 0, static_cast<std::uint8_t>(ScopeKind::async_let));
}

// ---- joining and finishing -------------------------------------------------------------------------

Co<void> Model::join(TaskId task) {
    // semantics: F27 — the awaiter's cancellation is not forwarded (the wait is not interruptible
    // and nothing links the two tasks).
    const std::string what = m_sched.trace().task(task).name + ".value";
    for (;;) {
        TaskState& t = m_impl->task(task);
        if (t.finished) break;  // semantics: F28 — whatever the task produced is waiting
        t.joiners.push_back(m_sched.current());
        co_await m_sched.park(WaitReason::task, task, what, Interruptible::no);
    }
}

void Model::finish(Outcome outcome, std::string_view text) {
    const TaskId self = m_sched.current();
    m_sched.finish_current(outcome, text);
    TaskState& t = m_impl->task(self);
    t.finished = true;
    t.outcome = outcome;
    const std::vector<TaskId> joiners = std::move(t.joiners);
    t.joiners.clear();
    const ScopeId scope = t.scope;
    for (const TaskId j : joiners) m_sched.wake(j, ResumeStatus::normal);
    if (scope != 0 && m_impl->scope_ref(scope).type == ScopeType::group) m_impl->child_finished(scope, self, outcome);
}

bool Model::is_finished(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr && t->finished;
}

Outcome Model::outcome(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr ? t->outcome : Outcome::abandoned;
}

TaskId Model::parent(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr ? t->parent : 0;
}

ScopeId Model::scope_of(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr ? t->scope : 0;
}

bool Model::is_swift_task(TaskId task) const {
    const TaskState* t = m_impl->find_task(task);
    return t != nullptr && t->swift;
}

}  // namespace tasklab::swift
