// The seam between the Controller and a language: what the Controller needs from the
// interpreter that runs a program, whatever its language.
//
// A LanguageRuntime runs one program's AST on the run's scheduler. The Controller starts it,
// reads its output and what it knows of a task (the statement it ran last, its frames for the
// inspector), and after every scheduler step asks it the end-of-run facts that only the
// language knows: did the program end the process itself (Swift's `exit(n)`, a signal's
// default action in Python), did the runtime trap, did the top-level code finish and how
// (an uncaught error and what the real runtime prints for it), does the program wait forever
// by design (Swift's `dispatchMain()`), and the words its messages use. Everything else about
// the end of a run (the order of the checks, deadlocks, limits, the exit-status table of
// engine/run_types.hpp, lints, the `run_ended` event) is the Controller's, one ladder for
// both languages (engine/controller.cpp).
//
// make_language_runtime builds the one runtime the program's language needs: a Python run
// builds no Swift interpreter nor its cancellation models, and the other way round.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/inspection.hpp"
#include "engine/run_types.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab {

/// How a program ended the run by itself, in its language's words.
struct ProgramEnd {
    RunState state = RunState::finished;   ///< finished or uncaught_error
    int status = 0;                        ///< the program's own exit status (see exit_status)
    std::string message;                   ///< the run's one line (the text of `run_ended`)
    std::string stderr_text;               ///< what the real runtime prints on stderr
    std::optional<Diagnostic> diagnostic;  ///< where an uncaught error escaped
};

/// What the Controller needs from the interpreter of one language (see above).
class LanguageRuntime {
public:
    virtual ~LanguageRuntime() = default;

    /// The language this runtime runs.
    [[nodiscard]] virtual ast::Language language() const = 0;
    /// Spawns the program's main task (its top-level code). Call once.
    virtual TaskId start() = 0;
    /// The main task's id (0 before start()).
    [[nodiscard]] virtual TaskId main_task() const = 0;
    /// The lines printed so far, each with its time and task.
    [[nodiscard]] virtual const std::vector<OutputLine>& output() const = 0;
    /// At the end of a run: ends a line printed without its newline and reports what the
    /// runtime reports at exit (Swift: checked continuations that went away unresumed).
    virtual void flush_output() = 0;
    /// Warnings the real runtime prints on stderr during the run, one per line ("" if none).
    [[nodiscard]] virtual std::string warnings() const = 0;
    /// The statement `task` ran last (empty if it never ran one).
    [[nodiscard]] virtual Span last_span(TaskId task) const = 0;
    /// Fills what the interpreter knows of `task` for the inspector: its frames and their
    /// variables, its cancel flag or count, its result (`out`'s state and outcome must be set).
    virtual void inspect(TaskId task, TaskInspection& out) const = 0;

    // ---- end of run: read after every step, in the Controller's order -------------------
    /// The program ended the process on the spot (Swift `exit(n)`, a signal's default action
    /// in Python). Read before runtime_error(): Swift's `exit` also stops the task as a trap.
    [[nodiscard]] virtual std::optional<ProgramEnd> process_ended() const = 0;
    /// A runtime error (a trap, or something tasklab cannot run) that ended the run, if any.
    [[nodiscard]] virtual const std::optional<Diagnostic>& runtime_error() const = 0;
    /// What the real runtime prints on stderr for that error ("" when it is tasklab's own).
    [[nodiscard]] virtual std::string runtime_error_stderr(const Diagnostic& d) const = 0;
    /// The top-level code is done: the process exits, normally or with an uncaught error.
    [[nodiscard]] virtual std::optional<ProgramEnd> top_level_ended() const = 0;
    /// Nothing can run and no timer is pending, yet the program is not stuck: it waits forever
    /// by design (Swift's `dispatchMain()`). The run's message then, or nothing (a deadlock).
    [[nodiscard]] virtual std::optional<std::string> waits_forever_by_design() const = 0;
    /// The first words of a deadlock's message.
    [[nodiscard]] virtual std::string_view deadlock_headline() const = 0;
    /// How a comment starts (`//`, `#`): the messages suggest `tasklab:` directives with it.
    [[nodiscard]] virtual std::string_view comment_marker() const = 0;
};

/// Builds the runtime of `program`'s language, and only that one, on `sched`.
/// The orders the model of a program in `language` leaves open (the race explorer's choice
/// points; language_runtime.cpp says why for each).
[[nodiscard]] ChoiceRules choice_rules(ast::Language language);

[[nodiscard]] std::unique_ptr<LanguageRuntime> make_language_runtime(std::shared_ptr<const ast::Program> program,
                                                                     Scheduler& sched, const RunOptions& options);

}  // namespace tasklab
