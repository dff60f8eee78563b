// Timeline layout maths: which lane goes where, and where a moment goes on screen.
//
//  * LaneLayout orders the rows: depth first by the task tree (TaskInfo::parent), each
//    structured scope (task group, async let) introduced by a header row and bracketed around
//    its children; unstructured work (Task {}, Task.detached, GCD items) follows the subtree
//    of the nearest unstructured ancestor of its creator, so it never sits inside a bracket.
//    Folded tasks hide their subtree; a hidden task maps to its nearest visible ancestor.
//  * AxisPositions places events and intervals on either axis: virtual time (ticks), or
//    scheduler steps (each step one unit wide, its events spread inside it).
//  * TimeView maps axis positions to pixels, with zoom about a point, pan and fit.
//  * lod_spans() turns a lane's intervals into drawable spans, merging everything narrower
//    than a pixel column into one span per column (as Tracy does), so a lane with a million
//    intervals costs at most a few spans per pixel column. lod_marks() does the same for marks.
//  * route_arrow() routes an arrow between two lane centres as an elbow that stops at the
//    lane's bar edge.
//
// Pure C++ over the timeline model: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <set>
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
    /// The lane parent: structured parent, or for unstructured work the task it hangs under.
    [[nodiscard]] TaskId lane_parent(TaskId task) const;
    /// Rows [first, last) intersecting a vertical window of `height` pixels scrolled by
    /// `scroll` pixels, with rows of `row_height` pixels.
    [[nodiscard]] std::pair<std::uint32_t, std::uint32_t> visible_rows(float scroll, float height, float row_height) const;

private:
    friend class AlikeLanes;  // builds a layout with alike siblings sharing a row
    void add_task(const Trace& trace, const TaskInfo& info);
    void rebuild(const Trace& trace, const std::set<TaskId>& folded);

    struct Node {
        TaskId lane_parent = 0;
        // Structured children grouped by scope, scopes in order of their first child.
        std::vector<std::pair<ScopeId, std::vector<TaskId>>> scoped;
        std::vector<TaskId> unstructured;  ///< unstructured work hanging under this task
        bool unstructured_self = false;
    };
    std::vector<Node> m_nodes;  // by TaskId
    std::vector<Row> m_rows;
    std::vector<Bracket> m_brackets;
    std::vector<std::int64_t> m_row_of;  // by TaskId
    std::vector<bool> m_shown;           // by TaskId
    std::size_t m_tasks_seen = 0;
    std::set<TaskId> m_folded;
    bool m_dirty = true;
};

/// How a lane's data is placed on one of the two axes.
class AxisPositions {
public:
    /// `steps`: true for the step axis, false for virtual time.
    AxisPositions(const TimelineModel& model, bool steps) : m_model(&model), m_steps(steps) {}
    [[nodiscard]] bool steps() const { return m_steps; }
    /// Position of an event (its time, or its place among its step's events).
    [[nodiscard]] double event(std::uint32_t event, Tick time) const;
    [[nodiscard]] double begin(const Interval& iv) const { return event(iv.e0, iv.t0); }
    /// The end of an interval; open intervals end at the cursor (end()).
    [[nodiscard]] double end(const Interval& iv) const;
    /// The axis position of the cursor: the last event read (time) or the end of its step.
    [[nodiscard]] double cursor() const;
    /// The whole extent of the data: [0, cursor()], at least one unit (one second, one step).
    [[nodiscard]] std::pair<double, double> extent(Tick total_time, std::uint64_t total_steps) const;
    [[nodiscard]] const TimelineModel& model() const { return *m_model; }

private:
    const TimelineModel* m_model;
    bool m_steps;
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

private:
    double m_begin = 0;
    double m_end = 1;
    float m_x0 = 0;
    float m_width = 1;
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
