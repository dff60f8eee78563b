// The run's state names and the one exit-status table (see run_types.hpp).
#include "run_types.hpp"

namespace tasklab {

std::string_view run_state_name(RunState s) {
    static constexpr std::string_view n[] = {"running",  "finished",   "uncaught_error", "runtime_error",
                                             "deadlock", "step_limit", "time_limit",     "internal_error", "stopped"};
    return n[static_cast<int>(s)];
}

int exit_status(RunState state, int program_status) {
    switch (state) {
    case RunState::running: return 0;
    case RunState::finished: return program_status;
    case RunState::uncaught_error: return program_status > k_exit_uncaught_error ? program_status : k_exit_uncaught_error;
    case RunState::runtime_error:
    case RunState::deadlock:
    case RunState::step_limit:
    case RunState::time_limit:
    case RunState::stopped: return k_exit_stopped;
    case RunState::internal_error: return k_exit_internal_error;
    }
    return k_exit_internal_error;
}

}  // namespace tasklab
