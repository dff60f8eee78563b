// How a Swift program ends, in the Swift runtime's words: the end-of-run facts the Swift
// interpreter gives the Controller (engine/interp/language_runtime.hpp).
#include <string>

#include "engine/interp/swift/interpreter.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

namespace {

/// Runtime errors the real Swift runtime traps on print "Fatal error: …" on stderr; the
/// others are tasklab's own (an unsupported API, a name that does not exist).
bool is_trap(DiagnosticKind k) {
    return k == DiagnosticKind::nil_unwrap || k == DiagnosticKind::index_out_of_range ||
           k == DiagnosticKind::division_by_zero || k == DiagnosticKind::misuse;
}

}  // namespace

std::optional<ProgramEnd> Interpreter::process_ended() const {
    const std::optional<int> code = exit_status();
    if (!code) return std::nullopt;
    ProgramEnd end;
    end.state = RunState::finished;
    end.status = *code;
    end.message = "exit(" + std::to_string(*code) + ") ended the process";
    return end;
}

std::string Interpreter::runtime_error_stderr(const Diagnostic& d) const {
    return is_trap(d.kind) ? "Fatal error: " + d.message + "\n" : std::string();
}

std::optional<ProgramEnd> Interpreter::top_level_ended() const {
    const TaskId main = main_task();
    if (main == 0 || !m_swift.is_finished(main)) return std::nullopt;
    ProgramEnd end;
    if (uncaught_error()) {
        const std::string& text = uncaught_text();
        end.state = RunState::uncaught_error;
        end.status = k_exit_uncaught_error;
        end.message = "Fatal error: Error raised at top level: " + text;
        end.stderr_text = end.message + "\n";
        Diagnostic d;
        d.kind = DiagnosticKind::misuse;
        d.span = uncaught_span();
        d.message = "error raised at top level: " + text;
        d.notes.push_back("an error that escapes the top-level code ends the program");
        end.diagnostic = std::move(d);
        return end;
    }
    // Program end (real Swift): exit() takes every task still running or waiting with it.
    const Scheduler& sched = m->m_sched;
    std::size_t left = 0;
    for (TaskId t = 1; t < sched.trace().tasks().size(); ++t)
        if (sched.state(t) != TaskState::finished) ++left;
    end.message = "the program finished";
    if (left > 0)
        end.message += "; " + std::to_string(left) + (left == 1 ? " task was" : " tasks were") +
                       " still running and ended with the process";
    return end;
}

std::optional<std::string> Interpreter::waits_forever_by_design() const {
    if (!in_dispatch_main()) return std::nullopt;
    return "dispatchMain() never returns: the real process would wait here forever; tasklab ends the run "
           "because nothing else can happen";
}

std::string_view Interpreter::deadlock_headline() const { return "deadlock: nothing can run and no timer is pending"; }

}  // namespace tasklab::interp
