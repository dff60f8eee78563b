// Where each task's code stands at the cursor: the source panel's gutter markers.
//
// Every event with a source span was written while some task's code ran (the task that the
// step started or resumed), so its span is a position in that task's code, even when the event
// is about another task (a `task_created` or `cancel_requested` points at the creating or
// cancelling call). Events a step writes before it starts or resumes a task (a timer firing)
// belong to the task they are about. The latest such span per task is where that task stands: the await it is
// suspended at, the line it finished on. Tasks that have not run yet have no position.
//
// Incremental like the timeline model: sync() reads only the events appended since the last
// call, and starts over when the caller's epoch changes (a step back, a reload).
//
// Pure C++ over engine/trace.hpp: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <vector>

#include "engine/trace.hpp"

namespace tasklab::viz {

class TaskPositions {
public:
    /// Reads the events appended since the last sync (all of them after an epoch change).
    void sync(const Trace& trace, std::uint64_t epoch);
    /// The span of `task`'s latest position (empty: none yet).
    [[nodiscard]] Span position(TaskId task) const { return task < m_span.size() ? m_span[task] : Span{}; }
    /// True once `task` finished.
    [[nodiscard]] bool finished(TaskId task) const { return task < m_finished.size() && m_finished[task] != 0; }
    /// The task whose code ran last (0 before any ran).
    [[nodiscard]] TaskId running() const { return m_running; }
    /// The latest event with a source span (the "current event" of the source view), if any.
    [[nodiscard]] bool has_current() const { return m_has_current; }
    [[nodiscard]] std::uint64_t current_event() const { return m_current_event; }
    /// Tasks known so far (ids are 1 … count-1).
    [[nodiscard]] std::size_t count() const { return m_span.size(); }

private:
    std::uint64_t m_epoch = ~std::uint64_t{0};
    std::uint64_t m_read = 0;
    std::vector<Span> m_span;              // by TaskId
    std::vector<std::uint8_t> m_finished;  // by TaskId
    TaskId m_running = 0;
    std::uint64_t m_step = 0;
    bool m_has_current = false;
    std::uint64_t m_current_event = 0;
};

}  // namespace tasklab::viz
