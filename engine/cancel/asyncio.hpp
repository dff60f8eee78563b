// The asyncio cancellation model (semantics.md §3, rules A1–A18): CPython 3.11's futures,
// tasks, TaskGroup, timeout, wait_for, wait, gather, shield and asyncio.run, on tasklab's
// scheduler.
//
// It follows Lib/asyncio closely, because which pass of the loop a task wakes in decides what
// a program prints: a Task is a scheduler task that steps a coroutine; `await future` parks
// it with the future as its `_fut_waiter`; a future's done-callbacks are loop callbacks
// (Scheduler::call_soon), except a task's own wakeup, which is the task itself entering the
// ready queue; a sleep is a future resolved by a call_later timer. Task.cancel() only
// requests: it cancels the future the task waits on (or sets `_must_cancel`), and the
// CancelledError is raised into the coroutine when it next resumes.
//
// The model knows nothing about the interpreter. Results are opaque (std::any); exceptions
// are the interpreter's own objects seen through asyncio::Exception, and the exceptions the
// model raises by itself (CancelledError, TimeoutError, the TaskGroup's ExceptionGroup) are
// made by the Host the interpreter supplies. Task bodies are Co<void> coroutines that begin
// with begin_step() and end with finish().
//
// Where CPython iterates a set whose order follows memory addresses (TaskGroup._abort,
// asyncio.run cancelling what is left), tasklab uses task creation order (the oracle in
// tests/asyncio_oracle does the same).
#pragma once

#include <any>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/co.hpp"
#include "engine/scheduler.hpp"
#include "engine/trace.hpp"

namespace tasklab::asyncio {

/// A future of the model (a Task is a future too). 0 means none.
using FutureId = std::uint32_t;
/// A TaskGroup or a timeout scope: the trace's ScopeId.
using GroupId = ScopeId;
/// A timeout without a deadline (`asyncio.timeout(None)`); any other Tick, past ones included,
/// is a deadline.
inline constexpr Tick k_no_deadline = INT64_MIN;

/// The classes of exception the rules tell apart.
enum class ExcClass : std::uint8_t {
    cancelled_error,     ///< asyncio.CancelledError (a BaseException)
    keyboard_interrupt,  ///< KeyboardInterrupt
    system_exit,         ///< SystemExit
    exception,           ///< any Exception subclass
    base_exception,      ///< another BaseException (BaseExceptionGroup, GeneratorExit, …)
};

/// An exception object as the model sees it; the interpreter's exception objects implement it.
class Exception {
public:
    virtual ~Exception() = default;
    [[nodiscard]] virtual ExcClass exc_class() const = 0;
    /// repr() of the exception, for trace texts ("CancelledError('stop')").
    [[nodiscard]] virtual std::string describe() const = 0;
};
using ExcPtr = std::shared_ptr<Exception>;

/// How an operation of the model completed: a value, or an exception to raise.
struct Result {
    std::any value;
    ExcPtr error;
    [[nodiscard]] bool ok() const { return !error; }
    static Result of(std::any v) { return Result{std::move(v), nullptr}; }
    static Result raise(ExcPtr e) { return Result{{}, std::move(e)}; }
};

/// What the model needs from the interpreter: the objects it hands to the program.
class Host {
public:
    virtual ~Host() = default;
    /// `CancelledError()` or `CancelledError(message)`.
    virtual ExcPtr cancelled_error(const std::optional<std::string>& message) = 0;
    /// `TimeoutError()` raised while `context` was being handled; `cause` is its __cause__
    /// (`raise TimeoutError() from exc`), null for none.
    virtual ExcPtr timeout_error(const ExcPtr& cause, const ExcPtr& context) = 0;
    /// `BaseExceptionGroup('unhandled errors in a TaskGroup', errors)` (an ExceptionGroup when
    /// every error is an Exception), raised `from None`.
    virtual ExcPtr exception_group(std::vector<ExcPtr> errors) = 0;
    virtual ExcPtr runtime_error(const std::string& message) = 0;
    virtual ExcPtr invalid_state_error(const std::string& message) = 0;
    /// KeyboardInterrupt() (asyncio.run after a SIGINT cancelled the main task).
    virtual ExcPtr keyboard_interrupt() = 0;
    /// A list of results (gather): each item a value or, with return_exceptions, an exception.
    virtual std::any make_list(std::vector<Result> items) = 0;
    /// `(done, pending)` for asyncio.wait: two sets of futures, in the order given.
    virtual std::any make_wait_result(std::vector<FutureId> done, std::vector<FutureId> pending) = 0;
    /// A signal whose default action ends the process arrived (SIGKILL, SIGTERM, …).
    virtual void process_killed(const std::string& signal) = 0;
    /// Runs a signal handler installed with loop.add_signal_handler: spawns it as a callback task.
    virtual void run_signal_handler(std::uint32_t handler) = 0;
    /// True while a worker thread of the default executor still runs (to_thread,
    /// run_in_executor): asyncio.run's shutdown_default_executor waits for it.
    virtual bool executor_busy() { return false; }
};

/// How a blocking call (time.sleep) ended.
enum class BlockEnd : std::uint8_t {
    completed,           ///< it slept its whole duration
    keyboard_interrupt,  ///< SIGINT's handler raised KeyboardInterrupt out of it
    killed,              ///< a signal's default action ended the process during it
};

/// asyncio.wait's return_when.
enum class ReturnWhen : std::uint8_t { first_completed, first_exception, all_completed };

/// What became of a task created with create_task by the time asyncio.run ended.
struct TaskSummary {
    TaskId task = 0;
    FutureId future = 0;
};

class Model {
public:
    Model(Scheduler& scheduler, Host& host);
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    /// Teaching lints (cancel_swallowed, task_never_awaited) are recorded only when on.
    void set_lints(bool on);

    // ---- the loop ------------------------------------------------------------------------
    /// asyncio.run(coro), called by the program's top-level task: creates the main task
    /// (TaskKind::main) and waits until the loop stops after it is done; then, like
    /// Runner.close(), cancels every task still running (in creation order, CancelCause::shutdown)
    /// and waits for them (A11), runs the loop's two shutdown turns and closes the loop. The
    /// result is main's: its value, its exception, or CancelledError.
    Co<Result> run(Co<void> main_body, std::string name);
    /// asyncio.Runner, in three steps (run() is the three in a row): open_loop creates the loop
    /// (RuntimeError when one is running); run_main runs one main task on it until it is done and
    /// gives its outcome, leaving other tasks pending for the next run_main; close_loop is
    /// Runner.close(): it cancels what is left and waits for it, runs the two shutdown turns and
    /// closes the loop.
    Result open_loop();
    Co<Result> run_main(Co<void> main_body, std::string name);
    Co<void> close_loop();
    /// loop.close() at once, without the cancel-and-wait of close_loop (nothing is left to wait for).
    void drop_loop();
    /// True while a main task runs (inside asyncio.run or Runner.run).
    [[nodiscard]] bool main_running() const;
    /// True when a task of the loop has not finished.
    [[nodiscard]] bool loop_has_unfinished_tasks() const;
    /// True while asyncio.run is running (a loop exists).
    [[nodiscard]] bool loop_running() const;
    /// loop.time(): the virtual clock in seconds.
    [[nodiscard]] double loop_time() const;

    // ---- futures -------------------------------------------------------------------------
    /// loop.create_future() / asyncio.Future().
    FutureId create_future();
    [[nodiscard]] bool done(FutureId f) const;
    [[nodiscard]] bool cancelled(FutureId f) const;
    /// Future.cancel(msg) / Task.cancel(msg) / the gather future's cancel (A1, A5).
    /// `cause` is recorded on the cancel_requested event of a task.
    bool cancel(FutureId f, std::optional<std::string> message, CancelCause cause = CancelCause::explicit_call);
    /// set_result / set_exception: InvalidStateError when the future is done.
    Result set_result(FutureId f, std::any value);
    Result set_exception(FutureId f, ExcPtr error);
    /// Future.result(): the value, the exception, CancelledError (consuming the task's saved
    /// CancelledError the first time, A7), or InvalidStateError when not done.
    Result result(FutureId f);
    /// Future.exception(): the exception as the value (an empty value for none).
    Result exception(FutureId f);
    /// add_done_callback: `fn` runs as a loop callback once the future is done.
    void add_done_callback(FutureId f, std::function<void(FutureId)> fn);
    /// How a task waiting on `f` is shown (WaitReason::event and "Event.wait()", …).
    void set_wait_label(FutureId f, WaitReason reason, std::string label);

    // ---- tasks ---------------------------------------------------------------------------
    /// loop.create_task(coro) (TaskKind::unstructured) and TaskGroup children (TaskKind::child).
    FutureId create_task(Co<void> body, std::string name, TaskKind kind = TaskKind::unstructured, TaskId parent = 0,
                         ScopeId scope = 0);
    /// asyncio.all_tasks(): the loop's unfinished tasks, in creation order.
    [[nodiscard]] std::vector<FutureId> all_tasks() const;
    /// The future of a task (0 when `task` is not an asyncio task).
    [[nodiscard]] FutureId future_of(TaskId task) const;
    /// The task of a future (0 when it is a plain future).
    [[nodiscard]] TaskId task_of(FutureId f) const;
    /// asyncio.current_task(): the running task's future, 0 outside a task.
    [[nodiscard]] FutureId current_task() const;
    [[nodiscard]] std::uint32_t cancelling(FutureId task) const;
    std::uint32_t uncancel(FutureId task);
    /// A task body's first act: a CancelledError when the task was cancelled before its first
    /// step (A2); the body must then call finish() with it without entering the coroutine.
    /// Null otherwise.
    ExcPtr begin_step();
    /// The running task's own code caught a CancelledError (an `except` clause): a task that
    /// then ends without being cancelled swallowed its cancel (LintKind::cancel_swallowed).
    void note_cancel_caught();
    /// A task body's last act: the coroutine returned `value` or raised `error`. A return with
    /// a cancel pending ends the task cancelled (A6); a CancelledError ends it cancelled and is
    /// kept for the first `await task` (A7); anything else is its exception.
    void finish(Result outcome);

    // ---- suspension points of the running task --------------------------------------------
    /// `await future`: at once when it is done (A3); otherwise parks the task with the future
    /// as its waiter until the future is done, then returns its result. A cancel requested
    /// meanwhile arrives here as CancelledError (A1, A4, A9).
    Co<Result> await_future(FutureId f);
    /// asyncio.sleep(d): d <= 0 yields one pass (sleep(0)); otherwise a future resolved by a
    /// timer. Returns `value`.
    Co<Result> sleep(Tick d, std::any value);

    // ---- asyncio.TaskGroup (A15–A17) ------------------------------------------------------
    /// `async with TaskGroup()`: __aenter__ in the running task.
    GroupId group_enter(std::string name);
    /// repr() of an entered TaskGroup: `<TaskGroup tasks=2 errors=1 cancelling>`.
    [[nodiscard]] std::string group_repr(GroupId g) const;
    /// tg.create_task(coro): RuntimeError once the group is finished or shutting down (A17).
    Result group_create_task(GroupId g, Co<void> body, std::string name, FutureId& out);
    /// __aexit__: waits for every child; returns the exception the `async with` raises
    /// (an ExceptionGroup, CancelledError, a base error), or none (the body's own exception,
    /// if any, then propagates unchanged).
    Co<Result> group_exit(GroupId g, ExcPtr body_error);

    // ---- asyncio.timeout / timeout_at (A12) -------------------------------------------------
    /// `async with asyncio.timeout_at(when)`: __aenter__ in the running task (`when` is
    /// k_no_deadline for none; a deadline already past expires in the next pass). The task's
    /// cancelling() count is noted, as 3.11.7's timeouts.py does.
    GroupId timeout_enter(Tick when, std::string name);
    /// __aexit__: TimeoutError (its __cause__ the CancelledError) when the deadline cancelled the
    /// block, the CancelledError came out of it and uncancel() drops to the cancelling() count
    /// seen on entry; none otherwise (the body's exception propagates unchanged).
    Result timeout_exit(GroupId t, ExcPtr body_error);
    [[nodiscard]] bool timeout_expired(GroupId t) const;
    /// The state repr() shows: "active", "expiring", "expired" or "finished".
    [[nodiscard]] std::string timeout_state(GroupId t) const;
    /// Timeout.when() in ticks (k_no_deadline: none).
    [[nodiscard]] Tick timeout_when(GroupId t) const;
    Result timeout_reschedule(GroupId t, Tick when);

    // ---- helpers of tasks.py ----------------------------------------------------------------
    /// asyncio.wait_for(fut, timeout) for a future or task (`timeout` < 0: none) (A12). With a
    /// timeout, the caller's wait is recorded as a scope (ScopeKind::asyncio_timeout) named `name`.
    Co<Result> wait_for(FutureId f, Tick timeout, std::string name = {});
    /// asyncio.wait(fs, timeout=, return_when=): cancels nothing (A13).
    Co<Result> wait(std::vector<FutureId> fs, Tick timeout, ReturnWhen when);
    /// asyncio.gather(*futures, return_exceptions=): the gathering future (A18).
    FutureId gather(std::vector<FutureId> children, bool return_exceptions);
    /// asyncio.shield(fut): the outer future (A14); the inner one itself when already done.
    FutureId shield(FutureId inner);

    // ---- loop callbacks and signals -------------------------------------------------------
    /// Delivers `signal` at `at` (`# tasklab: signal SIGINT at 5s`); arm every signal before the
    /// first step so that it precedes timers due at the same instant.
    void schedule_signal(std::string signal, Tick at);
    /// time.sleep(d): blocks the whole loop for `d` (Scheduler::block_loop). Signals that arrive
    /// meanwhile are handled as CPython does: a loop handler's callback is queued when the next
    /// pass begins; SIGINT's default handler interrupts the sleep; a default action that
    /// terminates ends the process at the signal's instant.
    BlockEnd block_loop(Tick d);
    /// loop.add_signal_handler(sig, …): `handler` is the interpreter's handle for the callback.
    void add_signal_handler(const std::string& signal, std::uint32_t handler);
    bool remove_signal_handler(const std::string& signal);
    /// A one-shot loop callback at +delay (websockets frames, call_later): returns a handle for
    /// cancel_callback; it is dropped when the loop closes.
    std::uint32_t call_later(Tick delay, std::function<void()> fn, TaskId owner = 0);
    void call_soon(std::function<void()> fn);
    void cancel_callback(std::uint32_t handle);
    /// The last busy worker thread of the default executor has finished: an asyncio.run
    /// waiting in shutdown_default_executor goes on.
    void executor_idle();

    /// The POSIX number of a signal name ("SIGKILL" → 9), 0 when unknown.
    static int signal_number(const std::string& name);
    /// The running task, as seen by the interpreter (0 inside a loop callback).
    [[nodiscard]] TaskId running_task() const;
    [[nodiscard]] Scheduler& scheduler() { return m_sched; }

private:
    struct Impl;
    Scheduler& m_sched;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace tasklab::asyncio
