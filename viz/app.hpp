// The visualizer's application object: the open scenarios, the shared UI state, the panels.
//
// main.cpp owns the window and the frame loop and calls, each frame:
//   app.prepare_frame()  before ImGui::NewFrame (rebuilds the font atlas when needed; main then
//                        re-uploads the texture)
//   app.frame(dt)        after NewFrame: advances playing sessions, lays the panels out in a
//                        fixed grid that fills the viewport, draws them
// Panels see the App (sessions, UI state, theme) and nothing of the window or GL.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <imgui.h>

#include "viz/model/breakpoints.hpp"
#include "viz/model/outcome_list.hpp"
#include "viz/panels/panel.hpp"
#include "viz/session.hpp"
#include "viz/theme.hpp"

namespace tasklab::viz {

struct LayoutReport;

/// What the scenario picker is open for.
enum class PickerMode : std::uint8_t {
    closed,
    open,     ///< the chosen file replaces the scenario shown
    compare,  ///< the chosen file is compared with the scenario shown
};

/// UI state shared by the panels (selection, hover, axis, folds, presenter settings).
struct UiState {
    TaskId selected_task = 0;                    ///< 0: none
    std::optional<std::uint64_t> selected_event; ///< clicked event (the source panel shows its line)
    std::optional<std::uint64_t> hovered_event;  ///< event under the mouse this frame (any panel)
    TaskId hovered_task = 0;                     ///< lane/tree row under the mouse this frame
    TimeAxis axis = TimeAxis::virtual_time;      ///< the timeline's x axis (TimeAxis is in timeline_layout.hpp)
    bool axis_chosen = false;                    ///< the axis was picked (--axis, V, the toolbar): keep it on open
    std::set<TaskId> folded;                     ///< tasks whose subtree lanes are hidden
    bool spotlight = false;                      ///< presenter: dim every lane but the current task's
    bool show_legend = true;                     ///< the timeline's legend strip
    bool show_help = false;                      ///< the keyboard help overlay
    bool show_outcomes = false;                  ///< the Outcomes view (X); the event log gives it its room
    PickerMode picker = PickerMode::closed;      ///< the scenario picker (always shown without a scenario)
    bool presenter = false;                      ///< presenter mode (App::set_presenter)
    Breakpoints breakpoints;                     ///< where playing and stepping stop
    std::uint32_t selected_line = 0;             ///< source line clicked last (B toggles its breakpoint)
};

/// A bundled scenario (for the picker).
struct ScenarioEntry {
    std::string path;
    std::string title;
    std::string group;  ///< "swift", "gcd", "asyncio"
};

/// Command-line settings main.cpp hands to the App.
struct AppOptions {
    std::vector<std::string> files;  ///< first: the main scenario; second: compare with it
    std::optional<std::uint64_t> step;  ///< start at this step (default: 0, or the end with `at_end`)
    bool start_at_end = false;
    float scale = 1.0f;
    ThemeKind theme = ThemeKind::dark;
    bool presenter = false;  ///< start in presenter mode
    bool show_help = false;  ///< start with the keyboard help shown
    /// The axis to start on; unset: default_axis() of the scenario.
    std::optional<TimeAxis> axis;
    TaskId select = 0;  ///< a task to select at start (0: none)
    std::string scenario_dir;  ///< --dir: the folder the picker lists ("": the bundled scenarios)
    RunOptions run;            ///< how the sessions run their scenarios (--statement-budget)
    /// --outcome K / --compare-outcomes J K: the explored outcome (1-based) each run opens on
    /// (0: tasklab's own order); a non-empty list also shows the Outcomes view.
    std::vector<std::size_t> outcomes;
    bool show_outcomes = false;  ///< start with the Outcomes view shown (it explores at once)
    /// How long the sessions' verbs wait for the worker thread before the window draws on
    /// (Session::k_wait_seconds); negative: until it is done (the headless modes).
    double wait_seconds = Session::k_wait_seconds;
};

/// The axis a scenario opens on: time and steps when key events would otherwise overlap —
/// some instant holding several steps holds two or more glyphs (InstantTable::crowded), which
/// the time axis draws in one pixel column at any zoom — or when the run takes no virtual time
/// (everything would sit in one column); otherwise virtual time.
TimeAxis default_axis(const Session& session);

class App {
public:
    explicit App(AppOptions options);
    ~App();
    App(const App&) = delete;
    App& operator=(const App&) = delete;

    // ---- sessions ----
    /// The scenario shown, or nullptr (the picker is shown). When comparing, the run in focus:
    /// the one the toolbar drives and the lower panels show (focus_run()).
    [[nodiscard]] Session* session() {
        return m_sessions.empty() ? nullptr : m_sessions[m_sessions.size() > 1 ? m_focus : 0].get();
    }
    /// When comparing, the other run (it follows the focused run's cursor), else nullptr.
    [[nodiscard]] Session* compare_session() { return m_sessions.size() > 1 ? m_sessions[1 - m_focus].get() : nullptr; }
    /// Run 0 (A: the first file) or run 1 (B: the compared one), or nullptr.
    [[nodiscard]] Session* run(std::size_t i) { return i < m_sessions.size() ? m_sessions[i].get() : nullptr; }
    /// Which run (0: A, 1: B) the toolbar drives and the lower panels show.
    [[nodiscard]] std::size_t focused_run() const { return m_focus; }
    /// Gives the focus to run `i`: each run keeps its own selection and folds, so the UiState's
    /// per-run part (selected task and event, folds, selected line) is swapped with the other
    /// run's.
    void focus_run(std::size_t i);
    /// Swaps the UiState's per-run part with the unfocused run's (and back on the next call):
    /// the compare view draws the unfocused run's lanes in between, with that run's selection.
    void swap_run_ui();
    /// Opens `path` as the scenario shown (replacing the current one; keeps a compared one).
    void open(const std::string& path);
    /// Opens `path` as the compared scenario.
    void open_compare(const std::string& path);
    void close_compare();
    /// Presenter mode on or off: a larger UI scale (fonts rebuilt at that size), the
    /// high-contrast theme, the spotlight on the current lane and no legend; off restores the
    /// look before.
    void set_presenter(bool on);
    /// The scenarios the picker lists (the bundled ones, or those of --dir), by folder then file
    /// name, with titles.
    [[nodiscard]] const std::vector<ScenarioEntry>& bundled_scenarios();
    /// The folder the picker lists ("": the bundled scenarios); setting it lists it anew.
    [[nodiscard]] const std::string& scenario_dir() const { return m_options.scenario_dir; }
    void set_scenario_dir(std::string dir) {
        m_options.scenario_dir = std::move(dir);
        m_bundled.reset();
    }

    // ---- the race explorer (the Outcomes view) ----
    /// The explorer of run A's file: every order a real runtime could take, off the window's thread.
    [[nodiscard]] OutcomeExplorer& explorer() { return m_explorer; }
    /// What the explorer explores for run A's text: its path and a hash of its text.
    [[nodiscard]] std::string explore_key() const;
    /// Starts exploring run A's text (a copy parsed for the explorer) unless the explorer has
    /// it already or explores it now.
    void explore_outcomes();
    /// Shows explored outcome `number` (1-based) in run `run` (0: A, 1: B) when that run shows
    /// the explored text; 0: tasklab's own order. False when it cannot.
    bool show_outcome(std::size_t run, std::size_t number);
    /// Puts outcome `number` under run A, comparing it (opens run B on A's file when needed).
    bool compare_outcome(std::size_t number);

    // ---- shared state ----
    [[nodiscard]] UiState& ui() { return m_ui; }
    [[nodiscard]] Theme& theme() { return m_theme; }
    /// Stop condition while playing (breakpoints). Empty: play to the end.
    void set_play_stop(EventPredicate stop) { m_play_stop = std::move(stop); }
    [[nodiscard]] const EventPredicate& play_stop() const { return m_play_stop; }
    /// Asks main to save a PNG of the next rendered frame.
    void request_screenshot(std::string path) { m_screenshot_request = std::move(path); }
    /// The pending screenshot path ("" when none); clears the request.
    std::string take_screenshot_request() { return std::exchange(m_screenshot_request, {}); }
    /// Where the timeline records what it drew each frame (--screenshot's layout sidecar, see
    /// viz/layout_report.hpp), or nullptr (the default: nothing is recorded).
    [[nodiscard]] LayoutReport* layout_report() const { return m_layout_report; }
    void set_layout_report(LayoutReport* report) { m_layout_report = report; }
    /// Ends the frame loop.
    void request_quit() { m_quit = true; }
    [[nodiscard]] bool quit_requested() const { return m_quit; }

    // ---- panels ----
    [[nodiscard]] const std::vector<std::unique_ptr<Panel>>& panels() const { return m_panels; }
    /// The panel with this window title, or nullptr.
    [[nodiscard]] Panel* find_panel(std::string_view title) const;
    /// The rectangle of a slot in the current layout (min, max in screen pixels).
    [[nodiscard]] std::pair<ImVec2, ImVec2> slot_rect(PanelSlot slot) const;
    /// CPU milliseconds spent so far in each panel's draw (parallel to panels()) and in
    /// advancing the sessions: for `--bench-frames`.
    [[nodiscard]] const std::vector<double>& panel_cpu_ms() const { return m_panel_cpu_ms; }
    [[nodiscard]] double update_cpu_ms() const { return m_update_cpu_ms; }
    void reset_cpu_counters() {
        m_panel_cpu_ms.assign(m_panels.size(), 0.0);
        m_update_cpu_ms = 0;
    }

    // ---- the frame ----
    /// Before ImGui::NewFrame: rebuilds the font atlas when the text in use or the scale
    /// changed. True when it did (main then re-uploads the font texture).
    bool prepare_frame();
    /// After ImGui::NewFrame: advances sessions, lays out and draws the panels.
    void frame(double dt_seconds);

private:
    void collect_text(Session& s, std::size_t which);
    /// Applies --outcome / --compare-outcomes once the explorer has its result.
    void apply_outcome_requests();
    void layout(ImVec2 origin, ImVec2 size);
    void draw_tab_strips();
    void record_windows();
    /// The per-run part of UiState (see focus_run()).
    struct RunUi {
        TaskId selected_task = 0;
        std::optional<std::uint64_t> selected_event;
        std::set<TaskId> folded;
        std::uint32_t selected_line = 0;
    };
    RunUi m_other_run_ui;
    std::size_t m_focus = 0;
    /// A lower column whose panels share a tab strip: where the strip goes and which panel shows.
    struct TabColumn {
        bool tabs = false;                   ///< a tab strip names the panels (one shows)
        bool collapsed = false;              ///< only the strip: the lanes need the room
        std::pair<ImVec2, ImVec2> strip{};   ///< the strip's rectangle
        std::string open;                    ///< the title of the panel shown
    };
    std::array<TabColumn, 3> m_columns{};
    bool m_lower_opened = false;  ///< a tab was clicked while collapsed: the lower panels get room
    AppOptions m_options;
    std::vector<std::unique_ptr<Session>> m_sessions;
    std::vector<std::unique_ptr<Panel>> m_panels;
    UiState m_ui;
    Theme m_theme;
    EventPredicate m_play_stop;
    std::string m_screenshot_request;
    LayoutReport* m_layout_report = nullptr;
    bool m_quit = false;
    /// The UI scale the window can hold: `wanted` (the option, presenter mode's), lowered so
    /// that the window is at least 30 lines tall (38 when comparing) and 40 wide at that size
    /// (a 1024x768 window holds 1.5, 1920x1080 a little over 2); in steps of 0.05.
    [[nodiscard]] float fit_scale(float wanted) const;
    float m_scale_wanted = 1.0f;          // the scale asked for (the theme's may be less: fit_scale)
    float m_normal_scale = 1.0f;          // the look to restore when presenter mode ends
    ThemeKind m_normal_kind = ThemeKind::dark;
    bool m_normal_legend = true;
    std::optional<std::vector<ScenarioEntry>> m_bundled;
    std::vector<double> m_panel_cpu_ms;
    double m_update_cpu_ms = 0;
    std::array<std::pair<ImVec2, ImVec2>, 7> m_slots{};
    // What text of each session the font atlas already covers.
    struct TextSeen {
        const Session* session = nullptr;
        std::uint64_t epoch = ~std::uint64_t{0};
        std::size_t output_lines = 0;
        std::size_t tasks = 0;
    };
    std::array<TextSeen, 2> m_text_seen{};
    std::uint64_t m_axis_serial = 0;
    OutcomeExplorer m_explorer;
    std::vector<std::size_t> m_outcome_requests;  ///< --outcome K / --compare-outcomes J K, until applied
    bool m_outcomes_text_added = false;           ///< the explorer's lines are in the font atlas
    mutable const SourceFile* m_key_source = nullptr;  ///< the text explore_key() was made of
    mutable std::size_t m_key_size = 0;
    mutable std::string m_key;  ///< the session whose run chose the axis (a load on the worker chooses it late)
};

}  // namespace tasklab::viz
