// The interpreter that runs a Swift/GCD scenario's AST on the scheduler.
//
// It turns the program's top-level code into the main task and every `Task {}`, `addTask`,
// `async let` and dispatched work item into a scheduler task whose body is a coroutine
// walking the AST. All concurrency rules live in the cancellation models (engine/cancel/):
// the interpreter only calls them. What the program prints is recorded as `printed` events
// and collected as output lines; a runtime error (a nil unwrap, an unsupported member…)
// ends the run with a Diagnostic pointing at the offending expression.
//
// The Controller owns one Interpreter per run and reads the state below after each step.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/cancel/gcd.hpp"
#include "engine/cancel/swift.hpp"
#include "engine/controller.hpp"
#include "engine/inspection.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab::interp {

class Machine;

class Interpreter {
public:
    /// `max_statements_per_step`: see RunOptions.
    Interpreter(std::shared_ptr<const ast::Program> program, Scheduler& sched, swift::Model& swift, gcd::Model& gcd,
                std::uint64_t max_statements_per_step = 10'000'000);
    ~Interpreter();
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    /// Spawns the main task (the program's top-level code). Call once.
    TaskId start();

    /// The main task's id (0 before start()).
    [[nodiscard]] TaskId main_task() const;
    /// A runtime error that ended the run, if any.
    [[nodiscard]] const std::optional<Diagnostic>& runtime_error() const;
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
    [[nodiscard]] Span last_span(TaskId task) const;
    /// The lines printed so far, each with its time and task.
    [[nodiscard]] const std::vector<OutputLine>& output() const;
    /// Ends a line printed with `terminator: ""` that nothing completed (at program end), and
    /// reports the checked continuations that went away unresumed.
    void flush_output();
    /// What the Swift runtime printed on stderr as warnings ("SWIFT TASK CONTINUATION MISUSE:
    /// … leaked its continuation …"), one per line.
    [[nodiscard]] const std::string& warnings() const;
    /// Fills what the interpreter knows of `task` for the inspector: its frames and their
    /// variables, its cancel flag, its result (`out`'s state and outcome must be set already).
    void inspect(TaskId task, TaskInspection& out) const;

private:
    std::unique_ptr<Machine> m;
};

}  // namespace tasklab::interp
