// The Outcomes view's model: the explorer's thread and its result as rows (see outcome_list.hpp).
#include "outcome_list.hpp"

#include <algorithm>

namespace tasklab::viz {

std::vector<OutcomeLine> mark_differing_lines(const std::vector<std::string>& first, const std::vector<std::string>& lines,
                                              std::size_t* missing) {
    std::vector<OutcomeLine> out;
    out.reserve(lines.size());
    for (const auto& l : lines) out.push_back(OutcomeLine{l, true});
    const std::size_t n = first.size(), m = lines.size();
    std::size_t matched = 0;
    constexpr std::size_t k_most = 4000;
    if (n > k_most || m > k_most) {
        // Too long for the table: equal positions only.
        for (std::size_t i = 0; i < m; ++i)
            if (i < n && first[i] == lines[i]) {
                out[i].differs = false;
                ++matched;
            }
    } else {
        // len[i][j]: the longest common subsequence of first[i..] and lines[j..].
        std::vector<std::uint32_t> len((n + 1) * (m + 1), 0);
        auto at = [&](std::size_t i, std::size_t j) -> std::uint32_t& { return len[i * (m + 1) + j]; };
        for (std::size_t i = n; i-- > 0;)
            for (std::size_t j = m; j-- > 0;)
                at(i, j) = first[i] == lines[j] ? at(i + 1, j + 1) + 1 : std::max(at(i + 1, j), at(i, j + 1));
        std::size_t i = 0, j = 0;
        while (i < n && j < m) {
            if (first[i] == lines[j]) {
                out[j].differs = false;
                ++matched;
                ++i;
                ++j;
            } else if (at(i + 1, j) >= at(i, j + 1)) {
                ++i;
            } else {
                ++j;
            }
        }
    }
    if (missing) *missing = n - matched;
    return out;
}

std::string ending_text(const ExploredOutcome& o) {
    std::string s;
    switch (o.state) {
    case RunState::finished: s = "finished"; break;
    case RunState::uncaught_error: s = "uncaught error"; break;
    case RunState::runtime_error: s = "runtime error"; break;
    case RunState::deadlock: s = "deadlock"; break;
    case RunState::step_limit: s = "stopped at the step limit"; break;
    case RunState::time_limit: s = "stopped at the time limit"; break;
    case RunState::internal_error: s = "internal error"; break;
    case RunState::stopped: s = "stopped"; break;
    case RunState::running: s = "still running"; break;
    }
    if (o.exit_code != 0) s += ", exit " + std::to_string(o.exit_code);
    if (o.state != RunState::finished && !o.end.empty()) {
        std::string first_line = o.end.substr(0, o.end.find('\n'));
        if (!first_line.empty()) s += ": " + first_line;
    }
    return s;
}

std::vector<OutcomeRow> outcome_rows(const ExploreResult& result) {
    std::vector<OutcomeRow> rows;
    if (result.outcomes.empty()) return rows;
    const auto& first = result.outcomes.front().lines;
    for (std::size_t k = 0; k < result.outcomes.size(); ++k) {
        const ExploredOutcome& o = result.outcomes[k];
        OutcomeRow r;
        r.number = k + 1;
        r.runs = o.runs;
        r.divergence = o.diverges_at ? o.divergence : std::string();
        r.ending = ending_text(o);
        r.ended_normally = o.state == RunState::finished && o.exit_code == 0;
        std::size_t missing = 0;
        r.lines = mark_differing_lines(first, o.lines, &missing);
        r.missing = missing;
        r.differing = missing;
        for (const auto& l : r.lines) r.differing += l.differs ? 1 : 0;
        rows.push_back(std::move(r));
    }
    return rows;
}

namespace {
std::string count(std::uint64_t n, const char* one, const char* many) {
    return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace

std::string summary_text(const ExploreResult& result, const ExploreOptions& options) {
    std::string s = count(result.runs, "order", "orders") + " explored";
    if (result.rules.preemption) s += ", " + std::to_string(result.pruned) + " pruned as equivalent";
    s += ", " + count(result.outcomes.size(), "outcome", "outcomes");
    if (result.stopped) s += "; stopped by the user: more outcomes may exist";
    else if (!result.complete && result.hit_max_choices && !result.hit_max_steps && result.runs < options.max_runs)
        s += "; a run met over " + std::to_string(k_max_choices_per_run) +
             " choice points and took tasklab's order after them: more outcomes may exist";
    else if (!result.complete)
        s += "; stopped at the bound of " +
             (result.hit_max_steps ? count(options.max_steps, "step", "steps") : count(options.max_runs, "order", "orders")) +
             ": more outcomes may exist";
    else s += "; complete";
    if (result.rules.preemption) s += " (at most " + count(options.preemptions, "preemption", "preemptions") + " per order)";
    return s;
}

std::vector<ChoiceMark> choice_marks(const std::vector<ChoiceMade>& choices, const Trace& trace) {
    std::vector<ChoiceMark> marks;
    auto name = [&](TaskId t) {
        return t != 0 && t < trace.tasks().size() ? "`" + trace.task(t).name + "`" : std::string("the loop");
    };
    for (const ChoiceMade& c : choices) {
        if (c.event >= trace.size() || c.count < 2) continue;
        ChoiceMark m;
        m.event = c.event;
        m.now = c.now;
        const std::size_t chosen = c.chosen < c.count ? c.chosen : 0;
        m.taken = c.chosen_task;
        m.alternatives = c.count - 1;
        m.departs = chosen != 0;
        m.text = "here the runtime could have chosen otherwise: " + std::to_string(m.alternatives) +
                 (m.alternatives == 1 ? " alternative" : " alternatives") + "\n";
        const std::string def = name(c.default_task);
        switch (c.point) {
        case ChoicePoint::pick: m.text += "which ready task runs next: "; break;
        case ChoicePoint::preempt: m.text += "another thread between two statements: "; break;
        case ChoicePoint::timer: m.text += "which due timer fires first: "; break;
        }
        if (m.departs) m.text += name(m.taken) + " went first, not " + def + " (tasklab's own order)";
        else m.text += name(m.taken) + " went first, as in tasklab's own order";
        std::string others;
        for (std::size_t k = 0; k < c.listed.size(); ++k) {
            if (k == chosen) continue;
            others += (others.empty() ? "" : ", ") + name(c.listed[k]);
        }
        const std::size_t unlisted = c.count - c.listed.size() - (chosen >= c.listed.size() ? 1 : 0);
        if (unlisted > 0 && !others.empty()) others += " and " + std::to_string(unlisted) + " more";
        if (!others.empty()) m.text += "\ncould have been: " + others;
        marks.push_back(std::move(m));
    }
    return marks;
}

OutcomeExplorer::~OutcomeExplorer() {
    stop();
    join();
}

void OutcomeExplorer::join() {
    if (m_thread.joinable()) m_thread.join();
}

void OutcomeExplorer::start(std::shared_ptr<const ast::Program> program, ExploreOptions options, std::string key) {
    stop();
    join();
    m_stop.store(false, std::memory_order_relaxed);
    m_done.store(false, std::memory_order_relaxed);
    m_result = ExploreResult{};
    m_rows.clear();
    m_rows_made = false;
    m_key = std::move(key);
    options.run.stop = &m_stop;
    options.run.chooser = nullptr;
    m_options = options;
    m_started = true;
    m_begin = std::chrono::steady_clock::now();
    m_thread = std::thread([this, program = std::move(program), options]() {
        ExploreResult r = explore(program, options);
        m_result = std::move(r);
        m_end = std::chrono::steady_clock::now();
        m_done.store(true, std::memory_order_release);
    });
}

bool OutcomeExplorer::wait(double seconds) {
    if (!busy()) {
        join();
        return true;
    }
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                                                 std::chrono::duration<double>(std::max(seconds, 0.0)));
    while (busy()) {
        if (seconds >= 0 && std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    join();
    return true;
}

double OutcomeExplorer::seconds() const {
    if (!m_started) return 0;
    const auto end = busy() ? std::chrono::steady_clock::now() : m_end;
    return std::chrono::duration<double>(end - m_begin).count();
}

const std::vector<OutcomeRow>& OutcomeExplorer::rows() const {
    if (!m_rows_made && result() != nullptr) {
        m_rows = outcome_rows(m_result);
        m_rows_made = true;
    }
    return m_rows;
}

void OutcomeExplorer::clear() {
    stop();
    join();
    m_started = false;
    m_key.clear();
    m_result = ExploreResult{};
    m_rows.clear();
    m_rows_made = false;
}

}  // namespace tasklab::viz
