// The timeline panel: axis and zoom controls, the ruler, the lanes (TimelineCanvas), a legend.
//
// Keys (while no text field has focus): V cycles the axes (virtual time, time + steps, steps),
// F fits the run to the window, ] / [ zoom about the cursor, A / D pan (+ / - and Shift+arrows belong to the toolbar), PageUp/PageDown scroll the lanes, L shows or
// hides the legend. Mouse: wheel zooms about the pointer (over the labels, or with Shift, it
// scrolls), dragging pans, clicking selects a lane or an event, the ▸ folds a subtree.
#include <algorithm>
#include <cmath>
#include <string>

#include "viz/app.hpp"
#include "viz/layout_report.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"
#include "viz/panels/timeline_canvas.hpp"

namespace tasklab::viz {
namespace {

// GLFW key codes (ImGui 1.86 indexes io.KeysDown by the backend's codes).
constexpr int k_key_left_bracket = 91, k_key_right_bracket = 93;  // GLFW_KEY_LEFT_BRACKET, GLFW_KEY_RIGHT_BRACKET

class TimelinePanel final : public Panel {
public:
    explicit TimelinePanel(App& app) : Panel(app, "Timeline", PanelSlot::timeline, 10), m_canvas(app) {
        m_app.theme().add_text("\u2026");
    }

    void pre_frame() override {
        Session* s = m_app.session();
        m_rows = s && s->has_run() ? s->timeline_lanes(m_app.ui().folded).rows().size() : 0;
    }

    /// Every lane at full height (with the legend), or at the least readable height.
    [[nodiscard]] LayoutWish layout_wish(float width) const override {
        if (m_rows == 0) return {};
        const float fs = m_app.theme().font_size();
        const CanvasMetrics m = CanvasMetrics::for_font(fs);
        const float header = m_header_h > 0 ? m_header_h : std::round(fs * 2.2f);
        const float rows = static_cast<float>(m_rows);
        const float legend = m_app.ui().show_legend ? legend_height(width) : 0.0f;
        return {header + m.ruler + rows * m.row + legend + 2, header + m.ruler + rows * CanvasMetrics::least_row(fs) + 2};
    }

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    [[nodiscard]] bool zero_padding() const override { return true; }

    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::SetCursorPos(ImVec2(10, ImGui::GetCursorPosY() + 8));
            // A run on the worker thread (viz/session.hpp) shows when it arrives.
            ImGui::TextDisabled("%s", s && s->loading() ? "The run is being made: its lanes show when it has ended (or press Stop)."
                                                        : "No scenario is running.");
            return;
        }
        UiState& ui = m_app.ui();
        const TimelineModel& model = s->timeline();

        // A new scenario (or a reload, or the other axis for the first time): fit.
        if (s != m_session || s->epoch() != m_epoch) {
            if (s != m_session) {
                m_fitted[0] = m_fitted[1] = m_fitted[2] = false;
                m_canvas.set_scroll(0);
            }
            m_session = s;
            m_epoch = s->epoch();
        }
        if (s->instants().total_slots() != m_slots) {
            // A reload changed where instants open up: the time-and-steps axis sizes its slots again.
            m_slots = s->instants().total_slots();
            m_fitted[static_cast<std::size_t>(TimeAxis::time_and_steps)] = false;
        }
        {
            // The toolbar row, then a hairline.
            ImDrawList* wdl = ImGui::GetWindowDrawList();
            const ImVec2 top_left = ImGui::GetCursorScreenPos();
            ImGui::SetCursorScreenPos(ImVec2(top_left.x + 10, top_left.y + 6));
            ImGui::BeginGroup();
            draw_toolbar(*s, ui, top_left.x + ImGui::GetWindowSize().x - 10);
            ImGui::EndGroup();
            const float bottom = ImGui::GetItemRectMax().y + 6;
            m_header_h = bottom - top_left.y;
            wdl->AddLine(ImVec2(top_left.x, bottom - 0.5f), ImVec2(top_left.x + ImGui::GetWindowSize().x, bottom - 0.5f),
                         m_app.theme().palette().grid);
            ImGui::SetCursorScreenPos(ImVec2(top_left.x, bottom));
        }

        // After the toolbar, which may have switched the axis.
        const bool steps = ui.axis == TimeAxis::steps;
        const auto which = static_cast<std::size_t>(ui.axis);
        TimeView& view = m_views[which];
        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const CanvasMetrics m = CanvasMetrics::for_font(m_app.theme().font_size());
        const LaneLayout& rows = s->timeline_lanes(ui.folded);
        const float n_rows = static_cast<float>(std::max<std::size_t>(rows.rows().size(), 1));
        const float least_row = CanvasMetrics::least_row(m.font);
        // The legend gives way before the lanes shrink (large UI scales, small windows).
        float legend_h = ui.show_legend ? legend_height(avail.x) : 0.0f;
        if (avail.y - m.ruler - legend_h < std::min(n_rows, 40.0f) * m.row) legend_h = 0;
        // Rows shrink (down to the least readable height) so that every lane fits; when they
        // cannot all fit anyway, they keep their height and the lanes scroll.
        const float fit_row = std::floor((avail.y - m.ruler - legend_h) / n_rows);
        m_canvas.set_row_height(fit_row < m.row && fit_row >= least_row ? fit_row : 0.0f);
        const ImVec2 ruler_min = origin;
        const ImVec2 canvas_min(origin.x, origin.y + m.ruler);
        const ImVec2 canvas_max(origin.x + avail.x, origin.y + avail.y - legend_h);
        if (canvas_max.y - canvas_min.y < m.row) return;

        // The canvas sets the view's pixel range; fit needs it, so set it the same way first.
        const float gutter = std::min(m.gutter, avail.x * 0.4f);
        view.set_pixels(origin.x + gutter + 6, avail.x - gutter - 6 - m.font * 2.5f);
        if (!m_fitted[which]) {
            fit(*s, view, ui.axis);
            m_fitted[which] = true;
        }
        const AxisPositions axis(model, ui.axis, &s->instants(), view.slot_width());
        handle_keys(*s, view, axis, canvas_max.y - canvas_min.y);
        // While playing, keep the cursor in sight.
        if (s->playing()) {
            const float cx = view.to_x(axis.cursor());
            const float right = view.x0() + view.width();
            if (cx > right) view.pan_pixels(-(cx - (view.x0() + view.width() * 0.8f)));
        }

        ImGui::InvisibleButton("##timeline-canvas", ImVec2(avail.x, std::max(1.0f, avail.y - legend_h)),
                               ImGuiButtonFlags_MouseButtonLeft);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        m_canvas.draw(*s, canvas_min, canvas_max, view, ui.axis, true);
        if (LayoutReport* report = m_app.layout_report()) {
            // What was just drawn, for --screenshot's layout sidecar (viz/layout_report.hpp).
            const CanvasMetrics& cm = m_canvas.metrics();
            report->timeline_window = title();
            record_timeline_layout(*report, 0, s->path(), s->title(), s->trace(), model, s->timeline_lanes(ui.folded), axis, view,
                                   m_app.theme().palette(), {canvas_min.x, canvas_min.y, canvas_max.x, canvas_max.y},
                                   {canvas_min.x + gutter, canvas_min.y, canvas_max.x, canvas_max.y},
                                   canvas_min.y - m_canvas.scroll(), cm.row, cm.bar);
            record_selection(*report, 0, ui.selected_task);
            const auto [marks, departing] = m_canvas.choice_marks_drawn();
            record_outcome(*report, 0, s->outcome().value_or(0), marks, departing);
        }

        // Ruler over the plot (the gutter part shows the axis name).
        const Palette& pal = m_app.theme().palette();
        ImFont* font = m_app.theme().font(FontRole::ui);
        const ImVec2 ruler_plot_min(origin.x + gutter, ruler_min.y);
        const ImVec2 ruler_max(origin.x + avail.x, ruler_min.y + m.ruler);
        dl->PushClipRect(ruler_min, ruler_max, true);
        draw_ruler(dl, pal, font, m.font, view, axis, ruler_plot_min, ruler_max);
        dl->AddText(font, m.font * 0.85f, ImVec2(origin.x + 10, ruler_min.y + 4), pal.text_dim,
                    steps ? "scheduler step \u2192"
                          : ui.axis == TimeAxis::time_and_steps ? "time + steps \u2192" : "virtual time \u2192");
        const float cx = view.to_x(axis.cursor());
        if (cx >= ruler_plot_min.x && cx <= ruler_max.x) {
            dl->AddTriangleFilled(ImVec2(cx - 6, ruler_max.y - 9), ImVec2(cx + 6, ruler_max.y - 9), ImVec2(cx, ruler_max.y),
                                  pal.cursor);
        }
        dl->PopClipRect();

        if (legend_h > 0) draw_legend(ImVec2(origin.x, canvas_max.y), ImVec2(origin.x + avail.x, canvas_max.y + legend_h));
        if (ui.selected_task != m_last_selected) {
            m_last_selected = ui.selected_task;
            if (ui.selected_task != 0 && !m_canvas.hovered()) m_canvas.reveal(ui.selected_task);
        }
    }

private:
    /// Fits the whole run; on the time-and-steps axis first sizes the slots for this width
    /// (each step at least a glyph wide, see fit_slot_width).
    void fit(Session& s, TimeView& view, TimeAxis kind) {
        if (kind == TimeAxis::time_and_steps) {
            const float min_px = std::max(12.0f, std::round(m_app.theme().font_size() * 0.9f));
            view.set_slot_width(fit_slot_width(s.total_time(), s.instants().total_slots(), view.width() / 1.04f, min_px));
        }
        const AxisPositions axis(s.timeline(), kind, &s.instants(), view.slot_width());
        const auto [lo, hi] = axis.extent(s.total_time(), s.total_steps());
        view.fit(lo, hi);
    }

    /// The header: title, axis, zoom, legend, hints; the groups wrap onto a second line when
    /// the window is narrow (or the UI large), the hints go first, the title is shortened.
    void draw_toolbar(Session& s, UiState& ui, float right) {
        const float gap = std::round(ImGui::GetFontSize());
        m_flow.begin(right, gap);
        float title_y = 0;
        m_flow.begin_item();
        {
            // The title, shortened with an ellipsis to leave the controls room on its line.
            const std::string title = (s.outcome() ? s.outcome_label() + " \u00B7 " : std::string()) + Theme::shown(s.title());
            title_y = ImGui::GetCursorScreenPos().y;
            const float line_w = right - ImGui::GetCursorScreenPos().x;
            float max_w = std::max(ImGui::GetFontSize() * 5, line_w - m_controls_w - gap);
            // An explored outcome's number is never cut.
            if (s.outcome()) max_w = std::max(max_w, ImGui::CalcTextSize((s.outcome_label() + " \u00B7\u2026").c_str()).x + 2);
            const std::string shown = fit_text(title, max_w);
            ImGui::TextUnformatted(shown.c_str());
            if (shown != title && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", title.c_str());
        }
        m_flow.end_item();
        m_flow.begin_item();
        // The three axes, in the order V cycles them.
        for (const auto& [kind, label, tip] : k_axis_choices) {
            if (ImGui::RadioButton(label, ui.axis == kind)) {
                ui.axis = kind;
                ui.axis_chosen = true;
            }
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
            ImGui::SameLine();
        }
        ImGui::TextDisabled("(V)");
        m_flow.end_item();
        TimeView& view = m_views[static_cast<std::size_t>(ui.axis)];
        const AxisPositions axis(s.timeline(), ui.axis, &s.instants(), view.slot_width());
        m_flow.begin_item();
        if (ImGui::Button("Fit (F)")) fit(s, view, ui.axis);
        ImGui::SameLine();
        if (ImGui::Button(" - ")) view.zoom(1.25, view.to_x(axis.cursor()));
        ImGui::SameLine();
        if (ImGui::Button(" + ")) view.zoom(0.8, view.to_x(axis.cursor()));
        m_flow.end_item();
        m_flow.begin_item();
        ImGui::Checkbox("Legend (L)", &ui.show_legend);
        m_flow.end_item();
        m_controls_w = m_flow.item_width(1) + m_flow.item_width(2) + m_flow.item_width(3) + 3 * gap;
        const bool one_line = ImGui::GetItemRectMin().y <= title_y + 1;
        // The hints only where they fit on the line (they are all in the help, F1).
        const char* hints = "wheel or [ ]: zoom \u00B7 drag or A D: pan \u00B7 shift+wheel: scroll \u00B7 click: select";
        if (one_line && ImGui::CalcTextSize(hints).x <= m_flow.room_left()) {
            ImGui::SameLine(0, gap);
            ImGui::TextDisabled("%s", hints);
        }
    }

    /// `text` cut to `width` pixels in the current font with an ellipsis (viz/model/text_fit.hpp).
    static std::string fit_text(const std::string& text, float width) {
        return fit_to_width(ImGui::GetFont(), ImGui::GetFontSize(), text, width).text;
    }

    void handle_keys(Session& s, TimeView& view, const AxisPositions& axis, float lanes_height) {
        const ImGuiIO& io = ImGui::GetIO();
        if (io.WantTextInput || io.KeyCtrl || io.KeyAlt || io.KeySuper) return;
        UiState& ui = m_app.ui();
        if (ImGui::IsKeyPressed('V', false)) {
            // virtual time → time + steps → steps → virtual time
            ui.axis = ui.axis == TimeAxis::virtual_time ? TimeAxis::time_and_steps
                      : ui.axis == TimeAxis::time_and_steps ? TimeAxis::steps
                                                           : TimeAxis::virtual_time;
            ui.axis_chosen = true;
            return;
        }
        if (ImGui::IsKeyPressed('F', false)) fit(s, view, ui.axis);
        if (ImGui::IsKeyPressed('L', false)) ui.show_legend = !ui.show_legend;
        const float anchor = std::clamp(view.to_x(axis.cursor()), view.x0(), view.x0() + view.width());
        // `+`/`-` set the playing speed and Shift+arrows step between instants (the toolbar's
        // keys), so the timeline zooms with `]`/`[` and pans with A/D (GLFW key codes).
        if (ImGui::IsKeyPressed(k_key_right_bracket)) view.zoom(0.8, anchor);
        if (ImGui::IsKeyPressed(k_key_left_bracket)) view.zoom(1.25, anchor);
        if (ImGui::IsKeyPressed('A')) view.pan_pixels(view.width() / 8);
        if (ImGui::IsKeyPressed('D')) view.pan_pixels(-view.width() / 8);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageUp))) m_canvas.set_scroll(m_canvas.scroll() - lanes_height * 0.8f);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_PageDown))) m_canvas.set_scroll(m_canvas.scroll() + lanes_height * 0.8f);
    }

    // ---- legend ----
    struct LegendItem {
        enum class Kind : std::uint8_t { state, glyph, arrow } kind;
        int value;
        bool pending;
        const char* glyph_text;
        ImU32 color;
        std::string_view label;
    };

    /// The legend's entries (viz/model/glossary.hpp: every mark once, in the glossary's words).
    [[nodiscard]] std::vector<LegendItem> legend_items() const {
        const Palette& pal = m_app.theme().palette();
        using K = LegendItem::Kind;
        using E = LegendEntry::Kind;
        std::vector<LegendItem> items;
        for (const LegendEntry& e : legend_entries()) {
            switch (e.kind) {
                case E::state: items.push_back({K::state, e.value, false, nullptr, 0, e.words}); break;
                case E::pending: items.push_back({K::state, e.value, true, nullptr, 0, e.words}); break;
                case E::arrow: items.push_back({K::arrow, e.value, false, nullptr, 0, e.words}); break;
                case E::outcome:
                case E::mark:
                case E::unstructured:
                case E::thread:
                case E::gap: items.push_back({K::glyph, 0, false, e.glyph, legend_glyph_color(pal, e), e.words}); break;
            }
        }
        // An explored outcome's run: its choice points and preempted gaps (timeline_canvas.cpp).
        if (const Session* s = m_app.session(); s && s->outcome()) {
            items.push_back({K::glyph, 0, false, "\u25C7", pal.gap, "choice point: the runtime could have chosen otherwise"});
            items.push_back({K::glyph, 0, false, "\u25C6", pal.gap, "this outcome departs from tasklab's order"});
            items.push_back({K::state, static_cast<int>(LaneState::suspended), false, nullptr, 0,
                             "preempted: another thread ran first"});
        }
        return items;
    }

    [[nodiscard]] float legend_item_width(const LegendItem& item, ImFont* font, float fs) const {
        const float sample = item.kind == LegendItem::Kind::glyph ? fs * 1.0f : fs * 2.0f;
        return sample + 4 + font->CalcTextSizeA(fs, 1e9f, 0, item.label.data(), item.label.data() + item.label.size()).x + fs * 0.9f;
    }

    [[nodiscard]] float legend_height(float width) const {
        ImFont* font = m_app.theme().font(FontRole::ui);
        const float fs = m_app.theme().font_size() * 0.85f;
        float x = 10;
        int lines = 1;
        for (const LegendItem& item : legend_items()) {
            const float w = legend_item_width(item, font, fs);
            if (x + w > width - 10) {
                ++lines;
                x = 10;
            }
            x += w;
        }
        return static_cast<float>(lines) * fs * 1.5f + 8;
    }

    void draw_legend(ImVec2 min, ImVec2 max) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const Palette& pal = m_app.theme().palette();
        ImFont* font = m_app.theme().font(FontRole::ui);
        const float fs = m_app.theme().font_size() * 0.85f;
        const float line_h = fs * 1.5f;
        dl->PushClipRect(min, max, true);
        dl->AddLine(min, ImVec2(max.x, min.y), pal.grid);
        float x = min.x + 10, y = min.y + 4;
        for (const LegendItem& item : legend_items()) {
            const float w = legend_item_width(item, font, fs);
            if (x + w > max.x - 10) {
                x = min.x + 10;
                y += line_h;
            }
            const float y_mid = y + line_h * 0.5f;
            float sample = fs * 2.0f;
            switch (item.kind) {
                case LegendItem::Kind::state:
                    draw_state(dl, pal, static_cast<LaneState>(item.value), item.pending, x, x + sample, y_mid, fs * 0.9f);
                    break;
                case LegendItem::Kind::glyph:
                    sample = fs * 1.0f;
                    dl->AddText(font, fs * 1.05f, ImVec2(x + 1, y_mid - fs * 0.55f), item.color, item.glyph_text);
                    break;
                case LegendItem::Kind::arrow: {
                    ArrowRoute r;
                    r.points[0] = {x, y_mid};
                    r.points[1] = {x + sample, y_mid};
                    r.count = 2;
                    draw_arrow(dl, pal, static_cast<ArrowKind>(item.value), r, std::max(1.0f, m_app.theme().scale()));
                    break;
                }
            }
            dl->AddText(font, fs, ImVec2(x + sample + 4, y_mid - fs * 0.55f), pal.text_dim, item.label.data(),
                        item.label.data() + item.label.size());
            x += w;
        }
        dl->PopClipRect();
    }

    struct AxisChoice {
        TimeAxis kind;
        const char* label;
        const char* tip;
    };
    static constexpr AxisChoice k_axis_choices[3] = {
        {TimeAxis::virtual_time, "Virtual time", "x is virtual time: what a clock on the wall shows"},
        {TimeAxis::time_and_steps, "Time + steps",
         "virtual time, with every instant that holds several steps opened up so each step gets room"},
        {TimeAxis::steps, "Steps", "x is the scheduler step: every step the same width"},
    };

    TimelineCanvas m_canvas;
    FlowRow m_flow;
    std::size_t m_rows = 0;    // rows of the lane layout (pre_frame), for layout_wish
    float m_header_h = 0;      // the header's height in the last frame
    float m_controls_w = 0;    // the header's controls (axis to legend) in the last frame
    TimeView m_views[3];  // by TimeAxis: each axis keeps its own zoom
    bool m_fitted[3] = {false, false, false};
    double m_slots = -1;  // the slots of the run the time-and-steps view was fitted to
    const Session* m_session = nullptr;
    std::uint64_t m_epoch = 0;
    TaskId m_last_selected = 0;
};

}  // namespace
TASKLAB_REGISTER_PANEL(TimelinePanel)
}  // namespace tasklab::viz
