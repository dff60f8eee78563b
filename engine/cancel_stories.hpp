// What became of each cancel request: when it was requested, by whom and why, and whether,
// when and how the task noticed. `tasklab run` prints these under the timeline
// (viz/text/cancel_story_text.hpp), the visualizer draws them as cancel gaps, and the
// Controller's "never observed" lint reads them, which is why this fold lives in the engine
// while its words live in viz/. The gap between "requested" and "observed" is the lesson of
// cooperative cancellation.
//
// Every request is its own story, also when a task is asked twice: asyncio counts a second
// cancel() (cancelling() == 2) and asyncio.run() cancels what is still running when main()
// returns, however often it was cancelled before. A request that arrives while an earlier one
// is still unnoticed is answered by the same notice ("joined"); one that arrives after the
// task noticed waits for a notice of its own.
//
// A task notices a cancel itself (a cancel_observed event: isCancelled, a cancellable sleep,
// an await, …) or through its children: when a structured child noticed the cancel while the
// task's request was pending, and then the child's error reached the task (error_delivered,
// or the task threw or caught at the await of that child), the task has observed its cancel
// at that event, through that child. A task group or `async let` that rethrows its cancelled
// child's error has not ignored the cancel: it reacted to it.
//
// Pure functions over a const Trace; standard library only.
#pragma once

#include <cstdint>
#include <vector>

#include "trace.hpp"

namespace tasklab {

/// One cancel request and what followed it.
struct CancelStory {
    TaskId task = 0;
    std::uint64_t requested_event = 0;
    Tick requested_at = 0;
    CancelCause cause = CancelCause::explicit_call;
    TaskId requested_by = 0;          ///< 0: the runtime itself (timeouts, shutdown)
    std::uint32_t earlier = 0;        ///< requests the task had received before this one
    bool joined = false;              ///< an earlier request was still unnoticed: one notice answers both
    bool observed = false;
    std::uint64_t observed_event = 0;
    Tick observed_at = 0;
    ObservedBy observed_by = ObservedBy::is_cancelled;  ///< meaningless when through_child != 0
    TaskId through_child = 0;         ///< != 0: noticed when this child's error reached the task
    bool finished = false;            ///< a task_finished event follows the request
    Tick finished_at = 0;
    Outcome outcome = Outcome::abandoned;
};

/// Folds a trace into cancel stories one event at a time, so a growing trace (the visualizer
/// playing a run) costs work proportional to the new events. Feed every event once, in order.
class CancelStoryFold {
public:
    /// Forgets everything.
    void reset();
    /// Reads event `index` of `trace` (the next one after the last read).
    void read(const Trace& trace, std::uint64_t index);
    /// Every story so far, in the order of the requests.
    [[nodiscard]] const std::vector<CancelStory>& stories() const { return m_stories; }
    /// True when some request of `task` was observed (by the task itself or through a child).
    [[nodiscard]] bool noticed(TaskId task) const { return task < m_tasks.size() && m_tasks[task].noticed; }
    /// True when `task` had at least one cancel request.
    [[nodiscard]] bool requested(TaskId task) const { return task < m_tasks.size() && m_tasks[task].requests != 0; }

private:
    struct PerTask {
        std::vector<std::uint32_t> open;        ///< stories not noticed yet
        std::vector<std::uint32_t> unfinished;  ///< stories whose task has not finished yet
        std::uint32_t requests = 0;
        TaskId noticing_child = 0;  ///< a child that noticed a cancel while a request was open
        TaskId awaited = 0;         ///< the task it last suspended on (task.value, async let)
        bool noticed = false;
    };
    PerTask& of(TaskId task);
    void notice(const Trace& trace, TaskId task, std::uint64_t index, ObservedBy by, TaskId through_child);

    std::vector<PerTask> m_tasks;
    std::vector<CancelStory> m_stories;
};

/// One story per cancel request, in the order of the requests.
[[nodiscard]] std::vector<CancelStory> cancel_stories(const Trace& trace);

}  // namespace tasklab
