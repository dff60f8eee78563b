// What a program prints, split into lines with the task and virtual time of each: shared by
// the Swift and Python interpreters. A line printed without its newline (`terminator: ""`,
// `end=""`) waits until the newline arrives or the run ends.
#pragma once

#include <string>
#include <vector>

#include "engine/run_types.hpp"
#include "engine/scheduler.hpp"

namespace tasklab::interp {

struct ProgramOutput {
    std::vector<OutputLine> lines;
    std::string partial;    ///< an unfinished line
    TaskId partial_task = 0;  ///< the task that started it

    /// Appends text; every completed line is recorded as a `printed` event of the running task.
    void print(Scheduler& sched, const std::string& text);
    /// Records the unfinished line, if any (at the end of a run).
    void flush(Scheduler& sched);

private:
    void record(Scheduler& sched, TaskId task, std::string line);
};

}  // namespace tasklab::interp
