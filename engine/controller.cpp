// The Controller: one run of one program (see controller.hpp).
//
// After every scheduler step it checks, in this order, whether the run is over (one ladder
// for both languages; what only the language knows comes from its LanguageRuntime):
//   1. the stop flag was set                                  -> stopped
//   2. an internal error (a C++ exception escaped a task)      -> internal_error
//   3. the program ended the process on the spot (Swift `exit(n)`, a signal's default action
//      in Python)                                             -> finished / uncaught_error
//   4. a runtime error the interpreter reported               -> runtime_error
//   5. the top-level code finished: the process exits, every task still running or waiting
//      is abandoned                                           -> finished / uncaught_error
//   6. nothing can run and no timer is pending: the program waits forever by design (main
//      parked in dispatchMain())                              -> finished; otherwise -> deadlock
//   7. the step or time limit                                 -> step_limit / time_limit
// Each end sets the exit status from the one table of run_types.hpp (exit_status). The last
// event of every run is `run_ended`.
#include "controller.hpp"

#include <algorithm>
#include <string_view>

#include "big_stack.hpp"
#include "engine/cancel_stories.hpp"
#include "engine/interp/language_runtime.hpp"

namespace tasklab {

namespace {

Limits effective_limits(const ast::Program& p, const RunOptions& o) {
    Limits l = o.limits;
    if (p.step_limit != 0) l.max_steps = p.step_limit;
    if (p.time_limit != 0) l.max_time = p.time_limit;
    return l;
}

}  // namespace

struct Controller::Run {
    MemoryMeter meter;  ///< first: it outlives every value of the run, which gives its bytes back
    Trace trace;
    Scheduler sched;
    std::unique_ptr<LanguageRuntime> runtime;  ///< the interpreter of the program's language
    RunStatus status;
    bool lints = true;
    /// What inspect() reads from the trace, per task, brought up to date incrementally.
    struct TaskFacts {
        bool started = false;
        std::uint32_t cancel_requests = 0;
        std::int16_t outcome = -1;
    };
    std::vector<TaskFacts> facts;
    std::uint64_t facts_scanned = 0;
    const TaskFacts& facts_of(TaskId task) {
        facts.resize(trace.tasks().size());
        for (; facts_scanned < trace.size(); ++facts_scanned) {
            const StoredEvent& e = trace.stored(facts_scanned);
            if (e.task == 0 || e.task >= facts.size()) continue;
            if (e.kind == EventKind::task_started) facts[e.task].started = true;
            else if (e.kind == EventKind::cancel_requested) ++facts[e.task].cancel_requests;
            else if (e.kind == EventKind::task_finished) facts[e.task].outcome = e.detail;
        }
        return facts[task];
    }

    Run(std::shared_ptr<const ast::Program> program, const RunOptions& options)
        : meter(program->memory_limit != 0 ? program->memory_limit : options.max_memory),
          sched(trace, effective_limits(*program, options)),
          runtime(make_language_runtime(program, sched, options)),
          lints(options.lints) {
        sched.set_stop_flag(options.stop);
        if (options.chooser != nullptr) options.chooser->begin_run();  // choices start with the first step
    }

    [[nodiscard]] std::string where(Span s, const ast::Program& p) const {
        if (!p.file) return "?";
        const LineCol lc = p.file->locate(s.begin);
        return p.file->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
    }

    void abandon_rest() {
        // Program end (real Swift): exit() takes every task still running or waiting with it.
        for (TaskId t = 1; t < trace.tasks().size(); ++t)
            if (sched.state(t) != TaskState::finished) sched.abandon(t);
    }

    void emit_lints() {
        if (!lints) return;
        const std::size_t n = trace.tasks().size();
        std::vector<int> outcome(n, -1);
        // A cancel counts as observed when the task noticed it itself or when it reached the
        // task through a child that noticed it and whose error the task received (cancel_stories.hpp).
        CancelStoryFold cancels;
        for (std::uint64_t i = 0; i < trace.size(); ++i) {
            cancels.read(trace, i);
            const StoredEvent& e = trace.stored(i);
            if (e.task < n && e.kind == EventKind::task_finished) outcome[e.task] = e.detail;
        }
        for (TaskId t = 1; t < n; ++t) {
            const TaskInfo& info = trace.task(t);
            const auto o = static_cast<Outcome>(outcome[t]);
            if (cancels.requested(t) && !cancels.noticed(t) && outcome[t] >= 0 && (o == Outcome::returned || o == Outcome::threw)) {
                const std::string msg = info.name + " was asked to cancel but finished without ever checking";
                sched.emit_at(EventKind::lint, t, Span{}, 0, trace.add_string(msg), static_cast<std::uint8_t>(LintKind::cancel_never_observed));
            }
            const bool unstructured = info.kind == TaskKind::unstructured || info.kind == TaskKind::detached ||
                                      info.kind == TaskKind::work_item;
            if (unstructured && outcome[t] >= 0 && o == Outcome::abandoned) {
                const std::string msg = info.name + " was still running when the program exited";
                sched.emit_at(EventKind::lint, t, Span{}, 0, trace.add_string(msg), static_cast<std::uint8_t>(LintKind::outlived_creator));
            }
        }
    }

    void end(RunState state, EndReason reason, std::string message) {
        runtime->flush_output();
        status.warnings = runtime->warnings();
        abandon_rest();
        emit_lints();
        sched.emit_at(EventKind::run_ended, 0, Span{}, 0, trace.add_string(message), static_cast<std::uint8_t>(reason));
        status.state = state;
        status.message = std::move(message);
    }

    /// Ends the run the way the program ended it itself (ladder steps 3 and 5).
    void end_by_program(ProgramEnd e) {
        status.exit_code = exit_status(e.state, e.status);
        status.stderr_text = std::move(e.stderr_text);
        if (e.diagnostic) status.diagnostic = std::move(e.diagnostic);
        const EndReason reason = e.state == RunState::finished ? EndReason::finished : EndReason::uncaught_error;
        end(e.state, reason, std::move(e.message));
    }

    /// Nothing can run and no timer is pending, and the program does not wait by design: every
    /// waiting task is listed with what it waits for and where (ladder step 6).
    void end_in_deadlock(const ast::Program& program) {
        std::string msg(runtime->deadlock_headline());
        Diagnostic d;
        d.kind = DiagnosticKind::deadlock;
        d.span = runtime->last_span(runtime->main_task());
        d.message = msg;
        for (const WaitingTask& w : sched.waiting_tasks()) {
            std::string what = w.what.empty() ? std::string(wait_reason_name(w.reason)) : w.what;
            if (w.reason == WaitReason::actor) {
                // An actor whose holder never lets go: name the holder, the task to look at.
                what = "the actor " + what;
                if (const TaskId holder = sched.actor_holder(w.related); holder != 0)
                    what += " (held by " + trace.task(holder).name + ")";
            }
            Span at = runtime->last_span(w.task);
            if (at.empty() && at.begin == 0) at = trace.task(w.task).span;  // never started: where it was made
            const std::string line = trace.task(w.task).name + " waits for " + what + " at " + where(at, program);
            msg += "; " + line;
            d.notes.push_back(line);
        }
        status.diagnostic = d;
        status.exit_code = exit_status(RunState::deadlock, 0);
        end(RunState::deadlock, EndReason::deadlock, msg);
    }

    /// Ends the run at the step or time limit when `st` says one was reached (ladder step 7).
    void check_limits(StepStatus st) {
        const bool steps = st == StepStatus::step_limit;
        if (!steps && st != StepStatus::time_limit) return;
        const std::string comment(runtime->comment_marker());
        const std::string msg =
            steps ? "stopped after " + std::to_string(sched.limits().max_steps) + " steps (the limit); raise it with `" +
                        comment + " tasklab: limit steps N`"
                  : "stopped at the virtual-time limit of " + format_duration(sched.limits().max_time) +
                        "; raise it with `" + comment + " tasklab: limit time N`";
        const RunState state = steps ? RunState::step_limit : RunState::time_limit;
        Diagnostic d;
        d.kind = steps ? DiagnosticKind::step_limit : DiagnosticKind::time_limit;
        d.span = sched.span();
        d.message = msg;
        status.diagnostic = d;
        status.exit_code = exit_status(state, 0);
        end(state, steps ? EndReason::step_limit : EndReason::time_limit, msg);
    }

    /// RunOptions::stop was set: the run ends here, as far as it got (a step cut short by the
    /// flag ends with it; its task is abandoned like every other one left).
    void stop_by_user() {
        const std::uint64_t n = sched.step_index();
        const std::string msg = "stopped by the user after " + std::to_string(n) + (n == 1 ? " step" : " steps");
        Diagnostic d;
        d.kind = DiagnosticKind::step_limit;
        d.span = sched.span();
        d.message = msg;
        status.diagnostic = d;
        status.exit_code = exit_status(RunState::stopped, 0);
        end(RunState::stopped, EndReason::stopped, msg);
    }

    /// The end-of-run ladder (see the top of this file), after every step.
    void check_end(StepStatus st, const ast::Program& program) {
        if (status.state != RunState::running) return;
        if (sched.stop_requested()) {
            stop_by_user();
            return;
        }
        if (!sched.internal_error().empty()) {
            status.stderr_text = "internal error: " + sched.internal_error() + "\n";
            status.exit_code = exit_status(RunState::internal_error, 0);
            end(RunState::internal_error, EndReason::internal_error, "internal error in tasklab: " + sched.internal_error());
            return;
        }
        if (auto e = runtime->process_ended()) {
            end_by_program(std::move(*e));
            return;
        }
        if (const auto& d = runtime->runtime_error()) {
            status.diagnostic = *d;
            status.exit_code = exit_status(RunState::runtime_error, 0);
            status.stderr_text = runtime->runtime_error_stderr(*d);
            // EndReason has no runtime_error: a trap ends the process like an uncaught error.
            end(RunState::runtime_error, EndReason::uncaught_error, d->message);
            return;
        }
        if (auto e = runtime->top_level_ended()) {
            end_by_program(std::move(*e));
            return;
        }
        if (st == StepStatus::idle) {
            if (auto by_design = runtime->waits_forever_by_design()) {
                end(RunState::finished, EndReason::finished, std::move(*by_design));
                return;
            }
            end_in_deadlock(program);
            return;
        }
        check_limits(st);
    }
};

Controller::Controller(std::shared_ptr<const ast::Program> program, RunOptions options)
    : m_program(std::move(program)), m_options(options) {
    restart();
}

// Every step runs on the big stack (big_stack.hpp), and so does tearing a run down: how deep
// a program may recurse is counted in frames and never depends on the caller's stack.
Controller::~Controller() {
    run_on_big_stack([&] { m_run.reset(); });
}

void Controller::restart() {
    run_on_big_stack([&] {
        m_run.reset();
        m_run = std::make_unique<Run>(m_program, m_options);
        const MeterScope metered(m_run->meter);
        m_run->runtime->start();
    });
}

bool Controller::step() {
    if (finished()) return false;
    if (m_run->sched.stop_requested()) {
        m_run->stop_by_user();
        return false;
    }
    StepStatus st{};
    run_on_big_stack([&] {
        const MeterScope metered(m_run->meter);
        st = m_run->sched.step();
        // The trace's events count toward the run's memory as they accumulate.
        m_run->meter.set_total(MemoryKind::trace, m_run->trace.size() * (sizeof(StoredEvent) + 8), m_run->trace.size());
    });
    m_run->check_end(st, *m_program);
    return !finished();
}

void Controller::run_current() {
    run_on_big_stack([&] { run_current_here(); });
}

void Controller::run_current_here() {
    while (!finished()) {
        const Tick deadline = m_run->sched.next_deadline();
        const bool ready = m_run->sched.has_ready();
        if (!ready && !(deadline >= 0 && deadline <= m_run->sched.now())) break;
        step();
    }
}

void Controller::advance_by(Tick d) {
    run_on_big_stack([&] { advance_by_here(d); });
}

void Controller::advance_by_here(Tick d) {
    const Tick target = m_run->sched.now() + d;
    while (!finished()) {
        const Tick deadline = m_run->sched.next_deadline();
        const bool ready = m_run->sched.has_ready();
        // Strictly before the target: a timer due exactly at now+d waits for the next call.
        if (!ready && !(deadline >= 0 && deadline < target)) break;
        step();
    }
    if (!finished()) m_run->sched.set_now(target);
}

void Controller::run_until_idle() {
    run_on_big_stack([&] {
        while (step()) {
        }
    });
}

void Controller::replay_to(std::uint64_t step_number) {
    run_on_big_stack([&] {
        restart();
        while (!finished() && m_run->sched.step_index() < step_number) step();
    });
}

void Controller::set_stop_flag(const std::atomic<bool>* flag) {
    m_options.stop = flag;
    m_run->sched.set_stop_flag(flag);
}

std::uint64_t Controller::step_index() const { return m_run->sched.step_index(); }
Tick Controller::now() const { return m_run->sched.now(); }
const RunStatus& Controller::status() const { return m_run->status; }
std::uint64_t Controller::memory_peak() const { return m_run->meter.peak(); }
std::vector<TaskId> Controller::ready_queue() const { return m_run->sched.ready_order(); }
std::vector<PendingTimer> Controller::timers() const { return m_run->sched.pending_timers(); }
std::vector<WaitingTask> Controller::waiting() const { return m_run->sched.waiting_tasks(); }
const Trace& Controller::trace() const { return m_run->trace; }
const std::vector<OutputLine>& Controller::output() const { return m_run->runtime->output(); }
ast::Language Controller::runtime_language() const { return m_run->runtime->language(); }

TaskInspection Controller::inspect(TaskId task) const {
    TaskInspection out;
    const Trace& trace = m_run->trace;
    if (task == 0 || task >= trace.tasks().size()) return out;
    const TaskInfo& info = trace.task(task);
    out.task = task;
    out.name = info.name;
    out.kind = info.kind;
    out.state = m_run->sched.state(task);
    // What the trace knows (started, cancel requests, how it ended), scanned once per event.
    const Run::TaskFacts& facts = m_run->facts_of(task);
    out.started = facts.started;
    out.cancel_requests = facts.cancel_requests;
    if (facts.outcome >= 0) out.outcome = static_cast<Outcome>(facts.outcome);
    if (const WaitingTask w = m_run->sched.waiting_task(task); w.task != 0) {
        out.waiting = true;
        out.wait_reason = w.reason;
        out.waiting_for = w.what;
        if (w.reason == WaitReason::task) out.awaited_task = w.related;
        else if (w.reason == WaitReason::group || w.reason == WaitReason::async_let) out.awaited_scope = w.related;
    }
    if (const ActorId actor = m_run->sched.actor_of(task); actor != 0 && facts.outcome < 0) {
        out.actor = actor;
        out.actor_holder = m_run->sched.actor_holder(actor);
        out.actor_queue = m_run->sched.actor_waiters(actor);
    }
    // A ready task may still own a timer that no longer wakes it (a cancelled asyncio sleep).
    if (out.waiting || (!out.started && out.state != TaskState::ready)) out.deadline = m_run->sched.next_timer_of(task);
    m_run->runtime->inspect(task, out);
    if (m_program->file)
        for (InspectedScope& s : out.scopes)
            if (!s.span.empty()) s.line = m_program->file->locate(s.span.begin).line;
    return out;
}

}  // namespace tasklab
