// File errors: when the scenario file cannot be read or does not parse, a banner over the
// timeline shows the diagnostics as `tasklab check` prints them (the source line and a caret
// under the problem, in a monospace font). On a reload the last good run stays on screen below;
// a file that never parsed (opened from the command line, the picker's list or path box, or
// dropped on the window) gets the whole timeline area. Saving a fixed file makes the banner
// disappear: the session reloads by itself. A compared file with errors gets the same banner in
// the lower half of the timeline, where its run would be.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>
#include <string>

#include "viz/app.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class DiagnosticsPanel final : public Panel {
public:
    explicit DiagnosticsPanel(App& app) : Panel(app, "Errors###diagnostics", PanelSlot::overlay, 80) {}

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoMove |
               ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoFocusOnAppearing;
    }

    /// Overlay panels place themselves here, before the base opens the window.
    [[nodiscard]] bool wants_window() const override {
        Session* s = failing();
        if (!s) return false;
        auto [lo, hi] = m_app.slot_rect(PanelSlot::timeline);
        if (s != m_app.session()) lo.y = std::round((lo.y + hi.y) * 0.5f);  // the compared run: the lower half
        // As tall as the diagnostics need, up to a little over half the timeline (the whole of it
        // when there is no run to show).
        std::size_t lines = 1;
        if (s->latest_source()) {
            const std::string text = render_all(*s->latest_source(), s->diagnostics());
            lines = static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
        }
        const ImGuiStyle& style = ImGui::GetStyle();
        const float need = static_cast<float>(lines + 1) * ImGui::GetTextLineHeightWithSpacing() + 2 * style.WindowPadding.y +
                           style.ItemSpacing.y * 2;
        const float h = std::min(need, s->has_run() ? (hi.y - lo.y) * 0.55f : (hi.y - lo.y) - ImGui::GetFrameHeight() - m_app.theme().font_size());
        const float margin = m_app.theme().font_size();
        // Without a run the timeline has nothing to show: the banner takes it from under its title.
        const float top = s->has_run() ? margin * 2.5f : ImGui::GetFrameHeight() + margin * 0.5f;
        const float side = s->has_run() ? margin : 0.0f;
        ImGui::SetNextWindowPos(ImVec2(lo.x + side, lo.y + top));
        ImGui::SetNextWindowSize(ImVec2(hi.x - lo.x - 2 * side, h));
        return true;
    }

    /// The session whose file has errors: the one shown, else the compared one; or nullptr.
    [[nodiscard]] Session* failing() const {
        for (Session* s : {m_app.session(), m_app.compare_session()})
            if (s && (s->parse_failed() || !s->load_error().empty())) return s;
        return nullptr;
    }

    void draw_content() override {
        Session* s = failing();
        if (!s) return;
        const Palette& pal = m_app.theme().palette();
        // A red frame around the banner.
        const ImVec2 p = ImGui::GetWindowPos(), size = ImGui::GetWindowSize();
        ImGui::GetWindowDrawList()->AddRect(p, ImVec2(p.x + size.x, p.y + size.y), pal.error, 4.0f, 0, 3.0f);

        const std::string file = std::filesystem::path(s->path()).filename().string();
        ImGui::PushStyleColor(ImGuiCol_Text, pal.error);
        if (!s->load_error().empty()) {
            ImGui::Text("\u2717 Cannot read %s: %s", Theme::shown(file).c_str(), s->load_error().c_str());
        } else {
            std::size_t errors = 0;
            for (const auto& d : s->diagnostics().items())
                if (d.severity == Severity::error) ++errors;
            ImGui::Text("\u2717 %s has %zu error%s", Theme::shown(file).c_str(), errors, errors == 1 ? "" : "s");
        }
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::TextDisabled(s->has_run() ? "\u2014 the last good run stays on screen; fix the file and save, it reloads by itself"
                                         : "\u2014 fix the file and save, it reloads by itself; O opens another");
        ImGui::Separator();
        if (!s->latest_source()) return;
        ImGui::BeginChild("##diag", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        ImGui::PushFont(m_app.theme().font(FontRole::mono));
        std::istringstream text(render_all(*s->latest_source(), s->diagnostics()));
        std::string line;
        while (std::getline(text, line)) {
            ImU32 color = pal.text;
            if (line.find(": error:") != std::string::npos) color = pal.error;
            else if (line.find(": warning:") != std::string::npos) color = pal.cancel_pending;
            else if (line.find("note:") != std::string::npos || line.find("help:") != std::string::npos) color = pal.unstructured;
            else if (line.find_first_not_of(" |^~-0123456789") == std::string::npos && line.find('^') != std::string::npos)
                color = pal.error;
            ImGui::PushStyleColor(ImGuiCol_Text, color);
            ImGui::TextUnformatted(Theme::shown(line).c_str());
            ImGui::PopStyleColor();
        }
        ImGui::PopFont();
        ImGui::EndChild();
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(DiagnosticsPanel)
}  // namespace tasklab::viz
