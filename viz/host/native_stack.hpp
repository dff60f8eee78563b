// The host's facts about the operating system that a run needs, read in one place.
//
// The engine never asks the operating system anything (engine/run_types.hpp): the hosts (the
// `tasklab` command, the visualizer, the tests) read what it needs here and pass it in
// RunOptions. Header-only, so the `tasklab` command uses it without the visualizer's libraries.
#pragma once

#include <sys/resource.h>

#include <cstdint>

namespace tasklab::host {

/// The calling process's stack limit in bytes (`ulimit -s`, RLIMIT_STACK's soft limit), or 0
/// when it is unlimited or cannot be read: what RunOptions::native_stack_size wants.
[[nodiscard]] inline std::uint64_t native_stack_size() {
    rlimit limit{};
    if (getrlimit(RLIMIT_STACK, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return 0;
    return static_cast<std::uint64_t>(limit.rlim_cur);
}

}  // namespace tasklab::host
