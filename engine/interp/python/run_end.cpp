// How a Python program ends, in CPython's words: the end-of-run facts the Python interpreter
// gives the Controller (engine/interp/language_runtime.hpp). Programs end the way CPython
// does: when the module's top-level code is done (an uncaught exception: its last traceback
// line on stderr, exit status 1), or when a signal's default action kills the process
// (exit status 128 + N).
#include <string>

#include "engine/interp/python/interpreter.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

std::optional<ProgramEnd> Interpreter::process_ended() const {
    if (killed_by().empty()) return std::nullopt;
    ProgramEnd end;
    end.state = RunState::uncaught_error;
    end.status = exit_code();
    end.message = "killed by " + killed_by() + " at " + format_duration(m->m_sched.now());
    end.stderr_text = end.message + "\n";
    return end;
}

std::string Interpreter::runtime_error_stderr(const Diagnostic&) const { return {}; }

std::optional<ProgramEnd> Interpreter::top_level_ended() const {
    if (!module_finished()) return std::nullopt;
    ProgramEnd end;
    end.status = exit_code();
    if (uncaught_error()) {
        end.state = RunState::uncaught_error;
        end.message = uncaught_line();
        end.stderr_text = uncaught_line() + "\n";
        Diagnostic d;
        d.kind = DiagnosticKind::misuse;
        d.span = uncaught_span();
        d.message = "uncaught exception: " + uncaught_line();
        d.notes.push_back("an exception that escapes the top-level code ends the program");
        end.diagnostic = std::move(d);
        return end;
    }
    // sys.exit("bye"): the message goes to stderr, the status is 1.
    if (!uncaught_line().empty()) end.stderr_text = uncaught_line() + "\n";
    end.message = "the program finished";
    return end;
}

std::string_view Interpreter::deadlock_headline() const {
    return "deadlock: nothing can run and no timer is pending (the real program would wait forever)";
}

}  // namespace tasklab::py
