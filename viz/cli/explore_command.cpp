// `tasklab explore FILE`: every outcome a real run of the scenario could have.
//
// Runs the scenario under every order its model leaves open (engine/explore.hpp) and prints
// each distinct outcome: how many orders lead to it, the first choice where it departs from
// tasklab's own order, the lines it printed and how it ended. --trace-of K shows outcome K's
// run the way `tasklab run` shows a run (with run's options: --print-only, --events, --trace).
#include <ostream>

#include "cli.hpp"
#include "engine/controller.hpp"
#include "engine/explore.hpp"
#include "viz/text/text_util.hpp"
#include "viz/text/trace_json.hpp"

namespace tasklab::cli {

namespace {

std::string rules_text(const ChoiceRules& r) {
    if (r.any_ready_order && r.preemption) return "any ready task may run next; preemption between statements";
    if (r.timer_ties) return "asyncio's loop order is fixed; equal deadlines armed by different tasks race";
    return "no open orders";
}

std::string ending(const ExploredOutcome& o) {
    return std::string(run_state_name(o.state)) + ", exit " + std::to_string(o.exit_code);
}

/// `--json`: the whole result as one JSON object (the Swift oracle and tests read it).
void write_json(std::ostream& out, const ExploreResult& r) {
    out << "{\"runs\":" << r.runs << ",\"steps\":" << r.steps << ",\"pruned\":" << r.pruned
        << ",\"choice_points\":" << r.choice_points << ",\"complete\":" << (r.complete ? "true" : "false")
        << ",\"capped\":" << (r.hit_max_choices ? "true" : "false")
        << ",\"rules\":{\"any_ready_order\":" << (r.rules.any_ready_order ? "true" : "false")
        << ",\"preemption\":" << (r.rules.preemption ? "true" : "false")
        << ",\"timer_ties\":" << (r.rules.timer_ties ? "true" : "false") << "},\"outcomes\":[";
    for (std::size_t k = 0; k < r.outcomes.size(); ++k) {
        const ExploredOutcome& o = r.outcomes[k];
        out << (k ? "," : "") << "\n{\"lines\":[";
        for (std::size_t i = 0; i < o.lines.size(); ++i) out << (i ? "," : "") << json_string(o.lines[i]);
        out << "],\"state\":" << json_string(run_state_name(o.state)) << ",\"exit\":" << o.exit_code
            << ",\"end\":" << json_string(o.end) << ",\"runs\":" << o.runs << ",\"script\":[";
        for (std::size_t i = 0; i < o.script.size(); ++i) out << (i ? "," : "") << o.script[i];
        out << "],\"diverges_at\":";
        if (o.diverges_at) {
            const ChoiceMade& c = o.choices[*o.diverges_at];
            out << "{\"choice\":" << *o.diverges_at << ",\"point\":" << json_string(choice_point_name(c.point))
                << ",\"event\":" << c.event << ",\"time_ns\":" << c.now << ",\"text\":" << json_string(o.divergence) << "}";
        } else {
            out << "null";
        }
        out << "}";
    }
    out << "]}\n";
}

}  // namespace

int explore_command(const CliOptions& o, std::ostream& out, std::ostream& err) {
    const std::string& path = o.files.front();
    int status = 0;
    const auto loaded = load_to_run(o, err, status);
    if (!loaded) return status;

    ExploreOptions options;
    options.max_runs = o.max_runs;
    options.max_steps = o.max_steps;
    options.preemptions = o.preemptions;
    options.run = host_run_options();
    const ExploreResult result = explore(loaded->parsed.program, options);

    if (o.trace_of) {
        if (*o.trace_of > result.outcomes.size()) {
            err << "tasklab: --trace-of " << *o.trace_of << ": the exploration found "
                << plural(result.outcomes.size(), "outcome", "outcomes") << '\n';
            return static_cast<int>(ExitCode::usage);
        }
        ScriptedChooser chooser(result.outcomes[*o.trace_of - 1].script, o.preemptions);
        Controller controller(loaded->parsed.program, scripted_run(host_run_options(), chooser));
        controller.run_until_idle();
        return report_run(o, controller, out, err);
    }

    const ast::Program& p = *loaded->parsed.program;
    if (o.json) {
        write_json(out, result);
        return result.complete ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::stopped);
    }
    out << styled(o, "1", escape_control_characters(p.title.empty() ? path : p.title)) << '\n';
    std::string meta = escape_control_characters(path) + " · " + (p.language == ast::Language::swift ? "Swift" : "Python asyncio") +
                       " · " + rules_text(result.rules);
    out << styled(o, "2", meta) << '\n';
    std::string searched = "explored " + plural(result.runs, "order", "orders") + " (at most " +
                           plural(result.choice_points, "choice point", "choice points") + " in one";
    if (result.rules.preemption) searched += ", " + plural(o.preemptions, "preemption", "preemptions") + " per order";
    searched += ")";
    if (result.rules.preemption) searched += ", pruned " + plural(result.pruned, "preemption point", "preemption points") + " as equivalent";
    if (result.complete) searched += " · complete";
    else if (result.hit_max_choices && result.runs < o.max_runs && !result.hit_max_steps)
        searched += " · a run met over " + std::to_string(k_max_choices_per_run) +
                    " choice points and took tasklab's order after them: more outcomes may exist";
    else
        searched += " · stopped at " + (result.hit_max_steps ? "--max-steps " + std::to_string(o.max_steps)
                                                             : "--max-runs " + std::to_string(o.max_runs)) +
                    ": more outcomes may exist";
    out << styled(o, "2", searched) << "\n\n";

    out << styled(o, "1", plural(result.outcomes.size(), "outcome", "outcomes")) << '\n';
    const auto& first = result.outcomes.front().lines;
    for (std::size_t k = 0; k < result.outcomes.size(); ++k) {
        const ExploredOutcome& oc = result.outcomes[k];
        out << '\n'
            << styled(o, "1", "Outcome " + std::to_string(k + 1)) << styled(o, "2", " · " + plural(oc.runs, "order", "orders"))
            << " · " << (oc.diverges_at ? escape_control_characters(oc.divergence) : std::string("tasklab's own order")) << '\n';
        std::size_t differs = oc.lines.size();
        if (k > 0) {
            differs = 0;
            while (differs < oc.lines.size() && differs < first.size() && oc.lines[differs] == first[differs]) ++differs;
        }
        for (std::size_t i = 0; i < oc.lines.size(); ++i) {
            const bool changed = k > 0 && i >= differs;
            out << (changed ? styled(o, "1;33", "  ≠ ") : std::string("    ")) << escape_control_characters(oc.lines[i]) << '\n';
        }
        if (oc.lines.empty()) out << styled(o, "2", "    (the program printed nothing)") << '\n';
        out << styled(o, "2", "    → " + ending(oc)) << '\n';
    }
    return result.complete ? static_cast<int>(ExitCode::ok) : static_cast<int>(ExitCode::stopped);
}

}  // namespace tasklab::cli
