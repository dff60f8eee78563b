// One scenario: load, parse, run to the cursor, replay backwards, reload on change.
#include "session.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenarios/frontend.hpp"

namespace tasklab::viz {

Session::Session(std::string path, RunOptions options, double wait_seconds)
    : m_path(std::move(path)), m_options(options), m_wait_seconds(wait_seconds), m_run_options(options) {
    static std::uint64_t serials = 0;
    m_serial = ++serials;
    load();
}

Session::~Session() = default;

std::string Session::title() const {
    if (m_program && !m_program->title.empty()) return m_program->title;
    if (m_loading && !m_loading->title.empty()) return m_loading->title;
    return std::filesystem::path(m_path).filename().string();
}

bool Session::opens_at_end(const RunStatus& status) {
    switch (status.state) {
        case RunState::step_limit:
        case RunState::time_limit:
        case RunState::stopped: return true;
        case RunState::runtime_error:
            // The statement budget ("this loop did not end") and the memory budget are limits
            // too; a trap or an unsupported API is the program's own error.
            return status.diagnostic && (status.diagnostic->kind == DiagnosticKind::step_limit ||
                                         status.diagnostic->kind == DiagnosticKind::memory_limit);
        default: return false;
    }
}

bool Session::load() {
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(m_path, ec);
    if (!ec) m_mtime = mtime;
    std::string text;
    if (!read_scenario_text(m_path, text, m_load_error)) return false;  // at most 8 MiB, as the CLI
    m_load_error.clear();
    m_latest_source = std::make_shared<const SourceFile>(m_path, std::move(text));
    ParseResult parsed = parse_scenario(m_latest_source);
    const bool parsed_ok = parsed.ok();  // before the diagnostics move out
    m_diagnostics = std::move(parsed.diagnostics);
    if (!parsed_ok) return false;  // keep the last good run on screen

    // A new text: an outcome's order was made for the old one, so tasklab's own order again.
    m_outcome.reset();
    m_run_options = m_options;
    start_probe(std::move(parsed.program));
    return true;
}

void Session::start_probe(std::shared_ptr<const ast::Program> program, bool end_stays) {
    // The probe run (how long is the whole run, how does it end, what does each step cost?)
    // goes to the worker; the run shown so far stays on screen until it is done.
    if (m_pending != Pending::load) {
        m_reloading = m_controller != nullptr;
        m_reload_step = m_controller ? (end_stays && at_end() ? ~std::uint64_t{0} : step()) : 0;
    }
    m_loading = std::move(program);
    m_pending = Pending::load;
    RunJob job;
    job.program = m_loading;
    job.options = m_run_options;
    job.goal = RunGoal::whole_run;
    m_worker.start(std::move(job));
    settle(m_wait_seconds);
}

void Session::adopt_load(RunOutcome outcome) {
    m_pending = Pending::none;
    std::shared_ptr<const ast::Program> program = std::move(m_loading);
    if (!outcome.controller) {
        m_load_error = "not enough memory to run the scenario";
        return;
    }
    std::unique_ptr<Controller> probe = std::move(outcome.controller);
    m_program = std::move(program);
    m_total_steps = probe->step_index();
    m_total_time = probe->now();
    m_final_status = probe->status();
    // A stop cut the last step short: what it would cost is unknown (it may never end), so
    // running it again always goes to the worker.
    if (outcome.stopped && !outcome.cost_ms.empty() && outcome.cost_ms.size() > m_total_steps) outcome.cost_ms.resize(m_total_steps);
    m_costs = StepCosts(std::move(outcome.cost_ms));
    m_instants.build(probe->trace());
    // Chapters in playing order: each note's narration event, in the order the run reaches them.
    m_chapters.clear();
    const Trace& t = probe->trace();
    for (std::uint64_t i = 0; i < t.size(); ++i)
        if (t.stored(i).kind == EventKind::narration) m_chapters.push_back(t.stored(i).payload);
    // Where the cursor goes: where it was asked to go, where it was before a reload, the end
    // of a run stopped by a limit or by the user, or step 0.
    std::uint64_t target = 0;
    if (m_deferred_seek) target = std::min(*m_deferred_seek, m_total_steps);
    else if (m_reloading) target = std::min(m_reload_step, m_total_steps);
    else if (opens_at_end(m_final_status)) target = m_total_steps;
    m_deferred_seek.reset();
    m_reloading = false;
    ++m_epoch;
    m_found_event.reset();
    if (target == m_total_steps) {
        m_controller = std::move(probe);  // the probe run stands there already
        return;
    }
    probe.reset();
    m_controller = std::make_unique<Controller>(m_program, m_run_options);
    seek(target);
}

void Session::start_move(RunGoal goal, std::uint64_t step_number, EventPredicate match) {
    m_pending = Pending::move;
    RunJob job;
    job.program = m_program;
    job.options = m_run_options;
    job.goal = goal;
    job.step = step_number;
    job.match = std::move(match);
    m_worker.start(std::move(job));
    settle(m_wait_seconds);
}

void Session::adopt(RunOutcome outcome) {
    if (m_pending == Pending::load) {
        adopt_load(std::move(outcome));
        return;
    }
    m_pending = Pending::none;
    if (outcome.stopped) m_playing = false;
    if (!outcome.controller) return;  // out of memory: the cursor stays
    if (outcome.goal == RunGoal::event && !outcome.found_event && !outcome.stopped) {
        seek(m_search_origin);  // nothing found: back to where the search started
        return;
    }
    m_controller = std::move(outcome.controller);
    m_found_event = outcome.found_event;
    ++m_epoch;
}

void Session::poll_worker() {
    if (m_pending != Pending::none && m_worker.done()) {
        if (auto outcome = m_worker.take()) adopt(std::move(*outcome));
    }
}

bool Session::settle(double seconds) {
    using Clock = std::chrono::steady_clock;
    const auto deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(std::max(seconds, 0.0)));
    while (m_pending != Pending::none) {
        double left = -1;
        if (seconds >= 0) left = std::max(0.0, std::chrono::duration<double>(deadline - Clock::now()).count());
        if (!m_worker.wait(left)) return false;
        poll_worker();  // adopting may start the next job (a seek after a load)
        if (seconds >= 0 && Clock::now() >= deadline) break;
    }
    return m_pending == Pending::none;
}

void Session::stop_run() {
    if (m_pending == Pending::none) return;
    m_worker.stop();
    m_playing = false;
}

std::uint64_t Session::step() const { return m_controller ? m_controller->step_index() : 0; }
std::uint64_t Session::event_count() const { return m_controller ? m_controller->trace().size() : 0; }
Tick Session::now() const { return m_controller ? m_controller->now() : 0; }
bool Session::at_end() const { return !m_controller || m_controller->finished(); }

bool Session::step_forward() {
    if (!m_controller || running()) return false;
    if (m_controller->finished() && step() >= m_total_steps) return false;
    seek(step() + 1);
    return true;
}

bool Session::step_back() {
    if (!m_controller || running() || step() == 0) return false;
    seek(step() - 1);
    return true;
}

void Session::seek(std::uint64_t target) {
    if (m_pending == Pending::load) {
        m_deferred_seek = target;  // made once the file has loaded
        return;
    }
    if (!m_controller || running()) return;
    target = std::min(target, m_total_steps);
    const std::uint64_t here = step();
    if (target == here) return;
    // Back, or on from a run that a stop ended early: a replay from the start.
    const bool replay = target < here || m_controller->finished();
    const double cost = replay ? m_costs.replay(target) : m_costs.between(here, target);
    if (cost > k_quick_ms) {
        start_move(RunGoal::step, target);
        return;
    }
    if (replay) {
        m_controller->replay_to(target);
        ++m_epoch;
        return;
    }
    while (step() < target && !m_controller->finished()) m_controller->step();
}

void Session::step_to_next_instant() {
    if (!m_controller || running()) return;
    const Tick t0 = m_controller->now();
    while (!m_controller->finished() && m_controller->now() == t0) {
        const std::uint64_t here = step();
        if (m_costs.between(here, here + 1) > k_quick_ms) {
            start_move(RunGoal::next_instant, here);
            return;
        }
        m_controller->step();
    }
}

void Session::run_to_end() { seek(m_total_steps); }

std::optional<std::uint64_t> Session::seek_event(Direction dir, const EventPredicate& pred) {
    if (!m_controller || running()) return std::nullopt;
    if (dir == Direction::backward) {
        // Events of the step shown count as "here"; search the steps before it.
        const Trace& trace = m_controller->trace();
        const std::uint64_t here = step();
        for (std::uint64_t i = trace.size(); i-- > 0;) {
            const Event e = trace.at(i);
            if (e.step >= here) continue;
            if (pred(e)) {
                seek(e.step);
                return i;
            }
        }
        return std::nullopt;
    }
    const std::uint64_t start = step();
    while (!m_controller->finished()) {
        const std::uint64_t here = step();
        if (m_costs.between(here, here + 1) > k_quick_ms) {
            // A slow step ahead: the worker searches on (the predicate is copied and called there).
            m_search_origin = start;
            start_move(RunGoal::event, here, pred);
            if (!running()) return take_found_event();
            return std::nullopt;
        }
        const std::uint64_t first = m_controller->trace().size();
        m_controller->step();
        const Trace& trace = m_controller->trace();
        for (std::uint64_t i = first; i < trace.size(); ++i)
            if (pred(trace.at(i))) return i;
    }
    seek(start);  // nothing found: go back to where we were
    return std::nullopt;
}

void Session::set_speed(double steps_per_second) { m_speed = std::clamp(steps_per_second, 0.1, 1'000'000.0); }

void Session::update(double dt_seconds, const EventPredicate& stop) {
    poll_worker();
    m_poll_clock += dt_seconds;
    if (m_poll_clock >= 0.5) {
        m_poll_clock = 0;
        poll_reload();
    }
    if (!m_playing || !m_controller || running()) return;
    if (m_controller->finished()) {
        m_playing = false;
        return;
    }
    m_play_budget += dt_seconds * m_speed;
    while (m_play_budget >= 1.0 && !m_controller->finished()) {
        const std::uint64_t here = step();
        if (m_costs.between(here, here + 1) > k_quick_ms) {
            // A slow step: the worker makes it; playing goes on once it is here.
            m_play_budget = 0;
            start_move(RunGoal::step, here + 1);
            return;
        }
        m_play_budget -= 1.0;
        const std::uint64_t first = m_controller->trace().size();
        m_controller->step();
        if (stop) {
            const Trace& trace = m_controller->trace();
            for (std::uint64_t i = first; i < trace.size(); ++i)
                if (stop(trace.at(i))) {
                    m_playing = false;
                    return;
                }
        }
    }
    if (m_controller->finished()) m_playing = false;
}

bool Session::poll_reload() {
    std::error_code ec;
    auto mtime = std::filesystem::last_write_time(m_path, ec);
    if (ec || (m_mtime && *m_mtime == mtime)) return false;
    return reload();
}

bool Session::reload() {
    const std::uint64_t before = m_epoch;
    load();
    return m_epoch != before;
}

std::shared_ptr<const ast::Program> Session::fresh_program() const {
    if (!m_program || !m_program->file) return nullptr;
    auto file = std::make_shared<const SourceFile>(m_program->file->name(), m_program->file->text());
    ParseResult parsed = parse_scenario(file);
    if (!parsed.ok()) return nullptr;
    return std::move(parsed.program);
}

bool Session::show_outcome(std::size_t number, std::vector<std::uint32_t> script, unsigned preemptions) {
    auto program = fresh_program();
    if (!program) return false;
    m_outcome_script = script;
    m_outcome_preemptions = preemptions;
    m_choosers.push_back(std::make_unique<ScriptedChooser>(std::move(script), preemptions));
    m_run_options = scripted_run(m_options, *m_choosers.back());
    m_outcome = number;
    m_choices_at = {~std::uint64_t{0}, 0};
    // At the end it stays at the end (the outcome's run may be longer or shorter).
    start_probe(std::move(program), true);
    return true;
}

void Session::show_default_order() {
    if (!m_outcome) return;
    auto program = fresh_program();
    if (!program) return;
    m_outcome.reset();
    m_run_options = m_options;
    m_choices.clear();
    start_probe(std::move(program), true);
}

RunOptions Session::own_run_options(std::unique_ptr<ScriptedChooser>& chooser) const {
    // Default options, as these runs always took: only the order is the outcome's.
    chooser.reset();
    if (!m_outcome) return RunOptions{};
    chooser = std::make_unique<ScriptedChooser>(m_outcome_script, m_outcome_preemptions);
    return scripted_run(RunOptions{}, *chooser);
}

std::string Session::outcome_label() const {
    return m_outcome ? "outcome " + std::to_string(*m_outcome) : std::string();
}

const std::vector<ChoiceMade>& Session::choices() {
    if (!m_outcome || m_choosers.empty() || !m_controller) {
        m_choices.clear();
        return m_choices;
    }
    // The chooser is written by the thread that steps the Controller: read it only while the
    // worker is idle, and only when the trace moved.
    if (running()) return m_choices;
    const std::pair<std::uint64_t, std::uint64_t> at{m_epoch, m_controller->trace().size()};
    if (at != m_choices_at) {
        m_choices = m_choosers.back()->log();
        m_choices_at = at;
    }
    return m_choices;
}

const TimelineModel& Session::timeline() {
    if (m_controller) m_timeline.sync(m_controller->trace(), m_epoch);
    return m_timeline;
}

const LaneLayout& Session::lanes(const std::set<TaskId>& folded) {
    if (!m_controller) return m_lanes;
    if (m_lanes_epoch != m_epoch) {
        m_lanes.reset();
        m_lanes_epoch = m_epoch;
    }
    m_lanes.update(m_controller->trace(), folded);
    return m_lanes;
}

const LaneLayout& Session::timeline_lanes(const std::set<TaskId>& folded) {
    const LaneLayout& base = lanes(folded);
    if (!m_controller) return base;
    if (m_alike_epoch != m_epoch) {
        m_alike.reset();  // a replay: every lane's look is read again
        m_alike_epoch = m_epoch;
    }
    // A version of the base layout: it is rebuilt when a replay starts over, tasks appear or
    // the folds change.
    std::uint64_t version = m_epoch * 0x9E3779B97F4A7C15ull ^ base.rows().size() ^ (m_controller->trace().tasks().size() << 24);
    for (const TaskId t : folded) version = version * 31 + t;
    return m_alike.update(m_controller->trace(), timeline(), base, version);
}

}  // namespace tasklab::viz
