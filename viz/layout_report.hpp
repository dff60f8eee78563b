// What the timeline drew in one frame, written next to a screenshot so a test can check the
// picture's pixels and its layout against it.
//
// With `tasklab-viz --screenshot OUT.png`, main.cpp hands the App a LayoutReport; the timeline
// (or, when comparing, the compare view for each of its two runs) refills it every frame
// (record_timeline_layout) with the rectangles it drew into and, for every lane, the run it
// belongs to, its pixel rows and the states its bar shows in the visible time range -- the
// same level-of-detail spans the canvas draws, so "shows" means "drawn in this frame". Each
// run's narration caption is recorded with its rectangle; the App records every window it laid
// out (toolbar, timeline, caption band, lower panels, tab strips) with the extent of what it
// drew, so content cut off by a window's edge shows. After the frame it saves, main.cpp writes
// the report as JSON (layout_report_json): by default to OUT.png.json, or to `--layout-json
// PATH`. tests/viz/screenshots_test.py and tests/viz/classroom_test.py read it.
//
// The JSON is deterministic: fixed key order, runs in order (A, then B), lanes in run then row
// order, states in LaneState order (then "cancelled, still going"), pixel values with one
// decimal.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "viz/model/timeline_layout.hpp"
#include "viz/theme.hpp"

namespace tasklab::viz {

/// A rectangle in window pixels (y grows downwards, as in the PNG).
struct ReportRect {
    float x0 = 0;
    float y0 = 0;
    float x1 = 0;
    float y1 = 0;
};

/// The states a lane's bar can show: the five LaneStates, then "cancelled, still going" (a
/// cancel was requested and the task has not finished: drawn over the state in its own colour).
inline constexpr int k_report_state_count = k_lane_state_count + 1;
inline constexpr int k_report_cancel_pending = k_lane_state_count;
/// The name of a report state: lane_state_name(), or "cancelled, still going".
std::string_view report_state_name(int state);

/// A glyph on a lane: a mark (cancel requested, threw, note, …) or how the task ended.
struct MarkReport {
    std::string kind;          ///< mark_kind_name(), or "end" for the outcome glyph
    std::uint64_t event = 0;   ///< the trace event it stands for (the first, when merged)
    float x = 0;               ///< the position its glyph is centred on
};

/// An instant the time-and-steps axis opened up, where it lies on screen.
struct InstantReport {
    Tick time = 0;
    std::uint64_t first_step = 0;  ///< its steps are [first_step, end_step)
    std::uint64_t end_step = 0;
    float x0 = 0;                  ///< its bracket on the ruler
    float x1 = 0;
};

/// One task's lane.
struct LaneReport {
    std::uint32_t run = 0;    ///< which run it belongs to (0: A, the first file; 1: B, compared)
    TaskId task = 0;
    std::uint32_t alike = 0;  ///< alike sibling lanes drawn in this row ("+N alike")
    std::string name;         ///< the lane label (the task's name as the trace has it)
    std::uint32_t row = 0;    ///< row index in the timeline (scope headers take rows too)
    ReportRect rect;          ///< the lane's row across the canvas (gutter and plot)
    float bar_y0 = 0;         ///< the state bar's top and bottom
    float bar_y1 = 0;
    bool visible = false;     ///< the whole row lies inside the canvas (scrolled into view)
    bool selected = false;    ///< its run's selected task is drawn in this row (each run has its own)
    /// Where each report state is drawn in the visible time range: x ranges [x0, x1), left to
    /// right, touching ranges joined (empty: not shown). Only filled for visible lanes.
    std::array<std::vector<std::pair<float, float>>, k_report_state_count> state_spans;
    /// The marks drawn on the lane in the visible time range, left to right (the same
    /// level-of-detail merge as the canvas: one per kind and pixel column), then its end glyph.
    /// Their x does not depend on the scroll: filled for every lane of a lesson-sized timeline
    /// (up to 2,000 rows), for the visible lanes only beyond.
    std::vector<MarkReport> marks;
};

/// A window drawn over the timeline's canvas (a subtitle, a tooltip): its pixels there are not
/// the timeline's.
struct CoverReport {
    std::string window;  ///< the window's name
    ReportRect rect;     ///< what it draws, clipped to the canvas
};

/// One run drawn by the timeline (or one half of the compare view).
struct RunReport {
    std::string tag;          ///< "A" or "B"
    std::string scenario;     ///< the scenario's path as given
    std::string title;
    ReportRect canvas;        ///< its lanes' area: gutter and plot
    ReportRect plot;
    float row_height = 0;
    std::uint64_t tasks = 0;  ///< tasks in its trace
    bool focused = false;     ///< the run the toolbar drives and the lower panels show
    bool has_caption = false; ///< a narration caption is shown for it
    ReportRect caption;       ///< the caption's box (when shown)
    float caption_font = 0;   ///< the caption's font size in pixels
    std::size_t outcome = 0;       ///< the explored outcome it shows (0: tasklab's own order)
    std::size_t choice_marks = 0;  ///< choice-point marks drawn on its lanes
    std::size_t departing_marks = 0;  ///< of those, where it departs from tasklab's order
};

/// A window the App laid out (or drew over the others), and what it drew.
struct WindowReport {
    std::string name;
    ReportRect rect;          ///< the window
    ReportRect content;       ///< the extent of its widgets (may pass the window: then cut)
    bool scrolls = false;     ///< content past the edge can be scrolled to (not cut)
};

/// What the timeline drew in the last frame.
struct LayoutReport {
    std::string mode = "normal";  ///< "normal" or "compare"
    bool presenter = false;
    float scale = 1.0f;       ///< the UI scale (presenter mode's included)
    std::vector<RunReport> runs;  ///< the runs drawn (one, or A and B when comparing)
    std::vector<WindowReport> windows;  ///< every laid-out window, in drawing order
    std::string timeline_window = "Timeline";  ///< the ImGui window the lanes are drawn in
    bool filled = false;      ///< the timeline drew a run this frame
    std::string scenario;     ///< the scenario's path as given
    std::string title;
    int image_width = 0;      ///< the framebuffer saved (set by main.cpp)
    int image_height = 0;
    bool steps_axis = false;  ///< x is scheduler steps (else virtual time)
    TimeAxis axis = TimeAxis::virtual_time;  ///< the axis drawn ("axis" in the JSON: time_axis_name)
    std::vector<InstantReport> instants;     ///< time+steps: the opened instants in the visible range
    ReportRect canvas;        ///< the lanes' area: gutter and plot, under the ruler
    ReportRect plot;          ///< the part of the canvas right of the gutter, where bars go
    float row_height = 0;
    float cursor_x = 0;       ///< where the cursor line is (may lie outside the plot)
    std::uint64_t tasks = 0;  ///< tasks in the trace
    std::array<std::uint8_t, 3> background{};  ///< the canvas colour (RGB)
    std::array<std::array<std::uint8_t, 3>, k_report_state_count> state_colors{};  ///< RGB by report state
    std::vector<LaneReport> lanes;  ///< every task row, top to bottom (also those scrolled away)
    std::vector<CoverReport> covered;  ///< windows drawn over the canvas, back to front
};

/// Adds run `run` (0: A, 1: B) to `out` from what TimelineCanvas::draw just drew: `canvas` and
/// `plot` are its rectangles, `top` the y of row 0 (canvas top minus the scroll), `row` and
/// `bar` the row and bar heights. Run 0 also sets the top-level fields (all but the image size).
void record_timeline_layout(LayoutReport& out, std::uint32_t run, const std::string& scenario, const std::string& title,
                            const Trace& trace, const TimelineModel& model, const LaneLayout& lanes,
                            const AxisPositions& axis, const TimeView& view, const Palette& palette, ReportRect canvas,
                            ReportRect plot, float top, float row, float bar);

/// Marks the lanes of run `run` that show `task` as selected (the run's own selection).
void record_selection(LayoutReport& out, std::uint32_t run, TaskId task);

/// Records the explored outcome run `run` shows and the choice-point marks its lanes drew.
void record_outcome(LayoutReport& out, std::uint32_t run, std::size_t outcome, std::size_t marks, std::size_t departing);

/// Records the caption drawn for run `run` (its box and font size).
void record_caption(LayoutReport& out, std::uint32_t run, ReportRect box, float font_size);

/// Records in `out.covered` the windows ImGui draws after (over) `timeline_window` where they
/// reach into a run's canvas. Call after ImGui::Render(), with its draw data.
void record_covering_windows(LayoutReport& out, const ImDrawData& draw_data, std::string_view timeline_window);

/// The report as JSON (one object, keys in a fixed order, ending with a newline).
std::string layout_report_json(const LayoutReport& report);

/// Writes layout_report_json(report) to `path`. Returns "" on success, the reason otherwise.
std::string write_layout_report(const std::string& path, const LayoutReport& report);

}  // namespace tasklab::viz
