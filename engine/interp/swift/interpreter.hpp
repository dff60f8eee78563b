// The interpreter that runs a Swift/GCD scenario's AST on the scheduler.
//
// It turns the program's top-level code into the main task and every `Task {}`, `addTask`,
// `async let` and dispatched work item into a scheduler task whose body is a coroutine
// walking the AST. All concurrency rules live in the cancellation models (engine/cancel/):
// the interpreter only calls them. What the program prints is recorded as `printed` events
// and collected as output lines; a runtime error (a nil unwrap, an unsupported member…)
// ends the run with a Diagnostic pointing at the offending expression.
//
// It is the Swift/GCD LanguageRuntime (engine/interp/language_runtime.hpp): the Controller
// owns one per run of a Swift program and reads the state below after each step. The
// interpreter owns the run's Swift and GCD cancellation models.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/cancel/gcd.hpp"
#include "engine/cancel/swift.hpp"
#include "engine/inspection.hpp"
#include "engine/interp/language_runtime.hpp"
#include "engine/run_types.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab::interp {

class Machine;

class Interpreter final : public LanguageRuntime {
public:
    /// Builds the run's Swift and GCD models on `sched` and the machine that runs `program`
    /// (`options`: the statement budget).
    Interpreter(std::shared_ptr<const ast::Program> program, Scheduler& sched, const RunOptions& options);
    ~Interpreter() override;
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    /// How many Swift interpreters this process has built (the factory's tests read it).
    [[nodiscard]] static std::uint64_t constructed();

    [[nodiscard]] ast::Language language() const override { return ast::Language::swift; }
    /// Spawns the main task (the program's top-level code). Call once.
    TaskId start() override;

    /// The main task's id (0 before start()).
    [[nodiscard]] TaskId main_task() const override;
    /// A runtime error that ended the run, if any.
    [[nodiscard]] const std::optional<Diagnostic>& runtime_error() const override;
    /// The status `exit(n)` ended the process with, if it did.
    [[nodiscard]] std::optional<int> exit_status() const;
    /// True when an error escaped the top-level code.
    [[nodiscard]] bool uncaught_error() const;
    /// String(reflecting:) of the error that escaped the top level.
    [[nodiscard]] const std::string& uncaught_text() const;
    /// The top-level statement the uncaught error escaped from.
    [[nodiscard]] Span uncaught_span() const;
    /// True while the main task is parked in dispatchMain().
    [[nodiscard]] bool in_dispatch_main() const;
    /// The statement a task ran last (where it waits, for deadlock messages).
    [[nodiscard]] Span last_span(TaskId task) const override;
    /// The lines printed so far, each with its time and task.
    [[nodiscard]] const std::vector<OutputLine>& output() const override;
    /// Ends a line printed with `terminator: ""` that nothing completed (at program end), and
    /// reports the checked continuations that went away unresumed.
    void flush_output() override;
    /// What the Swift runtime printed on stderr as warnings ("SWIFT TASK CONTINUATION MISUSE:
    /// … leaked its continuation …"), one per line.
    [[nodiscard]] std::string warnings() const override;
    /// Fills what the interpreter knows of `task` for the inspector: its frames and their
    /// variables, its cancel flag, its result (`out`'s state and outcome must be set already).
    void inspect(TaskId task, TaskInspection& out) const override;

    // ---- end of run (run_end.cpp) ----------------------------------------------------------
    /// `exit(n)`: the process ends at once, pending tasks with it.
    [[nodiscard]] std::optional<ProgramEnd> process_ended() const override;
    /// A trap prints `Fatal error: …` on stderr; tasklab's own errors print nothing.
    [[nodiscard]] std::string runtime_error_stderr(const Diagnostic& d) const override;
    /// The main task finished: `Fatal error: Error raised at top level: …`, or a normal end
    /// that abandons the tasks still running.
    [[nodiscard]] std::optional<ProgramEnd> top_level_ended() const override;
    /// The main task parked in `dispatchMain()`, which never returns.
    [[nodiscard]] std::optional<std::string> waits_forever_by_design() const override;
    [[nodiscard]] std::string_view deadlock_headline() const override;
    [[nodiscard]] std::string_view comment_marker() const override { return "//"; }

private:
    swift::Model m_swift;  ///< the models outlive the machine, which holds them
    gcd::Model m_gcd;
    std::unique_ptr<Machine> m;
};

}  // namespace tasklab::interp
