// Drawing one session's timeline into a rectangle: lanes, states, marks, gaps, arrows, brackets.
//
// The timeline panel draws one canvas; the compare view can draw two canvases that share one
// TimeView (one time axis). The canvas owns only its vertical scroll and what the mouse is
// over; zoom and pan live in the TimeView the caller passes.
//
// Drawing follows Tracy: straight ImDrawList calls, only the rows inside the rectangle are
// visited, and each lane's intervals and marks go through the level-of-detail merge
// (viz/model/timeline_layout.hpp), so a frame costs about (visible rows × pixel columns)
// whatever the length of the trace.
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "viz/model/outcome_list.hpp"
#include "viz/model/timeline_layout.hpp"
#include "viz/theme.hpp"

namespace tasklab::viz {

class App;
class Session;

/// Sizes that follow the font (and so the UI scale).
struct CanvasMetrics {
    float font = 17;        ///< font size in pixels
    float row = 40;         ///< lane height
    float bar = 18;         ///< state bar height
    float indent = 16;      ///< per depth level
    float gutter = 240;     ///< label column width
    float ruler = 26;       ///< ruler height
    static CanvasMetrics for_font(float font_size);
    /// The smallest lane height that still reads (label and bar) at this font size.
    static float least_row(float font_size) { return std::round(font_size * 1.25f); }
    /// These metrics with rows of `row` pixels (when smaller than the font's): the bar shrinks with them.
    [[nodiscard]] CanvasMetrics with_row(float row_px) const;
};

/// Draws a state's pattern in [x0, x1] × [y_mid - bar/2, y_mid + bar/2] (also used by the legend).
void draw_state(ImDrawList* dl, const Palette& pal, LaneState state, bool cancel_pending, float x0, float x1, float y_mid,
                float bar);
/// Draws an arrow of `kind` along `route` (the legend draws samples with it too).
void draw_arrow(ImDrawList* dl, const Palette& pal, ArrowKind kind, const ArrowRoute& route, float scale);
/// The colour of an outcome (its glyph: outcome_glyph in viz/model/glossary.hpp).
ImU32 outcome_color(const Palette& pal, Outcome o);
/// The colour of a legend entry's glyph, as the timeline draws it (0 for states and arrows).
ImU32 legend_glyph_color(const Palette& pal, const LegendEntry& e);

/// Draws the ruler (ticks and labels) of `view` in [min, max].
void draw_ruler(ImDrawList* dl, const Palette& pal, ImFont* font, float font_size, const TimeView& view, bool steps,
                ImVec2 min, ImVec2 max);
/// The same for any axis: on the time-and-steps axis each opened instant is a bracket labelled
/// with its time (and its number of steps when there is room), with a tick per step.
void draw_ruler(ImDrawList* dl, const Palette& pal, ImFont* font, float font_size, const TimeView& view,
                const AxisPositions& axis, ImVec2 min, ImVec2 max);

class TimelineCanvas {
public:
    explicit TimelineCanvas(App& app) : m_app(app) {}

    /// Draws `session`'s lanes in [min, max] (gutter on the left, plot on the right). Sets the
    /// pixel range of `view` to the plot area. With `interactive`, handles hover (tooltip,
    /// UiState::hovered_*), clicks (selection, folding) and vertical scrolling. `shared`: on the
    /// time-and-steps axis, the instants of two runs drawn on one axis (InstantTable::merged).
    void draw(Session& session, ImVec2 min, ImVec2 max, TimeView& view, TimeAxis axis, bool interactive,
              const InstantTable* shared = nullptr);

    /// The lane height to use instead of the font's (0: the font's); only ever makes rows
    /// smaller, so that every lane fits (App::layout shrinks rows before it hides a lane).
    void set_row_height(float row) { m_row_height = row; }
    /// Vertical scroll in pixels.
    [[nodiscard]] float scroll() const { return m_scroll; }
    void set_scroll(float y) { m_scroll = y; }
    /// Scrolls so that `task`'s row is visible.
    void reveal(TaskId task) { m_reveal = task; }
    /// True when the mouse is over the plot area (not the gutter).
    [[nodiscard]] bool plot_hovered() const { return m_plot_hovered; }
    /// True when the mouse is over the canvas.
    [[nodiscard]] bool hovered() const { return m_hovered; }
    [[nodiscard]] const CanvasMetrics& metrics() const { return m_m; }
    /// Choice-point marks drawn in the last draw(), and how many of them fill (the run departs there).
    [[nodiscard]] std::pair<std::size_t, std::size_t> choice_marks_drawn() const { return m_choice_drawn; }

private:
    struct Hover {
        std::optional<std::uint64_t> event;   ///< a mark or an end glyph
        std::optional<std::size_t> interval;  ///< a state span
        std::optional<std::size_t> gap;       ///< a cancel gap
        std::optional<std::size_t> choice;    ///< a choice point's mark (index into m_choice_marks)
        TaskId task = 0;
        float distance = 1e9f;
    };
    void draw_gutter(Session& s, const LaneLayout& lanes, std::uint32_t first, std::uint32_t last, ImVec2 min, float top);
    /// Draws a gutter label from `pos` up to `right`, cut with "…" (whole in a tooltip on hover)
    /// when longer; returns the width drawn.
    float gutter_label(ImFont* font, float size, ImVec2 pos, float right, ImU32 col, const std::string& text, float row_y);
    /// The actor an interval waits for or keeps while blocked (a band and its name).
    void draw_actor(Session& s, const Interval& iv, const LodSpan& sp, float y_mid, float bar);
    void draw_lane(Session& s, const Row& row, float y, const AxisPositions& axis, const TimeView& view, float clip_x0,
                   float clip_x1);
    void draw_arrows(Session& s, const LaneLayout& lanes, const AxisPositions& axis, const TimeView& view, float top,
                     std::uint32_t first, std::uint32_t last, ImVec2 plot_min, ImVec2 plot_max);
    void tooltip(Session& s, const AxisPositions& axis);
    /// The choice points of the run shown (an explored outcome's): a diamond on the lane of the
    /// task that went first, filled where the run departs from tasklab's own order.
    void draw_choice_marks(Session& s, const LaneLayout& lanes, const AxisPositions& axis, const TimeView& view, float top,
                           std::uint32_t first, std::uint32_t last, ImVec2 plot_min, ImVec2 plot_max);

    App& m_app;
    CanvasMetrics m_m;
    float m_scroll = 0;
    float m_row_height = 0;
    std::optional<TaskId> m_reveal;
    bool m_plot_hovered = false;
    bool m_hovered = false;
    ImVec2 m_mouse;
    Hover m_hover;
    ImDrawList* m_dl = nullptr;
    struct Label {
        ImVec2 pos;
        float size;
        ImU32 color;
        std::string text;
    };
    std::vector<Label> m_labels;  // drawn after the arrows
    std::vector<LodSpan> m_spans;
    std::vector<LodMark> m_marks;
    std::vector<ChoiceMark> m_choice_marks;
    std::pair<std::size_t, std::size_t> m_choice_drawn{0, 0};
};

}  // namespace tasklab::viz
