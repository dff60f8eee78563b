// Task positions: the latest span each task's code produced.
#include "task_positions.hpp"

namespace tasklab::viz {

void TaskPositions::sync(const Trace& trace, std::uint64_t epoch) {
    if (epoch != m_epoch || trace.size() < m_read) {
        m_epoch = epoch;
        m_read = 0;
        m_span.clear();
        m_finished.clear();
        m_running = 0;
        m_step = 0;
        m_has_current = false;
        m_current_event = 0;
    }
    const std::size_t tasks = trace.tasks().size();
    if (m_span.size() < tasks) {
        m_span.resize(tasks);
        m_finished.resize(tasks, 0);
    }
    for (; m_read < trace.size(); ++m_read) {
        const Event e = trace.at(m_read);
        // A new step: until it starts or resumes a task, the scheduler writes events about
        // their own task (a timer firing for the task it wakes).
        if (e.step != m_step) {
            m_step = e.step;
            m_running = 0;
        }
        switch (e.kind) {
            case EventKind::task_started:
            case EventKind::task_resumed:
            case EventKind::task_unblocked: m_running = e.task; break;
            case EventKind::task_finished:
                if (e.task < m_finished.size()) m_finished[e.task] = 1;
                break;
            case EventKind::run_ended: m_running = 0; break;
            default: break;
        }
        if (e.span.empty()) continue;
        const TaskId owner = m_running != 0 ? m_running : e.task;
        if (owner != 0 && owner < m_span.size()) m_span[owner] = e.span;
        m_has_current = true;
        m_current_event = m_read;
    }
}

}  // namespace tasklab::viz
