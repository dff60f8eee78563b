// The inspector: the values one task holds at the cursor (Controller::inspect). A header with
// the task's name and state; its cancel flag (Swift Task.isCancelled, GCD item.isCancelled) or
// asyncio's cancelling() count, highlighted once set; what it awaits or is blocked on (a
// task, a group, a timer with its deadline, a queue slot…); its result or error once it has
// finished; then one table of name / value / type per frame of its call chain, innermost
// first. It follows the selected task (click a lane, a tree row, a queue entry) and the cursor;
// with nothing selected it shows the task that ran in the step at the cursor. Stepping back
// shows the old values: the Controller replays the run exactly. It shares its place with
// "What runs next" (key I switches).
#include <algorithm>
#include <string>

#include "viz/app.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

/// The task that ran in `step` (0 when none did: step 0, or a step of loop callbacks only).
TaskId task_of_step(const Trace& trace, std::uint64_t step) {
    if (step == 0) return 0;
    const std::uint64_t end = trace.first_event_of_step(step + 1);
    TaskId any = 0;
    for (std::uint64_t i = trace.first_event_of_step(step); i < end && i < trace.size(); ++i) {
        const StoredEvent& e = trace.stored(i);
        if (e.task == 0) continue;
        if (e.kind == EventKind::task_started || e.kind == EventKind::task_resumed || e.kind == EventKind::task_unblocked)
            return e.task;
        if (any == 0) any = e.task;
    }
    return any;
}

std::string state_words(const TaskInspection& in) {
    if (in.outcome) {
        switch (*in.outcome) {
            case Outcome::returned: return "finished: returned";
            case Outcome::threw: return "finished: threw";
            case Outcome::cancelled: return "finished by cancellation";
            case Outcome::skipped: return "skipped: cancelled before it started";
            case Outcome::abandoned: return "abandoned when the program ended";
        }
    }
    switch (in.state) {
        case TaskState::created: return "not started yet";
        case TaskState::ready: return in.started ? "ready to resume" : "ready to start";
        case TaskState::running: return "running";
        case TaskState::suspended: return in.started ? "suspended" : "waiting to start";
        case TaskState::blocked: return "blocked (holds its thread)";
        case TaskState::finished: return "finished";
    }
    return "?";
}

class InspectorPanel final : public Panel {
public:
    explicit InspectorPanel(App& app) : Panel(app, "Inspector", PanelSlot::right, 65) {
        m_app.theme().add_text("\u00D7\u25CF\u2713\u2717\u2298\u21B7\u2026\u23F8\u25B8\u2192\u00B7");
    }
    /// The values need the room more than the event log; in presenter mode it shares the
    /// column with the output evenly.
    [[nodiscard]] float weight() const override { return m_app.ui().presenter ? 1.0f : 2.0f; }

    /// The inspector and "What runs next" share one place: I switches between them, and
    /// selecting a task brings the inspector back. Presenter mode (no queue) always shows it,
    /// unless the Outcomes view has the place.
    void pre_frame() override {
        const ImGuiIO& io = ImGui::GetIO();
        if (!io.WantTextInput && !io.KeyCtrl && !io.KeyAlt && !io.KeySuper && ImGui::IsKeyPressed('I', false)) m_shown = !m_shown;
        if (m_app.ui().selected_task != m_last_selected) {
            m_last_selected = m_app.ui().selected_task;
            if (m_last_selected != 0) m_shown = true;
        }
        const bool presenter = m_app.ui().presenter;
        // The Outcomes view (X) takes the room of both.
        const bool outcomes = m_app.ui().show_outcomes;
        set_visible((m_shown || presenter) && !outcomes);
        if (Panel* queue = m_app.find_panel("What runs next")) queue->set_visible(!m_shown && !presenter && !outcomes);
    }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        UiState& ui = m_app.ui();
        const Trace& trace = s->trace();
        const Controller& c = s->controller();
        TaskId task = ui.selected_task;
        const bool selected = task != 0 && task < trace.tasks().size();
        if (!selected) {
            task = task_of_step(trace, s->step());
            if (task == 0) {
                const std::vector<TaskId> ready = c.ready_queue();
                if (!ready.empty()) task = ready.front();
            }
        }
        if (task == 0 || task >= trace.tasks().size()) {
            ImGui::TextDisabled("Click a lane or a task to see its values.");
            return;
        }
        refresh(*s, task);
        const TaskInspection& in = m_cached;
        const Palette& pal = m_app.theme().palette();

        // ---- header: name and state ----
        ImGui::PushStyleColor(ImGuiCol_Text, state_color(pal, in));
        ImGui::TextUnformatted("\u25CF");
        ImGui::PopStyleColor();
        ImGui::SameLine();
        ImGui::PushFont(m_app.theme().font(FontRole::title));
        ImGui::TextUnformatted(Theme::shown(in.name).c_str());
        ImGui::PopFont();
        ImGui::SameLine();
        ImGui::TextDisabled("%s%s", state_words(in).c_str(), selected ? "" : " \u00B7 ran in this step");

        // ---- cancellation: on the header line when it fits ----
        const float right = ImGui::GetWindowContentRegionMax().x;
        const ImGuiStyle& style = ImGui::GetStyle();
        if (!in.cancel_label.empty()) {
            const bool set = (in.is_cancelled && *in.is_cancelled) || (in.cancelling && *in.cancelling > 0);
            std::string flag = in.cancel_label + " = ";
            if (in.is_cancelled) flag += *in.is_cancelled ? "true" : "false";
            else if (in.cancelling) flag += std::to_string(*in.cancelling);
            const std::string requests =
                in.cancel_requests > 0 ? "(requested " + std::to_string(in.cancel_requests) + "\u00D7)" : std::string();
            const float need = ImGui::CalcTextSize(flag.c_str()).x + ImGui::CalcTextSize(requests.c_str()).x +
                               style.ItemSpacing.x * 4 + style.FramePadding.x * 2;
            ImGui::SameLine(0, style.ItemSpacing.x * 3);
            if (ImGui::GetCursorPosX() + need > right) ImGui::NewLine();
            if (set) badge(flag, pal.outcome_cancelled);
            else ImGui::TextDisabled("%s", flag.c_str());
            if (!requests.empty()) {
                ImGui::SameLine();
                ImGui::TextDisabled("%s", requests.c_str());
            }
        }
        if (!m_app.ui().presenter) {
            const char* other = "What runs next (I)";
            const float w = ImGui::CalcTextSize(other).x + style.FramePadding.x * 2;
            ImGui::SameLine();
            // Only where it fits whole: the key I does the same.
            if (ImGui::GetCursorPosX() + w <= right) {
                ImGui::SetCursorPosX(right - w);
                if (ImGui::SmallButton(other)) m_shown = false;
            } else {
                ImGui::NewLine();
            }
        }

        // ---- a worker thread: what a cancel does (nothing) ----
        if (in.kind == TaskKind::thread)
            ImGui::TextWrapped("%s", "\u224B worker thread: runs a plain function outside the event loop. Cancelling the task that "
                                     "awaits it cancels only that await; the thread runs to the end and its result is dropped, and "
                                     "asyncio.run waits for it.");

        // ---- waiting ----
        if (in.waiting || in.deadline >= 0) waiting_line(*s, in);
        if (in.actor != 0) actor_line(*s, in);

        // ---- the end ----
        if (in.outcome) {
            const char* glyph = "\u2713";
            ImU32 color = pal.outcome_returned;
            const char* words = "returned";
            switch (*in.outcome) {
                case Outcome::returned: break;
                case Outcome::threw: glyph = "\u2717"; color = pal.outcome_threw; words = "threw"; break;
                case Outcome::cancelled: glyph = "\u2298"; color = pal.outcome_cancelled; words = "ended by"; break;
                case Outcome::skipped: glyph = "\u21B7"; color = pal.outcome_skipped; words = "skipped"; break;
                case Outcome::abandoned: glyph = "\u2026"; color = pal.outcome_abandoned; words = "abandoned"; break;
            }
            ImGui::PushStyleColor(ImGuiCol_Text, color);
            ImGui::TextUnformatted(glyph);
            ImGui::SameLine();
            ImGui::TextUnformatted(words);
            ImGui::PopStyleColor();
            if (!in.result.empty()) {
                ImGui::SameLine();
                ImGui::TextWrapped("%s", Theme::shown(in.result).c_str());
            }
        }

        ImGui::Separator();
        // ---- frames ----
        if (in.scopes.empty()) {
            ImGui::TextDisabled(in.outcome ? "Its frames are gone: it has finished."
                                           : in.started ? "No frames to show." : "Its code has not started: no variables yet.");
            return;
        }
        ImGui::BeginChild("##frames");
        for (std::size_t k = 0; k < in.scopes.size(); ++k) frame_table(in.scopes[k], k);
        ImGui::EndChild();
    }

private:
    void refresh(Session& s, TaskId task) {
        if (m_serial == s.serial() && m_epoch == s.epoch() && m_step == s.step() && m_task == task) return;
        m_serial = s.serial();
        m_epoch = s.epoch();
        m_step = s.step();
        m_task = task;
        m_cached = s.controller().inspect(task);
        Theme& theme = m_app.theme();
        theme.add_text(m_cached.result);
        for (const InspectedScope& sc : m_cached.scopes)
            for (const InspectedVariable& v : sc.variables) {
                theme.add_text(v.name);
                theme.add_text(v.value);
            }
    }

    ImU32 state_color(const Palette& pal, const TaskInspection& in) const {
        if (in.outcome) {
            switch (*in.outcome) {
                case Outcome::returned: return pal.outcome_returned;
                case Outcome::threw: return pal.outcome_threw;
                case Outcome::cancelled: return pal.outcome_cancelled;
                case Outcome::skipped: return pal.outcome_skipped;
                case Outcome::abandoned: return pal.outcome_abandoned;
            }
        }
        LaneState ls = LaneState::waiting_to_start;
        if (in.started) {
            switch (in.state) {
                case TaskState::running: ls = LaneState::running; break;
                case TaskState::blocked: ls = LaneState::blocked; break;
                case TaskState::suspended:
                    ls = in.wait_reason == WaitReason::sleep   ? LaneState::sleeping
                         : in.wait_reason == WaitReason::actor ? LaneState::actor_wait
                                                               : LaneState::suspended;
                    break;
                default: ls = LaneState::running; break;
            }
        }
        return pal.state[static_cast<int>(ls)];
    }

    /// Text on a coloured background, for a flag that is set.
    static void badge(const std::string& text, ImU32 color) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const ImVec2 size = ImGui::CalcTextSize(text.c_str());
        const ImGuiStyle& st = ImGui::GetStyle();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x - 2, p.y - 1), ImVec2(p.x + size.x + st.FramePadding.x * 2, p.y + size.y + 1),
                                                  color, st.FrameRounding);
        ImGui::SetCursorScreenPos(ImVec2(p.x + st.FramePadding.x, p.y));
        ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(0, 0, 0, 255));
        ImGui::TextUnformatted(text.c_str());
        ImGui::PopStyleColor();
        ImGui::SameLine(0, st.FramePadding.x * 2);
        ImGui::Dummy(ImVec2(0, 0));
    }

    /// Swift actors: the actor the task runs on or waits for, who holds it and who queues.
    void actor_line(Session& s, const TaskInspection& in) {
        const Trace& trace = s.trace();
        const std::string actor = Theme::shown(std::string(trace.actor_name(in.actor)));
        auto name = [&](TaskId t) { return t < trace.tasks().size() ? Theme::shown(trace.task(t).name) : std::string("?"); };
        std::string line;
        if (in.actor_holder == in.task) line = "holds the actor " + actor;
        else if (in.waiting && in.wait_reason == WaitReason::actor)
            line = "waits for the actor " + actor + (in.actor_holder != 0 ? ", held by " + name(in.actor_holder) : std::string());
        else line = "runs on the actor " + actor + " (lets go of it while suspended)";
        ImGui::TextWrapped("%s", line.c_str());
        if (in.actor_queue.empty()) return;
        std::string queue = "  queue:";
        for (std::size_t i = 0; i < in.actor_queue.size() && i < 8; ++i) queue += (i ? ", " : " ") + name(in.actor_queue[i]);
        if (in.actor_queue.size() > 8) queue += ", …";
        ImGui::TextDisabled("%s", queue.c_str());
    }

    void waiting_line(Session& s, const TaskInspection& in) {
        const Trace& trace = s.trace();
        if (in.awaited_task != 0 && in.awaited_task < trace.tasks().size()) {
            ImGui::TextUnformatted("\u23F8 awaits task");
            ImGui::SameLine();
            const std::string name = Theme::shown(trace.task(in.awaited_task).name);
            ImGui::PushID("awaited");
            if (ImGui::SmallButton(name.c_str())) m_app.ui().selected_task = in.awaited_task;
            if (ImGui::IsItemHovered()) {
                m_app.ui().hovered_task = in.awaited_task;
                ImGui::SetTooltip("Click: inspect %s", name.c_str());
            }
            ImGui::PopID();
        }
        std::string line;
        if (in.awaited_task == 0 && in.waiting) line = in.waiting_for.empty() ? std::string(wait_reason_name(in.wait_reason)) : in.waiting_for;
        if (in.awaited_scope != 0 && in.awaited_scope < trace.scopes().size()) line += " \u00B7 " + trace.scope(in.awaited_scope).name;
        if (in.deadline >= 0) {
            line += std::string(line.empty() ? "" : "  ") + (in.waiting ? "\u2192 wakes at " : "starts at ") + format_time(in.deadline);
            if (in.deadline > s.now()) line += " (in " + format_duration(in.deadline - s.now()) + ")";
        }
        if (line.empty()) return;
        if (in.awaited_task == 0) line = (in.state == TaskState::blocked ? "\u23F8 blocked: " : "\u23F8 ") + line;
        ImGui::TextWrapped("%s", Theme::shown(line).c_str());
    }

    void frame_table(const InspectedScope& scope, std::size_t index) {
        ImGui::PushID(static_cast<int>(index));
        std::string title = Theme::shown(scope.name);
        if (scope.line != 0) title += "   line " + std::to_string(scope.line);
        if (scope.variables.empty()) {
            ImGui::TextDisabled("  %s   (no variables)", title.c_str());
            ImGui::PopID();
            return;
        }
        ImGui::SetNextItemOpen(true, ImGuiCond_Once);
        if (ImGui::CollapsingHeader((title + "###frame").c_str())) {
            if (ImGui::BeginTable("##vars", 3,
                                         ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingStretchProp)) {
                ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch, 1.0f);
                ImGui::TableSetupColumn("value", ImGuiTableColumnFlags_WidthStretch, 3.0f);
                ImGui::TableSetupColumn("type", ImGuiTableColumnFlags_WidthStretch, 0.9f);
                for (const InspectedVariable& v : scope.variables) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(Theme::shown(v.name).c_str());
                    ImGui::TableNextColumn();
                    const std::string value = Theme::shown(v.value);
                    ImGui::TextWrapped("%s", value.c_str());
                    if (ImGui::IsItemHovered() && value.size() > 40) ImGui::SetTooltip("%s", value.c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextDisabled("%s", Theme::shown(v.type).c_str());
                }
                ImGui::EndTable();
            }
        }
        ImGui::PopID();
    }

    bool m_shown = true;           // the inspector (true) or "What runs next" (false) has the place
    TaskId m_last_selected = 0;
    std::uint64_t m_serial = ~std::uint64_t{0};
    std::uint64_t m_epoch = 0;
    std::uint64_t m_step = 0;
    TaskId m_task = 0;
    TaskInspection m_cached;
};

}  // namespace
TASKLAB_REGISTER_PANEL(InspectorPanel)
}  // namespace tasklab::viz
