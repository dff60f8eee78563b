// The App: sessions, shared state, the fixed layout and the per-frame driving.
#include "app.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>

#include "scenarios/catalog.hpp"

namespace tasklab::viz {

namespace {

#ifdef TASKLAB_SCENARIO_DIR
constexpr const char* k_scenario_dir = TASKLAB_SCENARIO_DIR;
#else
constexpr const char* k_scenario_dir = "scenarios";
#endif

}  // namespace

App::App(AppOptions options) : m_options(std::move(options)) {
    m_theme.set_scale(m_options.scale);
    m_theme.set_kind(m_options.theme);
    for (const PanelFactory& make : panel_factories()) m_panels.push_back(make(*this));
    std::stable_sort(m_panels.begin(), m_panels.end(),
                     [](const auto& a, const auto& b) { return a->order() < b->order(); });
    for (std::size_t i = 0; i < m_options.files.size() && i < 2; ++i) {
        if (i == 0) open(m_options.files[i]);
        else open_compare(m_options.files[i]);
    }
    m_ui.axis = m_options.axis.value_or(!m_sessions.empty() && m_sessions[0] ? default_axis(*m_sessions[0])
                                                                              : TimeAxis::virtual_time);
    m_ui.axis_chosen = m_options.axis.has_value();
    m_ui.selected_task = m_options.select;
    for (auto& s : m_sessions) {
        if (m_options.step) s->seek(*m_options.step);
        else if (m_options.start_at_end) s->run_to_end();
    }
    m_ui.show_help = m_options.show_help;
    if (m_options.presenter) set_presenter(true);
}

App::~App() = default;

TimeAxis default_axis(const Session& session) {
    if (!session.has_run()) return TimeAxis::virtual_time;
    const bool timeless = session.total_time() == 0;
    return timeless || session.instants().crowded() ? TimeAxis::time_and_steps : TimeAxis::virtual_time;
}

void App::open(const std::string& path) {
    auto s = std::make_unique<Session>(path);
    if (m_sessions.empty()) m_sessions.push_back(std::move(s));
    else m_sessions[0] = std::move(s);
    m_ui.selected_task = 0;
    m_ui.selected_event.reset();
    m_ui.folded.clear();
    m_ui.selected_line = 0;
    m_ui.breakpoints.lines.clear();  // lines of another file
    m_text_seen[0] = {};
    if (!m_ui.axis_chosen) m_ui.axis = default_axis(*m_sessions[0]);
}

void App::open_compare(const std::string& path) {
    auto s = std::make_unique<Session>(path);
    if (m_sessions.size() < 2) m_sessions.resize(2);
    m_sessions[1] = std::move(s);
    m_text_seen[1] = {};
}

void App::close_compare() {
    if (m_sessions.size() > 1) m_sessions.resize(1);
}

void App::set_presenter(bool on) {
    if (on == m_ui.presenter) return;
    m_ui.presenter = on;
    m_ui.spotlight = on;
    if (on) {
        m_normal_scale = m_theme.scale();
        m_normal_kind = m_theme.kind();
        m_normal_legend = m_ui.show_legend;
        m_theme.set_scale(std::max(m_normal_scale * 1.5f, 1.5f));
        m_theme.set_kind(ThemeKind::high_contrast);
        m_ui.show_legend = false;  // the lanes need the room; L shows it again
    } else {
        m_theme.set_scale(m_normal_scale);
        m_theme.set_kind(m_normal_kind);
        m_ui.show_legend = m_normal_legend;
    }
}

const std::vector<ScenarioEntry>& App::bundled_scenarios() {
    if (m_bundled) return *m_bundled;
    m_bundled.emplace();
    const std::string dir = m_options.scenario_dir.empty() ? std::string(k_scenario_dir) : m_options.scenario_dir;
    for (CatalogEntry& e : list_scenarios(dir)) {
        if (e.title.empty()) e.title = std::filesystem::path(e.path).filename().string();
        m_bundled->push_back(ScenarioEntry{std::move(e.path), std::move(e.title), std::move(e.group)});
        m_theme.add_text(m_bundled->back().title);
    }
    return *m_bundled;
}

Panel* App::find_panel(std::string_view title) const {
    for (const auto& p : m_panels)
        if (p->title() == title) return p.get();
    return nullptr;
}

std::pair<ImVec2, ImVec2> App::slot_rect(PanelSlot slot) const { return m_slots[static_cast<std::size_t>(slot)]; }

void App::collect_text(Session& s) {
    const std::size_t which = (&s == session()) ? 0 : 1;
    TextSeen& seen = m_text_seen[which];
    if (seen.session != &s) {
        seen = {};
        seen.session = &s;
        m_theme.add_text(s.title());
    }
    if (s.latest_source() && seen.epoch == ~std::uint64_t{0}) m_theme.add_text(s.latest_source()->text());
    if (!s.has_run()) return;
    if (seen.epoch != s.epoch()) {
        seen.epoch = s.epoch();
        seen.output_lines = 0;
        seen.tasks = 0;
        m_theme.add_text(s.source().text());
        for (const auto& note : s.program().notes) m_theme.add_text(note);
        for (const auto& d : s.diagnostics().items()) m_theme.add_text(d.message);
    }
    const auto& out = s.controller().output();
    for (; seen.output_lines < out.size(); ++seen.output_lines) m_theme.add_text(out[seen.output_lines].text);
    const auto& tasks = s.trace().tasks();
    for (; seen.tasks < tasks.size(); ++seen.tasks) m_theme.add_text(tasks[seen.tasks].name);
}

bool App::prepare_frame() {
    for (auto& s : m_sessions)
        if (s) collect_text(*s);
    if (m_sessions.empty()) (void)bundled_scenarios();
    if (!m_theme.fonts_dirty()) return false;
    m_theme.rebuild_fonts();
    return true;
}

void App::layout(ImVec2 origin, ImVec2 size) {
    auto has = [&](PanelSlot slot) {
        return std::any_of(m_panels.begin(), m_panels.end(),
                           [&](const auto& p) { return p->visible() && p->slot() == slot; });
    };
    const float gap = 0.0f;
    float toolbar_h = 0.0f;
    for (const auto& p : m_panels)
        if (p->visible() && p->slot() == PanelSlot::toolbar) toolbar_h = std::max(toolbar_h, p->preferred_height());
    if (toolbar_h <= 0.0f && has(PanelSlot::toolbar)) toolbar_h = std::round(m_theme.font_size() * 4.6f);
    const bool bottom = has(PanelSlot::left) || has(PanelSlot::center) || has(PanelSlot::right);
    const float rest_h = size.y - toolbar_h;
    const float timeline_h = bottom ? std::round(rest_h * 0.58f) : rest_h;
    const float bottom_y = origin.y + toolbar_h + timeline_h + gap;
    const float bottom_h = origin.y + size.y - bottom_y;
    m_slots[static_cast<std::size_t>(PanelSlot::toolbar)] = {origin, ImVec2(origin.x + size.x, origin.y + toolbar_h)};
    m_slots[static_cast<std::size_t>(PanelSlot::timeline)] = {ImVec2(origin.x, origin.y + toolbar_h),
                                                              ImVec2(origin.x + size.x, origin.y + toolbar_h + timeline_h)};
    // Bottom row: left (tree) 22 %, center (source) 40 %, right (output, events, queue) 38 %;
    // an empty column gives its width to the others.
    const float weights[3] = {has(PanelSlot::left) ? 0.22f : 0.0f, has(PanelSlot::center) ? 0.40f : 0.0f,
                              has(PanelSlot::right) ? 0.38f : 0.0f};
    const float total = weights[0] + weights[1] + weights[2];
    float x = origin.x;
    const PanelSlot cols[3] = {PanelSlot::left, PanelSlot::center, PanelSlot::right};
    for (int i = 0; i < 3; ++i) {
        const float w = total > 0 ? std::round(size.x * weights[i] / total) : 0.0f;
        const float x1 = (i == 2 || x + w > origin.x + size.x) ? origin.x + size.x : x + w;
        m_slots[static_cast<std::size_t>(cols[i])] = {ImVec2(x, bottom_y), ImVec2(weights[i] > 0 ? x1 : x, bottom_y + bottom_h)};
        if (weights[i] > 0) x = x1;
    }
    m_slots[static_cast<std::size_t>(PanelSlot::overlay)] = {origin, ImVec2(origin.x + size.x, origin.y + size.y)};
}

namespace {

double thread_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

}  // namespace

void App::frame(double dt_seconds) {
    const double t_update = thread_cpu_ms();
    for (auto& s : m_sessions)
        if (s) s->update(dt_seconds, m_play_stop);
    m_update_cpu_ms += thread_cpu_ms() - t_update;
    m_panel_cpu_ms.resize(m_panels.size(), 0.0);
    auto timed_draw = [&](Panel* p, ImVec2 pos, ImVec2 size) {
        const double t0 = thread_cpu_ms();
        p->draw(pos, size);
        for (std::size_t i = 0; i < m_panels.size(); ++i)
            if (m_panels[i].get() == p) m_panel_cpu_ms[i] += thread_cpu_ms() - t0;
    };
    m_ui.hovered_event.reset();
    m_ui.hovered_task = 0;
    for (const auto& p : m_panels) p->pre_frame();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    layout(vp->WorkPos, vp->WorkSize);

    // Panels sharing a slot are stacked top to bottom by weight.
    for (std::size_t slot = 0; slot < m_slots.size(); ++slot) {
        const auto kind = static_cast<PanelSlot>(slot);
        std::vector<Panel*> here;
        float weight_sum = 0;
        for (const auto& p : m_panels)
            if (p->visible() && p->slot() == kind) {
                here.push_back(p.get());
                weight_sum += p->weight();
            }
        if (here.empty()) continue;
        const auto [lo, hi] = m_slots[slot];
        if (kind == PanelSlot::overlay) {
            for (Panel* p : here) timed_draw(p, lo, ImVec2(hi.x - lo.x, hi.y - lo.y));
            continue;
        }
        float y = lo.y;
        for (std::size_t i = 0; i < here.size(); ++i) {
            const float h = i + 1 == here.size() ? hi.y - y : std::round((hi.y - lo.y) * here[i]->weight() / weight_sum);
            timed_draw(here[i], ImVec2(lo.x, y), ImVec2(hi.x - lo.x, h));
            y += h;
        }
    }
}

}  // namespace tasklab::viz
