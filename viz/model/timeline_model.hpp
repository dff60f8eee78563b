// The timeline model: what the timeline shows, derived from a trace up to a cursor.
//
// For every task it keeps the intervals of its states (waiting to start, running, suspended
// with the reason, sleeping, blocked), each flagged when a cancel was requested and the task has
// not finished yet ("cancelled but still running"), as the engine's fold makes them
// (engine/fold.hpp: the same states the text timeline and the Perfetto export show), its marks (cancel requested, cancel
// observed, threw, printed, handler ran, narration, …) and how it ended. Across tasks it keeps
// the arrows (spawn, explicit cancel, propagated cancel, implicit cancel after a child's error,
// error delivered to the owner), the gap between each task's first cancel request and the
// moment it noticed (open while never noticed; a task that is asked again after it noticed
// gets a second gap; a cancel that reached the task through a child's error ends its gap
// where that error reached it) and the life span of each scope.
//
// The model is incremental: sync() reads only the events appended since the last call, so a
// trace growing while the scenario plays costs work proportional to the new events. When the
// trace is replaced (a step back replays the run; a reload) the caller passes a new epoch and
// the model starts over.
//
// Pure C++ over engine/trace.hpp: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <vector>

#include "engine/cancel_stories.hpp"
#include "engine/fold.hpp"
#include "engine/trace.hpp"

namespace tasklab::viz {

// The states, their intervals and the open-interval markers are the engine fold's
// (engine/fold.hpp): LaneState, lane_state_name, k_lane_state_count, k_open_time, k_open_index.

/// One state of one task from one event to the next (the fold's StateInterval).
using Interval = StateInterval;

/// Point events drawn as glyphs on a lane.
enum class MarkKind : std::uint8_t {
    cancel_requested,  ///< detail: CancelCause; related: requesting task
    cancel_observed,   ///< detail: ObservedBy
    threw,             ///< payload: error text
    caught,            ///< payload: error text
    printed,           ///< payload: the line
    handler_ran,       ///< withTaskCancellationHandler's handler; related: whose cancel ran it
    narration,         ///< payload: note index (1-based, into Program::notes)
    error_delivered,   ///< this task received a child's error; related: the child
    lint,              ///< detail: LintKind; payload: message
};
inline constexpr int k_mark_kind_count = 9;
std::string_view mark_kind_name(MarkKind k);

/// A glyph on a lane at one event.
struct Mark {
    std::uint32_t event = 0;   ///< index in the trace (Trace::at for kind, time, payload, span)
    Tick time = 0;
    MarkKind kind = MarkKind::printed;
    std::uint8_t detail = 0;   ///< the event's detail byte
    std::uint32_t related = 0; ///< the event's related field
};

/// How an arrow between two lanes is drawn and what it means.
enum class ArrowKind : std::uint8_t {
    spawn,              ///< creator → new structured task (at task_created)
    spawn_unstructured, ///< creator → new unstructured task, detached task or work item (dashed)
    explicit_cancel,    ///< task.cancel() / group.cancelAll(): requester → target
    propagated,         ///< cancel travelling down the tree: parent or group owner → child
    implicit,           ///< a child's error cancels its siblings: failing child → scope → sibling
    error_delivered,    ///< a child's error reaches its owner: child → owner
};
inline constexpr int k_arrow_kind_count = 6;
std::string_view arrow_kind_name(ArrowKind k);

/// A typed link from one lane to another at one event (both ends at the same instant).
struct Arrow {
    ArrowKind kind = ArrowKind::spawn;
    TaskId from = 0;
    TaskId to = 0;
    ScopeId scope = 0;         ///< the scope it travels through (implicit, propagated), or 0
    std::uint32_t event = 0;   ///< the event it is drawn at
    Tick time = 0;
};

/// The gap between a cancel request and the moment the task noticed it (or its end). A task
/// has one gap per request that found it not already waiting to notice an earlier one: asked
/// twice before it noticed, one gap; asked again after it noticed, a second gap.
struct CancelGap {
    TaskId task = 0;
    CancelCause cause = CancelCause::explicit_call;
    std::uint32_t requested_event = 0;
    Tick requested_time = 0;
    std::uint32_t observed_event = k_open_index;  ///< k_open_index: not noticed (yet)
    Tick observed_time = k_open_time;
    ObservedBy observed_by = ObservedBy::is_cancelled;
    /// != 0: the cancel reached the task through this child, which noticed it; the gap ends
    /// where the child's error reached the task (observed_by is then meaningless).
    TaskId through_child = 0;
    /// Requests that joined this gap after the first (asked again before it noticed).
    std::uint32_t joined = 0;
    /// True when the task finished without ever noticing (the gap stays open for good).
    bool never_observed = false;
    std::uint32_t story = 0;  ///< index into the fold's cancel stories (the first request)
    [[nodiscard]] bool observed() const { return observed_event != k_open_index; }
};

/// Everything known about one task's lane: the fold's lane (intervals, end, creation; see
/// engine/fold.hpp) and what the timeline draws on it.
struct LaneData : TaskLane {
    std::vector<Mark> marks;          ///< in event order
    std::int32_t gap = -1;            ///< index into gaps() of the latest gap, -1: never cancelled
    std::vector<std::uint32_t> gaps;  ///< indices into gaps() of all its gaps, in time order
};

/// When a scope was entered and left.
struct ScopeSpan {
    std::uint32_t entered_event = k_open_index;
    Tick entered_time = 0;
    std::uint32_t exited_event = k_open_index;  ///< k_open_index: still open
    Tick exited_time = k_open_time;
};

class TimelineModel {
public:
    /// Forgets everything (the next sync reads the trace from its first event).
    void reset();
    /// Reads the events appended since the last sync. When `epoch` differs from the last
    /// sync's, the trace was replaced and the model starts over.
    void sync(const Trace& trace, std::uint64_t epoch);

    /// Events read so far (the cursor's event count).
    [[nodiscard]] std::uint64_t event_count() const { return m_events_read; }
    /// Virtual time of the last event read (open intervals end here when drawn).
    [[nodiscard]] Tick now() const { return m_now; }
    /// Step of the last event read.
    [[nodiscard]] std::uint64_t last_step() const { return m_last_step; }
    /// The task that started or resumed last (the one the latest step ran), 0 before any.
    [[nodiscard]] TaskId last_ran() const { return m_last_ran; }
    /// Lanes by TaskId (index 0 is unused, as in Trace::tasks()).
    [[nodiscard]] const std::vector<LaneData>& lanes() const { return m_lanes; }
    [[nodiscard]] const LaneData& lane(TaskId id) const { return m_lanes[id]; }
    [[nodiscard]] const std::vector<Arrow>& arrows() const { return m_arrows; }
    [[nodiscard]] const std::vector<CancelGap>& gaps() const { return m_gaps; }
    /// Every cancel request so far and what became of it (the same fold `tasklab run`
    /// summarises): one story per request, also when a task is asked twice.
    [[nodiscard]] const std::vector<CancelStory>& cancel_stories() const { return m_cancels.stories(); }
    /// Scope life spans by ScopeId (index 0 unused).
    [[nodiscard]] const std::vector<ScopeSpan>& scopes() const { return m_scopes; }

    // ---- the step axis ----
    /// Steps are 0 … last_step(); step s owns the events [first_event_of_step(s),
    /// first_event_of_step(s + 1)). Steps with no events own an empty range.
    [[nodiscard]] std::uint64_t first_event_of_step(std::uint64_t step) const;
    /// The step of an event read so far.
    [[nodiscard]] std::uint64_t step_of_event(std::uint64_t event) const;
    /// Position of an event on the step axis: its step plus where it sits among the step's
    /// events, in (step, step + 1). Events of one step are spread evenly inside it.
    [[nodiscard]] double step_position(std::uint64_t event) const;
    /// Virtual time of an event read so far.
    [[nodiscard]] Tick time_of_event(std::uint64_t event) const;
    /// The first event whose time is >= t (event_count() when none).
    [[nodiscard]] std::uint64_t first_event_at_or_after(Tick t) const;

private:
    void read(const Trace& trace, const Event& e);
    /// Closes the task's open gap when the cancel fold says its request was noticed.
    void close_gap(TaskId task);
    LaneData& lane_of(TaskId id);

    std::uint64_t m_epoch = ~std::uint64_t{0};
    std::uint64_t m_events_read = 0;
    Tick m_now = 0;
    std::uint64_t m_last_step = 0;
    TaskId m_last_ran = 0;
    std::vector<LaneData> m_lanes;
    std::vector<Arrow> m_arrows;
    std::vector<CancelGap> m_gaps;
    CancelStoryFold m_cancels;
    std::vector<ScopeSpan> m_scopes;
    std::vector<std::uint32_t> m_step_first_event;  ///< [s]: first event of step s
    /// (first event, time) at every change of time, for time_of_event.
    std::vector<std::pair<std::uint32_t, Tick>> m_time_runs;
};

}  // namespace tasklab::viz
