// The source: the scenario's text with line numbers, where every task stands at the cursor
// (a coloured dot per task in the gutter, names on hover), the line of the current event
// highlighted (the event clicked in the timeline, log or output, or else the cursor's latest),
// and line breakpoints (click the gutter, or select a line and press B).
//
// The view scrolls to the current event's line whenever it changes. Lines are virtualised.
#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "viz/app.hpp"
#include "viz/model/task_positions.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"
#include "viz/text/event_log.hpp"

namespace tasklab::viz {
namespace {

/// A colour per task for the gutter dots (Okabe–Ito, then lighter variants).
ImU32 task_color(TaskId id) {
    static constexpr ImU32 colors[] = {okabe_ito::sky_blue,   okabe_ito::orange,         okabe_ito::bluish_green,
                                       okabe_ito::yellow,     okabe_ito::reddish_purple, okabe_ito::vermillion,
                                       okabe_ito::blue,       IM_COL32(200, 200, 200, 255)};
    return colors[(id == 0 ? 0 : id - 1) % (sizeof(colors) / sizeof(colors[0]))];
}

/// Tabs as four spaces, emoji as the font can draw them.
std::string display_line(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (c == '\t') out += "    ";
        else if (c != '\r') out += c;
    }
    return Theme::shown(out);
}

class SourcePanel final : public Panel {
public:
    explicit SourcePanel(App& app) : Panel(app, "Source", PanelSlot::center, 30) {
        m_app.theme().add_text("\u25CF\u2192\u25B6");
    }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        UiState& ui = m_app.ui();
        const SourceFile& file = s->source();
        const Trace& trace = s->trace();
        m_positions.sync(trace, trace_key(*s));
        rebuild_markers(*s);

        // The current event: the one clicked, or the cursor's latest with a place in the source.
        std::optional<std::uint64_t> current;
        if (ui.selected_event && *ui.selected_event < trace.size()) current = ui.selected_event;
        else if (m_positions.has_current()) current = m_positions.current_event();
        std::uint32_t current_line = 0;
        if (current) {
            const Event e = trace.at(*current);
            if (!e.span.empty()) current_line = file.locate(e.span.begin).line;
            draw_current_header(*s, e, current_line);
        } else {
            ImGui::TextDisabled("%s", Theme::shown(std::filesystem::path(file.name()).filename().string()).c_str());
        }
        ImGui::Separator();

        ImGui::PushFont(m_app.theme().font(FontRole::mono));
        ImGui::BeginChild("##source", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
        const float row_h = ImGui::GetTextLineHeightWithSpacing();
        const float fs = ImGui::GetFontSize();
        const std::uint32_t lines = file.line_count();
        const int digits = lines >= 10000 ? 5 : lines >= 1000 ? 4 : 3;
        const float bp_w = fs * 1.2f;
        const float number_w = ImGui::CalcTextSize("0").x * static_cast<float>(digits);
        const float marks_w = fs * 0.75f * 4 + fs * 0.6f;
        const float gutter_w = bp_w + number_w + fs * 0.5f + marks_w;

        // A file opened anew starts at its top, whatever the file before showed.
        if (s->serial() != m_session_serial) {
            m_session_serial = s->serial();
            m_followed_line = 0;
            ImGui::SetScrollX(0.0f);
            ImGui::SetScrollY(0.0f);
        }
        // Follow the current event's line when it changes.
        if (current_line != 0 && (current_line != m_followed_line || trace_key(*s) != m_followed_epoch)) {
            m_followed_line = current_line;
            m_followed_epoch = trace_key(*s);
            const float y = static_cast<float>(current_line - 1) * row_h;
            const float h = ImGui::GetWindowHeight();
            if (y < ImGui::GetScrollY() + row_h || y > ImGui::GetScrollY() + h - 2 * row_h)
                ImGui::SetScrollY(std::max(0.0f, y - h * 0.35f));
        }

        const Palette& pal = m_app.theme().palette();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(lines), row_h);
        while (clipper.Step()) {
            for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i) {
                const auto line = static_cast<std::uint32_t>(i + 1);
                ImGui::PushID(i);
                const ImVec2 p = ImGui::GetCursorScreenPos();
                const float width = std::max(ImGui::GetContentRegionAvail().x, ImGui::GetWindowWidth());
                const bool is_current = line == current_line;
                const bool is_selected = line == ui.selected_line;
                if (is_current) dl->AddRectFilled(p, ImVec2(p.x + width, p.y + row_h), pal.lane_selected);
                if (ImGui::Selectable("##line", false, ImGuiSelectableFlags_AllowItemOverlap, ImVec2(width, row_h - ImGui::GetStyle().ItemSpacing.y))) {
                    const float mx = ImGui::GetIO().MousePos.x;
                    if (mx < p.x + bp_w + number_w + fs * 0.3f) ui.breakpoints.toggle_line(line);
                    ui.selected_line = line;
                }
                const bool hovered = ImGui::IsItemHovered();
                if (is_selected) dl->AddRect(p, ImVec2(p.x + width, p.y + row_h - 1), pal.grid, 0, 0, 1.0f);

                // Breakpoint dot, line number, task dots, text.
                const float cy = p.y + row_h * 0.5f - 1;
                if (ui.breakpoints.lines.count(line))
                    dl->AddCircleFilled(ImVec2(p.x + bp_w * 0.5f, cy), fs * 0.33f,
                                        ui.breakpoints.enabled ? pal.error : pal.text_dim);
                else if (hovered && ImGui::GetIO().MousePos.x < p.x + bp_w + number_w)
                    dl->AddCircle(ImVec2(p.x + bp_w * 0.5f, cy), fs * 0.33f, pal.error);
                char num[32];
                std::snprintf(num, sizeof num, "%*u", digits, line);
                dl->AddText(ImVec2(p.x + bp_w, p.y), is_current ? pal.text : pal.text_dim, num);
                const float marks_x = p.x + bp_w + number_w + fs * 0.5f;
                const bool marks_hovered = draw_task_marks(line, marks_x, cy, fs, hovered);
                if (is_current) dl->AddText(ImVec2(marks_x + marks_w - fs * 0.8f, p.y), pal.cursor, "\u2192");
                const std::string text = display_line(file.line_text(line));
                dl->AddText(ImVec2(p.x + gutter_w, p.y), pal.text, text.c_str());
                if (hovered && marks_hovered) task_tooltip(*s, line);
                else if (hovered && ImGui::GetIO().MousePos.x < p.x + bp_w + number_w)
                    ImGui::SetTooltip(ui.breakpoints.lines.count(line) ? "Click: remove the breakpoint" : "Click: stop here (breakpoint)");
                ImGui::PopID();
            }
        }
        // Room for the widest line, so the horizontal scrollbar reaches it.
        ImGui::Dummy(ImVec2(gutter_w + m_widest, 0));
        ImGui::EndChild();
        ImGui::PopFont();
    }

private:
    /// Which tasks stand on each line (recomputed when the cursor moves).
    void rebuild_markers(Session& s) {
        if (m_markers_epoch == trace_key(s) && m_markers_events == s.event_count()) return;
        m_markers_epoch = trace_key(s);
        m_markers_events = s.event_count();
        m_markers.clear();
        const SourceFile& file = s.source();
        if (&file != m_file) {
            m_file = &file;
            m_widest = 0;
        }
        for (TaskId t = 1; t < m_positions.count(); ++t) {
            if (m_positions.finished(t)) continue;
            const Span sp = m_positions.position(t);
            if (sp.empty()) continue;
            m_markers[file.locate(sp.begin).line].push_back(t);
        }
        if (m_widest == 0) {
            const float cw = ImGui::GetFontSize() * 0.62f;
            for (std::uint32_t l = 1; l <= file.line_count(); ++l)
                m_widest = std::max(m_widest, static_cast<float>(display_width(file.line_text(l))) * cw);
        }
    }

    /// Up to four dots for the tasks on `line`, "+n" for the rest. True when the mouse is over them.
    bool draw_task_marks(std::uint32_t line, float x, float cy, float fs, bool row_hovered) {
        const auto it = m_markers.find(line);
        if (it == m_markers.end()) return false;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const std::vector<TaskId>& tasks = it->second;
        const float step = fs * 0.75f;
        const std::size_t shown = std::min<std::size_t>(tasks.size(), tasks.size() > 4 ? 3 : 4);
        for (std::size_t k = 0; k < shown; ++k) {
            const TaskId t = tasks[k];
            const ImVec2 c(x + step * (static_cast<float>(k) + 0.5f), cy);
            dl->AddCircleFilled(c, fs * 0.3f, task_color(t));
            if (t == m_positions.running()) dl->AddCircle(c, fs * 0.42f, m_app.theme().palette().cursor, 0, 1.5f);
        }
        if (tasks.size() > shown) {
            char more[32];
            std::snprintf(more, sizeof more, "+%zu", tasks.size() - shown);
            dl->AddText(ImGui::GetFont(), fs * 0.8f, ImVec2(x + step * 3, cy - fs * 0.45f), m_app.theme().palette().text_dim, more);
        }
        const float mx = ImGui::GetIO().MousePos.x;
        return row_hovered && mx >= x && mx < x + step * 4 + fs * 0.6f;
    }

    void task_tooltip(Session& s, std::uint32_t line) {
        const auto it = m_markers.find(line);
        if (it == m_markers.end()) return;
        const TimelineModel& model = s.timeline();
        ImGui::BeginTooltip();
        ImGui::TextDisabled("Tasks at line %u", line);
        std::size_t n = 0;
        for (TaskId t : it->second) {
            if (++n > 20) {
                ImGui::TextDisabled("\u2026 and %zu more", it->second.size() - 20);
                break;
            }
            const ImVec2 p = ImGui::GetCursorScreenPos();
            const float fs = ImGui::GetFontSize();
            ImGui::GetWindowDrawList()->AddCircleFilled(ImVec2(p.x + fs * 0.4f, p.y + fs * 0.55f), fs * 0.3f, task_color(t));
            ImGui::SetCursorScreenPos(ImVec2(p.x + fs, p.y));
            std::string state;
            if (t < model.lanes().size() && !model.lane(t).intervals.empty())
                state = std::string(words(model.lane(t).intervals.back().state));
            ImGui::Text("%s%s  %s", Theme::shown(s.trace().task(t).name).c_str(),
                        t == m_positions.running() ? " (ran last)" : "", state.c_str());
        }
        ImGui::EndTooltip();
    }

    void draw_current_header(Session& s, const Event& e, std::uint32_t line) {
        const Trace& trace = s.trace();
        // In plain words (viz/model/glossary.hpp): "main  finished: returned".
        const std::string what = lane_name(trace, e.task) + "  " + plain_summary(trace, e, &s.program());
        if (line != 0) ImGui::Text("\u2192 line %u", line);
        else ImGui::TextUnformatted("\u2192");
        ImGui::SameLine();
        ImGui::TextDisabled("#%llu", static_cast<unsigned long long>(e.index));
        ImGui::SameLine();
        fitted_text(Theme::shown(what));
    }

    TaskPositions m_positions;
    std::map<std::uint32_t, std::vector<TaskId>> m_markers;
    std::uint64_t m_markers_epoch = ~std::uint64_t{0};
    std::uint64_t m_markers_events = ~std::uint64_t{0};
    std::uint32_t m_followed_line = 0;
    std::uint64_t m_session_serial = 0;
    std::uint64_t m_followed_epoch = ~std::uint64_t{0};
    float m_widest = 0;
    const SourceFile* m_file = nullptr;
};

}  // namespace
TASKLAB_REGISTER_PANEL(SourcePanel)
}  // namespace tasklab::viz
