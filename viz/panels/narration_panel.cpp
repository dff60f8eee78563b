// Narration: the scenario's `tasklab: note` texts as a caption and as chapters.
//
//  * The caption (a band of its own under the timeline, see caption.hpp) shows the latest
//    `narration` event at or before the cursor, large, in a dark box, like a film's subtitle:
//    it appears when the run reaches the note and stays until the next one. When two runs are
//    compared, the compare view draws one caption under each run's lanes instead.
//  * The chapter list (under the task tree, shown when the scenario has notes) lists every
//    note in playing order (the order the whole run narrates them; notes it never reaches
//    come last), marks those the run has reached and the current one, and jumps to a note's
//    moment when clicked.
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>
#include <vector>

#include "viz/app.hpp"
#include "viz/layout_report.hpp"
#include "viz/panels/caption.hpp"
#include "viz/panels/commands.hpp"
#include "viz/panels/panel.hpp"

namespace tasklab::viz {

void NarrationIndex::sync(const Trace& trace, std::uint64_t epoch) {
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

std::optional<std::uint64_t> NarrationIndex::first(std::uint32_t k) const {
    if (k >= m_first.size() || m_first[k] == k_none) return std::nullopt;
    return m_first[k];
}

namespace {

/// Padding inside the caption's box, and the smallest font a caption shrinks to.
float caption_pad(float fs) { return std::round(fs * 0.5f); }
constexpr float k_least_caption_font = 9.0f;

}  // namespace

std::optional<CaptionText> Caption::current(Session& s) {
    if (!s.has_run() || s.program().notes.empty()) return std::nullopt;
    m_index.sync(s.trace(), trace_key(s));
    const auto latest = m_index.latest();
    if (!latest) return std::nullopt;
    const std::uint32_t note = s.trace().stored(*latest).payload;
    if (note == 0 || note > s.program().notes.size()) return std::nullopt;
    // Numbered as a chapter: the narration event carries the note's place in playing order.
    const std::uint32_t chapter = s.trace().stored(*latest).related;
    return CaptionText{Theme::shown(s.program().notes[note - 1]), chapter != 0 ? chapter : note,
                       s.trace().at(*latest).step == s.step()};
}

float Caption::band_height(App& app, Session& s, float width, float font_size) {
    if (!s.has_run() || s.program().notes.empty()) return 0.0f;
    const void* program = &s.program();
    if (width == m_cached_width && font_size == m_cached_font && program == m_cached_program) return m_cached_height;
    ImFont* font = app.theme().font(FontRole::title);
    const float pad = caption_pad(font_size);
    float tallest = 0;
    for (const std::string& note : s.program().notes) {
        const std::string shown = Theme::shown(note);
        tallest = std::max(tallest, font->CalcTextSizeA(font_size, FLT_MAX, width - 4 * pad, shown.c_str()).y);
    }
    m_cached_width = width;
    m_cached_font = font_size;
    m_cached_program = program;
    m_cached_height = std::ceil(tallest + 2 * pad + font_size * 0.3f + 4);
    return m_cached_height;
}

std::pair<std::pair<ImVec2, ImVec2>, float> Caption::draw(App& app, ImDrawList* dl, const CaptionText& text, ImVec2 min,
                                                          ImVec2 max, float font_size) {
    const Palette& pal = app.theme().palette();
    ImFont* font = app.theme().font(FontRole::title);
    // Wrap to the band; shrink until the wrapped text fits its height.
    float fs = font_size;
    ImVec2 size;
    float pad = caption_pad(fs);
    for (;;) {
        pad = caption_pad(fs);
        size = font->CalcTextSizeA(fs, FLT_MAX, std::max(1.0f, max.x - min.x - 4 * pad), text.text.c_str());
        if (size.y + 2 * pad + fs * 0.3f <= max.y - min.y - 2 || fs <= k_least_caption_font) break;
        fs = std::max(k_least_caption_font, fs * 0.92f);
    }
    const float wrap = std::max(1.0f, max.x - min.x - 4 * pad);
    const ImVec2 box(std::min(size.x + 2 * pad, max.x - min.x), std::min(size.y + 2 * pad + fs * 0.3f, max.y - min.y));
    const ImVec2 p(std::round((min.x + max.x - box.x) * 0.5f), std::round((min.y + max.y - box.y) * 0.5f));
    const ImVec2 q(p.x + box.x, p.y + box.y);
    const ImU32 frame = text.fresh ? pal.mark[static_cast<int>(MarkKind::narration)] : pal.grid;
    dl->PushClipRect(min, max, true);
    dl->AddRectFilled(p, q, pal.narration_bg, fs * 0.35f);
    dl->AddRect(p, q, frame, fs * 0.35f, 0, text.fresh ? 2.0f : 1.0f);
    // The box is dark in every theme but the light one; pick the text colour to match it.
    const ImU32 color = app.theme().kind() == ThemeKind::light ? IM_COL32(20, 20, 25, 255) : IM_COL32(255, 255, 255, 255);
    // Drawn with the width it was measured with, so it wraps into the same lines.
    dl->AddText(font, fs, ImVec2(p.x + pad, p.y + pad + fs * 0.3f), color, text.text.c_str(), nullptr, wrap);
    char n[16];
    std::snprintf(n, sizeof n, "\u270E %u", text.note);
    dl->AddText(app.theme().font(FontRole::ui), std::min(app.theme().font_size() * 0.8f, fs * 0.7f), ImVec2(p.x + 4, p.y + 1),
                pal.mark[static_cast<int>(MarkKind::narration)], n);
    dl->PopClipRect();
    return {{p, q}, fs};
}

namespace {

/// The caption band under the timeline (one run; the compare view draws its own captions).
class CaptionPanel final : public Panel {
public:
    explicit CaptionPanel(App& app) : Panel(app, "Caption", PanelSlot::caption, 90) {}

    void pre_frame() override {
        Session* s = m_app.session();
        set_visible(s != nullptr && m_app.compare_session() == nullptr && s->has_run() && !s->program().notes.empty());
    }

    [[nodiscard]] LayoutWish layout_wish(float width) const override {
        Session* s = m_app.session();
        if (!s) return {};
        const float h = m_caption.band_height(m_app, *s, width, font_size());
        return {h, h};
    }

protected:
    [[nodiscard]] ImGuiWindowFlags window_flags() const override {
        return ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoInputs | ImGuiWindowFlags_NoNav |
               ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoScrollbar;
    }
    [[nodiscard]] bool zero_padding() const override { return true; }

    void draw_content() override {
        Session* s = m_app.session();
        if (!s) return;
        const auto text = m_caption.current(*s);
        if (!text) return;
        const ImVec2 min = ImGui::GetWindowPos();
        const ImVec2 max(min.x + ImGui::GetWindowSize().x, min.y + ImGui::GetWindowSize().y);
        const auto [box, fs] = m_caption.draw(m_app, ImGui::GetWindowDrawList(), *text, min, max, font_size());
        if (LayoutReport* report = m_app.layout_report())
            record_caption(*report, 0, {box.first.x, box.first.y, box.second.x, box.second.y}, fs);
    }

private:
    [[nodiscard]] float font_size() const { return std::round(m_app.theme().font_size() * 1.45f); }
    mutable Caption m_caption;
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
        else if (!s.running()) notify("The run never reaches note " + std::to_string(k) + ".");  // running: on the worker
    }

    NarrationIndex m_index;
};

}  // namespace
TASKLAB_REGISTER_PANEL(CaptionPanel)
TASKLAB_REGISTER_PANEL(ChaptersPanel)
}  // namespace tasklab::viz
