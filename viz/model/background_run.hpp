// Runs of the engine that may take long, made on a thread of their own so the window never waits.
//
// A student's `while true {}` keeps one scheduler step busy until the statement budget stops
// it (seconds), and a run of millions of steps takes as long to replay. The visualizer hands
// such work to a BackgroundRun: it builds a Controller of its own on a worker thread, drives
// it to a goal (the end of the run, a step, the next event that matches, the next virtual
// instant) and hands the Controller back when it gets there. Runs are deterministic, so that
// Controller is exactly the one the window would have built itself. Meanwhile the window keeps
// drawing the Controller it has, reads progress() (steps, events, virtual time: atomics) to
// say "running… N steps", and stop() ends the run within moments, even inside a step that
// never ends (RunOptions::stop: the run then ends as RunState::stopped, with what ran so far).
//
// One job at a time per BackgroundRun. The engine stays single-threaded per run: a Controller
// is only ever driven by one thread at a time, and the worker's Controller is the caller's once
// take() returns it. The program is shared read-only (its resolver marks are written once, then
// only read). The workers are a few threads that live as long as the process: a Controller
// keeps coroutine frames from the engine's per-thread pool of the thread that made them
// (engine/co.cpp), so that thread must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "engine/controller.hpp"

namespace tasklab::viz {

/// Where a background run stops.
enum class RunGoal : std::uint8_t {
    whole_run,     ///< to the end of the run (or a limit, or stop()); measures each step's cost
    step,          ///< after step RunJob::step (0: before the first)
    event,         ///< from step RunJob::step on, to the end of the first later step with a matching event
    next_instant,  ///< from step RunJob::step on, to the first step at a later virtual time
};

/// What to run.
struct RunJob {
    std::shared_ptr<const ast::Program> program;
    RunOptions options;  ///< its `stop` is set by BackgroundRun
    RunGoal goal = RunGoal::whole_run;
    std::uint64_t step = 0;
    /// RunGoal::event: the events searched for. Called on the worker thread: it must read
    /// nothing the window changes meanwhile (capture by value).
    std::function<bool(const Event&)> match;
};

/// What a finished job gives back.
struct RunOutcome {
    RunGoal goal = RunGoal::whole_run;
    /// The run, standing at the goal (or where stop() or a limit ended it).
    std::unique_ptr<Controller> controller;
    /// True when stop() ended the run.
    bool stopped = false;
    /// RunGoal::event: the index of the matching event, or nothing (the run ended first).
    std::optional<std::uint64_t> found_event;
    /// RunGoal::whole_run: the wall-clock milliseconds spent up to the end of each step
    /// (index 0: making the run; index n: after step n), for StepCosts.
    std::vector<double> cost_ms;
};

/// How far the run in flight got (read by the window while it runs).
struct RunProgress {
    std::uint64_t steps = 0;  ///< steps done (the one in flight is steps + 1)
    std::uint64_t events = 0;
    Tick now = 0;
};

/// The measured cost of each step of a whole run: tells the window whether moving its cursor
/// is quick enough to do between two frames or belongs on the worker. A measure, not a part
/// of the run: it only decides where work happens, never what the run does.
class StepCosts {
public:
    StepCosts() = default;
    explicit StepCosts(std::vector<double> cumulative_ms) : m_ms(std::move(cumulative_ms)) {}
    /// Milliseconds to run from step `from` to step `to` (from <= to); a step the whole run never
    /// measured (after a stop) counts as unknown: infinitely long.
    [[nodiscard]] double between(std::uint64_t from, std::uint64_t to) const;
    /// Milliseconds to replay from the start to step `to`.
    [[nodiscard]] double replay(std::uint64_t to) const { return between(0, to); }
    /// Steps measured (the whole run's last step).
    [[nodiscard]] std::uint64_t steps() const { return m_ms.empty() ? 0 : m_ms.size() - 1; }

private:
    std::vector<double> m_ms;
};

class BackgroundRun {
public:
    BackgroundRun() = default;
    /// Stops the job in flight and waits for it (moments: the run checks its stop flag).
    ~BackgroundRun();
    BackgroundRun(const BackgroundRun&) = delete;
    BackgroundRun& operator=(const BackgroundRun&) = delete;

    /// Starts `job` on the worker. A job still in flight is stopped and its outcome dropped.
    void start(RunJob job);
    /// True from start() until take() hands the outcome back.
    [[nodiscard]] bool busy() const { return m_active; }
    /// True when a job was started and has finished (take() returns at once).
    [[nodiscard]] bool done() const { return m_done.load(std::memory_order_acquire); }
    /// The goal of the job in flight.
    [[nodiscard]] RunGoal goal() const { return m_goal; }
    /// Asks the job in flight to stop; the run ends as RunState::stopped with what ran so far.
    void stop() { m_stop.store(true, std::memory_order_relaxed); }
    /// True once stop() was called for the job in flight.
    [[nodiscard]] bool stop_requested() const { return m_stop.load(std::memory_order_relaxed); }
    /// How far the job in flight got.
    [[nodiscard]] RunProgress progress() const;
    /// Wall-clock seconds since the job in flight started.
    [[nodiscard]] double seconds() const;
    /// Waits up to `seconds` for the job to finish (negative: as long as it takes). True when
    /// it has finished (or none is in flight).
    bool wait(double seconds);
    /// The finished job's outcome (once), or nothing while it runs or when none was started.
    std::optional<RunOutcome> take();

private:
    void work(RunJob job);
    void publish(const Controller& c);
    bool m_active = false;  ///< a job was started and not taken yet
    std::chrono::steady_clock::time_point m_started;
    RunGoal m_goal = RunGoal::whole_run;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_done{false};
    std::atomic<std::uint64_t> m_steps{0};
    std::atomic<std::uint64_t> m_events{0};
    std::atomic<Tick> m_now{0};
    std::mutex m_mutex;
    std::condition_variable m_finished;
    std::optional<RunOutcome> m_outcome;  ///< guarded by m_mutex
};

}  // namespace tasklab::viz
