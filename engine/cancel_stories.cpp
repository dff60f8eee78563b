// CancelStoryFold: the cancel requests of a trace, each followed to its notice (see
// cancel_stories.hpp).
#include "cancel_stories.hpp"

namespace tasklab {

void CancelStoryFold::reset() {
    m_tasks.clear();
    m_stories.clear();
}

CancelStoryFold::PerTask& CancelStoryFold::of(TaskId task) {
    if (m_tasks.size() <= task) m_tasks.resize(std::size_t{task} + 1);
    return m_tasks[task];
}

void CancelStoryFold::notice(const Trace& trace, TaskId task, std::uint64_t index, ObservedBy by, TaskId through_child) {
    PerTask& t = of(task);
    if (t.open.empty()) return;  // a check with nothing pending (a second isCancelled read)
    const Tick time = trace.at(index).time;
    for (const std::uint32_t s : t.open) {
        CancelStory& story = m_stories[s];
        story.observed = true;
        story.observed_event = index;
        story.observed_at = time;
        story.observed_by = by;
        story.through_child = through_child;
    }
    t.open.clear();
    t.noticed = true;
    t.noticing_child = 0;
    // The parent, when its own cancel is pending, now has a child that noticed: the error this
    // task ends with is on its way up.
    const TaskId parent = task < trace.tasks().size() ? trace.task(task).parent : 0;
    if (parent != 0) {
        PerTask& p = of(parent);
        if (!p.open.empty() && p.noticing_child == 0) p.noticing_child = task;
    }
}

void CancelStoryFold::read(const Trace& trace, std::uint64_t index) {
    const StoredEvent& s = trace.stored(index);
    if (s.task == 0) return;
    // Room for every task known so far, so references taken below stay valid.
    if (m_tasks.size() < trace.tasks().size()) m_tasks.resize(trace.tasks().size());
    switch (s.kind) {
        case EventKind::cancel_requested: {
            PerTask& t = of(s.task);
            const Event e = trace.at(index);
            CancelStory story;
            story.task = e.task;
            story.requested_event = index;
            story.requested_at = e.time;
            story.cause = static_cast<CancelCause>(e.detail);
            story.requested_by = e.related;
            story.earlier = t.requests++;
            story.joined = !t.open.empty();
            const auto id = static_cast<std::uint32_t>(m_stories.size());
            m_stories.push_back(story);
            t.open.push_back(id);
            t.unfinished.push_back(id);
            break;
        }
        case EventKind::cancel_observed:
            notice(trace, s.task, index, static_cast<ObservedBy>(s.detail), 0);
            break;
        case EventKind::task_suspended: {
            const auto reason = static_cast<WaitReason>(s.detail);
            of(s.task).awaited = reason == WaitReason::task || reason == WaitReason::async_let ? s.related : 0;
            break;
        }
        case EventKind::error_delivered:
        case EventKind::threw:
        case EventKind::caught: {
            PerTask& t = of(s.task);
            if (t.open.empty() || t.noticing_child == 0) break;
            // Whose error it is: the child named by error_delivered, else the child it awaited
            // when that one noticed too, else the first child that noticed.
            TaskId child = t.noticing_child;
            if (s.kind == EventKind::error_delivered && s.related != 0) child = s.related;
            else if (t.awaited != 0 && t.awaited < m_tasks.size() && m_tasks[t.awaited].noticed &&
                     t.awaited < trace.tasks().size() && trace.task(t.awaited).parent == s.task)
                child = t.awaited;
            notice(trace, s.task, index, ObservedBy::is_cancelled, child);
            break;
        }
        case EventKind::task_finished: {
            PerTask& t = of(s.task);
            if (t.unfinished.empty()) break;
            const Event e = trace.at(index);
            for (const std::uint32_t id : t.unfinished) {
                CancelStory& story = m_stories[id];
                story.finished = true;
                story.finished_at = e.time;
                story.outcome = static_cast<Outcome>(e.detail);
            }
            t.unfinished.clear();
            break;
        }
        default:
            break;
    }
}

std::vector<CancelStory> cancel_stories(const Trace& trace) {
    CancelStoryFold fold;
    for (std::uint64_t i = 0; i < trace.size(); ++i) fold.read(trace, i);
    return fold.stories();
}

}  // namespace tasklab
