// The Swift Concurrency cancellation model (semantics.md §1, rules F1–F29).
//
// A policy layered on the scheduler: it keeps, per Swift task, the sticky cancelled flag,
// the cancellation-handler records, the structured children, and the task groups and
// `async let` scopes it owns; it decides when a cancel wakes a suspended task and when a
// child is born cancelled. It knows nothing about the interpreter: task bodies are Co<void>
// coroutines and results stay with whoever runs the body (the interpreter keeps a value per
// TaskId). Every body must end by calling finish().
//
// The same API drives the benchmarks with native coroutine bodies, so what is measured is
// what scenarios run.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/co.hpp"
#include "engine/scheduler.hpp"
#include "engine/trace.hpp"

namespace tasklab::swift {

using GroupId = ScopeId;

/// F7 versus F8: Task.sleep(for:) / sleep(nanoseconds:) are cancellable; the deprecated
/// non-throwing Task.sleep(UInt64) is not.
enum class SleepKind : std::uint8_t { cancellable, uninterruptible };

/// What a suspension point reports back: `cancelled` means "throw CancellationError"
/// (or URLError(.cancelled) for a network call).
enum class WaitResult : std::uint8_t { ok, cancelled };

class Model {
public:
    explicit Model(Scheduler& scheduler);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // ---- creating tasks ----------------------------------------------------------------
    /// The program's top-level code.
    TaskId spawn_main(Co<void> body, std::string name = "main");
    /// `Task {}` (detached = false) or `Task.detached {}`: not a child, never born cancelled,
    /// never cancelled with its creator. semantics: F26
    TaskId spawn_unstructured(Co<void> body, std::string name, bool detached);
    /// group.addTask: always creates and runs the child; born cancelled when the group or the
    /// owner is cancelled. semantics: F12, F17
    TaskId add_task(GroupId group, Co<void> body, std::string name);
    /// group.addTaskUnlessCancelled: creates nothing and returns 0 when the group is cancelled
    /// (records cancel_observed / add_task_refused). semantics: F13, F17
    TaskId add_task_unless_cancelled(GroupId group, Co<void> body, std::string name);
    /// `async let`: a child of the running task, started at once, born cancelled when the
    /// parent is. semantics: F23
    TaskId async_let(ScopeId scope, Co<void> body, std::string name);

    // ---- cancellation ------------------------------------------------------------------
    /// task.cancel() and every propagated cancel: sets the sticky flag (idempotent), runs the
    /// task's handlers innermost first, wakes a cancellable wait at this instant, then cancels
    /// its children and groups (explicit stack, no recursion). semantics: F1, F2, F3, F7b, F11, F14
    void cancel(TaskId target, CancelCause cause, TaskId requester);
    /// The flag of any task (task.isCancelled); no event. semantics: F4
    [[nodiscard]] bool is_cancelled(TaskId task) const;
    /// Task.isCancelled read by the running task (false outside a Swift task); records
    /// cancel_observed(is_cancelled) the first time it reads true. semantics: F4
    bool current_is_cancelled();
    /// Task.checkCancellation(): true means "throw CancellationError()"; records
    /// cancel_observed(check_cancellation). semantics: F5
    bool check_cancellation();

    // ---- suspension points of the running task -----------------------------------------
    /// Task.sleep: cancellable sleeps return `cancelled` at once when already cancelled (even
    /// for 0 s) and are woken at the cancel instant; uninterruptible ones ignore cancellation.
    /// semantics: F7, F8
    Co<WaitResult> sleep(Tick duration, SleepKind kind);
    /// A simulated cancellable network call (URLSession.data): like a cancellable sleep of
    /// `latency`, observed as ObservedBy::network. `what` labels the wait ("GET https://…").
    Co<WaitResult> network(Tick latency, std::string what);
    /// Thread-blocking work (`sleep(n)`): blocks this task for `duration`; others run; nothing
    /// interrupts it and it observes nothing. semantics: §5
    Co<void> block(Tick duration);

    // ---- withTaskCancellationHandler -----------------------------------------------------
    /// Runs synchronously and must not suspend.
    using Handler = std::function<void()>;
    /// Installs a handler for the running task; if the task is already cancelled the handler
    /// runs at once, before the operation (F10). Returns a token for pop_handler.
    /// semantics: F9, F10, F11
    std::uint32_t push_handler(Handler handler);
    /// Removes the handler when the operation returns: a later cancel does not run it. semantics: F9
    void pop_handler(std::uint32_t token);

    // ---- task groups ---------------------------------------------------------------------
    /// withTaskGroup / withThrowingTaskGroup / with(Throwing)DiscardingTaskGroup entered by the
    /// running task; a group created in a cancelled task starts cancelled. semantics: F13
    GroupId enter_group(ScopeKind kind, std::string name);
    /// group.cancelAll(): cancels the group and its children, never the owner. semantics: F15, F16
    void cancel_all(GroupId group);
    [[nodiscard]] bool group_is_cancelled(GroupId group) const;
    /// group.next() / one turn of `for try await`: the next finished child in completion
    /// order, or 0 when no child is left (returns at once). A child that threw is reported with
    /// an error_delivered event; it does not cancel the group. semantics: F18, F21
    Co<TaskId> next(GroupId group);
    /// waitForAll(): waits for every child; returns the first child (in completion order) that
    /// threw and was not consumed, or 0. Does not cancel. semantics: F21
    Co<TaskId> wait_for_all(GroupId group);
    /// The body of the group closure has finished. Returned normally: await every remaining
    /// child, cancelling none (F19). Threw: cancel the group (cause child_error when
    /// `failed_child` is set, else group), then await every remaining child (F20). Discarding
    /// groups: a throwing child cancels the group as soon as it finishes (F22). Returns the first
    /// child that threw in a discarding group, else 0. Records scope_exited.
    Co<TaskId> exit_group(GroupId group, bool body_threw, TaskId failed_child);
    [[nodiscard]] bool group_is_empty(GroupId group) const;

    // ---- async let -----------------------------------------------------------------------
    /// The lexical scope that holds `async let` bindings (a function body or block).
    ScopeId enter_async_let_scope(std::string name);
    /// `await x` of an async let: marks it awaited (so scope exit leaves it alone) and waits
    /// for it. Awaiting does not forward cancellation beyond the tree rules. semantics: F24
    Co<void> await_async_let(TaskId child);
    /// Scope exit: every binding not yet awaited is cancelled and awaited, one at a time, in
    /// reverse declaration order (cancel b, wait b, then cancel a, wait a). semantics: F24, F25
    Co<void> exit_async_let_scope(ScopeId scope);

    // ---- joining and finishing -----------------------------------------------------------
    /// `await task.value`: waits for `task`; the awaiter's cancellation is not forwarded. semantics: F27
    Co<void> join(TaskId task);
    /// Every body's last act: records task_finished and wakes joiners, the group, the scope.
    /// `threw` and `cancelled` both count as "threw" for the group rules.
    void finish(Outcome outcome, std::string_view text);
    [[nodiscard]] bool is_finished(TaskId task) const;
    [[nodiscard]] Outcome outcome(TaskId task) const;
    /// The structured parent (0 for main, unstructured and detached tasks).
    [[nodiscard]] TaskId parent(TaskId task) const;
    /// Group or async-let scope the task belongs to (0: none).
    [[nodiscard]] ScopeId scope_of(TaskId task) const;
    /// True for tasks created through this model (false for GCD executions, for example).
    [[nodiscard]] bool is_swift_task(TaskId task) const;
    [[nodiscard]] Scheduler& scheduler() { return m_sched; }

private:
    struct TaskState;
    struct GroupState;
    struct ScopeState;
    struct Impl;
    Scheduler& m_sched;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tasklab::swift
