// Narration: the scenario's `tasklab: note` texts as subtitles and as chapters.
//
//  * The subtitle (an overlay at the bottom of the timeline) shows the latest `narration`
//    event at or before the cursor, large, in a dark box, like a film's subtitle: it appears
//    when the run reaches the note and stays until the next one.
//  * The chapter list (under the task tree, shown when the scenario has notes) lists every
//    note in playing order (the order the whole run narrates them; notes it never reaches
//    come last), marks those the run has reached and the current one, and jumps to a note's
//    moment when clicked.
#include <algorithm>
#include <cfloat>
#include <string>
#include <vector>

#include "viz/app.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {
namespace {

/// The narration events of a trace, read incrementally: the latest one and the first event of
/// each note.
class NarrationIndex {
public:
    void sync(const Trace& trace, std::uint64_t epoch) {
        if (epoch != m_epoch || trace.size() < m_read) {
            m_epoch = epoch;
            m_read = 0;
            m_latest.reset();
            m_first.clear();
        }
        for (; m_read < trace.size(); ++m_read) {
            if (trace.stored(m_read).kind != EventKind::narration) continue;
            m_latest = m_read;
            const std::uint32_t note = trace.stored(m_read).payload;
            if (note >= m_first.size()) m_first.resize(note + 1, k_none);
            if (m_first[note] == k_none) m_first[note] = m_read;
        }
    }
    [[nodiscard]] std::optional<std::uint64_t> latest() const { return m_latest; }
    /// The first event of note `k` (1-based), if reached.
    [[nodiscard]] std::optional<std::uint64_t> first(std::uint32_t k) const {
        if (k >= m_first.size() || m_first[k] == k_none) return std::nullopt;
        return m_first[k];
    }

private:
    static constexpr std::uint64_t k_none = ~std::uint64_t{0};
    std::uint64_t m_epoch = ~std::uint64_t{0};
    std::uint64_t m_read = 0;
    std::optional<std::uint64_t> m_latest;
    std::vector<std::uint64_t> m_first;
};

class SubtitleOverlay final : public Panel {
public:
    explicit SubtitleOverlay(App& app) : Panel(app, "##subtitle", PanelSlot::overlay, 90) {}

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav |
               ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings;
    }

    /// Overlay panels place themselves here, before the base opens the window.
    [[nodiscard]] bool wants_window() const override {
        Session* s = m_app.session();
        if (!s || !s->has_run() || s->program().notes.empty()) return false;
        m_index.sync(s->trace(), trace_key(*s));
        const auto latest = m_index.latest();
        if (!latest) return false;
        const std::uint32_t note = s->trace().stored(*latest).payload;
        if (note == 0 || note > s->program().notes.size()) return false;
        m_text = Theme::shown(s->program().notes[note - 1]);
        m_note = s->trace().stored(*latest).related;  // the chapter number, in playing order
        m_fresh = s->trace().at(*latest).step == s->step();

        const auto [lo, hi] = m_app.slot_rect(PanelSlot::timeline);
        const float fs = subtitle_size();
        ImFont* font = m_app.theme().font(FontRole::title);
        const float max_w = std::min((hi.x - lo.x) * 0.86f, fs * 44);
        const ImVec2 text = font->CalcTextSizeA(fs, FLT_MAX, max_w, m_text.c_str());
        const float pad = fs * 0.6f;
        m_size = ImVec2(text.x + 2 * pad, text.y + 2 * pad + fs * 0.3f);
        // Above the timeline's legend; when comparing, at the foot of the first run's lanes
        // (the upper half), since the notes are the first run's.
        const float fs_ui = m_app.theme().font_size();
        const float bottom = m_app.compare_session()     ? (lo.y + hi.y) * 0.5f + fs_ui * 1.6f
                             : m_app.ui().show_legend ? hi.y - fs_ui * 4.4f
                                                      : hi.y - fs_ui * 0.8f;
        ImGui::SetNextWindowPos(ImVec2((lo.x + hi.x) * 0.5f, bottom), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
        ImGui::SetNextWindowSize(m_size);
        return true;
    }

    void draw_content() override {
        const Palette& pal = m_app.theme().palette();
        ImDrawList* dl = ImGui::GetWindowDrawList();
        const ImVec2 p = ImGui::GetWindowPos();
        const float fs = subtitle_size();
        const float pad = fs * 0.6f;
        dl->AddRectFilled(p, ImVec2(p.x + m_size.x, p.y + m_size.y), pal.narration_bg, fs * 0.35f);
        dl->AddRect(p, ImVec2(p.x + m_size.x, p.y + m_size.y), m_fresh ? pal.mark[static_cast<int>(MarkKind::narration)] : pal.grid,
                    fs * 0.35f, 0, m_fresh ? 2.0f : 1.0f);
        ImFont* font = m_app.theme().font(FontRole::title);
        // The box is dark in every theme but the light one; pick the text colour to match it.
        const ImU32 color = m_app.theme().kind() == ThemeKind::light ? IM_COL32(20, 20, 25, 255) : IM_COL32(255, 255, 255, 255);
        dl->AddText(font, fs, ImVec2(p.x + pad, p.y + pad + fs * 0.3f), color, m_text.c_str(), nullptr, m_size.x - 2 * pad);
        char n[16];
        std::snprintf(n, sizeof n, "\u270E %u", m_note);
        dl->AddText(m_app.theme().font(FontRole::ui), m_app.theme().font_size() * 0.8f, ImVec2(p.x + 6, p.y + 2),
                    pal.mark[static_cast<int>(MarkKind::narration)], n);
    }

private:
    /// Large over one timeline; smaller when two share the space (compare).
    [[nodiscard]] float subtitle_size() const {
        return m_app.theme().font_size() * (m_app.compare_session() ? 1.1f : 1.45f);
    }

    mutable NarrationIndex m_index;
    mutable std::string m_text;
    mutable std::uint32_t m_note = 0;
    mutable bool m_fresh = false;
    mutable ImVec2 m_size;
};

class ChaptersPanel final : public Panel {
public:
    explicit ChaptersPanel(App& app) : Panel(app, "Chapters", PanelSlot::left, 25) {}
    [[nodiscard]] float weight() const override { return 0.55f; }

    void pre_frame() override {
        Session* s = m_app.session();
        // Presenter mode leaves the room to the timeline, the source and the output.
        set_visible(s && s->has_run() && !s->program().notes.empty() && !m_app.ui().presenter);
    }

protected:
    void draw_content() override {
        Session* s = m_app.session();
        if (!s || !s->has_run()) return;
        const auto& notes = s->program().notes;
        NarrationIndex& index = m_index;
        index.sync(s->trace(), trace_key(*s));
        const auto latest = index.latest();
        const std::uint32_t current = latest ? s->trace().stored(*latest).payload : 0;
        const Palette& pal = m_app.theme().palette();
        ImGui::BeginChild("##chapters");
        // Playing order: the notes the whole run reaches, then any it never reaches.
        std::vector<std::uint32_t> order = s->chapters();
        for (std::uint32_t k = 1; k <= notes.size(); ++k)
            if (std::find(order.begin(), order.end(), k) == order.end()) order.push_back(k);
        for (std::size_t pos = 0; pos < order.size(); ++pos) {
            const std::uint32_t k = order[pos];
            ImGui::PushID(static_cast<int>(k));
            const auto first = index.first(k);
            const char* mark = k == current ? "\u25B6" : first ? "\u2713" : " ";
            ImGui::PushStyleColor(ImGuiCol_Text, k == current ? pal.mark[static_cast<int>(MarkKind::narration)]
                                                 : first       ? pal.text
                                                               : pal.text_dim);
            const std::string label = std::string(mark) + " " + std::to_string(pos + 1) + ". " + Theme::shown(notes[k - 1]);
            if (ImGui::Selectable(label.c_str(), k == current)) go_to_note(*s, k);
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered()) {
                ImGui::BeginTooltip();
                ImGui::PushTextWrapPos(ImGui::GetFontSize() * 30);
                ImGui::TextUnformatted(Theme::shown(notes[k - 1]).c_str());
                ImGui::PopTextWrapPos();
                ImGui::TextDisabled(first ? "Click: go to this note" : "Click: play on to this note");
                ImGui::EndTooltip();
            }
            ImGui::PopID();
        }
        ImGui::EndChild();
    }

private:
    void go_to_note(Session& s, std::uint32_t k) {
        if (const auto first = m_index.first(k)) {
            go_to_event(m_app, s, *first);
            return;
        }
        s.set_playing(false);
        const auto found = s.seek_event(Direction::forward, [k](const Event& e) {
            return e.kind == EventKind::narration && e.payload == k;
        });
        if (found) go_to_event(m_app, s, *found);
        else notify("The run never reaches note " + std::to_string(k) + ".");
    }

    NarrationIndex m_index;
};

}  // namespace
TASKLAB_REGISTER_PANEL(SubtitleOverlay)
TASKLAB_REGISTER_PANEL(ChaptersPanel)
}  // namespace tasklab::viz
