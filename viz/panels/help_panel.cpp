// The keyboard help (F1 or ?): every key of the keyboard map (commands.hpp) and what the mouse
// does in each view, over the middle of the window.
#include <algorithm>

#include "viz/app.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class HelpPanel final : public Panel {
public:
    explicit HelpPanel(App& app) : Panel(app, "Keyboard and mouse###help", PanelSlot::overlay, 99) {}

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_AlwaysAutoResize;
    }

    /// Overlay panels place themselves here, before the base opens the window.
    [[nodiscard]] bool wants_window() const override {
        if (!m_app.ui().show_help) return false;
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                                ImGuiCond_Always, ImVec2(0.5f, 0.5f));
        ImGui::SetNextWindowBgAlpha(0.96f);
        return true;
    }

    void draw_content() override {
        const Palette& pal = m_app.theme().palette();
        if (ImGui::BeginTable("##keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
            for (std::size_t i = 0; i < k_key_count; ++i) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushStyleColor(ImGuiCol_Text, pal.mark[static_cast<int>(MarkKind::narration)]);
                ImGui::TextUnformatted(k_keys[i].keys);
                ImGui::PopStyleColor();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(k_keys[i].action);
            }
            ImGui::EndTable();
        }
        ImGui::Spacing();
        ImGui::TextDisabled("Mouse");
        ImGui::BulletText("Timeline: wheel zooms, drag pans, Shift+wheel scrolls lanes, click selects, \u25B8 folds");
        ImGui::BulletText("Source: click the gutter to set or clear a breakpoint; click a line to select it");
        ImGui::BulletText("Event log, output, chapters: click a row to move the cursor there");
        ImGui::BulletText("Toolbar: drag the scrubber over every step; Breakpoints opens the list");
        ImGui::BulletText("Drop a .swift or .py file on the window to open it (two: compared)");
        ImGui::Spacing();
        if (ImGui::Button("Close (Esc)")) m_app.ui().show_help = false;
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(HelpPanel)
}  // namespace tasklab::viz
