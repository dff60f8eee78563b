// The Panel base: window placement and Begin/End around the subclass's content.
#include "panel.hpp"

#include "viz/app.hpp"

namespace tasklab::viz {

Panel::Panel(App& app, std::string title, PanelSlot slot, int order)
    : m_app(app), m_title(std::move(title)), m_slot(slot), m_order(order) {}

void Panel::draw(ImVec2 pos, ImVec2 size) {
    ImGuiWindowFlags flags = window_flags();
    if (m_slot != PanelSlot::overlay) {
        if (!wants_window()) return;
        ImGui::SetNextWindowPos(pos);
        ImGui::SetNextWindowSize(size);
        // No background: the frame is cleared to the window colour (main.cpp, Theme), and the
        // laid-out panels tile the screen, so a fill per window would only cost a software
        // rasteriser a full-screen layer.
        flags |= ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoBackground;
    } else if (!wants_window()) {
        return;
    }
    if (zero_padding()) ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    const bool open = ImGui::Begin(m_title.c_str(), nullptr, flags);
    if (zero_padding()) ImGui::PopStyleVar();
    if (open) draw_content();
    ImGui::End();
}

std::vector<PanelFactory>& panel_factories() {
    static std::vector<PanelFactory> factories;
    return factories;
}

}  // namespace tasklab::viz
