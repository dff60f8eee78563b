// Compare: two scenarios one above the other on one time axis (`tasklab-viz --compare A B`,
// or C in the window). It takes the timeline's place while a second scenario is open.
//
// The first scenario (A) is the one the toolbar drives and the lower panels show. The second
// (B) follows A's cursor: on the virtual-time axis B stands at its last step at or before A's
// time; on the step axis, at A's step. Both canvases share one TimeView, so zooming or panning
// either moves both and the same x is the same moment in both runs.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "viz/app.hpp"
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
        Controller full(s.controller().program_ptr());
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
    explicit ComparePanel(App& app) : Panel(app, "Compare", PanelSlot::timeline, 11), m_a(app), m_b(app) {
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
    }

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw_content() override {
        Session* a = m_app.session();
        Session* b = m_app.compare_session();
        if (!a || !b) return;
        UiState& ui = m_app.ui();
        // Header: the axis, fit, stop.
        if (ImGui::RadioButton("Virtual time", ui.axis == TimeAxis::virtual_time)) ui.axis = TimeAxis::virtual_time;
        ImGui::SameLine();
        if (ImGui::RadioButton("Time + steps", ui.axis == TimeAxis::time_and_steps)) ui.axis = TimeAxis::time_and_steps;
        ImGui::SameLine();
        if (ImGui::RadioButton("Steps", ui.axis == TimeAxis::steps)) ui.axis = TimeAxis::steps;
        const bool steps = ui.axis == TimeAxis::steps;
        const auto which = static_cast<std::size_t>(ui.axis);
        TimeView& view = m_view[which];
        ImGui::SameLine(0, 18);
        const bool fit_now = ImGui::Button("Fit (F)") || (!ImGui::GetIO().WantTextInput && ImGui::IsKeyPressed('F', false) &&
                                                          !ImGui::GetIO().KeyCtrl);
        ImGui::SameLine(0, 18);
        ImGui::TextDisabled(steps ? "B stands at A's step" : "B stands at its last step at or before A's time");
        ImGui::SameLine(0, 18);
        if (ImGui::Button("Stop comparing (C)")) {
            m_app.close_compare();
            return;
        }

        const ImVec2 origin = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        const CanvasMetrics m = CanvasMetrics::for_font(m_app.theme().font_size());
        const float label_h = std::round(m_app.theme().font_size() * 1.7f);
        const float half = std::floor((avail.y - m.ruler - 2 * label_h) * 0.5f);
        if (half < m.row) return;
        const float gutter = std::min(m.gutter, avail.x * 0.4f);
        view.set_pixels(origin.x + gutter + 6, avail.x - gutter - 6 - m.font * 2.5f);
        // Time + steps: both runs' instants open up alike (InstantTable::merged).
        const std::pair<double, double> slots{a->instants().total_slots(), b->instants().total_slots()};
        if (slots != m_merged_slots) {
            m_merged = InstantTable::merged(a->instants(), b->instants());
            m_merged_slots = slots;
            m_fitted[static_cast<std::size_t>(TimeAxis::time_and_steps)] = false;
        }
        if (fit_now || !m_fitted[which]) {
            fit(*a, *b, view, ui.axis);
            m_fitted[which] = true;
        }
        const AxisPositions ruler_axis(a->timeline(), ui.axis, &a->instants(), view.slot_width(), &m_merged);

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

        float y = origin.y + m.ruler;
        draw_one(*a, "A", m_a, ImVec2(origin.x, y), ImVec2(origin.x + avail.x, y + label_h + half), label_h, view, ui.axis,
                 pal.unstructured);
        y += label_h + half;
        draw_one(*b, "B", m_b, ImVec2(origin.x, y), ImVec2(origin.x + avail.x, origin.y + avail.y), label_h, view, ui.axis,
                 pal.cancel_pending);
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

    void draw_one(Session& s, const char* tag, TimelineCanvas& canvas, ImVec2 min, ImVec2 max, float label_h, TimeView& view,
                  TimeAxis axis, ImU32 accent) {
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const Palette& pal = m_app.theme().palette();
        ImFont* title = m_app.theme().font(FontRole::title);
        const float fs = m_app.theme().font_size();
        dl->AddRectFilled(min, ImVec2(max.x, min.y + label_h), pal.lane_alt);
        dl->AddRectFilled(min, ImVec2(min.x + 4, min.y + label_h), accent);
        dl->AddText(title, fs * 1.05f, ImVec2(min.x + 10, min.y + (label_h - fs * 1.05f) * 0.5f), accent, tag);
        std::string text = Theme::shown(s.title());
        char where[96];
        std::snprintf(where, sizeof where, "   step %llu / %llu   %s", static_cast<unsigned long long>(s.step()),
                      static_cast<unsigned long long>(s.total_steps()), format_time(s.now()).c_str());
        text += where;
        dl->AddText(m_app.theme().font(FontRole::ui), fs, ImVec2(min.x + 10 + fs * 1.4f, min.y + (label_h - fs) * 0.5f), pal.text,
                    text.c_str());
        if (!s.has_run()) {
            dl->AddText(ImVec2(min.x + 10, min.y + label_h + 8), pal.error,
                        s.load_error().empty() ? "This scenario has errors: it does not run." : s.load_error().c_str());
            return;
        }
        canvas.draw(s, ImVec2(min.x, min.y + label_h), max, view, axis, true, &m_merged);
    }

    TimelineCanvas m_a;
    TimelineCanvas m_b;
    TimeView m_view[3];  // by TimeAxis
    bool m_fitted[3] = {false, false, false};
    InstantTable m_merged;  // both runs' opened instants, for time + steps
    std::pair<double, double> m_merged_slots{-1, -1};
    StepTimes m_times;
};

}  // namespace
TASKLAB_REGISTER_PANEL(ComparePanel)
}  // namespace tasklab::viz
