// The help (F1 or ?), over the middle of the window: every key of the keyboard map
// (commands.hpp) and what the mouse does in each view; and the glossary (viz/model/glossary.hpp):
// what each word the visualizer shows means, and the trace's name for it (what
// `tasklab run --events` prints).
#include <algorithm>

#include "viz/app.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"
#include "viz/panels/timeline_canvas.hpp"

namespace tasklab::viz {
namespace {

class HelpPanel final : public Panel {
public:
    explicit HelpPanel(App& app) : Panel(app, "Help###help", PanelSlot::overlay, 99) {}

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
        if (ImGui::BeginTabBar("##help-tabs")) {
            if (ImGui::BeginTabItem("Keys and mouse")) {
                draw_keys();
                ImGui::EndTabItem();
            }
            if (ImGui::BeginTabItem("Glossary")) {
                draw_glossary();
                ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        }
        ImGui::Spacing();
        if (ImGui::Button("Close (Esc)")) m_app.ui().show_help = false;
    }

private:
    void draw_glossary() {
        const Palette& pal = m_app.theme().palette();
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float fs = ImGui::GetFontSize();
        const ImVec2 size(std::min(vp->WorkSize.x * 0.85f, fs * 62), std::min(vp->WorkSize.y * 0.7f, fs * 40));
        ImGui::BeginChild("##glossary", size, false);
        ImGui::TextWrapped("The timeline's marks, then every word the event log, tooltips and source header use, "
                           "with the name `tasklab run --events` prints for it.");
        // The legend's glyphs first, in their colours: each mark means one thing.
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, pal.mark[static_cast<int>(MarkKind::narration)]);
        ImGui::TextUnformatted("Marks on the timeline");
        ImGui::PopStyleColor();
        if (ImGui::BeginTable("##marks", 3, ImGuiTableFlags_SizingStretchSame)) {
            for (const LegendEntry& e : legend_entries()) {
                if (!e.glyph) continue;
                ImGui::TableNextColumn();
                ImGui::PushStyleColor(ImGuiCol_Text, legend_glyph_color(pal, e));
                ImGui::TextUnformatted(e.glyph);
                ImGui::PopStyleColor();
                ImGui::SameLine(ImGui::GetFontSize() * 1.6f);
                ImGui::TextUnformatted(e.words.data(), e.words.data() + e.words.size());
            }
            ImGui::EndTable();
        }
        const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_BordersInnerV;
        for (int g = 0; g < k_term_group_count; ++g) {
            const auto group = static_cast<TermGroup>(g);
            ImGui::Spacing();
            ImGui::PushStyleColor(ImGuiCol_Text, pal.mark[static_cast<int>(MarkKind::narration)]);
            ImGui::TextUnformatted(std::string(term_group_title(group)).c_str());
            ImGui::PopStyleColor();
            if (!ImGui::BeginTable(std::string(term_group_enum(group)).c_str(), 3, flags)) continue;
            ImGui::TableSetupColumn("shown as", ImGuiTableColumnFlags_WidthStretch, 1.0f);
            ImGui::TableSetupColumn("means", ImGuiTableColumnFlags_WidthStretch, 2.4f);
            ImGui::TableSetupColumn("trace name", ImGuiTableColumnFlags_WidthStretch, 0.9f);
            for (const Term& t : terms(group)) {
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%.*s", static_cast<int>(t.words.size()), t.words.data());
                ImGui::TableNextColumn();
                ImGui::TextWrapped("%.*s", static_cast<int>(t.meaning.size()), t.meaning.data());
                ImGui::TableNextColumn();
                ImGui::PushStyleColor(ImGuiCol_Text, pal.text_dim);
                ImGui::TextWrapped("%.*s", static_cast<int>(t.name.size()), t.name.data());
                ImGui::PopStyleColor();
            }
            ImGui::EndTable();
        }
        ImGui::EndChild();
    }

    void draw_keys() {
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
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(HelpPanel)
}  // namespace tasklab::viz
