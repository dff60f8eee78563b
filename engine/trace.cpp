#include "trace.hpp"

#include <algorithm>

namespace tasklab {

std::string_view event_kind_name(EventKind k) {
    static constexpr std::string_view names[] = {
#define TASKLAB_X(name, related, payload) #name,
        TASKLAB_EVENT_KINDS(TASKLAB_X)
#undef TASKLAB_X
    };
    return names[static_cast<int>(k)];
}

std::string_view task_kind_name(TaskKind k) {
    static constexpr std::string_view n[] = {"main", "child", "async_let", "unstructured", "detached", "work_item", "callback", "thread"};
    return n[static_cast<int>(k)];
}
std::string_view wait_reason_name(WaitReason w) {
    static constexpr std::string_view n[] = {"sleep", "task", "group", "async_let", "network",
                                             "forever", "event", "yield", "queue_slot", "work_item", "actor", "preempted"};
    return n[static_cast<int>(w)];
}
std::string_view resume_status_name(ResumeStatus s) {
    static constexpr std::string_view n[] = {"normal", "cancelled", "error", "timeout"};
    return n[static_cast<int>(s)];
}
std::string_view outcome_name(Outcome o) {
    static constexpr std::string_view n[] = {"returned", "threw", "cancelled", "skipped", "abandoned"};
    return n[static_cast<int>(o)];
}
std::string_view cancel_cause_name(CancelCause c) {
    static constexpr std::string_view n[] = {"explicit", "cancelAll", "parent", "group", "child_error",
                                             "born_cancelled", "scope_exit", "timeout", "shutdown", "awaiter_cancelled"};
    return n[static_cast<int>(c)];
}
std::string_view observed_by_name(ObservedBy o) {
    static constexpr std::string_view n[] = {"isCancelled", "checkCancellation", "sleep", "network",
                                             "await", "body_skipped", "never_started", "addTaskUnlessCancelled"};
    return n[static_cast<int>(o)];
}
std::string_view scope_kind_name(ScopeKind k) {
    static constexpr std::string_view n[] = {"withTaskGroup", "withThrowingTaskGroup", "withDiscardingTaskGroup",
                                             "withThrowingDiscardingTaskGroup", "async let",
                                             "withTaskCancellationHandler", "asyncio.TaskGroup", "asyncio.timeout",
                                             "DispatchQueue"};
    return n[static_cast<int>(k)];
}
std::string_view lint_kind_name(LintKind k) {
    static constexpr std::string_view n[] = {"cancel_swallowed", "task_never_awaited", "cancel_never_observed",
                                             "outlived_creator", "cancel_noop",
                                             "continuation_leaked"};
    return n[static_cast<int>(k)];
}
std::string_view end_reason_name(EndReason r) {
    static constexpr std::string_view n[] = {"finished", "uncaught_error", "deadlock", "step_limit", "time_limit",
                                             "internal_error", "stopped"};
    return n[static_cast<int>(r)];
}

bool payload_is_string(EventKind k) {
    switch (k) {
    case EventKind::task_created: case EventKind::task_suspended: case EventKind::task_finished:
    case EventKind::threw: case EventKind::caught: case EventKind::error_delivered: case EventKind::printed:
    case EventKind::signal_raised: case EventKind::lint: case EventKind::run_ended:
        return true;
    default:
        return false;
    }
}

bool payload_is_number(EventKind k) {
    return k == EventKind::task_blocked || k == EventKind::timer_armed || k == EventKind::loop_blocked;
}

Trace::Trace() {
    m_strings.emplace_back();  // id 0: the empty string
    m_tasks.emplace_back();    // id 0: no task
    m_scopes.emplace_back();   // id 0: no scope
    m_actors.emplace_back();   // id 0: no actor
}

void Trace::set_clock(std::uint64_t step, Tick time) {
    if (step != m_step || time != m_time) m_mark_open = false;
    m_step = step;
    m_time = time;
}

std::uint64_t Trace::append(EventKind kind, TaskId task, std::uint32_t related, std::uint32_t payload,
                            std::uint8_t detail, Span span) {
    if (!m_mark_open) {
        m_marks.push_back(Mark{static_cast<std::uint32_t>(m_size), static_cast<std::uint32_t>(m_step), m_time});
        m_mark_open = true;
    }
    if ((m_size & (k_chunk_size - 1)) == 0) m_chunks.push_back(std::make_unique<StoredEvent[]>(k_chunk_size));
    m_chunks.back()[m_size & (k_chunk_size - 1)] = StoredEvent{task, related, span.begin, span.end, payload, kind, detail, 0};
    return m_size++;
}

std::uint32_t Trace::add_string(std::string s) {
    m_strings.push_back(std::move(s));
    return static_cast<std::uint32_t>(m_strings.size() - 1);
}

std::uint32_t Trace::intern(std::string_view s) {
    if (auto it = m_interned.find(s); it != m_interned.end()) return it->second;
    const std::uint32_t id = add_string(std::string(s));
    m_interned.emplace(std::string_view(m_strings.back()), id);
    return id;
}

std::uint32_t Trace::add_number(std::int64_t n) {
    m_numbers.push_back(n);
    return static_cast<std::uint32_t>(m_numbers.size() - 1);
}

TaskInfo& Trace::add_task(TaskInfo info) {
    info.id = static_cast<TaskId>(m_tasks.size());
    m_tasks.push_back(std::move(info));
    return m_tasks.back();
}

ScopeInfo& Trace::add_scope(ScopeInfo info) {
    info.id = static_cast<ScopeId>(m_scopes.size());
    m_scopes.push_back(std::move(info));
    return m_scopes.back();
}

ActorInfo& Trace::add_actor(ActorInfo info) {
    info.id = static_cast<ActorId>(m_actors.size());
    m_actors.push_back(std::move(info));
    return m_actors.back();
}

Event Trace::at(std::uint64_t index) const {
    const StoredEvent& s = stored(index);
    auto it = std::upper_bound(m_marks.begin(), m_marks.end(), index,
                               [](std::uint64_t i, const Mark& m) { return i < m.first_event; });
    const Mark& m = *(it - 1);
    return Event{index, m.step, m.time, s.kind, s.detail, s.task, s.related, s.payload, Span{s.span_begin, s.span_end}};
}

std::uint64_t Trace::first_event_of_step(std::uint64_t step) const {
    auto it = std::lower_bound(m_marks.begin(), m_marks.end(), step,
                               [](const Mark& m, std::uint64_t s) { return m.step < s; });
    return it == m_marks.end() ? m_size : it->first_event;
}

std::size_t Trace::memory_bytes() const {
    std::size_t bytes = m_chunks.size() * k_chunk_size * sizeof(StoredEvent) + m_marks.capacity() * sizeof(Mark) +
                        m_numbers.capacity() * sizeof(std::int64_t) + m_strings.size() * sizeof(std::string) +
                        m_interned.size() * (sizeof(std::string_view) + sizeof(std::uint32_t) + 2 * sizeof(void*));
    for (const auto& s : m_strings)
        if (s.capacity() > 15) bytes += s.capacity();
    bytes += m_tasks.capacity() * sizeof(TaskInfo) + m_scopes.capacity() * sizeof(ScopeInfo);
    for (const auto& t : m_tasks)
        if (t.name.capacity() > 15) bytes += t.name.capacity();
    return bytes;
}

std::string_view Trace::payload_text(const Event& e) const {
    if (e.kind == EventKind::task_created)  // the name lives once, in the task table
        return e.task < m_tasks.size() ? std::string_view(m_tasks[e.task].name) : std::string_view();
    return payload_is_string(e.kind) && e.payload < m_strings.size() ? std::string_view(m_strings[e.payload])
                                                                       : std::string_view();
}

std::uint64_t Trace::digest() const {
    std::uint64_t h = 1469598103934665603ull;
    auto mix = [&h](const void* p, std::size_t n) {
        const auto* b = static_cast<const unsigned char*>(p);
        for (std::size_t i = 0; i < n; ++i) { h ^= b[i]; h *= 1099511628211ull; }
    };
    for (const auto& m : m_marks) { mix(&m.first_event, 4); mix(&m.step, 4); mix(&m.time, 8); }
    for (std::uint64_t i = 0; i < m_size; ++i) {
        const StoredEvent& s = stored(i);
        mix(&s.task, 4); mix(&s.related, 4); mix(&s.span_begin, 4); mix(&s.span_end, 4); mix(&s.payload, 4);
        mix(&s.kind, 1); mix(&s.detail, 1);
    }
    for (const auto& s : m_strings) { mix(s.data(), s.size()); mix("\0", 1); }
    for (const auto n : m_numbers) mix(&n, 8);
    return h;
}

}  // namespace tasklab
