// The race explorer (see explore.hpp).
#include "explore.hpp"

#include <algorithm>
#include <unordered_map>

#include "controller.hpp"
#include "engine/interp/language_runtime.hpp"

namespace tasklab {

void ScriptedChooser::begin_run() {
    m_used = 0;
    m_log.clear();
    m_skipped = 0;
    m_capped = false;
}

std::size_t ScriptedChooser::choose(const ChoiceAt& at) {
    const auto& alts = *at.alternatives;
    if (at.point == ChoicePoint::preempt && m_used >= m_preemptions) return 0;  // the bound: no longer a choice
    const std::size_t k = m_log.size();
    if (k >= k_max_choices_per_run) {
        m_capped = true;
        return 0;
    }
    std::uint32_t chosen = k < m_script.size() ? m_script[k] : 0;
    if (chosen >= alts.size()) chosen = 0;  // a script made for another program: the default
    if (at.point == ChoicePoint::preempt && chosen != 0) ++m_used;
    m_log.push_back(ChoiceMade{at.point, chosen, static_cast<std::uint32_t>(alts.size()), alts[0], alts[chosen], at.event,
                               at.now, at.span,
                               std::vector<TaskId>(alts.begin(), alts.begin() + static_cast<std::ptrdiff_t>(
                                                                                  std::min(alts.size(), k_listed_alternatives)))});
    return chosen;
}

void ScriptedChooser::equivalent(const ChoiceAt& /*at*/) {
    // Counted once: only where this run goes beyond its script (the runs before it counted the rest).
    if (m_used < m_preemptions && m_log.size() >= m_script.size()) ++m_skipped;
}

RunOptions scripted_run(RunOptions options, ScriptedChooser& chooser) {
    options.chooser = &chooser;
    return options;
}

namespace {

std::string task_label(const Trace& trace, TaskId t) {
    if (t == 0 || t >= trace.tasks().size()) return "the loop";
    return "`" + trace.task(t).name + "`";
}

std::string where(const ast::Program& program, Span span) {
    if (!program.file || span.end <= span.begin) return {};
    return ", before line " + std::to_string(program.file->locate(span.begin).line);
}

/// The key two runs share exactly when a person would call their outcomes the same.
std::string outcome_key(const Controller& c) {
    std::string key;
    for (const auto& line : c.output()) {
        key += line.text;
        key += '\n';
    }
    key += '\0';
    key += run_state_name(c.status().state);
    key += '\0';
    key += c.status().stderr_text;
    key += '\0';
    key += std::to_string(c.status().exit_code);
    return key;
}

}  // namespace

std::string describe_choice(const ChoiceMade& c, const Trace& trace, const ast::Program& program) {
    const std::string at = "at " + format_time(c.now) + ", ";
    const TaskId def = c.default_task;
    const TaskId other = c.chosen_task;
    switch (c.point) {
    case ChoicePoint::pick:
        return at + task_label(trace, other) + " ran before " + task_label(trace, def);
    case ChoicePoint::preempt:
        return at + task_label(trace, other) + " ran between two statements of " + task_label(trace, def) +
               where(program, c.span);
    case ChoicePoint::timer:
        return at + "the timer of " + task_label(trace, other) + " fired before the timer of " + task_label(trace, def);
    }
    return at;
}

ExploreResult explore(std::shared_ptr<const ast::Program> program, const ExploreOptions& options) {
    ExploreResult result;
    result.rules = choice_rules(program->language);
    std::unordered_map<std::string, std::size_t> seen;  // outcome key -> index in result.outcomes
    std::vector<std::uint32_t> script;
    for (;;) {
        if (options.run.stop != nullptr && options.run.stop->load(std::memory_order_relaxed)) {
            result.stopped = true;
            result.complete = false;
            break;
        }
        if (result.runs >= options.max_runs || result.steps >= options.max_steps) {
            result.complete = false;
            result.hit_max_steps = result.runs < options.max_runs;
            break;
        }
        ScriptedChooser chooser(script, options.preemptions);
        RunOptions run = scripted_run(options.run, chooser);
        run.lints = false;  // lints never change what a run prints or how it ends
        Controller c(program, run);
        c.run_until_idle();
        ++result.runs;
        result.steps += c.step_index();
        const auto& log = chooser.log();
        result.choice_points = std::max(result.choice_points, log.size());
        // Preemption points skipped as equivalent beyond the script are orders never run.
        result.pruned += chooser.equivalent_skipped();
        if (chooser.capped() && !result.hit_max_choices) {
            result.hit_max_choices = true;
            result.complete = false;
        }

        const std::string key = outcome_key(c);
        auto [it, fresh] = seen.emplace(key, result.outcomes.size());
        if (fresh) {
            ExploredOutcome o;
            for (const auto& line : c.output()) o.lines.push_back(line.text);
            o.state = c.status().state;
            o.end = c.status().message;
            if (!c.status().stderr_text.empty()) o.end += (o.end.empty() ? "" : "\n") + c.status().stderr_text;
            o.exit_code = c.status().exit_code;
            o.choices = log;
            for (const auto& m : log) o.script.push_back(m.chosen);
            for (std::size_t k = 0; k < log.size(); ++k)
                if (log[k].chosen != 0) {
                    o.diverges_at = k;
                    o.divergence = describe_choice(log[k], c.trace(), *program);
                    break;
                }
            result.outcomes.push_back(std::move(o));
        }
        ++result.outcomes[it->second].runs;

        // Depth first: change the deepest choice that has an alternative left.
        std::size_t k = log.size();
        bool more = false;
        while (k > 0) {
            --k;
            if (log[k].chosen + 1 < log[k].count) {
                more = true;
                break;
            }
        }
        if (!more) break;
        script.clear();
        for (std::size_t i = 0; i < k; ++i) script.push_back(log[i].chosen);
        script.push_back(log[k].chosen + 1);
    }
    return result;
}

}  // namespace tasklab
