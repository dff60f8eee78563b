// The small public driving API: what tools and the visualizer use to run a scenario.
//
// A Controller owns one run of one parsed Program: the trace, the scheduler and the
// language runtime of the program's language (engine/interp/language_runtime.hpp). How a run
// ends, and with which exit status, is decided here alike for both languages (run_types.hpp). Everything it exposes is read-only state plus the stepping verbs, modelled on
// kotlinx-coroutines-test's TestCoroutineScheduler with a single-step verb added:
//   step()            one scheduler step (docs/scheduler.md)
//   run_current()     run everything ready now, and timers due now, without moving the clock
//   advance_by(d)     run what is due strictly before now+d, then set the clock to now+d
//   run_until_idle()  run to the end of the program or a limit
//   replay_to(n)      rebuild the run from the start and stop after step n (exact stepping back:
//                     the run is deterministic)
// and one read of a task's live values at the cursor: inspect(task) (engine/inspection.hpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"
#include "inspection.hpp"
#include "memory_meter.hpp"
#include "run_types.hpp"
#include "scheduler.hpp"
#include "trace.hpp"

namespace tasklab {

class Controller {
public:
    explicit Controller(std::shared_ptr<const ast::Program> program, RunOptions options = {});
    ~Controller();
    Controller(const Controller&) = delete;
    Controller& operator=(const Controller&) = delete;

    /// One scheduler step. Returns false when the run is over (see status()).
    bool step();
    void run_current();
    void advance_by(Tick d);
    void run_until_idle();
    /// Restarts the run and stops after step `step` (0: before the first step).
    void replay_to(std::uint64_t step);
    /// Replaces RunOptions::stop for the rest of this run and for its replays (nullptr: none):
    /// a run made on one thread and then handed to another keeps no flag of the first one.
    void set_stop_flag(const std::atomic<bool>* flag);

    [[nodiscard]] std::uint64_t step_index() const;
    [[nodiscard]] Tick now() const;
    [[nodiscard]] bool finished() const { return status().state != RunState::running; }
    [[nodiscard]] const RunStatus& status() const;
    /// The most the run's memory budget counted at once so far, in bytes (engine/memory_meter.hpp).
    [[nodiscard]] std::uint64_t memory_peak() const;
    [[nodiscard]] std::vector<TaskId> ready_queue() const;
    [[nodiscard]] std::vector<PendingTimer> timers() const;
    [[nodiscard]] std::vector<WaitingTask> waiting() const;
    [[nodiscard]] const Trace& trace() const;
    [[nodiscard]] const std::vector<OutputLine>& output() const;
    [[nodiscard]] const ast::Program& program() const { return *m_program; }
    [[nodiscard]] std::shared_ptr<const ast::Program> program_ptr() const { return m_program; }
    /// The language of the runtime this run built (the program's).
    [[nodiscard]] ast::Language runtime_language() const;
    /// What `task` holds after the current step (engine/inspection.hpp): state, cancel flag or
    /// count, what it waits on, its result once finished, and the variables of every frame of
    /// its call chain, innermost first. Reads only: inspecting never changes the run. An
    /// unknown task gives an inspection with task == 0.
    [[nodiscard]] TaskInspection inspect(TaskId task) const;

private:
    struct Run;
    void restart();
    void run_current_here();
    void advance_by_here(Tick d);
    std::shared_ptr<const ast::Program> m_program;
    RunOptions m_options;
    std::unique_ptr<Run> m_run;
};

}  // namespace tasklab
