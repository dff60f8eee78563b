// The task tree: every task in the timeline's row order (Session::lanes, so both list tasks
// alike), structured children nested under their scope. Unstructured work (Task {},
// Task.detached, GCD work items) has no parent: it is a top-level row marked ↗, never nested
// or folded under its creator, with "created by …" dimmed beside it. An icon for each task's
// state at the cursor. Clicking selects (the
// timeline highlights the same lane), the ▸/▾ folds a subtree (the same fold set as the
// timeline's). Rows are virtualised, so 100,000 tasks cost what the visible rows cost.
#include <algorithm>
#include <cmath>
#include <string>

#include "viz/app.hpp"
#include "viz/model/glossary.hpp"
#include "viz/panels/panel.hpp"
#include "viz/text/event_log.hpp"

namespace tasklab::viz {
namespace {

/// The icon and colour of a task's state at the cursor.
struct StateIcon {
    const char* glyph;
    ImU32 color;
    const char* words;
};

StateIcon state_icon(const Palette& pal, const LaneData& lane) {
    if (lane.end) {
        switch (lane.end->outcome) {
            case Outcome::returned: return {"\u2713", pal.outcome_returned, "returned"};
            case Outcome::threw: return {"\u2717", pal.outcome_threw, "threw"};
            case Outcome::cancelled: return {"\u2298", pal.outcome_cancelled, "finished by cancellation"};
            case Outcome::skipped: return {"\u21B7", pal.outcome_skipped, "skipped (cancelled before it started)"};
            case Outcome::abandoned: return {"\u2026", pal.outcome_abandoned, "abandoned when the program ended"};
        }
    }
    if (lane.intervals.empty()) return {"\u25CB", pal.state[static_cast<int>(LaneState::waiting_to_start)], "created"};
    const Interval& iv = lane.intervals.back();
    const ImU32 c = pal.state[static_cast<int>(iv.state)];
    switch (iv.state) {
        case LaneState::waiting_to_start: return {"\u25CB", c, "waiting to start"};
        case LaneState::running: return {"\u25B6", c, "running"};
        case LaneState::suspended: return {"\u23F8", c, "suspended"};
        case LaneState::sleeping: return {"\u263E", c, "sleeping"};
        case LaneState::blocked: return {"\u25A0", c, "blocked (holds its thread)"};
        case LaneState::actor_wait: return {"\u23F8", c, "waiting for an actor another task holds"};
    }
    return {"?", pal.text, "?"};
}

class TreePanel final : public Panel {
public:
    explicit TreePanel(App& app) : Panel(app, "Tasks", PanelSlot::left, 20) {
        m_app.theme().add_text("\u2713\u2717\u2298\u21B7\u2026\u25CB\u25B6\u23F8\u263E\u25A0\u25BC\u25B8\u25BE\u2197\u224B\u250C");
    }

    /// Presenter mode leaves the room to the timeline, the source and the output.
    void pre_frame() override { set_visible(!m_app.ui().presenter); }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        UiState& ui = m_app.ui();
        const TimelineModel& model = s->timeline();
        const LaneLayout& lanes = s->lanes(ui.folded);
        const Trace& trace = s->trace();
        const Palette& pal = m_app.theme().palette();
        const auto& rows = lanes.rows();

        const std::size_t task_count = trace.tasks().size() - 1;
        ImGui::TextDisabled("%zu task%s  \u00B7  click: select  \u00B7  \u25B8: fold", task_count, task_count == 1 ? "" : "s");
        ImGui::Separator();
        ImGui::BeginChild("##tree", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);

        // Follow a selection made elsewhere (the timeline, the log).
        std::int64_t reveal = -1;
        if (ui.selected_task != m_last_selected) {
            m_last_selected = ui.selected_task;
            if (!m_clicked_here && ui.selected_task != 0) reveal = lanes.row_of(ui.selected_task);
        }
        m_clicked_here = false;

        const float row_h = ImGui::GetTextLineHeightWithSpacing();
        const float indent = ImGui::GetFontSize() * 1.1f;
        ImDrawList* dl = ImGui::GetWindowDrawList();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(rows.size()), row_h);
        if (reveal >= 0) clipper.ForceDisplayRangeByIndices(static_cast<int>(reveal), static_cast<int>(reveal) + 1);
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const Row& row = rows[static_cast<std::size_t>(r)];
                ImGui::PushID(r);
                const float offset = static_cast<float>(std::min(row.depth, 40u)) * indent;
                if (r == reveal) ImGui::SetScrollHereY(0.4f);
                if (row.kind == RowKind::scope_header) {
                    draw_scope_row(*s, row, offset);
                } else {
                    draw_task_row(*s, model, row, offset, row_h, pal, dl);
                }
                ImGui::PopID();
            }
        }
        ImGui::EndChild();
    }

private:
    void draw_scope_row(Session& s, const Row& row, float offset) {
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + offset + ImGui::GetFontSize() * 1.0f);
        const std::string& name = row.scope < s.trace().scopes().size() ? s.trace().scope(row.scope).name : std::string("scope");
        ImGui::TextDisabled("\u250C %s", Theme::shown(name).c_str());
    }

    void draw_task_row(Session& s, const TimelineModel& model, const Row& row, float offset, float row_h, const Palette& pal,
                       ImDrawList* dl) {
        UiState& ui = m_app.ui();
        const Trace& trace = s.trace();
        const TaskInfo& info = trace.task(row.task);
        const float fs = ImGui::GetFontSize();

        // The whole row is the selectable; the fold arrow and the icon are drawn over it.
        const ImVec2 start = ImGui::GetCursorScreenPos();
        const bool selected = ui.selected_task == row.task;
        if (ImGui::Selectable("##row", selected, ImGuiSelectableFlags_SpanAllColumns | ImGuiSelectableFlags_AllowItemOverlap,
                              ImVec2(0, row_h - ImGui::GetStyle().ItemSpacing.y))) {
            if (row.has_children && ImGui::GetIO().MousePos.x < start.x + offset + fs) {
                if (ui.folded.count(row.task)) ui.folded.erase(row.task);
                else ui.folded.insert(row.task);
            } else {
                ui.selected_task = row.task;
                m_clicked_here = true;
            }
        }
        const bool hovered = ImGui::IsItemHovered();
        if (hovered) ui.hovered_task = row.task;

        const float y = start.y;
        float x = start.x + offset;
        ImFont* font = ImGui::GetFont();
        if (row.has_children)
            dl->AddText(font, fs, ImVec2(x, y), pal.text_dim, row.folded ? "\u25B8" : "\u25BE");
        x += fs;
        const LaneData* lane = row.task < model.lanes().size() ? &model.lane(row.task) : nullptr;
        StateIcon icon{"\u25CB", pal.text_dim, "created"};
        if (lane) icon = state_icon(pal, *lane);
        dl->AddText(font, fs, ImVec2(x, y), icon.color, icon.glyph);
        x += fs * 1.3f;
        const bool cancel_pending = lane && !lane->intervals.empty() && lane->intervals.back().cancel_pending && !lane->end;
        if (row.thread) {
            dl->AddText(font, fs, ImVec2(x, y), pal.thread, glyph::thread);
            x += fs * 1.0f;
        } else if (row.unstructured) {
            dl->AddText(font, fs, ImVec2(x, y), pal.unstructured, "\u2197");
            x += fs * 1.0f;
        }
        const std::string name = Theme::shown(info.name);
        dl->AddText(font, fs, ImVec2(x, y), pal.text, name.c_str());
        x += ImGui::CalcTextSize(name.c_str()).x + fs * 0.5f;
        if (cancel_pending) {
            dl->AddText(font, fs, ImVec2(x, y), pal.cancel_pending, "\u25BC cancelled");
            x += ImGui::CalcTextSize("\u25BC cancelled").x + fs * 0.5f;
        }
        if (row.unstructured && info.creator != 0) {
            const std::string by = "created by " + Theme::shown(trace.task(info.creator).name);
            dl->AddText(font, fs * 0.9f, ImVec2(x, y + fs * 0.05f), pal.text_dim, by.c_str());
            x += ImGui::CalcTextSize(by.c_str()).x * 0.9f + fs * 0.5f;
        }
        if (row.folded && row.hidden > 0) {
            char buf[48];
            std::snprintf(buf, sizeof buf, "(+%u folded)", row.hidden);
            dl->AddText(font, fs * 0.9f, ImVec2(x, y + fs * 0.05f), pal.text_dim, buf);
        }

        if (hovered) {
            ImGui::BeginTooltip();
            ImGui::Text("%s  (task %u)", name.c_str(), row.task);
            ImGui::Text("%s  %s", icon.glyph, icon.words);
            if (cancel_pending) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(pal.cancel_pending), "\u25BC a cancel was requested; not finished yet");
            ImGui::TextDisabled("%s", std::string(words(info.kind)).c_str());
            if (info.creator != 0) ImGui::TextDisabled("created by %s", Theme::shown(trace.task(info.creator).name).c_str());
            if (!info.span.empty() && s.has_run())
                ImGui::TextDisabled("at line %u", s.source().locate(info.span.begin).line);
            ImGui::EndTooltip();
        }
    }

    TaskId m_last_selected = 0;
    bool m_clicked_here = false;
};

}  // namespace
TASKLAB_REGISTER_PANEL(TreePanel)
}  // namespace tasklab::viz
