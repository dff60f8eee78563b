// Derives lanes (through the engine's fold), marks, arrows and cancel gaps from the trace, one
// event at a time.
#include "timeline_model.hpp"

#include <algorithm>

namespace tasklab::viz {

std::string_view mark_kind_name(MarkKind k) {
    switch (k) {
        case MarkKind::cancel_requested: return "cancel requested";
        case MarkKind::cancel_observed: return "cancel observed";
        case MarkKind::threw: return "threw";
        case MarkKind::caught: return "caught";
        case MarkKind::printed: return "printed";
        case MarkKind::handler_ran: return "handler ran";
        case MarkKind::narration: return "narration";
        case MarkKind::error_delivered: return "error delivered";
        case MarkKind::lint: return "lint";
    }
    return "?";
}

std::string_view arrow_kind_name(ArrowKind k) {
    switch (k) {
        case ArrowKind::spawn: return "spawn";
        case ArrowKind::spawn_unstructured: return "spawn (unstructured)";
        case ArrowKind::explicit_cancel: return "explicit cancel";
        case ArrowKind::propagated: return "propagated cancel";
        case ArrowKind::implicit: return "implicit cancel (child error)";
        case ArrowKind::error_delivered: return "error delivered";
    }
    return "?";
}

void TimelineModel::reset() {
    m_events_read = 0;
    m_now = 0;
    m_last_step = 0;
    m_last_ran = 0;
    m_lanes.clear();
    m_arrows.clear();
    m_gaps.clear();
    m_cancels.reset();
    m_scopes.clear();
    m_step_first_event.clear();
    m_time_runs.clear();
}

void TimelineModel::sync(const Trace& trace, std::uint64_t epoch) {
    if (epoch != m_epoch || trace.size() < m_events_read) {
        reset();
        m_epoch = epoch;
    }
    if (m_lanes.size() < trace.tasks().size()) m_lanes.resize(trace.tasks().size());
    if (m_scopes.size() < trace.scopes().size()) m_scopes.resize(trace.scopes().size());
    const std::uint64_t end = trace.size();
    for (std::uint64_t i = m_events_read; i < end; ++i) {
        const Event e = trace.at(i);
        // The step table: step s begins at the first event whose step is s; steps without
        // events begin where the next one does.
        while (m_step_first_event.size() <= e.step) m_step_first_event.push_back(static_cast<std::uint32_t>(i));
        if (m_time_runs.empty() || m_time_runs.back().second != e.time)
            m_time_runs.emplace_back(static_cast<std::uint32_t>(i), e.time);
        m_last_step = e.step;
        m_now = e.time;
        read(trace, e);
    }
    m_events_read = end;
}

void TimelineModel::close_gap(TaskId task) {
    LaneData& lane = lane_of(task);
    if (lane.gap < 0) return;
    CancelGap& gap = m_gaps[static_cast<std::size_t>(lane.gap)];
    const CancelStory& story = m_cancels.stories()[gap.story];
    if (gap.observed() || !story.observed) return;
    gap.observed_event = static_cast<std::uint32_t>(story.observed_event);
    gap.observed_time = story.observed_at;
    gap.observed_by = story.observed_by;
    gap.through_child = story.through_child;
}

LaneData& TimelineModel::lane_of(TaskId id) {
    if (m_lanes.size() <= id) m_lanes.resize(std::size_t{id} + 1);
    return m_lanes[id];
}

void TimelineModel::read(const Trace& trace, const Event& e) {
    const auto index = static_cast<std::uint32_t>(e.index);
    m_cancels.read(trace, e.index);
    // The states: the engine's fold, on this model's lane records (they extend TaskLane).
    if (e.task != 0 && e.task < trace.tasks().size()) fold_event(lane_of(e.task), e);
    auto add_mark = [&](TaskId task, MarkKind kind) {
        lane_of(task).marks.push_back(Mark{index, e.time, kind, e.detail, e.related});
    };
    auto add_arrow = [&](ArrowKind kind, TaskId from, TaskId to, ScopeId scope) {
        if (from == 0 || to == 0 || from == to) return;
        m_arrows.push_back(Arrow{kind, from, to, scope, index, e.time});
    };
    switch (e.kind) {
        case EventKind::task_created: {
            const auto kind = static_cast<TaskKind>(e.detail);
            if (kind != TaskKind::main)
                add_arrow(is_structured(kind) ? ArrowKind::spawn : ArrowKind::spawn_unstructured, e.related, e.task, 0);
            break;
        }
        case EventKind::task_started:
        case EventKind::task_resumed:
            m_last_ran = e.task;
            break;
        case EventKind::task_unblocked:
        case EventKind::task_suspended:
        case EventKind::actor_waiting:
        case EventKind::task_blocked:
            break;  // states only: the fold above
        case EventKind::actor_acquired:
        case EventKind::actor_released:
            break;  // the Inspector and the event list show them; lanes change at resume / suspend
        case EventKind::task_finished: {
            LaneData& lane = lane_of(e.task);
            if (lane.gap >= 0 && !m_gaps[static_cast<std::size_t>(lane.gap)].observed())
                m_gaps[static_cast<std::size_t>(lane.gap)].never_observed = true;
            break;
        }
        case EventKind::cancel_requested: {
            add_mark(e.task, MarkKind::cancel_requested);
            LaneData& lane = lane_of(e.task);
            const auto cause = static_cast<CancelCause>(e.detail);
            // A request while an earlier one is still unnoticed joins that gap; otherwise (the
            // first request, or one after the task noticed) it opens a gap of its own.
            const std::uint32_t story = static_cast<std::uint32_t>(m_cancels.stories().size()) - 1;
            if (!lane.end && m_cancels.stories()[story].joined && lane.gap >= 0) {
                ++m_gaps[static_cast<std::size_t>(lane.gap)].joined;
            } else if (!lane.end) {
                lane.gap = static_cast<std::int32_t>(m_gaps.size());
                lane.gaps.push_back(static_cast<std::uint32_t>(m_gaps.size()));
                CancelGap gap;
                gap.task = e.task;
                gap.cause = cause;
                gap.requested_event = index;
                gap.requested_time = e.time;
                gap.story = story;
                m_gaps.push_back(gap);
                // From here on the task is "cancelled but still going": the fold split its interval.
            }
            const ScopeId scope = e.payload;
            TaskId from = e.related;
            switch (cause) {
                case CancelCause::explicit_call:
                case CancelCause::group_cancel_all:
                case CancelCause::timeout:
                    add_arrow(ArrowKind::explicit_cancel, from, e.task, scope);
                    break;
                case CancelCause::child_error:
                    add_arrow(ArrowKind::implicit, from, e.task, scope);
                    break;
                case CancelCause::parent:
                case CancelCause::group:
                case CancelCause::scope_exit:
                case CancelCause::shutdown:
                case CancelCause::awaiter_cancelled:
                    if (from == 0 && scope != 0 && scope < trace.scopes().size()) from = trace.scope(scope).owner;
                    if (from == 0 && e.task < trace.tasks().size()) from = trace.task(e.task).parent;
                    add_arrow(ArrowKind::propagated, from, e.task, scope);
                    break;
                case CancelCause::born_cancelled:
                    break;  // the spawn arrow already links it to its creator
            }
            break;
        }
        case EventKind::cancel_observed:
            add_mark(e.task, MarkKind::cancel_observed);
            close_gap(e.task);
            break;
        case EventKind::uncancelled: {
            // asyncio uncancel() (a timeout or TaskGroup taking its cancel back): with no
            // request left pending the task is no longer "cancel requested, still going".
            // (The fold split its interval.)
            LaneData& lane = lane_of(e.task);
            if (e.payload == 0 && lane.gap >= 0 && !lane.end) lane.gap = -1;
            break;
        }
        case EventKind::handler_ran: add_mark(e.task, MarkKind::handler_ran); break;
        case EventKind::threw:
            add_mark(e.task, MarkKind::threw);
            close_gap(e.task);  // the error of a child that noticed the cancel reached it
            break;
        case EventKind::caught:
            add_mark(e.task, MarkKind::caught);
            close_gap(e.task);
            break;
        case EventKind::printed: add_mark(e.task, MarkKind::printed); break;
        case EventKind::narration: add_mark(e.task, MarkKind::narration); break;
        case EventKind::lint:
            if (e.task != 0) add_mark(e.task, MarkKind::lint);
            break;
        case EventKind::error_delivered:
            add_mark(e.task, MarkKind::error_delivered);
            add_arrow(ArrowKind::error_delivered, e.related, e.task, 0);
            close_gap(e.task);
            break;
        case EventKind::scope_entered:
            if (e.related < m_scopes.size()) {
                m_scopes[e.related].entered_event = index;
                m_scopes[e.related].entered_time = e.time;
            }
            break;
        case EventKind::scope_exited:
            if (e.related < m_scopes.size()) {
                m_scopes[e.related].exited_event = index;
                m_scopes[e.related].exited_time = e.time;
            }
            break;
        case EventKind::timer_armed:
        case EventKind::timer_fired:
        case EventKind::timer_disarmed:
        case EventKind::loop_blocked:
        case EventKind::signal_raised:
        case EventKind::run_ended:
            break;
    }
}

std::uint64_t TimelineModel::first_event_of_step(std::uint64_t step) const {
    return step < m_step_first_event.size() ? m_step_first_event[step] : m_events_read;
}

std::uint64_t TimelineModel::step_of_event(std::uint64_t event) const {
    auto it = std::upper_bound(m_step_first_event.begin(), m_step_first_event.end(), event);
    if (it == m_step_first_event.begin()) return 0;
    return static_cast<std::uint64_t>(it - m_step_first_event.begin()) - 1;
}

double TimelineModel::step_position(std::uint64_t event) const {
    const std::uint64_t s = step_of_event(event);
    const std::uint64_t first = first_event_of_step(s);
    const std::uint64_t next = first_event_of_step(s + 1);
    const double n = next > first ? static_cast<double>(next - first) : 1.0;
    return static_cast<double>(s) + (static_cast<double>(event - first) + 0.5) / n;
}

Tick TimelineModel::time_of_event(std::uint64_t event) const {
    auto it = std::upper_bound(m_time_runs.begin(), m_time_runs.end(), event,
                               [](std::uint64_t e, const std::pair<std::uint32_t, Tick>& run) { return e < run.first; });
    if (it == m_time_runs.begin()) return 0;
    return (it - 1)->second;
}

std::uint64_t TimelineModel::first_event_at_or_after(Tick t) const {
    auto it = std::lower_bound(m_time_runs.begin(), m_time_runs.end(), t,
                               [](const std::pair<std::uint32_t, Tick>& run, Tick v) { return run.second < v; });
    return it == m_time_runs.end() ? m_events_read : it->first;
}

}  // namespace tasklab::viz
