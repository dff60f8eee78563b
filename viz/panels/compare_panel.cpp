// Compare: two scenarios one above the other on one time axis (`tasklab-viz --compare A B`,
// or C in the window). It takes the timeline's place while a second scenario is open.
//
// Each run is drawn whole: its label, all its lanes (rows shrink so both runs fit; the lower
// panels give way first, see App::layout) and its own narration caption under its lanes. The
// run in focus (A at first; the A/B switch in the header, or a click on a run's lanes, moves
// it) is the one the toolbar drives and the lower panels show; the other follows its cursor:
// on the virtual-time axis it stands at its last step at or before the focused run's time; on
// the step axis, at its step. Each run keeps its own selected task and folds. Both canvases
// share one TimeView, so zooming or panning either moves both and the same x is the same moment
// in both runs.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "viz/app.hpp"
#include "viz/layout_report.hpp"
#include "viz/panels/caption.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"
#include "viz/panels/timeline_canvas.hpp"

namespace tasklab::viz {
namespace {

/// The virtual time at the end of every step of a whole run (for following by time).
class StepTimes {
public:
    /// Rebuilds the table when `s` is another session or another load of its file.
    void update(Session& s) {
        const void* program = &s.program();
        if (m_serial == s.serial() && m_program == program) return;
        m_serial = s.serial();
        m_program = program;
        std::unique_ptr<ScriptedChooser> chooser;  // an explored outcome's order, if one is shown
        Controller full(s.controller().program_ptr(), s.own_run_options(chooser));
        full.run_until_idle();
        const Trace& t = full.trace();
        m_end_time.assign(full.step_index() + 1, 0);
        for (std::uint64_t i = 0; i < t.size(); ++i) {
            const Event e = t.at(i);
            if (e.step < m_end_time.size()) m_end_time[e.step] = e.time;
        }
        for (std::size_t k = 1; k < m_end_time.size(); ++k) m_end_time[k] = std::max(m_end_time[k], m_end_time[k - 1]);
    }
    /// The last step whose time is at or before `t`.
    [[nodiscard]] std::uint64_t step_at(Tick t) const {
        if (m_end_time.empty()) return 0;
        const auto it = std::upper_bound(m_end_time.begin(), m_end_time.end(), t);
        return it == m_end_time.begin() ? 0 : static_cast<std::uint64_t>(it - m_end_time.begin() - 1);
    }

private:
    std::uint64_t m_serial = 0;
    const void* m_program = nullptr;
    std::vector<Tick> m_end_time;
};

class ComparePanel final : public Panel {
public:
    explicit ComparePanel(App& app) : Panel(app, "Compare", PanelSlot::timeline, 11), m_canvas{TimelineCanvas(app), TimelineCanvas(app)} {
        set_visible(false);
    }

    void pre_frame() override {
        Session* a = m_app.session();
        Session* b = m_app.compare_session();
        const bool comparing = a != nullptr && b != nullptr;
        set_visible(comparing);
        if (Panel* timeline = m_app.find_panel("Timeline")) timeline->set_visible(!comparing);
        if (!comparing) {
            m_fitted[0] = m_fitted[1] = m_fitted[2] = false;
            return;
        }
        follow(*a, *b);
        for (std::size_t i = 0; i < 2; ++i) {
            Session* s = m_app.run(i);
            m_rows[i] = 0;
            if (!s || !s->has_run()) continue;
            with_run_ui(i, [&] { m_rows[i] = s->timeline_lanes(m_app.ui().folded).rows().size(); });
        }
    }

    /// Both runs whole: header, ruler, each run's label, lanes and caption.
    [[nodiscard]] LayoutWish layout_wish(float width) const override {
        const float fs = m_app.theme().font_size();
        const CanvasMetrics m = CanvasMetrics::for_font(fs);
        const float header = m_header_h > 0 ? m_header_h : std::round(fs * 2.2f);
        float fixed = header + m.ruler + 2 * label_height() + 4;
        for (std::size_t i = 0; i < 2; ++i)
            if (Session* s = m_app.run(i)) fixed += m_captions[i].band_height(m_app, *s, width - 16, caption_font());
        const float rows = static_cast<float>(std::max<std::size_t>(m_rows[0], 1) + std::max<std::size_t>(m_rows[1], 1));
        return {fixed + rows * m.row, fixed + rows * CanvasMetrics::least_row(fs)};
    }

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw_content() override {
        Session* runs[2] = {m_app.run(0), m_app.run(1)};
        if (!runs[0] || !runs[1]) return;
        UiState& ui = m_app.ui();
        const bool steps = ui.axis == TimeAxis::steps;
        const auto which = static_cast<std::size_t>(ui.axis);
        TimeView& view = m_view[which];

        // Header: the axis, fit, which run the lower panels show, stop.
        const float top = ImGui::GetCursorScreenPos().y;
        const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
        const float gap = std::round(ImGui::GetFontSize());
        m_flow.begin(right, gap);
        m_flow.begin_item();
        if (ImGui::RadioButton("Virtual time", ui.axis == TimeAxis::virtual_time)) ui.axis = TimeAxis::virtual_time;
        ImGui::SameLine();
        if (ImGui::RadioButton("Time + steps", ui.axis == TimeAxis::time_and_steps)) ui.axis = TimeAxis::time_and_steps;
        ImGui::SameLine();
        if (ImGui::RadioButton("Steps", steps)) ui.axis = TimeAxis::steps;
        m_flow.end_item();
        m_flow.begin_item();
        const bool fit_now = ImGui::Button("Fit (F)") || (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed('F', false) &&
                                                          !ImGui::GetIO().KeyCtrl);
        m_flow.end_item();
        m_flow.begin_item();
        {
            // The A/B switch: the run the toolbar drives and the lower panels show.
            const std::size_t focus = m_app.focused_run();
            ImGui::AlignTextToFramePadding();
            ImGui::TextUnformatted("Panels show");
            ImGui::SameLine();
            for (std::size_t i = 0; i < 2; ++i) {
                if (i) ImGui::SameLine(0, 2);
                const bool on = focus == i;
                if (on) ImGui::PushStyleColor(ImGuiCol_Button, ImGui::GetStyleColorVec4(ImGuiCol_ButtonActive));
                if (ImGui::Button(i == 0 ? " A " : " B ")) m_app.focus_run(i);
                if (on) ImGui::PopStyleColor();
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("The toolbar drives run %s and the lower panels show it (or click its lanes)", i == 0 ? "A" : "B");
            }
        }
        m_flow.end_item();
        m_flow.begin_item();
        if (ImGui::Button("Stop comparing (C)")) {
            m_flow.end_item();
            m_app.close_compare();
            return;
        }
        m_flow.end_item();
        const char* follows = steps ? "the other run stands at the same step" : "the other run stands at its last step at or before this time";
        if (ImGui::CalcTextSize(follows).x <= m_flow.room_left()) {
            ImGui::SameLine(0, gap);
            ImGui::AlignTextToFramePadding();
            ImGui::TextDisabled("%s", follows);
        }
        m_header_h = ImGui::GetItemRectMax().y + ImGui::GetStyle().ItemSpacing.y - top;

        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const CanvasMetrics m = CanvasMetrics::for_font(m_app.theme().font_size());
        const float label_h = label_height();
        float caption_h[2] = {0, 0};
        for (std::size_t i = 0; i < 2; ++i)
            caption_h[i] = std::min(m_captions[i].band_height(m_app, *runs[i], avail.x, caption_font()), std::round(avail.y * 0.18f));
        // One row height for both runs: every lane of both fits, down to the least readable height.
        const float lanes_h = avail.y - m.ruler - 2 * label_h - caption_h[0] - caption_h[1];
        const std::size_t n0 = std::max<std::size_t>(m_rows[0], 1), n1 = std::max<std::size_t>(m_rows[1], 1);
        const float least = CanvasMetrics::least_row(m.font);
        const float row = std::clamp(std::floor(lanes_h / static_cast<float>(n0 + n1)), least, m.row);
        // Each run's lanes get their rows' share (the rest, if any, goes under B).
        float h0 = std::min(static_cast<float>(n0) * row, std::floor(lanes_h * static_cast<float>(n0) / static_cast<float>(n0 + n1)));
        if (static_cast<float>(n0 + n1) * row <= lanes_h) h0 = static_cast<float>(n0) * row;
        if (lanes_h < 2 * least) return;
        const float gutter = std::min(m.gutter, avail.x * 0.4f);
        view.set_pixels(origin.x + gutter + 6, avail.x - gutter - 6 - m.font * 2.5f);
        // Time + steps: both runs' instants open up alike (InstantTable::merged).
        const std::pair<double, double> slots{runs[0]->instants().total_slots(), runs[1]->instants().total_slots()};
        if (slots != m_merged_slots) {
            m_merged = InstantTable::merged(runs[0]->instants(), runs[1]->instants());
            m_merged_slots = slots;
            m_fitted[static_cast<std::size_t>(TimeAxis::time_and_steps)] = false;
        }
        if (fit_now || !m_fitted[which]) {
            fit(*runs[0], *runs[1], view, ui.axis);
            m_fitted[which] = true;
        }
        const AxisPositions ruler_axis(runs[0]->timeline(), ui.axis, &runs[0]->instants(), view.slot_width(), &m_merged);

        ImGui::InvisibleButton("##compare-canvas", ImVec2(avail.x, std::max(1.0f, avail.y)), ImGuiButtonFlags_MouseButtonLeft);
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const Palette& pal = m_app.theme().palette();
        ImFont* font = m_app.theme().font(FontRole::ui);

        // The shared ruler.
        const ImVec2 ruler_max(origin.x + avail.x, origin.y + m.ruler);
        dl->PushClipRect(origin, ruler_max, true);
        dl->AddRectFilled(origin, ruler_max, pal.lane_alt);
        draw_ruler(dl, pal, font, m.font, view, ruler_axis, ImVec2(origin.x + gutter, origin.y), ruler_max);
        dl->AddText(font, m.font * 0.85f, ImVec2(origin.x + 10, origin.y + 4), pal.text_dim,
                    steps ? "scheduler step \u2192"
                          : ui.axis == TimeAxis::time_and_steps ? "time + steps \u2192" : "virtual time \u2192");
        dl->PopClipRect();

        if (LayoutReport* report = m_app.layout_report()) report->timeline_window = title();
        float y = origin.y + m.ruler;
        const float bottom = origin.y + avail.y;
        for (std::size_t i = 0; i < 2; ++i) {
            const float lanes = i == 0 ? h0 : bottom - y - label_h - caption_h[1];
            const ImVec2 lo(origin.x, y), hi(origin.x + avail.x, y + label_h + lanes);
            m_canvas[i].set_row_height(row < m.row ? row : 0.0f);
            draw_one(i, *runs[i], lo, hi, label_h, view, ui.axis, i == 0 ? pal.unstructured : pal.cancel_pending);
            y = hi.y;
            if (caption_h[i] > 0) {
                if (const auto text = m_captions[i].current(*runs[i])) {
                    const auto [box, fs] = m_captions[i].draw(m_app, dl, *text, ImVec2(origin.x + 8, y), ImVec2(origin.x + avail.x - 8, y + caption_h[i]),
                                                              caption_font());
                    if (LayoutReport* report = m_app.layout_report())
                        record_caption(*report, static_cast<std::uint32_t>(i), {box.first.x, box.first.y, box.second.x, box.second.y}, fs);
                }
                y += caption_h[i];
            }
        }
    }

private:
    /// B follows A's cursor (by time, or by step on the step axis).
    void follow(Session& a, Session& b) {
        if (!a.has_run() || !b.has_run()) return;
        std::uint64_t target = 0;
        if (m_app.ui().axis == TimeAxis::steps) {
            target = std::min(a.step(), b.total_steps());
        } else {
            m_times.update(b);
            target = std::min(m_times.step_at(a.now()), b.total_steps());
        }
        if (target != b.step()) b.seek(target);
    }

    void fit(Session& a, Session& b, TimeView& view, TimeAxis kind) {
        const bool steps = kind == TimeAxis::steps;
        if (kind == TimeAxis::time_and_steps) {
            const float min_px = std::max(12.0f, std::round(m_app.theme().font_size() * 0.9f));
            view.set_slot_width(fit_slot_width(std::max(a.total_time(), b.total_time()), m_merged.total_slots(),
                                               view.width() / 1.04f, min_px));
        }
        double hi = 1;
        for (Session* s : {&a, &b}) {
            if (!s->has_run()) continue;
            const AxisPositions axis(s->timeline(), kind, &s->instants(), view.slot_width(), &m_merged);
            hi = std::max(hi, axis.extent(s->total_time(), s->total_steps()).second);
            // The step axis of the run reached so far is what the canvas can place.
            if (steps) hi = std::max(hi, static_cast<double>(s->total_steps()) + 1);
        }
        view.fit(0, hi);
    }

    void draw_one(std::size_t run, Session& s, ImVec2 min, ImVec2 max, float label_h, TimeView& view, TimeAxis axis,
                  ImU32 accent) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const Palette& pal = m_app.theme().palette();
        ImFont* title_font = m_app.theme().font(FontRole::title);
        const float fs = m_app.theme().font_size();
        const bool focused = m_app.focused_run() == run;
        dl->AddRectFilled(min, ImVec2(max.x, min.y + label_h), pal.lane_alt);
        dl->AddRectFilled(min, ImVec2(min.x + (focused ? 8 : 4), min.y + label_h), accent);
        const char* tag = run == 0 ? "A" : "B";
        dl->AddText(title_font, fs * 1.05f, ImVec2(min.x + 12, min.y + (label_h - fs * 1.05f) * 0.5f), accent, tag);
        // An explored outcome's run says so first: the title may be cut at the right.
        std::string text = (s.outcome() ? s.outcome_label() + " \u00B7 " : std::string()) + Theme::shown(s.title());
        char where[96];
        std::snprintf(where, sizeof where, "   step %llu / %llu   %s%s", static_cast<unsigned long long>(s.step()),
                      static_cast<unsigned long long>(s.total_steps()), format_time(s.now()).c_str(),
                      focused ? "   \u25C0 toolbar and panels" : "");
        text += where;
        dl->PushClipRect(min, ImVec2(max.x, min.y + label_h), true);
        dl->AddText(m_app.theme().font(FontRole::ui), fs, ImVec2(min.x + 12 + fs * 1.4f, min.y + (label_h - fs) * 0.5f), pal.text,
                    text.c_str());
        dl->PopClipRect();
        if (!s.has_run()) {
            dl->AddText(ImVec2(min.x + 10, min.y + label_h + 8), pal.error,
                        s.load_error().empty() ? "This scenario has errors: it does not run." : s.load_error().c_str());
            return;
        }
        TimelineCanvas& canvas = m_canvas[run];
        const ImVec2 cmin(min.x, min.y + label_h);
        // Each run's own selection and folds (App::focus_run).
        with_run_ui(run, [&] {
            canvas.draw(s, cmin, max, view, axis, true, &m_merged);
            if (LayoutReport* report = m_app.layout_report()) {
                const CanvasMetrics& cm = canvas.metrics();
                const float gutter = std::min(cm.gutter, (max.x - min.x) * 0.4f);
                const AxisPositions positions(s.timeline(), axis, &s.instants(), view.slot_width(), &m_merged);
                record_timeline_layout(*report, static_cast<std::uint32_t>(run), s.path(), s.title(), s.trace(), s.timeline(),
                                       s.timeline_lanes(m_app.ui().folded), positions, view, pal, {cmin.x, cmin.y, max.x, max.y},
                                       {cmin.x + gutter, cmin.y, max.x, max.y}, cmin.y - canvas.scroll(), cm.row, cm.bar);
                record_selection(*report, static_cast<std::uint32_t>(run), m_app.ui().selected_task);
                const auto [marks, departing] = canvas.choice_marks_drawn();
                record_outcome(*report, static_cast<std::uint32_t>(run), s.outcome().value_or(0), marks, departing);
            }
        });
        // A click on a run's lanes gives it the focus.
        if (!focused && canvas.hovered() && ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
            ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).x == 0 && ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 0).y == 0)
            m_app.focus_run(run);
    }

    /// Runs `fn` with run `run`'s selection and folds in the UiState.
    template <typename F>
    void with_run_ui(std::size_t run, F&& fn) const {
        const bool other = run != m_app.focused_run();
        if (other) m_app.swap_run_ui();
        fn();
        if (other) m_app.swap_run_ui();
    }

    [[nodiscard]] float label_height() const { return std::round(m_app.theme().font_size() * 1.7f); }
    [[nodiscard]] float caption_font() const { return std::round(m_app.theme().font_size() * 1.05f); }

    TimelineCanvas m_canvas[2];
    mutable Caption m_captions[2];
    FlowRow m_flow;
    std::size_t m_rows[2] = {0, 0};  // each run's rows (pre_frame), for layout_wish
    float m_header_h = 0;
    TimeView m_view[3];  // by TimeAxis
    bool m_fitted[3] = {false, false, false};
    InstantTable m_merged;  // both runs' opened instants, for time + steps
    std::pair<double, double> m_merged_slots{-1, -1};
    StepTimes m_times;
};

}  // namespace
TASKLAB_REGISTER_PANEL(ComparePanel)
}  // namespace tasklab::viz
