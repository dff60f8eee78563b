// Timeline layout maths: which lane goes where, and where a moment goes on screen.
//
//  * LaneLayout orders the rows: depth first by the engine fold's task tree (LaneTree,
//    engine/fold.hpp: TaskInfo::parent, children grouped by scope), each
//    structured scope (task group, async let) introduced by a header row and bracketed around
//    its children; unstructured work (Task {}, Task.detached, GCD items) has no parent, so
//    it is a top-level lane (in creation order, after the subtrees of earlier top-level lanes)
//    and never sits inside a bracket; the dashed spawn arrow links it to its creator.
//    Folded tasks hide their subtree; a hidden task maps to its nearest visible ancestor.
//  * AxisPositions places events and intervals on one of three axes: virtual time (ticks);
//    scheduler steps (each step one unit wide, its events spread inside it); or time and
//    steps, which is virtual time with every instant that holds several steps opened up
//    (InstantTable): the instant gets one slot per event that draws something, each step at
//    least half a slot, so a burst of zero-time steps is as readable as on the step axis while the time
//    between instants stays proportional.
//  * TimeView maps axis positions to pixels, with zoom about a point, pan and fit; for the
//    time-and-steps axis it also holds how wide a slot is (fit_slot_width).
//  * lod_spans() turns a lane's intervals into drawable spans, merging everything narrower
//    than a pixel column into one span per column (as Tracy does), so a lane with a million
//    intervals costs at most a few spans per pixel column. lod_marks() does the same for marks.
//  * route_arrow() routes an arrow between two lane centres as an elbow that stops at the
//    lane's bar edge.
//
// Pure C++ over the timeline model: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <algorithm>
#include <cstdint>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "viz/model/timeline_model.hpp"

namespace tasklab::viz {

/// What a row of the timeline shows.
enum class RowKind : std::uint8_t {
    task,          ///< one task's lane
    scope_header,  ///< the title row of a structured scope; its bracket spans its children
};

/// One row of the timeline, top to bottom.
struct Row {
    RowKind kind = RowKind::task;
    TaskId task = 0;       ///< the task (for a header: the scope's owner)
    ScopeId scope = 0;     ///< for a header: the scope; for a task: TaskInfo::scope
    std::uint32_t depth = 0;       ///< indentation level
    bool unstructured = false;     ///< unstructured work: outside any bracket, linked to its creator
    bool thread = false;           ///< a worker thread (TaskKind::thread): marked ≋ instead of ↗
    bool has_children = false;     ///< foldable
    bool folded = false;
    std::uint32_t hidden = 0;      ///< tasks hidden under this row by folding
    std::uint32_t alike = 0;       ///< alike sibling lanes drawn as this one (AlikeLanes, lane_groups.hpp)
};

/// A scope's bracket: the header row and the rows of its children's subtrees.
struct Bracket {
    ScopeId scope = 0;
    TaskId owner = 0;
    std::uint32_t first_row = 0;  ///< the header row
    std::uint32_t last_row = 0;   ///< inclusive
    std::uint32_t depth = 0;      ///< the depth of its header and children
};

class LaneLayout {
public:
    /// Brings the rows up to date with the trace's task and scope tables and the fold set.
    /// Cheap when nothing changed (same task count, same folds); otherwise a linear walk with
    /// an explicit stack (no recursion: 1,000 nested scopes are fine).
    void update(const Trace& trace, const std::set<TaskId>& folded);
    /// Forgets everything (a new trace).
    void reset();

    [[nodiscard]] const std::vector<Row>& rows() const { return m_rows; }
    [[nodiscard]] const std::vector<Bracket>& brackets() const { return m_brackets; }
    /// The row showing `task`: its own, or its nearest visible ancestor's when folded away.
    /// -1 for unknown tasks.
    [[nodiscard]] std::int64_t row_of(TaskId task) const;
    /// True when `task` has a row of its own (not folded away).
    [[nodiscard]] bool shown(TaskId task) const;
    /// The lane parent: the structured parent (0 for main and unstructured work).
    [[nodiscard]] TaskId lane_parent(TaskId task) const;
    /// Rows [first, last) intersecting a vertical window of `height` pixels scrolled by
    /// `scroll` pixels, with rows of `row_height` pixels.
    [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> visible_rows(float scroll, float height, float row_height) const;

private:
    friend class AlikeLanes;  // builds a layout with alike siblings sharing a row
    void rebuild(const Trace& trace, const std::set<TaskId>& folded);

    LaneTree m_tree;  // the fold's task tree; spawned work is shown as top-level lanes here
    std::vector<Row> m_rows;
    std::vector<Bracket> m_brackets;
    std::vector<std::int64_t> m_row_of;  // by TaskId
    std::vector<bool> m_shown;           // by TaskId
    std::size_t m_tasks_seen = 0;
    std::set<TaskId> m_folded;
    bool m_dirty = true;
};

/// Which x axis the timeline (and anything showing positions) uses.
enum class TimeAxis : std::uint8_t {
    virtual_time,    ///< x is virtual time: what a clock on the wall would show
    steps,           ///< x is the scheduler step: every step gets the same width
    time_and_steps,  ///< virtual time, with each instant holding several steps opened up
};
/// The axis's name on the command line and in the layout sidecar: "time", "steps", "time+steps".
std::string_view time_axis_name(TimeAxis axis);

/// The virtual instants of a whole run and how the time-and-steps axis opens them up.
///
/// An instant (every event at one virtual time) that holds several scheduler steps is *opened*:
/// it gets a width of its own, measured in slots, on top of the time around it. Each event in
/// it takes `event_slot_weight(kind)` slots (one for an event that draws a glyph — a cancel, a
/// throw, a note, a print, an end; half for a spawn, whose arrow needs room; none for the
/// bookkeeping in between) and each step takes at least half a slot, spread over its events. An
/// instant holding a single step stays a point, as on the time axis. Built once from the whole
/// run's trace (the probe run), so positions never move while the cursor plays through it.
class InstantTable {
public:
    /// One opened instant.
    struct Opened {
        Tick time = 0;
        std::uint64_t first_event = 0;  ///< its events are [first_event, end_event)
        std::uint64_t end_event = 0;
        std::uint64_t first_step = 0;   ///< its steps are [first_step, end_step)
        std::uint64_t end_step = 0;
        double slots_before = 0;        ///< slots of the opened instants before it
        double slots = 0;               ///< its own width in slots
        std::uint32_t key_events = 0;   ///< events in it that draw a glyph (weight 1)
    };

    /// Reads the whole run. Cost: one pass over the trace; memory: 8 bytes per event.
    void build(const Trace& trace);
    /// The instants of two runs shown on one axis (compare): every instant opened in either,
    /// as wide as the wider of the two. It has no events of its own: it is passed to
    /// AxisPositions as the shared table, with each run's own table.
    static InstantTable merged(const InstantTable& a, const InstantTable& b);
    void clear();
    /// Events of the run it was built from.
    [[nodiscard]] std::uint64_t events() const { return m_prefix.empty() ? 0 : m_prefix.size() - 1; }
    /// Slots before event `e` (all opened instants' slots before it; events past the run: all).
    [[nodiscard]] double slots_before_event(std::uint64_t e) const {
        return m_prefix.empty() ? 0.0 : m_prefix[std::min<std::uint64_t>(e, m_prefix.size() - 1)];
    }
    /// The middle of event `e`'s slot, in slots from the start (its slot_begin when it has none).
    [[nodiscard]] double event_centre(std::uint64_t e) const {
        return (slots_before_event(e) + slots_before_event(e + 1)) * 0.5;
    }
    [[nodiscard]] double total_slots() const { return m_total; }
    /// Slots of the opened instants strictly before virtual time `t`.
    [[nodiscard]] double slots_before_time(Tick t) const;
    /// The opened instants in time order.
    [[nodiscard]] const std::vector<Opened>& opened() const { return m_opened; }
    /// The opened instant at time `t`, or nullptr.
    [[nodiscard]] const Opened* opened_at(Tick t) const;
    /// The first event of step `s` of the run (events() past its last step).
    [[nodiscard]] std::uint64_t first_event_of_step(std::uint64_t s) const {
        return s < m_step_first.size() ? m_step_first[s] : events();
    }
    /// The virtual time of event `e` of the run (the last instant's past the run).
    [[nodiscard]] Tick time_of_event(std::uint64_t e) const;
    /// True when some instant holding several steps holds two or more key events: on the time
    /// axis they are drawn in one pixel column whatever the zoom, so their glyphs overlap.
    [[nodiscard]] bool crowded() const { return m_crowded; }

private:
    std::vector<double> m_prefix;             // [e]: slots before event e; size events() + 1
    std::vector<std::uint64_t> m_step_first;  // [s]: first event of step s
    std::vector<Opened> m_opened;
    std::vector<std::pair<std::uint64_t, Tick>> m_instants;  // (first event, time) of every instant
    double m_total = 0;
    bool m_crowded = false;
};

/// Slots an event of `kind` takes in an opened instant: 1 when it draws a glyph, 0.5 for a
/// spawn (an arrow), 0 for the rest (a step's bookkeeping: resumed, timers, scopes).
double event_slot_weight(EventKind kind);

/// The width of one slot, in axis units (ticks), for a run of `total_time` with `total_slots`
/// slots fitted into `width_px` pixels: each slot gets `min_px` pixels and the time the rest,
/// unless the slots would then take more than `max_fraction` of the width, in which case they
/// take that fraction. A run that takes no virtual time is all slots (one tick each).
double fit_slot_width(Tick total_time, double total_slots, float width_px, float min_px, double max_fraction = 0.7);

/// A place on an axis read back: the virtual time there, and the step when it lies inside a
/// step (always on the step axis, inside an opened instant on the time-and-steps axis).
struct AxisPoint {
    Tick time = 0;
    bool in_step = false;
    std::uint64_t step = 0;
};

/// How a lane's data is placed on one of the axes.
class AxisPositions {
public:
    /// `steps`: true for the step axis, false for virtual time.
    AxisPositions(const TimelineModel& model, bool steps)
        : m_model(&model), m_kind(steps ? TimeAxis::steps : TimeAxis::virtual_time) {}
    /// Any axis; the time-and-steps axis reads `instants` with slots `slot` ticks wide (with no
    /// table, or a slot of 0, it is the time axis). With a `shared` table (InstantTable::merged
    /// of two runs) the instants open up as wide as the shared table says, each run's events
    /// placed inside from its left edge, so two runs line up on one axis.
    AxisPositions(const TimelineModel& model, TimeAxis kind, const InstantTable* instants, double slot,
                  const InstantTable* shared = nullptr)
        : m_model(&model), m_kind(kind), m_instants(instants), m_shared(shared), m_slot(instants != nullptr ? slot : 0.0) {}
    [[nodiscard]] bool steps() const { return m_kind == TimeAxis::steps; }
    [[nodiscard]] TimeAxis kind() const { return m_kind; }
    /// Ticks per slot on the time-and-steps axis (0 on the others).
    [[nodiscard]] double slot() const { return m_kind == TimeAxis::time_and_steps ? m_slot : 0.0; }
    /// Position of an event (its time, or its place among its step's events).
    [[nodiscard]] double event(std::uint32_t event, Tick time) const;
    [[nodiscard]] double begin(const Interval& iv) const { return event(iv.e0, iv.t0); }
    /// The end of an interval; open intervals end at the cursor (end()).
    [[nodiscard]] double end(const Interval& iv) const;
    /// The axis position of the cursor: the last event read (time) or the end of its step.
    [[nodiscard]] double cursor() const;
    /// The whole extent of the data: [0, cursor()], at least one unit (one second, one step).
    [[nodiscard]] std::pair<double, double> extent(Tick total_time, std::uint64_t total_steps) const;
    /// Where virtual time `t` lies (on the step axis: the first step at or after t read so far;
    /// on the time-and-steps axis, an opened instant's left edge).
    [[nodiscard]] double time_position(Tick t) const;
    /// The middle of step `s` (time-and-steps: the middle of its slots, or its instant's point).
    [[nodiscard]] double step_position(std::uint64_t s) const;
    /// The inverse: the time (and step) at an axis position (with a shared table, the time only).
    [[nodiscard]] AxisPoint at(double position) const;
    [[nodiscard]] const TimelineModel& model() const { return *m_model; }
    [[nodiscard]] const InstantTable* instants() const { return m_instants; }
    /// The table that says where instants lie and how wide they are: the shared one, or the own.
    [[nodiscard]] const InstantTable* layout_instants() const { return m_shared != nullptr ? m_shared : m_instants; }
    /// True when a shared table places the instants (steps inside them are not known to it).
    [[nodiscard]] bool shared() const { return m_shared != nullptr; }

private:
    /// Slots the shared table adds before virtual time `t` over the run's own (0 without one).
    [[nodiscard]] double shift(Tick t) const {
        return m_shared != nullptr ? m_shared->slots_before_time(t) - m_instants->slots_before_time(t) : 0.0;
    }
    const TimelineModel* m_model;
    TimeAxis m_kind;
    const InstantTable* m_instants = nullptr;
    const InstantTable* m_shared = nullptr;
    double m_slot = 0;
};

/// The visible window of an axis and its mapping to pixels.
class TimeView {
public:
    /// Sets the pixel range the axis is drawn in.
    void set_pixels(float x0, float width);
    /// Shows [lo, hi] across the full width (with a small margin).
    void fit(double lo, double hi);
    /// Shows [lo, hi] exactly.
    void set_range(double lo, double hi);
    /// Multiplies the visible span by `factor` (< 1 zooms in) keeping the position under
    /// pixel `anchor_x` still.
    void zoom(double factor, float anchor_x);
    /// Moves the view by `dx` pixels (positive: content moves right, earlier times come in).
    void pan_pixels(float dx);
    [[nodiscard]] float to_x(double position) const;
    [[nodiscard]] double to_position(float x) const;
    [[nodiscard]] double begin() const { return m_begin; }
    [[nodiscard]] double end() const { return m_end; }
    [[nodiscard]] float x0() const { return m_x0; }
    [[nodiscard]] float width() const { return m_width; }
    /// Axis units per pixel.
    [[nodiscard]] double units_per_pixel() const { return (m_end - m_begin) / static_cast<double>(m_width); }
    /// A tick spacing for the ruler: 1, 2 or 5 × 10^k units, at least `min_pixels` apart.
    [[nodiscard]] double tick_step(float min_pixels) const;
    /// The time-and-steps axis: ticks per slot (0: no instant is opened). Set when the view is
    /// fitted; zooming and panning keep it, so the axis units stay put.
    [[nodiscard]] double slot_width() const { return m_slot; }
    /// Sets the slot width (positions change with it: the caller fits the view again).
    void set_slot_width(double slot) { m_slot = slot; }

private:
    double m_begin = 0;
    double m_end = 1;
    float m_x0 = 0;
    float m_width = 1;
    double m_slot = 0;
};

/// A drawable piece of a lane, in pixels.
struct LodSpan {
    float x0 = 0;
    float x1 = 0;
    LaneState state = LaneState::running;
    bool cancel_pending = false;
    bool open = false;             ///< reaches the cursor (still going)
    std::uint32_t merged = 1;      ///< intervals it stands for (> 1: several sub-pixel intervals)
    std::uint32_t first = 0;       ///< index of the first interval it stands for
};

/// The intervals of one lane that intersect pixels [clip_x0, clip_x1) as spans: intervals at
/// least a pixel wide become one span each (adjacent equal ones joined); runs of narrower ones
/// become one span per pixel column, showing the state that matters most in it (running,
/// blocked, then the longest). Cost: O(spans × log intervals).
void lod_spans(const std::vector<Interval>& intervals, const AxisPositions& axis, const TimeView& view, float clip_x0,
               float clip_x1, std::vector<LodSpan>& out);

/// A drawable mark: one per kind and pixel column at most.
struct LodMark {
    float x = 0;
    std::uint32_t index = 0;   ///< into LaneData::marks (the first of its column and kind)
    std::uint32_t count = 1;   ///< marks of this kind folded into it
};

/// The marks of one lane within [clip_x0, clip_x1), at most one per (kind, pixel column).
void lod_marks(const std::vector<Mark>& marks, const AxisPositions& axis, const TimeView& view, float clip_x0,
               float clip_x1, std::vector<LodMark>& out);

/// A point in pixels.
struct Vec2 {
    float x = 0;
    float y = 0;
};

/// An arrow's path: up to four points; the arrowhead is at the last one.
struct ArrowRoute {
    Vec2 points[4];
    int count = 0;
};

/// Routes an arrow from lane centre `y_from` to lane centre `y_to` at event position `x`:
/// out of the source lane sideways by the kind's offset (so arrows of different kinds at one
/// instant do not overlap), vertically to the target lane, stopping at the target bar's edge
/// (`half_bar` from its centre) so the bar's glyphs stay readable. Arrows within one lane are
/// a single horizontal step.
ArrowRoute route_arrow(ArrowKind kind, float x, float y_from, float y_to, float half_bar);

}  // namespace tasklab::viz
