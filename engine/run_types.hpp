// What a host hands a run and what it gets back: the run's options, how the run ended (its
// state, message, diagnostic, stderr and exit status) and the lines the program printed.
//
// These types are shared by the Controller (engine/controller.hpp), the interpreters of both
// languages (engine/interp/) and every host (the `tasklab` command, the visualizer, the
// tests). They live apart from the Controller so an interpreter can read its options without
// seeing the Controller.
//
// The exit-status table (exit_status below) is the one table for both languages; README.md
// ("Exit status") and docs/language.md show it to people.
#pragma once

#include <atomic>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scenarios/diagnostics.hpp"
#include "memory_meter.hpp"
#include "scheduler.hpp"
#include "time.hpp"
#include "trace.hpp"

namespace tasklab {

/// How to run a program: limits, lints, the stop flag, and the facts of the host it runs on.
struct RunOptions {
    Limits limits;                  ///< program directives (`limit steps`, `limit time`) override these
    bool lints = true;              ///< emit teaching lints (swallowed cancel, never awaited, …)
    /// Statements one task may run without suspending before the run stops with a runtime error
    /// (an endless loop would otherwise never give the scheduler its turn back).
    std::uint64_t max_statements_per_step = 10'000'000;
    /// A flag another thread sets to stop the run (a "Stop" button), or nullptr. It is read
    /// before every step and wherever the interpreters count work, so even a step that never
    /// ends stops within moments; the run then ends as RunState::stopped. It must outlive the
    /// Controller. The run itself stays on one thread: only this flag is shared.
    const std::atomic<bool>* stop = nullptr;
    /// Bytes the program's values, tasks, frames, output and trace may hold before the run stops
    /// with a memory-limit error (engine/memory_meter.hpp); `limit memory` overrides it.
    std::uint64_t max_memory = k_default_memory_limit;
    /// The host thread's native stack size in bytes (its `ulimit -s`), 0 when unknown or
    /// unlimited. The engine never asks the operating system: the host fills this in. It
    /// matters only when the engine's own big stack (engine/big_stack.hpp) cannot be reserved
    /// and interpreted code runs on the host's stack instead.
    std::uint64_t native_stack_size = 0;
    /// The race explorer's chooser (engine/explore.hpp), or nullptr for tasklab's fixed order.
    /// It must outlive the Controller; it is told when a replay restarts the run.
    Chooser* chooser = nullptr;
};

/// How far a run got: still running, or why it ended.
enum class RunState : std::uint8_t {
    running,         ///< more steps to go
    finished,        ///< the program ended normally
    uncaught_error,  ///< an error escaped the top level, or a signal killed the process
    runtime_error,   ///< the program did something the runtime traps on, or tasklab cannot model
    deadlock,        ///< nothing ready, no timer pending, tasks still waiting
    step_limit,
    time_limit,
    internal_error,  ///< a bug in tasklab
    stopped,         ///< RunOptions::stop was set (a person stopped the run)
};
/// The state's name as the golden files and JSON exports spell it ("step_limit").
std::string_view run_state_name(RunState s);

/// Exit statuses that are tasklab's own (the others are the program's: see exit_status).
inline constexpr int k_exit_uncaught_error = 1;  ///< an uncaught error, as the real runtime exits
inline constexpr int k_exit_stopped = 4;         ///< a runtime error, deadlock, limit or stop ended the run
inline constexpr int k_exit_internal_error = 70; ///< a bug in tasklab (EX_SOFTWARE of sysexits.h)

/// The exit status of a run that ended in `state`, for both languages alike. `program_status`
/// is the status the program chose itself (`exit(n)`, `sys.exit(n)`, 130 after an uncaught
/// KeyboardInterrupt, 128 + N when signal N killed it; else 0, or 1 after an uncaught error):
///   finished                     -> program_status (0 unless the program chose another)
///   uncaught_error               -> program_status when above 1, else 1
///   runtime_error (memory limit included), deadlock, step_limit, time_limit, stopped -> 4
///   internal_error               -> 70
///   running                      -> 0
[[nodiscard]] int exit_status(RunState state, int program_status);

/// How a run ended, for people and for the `tasklab` command.
struct RunStatus {
    RunState state = RunState::running;
    std::string message;                   ///< one line for people: why the run ended
    std::optional<Diagnostic> diagnostic;  ///< for runtime errors / limits: where, as file:line:col
    std::string stderr_text;               ///< what the real runtime would print on stderr
    std::string warnings;                  ///< runtime warnings the real program prints on stderr before that (a leaked continuation)
    int exit_code = 0;                     ///< the run's exit status: exit_status(state, the program's own status)
};

/// One line the program printed (`print`, `logging.info`, …).
struct OutputLine {
    Tick time = 0;
    TaskId task = 0;
    std::uint64_t event = 0;  ///< index of its `printed` event
    std::string text;
};

}  // namespace tasklab
