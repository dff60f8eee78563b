// What one task holds at the cursor, as plain data: the inspector's view of a run.
//
// Controller::inspect(task) fills a TaskInspection from the live interpreter after the step
// the Controller stands at: the task's state, what it waits on, its cancellation flag (Swift
// Task.isCancelled, GCD item.isCancelled) or count (asyncio Task.cancelling()), its result
// or error once finished, and the local variables of every function frame of its current
// call chain, innermost first. Because replay is exact, inspecting after replay_to(n) shows
// the values as they were after step n.
//
// Values are text, rendered the way the scenario's language shows them (a Swift debug
// description: strings quoted, `Optional(…)`; a Python repr) and bounded: long strings and
// collections end in "…", nesting stops at a few levels, and a Python list that contains
// itself prints `[...]` as CPython does. Rendering never runs scenario code (a Python
// `__repr__` is not called) and never records an event, so inspecting cannot change the run.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scenarios/source.hpp"
#include "scheduler.hpp"
#include "trace.hpp"

namespace tasklab {

/// One variable of a frame.
struct InspectedVariable {
    std::string name;
    std::string value;  ///< as the language prints it (Swift debug description, Python repr), bounded
    std::string type;   ///< its type as the language names it ("Int", "[String]", "list")
};

/// One function frame of a task's call chain (or the top-level code).
struct InspectedScope {
    std::string name;  ///< "downloadImage(id:)", "closure", "main()" (Python), "top level", "<module>"
    Span span;         ///< where the frame stands: the statement it runs (innermost) or the call it waits in
    std::uint32_t line = 0;  ///< `span`'s 1-based line (0: unknown)
    std::vector<InspectedVariable> variables;  ///< in declaration order; names shadowed by an inner block are left out
};

/// Everything the inspector shows about one task at the cursor.
struct TaskInspection {
    TaskId task = 0;  ///< 0: no such task (nothing else is filled in)
    std::string name;
    TaskKind kind = TaskKind::main;
    TaskState state = TaskState::created;
    bool started = false;  ///< its body has begun (task_started was recorded)

    // ---- cancellation ----
    /// The name of the flag or count below as the language spells it: "Task.isCancelled",
    /// "item.isCancelled", "cancelling()"; "" when the task has neither (Python's module code).
    std::string cancel_label;
    std::optional<bool> is_cancelled;           ///< Swift / GCD: the sticky flag
    std::optional<std::uint32_t> cancelling;    ///< asyncio: Task.cancelling(), requests not yet uncancelled
    std::uint32_t cancel_requests = 0;          ///< cancel_requested events recorded for it so far

    // ---- waiting ----
    bool waiting = false;                  ///< suspended or blocked right now
    WaitReason wait_reason = WaitReason::forever;
    std::string waiting_for;               ///< the wait's own label ("sleep 10s", "group next()", "queue slot of q")
    TaskId awaited_task = 0;               ///< the task it waits for (WaitReason::task), else 0
    ScopeId awaited_scope = 0;             ///< the group or async-let scope it waits on, else 0
    Tick deadline = -1;                    ///< when a pending timer wakes it (waiting) or starts it (not started), else -1

    // ---- actors (Swift) ----
    ActorId actor = 0;                     ///< the actor its code runs on (or waits for) now, 0: none
    TaskId actor_holder = 0;               ///< who holds that actor now (itself while it runs or blocks), 0: free
    std::vector<TaskId> actor_queue;       ///< the tasks waiting for that actor, first come first

    // ---- the end ----
    std::optional<Outcome> outcome;  ///< set once it finished (task_finished recorded)
    /// What it returned (empty for Void / None) or the error it ended with, as the language
    /// prints it; "" while it runs.
    std::string result;
    bool result_is_error = false;

    /// Its call chain, innermost frame first: empty before it starts and after it ends.
    std::vector<InspectedScope> scopes;
};

}  // namespace tasklab
