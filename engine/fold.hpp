// The fold: the trace turned into what each task was doing when, and the order of its lanes.
//
// Everything that draws a run (the text timeline, the Perfetto export, the visualizer's
// timeline) needs the same two things from the trace: per task, the intervals of its states
// (waiting to start, running, suspended with a reason, sleeping, blocked, waiting for an actor),
// each flagged while a cancel was requested and the task has not finished ("cancelled, still
// going"); and an order of the tasks' lanes that follows the task tree. This file is the one
// place where trace events become those states (fold_event) and where the lane tree is built
// (LaneTree); the readers only choose how to show them.
//
// The fold is incremental: TaskFold::sync() reads only the events appended since the last
// call, so a trace that grows while a run plays costs work in proportion to the new events.
// Reading the fold at an earlier cursor (an event count) needs no refold: intervals are in
// event order, so intervals_at() and interval_at() are a binary search in the task's list.
// A reader that only streams (the exports) can ask the fold to keep just each task's current
// interval (FoldKeeps::current_interval): memory stays one interval per task.
//
// Rules (one per event kind, in fold_event):
//   task_created                    → waiting_to_start
//   task_started / resumed / unblocked → running
//   task_suspended                  → sleeping (reason sleep), actor_wait (reason actor, with
//                                     the actor), else suspended (with the reason)
//   actor_waiting                   → actor_wait with the actor; no new interval when the task
//                                     already waits for that actor (a hop: suspended, then queued)
//   task_blocked                    → blocked (with the actor it keeps while blocked, if any)
//   task_finished                   → the open interval ends; the lane's end is recorded
//   cancel_requested                → from here on cancel_pending (the open interval is split),
//                                     unless the task finished or a request is already pending
//   uncancelled with none left      → cancel_pending ends (asyncio's uncancel(); split again)
// Every other event leaves the states alone.
//
// Lane order: LaneTree files each task under its structured parent (task-group children and
// async lets, grouped by scope) or, for unstructured work (Task {}, Task.detached, GCD work
// items, asyncio tasks outside a TaskGroup, threads, callbacks), under its creator as "spawned"
// work. depth_first() walks the tree as the text timeline and the Perfetto export show it
// (spawned work right after its creator's subtree, at the creator's depth); the visualizer
// walks the same nodes with scope brackets and folds (viz/model/timeline_layout.cpp) and shows
// spawned work as top-level lanes.
//
// Standard library only; deterministic; no recursion (deep task trees are fine).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include "trace.hpp"

namespace tasklab {

/// What a task is doing during an interval: the one state list every view of a run uses.
enum class LaneState : std::uint8_t {
    waiting_to_start,  ///< created, not started yet (in the ready queue, or a timer starts it)
    running,           ///< holding the (single) thread: its code runs
    suspended,         ///< waiting at an await (reason: StateInterval::reason)
    sleeping,          ///< suspended on a timer (Task.sleep, asyncio.sleep)
    blocked,           ///< thread-blocking work (Thread.sleep, time.sleep, semaphore.wait)
    actor_wait,        ///< Swift: waiting for an actor another task holds (StateInterval::actor)
};
inline constexpr int k_lane_state_count = 6;
/// The state in plain words ("waiting to start", "waiting for an actor").
std::string_view lane_state_name(LaneState s);

/// "End of the trace": the time and event of an interval still open at the cursor.
inline constexpr Tick k_open_time = std::numeric_limits<Tick>::max();
inline constexpr std::uint32_t k_open_index = std::numeric_limits<std::uint32_t>::max();

/// One state of one task from one event to the next (times and events are inclusive-exclusive).
struct StateInterval {
    Tick t0 = 0;                       ///< virtual time it began
    Tick t1 = k_open_time;             ///< virtual time it ended (k_open_time: still going)
    std::uint32_t e0 = 0;              ///< event that began it
    std::uint32_t e1 = k_open_index;   ///< event that ended it (k_open_index: still going)
    /// The event that put the task in this state: e0, or, when a cancel request or an uncancel
    /// split the state, the event before that which began it (its details describe the wait).
    std::uint32_t cause = 0;
    LaneState state = LaneState::running;
    WaitReason reason = WaitReason::forever;  ///< for suspended / sleeping / actor_wait
    bool cancel_pending = false;       ///< a cancel was requested and the task has not finished
    /// Swift actors: the actor waited for (actor_wait), or the actor held while blocked (blocked); 0: none.
    ActorId actor = 0;
    [[nodiscard]] bool open() const { return e1 == k_open_index; }
};

/// How a task ended (at its task_finished event), when it has.
struct LaneEnd {
    Outcome outcome = Outcome::returned;
    std::uint32_t event = 0;
    Tick time = 0;
};

/// One task's folded lane. Readers that keep more per lane (marks, arrows) extend it.
struct TaskLane {
    std::vector<StateInterval> intervals;  ///< in time order, back to back
    std::optional<LaneEnd> end;            ///< set once finished
    std::uint32_t created_event = 0;
    Tick created_time = 0;
    bool cancel_pending = false;  ///< a cancel request is pending (not taken back, task not finished)
};

/// What one event did to its task's lane.
enum class LaneChange : std::uint8_t {
    none,   ///< no state change (a mark, a timer, or a state the lane is already in)
    began,  ///< a new interval began at this event (intervals.back(); the one before ended here)
    ended,  ///< the task finished: its last interval ended at this event
};

/// Whether a lane keeps every interval or only the latest one (streaming readers).
enum class FoldKeeps : std::uint8_t { every_interval, current_interval };

/// The rules: folds event `e` into the lane of its task (see the table at the top). The one
/// place where events become states.
LaneChange fold_event(TaskLane& lane, const Event& e, FoldKeeps keeps = FoldKeeps::every_interval);

/// Every task's lane, kept up to date with a growing trace.
class TaskFold {
public:
    explicit TaskFold(FoldKeeps keeps = FoldKeeps::every_interval) : m_keeps(keeps) {}

    /// Forgets everything (the next sync reads the trace from its first event).
    void reset();
    /// Reads the events appended since the last sync (all of them after reset()). A trace
    /// shorter than what was read is another run: the fold starts over.
    void sync(const Trace& trace);
    /// Reads the next event (index event_count()) alone; returns what it did to its task's lane.
    LaneChange read_next(const Trace& trace);

    /// Events read so far.
    [[nodiscard]] std::uint64_t event_count() const { return m_events_read; }
    /// Lanes by TaskId (index 0 is unused, as in Trace::tasks()).
    [[nodiscard]] const std::vector<TaskLane>& lanes() const { return m_lanes; }
    [[nodiscard]] const TaskLane& lane(TaskId id) const { return m_lanes[id]; }

    /// The intervals of `task` begun before event `cursor` (the fold as it stood after reading
    /// `cursor` events; the last one may have ended later: see interval_at). O(log intervals).
    [[nodiscard]] std::span<const StateInterval> intervals_at(TaskId task, std::uint64_t cursor) const;
    /// The state `task` was in once `cursor` events had happened, with e1/t1 set to
    /// k_open_index/k_open_time when it was still going then; nullopt before it was created,
    /// after it finished, or when the fold keeps only current intervals.
    [[nodiscard]] std::optional<StateInterval> interval_at(TaskId task, std::uint64_t cursor) const;

private:
    FoldKeeps m_keeps;
    std::uint64_t m_events_read = 0;
    std::vector<TaskLane> m_lanes;
};

// ---- lane order ----------------------------------------------------------------------------

/// One row of the lane order, top to bottom.
struct TimelineLane {
    TaskId task = 0;
    std::uint32_t depth = 0;          ///< indentation level (structured nesting)
    bool unstructured = false;        ///< not a structured child: drawn with the "⇢ " marker
};

/// The task tree the lanes follow, built incrementally from the trace's task table.
class LaneTree {
public:
    struct Node {
        /// The structured parent (task-group child, async let), 0 for main and unstructured work.
        TaskId lane_parent = 0;
        /// Structured children grouped by scope, scopes in order of their first child, children
        /// in creation order.
        std::vector<std::pair<ScopeId, std::vector<TaskId>>> scoped;
        /// Unstructured work this task created, in creation order.
        std::vector<TaskId> spawned;
        bool unstructured = false;  ///< neither main nor a structured child
        bool thread = false;        ///< a worker thread (TaskKind::thread)
        bool known = false;         ///< the task is in the trace's task table
    };
    /// Adds the tasks registered since the last sync (starts over when the table shrank).
    /// Returns true when tasks were added.
    bool sync(const Trace& trace);
    void reset();
    /// Nodes by TaskId (index 0 unused).
    [[nodiscard]] const std::vector<Node>& nodes() const { return m_nodes; }
    [[nodiscard]] const Node& node(TaskId id) const { return m_nodes[id]; }
    /// Tasks read so far (plus the unused index 0).
    [[nodiscard]] std::size_t size() const { return m_nodes.size(); }
    /// The order of the text timeline and the Perfetto export: depth first over the task tree,
    /// structured children in creation order, then the unstructured work each task created,
    /// at the task's own depth; tasks no walk reaches (a creator cycle) at the end.
    [[nodiscard]] std::vector<TimelineLane> depth_first() const;

private:
    void add(const TaskInfo& info);
    std::vector<Node> m_nodes;
    std::vector<TaskId> m_roots;  ///< main and work with no (known) creator, in creation order
};

/// The lanes of a whole trace in depth_first() order (explicit stack: deep trees are fine).
[[nodiscard]] std::vector<TimelineLane> timeline_lanes(const Trace& trace);

}  // namespace tasklab
