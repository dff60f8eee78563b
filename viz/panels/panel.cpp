// The Panel base: window placement and Begin/End around the subclass's content.
#include "panel.hpp"

#include <imgui_internal.h>

#include "viz/app.hpp"

namespace tasklab::viz {

Panel::Panel(App& app, std::string title, PanelSlot slot, int order)
    : m_app(app), m_title(std::move(title)), m_slot(slot), m_order(order) {}

void Panel::draw(ImVec2 pos, ImVec2 size) {
    m_drawn = false;
    ImGuiWindowFlags flags = window_flags();
    if (!m_title_bar) flags |= ImGuiWindowFlags_NoTitleBar;
    m_scrolls = (flags & ImGuiWindowFlags_NoScrollbar) == 0;
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
    const ImGuiWindow* window = ImGui::GetCurrentWindow();
    m_last_rect = {window->Pos, ImVec2(window->Pos.x + window->Size.x, window->Pos.y + window->Size.y)};
    m_last_content = {window->ContentRegionRect.Min, window->DC.CursorMaxPos};
    m_drawn = true;
    ImGui::End();
}

void FlowRow::begin_item(float guess) {
    if (m_index >= m_widths.size()) m_widths.push_back(guess);
    const float w = m_widths[m_index];
    if (!m_line_start && m_last_right + m_gap + w <= m_right) ImGui::SameLine(0, m_gap);
    m_line_start = false;
    ImGui::BeginGroup();
}

void FlowRow::end_item() {
    ImGui::EndGroup();
    if (m_index < m_widths.size()) m_widths[m_index] = ImGui::GetItemRectSize().x;
    m_last_right = ImGui::GetItemRectMax().x;
    ++m_index;
}

float FlowRow::room_left() const { return m_line_start ? m_right - ImGui::GetCursorScreenPos().x : m_right - m_last_right - m_gap; }

std::vector<PanelFactory>& panel_factories() {
    static std::vector<PanelFactory> factories;
    return factories;
}

}  // namespace tasklab::viz
