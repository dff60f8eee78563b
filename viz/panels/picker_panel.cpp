// The picker: the bundled scenarios (scenarios/swift, gcd, asyncio, as `tasklab list` finds
// them) with their titles, shown when the visualizer starts without a file, with O (open) and
// with C (compare). Type to filter; ↑/↓ move, Enter or a double click opens, Esc closes.
#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "viz/app.hpp"
#include "viz/model/event_filter.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class PickerPanel final : public Panel {
public:
    explicit PickerPanel(App& app) : Panel(app, "Open a scenario###picker", PanelSlot::overlay, 95) {}

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
               ImGuiWindowFlags_NoResize;
    }

    /// Overlay panels place themselves here, before the base opens the window.
    [[nodiscard]] bool wants_window() const override {
        const bool shown = m_app.session() == nullptr || m_app.ui().picker != PickerMode::closed;
        if (!shown) return false;
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float w = std::min(vp->WorkSize.x * 0.8f, m_app.theme().font_size() * 60);
        const float h = vp->WorkSize.y * 0.78f;
        ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + (vp->WorkSize.x - w) * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.1f));
        ImGui::SetNextWindowSize(ImVec2(w, h));
        ImGui::SetNextWindowFocus();
        return true;
    }

    void draw_content() override {
        UiState& ui = m_app.ui();
        const bool compare = ui.picker == PickerMode::compare && m_app.session() != nullptr;
        const auto& all = m_app.bundled_scenarios();
        if (compare) {
            ImGui::TextUnformatted("Compare with\u2026");
            ImGui::SameLine();
            ImGui::TextDisabled("(shown under %s, on the same time axis)", Theme::shown(m_app.session()->title()).c_str());
        } else {
            ImGui::TextUnformatted("The bundled scenarios");
            ImGui::SameLine();
            ImGui::TextDisabled("\u2191\u2193 move \u00B7 Enter or double-click opens \u00B7 Esc closes");
        }
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##find", "type to filter by title or file name", &m_filter);

        // The entries that pass the filter.
        m_shown.clear();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (contains_folded(all[i].title, m_filter) || contains_folded(all[i].path, m_filter)) m_shown.push_back(i);
        if (!m_shown.empty()) m_cursor = std::min(m_cursor, m_shown.size() - 1);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_DownArrow)) && m_cursor + 1 < m_shown.size()) {
            ++m_cursor;
            m_scroll_to_cursor = true;
        }
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_UpArrow)) && m_cursor > 0) {
            --m_cursor;
            m_scroll_to_cursor = true;
        }
        std::optional<std::size_t> chosen;
        if ((ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter)) ||
             ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))) && !m_shown.empty())
            chosen = m_shown[m_cursor];

        const float footer = ImGui::GetFrameHeightWithSpacing() + 4;
        ImGui::BeginChild("##list", ImVec2(0, -footer), true);
        if (all.empty()) ImGui::TextDisabled("No scenarios found under the scenario directory.");
        std::string group;
        for (std::size_t k = 0; k < m_shown.size(); ++k) {
            const ScenarioEntry& e = all[m_shown[k]];
            if (e.group != group) {
                group = e.group;
                if (k > 0) ImGui::Spacing();
                ImGui::TextDisabled("%s/", group.c_str());
                ImGui::Separator();
            }
            ImGui::PushID(static_cast<int>(m_shown[k]));
            const std::string title = Theme::shown(e.title);
            if (ImGui::Selectable(title.c_str(), k == m_cursor, ImGuiSelectableFlags_AllowDoubleClick)) {
                m_cursor = k;
                if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) chosen = m_shown[k];
            }
            if (k == m_cursor && m_scroll_to_cursor) {
                ImGui::SetScrollHereY(0.5f);
                m_scroll_to_cursor = false;
            }
            ImGui::SameLine(std::max(ImGui::GetContentRegionAvail().x * 0.7f, ImGui::GetCursorPosX() + 20));
            ImGui::TextDisabled("%s", std::filesystem::path(e.path).filename().string().c_str());
            ImGui::PopID();
        }
        if (!all.empty() && m_shown.empty()) ImGui::TextDisabled("Nothing matches \"%s\".", m_filter.c_str());
        ImGui::EndChild();

        ImGui::BeginDisabled(m_shown.empty());
        if (ImGui::Button(compare ? "Compare" : "Open")) chosen = m_shown[m_cursor];
        ImGui::EndDisabled();
        if (m_app.session()) {
            ImGui::SameLine();
            if (ImGui::Button("Cancel")) ui.picker = PickerMode::closed;
        }
        if (chosen) {
            const std::string path = all[*chosen].path;
            ui.picker = PickerMode::closed;
            if (compare) m_app.open_compare(path);
            else m_app.open(path);
        }
    }

private:
    std::string m_filter;
    std::vector<std::size_t> m_shown;
    std::size_t m_cursor = 0;
    bool m_scroll_to_cursor = false;
};

}  // namespace
TASKLAB_REGISTER_PANEL(PickerPanel)
}  // namespace tasklab::viz
