// The output: every line the program printed up to the cursor, with its virtual time and the
// task that printed it. Clicking a line moves the cursor to its event (the source shows where
// it was printed). Follows the newest line while the cursor moves, unless scrolled up. A task
// name or a line too long for its column ends in "…" and shows whole on hover.
#include <algorithm>
#include <string>

#include "viz/app.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class OutputPanel final : public Panel {
public:
    explicit OutputPanel(App& app) : Panel(app, "Output", PanelSlot::right, 40) {}
    [[nodiscard]] float weight() const override { return 0.75f; }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        const auto& out = s->controller().output();
        if (out.empty()) {
            ImGui::TextDisabled(s->at_end() ? "The program printed nothing." : "Nothing printed yet.");
            return;
        }
        const Trace& trace = s->trace();
        const Palette& pal = m_app.theme().palette();
        UiState& ui = m_app.ui();
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit |
                                      ImGuiTableFlags_Resizable | ImGuiTableFlags_BordersInnerV;
        if (!ImGui::BeginTable("##output", 3, flags)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        const float ch = ImGui::CalcTextSize("0").x;
        ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, ch * 7);
        ImGui::TableSetupColumn("task", ImGuiTableColumnFlags_WidthFixed, ch * 16);
        ImGui::TableSetupColumn("printed", ImGuiTableColumnFlags_WidthStretch);
        ImGui::TableHeadersRow();
        const bool follow = out.size() != m_lines && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
        m_lines = out.size();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(out.size()));
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const OutputLine& line = out[static_cast<std::size_t>(i)];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(i);
                const bool selected = ui.selected_event && *ui.selected_event == line.event;
                ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
                if (ImGui::Selectable(format_time(line.time).c_str(), selected, ImGuiSelectableFlags_SpanAllColumns))
                    go_to_event(m_app, *s, line.event);
                ImGui::PopStyleColor();
                if (ImGui::IsItemHovered()) {
                    ui.hovered_event = line.event;
                    ImGui::SetTooltip("Click: go to this print (event #%llu)", static_cast<unsigned long long>(line.event));
                }
                ImGui::TableNextColumn();
                fitted_text(Theme::shown(line.task < trace.tasks().size() ? trace.task(line.task).name : ""));
                ImGui::TableNextColumn();
                ImGui::PushFont(m_app.theme().font(FontRole::mono));
                fitted_text(Theme::shown(line.text));
                ImGui::PopFont();
                ImGui::PopID();
            }
        }
        if (follow) ImGui::SetScrollHereY(1.0f);
        ImGui::EndTable();
    }

private:
    std::size_t m_lines = 0;
};

}  // namespace
TASKLAB_REGISTER_PANEL(OutputPanel)
}  // namespace tasklab::viz
