// The App: sessions, shared state, the fixed layout and the per-frame driving.
#include "app.hpp"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <cstdio>
#include <filesystem>
#include <functional>

#include "scenarios/catalog.hpp"
#include "viz/layout_report.hpp"

namespace tasklab::viz {

namespace {

#ifdef TASKLAB_SCENARIO_DIR
constexpr const char* k_scenario_dir = TASKLAB_SCENARIO_DIR;
#else
constexpr const char* k_scenario_dir = "scenarios";
#endif

}  // namespace

App::App(AppOptions options) : m_options(std::move(options)) {
    m_scale_wanted = m_options.scale;
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
    if (!m_sessions.empty() && m_sessions[0]->has_run()) m_axis_serial = m_sessions[0]->serial();
    m_ui.selected_task = m_options.select;
    m_outcome_requests = m_options.outcomes;
    if (m_options.show_outcomes || !m_outcome_requests.empty()) {
        m_ui.show_outcomes = true;
        explore_outcomes();
        if (m_options.wait_seconds < 0) {
            // Headless: every picture shows a settled search.
            m_explorer.wait(-1);
            apply_outcome_requests();
            for (auto& s : m_sessions)
                if (s) s->settle(-1);
        }
    }
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

std::string App::explore_key() const {
    if (m_sessions.empty() || !m_sessions[0] || !m_sessions[0]->has_run()) return {};
    const Session& s = *m_sessions[0];
    // Hashed once per text read (a reload or an outcome shown reads it anew).
    if (&s.source() != m_key_source || s.source().text().size() != m_key_size) {
        m_key_source = &s.source();
        m_key_size = s.source().text().size();
        m_key = s.path() + '\n' + std::to_string(std::hash<std::string>{}(s.source().text()));
    }
    return m_key;
}

void App::explore_outcomes() {
    const std::string key = explore_key();
    if (key.empty() || (m_explorer.started() && m_explorer.key() == key)) return;
    auto program = m_sessions[0]->fresh_program();  // explored runs mark their program: never the window's
    if (!program) return;
    ExploreOptions options;
    options.run = m_options.run;
    options.run.lints = false;
    m_outcomes_text_added = false;
    m_explorer.start(std::move(program), options, key);
}

bool App::show_outcome(std::size_t which, std::size_t number) {
    Session* s = run(which);
    const ExploreResult* r = m_explorer.result();
    if (!s || !s->has_run() || !r || m_explorer.key() != explore_key()) return false;
    // Run B shows an outcome only when it is the explored text too.
    if (s->path() != m_sessions[0]->path() || s->source().text() != m_sessions[0]->source().text()) return false;
    if (number == 0) {
        s->show_default_order();
        return true;
    }
    if (number > r->outcomes.size()) return false;
    return s->show_outcome(number, r->outcomes[number - 1].script, m_explorer.options().preemptions);
}

bool App::compare_outcome(std::size_t number) {
    Session* a = run(0);
    if (!a || !a->has_run()) return false;
    Session* b = run(1);
    if (!b || b->path() != a->path()) open_compare(a->path());
    // Run B may still be loading: the request waits for it (apply_outcome_requests).
    m_outcome_requests = {0, number};
    apply_outcome_requests();
    return true;
}

void App::apply_outcome_requests() {
    if (m_outcome_requests.empty() || !m_explorer.result()) return;
    // Each run must have loaded its file first.
    for (std::size_t i = 0; i < m_outcome_requests.size() && i < m_sessions.size(); ++i)
        if (!m_sessions[i] || !m_sessions[i]->has_run() || m_sessions[i]->running()) return;
    const auto requests = std::exchange(m_outcome_requests, {});
    for (std::size_t i = 0; i < requests.size() && i < m_sessions.size(); ++i) {
        if (requests[i] == 0) continue;
        if (!show_outcome(i, requests[i]))
            std::fprintf(stderr, "tasklab-viz: there is no outcome %zu (the search found %zu)\n", requests[i],
                         m_explorer.result()->outcomes.size());
    }
}

void App::open(const std::string& path) {
    focus_run(0);
    auto s = std::make_unique<Session>(path, m_options.run, m_options.wait_seconds);
    if (m_sessions.empty()) m_sessions.push_back(std::move(s));
    else m_sessions[0] = std::move(s);
    m_ui.selected_task = 0;
    m_ui.selected_event.reset();
    m_ui.folded.clear();
    m_ui.selected_line = 0;
    m_ui.breakpoints.lines.clear();  // lines of another file
    m_text_seen[0] = {};
    if (!m_ui.axis_chosen) m_ui.axis = default_axis(*m_sessions[0]);
    m_axis_serial = m_sessions[0]->has_run() ? m_sessions[0]->serial() : 0;
}

void App::open_compare(const std::string& path) {
    focus_run(0);
    auto s = std::make_unique<Session>(path, m_options.run, m_options.wait_seconds);
    if (m_sessions.size() < 2) m_sessions.resize(2);
    m_sessions[1] = std::move(s);
    m_text_seen[1] = {};
    m_other_run_ui = {};
}

void App::close_compare() {
    focus_run(0);
    if (m_sessions.size() > 1) m_sessions.resize(1);
    m_other_run_ui = {};
}

void App::swap_run_ui() {
    std::swap(m_ui.selected_task, m_other_run_ui.selected_task);
    std::swap(m_ui.selected_event, m_other_run_ui.selected_event);
    std::swap(m_ui.folded, m_other_run_ui.folded);
    std::swap(m_ui.selected_line, m_other_run_ui.selected_line);
}

void App::focus_run(std::size_t i) {
    if (i == m_focus || i >= m_sessions.size()) {
        if (m_sessions.size() < 2) m_focus = 0;
        return;
    }
    swap_run_ui();
    m_focus = i;
    if (Session* s = session()) s->set_playing(false);
    if (Session* s = compare_session()) s->set_playing(false);
}

void App::set_presenter(bool on) {
    if (on == m_ui.presenter) return;
    m_ui.presenter = on;
    m_ui.spotlight = on;
    if (on) {
        m_normal_scale = m_scale_wanted;
        m_normal_kind = m_theme.kind();
        m_normal_legend = m_ui.show_legend;
        m_scale_wanted = std::max(m_normal_scale * 1.5f, 1.5f);
        m_theme.set_scale(fit_scale(m_scale_wanted));
        m_theme.set_kind(ThemeKind::high_contrast);
        m_ui.show_legend = false;  // the lanes need the room; L shows it again
    } else {
        m_scale_wanted = m_normal_scale;
        m_theme.set_scale(fit_scale(m_scale_wanted));
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

void App::collect_text(Session& s, std::size_t which) {
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
    // The Outcomes view shows lines other orders printed, and names in its divergence texts.
    if (which == 0 && !m_outcomes_text_added && m_explorer.result()) {
        m_outcomes_text_added = true;
        m_theme.add_text("\u2192\u2260\u2026\u00B7\u25C6\u25C7");
        for (const OutcomeRow& row : m_explorer.rows()) {
            m_theme.add_text(row.divergence);
            m_theme.add_text(row.ending);
            for (const OutcomeLine& l : row.lines) m_theme.add_text(l.text);
        }
    }
}

float App::fit_scale(float wanted) const {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    if (display.x <= 0 || display.y <= 0) return wanted;  // before the first frame
    constexpr float base_font = 17.0f;  // Theme::font_size() at scale 1
    // Two runs one above the other need more lines (their labels and captions).
    const float lines = m_sessions.size() > 1 ? 38.0f : 30.0f;
    const float cap = std::min(display.y / (base_font * lines), display.x / (base_font * 40.0f));
    return std::min(wanted, std::max(0.75f, std::floor(cap * 20.0f) / 20.0f));
}

bool App::prepare_frame() {
    // Keep the scale the window can hold (the window may have been resized).
    m_theme.set_scale(fit_scale(m_scale_wanted));
    for (std::size_t i = 0; i < m_sessions.size() && i < m_text_seen.size(); ++i)
        if (m_sessions[i]) collect_text(*m_sessions[i], i);
    if (m_sessions.empty()) (void)bundled_scenarios();
    if (!m_theme.fonts_dirty()) return false;
    m_theme.rebuild_fonts();
    return true;
}

void App::layout(ImVec2 origin, ImVec2 size) {
    auto visible_in = [&](PanelSlot slot) {
        std::vector<Panel*> out;
        for (const auto& p : m_panels)
            if (p->visible() && p->slot() == slot) out.push_back(p.get());
        return out;
    };
    auto put = [&](PanelSlot slot, ImVec2 lo, ImVec2 hi) { m_slots[static_cast<std::size_t>(slot)] = {lo, hi}; };
    const ImGuiStyle& style = ImGui::GetStyle();
    const float line = ImGui::GetTextLineHeightWithSpacing();

    // The toolbar: as tall as its rows (it wraps them to the window's width).
    float toolbar_h = 0.0f;
    const auto toolbar = visible_in(PanelSlot::toolbar);
    for (Panel* p : toolbar) toolbar_h = std::max(toolbar_h, p->preferred_height());
    if (toolbar_h <= 0.0f && !toolbar.empty()) toolbar_h = std::round(m_theme.font_size() * 4.6f);
    toolbar_h = std::min(toolbar_h, std::round(size.y * 0.4f));

    // The lower row's columns, each with the panels it stacks.
    const PanelSlot cols[3] = {PanelSlot::left, PanelSlot::center, PanelSlot::right};
    std::array<std::vector<Panel*>, 3> column;
    bool bottom = false;
    for (int i = 0; i < 3; ++i) {
        column[static_cast<std::size_t>(i)] = visible_in(cols[i]);
        bottom = bottom || !column[static_cast<std::size_t>(i)].empty();
    }
    const float rest = size.y - toolbar_h;

    // The caption's band (under the lanes, never over them): as tall as its longest text at
    // this width, within a quarter of the room; it shrinks its font to fit (never cuts).
    float caption_h = 0.0f;
    for (Panel* p : visible_in(PanelSlot::caption))
        caption_h = std::max(caption_h, p->layout_wish(size.x).full);
    caption_h = std::min(std::round(caption_h), std::round(rest * 0.25f));

    // The timeline wants every lane at full height; it gets at least every lane at the least
    // readable height while the lower panels can give way (tabs, then a bare tab strip).
    LayoutWish wish;
    for (Panel* p : visible_in(PanelSlot::timeline)) {
        const LayoutWish w = p->layout_wish(size.x);
        wish.full = std::max(wish.full, w.full);
        wish.least = std::max(wish.least, w.least);
    }
    const float strip_h = std::round(ImGui::GetFrameHeight() + 2 * style.WindowPadding.y * 0.5f);
    // The lanes come before the caption's size: when they would not fit at their least height,
    // the caption's band gives way down to two lines of text (its font shrinks to fit).
    if (caption_h > 0 && wish.least > 0 && rest - caption_h - (bottom ? strip_h : 0.0f) < wish.least)
        caption_h = std::max(std::round(m_theme.font_size() * 2.0f), rest - (bottom ? strip_h : 0.0f) - wish.least);
    caption_h = std::min(caption_h, std::round(rest * 0.25f));
    const float avail = rest - caption_h;
    const float panel_least = std::round(ImGui::GetFrameHeight() + 3 * line + 2 * style.WindowPadding.y);  // title + 3 lines
    float timeline_h = avail;
    bool collapsed = false;
    if (bottom) {
        timeline_h = std::round(avail * 0.58f);
        if (wish.full > 0) {
            // Room to spare: the lower panels take it (not below 40 % for the timeline).
            if (wish.full < timeline_h) timeline_h = std::max(wish.full, std::round(avail * 0.4f));
            // Short of room: the lower panels give way down to one readable panel...
            if (wish.full > timeline_h) timeline_h = std::max(timeline_h, std::min(wish.full, avail - panel_least));
            if (wish.least > timeline_h) timeline_h = std::max(timeline_h, std::min(wish.least, avail - panel_least));
            // ... then to bare tab strips (a click on a tab opens them again).
            if (wish.least > timeline_h && !m_lower_opened) {
                timeline_h = std::max(timeline_h, std::min(wish.least, avail - strip_h));
                collapsed = true;
            }
        }
        if (!collapsed) m_lower_opened = m_lower_opened && wish.least > avail - panel_least;
    }
    // Collapsed to bare strips: the lanes take all the rest.
    if (bottom && (collapsed || avail - timeline_h < panel_least) && !m_lower_opened) {
        timeline_h = std::max(timeline_h, avail - strip_h);
        collapsed = true;
    }
    const float caption_y = origin.y + toolbar_h + timeline_h;
    const float bottom_y = caption_y + caption_h;
    const float bottom_h = origin.y + size.y - bottom_y;
    collapsed = collapsed || (bottom && bottom_h < panel_least);
    put(PanelSlot::toolbar, origin, ImVec2(origin.x + size.x, origin.y + toolbar_h));
    put(PanelSlot::timeline, ImVec2(origin.x, origin.y + toolbar_h), ImVec2(origin.x + size.x, caption_y));
    put(PanelSlot::caption, ImVec2(origin.x, caption_y), ImVec2(origin.x + size.x, bottom_y));

    // Bottom row: left (tree) 22 %, center (source) 40 %, right (output, events, queue) 38 %;
    // an empty column gives its width to the others. A column too short for its panels
    // stacked shows them one at a time under a tab strip.
    const float weights[3] = {column[0].empty() ? 0.0f : 0.22f, column[1].empty() ? 0.0f : 0.40f,
                              column[2].empty() ? 0.0f : 0.38f};
    const float total = weights[0] + weights[1] + weights[2];
    float x = origin.x;
    for (int i = 0; i < 3; ++i) {
        const auto ci = static_cast<std::size_t>(i);
        const float w = total > 0 ? std::round(size.x * weights[i] / total) : 0.0f;
        const float x1 = (i == 2 || x + w > origin.x + size.x) ? origin.x + size.x : x + w;
        const ImVec2 lo(x, bottom_y), hi(weights[i] > 0 ? x1 : x, bottom_y + bottom_h);
        TabColumn& tc = m_columns[ci];
        const auto& here = column[ci];
        tc.collapsed = collapsed && !here.empty();
        tc.tabs = !here.empty() && (tc.collapsed || static_cast<float>(here.size()) * panel_least > bottom_h);
        if (tc.tabs) {
            if (std::none_of(here.begin(), here.end(), [&](Panel* p) { return p->title() == tc.open; }))
                tc.open = here.front()->title();
            tc.strip = {lo, ImVec2(hi.x, std::min(hi.y, lo.y + strip_h))};
            put(cols[i], ImVec2(lo.x, tc.strip.second.y), hi);
        } else {
            put(cols[i], lo, hi);
        }
        for (Panel* p : here) p->set_title_bar(!tc.tabs);
        if (weights[i] > 0) x = x1;
    }
    for (Panel* p : visible_in(PanelSlot::timeline)) p->set_title_bar(false);
    put(PanelSlot::overlay, origin, ImVec2(origin.x + size.x, origin.y + size.y));
}

void App::draw_tab_strips() {
    const PanelSlot cols[3] = {PanelSlot::left, PanelSlot::center, PanelSlot::right};
    for (std::size_t i = 0; i < 3; ++i) {
        TabColumn& tc = m_columns[i];
        if (!tc.tabs) continue;
        const auto [lo, hi] = tc.strip;
        if (hi.x - lo.x < 4 || hi.y - lo.y < 4) continue;
        ImGui::SetNextWindowPos(lo);
        ImGui::SetNextWindowSize(ImVec2(hi.x - lo.x, hi.y - lo.y));
        ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(4, ImGui::GetStyle().WindowPadding.y * 0.5f));
        const std::string name = "##tabs" + std::to_string(i);
        ImGui::Begin(name.c_str(), nullptr,
                     ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                         ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
        ImGui::PopStyleVar();
        if (ImGui::BeginTabBar("##lower", ImGuiTabBarFlags_FittingPolicyResizeDown | ImGuiTabBarFlags_NoTooltip)) {
            for (const auto& p : m_panels) {
                if (!p->visible() || p->slot() != cols[i]) continue;
                const std::string& title = p->title();
                const std::string label = title.substr(0, title.find("##")) + "###tab" + title;
                // The tab bar remembers its selection; selecting by hand only when told to.
                const bool clicked_open = ImGui::BeginTabItem(label.c_str());
                if (ImGui::IsItemClicked() && tc.collapsed) m_lower_opened = true;
                if (clicked_open) {
                    tc.open = title;
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
        }
        ImGui::End();
    }
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
    // A search that went to the worker selects what it found when it arrives (as a jump does).
    if (Session* s = session(); s && s->has_run())
        if (const auto found = s->take_found_event(); found && *found < s->trace().size()) {
            m_ui.selected_event = *found;
            if (const TaskId t = s->trace().at(*found).task; t != 0) m_ui.selected_task = t;
        }
    // A file whose probe run went to the worker gets its axis when the run arrives.
    if (Session* s = run(0); s && s->has_run() && s->serial() != m_axis_serial) {
        m_axis_serial = s->serial();
        if (!m_ui.axis_chosen) m_ui.axis = default_axis(*s);
    }
    if (!m_outcome_requests.empty()) apply_outcome_requests();
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
    for (const auto& p : m_panels) {
        p->pre_frame();
        p->reset_drawn();
    }

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    layout(vp->WorkPos, vp->WorkSize);

    draw_tab_strips();
    // Panels sharing a slot are stacked top to bottom by weight (or, under a tab strip, the
    // open one fills the slot; a collapsed column shows only its strip).
    for (std::size_t slot = 0; slot < m_slots.size(); ++slot) {
        const auto kind = static_cast<PanelSlot>(slot);
        std::vector<Panel*> here;
        float weight_sum = 0;
        const int col = kind == PanelSlot::left ? 0 : kind == PanelSlot::center ? 1 : kind == PanelSlot::right ? 2 : -1;
        const TabColumn* tabs = col >= 0 && m_columns[static_cast<std::size_t>(col)].tabs ? &m_columns[static_cast<std::size_t>(col)] : nullptr;
        for (const auto& p : m_panels)
            if (p->visible() && p->slot() == kind) {
                if (tabs && (tabs->collapsed || p->title() != tabs->open)) continue;
                here.push_back(p.get());
                weight_sum += p->weight();
            }
        if (here.empty()) continue;
        const auto [lo, hi] = m_slots[slot];
        if (kind == PanelSlot::overlay) {
            for (Panel* p : here) timed_draw(p, lo, ImVec2(hi.x - lo.x, hi.y - lo.y));
            continue;
        }
        if (hi.y - lo.y < 1 || hi.x - lo.x < 1) continue;
        float y = lo.y;
        for (std::size_t i = 0; i < here.size(); ++i) {
            const float h = i + 1 == here.size() ? hi.y - y : std::round((hi.y - lo.y) * here[i]->weight() / weight_sum);
            timed_draw(here[i], ImVec2(lo.x, y), ImVec2(hi.x - lo.x, h));
            y += h;
        }
    }
    if (m_layout_report) record_windows();
}

void App::record_windows() {
    LayoutReport& r = *m_layout_report;
    r.mode = m_sessions.size() > 1 ? "compare" : "normal";
    r.presenter = m_ui.presenter;
    r.scale = m_theme.scale();
    for (RunReport& run : r.runs) run.focused = (run.tag == "A" ? 0u : 1u) == (m_sessions.size() > 1 ? m_focus : 0u);
    auto rect = [](const std::pair<ImVec2, ImVec2>& p) { return ReportRect{p.first.x, p.first.y, p.second.x, p.second.y}; };
    r.windows.clear();
    for (std::size_t i = 0; i < m_columns.size(); ++i)
        if (m_columns[i].tabs)
            r.windows.push_back(WindowReport{"##tabs" + std::to_string(i), rect(m_columns[i].strip), rect(m_columns[i].strip), false});
    for (const auto& p : m_panels) {
        if (!p->drawn()) continue;
        r.windows.push_back(WindowReport{p->title(), rect(p->last_rect()), rect(p->last_content()), p->scrolls()});
    }
}

}  // namespace tasklab::viz
