// One scenario: load, parse, run to the cursor, replay backwards, reload on change.
#include "session.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "scenarios/frontend.hpp"

namespace tasklab::viz {

Session::Session(std::string path, RunOptions options) : m_path(std::move(path)), m_options(options) {
    static std::uint64_t serials = 0;
    m_serial = ++serials;
    load();
}

Session::~Session() = default;

std::string Session::title() const {
    if (m_program && !m_program->title.empty()) return m_program->title;
    return std::filesystem::path(m_path).filename().string();
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

    const std::uint64_t old_step = m_controller ? step() : 0;
    const bool had_run = m_controller != nullptr;
    m_program = std::move(parsed.program);
    {
        // The probe run: how long is the whole run?
        Controller probe(m_program, m_options);
        probe.run_until_idle();
        m_total_steps = probe.step_index();
        m_total_time = probe.now();
        m_final_status = probe.status();
        m_instants.build(probe.trace());
        // Chapters in playing order: each note's narration event, in the order the run reaches them.
        m_chapters.clear();
        const Trace& t = probe.trace();
        for (std::uint64_t i = 0; i < t.size(); ++i)
            if (t.stored(i).kind == EventKind::narration) m_chapters.push_back(t.stored(i).payload);
    }
    m_controller = std::make_unique<Controller>(m_program, m_options);
    ++m_epoch;
    if (had_run) seek(std::min(old_step, m_total_steps));
    return true;
}

std::uint64_t Session::step() const { return m_controller ? m_controller->step_index() : 0; }
std::uint64_t Session::event_count() const { return m_controller ? m_controller->trace().size() : 0; }
Tick Session::now() const { return m_controller ? m_controller->now() : 0; }
bool Session::at_end() const { return !m_controller || m_controller->finished(); }

bool Session::step_forward() {
    if (!m_controller || m_controller->finished()) return false;
    m_controller->step();
    return true;
}

bool Session::step_back() {
    if (!m_controller || step() == 0) return false;
    seek(step() - 1);
    return true;
}

void Session::seek(std::uint64_t target) {
    if (!m_controller) return;
    target = std::min(target, m_total_steps);
    if (target < step()) {
        m_controller->replay_to(target);
        ++m_epoch;
        return;
    }
    while (step() < target && !m_controller->finished()) m_controller->step();
}

void Session::step_to_next_instant() {
    if (!m_controller) return;
    const Tick t0 = m_controller->now();
    while (!m_controller->finished() && m_controller->now() == t0) m_controller->step();
}

void Session::run_to_end() {
    if (m_controller) m_controller->run_until_idle();
}

std::optional<std::uint64_t> Session::seek_event(Direction dir, const EventPredicate& pred) {
    if (!m_controller) return std::nullopt;
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
    m_poll_clock += dt_seconds;
    if (m_poll_clock >= 0.5) {
        m_poll_clock = 0;
        poll_reload();
    }
    if (!m_playing || !m_controller) return;
    if (m_controller->finished()) {
        m_playing = false;
        return;
    }
    m_play_budget += dt_seconds * m_speed;
    while (m_play_budget >= 1.0 && !m_controller->finished()) {
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
