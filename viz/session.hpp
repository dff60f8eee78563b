// One scenario open in the visualizer: its file, its parsed program, a Controller and a cursor.
//
// The cursor is the scheduler step shown. The Controller always stands exactly at the cursor,
// so what the panels read from it (trace, output, ready queue, timers, waiting tasks) is the
// state after that step. Moving forward steps the Controller (the trace grows live); moving
// back replays the run from the start (Controller::replay_to), which is exact because runs are
// deterministic. A probe run made at load time tells how many steps the whole run has, so a
// scrubber can show all of them.
//
// The window never waits for the engine. The probe run goes to a worker thread
// (viz/model/background_run.hpp) and so does every move of the cursor that the probe measured
// as slow (a step that loops for seconds, a replay of a long run): the worker builds a
// Controller of its own and the Session adopts it when it arrives. Meanwhile the panels keep
// drawing the Controller at the cursor, running() is true, progress() counts the worker's
// steps, and stop_run() stops it within moments, even inside a step that never ends; the run
// then shows what it did so far. Quick moves happen at once, as before. A run that ends at a
// limit (steps, time, the statement budget, memory) or that was stopped opens at its end, with
// its message in the toolbar's banner; what came before is browsable as usual.
//
// The file is polled for changes (its modification time); a reload that parses keeps the
// cursor where it was (clamped to the new run's length); one that does not keeps the last good
// run on screen and exposes the diagnostics of the broken text.
//
// A Session can show the run of one outcome of the race explorer (engine/explore.hpp) instead
// of tasklab's own order: show_outcome() parses the text again (an explored run marks its
// program, so the default run's program is never given a chooser), and every Controller of the
// Session from then on, on this thread or the worker's, takes that outcome's order through one
// ScriptedChooser that lives as long as they do (a replay restarts its script). choices() are
// that run's choice points up to the cursor, for the timeline's marks.
//
// Panels read everything here; they change the run only through the verbs below.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "engine/controller.hpp"
#include "engine/explore.hpp"
#include "scenarios/diagnostics.hpp"
#include "scenarios/source.hpp"
#include "viz/model/background_run.hpp"
#include "viz/model/lane_groups.hpp"
#include "viz/model/timeline_layout.hpp"
#include "viz/model/timeline_model.hpp"

namespace tasklab::viz {

/// Which way a search through the trace goes.
enum class Direction : std::uint8_t { forward, backward };

/// A predicate over trace events (breakpoints, "jump to next cancel", …).
using EventPredicate = std::function<bool(const Event&)>;

class Session {
public:
    /// Loads and runs `path` up to step 0 (before the first step). Never throws: problems are
    /// reported by load_error() / diagnostics().
    ///
    /// `wait_seconds`: how long a verb waits for work it gave the worker before it returns and
    /// lets the window go on drawing (k_wait_seconds); negative: until the work is done (the
    /// headless modes, tests: everything then behaves as if it ran on the caller's thread).
    explicit Session(std::string path, RunOptions options = {}, double wait_seconds = k_wait_seconds);
    /// The window's default for how long a verb waits for the worker: a frame or three.
    static constexpr double k_wait_seconds = 0.05;
    /// A move that the probe measured as taking longer than this many milliseconds is made on
    /// the worker.
    static constexpr double k_quick_ms = 15.0;
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // ---- the file ----
    /// The path as given.
    [[nodiscard]] const std::string& path() const { return m_path; }
    /// The `tasklab: title`, or the file name when there is none.
    [[nodiscard]] std::string title() const;
    /// True when a parsed program and its run are available (the last good one).
    [[nodiscard]] bool has_run() const { return m_controller != nullptr; }
    /// Why the file could not be read ("No such file or directory"), or "".
    [[nodiscard]] const std::string& load_error() const { return m_load_error; }
    /// Diagnostics of the most recent parse (possibly of a newer, broken text than the run shown).
    [[nodiscard]] const DiagnosticList& diagnostics() const { return m_diagnostics; }
    /// True when the most recent text has errors (the run shown, if any, is the last good one).
    [[nodiscard]] bool parse_failed() const { return m_diagnostics.has_errors(); }
    /// The most recent text read (for rendering diagnostics with their source line and caret).
    [[nodiscard]] const std::shared_ptr<const SourceFile>& latest_source() const { return m_latest_source; }
    /// The text of the run shown. Requires has_run().
    [[nodiscard]] const SourceFile& source() const { return *m_program->file; }
    /// The program of the run shown. Requires has_run().
    [[nodiscard]] const ast::Program& program() const { return *m_program; }
    /// The Controller at the cursor. Requires has_run().
    [[nodiscard]] const Controller& controller() const { return *m_controller; }
    /// The trace up to the cursor. Requires has_run().
    [[nodiscard]] const Trace& trace() const { return m_controller->trace(); }

    // ---- the cursor ----
    /// The step shown (0: before the first step).
    [[nodiscard]] std::uint64_t step() const;
    // ---- the run in flight on the worker ----
    /// True while the worker runs for this Session (the probe run of a load or reload, or a
    /// slow move of the cursor). The verbs that move the cursor do nothing meanwhile (a seek
    /// asked for while the file loads is made once it has).
    [[nodiscard]] bool running() const { return m_pending != Pending::none; }
    /// True while the run in flight is the probe run of a load or reload.
    [[nodiscard]] bool loading() const { return m_pending == Pending::load; }
    /// How far the run in flight got: steps, events, virtual time.
    [[nodiscard]] RunProgress progress() const { return m_worker.progress(); }
    /// Wall-clock seconds the run in flight has taken so far.
    [[nodiscard]] double running_seconds() const { return m_worker.seconds(); }
    /// Stops the run in flight (the Stop button, Esc): a probe run opens showing what ran so
    /// far, a move shows where it got; both say "stopped by the user after N steps".
    void stop_run();
    /// True once stop_run() was asked for the run in flight.
    [[nodiscard]] bool stop_requested() const { return running() && m_worker.stop_requested(); }
    /// Adopts the worker's result when it has arrived (update() calls it every frame).
    void poll_worker();
    /// Waits up to `seconds` (negative: as long as it takes) for the worker and adopts its
    /// result. True when nothing is in flight afterwards.
    bool settle(double seconds);
    /// The event a search that went to the worker (seek_event) found, once.
    std::optional<std::uint64_t> take_found_event() { return std::exchange(m_found_event, std::nullopt); }
    /// True when a run that ended this way opens at its end rather than at step 0: limits
    /// (steps, time, the statement budget, memory) and a stop.
    static bool opens_at_end(const RunStatus& status);

    /// Steps of the whole run (the probe run's length).
    [[nodiscard]] std::uint64_t total_steps() const { return m_total_steps; }
    /// Events in the trace at the cursor.
    [[nodiscard]] std::uint64_t event_count() const;
    /// Virtual time at the cursor.
    [[nodiscard]] Tick now() const;
    /// Virtual time at the end of the whole run (the probe run's clock).
    [[nodiscard]] Tick total_time() const { return m_total_time; }
    /// How the whole run ends (the probe run's status): finished, uncaught error, deadlock, …
    [[nodiscard]] const RunStatus& final_status() const { return m_final_status; }
    /// The notes (1-based indices into Program::notes) in the order the whole run narrates
    /// them: chapter 1 first. Notes the run never reaches are not listed.
    [[nodiscard]] const std::vector<std::uint32_t>& chapters() const { return m_chapters; }
    /// True when the run shown has ended (no step left).
    [[nodiscard]] bool at_end() const;
    /// Increases whenever the Controller's trace was replaced (a step back, a seek back, a
    /// reload): derived data keyed on the trace must then be rebuilt, not extended.
    [[nodiscard]] std::uint64_t epoch() const { return m_epoch; }
    /// A number no other Session of this process has. With epoch() it keys data that panels
    /// derive from the trace and keep across sessions (a file opened again is a new Session).
    [[nodiscard]] std::uint64_t serial() const { return m_serial; }

    /// One step forward. False at the end (or while running()).
    bool step_forward();
    /// One step back (exact, by replay). False at step 0.
    bool step_back();
    /// Moves the cursor to `step` (clamped to the run), forward by stepping, back by replay.
    void seek(std::uint64_t step);
    /// Steps until virtual time moves on, stopping after the first step at the next instant.
    void step_to_next_instant();
    /// Runs to the end of the run.
    void run_to_end();
    /// The first event after the cursor (forward: in the rest of the whole run) or before it
    /// (backward) that matches `pred`; moves the cursor to the end of that event's step and
    /// returns its index. Nothing moves when no event matches.
    std::optional<std::uint64_t> seek_event(Direction dir, const EventPredicate& pred);

    // ---- playing ----
    [[nodiscard]] bool playing() const { return m_playing; }
    void set_playing(bool on) { m_playing = on; m_play_budget = 0; }
    void toggle_playing() { set_playing(!m_playing); }
    /// Steps per second while playing.
    [[nodiscard]] double speed() const { return m_speed; }
    void set_speed(double steps_per_second);
    /// Called once per frame with the real seconds since the last frame: advances the cursor
    /// while playing (stopping at the end or when `stop` matches an event of a new step), and
    /// polls the file for changes.
    void update(double dt_seconds, const EventPredicate& stop = {});

    // ---- reloading ----
    /// Re-reads the file when its modification time changed. True when a new run replaced the
    /// old one.
    bool poll_reload();
    /// Re-reads and re-parses the file now. True when a new run replaced the old one.
    bool reload();

    // ---- an explored outcome ----
    /// Shows the run of explored outcome `number` (1-based, for labels) whose order is
    /// `script`, with at most `preemptions` preemptions (ExploreOptions::preemptions). The text
    /// is parsed again for it; the cursor stays where it was (at the end when it was there).
    /// False when the text no longer parses.
    bool show_outcome(std::size_t number, std::vector<std::uint32_t> script, unsigned preemptions);
    /// Back to tasklab's own order (no chooser).
    void show_default_order();
    /// The explored outcome shown (1-based), or nothing for tasklab's own order.
    [[nodiscard]] std::optional<std::size_t> outcome() const { return m_outcome; }
    /// "outcome 2" while one is shown, else "".
    [[nodiscard]] std::string outcome_label() const;
    /// The choice points the run shown met up to the cursor (empty without an outcome shown).
    /// While the worker runs for this Session, the last ones read before.
    [[nodiscard]] const std::vector<ChoiceMade>& choices();
    /// Options for a run of the order shown made apart from the Session's (an export, a table
    /// of step times): with an outcome shown, `chooser` gets a chooser of its own (two runs must
    /// never share one), which must outlive that run.
    [[nodiscard]] RunOptions own_run_options(std::unique_ptr<ScriptedChooser>& chooser) const;
    /// A program parsed from the text of the run shown for the caller alone (the race explorer:
    /// explored runs mark their program), or nullptr without a run.
    [[nodiscard]] std::shared_ptr<const ast::Program> fresh_program() const;

    // ---- derived data ----
    /// The timeline model of the trace up to the cursor (brought up to date on each call).
    /// Requires has_run().
    [[nodiscard]] const TimelineModel& timeline();
    /// The timeline's rows (lane order, scope brackets) with `folded` tasks' subtrees hidden,
    /// brought up to date on each call. The tree panel and the timeline share it, so they list
    /// tasks in the same order. Requires has_run().
    [[nodiscard]] const LaneLayout& lanes(const std::set<TaskId>& folded);
    /// The whole run's instants (from the probe run): where the time-and-steps axis opens it up.
    [[nodiscard]] const InstantTable& instants() const { return m_instants; }
    /// The rows the timeline draws: lanes() with alike sibling lanes sharing one row ("+988
    /// alike", viz/model/lane_groups.hpp). Requires has_run().
    [[nodiscard]] const LaneLayout& timeline_lanes(const std::set<TaskId>& folded);
    /// The groups of alike lanes behind timeline_lanes().
    [[nodiscard]] const AlikeLanes& alike_lanes() const { return m_alike; }

private:
    /// What the worker is doing for this Session.
    enum class Pending : std::uint8_t { none, load, move };
    bool load();
    /// Starts the probe run of `program` on the worker (a load, a reload, an outcome shown).
    /// `end_stays`: a cursor at the end of the run shown goes to the end of the new one.
    void start_probe(std::shared_ptr<const ast::Program> program, bool end_stays = false);
    /// The options every run of this Session takes (the chooser's when an outcome is shown).
    [[nodiscard]] const RunOptions& run_options() const { return m_run_options; }
    void start_move(RunGoal goal, std::uint64_t step, EventPredicate match = {});
    void adopt(RunOutcome outcome);
    void adopt_load(RunOutcome outcome);
    std::string m_path;
    RunOptions m_options;
    double m_wait_seconds = k_wait_seconds;
    Pending m_pending = Pending::none;
    std::shared_ptr<const ast::Program> m_loading;  ///< the program the probe run in flight runs
    std::uint64_t m_reload_step = 0;                ///< the cursor before the reload in flight
    bool m_reloading = false;                       ///< a run was shown when the load started
    std::optional<std::uint64_t> m_deferred_seek;   ///< a seek asked for while loading
    std::uint64_t m_search_origin = 0;              ///< where a search on the worker started
    std::optional<std::uint64_t> m_found_event;
    StepCosts m_costs;
    RunOptions m_run_options;                        ///< m_options, with the chooser of the outcome shown
    std::optional<std::size_t> m_outcome;            ///< the explored outcome shown (1-based)
    std::vector<std::uint32_t> m_outcome_script;     ///< its order
    unsigned m_outcome_preemptions = 1;
    /// The outcome's chooser, and the ones before it: a job the worker was told to drop may
    /// still be running with an earlier one, so none goes before the Session. Declared before
    /// the Controllers that use them, so they go after them.
    std::vector<std::unique_ptr<ScriptedChooser>> m_choosers;
    std::vector<ChoiceMade> m_choices;               ///< choices() read last
    std::pair<std::uint64_t, std::uint64_t> m_choices_at{~std::uint64_t{0}, 0};  ///< (epoch, events) of m_choices
    std::string m_load_error;
    DiagnosticList m_diagnostics;
    std::shared_ptr<const SourceFile> m_latest_source;
    std::shared_ptr<const ast::Program> m_program;
    std::unique_ptr<Controller> m_controller;
    std::uint64_t m_total_steps = 0;
    Tick m_total_time = 0;
    RunStatus m_final_status;
    std::vector<std::uint32_t> m_chapters;
    std::uint64_t m_epoch = 0;
    std::uint64_t m_serial = 0;
    bool m_playing = false;
    double m_speed = 4.0;
    double m_play_budget = 0;
    std::optional<std::filesystem::file_time_type> m_mtime;
    double m_poll_clock = 0;
    TimelineModel m_timeline;
    LaneLayout m_lanes;
    InstantTable m_instants;
    std::uint64_t m_lanes_epoch = ~std::uint64_t{0};
    AlikeLanes m_alike;
    std::uint64_t m_alike_epoch = ~std::uint64_t{0};
    BackgroundRun m_worker;  ///< last: stopped and waited for first when the Session goes
};

}  // namespace tasklab::viz
