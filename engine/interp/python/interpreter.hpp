// The interpreter that runs a Python (asyncio) scenario's AST on the scheduler.
//
// The program's top-level code runs in a task of its own ("<module>"); `asyncio.run(main())`
// creates the event loop's main task and the module task waits for the loop to stop, as
// CPython's runner does. Every asyncio Task is a scheduler task; the cancellation rules live
// in the asyncio model (engine/cancel/asyncio.hpp). What the program prints (print, logging to
// sys.stdout) is recorded as `printed` events and collected as output lines; an exception that
// escapes the top level ends the run the way CPython does (the last traceback line on stderr,
// exit status 1); a construct tasklab cannot run ends it with a Diagnostic.
//
// It is the Python LanguageRuntime (engine/interp/language_runtime.hpp): the Controller owns
// one per run of a Python program and reads the state below after each step.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/inspection.hpp"
#include "engine/interp/language_runtime.hpp"
#include "engine/run_types.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab::py {

class Machine;

class Interpreter final : public LanguageRuntime {
public:
    /// Builds the machine that runs `program` on `sched` (`options`: lints, the statement
    /// budget, the host's native stack size).
    Interpreter(std::shared_ptr<const ast::Program> program, Scheduler& sched, const RunOptions& options);
    ~Interpreter() override;
    Interpreter(const Interpreter&) = delete;
    Interpreter& operator=(const Interpreter&) = delete;

    /// How many Python interpreters this process has built (the factory's tests read it).
    [[nodiscard]] static std::uint64_t constructed();

    [[nodiscard]] ast::Language language() const override { return ast::Language::python; }
    /// Spawns the module task (and arms the program's `signal` directives). Call once.
    TaskId start() override;

    /// The module task's id (0 before start()).
    [[nodiscard]] TaskId main_task() const override;
    /// True once the module's top-level code has finished (normally or not).
    [[nodiscard]] bool module_finished() const;
    /// A runtime error tasklab reported, if any.
    [[nodiscard]] const std::optional<Diagnostic>& runtime_error() const override;
    /// True when an exception escaped the top-level code.
    [[nodiscard]] bool uncaught_error() const;
    /// The last line of CPython's traceback for it: `ValueError: boom`.
    [[nodiscard]] const std::string& uncaught_line() const;
    [[nodiscard]] Span uncaught_span() const;
    /// The process's exit status: 1 for an uncaught exception, 130 for KeyboardInterrupt,
    /// sys.exit's code, 128+N when a signal killed it.
    [[nodiscard]] int exit_code() const;
    /// The signal whose default action ended the process ("SIGKILL"), or "".
    [[nodiscard]] const std::string& killed_by() const;
    /// The statement a task ran last (deadlock messages).
    [[nodiscard]] Span last_span(TaskId task) const override;
    [[nodiscard]] const std::vector<OutputLine>& output() const override;
    /// Ends a line printed with `end=""` that nothing completed (at program end).
    void flush_output() override;
    /// CPython prints no runtime warnings tasklab models: always "".
    [[nodiscard]] std::string warnings() const override { return {}; }
    /// Fills what the interpreter knows of `task` for the inspector: its frames and their
    /// variables, its cancelling() count, its result (`out`'s state and outcome must be set).
    void inspect(TaskId task, TaskInspection& out) const override;

    // ---- end of run (run_end.cpp) ----------------------------------------------------------
    /// A signal's default action killed the process (exit status 128 + N).
    [[nodiscard]] std::optional<ProgramEnd> process_ended() const override;
    /// tasklab's own errors: nothing on stderr (CPython has no such traps).
    [[nodiscard]] std::string runtime_error_stderr(const Diagnostic& d) const override;
    /// The module's code finished: normally (sys.exit's message on stderr), or with an
    /// uncaught exception (the last traceback line on stderr, exit status 1 or 130).
    [[nodiscard]] std::optional<ProgramEnd> top_level_ended() const override;
    /// A Python program that waits with nothing pending is deadlocked: never by design.
    [[nodiscard]] std::optional<std::string> waits_forever_by_design() const override { return std::nullopt; }
    [[nodiscard]] std::string_view deadlock_headline() const override;
    [[nodiscard]] std::string_view comment_marker() const override { return "#"; }

private:
    std::unique_ptr<Machine> m;
};

}  // namespace tasklab::py
