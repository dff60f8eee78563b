// The GCD DispatchWorkItem model (semantics.md §2). See gcd.hpp.
//
// Every submission becomes an execution task at once (so submit() can return its id). On a
// serial queue an execution submitted while the queue is busy is created "not started"
// (Scheduler::spawn_held) and started when it is handed the slot, in arrival order, as the
// execution before it ends (one that arrives later through asyncAfter parks with
// WaitReason::queue_slot instead); the main queue is
// held by the main thread until dispatch_main(). On a concurrent queue every execution runs
// as soon as the scheduler reaches it (an unlimited thread pool).
//
// An execution whose item is cancelled when its slot comes skips the body, records
// cancel_observed(body_skipped) and task_finished(skipped), and still counts as executed:
// notify blocks are submitted and wait() returns then, not at the cancel (F32).
#include "gcd.hpp"

#include <map>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace tasklab::gcd {

namespace {

struct QueueState {
    std::string label;
    bool serial = false;
    bool held = false;            // the main queue, until dispatch_main()
    TaskId busy = 0;              // serial: the execution holding the slot
    std::vector<TaskId> waiting;  // serial: executions waiting for the slot, from `head`
    std::size_t head = 0;
};

struct NotifyEntry {
    QueueId queue = 0;
    ItemId item = 0;
};

struct ItemState {
    Model::Body body;
    std::string name;
    bool cancelled = false;           // the DBF_CANCELED flag (semantics: F30, F31)
    bool executed = false;            // the item's group was left: notify fired, wait() returns
    std::vector<TaskId> executions;   // pending or running executions
    std::vector<NotifyEntry> notifies;
    std::vector<TaskId> waiters;
    bool waited = false;
};

struct GroupState {
    std::string name;
    std::int64_t count = 0;           // enter() minus leave(); async(group:) counts its execution
    std::vector<NotifyEntry> notifies;
    std::vector<TaskId> waiters;
};

struct SemaphoreState {
    std::string name;
    std::int64_t value = 0;           // below zero: -value tasks wait
    std::vector<TaskId> waiters;      // FIFO
};

/// Removes `t` from `v`; true if it was there.
bool remove_task(std::vector<TaskId>& v, TaskId t) {
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == t) {
            v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
            return true;
        }
    }
    return false;
}

/// What a task is executing (work-item executions, and a task inside perform()).
struct ExecState {
    ItemId item = 0;
    QueueId queue = 0;
    bool observed = false;  // cancel_observed(is_cancelled) recorded for this execution
};

}  // namespace

struct Model::Impl {
    explicit Impl(Scheduler& s) : sched(s) {}

    Scheduler& sched;
    std::vector<QueueState> queues;
    std::vector<std::uint32_t> queue_index;           // by ScopeId; 0: not a queue
    std::vector<ItemState> items = std::vector<ItemState>(1);  // index 0: no item
    std::vector<ExecState> execs;                     // by TaskId
    QueueId global = 0;
    QueueId main = 0;
    std::map<std::string, std::uint32_t> names;        // items made so far, by name
    std::vector<GroupState> groups = std::vector<GroupState>(1);          // index 0: no group
    std::vector<SemaphoreState> semaphores = std::vector<SemaphoreState>(1);
    std::map<TaskId, GroupId> exec_group;             // executions submitted with async(group:)

    GroupState& group(GroupId id) {
        if (id == 0 || id >= groups.size()) throw std::logic_error("gcd: not a group");
        return groups[id];
    }
    SemaphoreState& semaphore(SemaphoreId id) {
        if (id == 0 || id >= semaphores.size()) throw std::logic_error("gcd: not a semaphore");
        return semaphores[id];
    }

    bool leave(GroupId g, TaskId by) {
        GroupState& gs = group(g);
        if (gs.count <= 0) return false;
        if (--gs.count > 0) return true;
        const std::vector<NotifyEntry> notifies = std::move(gs.notifies);
        const std::vector<TaskId> waiters = std::move(gs.waiters);
        group(g).notifies.clear();
        group(g).waiters.clear();
        for (const NotifyEntry& n : notifies) submit(n.queue, n.item, -1, by);
        for (const TaskId w : waiters) sched.wake(w, ResumeStatus::normal);
        return true;
    }

    QueueState& queue(QueueId id) {
        if (id >= queue_index.size() || queue_index[id] == 0) throw std::logic_error("gcd: not a queue");
        return queues[queue_index[id] - 1];
    }
    ItemState& item(ItemId id) {
        if (id == 0 || id >= items.size()) throw std::logic_error("gcd: not a work item");
        return items[id];
    }
    ExecState& exec(TaskId t) {
        if (t >= execs.size()) execs.resize(t + 1);
        return execs[t];
    }

    QueueId add_queue(std::string label, bool serial, bool held, TaskId owner) {
        const QueueId id = sched.trace().add_scope(ScopeInfo{.kind = ScopeKind::dispatch_queue, .owner = owner, .name = label}).id;
        queues.push_back(QueueState{std::move(label), serial, held, 0, {}, 0});
        if (id >= queue_index.size()) queue_index.resize(id + 1, 0);
        queue_index[id] = static_cast<std::uint32_t>(queues.size());
        return id;
    }

    /// Serial queue: gives the slot to the next waiting execution, if the queue is free.
    void hand_off(QueueId q) {
        QueueState& qs = queue(q);
        if (qs.busy != 0 || qs.held || qs.head >= qs.waiting.size()) return;
        qs.busy = qs.waiting[qs.head++];
        if (qs.head == qs.waiting.size()) {
            qs.waiting.clear();
            qs.head = 0;
        }
        // An execution submitted to the busy queue has not started yet: it starts now. One
        // that arrived after a delay (asyncAfter) started and parked for the slot: it resumes.
        if (!sched.release(qs.busy)) sched.wake(qs.busy, ResumeStatus::normal);
    }

    TaskId submit(QueueId q, ItemId it, Tick delay, TaskId creator) {
        queue(q);  // validates
        const std::string name = item(it).name;
        TaskInfo info{.kind = TaskKind::work_item, .creator = creator, .scope = q, .name = name};
        QueueState& qs = queue(q);
        TaskId id = 0;
        if (delay < 0 && qs.serial && (qs.busy != 0 || qs.held || qs.head < qs.waiting.size())) {
            // semantics: F32 — it waits in the queue, not started, until its slot comes.
            id = sched.spawn_held(std::move(info), run_execution(it, q));
            queue(q).waiting.push_back(id);
        } else {
            id = sched.spawn(std::move(info), run_execution(it, q), delay);
            // A free serial queue is this execution's from now on: what is submitted after it
            // waits behind it, even before it has had its first step.
            if (delay < 0 && qs.serial) queue(q).busy = id;
        }
        exec(id) = ExecState{it, q, false};
        item(it).executions.push_back(id);
        return id;
    }

    /// The item has executed (or was skipped) on `runner`: leave its group. semantics: F32
    void complete(ItemId it, TaskId runner) {
        ItemState& s = item(it);
        for (std::size_t i = 0; i < s.executions.size(); ++i) {
            if (s.executions[i] == runner) {
                s.executions.erase(s.executions.begin() + static_cast<std::ptrdiff_t>(i));
                break;
            }
        }
        const bool first = !s.executed;
        s.executed = true;
        std::vector<NotifyEntry> notifies;
        if (first) notifies = std::move(s.notifies);
        s.notifies.clear();
        const std::vector<TaskId> waiters = std::move(s.waiters);
        item(it).waiters.clear();
        // Several notify blocks: the real order is unspecified; tasklab submits them in the
        // order they were registered. semantics: F34
        for (const NotifyEntry& n : notifies) submit(n.queue, n.item, -1, runner);
        for (const TaskId w : waiters) sched.wake(w, ResumeStatus::normal);
    }

    Co<void> run_execution(ItemId it, QueueId q) {
        const TaskId self = sched.current();
        if (queue(q).serial) {
            QueueState& qs = queue(q);
            if (qs.busy == self) {
                // Submitted behind earlier items: hand_off() gave it the slot and started it.
            } else if (qs.busy != 0 || qs.held || qs.head < qs.waiting.size()) {
                qs.waiting.push_back(self);
                const std::string what = "slot on " + qs.label;
                co_await sched.park(WaitReason::queue_slot, q, what, Interruptible::no);
                // hand_off() made this execution the slot holder before waking it.
            } else {
                qs.busy = self;
            }
        }
        if (item(it).cancelled) {
            // semantics: F30, F32 — cancelled before start: the body is skipped, but this still
            // counts as the item's execution.
            sched.emit(EventKind::cancel_observed, self, 0, 0, static_cast<std::uint8_t>(ObservedBy::body_skipped));
            sched.finish_current(Outcome::skipped, {});
        } else {
            // The factory is called once per execution. It is copied into this frame first: a
            // coroutine lambda's captures live in the factory, which must outlive the body.
            const Model::Body factory = item(it).body;
            Co<void> body = factory();
            co_await body;
            sched.finish_current(Outcome::returned, {});
        }
        complete(it, self);
        if (const auto g = exec_group.find(self); g != exec_group.end()) {
            const GroupId group_id = g->second;
            exec_group.erase(g);
            leave(group_id, self);
        }
        if (queue(q).serial) {
            queue(q).busy = 0;
            hand_off(q);
        }
    }
};

Model::Model(Scheduler& scheduler) : m_sched(scheduler), m_impl(std::make_unique<Impl>(scheduler)) {}
Model::~Model() = default;

QueueId Model::global_queue() {
    if (m_impl->global == 0) m_impl->global = m_impl->add_queue("DispatchQueue.global()", false, false, 0);
    return m_impl->global;
}

QueueId Model::main_queue() {
    if (m_impl->main == 0) m_impl->main = m_impl->add_queue("DispatchQueue.main", true, true, 0);
    return m_impl->main;
}

QueueId Model::make_queue(std::string label, bool serial) {
    return m_impl->add_queue(std::move(label), serial, false, m_sched.current());
}

ItemId Model::make_item(Body body, std::string name) {
    const auto id = static_cast<ItemId>(m_impl->items.size());
    // Items made in a loop share their variable's name: the second `item` is `item #2`, so
    // every lane has its own label.
    const std::uint32_t seen = ++m_impl->names[name];
    if (seen > 1) name += " #" + std::to_string(seen);
    ItemState s;
    s.body = std::move(body);
    s.name = std::move(name);
    m_impl->items.push_back(std::move(s));
    return id;
}

TaskId Model::submit(QueueId queue, ItemId item, Tick delay) {
    return m_impl->submit(queue, item, delay, m_sched.current());
}

void Model::cancel(ItemId item) {
    ItemState& s = m_impl->item(item);
    s.cancelled = true;  // semantics: F30, F33 — the flag only: nothing is interrupted, nothing propagates
    const TaskId requester = m_sched.current();
    const auto cause = static_cast<std::uint8_t>(CancelCause::explicit_call);
    if (s.executions.empty()) {
        m_sched.emit(EventKind::cancel_requested, 0, requester, 0, cause);
        return;
    }
    for (const TaskId e : s.executions) {
        const ExecState& x = m_impl->exec(e);
        m_sched.emit(EventKind::cancel_requested, e, requester, x.queue, cause);
    }
}

bool Model::is_cancelled(ItemId item) const {
    return item != 0 && item < m_impl->items.size() && m_impl->items[item].cancelled;  // semantics: F31
}

bool Model::observe_is_cancelled(ItemId item) {
    const bool flag = is_cancelled(item);
    const TaskId self = m_sched.current();
    if (flag && self != 0 && item_of(self) == item) {
        ExecState& x = m_impl->exec(self);
        if (!x.observed) {
            x.observed = true;
            m_sched.emit(EventKind::cancel_observed, self, 0, 0, static_cast<std::uint8_t>(ObservedBy::is_cancelled));
        }
    }
    return flag;
}

void Model::notify(ItemId item, QueueId queue, ItemId notify_item) {
    m_impl->queue(queue);
    m_impl->item(notify_item);
    ItemState& s = m_impl->item(item);
    if (s.executed) {  // semantics: F34 — already executed: submitted at once
        m_impl->submit(queue, notify_item, -1, m_sched.current());
        return;
    }
    s.notifies.push_back(NotifyEntry{queue, notify_item});  // semantics: F32 — fires at the item's slot
}

Co<void> Model::wait(ItemId item) {
    const TaskId self = m_sched.current();
    m_impl->item(item).waited = true;
    const std::string what = "wait() for " + m_impl->item(item).name;
    for (;;) {
        ItemState& s = m_impl->item(item);
        if (s.executed) break;  // semantics: F32 — a skipped execution also releases wait()
        s.waiters.push_back(self);
        const TaskId related = s.executions.empty() ? 0 : s.executions.front();
        co_await m_sched.park(WaitReason::work_item, related, what, Interruptible::no);
    }
}

Co<bool> Model::wait_for(ItemId item, Tick timeout) {
    const TaskId self = m_sched.current();
    m_impl->item(item).waited = true;
    const std::string what = "wait(timeout:) for " + m_impl->item(item).name;
    ItemState& s = m_impl->item(item);
    if (s.executed) co_return true;  // semantics: F32
    s.waiters.push_back(self);
    const TaskId related = s.executions.empty() ? 0 : s.executions.front();
    const ResumeStatus how = co_await m_sched.park_for(WaitReason::work_item, related, what, timeout);
    if (how == ResumeStatus::timeout) {
        remove_task(m_impl->item(item).waiters, self);
        co_return false;
    }
    co_return true;
}

GroupId Model::make_group(std::string name) {
    const auto id = static_cast<GroupId>(m_impl->groups.size());
    m_impl->groups.push_back(GroupState{std::move(name), 0, {}, {}});
    return id;
}

TaskId Model::submit_in_group(QueueId queue, ItemId item, GroupId group) {
    m_impl->group(group).count += 1;  // entered at the submission, left when it has executed
    const TaskId id = m_impl->submit(queue, item, -1, m_sched.current());
    m_impl->exec_group[id] = group;
    return id;
}

void Model::group_enter(GroupId group) { m_impl->group(group).count += 1; }

bool Model::group_leave(GroupId group) { return m_impl->leave(group, m_sched.current()); }

void Model::group_notify(GroupId group, QueueId queue, ItemId item) {
    m_impl->queue(queue);
    m_impl->item(item);
    GroupState& gs = m_impl->group(group);
    if (gs.count == 0) {
        m_impl->submit(queue, item, -1, m_sched.current());
        return;
    }
    gs.notifies.push_back(NotifyEntry{queue, item});
}

Co<bool> Model::group_wait(GroupId group, Tick timeout) {
    const TaskId self = m_sched.current();
    GroupState& gs = m_impl->group(group);
    if (gs.count == 0) co_return true;
    gs.waiters.push_back(self);
    const std::string what = (timeout < 0 ? "wait() for " : "wait(timeout:) for ") + gs.name;
    if (timeout < 0) {
        co_await m_sched.park(WaitReason::work_item, 0, what, Interruptible::no);
        co_return true;
    }
    const ResumeStatus how = co_await m_sched.park_for(WaitReason::work_item, 0, what, timeout);
    if (how == ResumeStatus::timeout) {
        remove_task(m_impl->group(group).waiters, self);
        co_return false;
    }
    co_return true;
}

const std::string& Model::group_name(GroupId group) const { return m_impl->group(group).name; }

SemaphoreId Model::make_semaphore(std::string name, std::int64_t value) {
    const auto id = static_cast<SemaphoreId>(m_impl->semaphores.size());
    m_impl->semaphores.push_back(SemaphoreState{std::move(name), value, {}});
    return id;
}

bool Model::semaphore_signal(SemaphoreId sem) {
    SemaphoreState& ss = m_impl->semaphore(sem);
    ++ss.value;
    if (ss.waiters.empty()) return false;
    // The first waiter takes the signal (FIFO; the real order is unspecified).
    const TaskId w = ss.waiters.front();
    ss.waiters.erase(ss.waiters.begin());
    m_sched.wake(w, ResumeStatus::normal);
    return true;
}

Co<bool> Model::semaphore_wait(SemaphoreId sem, Tick timeout) {
    const TaskId self = m_sched.current();
    SemaphoreState& ss = m_impl->semaphore(sem);
    if (--ss.value >= 0) co_return true;
    ss.waiters.push_back(self);
    const std::string what = (timeout < 0 ? "wait() on " : "wait(timeout:) on ") + ss.name;
    if (timeout < 0) {
        co_await m_sched.park(WaitReason::event, 0, what, Interruptible::no);
        co_return true;
    }
    const ResumeStatus how = co_await m_sched.park_for(WaitReason::event, 0, what, timeout);
    if (how == ResumeStatus::timeout) {
        // Timed out: the task gives back the unit it took.
        SemaphoreState& again = m_impl->semaphore(sem);
        remove_task(again.waiters, self);
        ++again.value;
        co_return false;
    }
    co_return true;
}

std::int64_t Model::semaphore_value(SemaphoreId sem) const { return m_impl->semaphore(sem).value; }

bool Model::has_been_waited(ItemId item) const {
    return item != 0 && item < m_impl->items.size() && m_impl->items[item].waited;
}

Co<void> Model::perform(ItemId item) {
    const TaskId self = m_sched.current();
    const ExecState saved = m_impl->exec(self);
    m_impl->exec(self) = ExecState{item, 0, false};
    m_impl->item(item).executions.push_back(self);
    if (m_impl->item(item).cancelled) {  // semantics: F32 — perform() of a cancelled item skips the body
        m_sched.emit(EventKind::cancel_observed, self, 0, 0, static_cast<std::uint8_t>(ObservedBy::body_skipped));
    } else {
        const Body factory = m_impl->item(item).body;  // outlives the body (see run_execution)
        Co<void> body = factory();
        co_await body;
    }
    m_impl->exec(self) = saved;
    m_impl->complete(item, self);
}

Co<void> Model::enter_sync(QueueId queue) {
    const TaskId self = m_sched.current();
    QueueState& qs = m_impl->queue(queue);
    if (!qs.serial) co_return;
    if (qs.busy == 0 && !qs.held && qs.head >= qs.waiting.size()) {
        qs.busy = self;
        co_return;
    }
    // Behind the block running now and the executions already waiting: the same FIFO.
    qs.waiting.push_back(self);
    const std::string what = "sync on " + qs.label;
    co_await m_sched.park(WaitReason::queue_slot, queue, what, Interruptible::no);
    // hand_off() made this task the slot holder before waking it.
}

void Model::leave_sync(QueueId queue) {
    QueueState& qs = m_impl->queue(queue);
    if (!qs.serial || qs.busy != m_sched.current()) return;
    qs.busy = 0;
    m_impl->hand_off(queue);
}

bool Model::sync_deadlocks(QueueId queue) const {
    const TaskId self = m_sched.current();
    const QueueState& qs = m_impl->queue(queue);
    if (!qs.serial) return false;
    if (qs.busy == self) return true;
    return qs.held && self != 0 && m_sched.trace().task(self).kind == TaskKind::main;
}

Co<void> Model::dispatch_main() {
    const QueueId q = main_queue();
    m_impl->queue(q).held = false;  // the main thread now serves the main queue
    m_impl->hand_off(q);
    co_await m_sched.park(WaitReason::forever, 0, "dispatchMain()", Interruptible::no);
}

ItemId Model::item_of(TaskId task) const { return task < m_impl->execs.size() ? m_impl->execs[task].item : 0; }

const std::string& Model::item_name(ItemId item) const {
    static const std::string none;
    return item != 0 && item < m_impl->items.size() ? m_impl->items[item].name : none;
}

bool Model::is_executed(ItemId item) const {
    return item != 0 && item < m_impl->items.size() && m_impl->items[item].executed;
}

}  // namespace tasklab::gcd
