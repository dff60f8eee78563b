// The race explorer: every outcome a real run of the program could have.
//
// tasklab's scheduler takes one fixed order where a real runtime leaves the order open
// (which ready task runs next, which of two timers due at one instant fires first, whether
// another thread's statement comes between two of the running task's). The language runtime
// says which of these each model opens (ChoiceRules, engine/interp/language_runtime.cpp;
// docs/semantics.md, "Which orders are open"), and the scheduler asks a Chooser at each one.
//
// explore() runs the program once per order, depth first: a run follows a script of choices
// (the index taken at each choice point, in the order the points come) and takes the default
// beyond it; the next script changes the deepest choice that has an alternative left. This is
// stateless model checking with replay (VeriSoft, CHESS): runs are deterministic, so a script
// is all it takes to make a run again. Preemptions are bounded (`preemptions`, as in
// context-bounded model checking): a run chooses "another thread first" at most that many
// times. A preemption point is offered only after the running task touched state another task
// can see (engine/race_mark.hpp): between statements that touch nothing shared, preempting
// before or after gives the same run, so those orders are pruned without being run.
//
// The outcome of a run is what a person compares: the lines it printed and how it ended.
// Outcomes are listed in the order the search first meets them, the default order's first, so
// the same program always gives the same list.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/ast.hpp"
#include "run_types.hpp"
#include "scheduler.hpp"

namespace tasklab {

/// The most choice points one run notes. A run that meets more (a spin loop polling a shared
/// flag meets one per turn) takes tasklab's order at the rest, and the search says it is not
/// complete: it keeps one run's memory and the number of orders bounded.
inline constexpr std::size_t k_max_choices_per_run = 10'000;

/// How many alternatives a ChoiceMade lists by task.
inline constexpr std::size_t k_listed_alternatives = 8;

/// A choice one run made.
struct ChoiceMade {
    ChoicePoint point = ChoicePoint::pick;
    std::uint32_t chosen = 0;              ///< which alternative it took (0: tasklab's default)
    std::uint32_t count = 0;               ///< how many alternatives there were (at least 2)
    TaskId default_task = 0;               ///< alternative 0: the task tasklab's order runs (timer: whose timer fires)
    TaskId chosen_task = 0;                ///< the task of the alternative taken
    std::uint64_t event = 0;               ///< the trace index where it was made
    Tick now = 0;
    Span span;
    /// The first alternatives (at most k_listed_alternatives), [0] the default: enough to say
    /// who else could have gone first without copying a thousand-task ready queue per choice.
    std::vector<TaskId> listed;
};

/// Replays a script of choices and takes the default after it, noting every choice point.
/// At most `preemptions` preemption points choose another task; once they are used up,
/// preemption points are no longer choices (and are not noted).
class ScriptedChooser final : public Chooser {
public:
    explicit ScriptedChooser(std::vector<std::uint32_t> script = {}, unsigned preemptions = 1)
        : m_script(std::move(script)), m_preemptions(preemptions) {}
    void begin_run() override;
    std::size_t choose(const ChoiceAt& at) override;
    void equivalent(const ChoiceAt& at) override;
    /// The choice points of the last run, in order.
    [[nodiscard]] const std::vector<ChoiceMade>& log() const { return m_log; }
    /// True when the last run met more than k_max_choices_per_run choice points.
    [[nodiscard]] bool capped() const { return m_capped; }
    /// Preemption points the last run did not offer, beyond its script, because the running
    /// task had touched nothing shared since the last choice (each would have given at least
    /// one more run, equal to one explored).
    [[nodiscard]] std::uint64_t equivalent_skipped() const { return m_skipped; }

private:
    std::vector<std::uint32_t> m_script;
    unsigned m_preemptions = 1;
    unsigned m_used = 0;
    std::vector<ChoiceMade> m_log;
    std::uint64_t m_skipped = 0;
    bool m_capped = false;
};

struct ExploreOptions {
    std::size_t max_runs = 2000;  ///< orders to run at most (the bound)
    /// Scheduler steps of all runs together at most: a program with a thousand tasks makes
    /// long runs, and this keeps its search to seconds. Deterministic, unlike a clock.
    std::uint64_t max_steps = 250'000;
    unsigned preemptions = 1;     ///< preemptions per run at most (Swift, GCD)
    RunOptions run;               ///< limits and the stop flag; `chooser` is the explorer's own
};

/// One distinct outcome and the orders that lead to it.
struct ExploredOutcome {
    std::vector<std::string> lines;       ///< what the program printed, in order
    RunState state = RunState::finished;  ///< how the run ended
    std::string end;                      ///< its message and the stderr text, for people
    int exit_code = 0;
    std::size_t runs = 0;                 ///< explored orders that end here
    std::vector<std::uint32_t> script;    ///< the first order found: the choice at each point
    std::vector<ChoiceMade> choices;      ///< that order's choice points
    /// Index into `choices` of the first choice that departs from the default order (none for
    /// the default order's own outcome).
    std::optional<std::size_t> diverges_at;
    std::string divergence;               ///< that choice for people ("at 3 s, `cancel` ran before `outerItem`")
};

struct ExploreResult {
    std::vector<ExploredOutcome> outcomes;  ///< the default order's outcome first
    std::size_t runs = 0;                   ///< orders run
    std::uint64_t pruned = 0;               ///< preemption points not offered: equal to an explored order (see above)
    std::size_t choice_points = 0;          ///< the most choice points one run met
    bool complete = true;                   ///< false: a bound stopped the search first
    bool hit_max_steps = false;             ///< the bound that stopped it was max_steps (else max_runs)
    bool hit_max_choices = false;           ///< a run met more than k_max_choices_per_run choice points
    std::uint64_t steps = 0;                ///< scheduler steps of all runs
    bool stopped = false;                   ///< the stop flag ended the search
    ChoiceRules rules;                      ///< the orders the program's model opens
};

/// Runs `program` under every order its model leaves open, up to the bounds.
ExploreResult explore(std::shared_ptr<const ast::Program> program, const ExploreOptions& options);

/// RunOptions that make a run take the order `script` (an outcome's), through `chooser`,
/// which must outlive the run.
RunOptions scripted_run(RunOptions options, ScriptedChooser& chooser);

/// "at 3 s, `cancel` ran before `outerItem`": one choice for people; `trace` names the tasks.
std::string describe_choice(const ChoiceMade& c, const Trace& trace, const ast::Program& program);

}  // namespace tasklab
