#include "engine/interp/output.hpp"

#include "engine/memory_meter.hpp"

namespace tasklab::interp {

void ProgramOutput::record(Scheduler& sched, TaskId task, std::string line) {
    const auto ev = sched.emit(EventKind::printed, task, 0, sched.trace().add_string(line));
    // Printed text lives until the run ends, twice (the line and the trace's copy): it counts
    // toward the run's memory (engine/memory_meter.hpp) and is never given back.
    if (MemoryMeter* meter = MemoryMeter::current())
        meter->add(MemoryKind::output, static_cast<std::int64_t>(2 * line.size() + sizeof(OutputLine) + 32), lines.size() + 1, 0);
    lines.push_back(OutputLine{sched.now(), task, ev, std::move(line)});
}

void ProgramOutput::print(Scheduler& sched, const std::string& text) {
    if (partial.empty()) partial_task = sched.current();
    partial += text;
    std::size_t pos;
    while ((pos = partial.find('\n')) != std::string::npos) {
        std::string line = partial.substr(0, pos);
        partial.erase(0, pos + 1);
        const TaskId task = sched.current();
        if (!partial.empty()) partial_task = task;
        record(sched, task, std::move(line));
    }
}

void ProgramOutput::flush(Scheduler& sched) {
    if (partial.empty()) return;
    std::string line = std::move(partial);
    partial.clear();
    record(sched, sched.current() != 0 ? sched.current() : partial_task, std::move(line));
}

}  // namespace tasklab::interp
