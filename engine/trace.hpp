// The trace: an append-only log of every state change of a run.
//
// Every event kind is registered once in TASKLAB_EVENT_KINDS. An event is 24 bytes: task,
// related task or scope, source span, a payload and a kind-specific detail byte. The step
// index and virtual time are not repeated in every event: they change far less often than
// events are written, so the trace keeps one 16-byte mark per (step, time) run and an
// event's step and time are looked up from it. Storage grows in fixed chunks, so appending
// never copies old events and a reader's references stay valid while the engine appends.
//
// Payloads that do not fit 32 bits (durations, deadlines) live in a side table of numbers;
// text (printed lines, error descriptions, task names) lives in a string pool.
//
// Determinism: the trace of a scenario is a pure function of the scenario text and the run
// options; `tasklab run --trace` writes it byte for byte the same on every run.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <memory>
#include <unordered_map>
#include <string>
#include <string_view>
#include <vector>

#include "scenarios/source.hpp"
#include "time.hpp"

namespace tasklab {

using TaskId = std::uint32_t;   ///< 0 means "no task" (the engine itself)
using ScopeId = std::uint32_t;  ///< 0 means "no scope"
using TimerId = std::uint32_t;
using ActorId = std::uint32_t;  ///< 0 means "no actor" (the global concurrent executor)

// X(name, related-field meaning, payload meaning)
#define TASKLAB_EVENT_KINDS(X)                                                                     \
    X(task_created, "parent or creator task", "name (the task table's)") /* detail: TaskKind */      \
    X(task_started, "-", "-")                                                                       \
    X(task_suspended, "awaited task or scope", "what it waits for (string)") /* detail: WaitReason */ \
    X(task_resumed, "-", "-")                                      /* detail: ResumeStatus */      \
    X(task_blocked, "actor it keeps (0: none)", "duration (number)") /* thread-blocking work */    \
    X(task_unblocked, "-", "-")                                                                     \
    X(task_finished, "-", "result or error text (string)")         /* detail: Outcome */           \
    X(cancel_requested, "requesting task", "scope id or 0")        /* detail: CancelCause */       \
    X(cancel_observed, "-", "-")                                   /* detail: ObservedBy */        \
    X(uncancelled, "-", "cancel requests still pending (count)")   /* asyncio: uncancel(), a timeout or TaskGroup taking its cancel back */ \
    X(handler_ran, "task whose cancel ran it", "-")                /* withTaskCancellationHandler */ \
    X(threw, "-", "error text (string)")                                                            \
    X(caught, "-", "error text (string)")                                                           \
    X(error_delivered, "child that threw", "error text (string)")  /* a parent received a child's error */ \
    X(scope_entered, "scope id", "-")                              /* detail: ScopeKind */         \
    X(scope_exited, "scope id", "-")                               /* detail: ScopeKind */         \
    X(printed, "-", "text (string)")                                                                \
    X(timer_armed, "timer id", "deadline (number)")                                                 \
    X(timer_fired, "timer id", "-")                                                                 \
    X(timer_disarmed, "timer id", "-")                                                              \
    X(loop_blocked, "-", "duration (number)")                      /* asyncio: time.sleep blocks the loop */ \
    X(narration, "chapter (1-based, playing order)", "note index (1-based)")                       \
    X(signal_raised, "-", "signal name (string)")                                                   \
    X(lint, "-", "message (string)")                               /* detail: LintKind */          \
    X(run_ended, "-", "message (string)")                          /* detail: EndReason */         \
    /* Swift actors (after the others, so that earlier kinds keep their numbers in traces) */   \
    X(actor_waiting, "actor (Trace::actor id)", "task holding the actor (0: none)") /* a hop finds the actor busy */ \
    X(actor_acquired, "actor (Trace::actor id)", "task that handed it over (0: it was free)")   \
    X(actor_released, "actor (Trace::actor id)", "task it is handed to (0: nobody waits)")

enum class EventKind : std::uint8_t {
#define TASKLAB_X(name, related, payload) name,
    TASKLAB_EVENT_KINDS(TASKLAB_X)
#undef TASKLAB_X
};
std::string_view event_kind_name(EventKind k);
inline constexpr int k_event_kind_count = 0
#define TASKLAB_X(name, related, payload) +1
    TASKLAB_EVENT_KINDS(TASKLAB_X)
#undef TASKLAB_X
    ;

/// How a task came to be (detail of task_created).
enum class TaskKind : std::uint8_t {
    main,          ///< the program's top-level code
    child,         ///< structured: task-group child (addTask), asyncio TaskGroup child
    async_let,     ///< structured: Swift `async let`
    unstructured,  ///< Swift `Task {}`, asyncio `create_task` outside a TaskGroup
    detached,      ///< Swift `Task.detached {}`
    work_item,     ///< GCD DispatchWorkItem or closure submitted to a queue
    callback,      ///< a loop callback (asyncio signal handler, call_later)
    thread,        ///< a worker thread running one call (asyncio.to_thread, run_in_executor)
};
std::string_view task_kind_name(TaskKind k);
[[nodiscard]] inline bool is_structured(TaskKind k) { return k == TaskKind::child || k == TaskKind::async_let; }

/// Why a task is suspended (detail of task_suspended).
enum class WaitReason : std::uint8_t {
    sleep,        ///< a timer (Task.sleep, asyncio.sleep, asyncAfter start)
    task,         ///< another task's result (task.value, await task)
    group,        ///< next child of a group (next(), for try await, waitForAll, group exit)
    async_let,    ///< an async let binding
    network,      ///< a simulated network call (URLSession, websockets)
    forever,      ///< a wait that never resolves by itself (asyncio.Future(), dispatchMain)
    event,        ///< asyncio.Event / Queue / Future set by someone else
    yield,        ///< asyncio.sleep(0): back of the ready queue
    queue_slot,   ///< a GCD serial queue busy with an earlier item
    work_item,    ///< DispatchWorkItem.wait()
    actor,        ///< an actor busy with another task (related: the actor, Trace::actor)
    preempted,    ///< the race explorer let another thread run first (engine/explore.hpp)
};
std::string_view wait_reason_name(WaitReason w);

/// How a suspended task was resumed (detail of task_resumed).
enum class ResumeStatus : std::uint8_t { normal, cancelled, error, timeout };
std::string_view resume_status_name(ResumeStatus s);

/// How a task ended (detail of task_finished).
enum class Outcome : std::uint8_t {
    returned,  ///< finished normally
    threw,     ///< finished by an error (other than cancellation)
    cancelled, ///< finished by cancellation (Swift: threw CancellationError / URLError.cancelled
               ///< after a cancel; asyncio: cancelled() is true)
    skipped,   ///< GCD: the item was cancelled before it started; its body never ran
    abandoned, ///< still running or waiting when the program ended
};
std::string_view outcome_name(Outcome o);

/// Why a cancel was requested (detail of cancel_requested).
enum class CancelCause : std::uint8_t {
    explicit_call,      ///< task.cancel() / item.cancel() / tg-less cancel
    group_cancel_all,   ///< group.cancelAll()
    parent,             ///< propagated from the cancelled parent task
    group,              ///< propagated from the cancelled group to its child
    child_error,        ///< implicit: a child's error left the group body (or an asyncio TaskGroup child raised)
    born_cancelled,     ///< created in a cancelled task or group
    scope_exit,         ///< async let never awaited, cancelled at scope exit
    timeout,            ///< asyncio.wait_for / asyncio.timeout deadline
    shutdown,           ///< asyncio.run cancels what is left when main returns
    awaiter_cancelled,  ///< asyncio: cancelling a task that awaits another cancels that one too
};
std::string_view cancel_cause_name(CancelCause c);

/// What noticed a cancellation (detail of cancel_observed).
enum class ObservedBy : std::uint8_t {
    is_cancelled,        ///< Task.isCancelled / item.isCancelled read true
    check_cancellation,  ///< Task.checkCancellation() threw
    sleep,               ///< a cancellable sleep threw (at once, or woken at the cancel)
    network,             ///< a simulated network call threw URLError.cancelled
    await_point,         ///< asyncio: CancelledError raised at an await
    body_skipped,        ///< GCD: cancelled before start, body skipped
    never_started,       ///< asyncio: cancelled before the first step; body never entered
    add_task_refused,    ///< addTaskUnlessCancelled returned false
};
std::string_view observed_by_name(ObservedBy o);

enum class ScopeKind : std::uint8_t {
    task_group,            ///< withTaskGroup
    throwing_task_group,   ///< withThrowingTaskGroup
    discarding_group,      ///< withDiscardingTaskGroup
    throwing_discarding_group,
    async_let,             ///< the lexical scope holding async let bindings
    cancellation_handler,  ///< withTaskCancellationHandler's operation
    asyncio_task_group,    ///< asyncio.TaskGroup
    asyncio_timeout,       ///< asyncio.timeout / wait_for
    dispatch_queue,        ///< a GCD queue (serial or concurrent)
};
std::string_view scope_kind_name(ScopeKind k);

enum class LintKind : std::uint8_t {
    cancel_swallowed,     ///< asyncio: CancelledError caught and not re-raised
    task_never_awaited,   ///< asyncio: cancel() without await before moving on / at exit
    cancel_never_observed,///< a cancel was requested and the task finished without noticing
    outlived_creator,     ///< unstructured work still running after its creator finished
    cancel_noop,          ///< cancel() on something already finished
    continuation_leaked,  ///< a checked continuation went away without being resumed (Swift's runtime warning)
};
std::string_view lint_kind_name(LintKind k);

enum class EndReason : std::uint8_t { finished, uncaught_error, deadlock, step_limit, time_limit, internal_error, stopped };
std::string_view end_reason_name(EndReason r);

/// One recorded event as stored (24 bytes). See Trace::at for the decoded form.
struct StoredEvent {
    TaskId task = 0;
    std::uint32_t related = 0;
    std::uint32_t span_begin = 0;
    std::uint32_t span_end = 0;
    std::uint32_t payload = 0;
    EventKind kind = EventKind::task_created;
    std::uint8_t detail = 0;
    std::uint16_t reserved = 0;
};
static_assert(sizeof(StoredEvent) == 24);

/// One event with its step and time filled in.
struct Event {
    std::uint64_t index = 0;  ///< position in the trace
    std::uint64_t step = 0;   ///< scheduler step that produced it (0: before the first step)
    Tick time = 0;            ///< virtual time when it happened
    EventKind kind = EventKind::task_created;
    std::uint8_t detail = 0;
    TaskId task = 0;
    std::uint32_t related = 0;
    std::uint32_t payload = 0;
    Span span;
};

/// What is known about a task from its creation on (task_created is the authority).
struct TaskInfo {
    TaskId id = 0;
    TaskKind kind = TaskKind::main;
    TaskId parent = 0;       ///< structured parent (0 for unstructured and main)
    TaskId creator = 0;      ///< who created it (set for every kind but main)
    ScopeId scope = 0;       ///< the group / async-let scope it belongs to (0: none)
    std::string name;        ///< a readable lane label: "main", "Task {} @12", "outerItem", …
    Span span;               ///< where it was created
    std::uint64_t created_event = 0;
    ActorId actor = 0;       ///< the actor its code starts on (0: none; Swift `Task {}` inheriting the main actor…)
};

/// A Swift actor: the main actor or one `actor` instance. Each is a serial executor: one task
/// runs its isolated code at a time (see Scheduler, "Actors").
struct ActorInfo {
    ActorId id = 0;
    std::string name;        ///< "MainActor", "Counter", "Counter #2"
    Span span;               ///< where the instance was made (empty for the main actor)
};

struct ScopeInfo {
    ScopeId id = 0;
    ScopeKind kind = ScopeKind::task_group;
    TaskId owner = 0;        ///< the task whose code entered the scope
    std::string name;        ///< "withThrowingTaskGroup @14", "async let image1…image3"
    Span span;
};

class Trace {
public:
    Trace();

    // ---- writing (the engine) ----
    /// Sets the step and time that following events belong to.
    void set_clock(std::uint64_t step, Tick time);
    std::uint64_t append(EventKind kind, TaskId task, std::uint32_t related = 0, std::uint32_t payload = 0,
                         std::uint8_t detail = 0, Span span = {});
    std::uint32_t add_string(std::string s);
    /// Like add_string, but equal texts share one id (for the few labels that repeat
    /// millions of times: "sleep 1s", "group next()"). Ids are still handed out in first-use
    /// order, so traces stay deterministic.
    std::uint32_t intern(std::string_view s);
    std::uint32_t add_number(std::int64_t n);
    TaskInfo& add_task(TaskInfo info);       ///< ids must be dense: 1, 2, 3, …
    ScopeInfo& add_scope(ScopeInfo info);    ///< ids must be dense: 1, 2, 3, …
    ActorInfo& add_actor(ActorInfo info);    ///< ids are dense: 1, 2, 3, …
    /// Sets the actor a task starts on (before it starts; the task table is not in the digest).
    void set_task_actor(TaskId id, ActorId actor) { m_tasks[id].actor = actor; }

    // ---- reading (tools, the visualizer) ----
    [[nodiscard]] std::uint64_t size() const { return m_size; }
    [[nodiscard]] Event at(std::uint64_t index) const;
    [[nodiscard]] const StoredEvent& stored(std::uint64_t index) const {
        return m_chunks[index >> k_chunk_bits][index & (k_chunk_size - 1)];
    }
    [[nodiscard]] const std::string& string(std::uint32_t id) const { return m_strings[id]; }
    [[nodiscard]] std::int64_t number(std::uint32_t id) const { return m_numbers[id]; }
    [[nodiscard]] const std::vector<TaskInfo>& tasks() const { return m_tasks; }  ///< index 0 is a placeholder
    [[nodiscard]] const TaskInfo& task(TaskId id) const { return m_tasks[id]; }
    [[nodiscard]] const std::vector<ScopeInfo>& scopes() const { return m_scopes; }
    [[nodiscard]] const ScopeInfo& scope(ScopeId id) const { return m_scopes[id]; }
    [[nodiscard]] const std::vector<ActorInfo>& actors() const { return m_actors; }  ///< index 0 is a placeholder
    /// The actor's name, or "" for 0 or an unknown id.
    [[nodiscard]] std::string_view actor_name(ActorId id) const {
        return id != 0 && id < m_actors.size() ? std::string_view(m_actors[id].name) : std::string_view();
    }
    [[nodiscard]] std::uint64_t current_step() const { return m_step; }
    [[nodiscard]] Tick current_time() const { return m_time; }
    /// Index of the first event whose step is >= `step` (size() when none).
    [[nodiscard]] std::uint64_t first_event_of_step(std::uint64_t step) const;
    /// Bytes held by events, marks, strings and numbers (for the benchmark's figures).
    [[nodiscard]] std::size_t memory_bytes() const;
    /// FNV-1a digest over every event, string and number: equal traces have equal digests.
    [[nodiscard]] std::uint64_t digest() const;

    /// The text of an event's payload when it is a string, "" otherwise.
    [[nodiscard]] std::string_view payload_text(const Event& e) const;

private:
    static constexpr unsigned k_chunk_bits = 12;
    static constexpr std::uint64_t k_chunk_size = std::uint64_t{1} << k_chunk_bits;
    // One mark per run of events sharing (step, time): 16 bytes. 32-bit event indices and
    // steps are enough: four billion 24-byte events would not fit in memory, and the step
    // limit is capped below 2^32 (Limits).
    struct Mark {
        std::uint32_t first_event;
        std::uint32_t step;
        Tick time;
    };
    static_assert(sizeof(Mark) == 16);
    std::vector<std::unique_ptr<StoredEvent[]>> m_chunks;
    std::uint64_t m_size = 0;
    std::vector<Mark> m_marks;
    std::uint64_t m_step = 0;
    Tick m_time = 0;
    bool m_mark_open = false;
    std::deque<std::string> m_strings;  // a deque: elements never move, so m_interned's views stay valid
    std::unordered_map<std::string_view, std::uint32_t> m_interned;
    std::vector<std::int64_t> m_numbers;
    std::vector<TaskInfo> m_tasks;
    std::vector<ScopeInfo> m_scopes;
    std::vector<ActorInfo> m_actors;
};

/// True when the payload of events of this kind is a string-pool index.
[[nodiscard]] bool payload_is_string(EventKind k);
/// True when the payload of events of this kind is a number-table index.
[[nodiscard]] bool payload_is_number(EventKind k);

}  // namespace tasklab
