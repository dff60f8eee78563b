// The deterministic, single-threaded, virtual-time scheduler.
//
// It knows tasks, a FIFO ready queue, timers and the trace; it knows nothing about Swift,
// GCD or asyncio. Cancellation models (engine/cancel/) decide *whether* and *when* to wake a
// task with ResumeStatus::cancelled; the scheduler only carries the wake-up out.
//
// How a pass works (mirrored in docs/scheduler.md, and numbered the same at each phase in
// scheduler.cpp):
//   1. Start a pass, when the current batch is used up (begin_pass):
//      1.1 callbacks noted with call_at_next_pass join the back of the ready queue (asyncio's
//          self-pipe: a signal that arrived during a blocking call);
//      1.2 if nothing is ready, the clock jumps to the earliest pending timer;
//      1.3 every timer due at or before now fires, in (deadline, arming sequence) order,
//          moving its task (or its loop callback) to the back of the ready queue;
//      1.4 the batch is the ready queue as it stands now.
//   2. Run one step (step, run): the next entry of the batch runs: a task until it suspends,
//      blocks or finishes, or a loop callback (asyncio's call_soon / call_later handles, see
//      below). Ordinary statements take zero virtual time.
//   3. What becomes ready during the batch waits for the next pass (CPython's _run_once rule,
//      Trio's batches): it joins the queue behind the batch.
// Every way into the ready queue goes through one door, make_ready(): a task spawned or
// released, woken, yielding, handed an actor, started by its timer; a loop callback queued.
// A step is the unit of `step()`, of the trace's step index and of `replay_to`.
//
// Actors (Swift): each actor, the main actor included, is a serial executor. A task's slot
// names the actor its code needs right now (0: none). A task holds that actor while it runs
// and while it is blocked in thread-blocking work (sleep(), a GCD wait): the thread is the
// actor's. It lets go at every suspension (reentrancy) and when it finishes. A task that
// needs a busy actor waits in the actor's queue, first come first served: when the step that
// would run it finds the actor busy (it was woken while another task held it), or when it
// hops there (hop_to). The holder hands the actor to the first waiter when it lets go, and
// the actor stays reserved for that waiter until it runs.
//
// Loop callbacks exist for the asyncio model: CPython's loop runs small callbacks (a future's
// done-callbacks, a timer that resolves a sleep) as handles of their own in the ready queue,
// and which pass a task wakes in depends on them. A callback runs with no task current.
#pragma once

#include <atomic>
#include <coroutine>
#include <cstdint>
#include <functional>
#include <string>
#include <optional>
#include <string_view>
#include <vector>

#include "co.hpp"
#include "race_mark.hpp"
#include "time.hpp"
#include "trace.hpp"

namespace tasklab {

/// The most tasks one run may create (interpreters stop the program with a message past it):
/// every task stays in the trace for the whole run, so this bounds its memory.
inline constexpr std::size_t k_max_tasks_per_run = 200'000;

enum class TaskState : std::uint8_t { created, ready, running, suspended, blocked, finished };
std::string_view task_state_name(TaskState s);

/// Whether a cancel may cut a wait short (Task.sleep: yes; the deprecated Task.sleep(UInt64)
/// and thread-blocking work: no).
enum class Interruptible : std::uint8_t { no, yes };

struct Limits {
    std::uint64_t max_steps = 5'000'000;   ///< scheduler steps (at most k_max_steps)
    Tick max_time = 24 * 3600 * k_second;  ///< virtual time
};

/// The trace stores steps in 32 bits: no limit can go beyond this.
inline constexpr std::uint64_t k_max_steps = 4'000'000'000;

enum class StepStatus : std::uint8_t {
    ran,         ///< one task ran
    idle,        ///< nothing ready and no timer pending (finished, or waiting forever)
    step_limit,  ///< Limits::max_steps reached
    time_limit,  ///< the next timer lies beyond Limits::max_time
};

struct PendingTimer {
    TimerId id = 0;
    Tick deadline = 0;
    TaskId task = 0;
    bool starts_task = false;  ///< the timer starts a task (asyncAfter) rather than waking one
};

/// Where the real runtime leaves an order open (engine/explore.hpp explores them):
enum class ChoicePoint : std::uint8_t {
    pick,     ///< which ready task runs next (Swift concurrency, GCD)
    preempt,  ///< between two statements: whether another thread's task runs first
    timer,    ///< which of the timers due at one deadline, armed by different tasks, fires first (asyncio)
};
std::string_view choice_point_name(ChoicePoint p);

/// Which choice points a program's model opens (docs/semantics.md, "Which orders are open").
struct ChoiceRules {
    bool any_ready_order = false;  ///< every ready task may run next (threads), not only the head
    bool preemption = false;       ///< statements of tasks running at one instant may interleave
    bool timer_ties = false;       ///< equal deadlines armed by different tasks fire in any order
};

/// One place where the real runtime could take another order.
struct ChoiceAt {
    ChoicePoint point = ChoicePoint::pick;
    /// At least two entries; [0] is the order tasklab takes by default (the head of the ready
    /// queue; the running task carrying on, at a preemption point; the timer armed first). The
    /// others are the tasks (timer: the tasks whose timers) that could come first instead.
    const std::vector<TaskId>* alternatives = nullptr;
    std::uint64_t event = 0;  ///< index of the trace's next event: where the choice is made
    Tick now = 0;
    Span span;                ///< pick: where the default task resumes; preempt: the statement about to run
};

/// The race explorer's side of the scheduler. Without one (the default) the scheduler takes
/// its fixed order and never asks.
class Chooser {
public:
    virtual ~Chooser() = default;
    /// A run starts (again: the Controller restarts runs to step back).
    virtual void begin_run() {}
    /// Returns an index into `at.alternatives`.
    virtual std::size_t choose(const ChoiceAt& at) = 0;
    /// A preemption point not offered: the running task touched nothing shared since the last
    /// choice, so each alternative would give a run equal to one the search makes anyway
    /// (`at.alternatives` is null: they are not listed).
    virtual void equivalent(const ChoiceAt& /*at*/) {}
};

struct WaitingTask {
    TaskId task = 0;
    TaskState state = TaskState::suspended;
    WaitReason reason = WaitReason::forever;
    std::uint32_t related = 0;
    std::string what;
};

class Scheduler {
public:
    /// `limits.max_steps` is capped at k_max_steps.
    Scheduler(Trace& trace, Limits limits);
    ~Scheduler();
    Scheduler(const Scheduler&) = delete;
    Scheduler& operator=(const Scheduler&) = delete;

    // ---- tasks ----
    /// Registers a task (records task_created) and puts it at the back of the ready queue,
    /// or, with `start_delay` >= 0, arms a timer that enqueues it after that delay.
    TaskId spawn(TaskInfo info, Co<void> body, Tick start_delay = -1);
    /// Registers a task (records task_created) that is neither ready nor started: it stays
    /// "not started" until release() puts it in the ready queue (a GCD work item waiting
    /// behind an earlier one on a serial queue has not started).
    TaskId spawn_held(TaskInfo info, Co<void> body);
    /// Puts a task made by spawn_held() at the back of the ready queue; its first run records
    /// task_started. False (and nothing happens) when `t` is not such a task.
    bool release(TaskId t);
    [[nodiscard]] TaskId current() const { return m_current; }
    [[nodiscard]] Tick now() const { return m_now; }
    [[nodiscard]] std::uint64_t step_index() const { return m_step; }
    [[nodiscard]] TaskState state(TaskId t) const { return m_tasks[t].state; }
    [[nodiscard]] std::size_t task_count() const { return m_tasks.size() - 1; }
    /// The source span the running task is executing (set by the interpreter per statement).
    void set_span(Span s) { m_span = s; }
    [[nodiscard]] Span span() const { return m_span; }

    // ---- actors (see "Actors" above) ----
    /// Registers an actor (the trace's actor table) and returns its id.
    ActorId add_actor(std::string name, Span span = {});
    /// The actor `t`'s code needs now (0: none); set before a task starts to make it start there.
    void set_actor(TaskId t, ActorId actor);
    [[nodiscard]] ActorId actor_of(TaskId t) const { return t < m_tasks.size() ? m_tasks[t].actor : 0; }
    /// The task holding `actor` (or reserved for it), 0 when it is free.
    [[nodiscard]] TaskId actor_holder(ActorId actor) const { return actor < m_actors.size() ? m_actors[actor].holder : 0; }
    /// The tasks waiting for `actor`, first come first.
    [[nodiscard]] std::vector<TaskId> actor_waiters(ActorId actor) const;

    struct HopAwaiter {
        Scheduler& s;
        bool ready;
        bool await_ready() const noexcept { return ready; }
        void await_suspend(std::coroutine_handle<> h) const noexcept {
            auto& slot = s.m_tasks[s.m_current];
            slot.resume_point = h;
            slot.span = s.m_span;
        }
        void await_resume() const noexcept {}
    };
    /// Moves the running task's code to `actor` (0: off every actor): it lets go of the actor
    /// it is on (handing it to a waiter) and takes `actor` at once when it is free, else
    /// suspends in its queue until it is handed over. Records actor_released / actor_acquired
    /// for each actor left or entered (and actor_waiting when it must wait).
    HopAwaiter hop_to(ActorId actor);

    // ---- awaitables for the running task ----
    struct ParkAwaiter {
        Scheduler& s;
        bool await_ready() const noexcept { return false; }
        void await_suspend(std::coroutine_handle<> h) const noexcept {
            auto& slot = s.m_tasks[s.m_current];
            slot.resume_point = h;
            slot.span = s.m_span;
        }
        ResumeStatus await_resume() const noexcept { return s.m_tasks[s.m_current].status; }
    };
    /// Suspends the running task until someone calls wake(). Records task_suspended.
    /// `blocks_thread`: whether the wait keeps the task's thread, and so its actor (GCD's waits,
    /// a lock); unset, the reason decides (queue_slot, work_item and event do). A Swift `await`
    /// (a continuation, a stream's next()) passes false: the actor is free meanwhile.
    ParkAwaiter park(WaitReason reason, std::uint32_t related, std::string_view what, Interruptible interruptible,
                     std::optional<bool> blocks_thread = std::nullopt);
    /// Suspends for `d` (a timer wakes the task with ResumeStatus::normal).
    ParkAwaiter sleep_for(Tick d, Interruptible interruptible, WaitReason reason = WaitReason::sleep,
                          std::string_view what = {});
    /// park() with a deadline: unless someone wakes the task first, a timer wakes it after `d`
    /// with ResumeStatus::timeout (GCD's wait(timeout:)).
    ParkAwaiter park_for(WaitReason reason, std::uint32_t related, std::string_view what, Tick d);
    /// Thread-blocking work (Swift/GCD `sleep(n)`): the task is blocked for `d`, other tasks
    /// run meanwhile, and nothing can interrupt it.
    ParkAwaiter block_for(Tick d);
    /// Back of the ready queue (asyncio.sleep(0)).
    ParkAwaiter yield_now();

    // ---- the race explorer (engine/explore.hpp) ----
    /// Installs the explorer's chooser for this run (nullptr: the fixed order) and the model's
    /// rules for where it is asked.
    void set_chooser(Chooser* chooser, ChoiceRules rules);
    [[nodiscard]] bool exploring() const { return m_chooser != nullptr; }
    [[nodiscard]] const ChoiceRules& choice_rules() const { return m_rules; }
    /// Asked by an interpreter between two statements of the running task, before `next`
    /// (the statement about to run: ChoiceAt::span). True when the
    /// chooser lets another ready task run first: the caller then awaits preempt(). Only asked
    /// of the chooser when the model allows preemption, another task is ready, and the running
    /// task touched shared state since the last choice (a statement that touches nothing
    /// shared commutes with every other thread's: preempting before or after it is the same).
    [[nodiscard]] bool preemption_point(Span next);
    /// Back of the ready queue, keeping the task's actor (its thread was only preempted); the
    /// task chosen at preemption_point() runs next. Records task_suspended (preempted).
    ParkAwaiter preempt();
    /// asyncio `time.sleep(d)`: the whole loop is blocked, the clock jumps by `d` at once and
    /// the running task carries on. Timers that came due fire at the next pass.
    void block_loop(Tick d);

    // ---- waking ----
    /// Moves a suspended or blocked task to the back of the ready queue with `status`,
    /// disarming its timer. Returns false (and does nothing) if it is not waiting.
    bool wake(TaskId t, ResumeStatus status);
    /// wake() only if the task's current wait is interruptible.
    bool interrupt(TaskId t, ResumeStatus status);
    [[nodiscard]] bool waits_interruptibly(TaskId t) const;
    [[nodiscard]] WaitReason wait_reason(TaskId t) const { return m_tasks[t].reason; }

    // ---- loop callbacks (asyncio handles) ----
    using Callback = std::function<void()>;
    /// Puts a callback at the back of the ready queue (CPython's loop.call_soon). It runs as a
    /// step of its own, with current() == 0.
    void call_soon(Callback fn);
    /// Arms a timer that puts `fn` at the back of the ready queue when it fires (loop.call_later).
    /// `owner` is the task the timer events are recorded for (0: none).
    TimerId call_later(Tick delay, Callback fn, TaskId owner);
    /// Disarms a call_later timer that has not fired yet (nothing happens otherwise).
    void cancel_timer(TimerId id);
    /// Wakes a suspended task so that it runs at the end of the current pass, after what is
    /// left of the batch and before anything queued during it (asyncio.run: the code after
    /// `run_until_complete` runs once the pass that stopped the loop is over). Outside a pass
    /// it is the same as wake(). Returns false if the task is not waiting.
    bool wake_at_pass_end(TaskId t, ResumeStatus status);
    /// Puts `fn` in the ready queue when the next pass begins, before the timers due then:
    /// asyncio's self-pipe, through which a signal noted during a blocking call reaches the loop.
    void call_at_next_pass(Callback fn);
    /// True when a task or a callback is ready to run (or waits for the next pass to begin).
    [[nodiscard]] bool has_ready() const { return m_ready_count > 0 || !m_next_pass.empty(); }

    // ---- finishing ----
    /// Records task_finished for the running task; its frames are freed when it returns to
    /// the scheduler. Call exactly once, as the last thing the task's body does.
    void finish_current(Outcome outcome, std::string_view text);
    /// Marks a task that never ran to completion (program end) as abandoned.
    void abandon(TaskId t);

    // ---- the trace ----
    Trace& trace() { return m_trace; }
    [[nodiscard]] const Trace& trace() const { return m_trace; }
    /// Appends an event for `task` at the current span.
    std::uint64_t emit(EventKind kind, TaskId task, std::uint32_t related = 0, std::uint32_t payload = 0,
                       std::uint8_t detail = 0);
    std::uint64_t emit_at(EventKind kind, TaskId task, Span span, std::uint32_t related = 0,
                          std::uint32_t payload = 0, std::uint8_t detail = 0);

    // ---- narration (`tasklab: note` / `note-at`) ----
    /// Records note `note` (1-based, Program::notes) for `task` as a narration event, the
    /// first time only: a note in a loop or in a function called twice is one chapter. The
    /// event's `related` is the chapter number: 1 for the first note recorded, 2 for the
    /// next, so chapters are numbered in playing order, not file order.
    void narrate(TaskId task, std::uint32_t note);
    /// Arms note `note` to be narrated at `task`'s next event of kind `at` (cancel_requested,
    /// cancel_observed, threw, task_finished) while statement `stmt` runs; task_finished
    /// stays armed after the statement. `at` == task_resumed means "when `stmt` ends".
    void arm_note(TaskId task, std::uint32_t note, EventKind at, const void* stmt);
    /// Statement `stmt` of `task` ended (normally or by an error): notes armed for its end
    /// are narrated, the others armed in it (but finish) are dropped unfired.
    void statement_ended(TaskId task, const void* stmt);

    // ---- driving ----
    /// One scheduler step (see "How a pass works").
    StepStatus step();
    [[nodiscard]] bool has_work() const { return m_ready_count > 0 || m_live_timers > 0 || !m_next_pass.empty(); }
    /// Ready tasks in the order they will run (loop callbacks are left out).
    [[nodiscard]] std::vector<TaskId> ready_order() const;
    /// Pending timers in the order they will fire.
    [[nodiscard]] std::vector<PendingTimer> pending_timers() const;
    /// Deadline of the earliest pending timer, or -1.
    [[nodiscard]] Tick next_deadline() const;
    /// Tasks suspended or blocked right now, in id order.
    [[nodiscard]] std::vector<WaitingTask> waiting_tasks() const;
    /// What `t` waits for right now, as waiting_tasks() lists it (task 0 when it is not
    /// suspended or blocked). For one task, without listing the others (the inspector).
    [[nodiscard]] WaitingTask waiting_task(TaskId t) const;
    /// The earliest pending timer that wakes or starts `t`, or that `t` owns (a loop callback
    /// armed for it), or -1. Linear in the pending timers, allocates nothing.
    [[nodiscard]] Tick next_timer_of(TaskId t) const;
    /// Sets the clock forward to `t` (no timers fire; used by advance_by at its end).
    void set_now(Tick t);
    /// The internal error that ended the run (a C++ exception escaping a task), or "".
    [[nodiscard]] const std::string& internal_error() const { return m_internal_error; }
    [[nodiscard]] const Limits& limits() const { return m_limits; }
    /// A flag another thread may set to stop the run (RunOptions::stop), or nullptr.
    void set_stop_flag(const std::atomic<bool>* flag) { m_stop = flag; }
    /// True once the stop flag is set. The interpreters ask it where they count work, so a run
    /// stops even inside a step that never ends.
    [[nodiscard]] bool stop_requested() const { return m_stop != nullptr && m_stop->load(std::memory_order_relaxed); }

private:
    struct Slot {
        Co<void> body;
        std::coroutine_handle<> resume_point;
        TaskState state = TaskState::created;
        WaitReason reason = WaitReason::forever;
        ResumeStatus status = ResumeStatus::normal;
        Interruptible interruptible = Interruptible::no;
        bool started = false;
        bool held = false;       // spawn_held(): waits, not started, for release()
        bool was_blocked = false;
        bool abandoned = false;  // abandon() ended it: never resumed again
        Span span;  // where the task is in its code: saved when it parks, restored when it runs
        TimerId timer = 0;
        std::uint32_t related = 0;
        std::uint32_t what = 0;
        ActorId actor = 0;            // the actor its code needs now (0: none)
        bool blocks_thread = false;   // its park() keeps its thread, and so its actor
        bool waited_for_actor = false; // it queued for `actor`: actor_acquired when it gets it
        TaskId handed_by = 0;          // the task that handed it `actor`
    };
    /// One actor's executor: who holds it, who waits (a FIFO ring: m_head is the first).
    struct ActorSlot {
        TaskId holder = 0;
        std::vector<TaskId> waiters;
        std::size_t head = 0;
        [[nodiscard]] bool has_waiters() const { return head < waiters.size(); }
    };
    /// run(): the actor `t` needs is held by another task: `t` joins its queue.
    void wait_for_actor(TaskId t);
    /// `t` lets go of the actor it holds (if any); the first waiter gets it. `record` writes
    /// actor_released even when nobody waits (a hop away from the actor).
    void release_actor(TaskId t, bool record);
    struct Timer {
        Tick deadline;
        std::uint64_t seq;
        TimerId id;
    };
    struct TimerRecord {
        TaskId task = 0;
        bool alive = false;
        bool starts_task = false;
        std::uint32_t callback = 0;  // 1 + index into m_callbacks for a call_later timer
        bool times_out = false;      // park_for(): the task wakes with ResumeStatus::timeout
        Tick armed_at = 0;           // the virtual instant it was armed (the race explorer's timer ties)
    };
    /// Ready-queue entries with this bit set are loop callbacks (index into m_callbacks).
    static constexpr TaskId k_callback_bit = 0x8000'0000u;

    TimerId arm(TaskId task, Tick deadline, bool starts_task);
    void disarm(TimerId id);
    void fire(TimerId id);
    /// Where make_ready() puts an entry.
    enum class ReadyAt : std::uint8_t {
        back,      ///< the back of the ready queue (the next pass, when a batch is running)
        pass_end,  ///< right after what is left of the running batch (wake_at_pass_end)
    };
    /// The one door into the ready queue (phase 3): a task (its state becomes ready) or a loop
    /// callback (an entry with k_callback_bit) joins the queue at `where`.
    void make_ready(TaskId entry, ReadyAt where = ReadyAt::back);
    /// The ring buffer's push, used only by make_ready().
    void ring_push(TaskId entry);
    std::uint32_t store_callback(Callback fn);
    void run_callback(std::uint32_t index);
    void begin_pass();
    void heap_push(Timer t);
    Timer heap_pop();
    void run(TaskId t);
    static bool earlier(const Timer& a, const Timer& b) {
        return a.deadline != b.deadline ? a.deadline < b.deadline : a.seq < b.seq;
    }

    /// A `note-at` waiting for its event.
    struct ArmedNote {
        TaskId task = 0;
        std::uint32_t note = 0;
        EventKind at = EventKind::task_resumed;
        const void* stmt = nullptr;
    };
    void fire_armed(EventKind kind, TaskId task);

    Trace& m_trace;
    std::vector<ArmedNote> m_armed;          // few: only statements with a note-at arm them
    std::vector<bool> m_narrated;            // by note index: recorded already
    std::uint32_t m_chapters = 0;            // notes recorded so far
    Limits m_limits;
    const std::atomic<bool>* m_stop = nullptr;
    std::vector<Slot> m_tasks;      // index 0 unused
    std::vector<ActorSlot> m_actors;  // index 0 unused
    std::vector<TaskId> m_ready;    // ring buffer storage
    std::size_t m_ready_head = 0;
    std::size_t m_ready_count = 0;
    std::size_t m_batch_left = 0;
    std::vector<Timer> m_heap;      // 4-ary min-heap on (deadline, seq)
    std::vector<TimerRecord> m_timers;
    std::size_t m_live_timers = 0;
    std::uint64_t m_timer_seq = 0;
    Tick m_now = 0;
    std::uint64_t m_step = 0;
    TaskId m_current = 0;
    Span m_span;
    std::string m_internal_error;
    std::vector<Callback> m_callbacks;          // loop callbacks waiting to run
    std::vector<std::uint32_t> m_free_callbacks;
    std::vector<std::uint32_t> m_next_pass;     // callbacks that enter the queue when the next pass begins

    [[nodiscard]] TaskId ready_at(std::size_t i) const { return m_ready[(m_ready_head + i) % m_ready.size()]; }
    TaskId ready_pop();

    // The race explorer (null: never asked).
    Chooser* m_chooser = nullptr;
    ChoiceRules m_rules;
    bool m_shared = false;       // the running task touched shared state since the last choice
    TaskId m_forced_next = 0;    // chosen at a preemption point: runs next
    std::vector<TaskId> m_alternatives;  // scratch for the chooser
    std::vector<ActorId> m_alternative_actors;  // scratch: actors an alternative already stands for
    std::vector<std::size_t> m_alternative_at;  // scratch: each alternative's place in the ready queue
    /// Whether ready entry `entry` could run now: a task whose actor is free or its own.
    [[nodiscard]] bool could_run_now(TaskId entry) const;
    /// Where the default alternative's task stands (the span it resumes at).
    [[nodiscard]] Span ready_span(const std::vector<TaskId>& alternatives) const;
    /// Moves ready entry `i` to the head of the queue (it joins the batch if it was behind it).
    void move_to_head(std::size_t i);
    /// m_alternatives = `first`, then the ready tasks from place `from` on that could run now
    /// (m_alternative_at: their places).
    void collect_alternatives(TaskId first, std::size_t from);
    /// Phase 2's pick: the chooser may put another ready task at the head.
    void choose_next();
    /// Phase 1.3 with timer_ties: fires the due timers, asking the order of equal deadlines
    /// where it is open: between timers of different tasks armed at different instants.
    void fire_due_with_ties();
};

}  // namespace tasklab
