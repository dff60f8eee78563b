// The event log: every event up to the cursor in plain words (viz/model/glossary.hpp: "finished",
// "a child's error cancelled the group"; `tasklab run --events` prints the trace's own names),
// filtered by a text box (which finds both) and by kind, virtualised so a million events scroll
// as fast as ten. A cell too narrow for its text ends in "…" and shows the whole on hover. Clicking an event moves the cursor to it and selects it (the
// source shows its line, the timeline and the tree its task).
#include <algorithm>
#include <string>

#include <imgui.h>
#include <imgui_stdlib.h>

#include <imgui_internal.h>  // TableSetColumnWidth: the # column grows with the trace

#include "viz/app.hpp"
#include "viz/model/event_filter.hpp"
#include "viz/model/glossary.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/fitted_text.hpp"
#include "viz/panels/panel.hpp"
#include "viz/text/event_log.hpp"

namespace tasklab::viz {
namespace {

/// Kinds grouped for the filter menu's quick choices.
struct KindGroup {
    const char* name;
    std::initializer_list<EventKind> kinds;
};

const KindGroup k_groups[] = {
    {"cancellation", {EventKind::cancel_requested, EventKind::cancel_observed, EventKind::uncancelled, EventKind::handler_ran}},
    {"errors", {EventKind::threw, EventKind::caught, EventKind::error_delivered}},
    {"tasks", {EventKind::task_created, EventKind::task_started, EventKind::task_finished}},
    {"output and notes", {EventKind::printed, EventKind::narration, EventKind::lint}},
};

class EventsPanel final : public Panel {
public:
    explicit EventsPanel(App& app) : Panel(app, "Event log", PanelSlot::right, 50) {}
    [[nodiscard]] float weight() const override { return 1.6f; }

    /// Presenter mode leaves the room to the timeline, the source and the output.
    /// Presenter mode, and the Outcomes view (X), take its room.
    void pre_frame() override { set_visible(!m_app.ui().presenter && !m_app.ui().show_outcomes); }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) {
            ImGui::TextDisabled("No scenario is running.");
            return;
        }
        draw_filter_bar();
        const Trace& trace = s->trace();
        // Text filters decode every event: spread the work over frames on long traces.
        const std::uint64_t budget = m_filter.text.empty() ? 2'000'000 : 40'000;
        const bool done = m_index.sync(trace, trace_key(*s), m_filter, &s->program(), budget);
        const auto& indices = m_index.indices();
        ImGui::SameLine();
        if (done) ImGui::TextDisabled("%zu of %llu", indices.size(), static_cast<unsigned long long>(trace.size()));
        else ImGui::TextDisabled("filtering\u2026 %llu%%", static_cast<unsigned long long>(m_index.scanned() * 100 / std::max<std::uint64_t>(trace.size(), 1)));

        // Widths for the longest usual content (the first frame may show a single event); the
        // # and step columns fit the largest index and step so far.
        const float ch = ImGui::CalcTextSize("0").x;
        const std::uint64_t n = trace.size();
        const std::uint64_t last_step = n > 0 ? trace.at(n - 1).step : 0;
        const float index_w = ch * static_cast<float>(std::to_string(n > 0 ? n - 1 : 0).size() + 1);
        const float step_w = ch * static_cast<float>(std::to_string(last_step).size() + 1);
        // The details take the width left, at least 6 characters (a narrow panel scrolls
        // sideways), and end in "…" when longer, whole on hover.
        const float fixed = std::max(ch * 4, index_w) + std::max(ch * 4, step_w) + ch * (6 + 14 + 15) +
                            ImGui::GetStyle().CellPadding.x * 2 * 6;
        const float inner_width =
            std::max(ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize, fixed + ch * 6);
        const ImGuiTableFlags flags = ImGuiTableFlags_ScrollY | ImGuiTableFlags_ScrollX | ImGuiTableFlags_RowBg |
                                      ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable |
                                      ImGuiTableFlags_BordersInnerV;
        if (!ImGui::BeginTable("##events", 6, flags, ImVec2(0, 0), inner_width)) return;
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed, std::max(ch * 4, index_w));
        ImGui::TableSetupColumn("step", ImGuiTableColumnFlags_WidthFixed, std::max(ch * 4, step_w));
        ImGui::TableSetupColumn("time", ImGuiTableColumnFlags_WidthFixed, ch * 6);
        ImGui::TableSetupColumn("task", ImGuiTableColumnFlags_WidthFixed, ch * 14);
        ImGui::TableSetupColumn("event", ImGuiTableColumnFlags_WidthFixed, ch * 15);
        ImGui::TableSetupColumn("details", ImGuiTableColumnFlags_WidthStretch);
        // A fixed column keeps its first width: widen # and step when the trace outgrows them.
        if (ImGuiTable* table = ImGui::GetCurrentTable()) {
            if (table->Columns[0].WidthRequest > 0 && table->Columns[0].WidthRequest < index_w) ImGui::TableSetColumnWidth(0, index_w);
            if (table->Columns[1].WidthRequest > 0 && table->Columns[1].WidthRequest < step_w) ImGui::TableSetColumnWidth(1, step_w);
        }
        ImGui::TableHeadersRow();

        UiState& ui = m_app.ui();
        const bool grew = indices.size() != m_rows_seen;
        const bool follow = grew && ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 2;
        m_rows_seen = indices.size();
        // Bring a selection made elsewhere into view.
        std::optional<std::size_t> reveal;
        if (ui.selected_event != m_last_selected) {
            m_last_selected = ui.selected_event;
            if (ui.selected_event && !m_clicked_here) {
                const auto it = std::lower_bound(indices.begin(), indices.end(), *ui.selected_event);
                if (it != indices.end() && *it == *ui.selected_event) reveal = static_cast<std::size_t>(it - indices.begin());
            }
        }
        m_clicked_here = false;

        const Palette& pal = m_app.theme().palette();
        const ast::Program* program = &s->program();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(indices.size()));
        if (reveal) clipper.ForceDisplayRangeByIndices(static_cast<int>(*reveal), static_cast<int>(*reveal) + 1);
        while (clipper.Step()) {
            for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
                const std::uint64_t i = indices[static_cast<std::size_t>(r)];
                const Event e = trace.at(i);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::PushID(r);
                const bool selected = ui.selected_event && *ui.selected_event == i;
                char num[24];
                std::snprintf(num, sizeof num, "%llu", static_cast<unsigned long long>(i));
                if (reveal && *reveal == static_cast<std::size_t>(r)) ImGui::SetScrollHereY(0.5f);
                if (ImGui::Selectable(num, selected, ImGuiSelectableFlags_SpanAllColumns)) {
                    m_clicked_here = true;
                    go_to_event(m_app, *s, i);
                }
                if (ImGui::IsItemHovered()) ui.hovered_event = i;
                ImGui::TableNextColumn();
                ImGui::Text("%llu", static_cast<unsigned long long>(e.step));
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(format_time(e.time).c_str());
                ImGui::TableNextColumn();
                fitted_text(Theme::shown(lane_name(trace, e.task)));
                ImGui::TableNextColumn();
                ImGui::PushStyleColor(ImGuiCol_Text, kind_color(pal, e.kind));
                fitted_text(words(e.kind));
                ImGui::PopStyleColor();
                ImGui::TableNextColumn();
                fitted_text(Theme::shown(plain_details(trace, e, program)));
                ImGui::PopID();
            }
        }
        if (follow && !reveal) ImGui::SetScrollHereY(1.0f);
        ImGui::EndTable();
    }

private:
    static ImU32 kind_color(const Palette& pal, EventKind k) {
        switch (k) {
            case EventKind::cancel_requested:
            case EventKind::cancel_observed: return pal.cancel_pending;
            case EventKind::threw:
            case EventKind::error_delivered: return pal.error;
            case EventKind::handler_ran: return pal.mark[static_cast<int>(MarkKind::handler_ran)];
            case EventKind::narration:
            case EventKind::lint: return pal.mark[static_cast<int>(MarkKind::narration)];
            case EventKind::printed: return pal.text;
            default: return pal.text_dim;
        }
    }

    void draw_filter_bar() {
        ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x * 0.45f, ImGui::GetFontSize() * 16));
        ImGui::InputTextWithHint("##filter", "filter: words in the task, event or details", &m_filter.text);
        ImGui::SameLine();
        const std::size_t on = m_filter.kinds.count();
        char label[48];
        std::snprintf(label, sizeof label, "Kinds (%zu/%d)###kinds", on, k_event_kind_count);
        if (ImGui::Button(label)) ImGui::OpenPopup("kinds");
        if (ImGui::BeginPopup("kinds")) {
            if (ImGui::SmallButton("all")) m_filter.kinds = EventFilter::all_kinds();
            ImGui::SameLine();
            if (ImGui::SmallButton("none")) m_filter.kinds.reset();
            for (const KindGroup& g : k_groups) {
                ImGui::SameLine();
                if (ImGui::SmallButton(g.name)) {
                    m_filter.kinds.reset();
                    for (EventKind k : g.kinds) m_filter.kinds.set(static_cast<std::size_t>(k));
                }
            }
            ImGui::Separator();
            ImGui::Columns(2, nullptr, false);
            for (int k = 0; k < k_event_kind_count; ++k) {
                bool v = m_filter.kinds.test(static_cast<std::size_t>(k));
                if (ImGui::Checkbox(std::string(words(static_cast<EventKind>(k))).c_str(), &v))
                    m_filter.kinds.set(static_cast<std::size_t>(k), v);
                ImGui::NextColumn();
            }
            ImGui::Columns(1);
            ImGui::EndPopup();
        }
    }

    EventFilter m_filter;
    EventIndex m_index;
    std::size_t m_rows_seen = 0;
    std::optional<std::uint64_t> m_last_selected;
    bool m_clicked_here = false;
};

}  // namespace
TASKLAB_REGISTER_PANEL(EventsPanel)
}  // namespace tasklab::viz
