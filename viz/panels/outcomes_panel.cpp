// The Outcomes view: every outcome a real run of the program could have (the race explorer,
// engine/explore.hpp), and a click to see each one's run.
//
// tasklab runs one fixed order where a real runtime leaves the order open; shown (X, or
// --outcome / --compare-outcomes), this view explores the file of run A off the window's thread
// (viz/model/outcome_list.hpp; the event log, inspector and "What runs next" give it their
// place) and lists the distinct outcomes: how many orders lead to each,
// where it first departs from tasklab's own order, how it ended, and the printed lines that
// differ from outcome 1 (all lines on demand). A click shows that outcome's run in the timeline
// and the lower panels (the run in focus); "Compare" puts it under run A. The choice points of
// the run shown are marked on the timeline (timeline_canvas.cpp).
#include <string>

#include "viz/app.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class OutcomesPanel final : public Panel {
public:
    explicit OutcomesPanel(App& app) : Panel(app, "Outcomes", PanelSlot::right, 35) { set_visible(false); }
    [[nodiscard]] float weight() const override { return 2.5f; }

    /// X shows and hides it (UiState::show_outcomes: the event log, the inspector and what runs
    /// next make room for it; the output stays under it).
    void pre_frame() override {
        UiState& ui = m_app.ui();
        const ImGuiIO& io = ImGui::GetIO();
        if (!io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && !io.KeySuper && ImGui::IsKeyPressed('X', false))
            ui.show_outcomes = !ui.show_outcomes;
        set_visible(ui.show_outcomes && m_app.session() != nullptr);
        if (visible()) m_app.explore_outcomes();  // a new file or text: explore it
    }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        OutcomeExplorer& ex = m_app.explorer();
        const Palette& pal = m_app.theme().palette();
        ImGui::PushTextWrapPos(0.0f);
        if (ex.busy()) {
            ImGui::Text("Exploring every order a real runtime could take\u2026 %.1f s", ex.seconds());
            if (ImGui::Button("Stop exploring")) ex.stop();
            ImGui::PopTextWrapPos();
            return;
        }
        const ExploreResult* r = ex.result();
        if (!r) {
            ImGui::TextDisabled("Not explored yet.");
            ImGui::PopTextWrapPos();
            return;
        }
        // One short line (the whole sentence on hover): the outcomes need the room.
        std::string brief = std::to_string(r->runs) + (r->runs == 1 ? " order" : " orders");
        if (r->rules.preemption) brief += " \u00B7 " + std::to_string(r->pruned) + " pruned";
        brief += " \u00B7 " + std::to_string(r->outcomes.size()) + (r->outcomes.size() == 1 ? " outcome" : " outcomes");
        brief += r->complete ? " \u00B7 complete" : " \u00B7 stopped at the bound";
        ImGui::TextDisabled("%s", brief.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", summary_text(*r, ex.options()).c_str());
        const Session* a = m_app.run(0);
        const bool explored_here = a != nullptr && s->path() == a->path() && ex.key() == m_app.explore_key();
        if (!explored_here) ImGui::TextDisabled("(outcomes of run A's file; this run shows another)");
        if (s->outcome()) {
            if (ImGui::SmallButton("Back to tasklab's own order")) m_app.show_outcome(m_app.focused_run(), 0);
        } else {
            ImGui::TextDisabled("Click an outcome to see its run.");
        }
        ImGui::Separator();

        const auto& rows = ex.rows();
        for (const OutcomeRow& row : rows) {
            ImGui::PushID(static_cast<int>(row.number));
            const bool shown = s->outcome() == row.number;
            std::string head = "Outcome " + std::to_string(row.number) + " \u00B7 " + std::to_string(row.runs) +
                               (row.runs == 1 ? " order" : " orders");
            if (shown) head += "  (shown)";
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(row.ended_normally ? pal.text : pal.error));
            if (ImGui::Selectable(head.c_str(), shown) && explored_here) m_app.show_outcome(m_app.focused_run(), row.number);
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Click: show this outcome's run in the timeline");
            if (explored_here) {
                ImGui::SameLine();
                if (ImGui::SmallButton("Compare")) m_app.compare_outcome(row.number);
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("Show this outcome's run under run A, on one time axis");
            }
            ImGui::Indent();
            if (row.divergence.empty()) ImGui::TextDisabled("tasklab's own order");
            else ImGui::TextUnformatted(Theme::shown(row.divergence).c_str());
            ImGui::TextDisabled("%s", Theme::shown("\u2192 " + row.ending).c_str());
            ImGui::PushFont(m_app.theme().font(FontRole::mono));
            // The lines that differ from outcome 1 (outcome 1 lists none here); all on demand.
            if (row.number > 1) {
                for (const OutcomeLine& l : row.lines)
                    if (l.differs) {
                        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.gap));
                        ImGui::TextUnformatted(Theme::shown("\u2260 " + l.text).c_str());
                        ImGui::PopStyleColor();
                    }
                if (row.missing > 0) ImGui::TextDisabled("(%zu of outcome 1's lines not printed)", row.missing);
                if (row.differing == 0) ImGui::TextDisabled("(prints what outcome 1 prints)");
            }
            ImGui::PopFont();
            const std::string all = row.lines.size() == 1 ? std::string("The printed line")
                                                           : "All " + std::to_string(row.lines.size()) + " printed lines";
            if (ImGui::TreeNodeEx(all.c_str(), row.number == 1 && rows.size() == 1 ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
                ImGui::PushFont(m_app.theme().font(FontRole::mono));
                for (const OutcomeLine& l : row.lines) {
                    if (l.differs) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(pal.gap));
                    ImGui::TextUnformatted(Theme::shown((l.differs ? "\u2260 " : "  ") + l.text).c_str());
                    if (l.differs) ImGui::PopStyleColor();
                }
                if (row.lines.empty()) ImGui::TextDisabled("(nothing printed)");
                ImGui::PopFont();
                ImGui::TreePop();
            }
            ImGui::Unindent();
            ImGui::Spacing();
            ImGui::PopID();
        }
        ImGui::PopTextWrapPos();
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(OutcomesPanel)
}  // namespace tasklab::viz
