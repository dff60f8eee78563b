// The GCD DispatchWorkItem model (semantics.md §2, rules F30–F35).
//
// Queues hand work items to "executions": each submission of an item becomes a scheduler
// task of kind work_item. There is no hierarchy: cancel() sets the item's flag and nothing
// else (F30, F33); an execution that starts after the cancel skips the body but still
// counts as executed, so notify blocks and wait() fire at the item's queue slot, not at the
// cancel (F32). Serial queues run one execution at a time in submission order; the global
// queue runs them concurrently (tasklab models an unlimited thread pool: a blocking sleep in
// one item never delays another, see docs/semantics.md).
//
// Item bodies are factories of Co<void> supplied by the interpreter; the model wraps each
// execution and records task_finished (returned, or skipped).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "engine/co.hpp"
#include "engine/scheduler.hpp"
#include "engine/trace.hpp"

namespace tasklab::gcd {

using QueueId = ScopeId;
using ItemId = std::uint32_t;
using GroupId = std::uint32_t;
using SemaphoreId = std::uint32_t;

class Model {
public:
    explicit Model(Scheduler& scheduler);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    /// DispatchQueue.global() (every QoS shares one concurrent queue).
    QueueId global_queue();
    /// DispatchQueue.main: serial; its items run only while the main task is parked in
    /// dispatch_main() (a script's main thread is busy running top-level code otherwise).
    QueueId main_queue();
    /// DispatchQueue(label:) (serial) or DispatchQueue(label:attributes: .concurrent).
    QueueId make_queue(std::string label, bool serial);

    /// DispatchWorkItem { … }, or an anonymous item for `queue.async { … }`. `name` labels its
    /// lane ("outerItem"). The factory is called once per execution.
    using Body = std::function<Co<void>()>;
    ItemId make_item(Body body, std::string name);
    /// queue.async(execute:) (delay < 0) or queue.asyncAfter(deadline: .now() + delay, execute:).
    /// Returns the execution task. semantics: F32
    TaskId submit(QueueId queue, ItemId item, Tick delay = -1);
    /// item.cancel(): sets the flag only; a running execution is not affected; nothing
    /// propagates. Records cancel_requested for a pending execution. semantics: F30, F33
    void cancel(ItemId item);
    /// item.isCancelled: true forever after cancel(). semantics: F31
    [[nodiscard]] bool is_cancelled(ItemId item) const;
    /// Records cancel_observed(is_cancelled) the first time the running execution of `item`
    /// reads its own flag as true; returns the flag.
    bool observe_is_cancelled(ItemId item);
    /// item.notify(queue:execute:): `notify_item` is submitted to `queue` when `item` has
    /// executed (or was skipped); at once if it already has. semantics: F32, F34
    void notify(ItemId item, QueueId queue, ItemId notify_item);
    /// item.wait(): blocks the calling task (thread-blocking) until `item` has executed. semantics: F32
    Co<void> wait(ItemId item);
    /// item.wait(timeout:): the same, but gives up after `timeout` ticks (the task is woken
    /// with ResumeStatus::timeout). True: the item executed (`.success`); false: `.timedOut`.
    Co<bool> wait_for(ItemId item, Tick timeout);

    // ---- DispatchGroup ----
    /// DispatchGroup(): a counter of unfinished work; `name` labels its waits in the trace.
    GroupId make_group(std::string name);
    /// queue.async(group:execute:): like submit(), and the group counts the execution from now
    /// until it has executed (or was skipped).
    TaskId submit_in_group(QueueId queue, ItemId item, GroupId group);
    /// group.enter(): one more unit of work.
    void group_enter(GroupId group);
    /// group.leave(): one fewer. At zero the notify blocks registered so far are submitted (in
    /// registration order) and every waiter is woken. False, and nothing changes, when the
    /// group has no unit left: the real program crashes on an unbalanced leave().
    bool group_leave(GroupId group);
    /// group.notify(queue:execute:): `item` is submitted to `queue` the next time the count is
    /// zero; at once if it is zero now.
    void group_notify(GroupId group, QueueId queue, ItemId item);
    /// group.wait() (timeout < 0) or group.wait(timeout:): blocks the calling task until the
    /// count is zero or the timeout passed. True: `.success`; false: `.timedOut`.
    Co<bool> group_wait(GroupId group, Tick timeout);
    [[nodiscard]] const std::string& group_name(GroupId group) const;

    // ---- DispatchSemaphore ----
    /// DispatchSemaphore(value:).
    SemaphoreId make_semaphore(std::string name, std::int64_t value);
    /// semaphore.signal(): the value goes up; if a task is waiting, the first one (FIFO; the
    /// real order is unspecified) is woken and takes it. Returns whether a waiter was woken
    /// (the real signal() returns non-zero then).
    bool semaphore_signal(SemaphoreId sem);
    /// semaphore.wait() (timeout < 0) or wait(timeout:): the value goes down; below zero the
    /// calling task blocks until a signal() wakes it or the timeout passes (the value is then
    /// given back). True: `.success`; false: `.timedOut`.
    Co<bool> semaphore_wait(SemaphoreId sem, Tick timeout);
    [[nodiscard]] std::int64_t semaphore_value(SemaphoreId sem) const;

    /// item.perform(): runs the body on the calling task now (skipped if cancelled). semantics: F32
    Co<void> perform(ItemId item);
    /// queue.sync on a serial queue: the calling task takes the queue's slot, in submission
    /// order behind the executions already waiting, and waits for it (suspended with
    /// queue_slot; a thread-blocking wait nothing interrupts). The block then runs on the
    /// calling task; leave_sync() gives the slot back. On a concurrent queue both do nothing.
    Co<void> enter_sync(QueueId queue);
    void leave_sync(QueueId queue);
    /// True when queue.sync on `queue` from the running task can never get the slot: the task
    /// already holds it (sync from a block on that serial queue), or it is the main task
    /// calling DispatchQueue.main.sync. The real program crashes there.
    [[nodiscard]] bool sync_deadlocks(QueueId queue) const;
    /// dispatchMain(): the main task parks for good and the main queue starts draining.
    Co<void> dispatch_main();
    /// The item whose execution is running on `task`, or 0.
    [[nodiscard]] ItemId item_of(TaskId task) const;
    [[nodiscard]] const std::string& item_name(ItemId item) const;
    /// True once wait() was called on `item`: a second wait() crashes the real program. semantics: F34
    [[nodiscard]] bool has_been_waited(ItemId item) const;
    /// True once `item` has executed (or was skipped) at least once: its notify blocks fired.
    [[nodiscard]] bool is_executed(ItemId item) const;

private:
    struct Impl;
    Scheduler& m_sched;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tasklab::gcd
