// What became of each cancel request: when it was requested, by whom and why, and whether
// and how the task noticed. `tasklab run` prints these under the timeline; the gap between
// "requested" and "observed" is the lesson of cooperative cancellation.
//
// Pure functions over a const Trace; standard library only.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../trace.hpp"

namespace tasklab {

/// The first cancel request a task received and what followed it.
struct CancelStory {
    TaskId task = 0;
    Tick requested_at = 0;
    CancelCause cause = CancelCause::explicit_call;
    TaskId requested_by = 0;          ///< 0: the runtime itself (timeouts, shutdown)
    bool observed = false;
    Tick observed_at = 0;
    ObservedBy observed_by = ObservedBy::is_cancelled;
    bool finished = false;            ///< a task_finished event follows the request
    Tick finished_at = 0;
    Outcome outcome = Outcome::abandoned;
};

/// One story per task that had a cancel requested, in the order of the first requests.
[[nodiscard]] std::vector<CancelStory> cancel_stories(const Trace& trace);

/// "cancel requested at 1.000s (group, by main), observed at 1.000s by sleep (gap 0s)", or
/// "… never observed; returned at 10.000s". Without the task's name.
[[nodiscard]] std::string describe_cancel_story(const Trace& trace, const CancelStory& story);

}  // namespace tasklab
