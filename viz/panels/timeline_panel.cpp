// The timeline: one lane per task, states as bars, on a virtual-time axis.
#include <algorithm>
#include <cmath>

#include "viz/app.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

class TimelinePanel final : public Panel {
public:
    explicit TimelinePanel(App& app) : Panel(app, "Timeline", PanelSlot::timeline, 10) {}

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoScrollbar | ImGuiWindowFlags_NoScrollWithMouse;
    }

    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextUnformatted("No scenario.");
            return;
        }
        const TimelineModel& model = s->timeline();
        const Palette& pal = m_app.theme().palette();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 p0 = ImGui::GetCursorScreenPos();
        const ImVec2 avail = ImGui::GetContentRegionAvail();
        dl->AddRectFilled(p0, ImVec2(p0.x + avail.x, p0.y + avail.y), pal.background);
        const float row = std::round(m_app.theme().font_size() * 1.6f);
        const float label_w = std::round(m_app.theme().font_size() * 12);
        const Tick end = std::max<Tick>(s->total_time(), model.now()) + 1;
        const float plot_w = avail.x - label_w - 10;
        auto x_of = [&](Tick t) {
            return p0.x + label_w + static_cast<float>(static_cast<double>(t) / static_cast<double>(end) * plot_w);
        };
        const auto& tasks = s->trace().tasks();
        for (std::size_t id = 1; id < tasks.size() && id < model.lanes().size(); ++id) {
            const float y = p0.y + static_cast<float>(id - 1) * row;
            dl->AddText(ImVec2(p0.x + 6, y + row * 0.2f), pal.text, Theme::shown(tasks[id].name).c_str());
            for (const Interval& iv : model.lane(static_cast<TaskId>(id)).intervals) {
                const float x0 = x_of(iv.t0);
                const float x1 = std::max(x0 + 2.0f, x_of(iv.open() ? model.now() : iv.t1));
                dl->AddRectFilled(ImVec2(x0, y + row * 0.2f), ImVec2(x1, y + row * 0.8f),
                                  pal.state[static_cast<int>(iv.state)]);
            }
        }
        dl->AddLine(ImVec2(x_of(model.now()), p0.y), ImVec2(x_of(model.now()), p0.y + avail.y), pal.cursor, 2.0f);
    }
};

}  // namespace
TASKLAB_REGISTER_PANEL(TimelinePanel)
}  // namespace tasklab::viz
