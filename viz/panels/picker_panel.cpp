// The picker: the bundled scenarios (scenarios/swift, gcd, asyncio, as `tasklab list` finds
// them), or the .swift and .py files of the folder given with --dir, with their titles; shown
// when the visualizer starts without a file, with O (open) and with C (compare). Type to
// filter; ↑/↓ move, Enter or a double click opens, Esc closes.
//
// Under the list, a path box opens any file (Enter or "Open path"); a folder typed there
// becomes the folder listed. A file that does not parse opens too: its diagnostics show in the
// window (diagnostics_panel.cpp).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>
#include <imgui_stdlib.h>

#include "viz/app.hpp"
#include "viz/model/event_filter.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

/// A path as typed or pasted: surrounding spaces and quotes gone, a leading ~ made $HOME.
std::string clean_path(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\n' || text.back() == '\r'))
        text.remove_suffix(1);
    if (text.size() >= 2 && (text.front() == '"' || text.front() == '\'') && text.back() == text.front())
        text = text.substr(1, text.size() - 2);
    std::string out(text);
    if (out.starts_with("file://")) out.erase(0, 7);
    if ((out == "~" || out.starts_with("~/")) && std::getenv("HOME")) out = std::getenv("HOME") + out.substr(1);
    return out;
}

class PickerPanel final : public Panel {
public:
    explicit PickerPanel(App& app) : Panel(app, "Open a scenario###picker", PanelSlot::overlay, 95) {
        m_app.theme().add_text("\u2026\u2191\u2193\u00B7\u2717");
    }

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
        const float w = std::min(vp->WorkSize.x * 0.9f, m_app.theme().font_size() * 60);
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
        } else if (!m_app.scenario_dir().empty()) {
            ImGui::Text("Scenarios in %s", Theme::shown(m_app.scenario_dir()).c_str());
            keys_hint();
        } else {
            ImGui::TextUnformatted("The bundled scenarios");
            keys_hint();
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
             ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_KeyPadEnter))) && !m_shown.empty() && !m_path_active)
            chosen = m_shown[m_cursor];

        const float row = ImGui::GetFrameHeightWithSpacing();
        const float footer = row * 2 + 4 + (m_path_error.empty() ? 0.0f : ImGui::GetTextLineHeightWithSpacing());
        ImGui::BeginChild("##list", ImVec2(0, -footer), true);
        if (all.empty())
            ImGui::TextDisabled(m_app.scenario_dir().empty() ? "No scenarios found under the scenario directory."
                                                             : "No .swift or .py files in this folder or its subfolders.");
        for (std::size_t k = 0; k < m_shown.size(); ++k) {
            const ScenarioEntry& e = all[m_shown[k]];
            if (k == 0 || e.group != all[m_shown[k - 1]].group) {
                if (k > 0) ImGui::Spacing();
                ImGui::TextDisabled("%s/", e.group.empty() ? "." : Theme::shown(e.group).c_str());
                ImGui::Separator();
            }
            ImGui::PushID(static_cast<int>(m_shown[k]));
            // The title, cut with an ellipsis before the file name's column (hover shows it whole).
            const float name_x = ImGui::GetContentRegionAvail().x * 0.68f;
            const std::string whole = Theme::shown(e.title);
            const std::string title = fitted(whole, name_x - ImGui::GetStyle().ItemSpacing.x * 2);
            if (ImGui::Selectable(title.c_str(), k == m_cursor, ImGuiSelectableFlags_AllowDoubleClick)) {
                m_cursor = k;
                if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) chosen = m_shown[k];
            }
            if (k == m_cursor && m_scroll_to_cursor) {
                ImGui::SetScrollHereY(0.5f);
                m_scroll_to_cursor = false;
            }
            if (title != whole && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", whole.c_str());
            ImGui::SameLine(name_x);
            ImGui::TextDisabled("%s", fitted(std::filesystem::path(e.path).filename().string(), ImGui::GetContentRegionAvail().x).c_str());
            ImGui::PopID();
        }
        if (!all.empty() && m_shown.empty()) ImGui::TextDisabled("Nothing matches \"%s\".", m_filter.c_str());
        ImGui::EndChild();

        // Any file (or folder) by its path.
        bool open_path = false;
        const float open_w = ImGui::CalcTextSize("Open path").x + ImGui::GetStyle().FramePadding.x * 2;
        ImGui::SetNextItemWidth(-(open_w + ImGui::GetStyle().ItemSpacing.x));
        if (m_refocus_path) {  // Enter left the box; after a wrong path, stay there to fix it
            ImGui::SetKeyboardFocusHere();
            m_refocus_path = false;
        }
        if (ImGui::InputTextWithHint("##path", "or type a path: a .swift or .py file, or a folder",
                                     &m_path, ImGuiInputTextFlags_EnterReturnsTrue))
            open_path = true;
        if (ImGui::IsItemEdited()) m_app.theme().add_text(m_path);
        m_path_active = ImGui::IsItemActive() || ImGui::IsItemDeactivated();
        ImGui::SameLine();
        ImGui::BeginDisabled(m_path.empty());
        if (ImGui::Button("Open path")) open_path = true;
        ImGui::EndDisabled();
        if (!m_path_error.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, m_app.theme().palette().error);
            ImGui::TextUnformatted(Theme::shown(m_path_error).c_str());
            ImGui::PopStyleColor();
        }
        if (open_path && !m_path.empty()) {
            if (open_typed_path(compare)) return;
            m_refocus_path = true;
        }
        if (!m_path_error.empty()) m_app.theme().add_text(m_path_error);

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
            report_opened(compare ? *m_app.compare_session() : *m_app.session());
        }
    }

private:
    /// The keys, beside the heading when they fit, else under it (wrapped).
    static void keys_hint() {
        const char* hint = "\u2191\u2193 move \u00B7 Enter or double-click opens \u00B7 drop a file on the window \u00B7 Esc closes";
        const float spacing = ImGui::GetStyle().ItemSpacing.x;
        ImGui::SameLine();
        if (ImGui::CalcTextSize(hint).x <= ImGui::GetContentRegionAvail().x - spacing) {
            ImGui::TextDisabled("%s", hint);
            return;
        }
        ImGui::NewLine();
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
        ImGui::TextWrapped("%s", hint);
        ImGui::PopStyleColor();
    }

    /// `text` cut with an ellipsis to fit `width` pixels (whole UTF-8 characters).
    static std::string fitted(const std::string& text, float width) {
        if (ImGui::CalcTextSize(text.c_str()).x <= width) return text;
        std::string t = text;
        while (!t.empty()) {
            // Drop the last character: its continuation bytes, then its lead byte.
            while (!t.empty()) {
                const auto c = static_cast<unsigned char>(t.back());
                t.pop_back();
                if ((c & 0xC0) != 0x80) break;
            }
            if (ImGui::CalcTextSize((t + "\u2026").c_str()).x <= width) break;
        }
        return t + "\u2026";
    }

    /// Opens (or compares) the file typed in the path box, or lists the folder typed there.
    /// True when the picker closed.
    bool open_typed_path(bool compare) {
        namespace fs = std::filesystem;
        const std::string path = clean_path(m_path);
        std::error_code ec;
        m_path_error.clear();
        if (fs::is_directory(path, ec)) {
            m_app.set_scenario_dir(path);
            m_filter.clear();
            m_cursor = 0;
            m_path.clear();
            return false;
        }
        if (!fs::exists(path, ec)) {
            m_path_error = "\u2717 " + path + ": no such file or folder";
            return false;
        }
        const std::string ext = fs::path(path).extension().string();
        if (ext != ".swift" && ext != ".py") {
            m_path_error = "\u2717 " + path + ": tasklab opens .swift and .py files";
            return false;
        }
        m_app.ui().picker = PickerMode::closed;
        if (compare) m_app.open_compare(path);
        else m_app.open(path);
        report_opened(compare ? *m_app.compare_session() : *m_app.session());
        m_path.clear();
        return true;
    }

    std::string m_path;
    std::string m_path_error;
    bool m_path_active = false;
    bool m_refocus_path = false;
    std::string m_filter;
    std::vector<std::size_t> m_shown;
    std::size_t m_cursor = 0;
    bool m_scroll_to_cursor = false;
};

}  // namespace
TASKLAB_REGISTER_PANEL(PickerPanel)
}  // namespace tasklab::viz
