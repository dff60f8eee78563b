// What runs next, at the cursor: the ready queue in the order the scheduler will run it, the
// pending timers by deadline (each with what it wakes or starts), and the tasks waiting on
// something else (what they wait for). Clicking a task selects it everywhere.
#include <algorithm>
#include <string>

#include "viz/app.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class QueuePanel final : public Panel {
public:
    explicit QueuePanel(App& app) : Panel(app, "What runs next", PanelSlot::right, 60) {}
    [[nodiscard]] float weight() const override { return 0.8f; }

    /// Presenter mode leaves the room to the timeline, the source and the output.
    void pre_frame() override { set_visible(!m_app.ui().presenter); }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        const Controller& c = s->controller();
        if (c.finished()) {
            ImGui::TextDisabled("The run is over: nothing runs next.");
            return;
        }
        const Trace& trace = s->trace();
        const Palette& pal = m_app.theme().palette();
        const std::vector<TaskId> ready = c.ready_queue();
        const std::vector<PendingTimer> timers = c.timers();
        const std::vector<WaitingTask> waiting = c.waiting();

        ImGui::BeginChild("##queue");
        header("Ready", ready.size(), "run in this order, one step each, at the current instant");
        if (ready.empty()) ImGui::TextDisabled("  (none: the clock moves to the next timer)");
        for (std::size_t i = 0; i < ready.size() && i < 500; ++i) {
            char n[16];
            std::snprintf(n, sizeof n, "%zu.", i + 1);
            task_row(trace, ready[i], n, i == 0 ? "next" : "", pal.state[static_cast<int>(LaneState::running)]);
        }
        if (ready.size() > 500) ImGui::TextDisabled("  \u2026 %zu more", ready.size() - 500);

        ImGui::Spacing();
        header("Timers", timers.size(), "fire in deadline order when nothing is ready");
        const Tick now = s->now();
        for (std::size_t i = 0; i < timers.size() && i < 500; ++i) {
            const PendingTimer& t = timers[i];
            std::string when = format_time(t.deadline);
            if (t.deadline > now) when += " (in " + format_duration(t.deadline - now) + ")";
            task_row(trace, t.task, when.c_str(), t.starts_task ? "starts it" : "wakes it",
                     pal.state[static_cast<int>(LaneState::sleeping)]);
        }
        if (timers.size() > 500) ImGui::TextDisabled("  \u2026 %zu more", timers.size() - 500);

        ImGui::Spacing();
        header("Waiting", waiting.size(), "suspended or blocked until someone else acts");
        for (std::size_t i = 0; i < waiting.size() && i < 500; ++i) {
            const WaitingTask& w = waiting[i];
            std::string what = std::string(words(w.reason));
            if (!w.what.empty()) what += ": " + w.what;
            task_row(trace, w.task, "", what.c_str(), pal.state[static_cast<int>(LaneState::suspended)]);
        }
        if (waiting.size() > 500) ImGui::TextDisabled("  \u2026 %zu more", waiting.size() - 500);
        ImGui::EndChild();
    }

private:
    static void header(const char* title, std::size_t n, const char* tip) {
        ImGui::Text("%s (%zu)", title, n);
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tip);
        ImGui::Separator();
    }

    void task_row(const Trace& trace, TaskId task, const char* lead, const char* note, ImU32 color) {
        UiState& ui = m_app.ui();
        ImGui::PushID(static_cast<int>(task));
        ImGui::PushID(lead);
        const std::string name = task < trace.tasks().size() ? Theme::shown(trace.task(task).name) : std::string("?");
        ImGui::TextUnformatted("  ");
        ImGui::SameLine(0, 0);
        ImGui::TextDisabled("%s", lead);
        ImGui::SameLine();
        ImGui::PushStyleColor(ImGuiCol_Text, color);
        if (ImGui::Selectable(name.c_str(), ui.selected_task == task, 0, ImVec2(ImGui::CalcTextSize(name.c_str()).x, 0)))
            ui.selected_task = task;
        ImGui::PopStyleColor();
        if (ImGui::IsItemHovered()) ui.hovered_task = task;
        if (note && *note) {
            // A long wait ("waiting for the next child: group next() → withThrowingTaskGroup @41")
            // ends in "…" at the panel's edge and shows whole on hover.
            ImGui::SameLine();
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
            fitted_text(Theme::shown(note));
            ImGui::PopStyleColor();
        }
        ImGui::PopID();
        ImGui::PopID();
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(QueuePanel)
}  // namespace tasklab::viz
