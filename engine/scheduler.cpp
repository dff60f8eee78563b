#include "scheduler.hpp"

#include <algorithm>

namespace tasklab {

std::string_view task_state_name(TaskState s) {
    static constexpr std::string_view n[] = {"created", "ready", "running", "suspended", "blocked", "finished"};
    return n[static_cast<int>(s)];
}

std::string_view choice_point_name(ChoicePoint p) {
    static constexpr std::string_view n[] = {"pick", "preempt", "timer"};
    return n[static_cast<int>(p)];
}

Scheduler::Scheduler(Trace& trace, Limits limits) : m_trace(trace), m_limits(limits) {
    m_limits.max_steps = std::min(m_limits.max_steps, k_max_steps);
    m_tasks.emplace_back();   // id 0: no task
    m_timers.emplace_back();  // id 0: no timer
    m_actors.emplace_back();  // id 0: no actor
    m_ready.resize(64);
}

Scheduler::~Scheduler() {
    // Destroy frames innermost-first is not required: each Co owns the frames it awaits,
    // so destroying a task's outermost frame destroys its whole chain.
    for (auto& slot : m_tasks) slot.body.reset();
}

// ---- ready queue (a ring buffer) ----

// Phase 3, the one door: everything that becomes ready comes in here. While a batch runs, the
// back of the queue lies behind the batch, so what joins it waits for the next pass.
void Scheduler::make_ready(TaskId entry, ReadyAt where) {
    ring_push(entry);
    if (where == ReadyAt::pass_end && m_batch_left > 0) {
        // Insert right after the batch: shift what was queued during the pass one place back.
        for (std::size_t i = m_ready_count - 1; i > m_batch_left; --i)
            m_ready[(m_ready_head + i) % m_ready.size()] = m_ready[(m_ready_head + i - 1) % m_ready.size()];
        m_ready[(m_ready_head + m_batch_left) % m_ready.size()] = entry;
        ++m_batch_left;
    }
    if ((entry & k_callback_bit) == 0) m_tasks[entry].state = TaskState::ready;
}

void Scheduler::ring_push(TaskId entry) {
    if (m_ready_count == m_ready.size()) {
        std::vector<TaskId> bigger(m_ready.size() * 2);
        for (std::size_t i = 0; i < m_ready_count; ++i) bigger[i] = ready_at(i);
        m_ready.swap(bigger);
        m_ready_head = 0;
    }
    m_ready[(m_ready_head + m_ready_count) % m_ready.size()] = entry;
    ++m_ready_count;
}

TaskId Scheduler::ready_pop() {
    const TaskId t = m_ready[m_ready_head];
    m_ready_head = (m_ready_head + 1) % m_ready.size();
    --m_ready_count;
    return t;
}

std::vector<TaskId> Scheduler::ready_order() const {
    std::vector<TaskId> out;
    out.reserve(m_ready_count);
    for (std::size_t i = 0; i < m_ready_count; ++i)
        if ((ready_at(i) & k_callback_bit) == 0) out.push_back(ready_at(i));
    return out;
}

// ---- loop callbacks ----

std::uint32_t Scheduler::store_callback(Callback fn) {
    if (!m_free_callbacks.empty()) {
        const std::uint32_t i = m_free_callbacks.back();
        m_free_callbacks.pop_back();
        m_callbacks[i] = std::move(fn);
        return i;
    }
    m_callbacks.push_back(std::move(fn));
    return static_cast<std::uint32_t>(m_callbacks.size() - 1);
}

void Scheduler::call_soon(Callback fn) { make_ready(k_callback_bit | store_callback(std::move(fn))); }

void Scheduler::call_at_next_pass(Callback fn) { m_next_pass.push_back(store_callback(std::move(fn))); }

TimerId Scheduler::call_later(Tick delay, Callback fn, TaskId owner) {
    if (delay < 0) delay = 0;
    const Tick deadline = delay > m_limits.max_time ? m_limits.max_time + 1 : m_now + delay;
    const std::uint32_t index = store_callback(std::move(fn));
    const TimerId id = arm(owner, deadline, false);
    m_timers[id].callback = index + 1;
    return id;
}

void Scheduler::cancel_timer(TimerId id) {
    if (id == 0 || id >= m_timers.size() || !m_timers[id].alive) return;
    const std::uint32_t cb = m_timers[id].callback;
    disarm(id);
    if (cb != 0) {
        m_callbacks[cb - 1] = nullptr;
        m_free_callbacks.push_back(cb - 1);
    }
}

void Scheduler::run_callback(std::uint32_t index) {
    Callback fn = std::move(m_callbacks[index]);
    m_callbacks[index] = nullptr;
    m_free_callbacks.push_back(index);
    m_current = 0;
    if (fn) fn();
    m_current = 0;
}

bool Scheduler::wake_at_pass_end(TaskId t, ResumeStatus status) {
    Slot& slot = m_tasks[t];
    if (slot.state != TaskState::suspended && slot.state != TaskState::blocked) return false;
    if (m_batch_left == 0) return wake(t, status);
    if (slot.timer) {
        disarm(slot.timer);
        slot.timer = 0;
    }
    slot.status = status;
    make_ready(t, ReadyAt::pass_end);
    return true;
}

// ---- timers (4-ary heap, lazy deletion) ----

void Scheduler::heap_push(Timer t) {
    std::size_t i = m_heap.size();
    m_heap.push_back(t);
    while (i > 0) {
        const std::size_t parent = (i - 1) / 4;
        if (!earlier(m_heap[i], m_heap[parent])) break;
        std::swap(m_heap[i], m_heap[parent]);
        i = parent;
    }
}

Scheduler::Timer Scheduler::heap_pop() {
    Timer top = m_heap.front();
    m_heap.front() = m_heap.back();
    m_heap.pop_back();
    std::size_t i = 0;
    const std::size_t n = m_heap.size();
    for (;;) {
        std::size_t best = i;
        const std::size_t first = 4 * i + 1;
        for (std::size_t c = first; c < first + 4 && c < n; ++c)
            if (earlier(m_heap[c], m_heap[best])) best = c;
        if (best == i) break;
        std::swap(m_heap[i], m_heap[best]);
        i = best;
    }
    return top;
}

TimerId Scheduler::arm(TaskId task, Tick deadline, bool starts_task) {
    const auto id = static_cast<TimerId>(m_timers.size());
    m_timers.push_back(TimerRecord{task, true, starts_task});
    m_timers.back().armed_at = m_now;
    heap_push(Timer{deadline, m_timer_seq++, id});
    ++m_live_timers;
    emit(EventKind::timer_armed, task, id, m_trace.add_number(deadline));
    return id;
}

void Scheduler::disarm(TimerId id) {
    if (id == 0 || !m_timers[id].alive) return;
    m_timers[id].alive = false;
    --m_live_timers;
    emit(EventKind::timer_disarmed, m_timers[id].task, id);
    // Drop dead timers sitting at the top so next_deadline() stays exact.
    while (!m_heap.empty() && !m_timers[m_heap.front().id].alive) heap_pop();
}

void Scheduler::fire(TimerId id) {
    TimerRecord& r = m_timers[id];
    r.alive = false;
    --m_live_timers;
    Slot& slot = m_tasks[r.task];
    emit_at(EventKind::timer_fired, r.task, slot.span, id);
    if (r.callback != 0) {
        make_ready(k_callback_bit | (r.callback - 1));
        return;
    }
    if (r.starts_task) {
        make_ready(r.task);
        return;
    }
    slot.timer = 0;
    slot.status = r.times_out ? ResumeStatus::timeout : ResumeStatus::normal;
    make_ready(r.task);
}

Tick Scheduler::next_deadline() const { return m_heap.empty() ? -1 : m_heap.front().deadline; }

std::vector<PendingTimer> Scheduler::pending_timers() const {
    std::vector<Timer> live;
    for (const auto& t : m_heap)
        if (m_timers[t.id].alive) live.push_back(t);
    std::sort(live.begin(), live.end(), earlier);
    std::vector<PendingTimer> out;
    out.reserve(live.size());
    for (const auto& t : live) out.push_back(PendingTimer{t.id, t.deadline, m_timers[t.id].task, m_timers[t.id].starts_task});
    return out;
}

// ---- tasks ----

TaskId Scheduler::spawn(TaskInfo info, Co<void> body, Tick start_delay) {
    const auto kind = info.kind;
    const TaskId related = info.parent ? info.parent : info.creator;
    info.created_event = m_trace.size();
    if (info.span.empty()) info.span = m_span;
    const Span span = info.span;
    const TaskId id = m_trace.add_task(std::move(info)).id;
    m_tasks.emplace_back();
    m_tasks[id].body = std::move(body);
    m_tasks[id].resume_point = m_tasks[id].body.handle();
    m_tasks[id].span = span;
    emit_at(EventKind::task_created, id, span, related, 0, static_cast<std::uint8_t>(kind));
    if (start_delay >= 0) {
        const Tick deadline = start_delay > m_limits.max_time ? m_limits.max_time + 1 : m_now + start_delay;
        m_tasks[id].timer = arm(id, deadline, true);
    } else {
        make_ready(id);
    }
    return id;
}

TaskId Scheduler::spawn_held(TaskInfo info, Co<void> body) {
    const auto kind = info.kind;
    const TaskId related = info.parent ? info.parent : info.creator;
    info.created_event = m_trace.size();
    if (info.span.empty()) info.span = m_span;
    const Span span = info.span;
    const TaskId id = m_trace.add_task(std::move(info)).id;
    m_tasks.emplace_back();
    m_tasks[id].body = std::move(body);
    m_tasks[id].resume_point = m_tasks[id].body.handle();
    m_tasks[id].span = span;
    m_tasks[id].held = true;
    emit_at(EventKind::task_created, id, span, related, 0, static_cast<std::uint8_t>(kind));
    return id;
}

bool Scheduler::release(TaskId t) {
    Slot& slot = m_tasks[t];
    if (!slot.held || slot.abandoned) return false;
    slot.held = false;
    make_ready(t);
    return true;
}

Scheduler::ParkAwaiter Scheduler::park(WaitReason reason, std::uint32_t related, std::string_view what,
                                       Interruptible interruptible, std::optional<bool> blocks_thread) {
    Slot& slot = m_tasks[m_current];
    slot.state = TaskState::suspended;
    slot.reason = reason;
    slot.blocks_thread = blocks_thread.value_or(reason == WaitReason::queue_slot || reason == WaitReason::work_item ||
                                                reason == WaitReason::event);
    slot.related = related;
    slot.interruptible = interruptible;
    slot.status = ResumeStatus::normal;
    slot.what = what.empty() ? 0 : m_trace.intern(what);
    emit(EventKind::task_suspended, m_current, related, slot.what, static_cast<std::uint8_t>(reason));
    return ParkAwaiter{*this};
}

Scheduler::ParkAwaiter Scheduler::sleep_for(Tick d, Interruptible interruptible, WaitReason reason, std::string_view what) {
    if (d < 0) d = 0;
    const Tick deadline = d > m_limits.max_time ? m_limits.max_time + 1 : m_now + d;
    const std::string text = what.empty() ? "sleep " + format_duration(d) : std::string(what);
    auto awaiter = park(reason, 0, text, interruptible);
    m_tasks[m_current].timer = arm(m_current, deadline, false);
    return awaiter;
}

Scheduler::ParkAwaiter Scheduler::park_for(WaitReason reason, std::uint32_t related, std::string_view what, Tick d) {
    if (d < 0) d = 0;
    const Tick deadline = d > m_limits.max_time ? m_limits.max_time + 1 : m_now + d;
    auto awaiter = park(reason, related, what, Interruptible::no);
    const TimerId id = arm(m_current, deadline, false);
    m_timers[id].times_out = true;
    m_tasks[m_current].timer = id;
    return awaiter;
}

Scheduler::ParkAwaiter Scheduler::block_for(Tick d) {
    if (d < 0) d = 0;
    Slot& slot = m_tasks[m_current];
    slot.state = TaskState::blocked;
    slot.was_blocked = true;
    slot.reason = WaitReason::sleep;
    slot.interruptible = Interruptible::no;
    slot.status = ResumeStatus::normal;
    slot.what = 0;
    const ActorId held = slot.actor != 0 && m_actors[slot.actor].holder == m_current ? slot.actor : 0;
    emit(EventKind::task_blocked, m_current, held, m_trace.add_number(d));
    const Tick deadline = d > m_limits.max_time ? m_limits.max_time + 1 : m_now + d;
    slot.timer = arm(m_current, deadline, false);
    return ParkAwaiter{*this};
}

Scheduler::ParkAwaiter Scheduler::yield_now() {
    auto awaiter = park(WaitReason::yield, 0, "yield", Interruptible::yes);
    make_ready(m_current);
    return awaiter;
}

// ---- the race explorer ----

void Scheduler::set_chooser(Chooser* chooser, ChoiceRules rules) {
    m_chooser = chooser;
    m_rules = chooser != nullptr ? rules : ChoiceRules{};
}

Span Scheduler::ready_span(const std::vector<TaskId>& alternatives) const {
    return alternatives.empty() || (alternatives[0] & k_callback_bit) ? Span{} : m_tasks[alternatives[0]].span;
}

bool Scheduler::could_run_now(TaskId entry) const {
    if (entry & k_callback_bit) return false;
    const ActorId actor = m_tasks[entry].actor;
    if (actor == 0) return true;
    const TaskId holder = m_actors[actor].holder;
    return holder == 0 || holder == entry;
}

void Scheduler::move_to_head(std::size_t i) {
    if (i == 0) return;
    const TaskId entry = ready_at(i);
    for (std::size_t k = i; k > 0; --k) m_ready[(m_ready_head + k) % m_ready.size()] = ready_at(k - 1);
    m_ready[m_ready_head] = entry;
    if (i >= m_batch_left) ++m_batch_left;  // it came from behind the batch: it runs in this one
}

void Scheduler::collect_alternatives(TaskId first, std::size_t from) {
    // Of the tasks queued for one actor only the first could run next (an actor's queue is
    // first come, first served), and none whose actor `first` has.
    m_alternatives.assign(1, first);
    m_alternative_at.assign(1, 0);
    m_alternative_actors.clear();
    if ((first & k_callback_bit) == 0 && m_tasks[first].actor != 0) m_alternative_actors.push_back(m_tasks[first].actor);
    for (std::size_t i = from; i < m_ready_count; ++i) {
        const TaskId entry = ready_at(i);
        if (!could_run_now(entry)) continue;
        const ActorId actor = m_tasks[entry].actor;
        if (actor != 0) {
            if (std::find(m_alternative_actors.begin(), m_alternative_actors.end(), actor) != m_alternative_actors.end()) continue;
            m_alternative_actors.push_back(actor);
        }
        m_alternatives.push_back(entry);
        m_alternative_at.push_back(i);
    }
}

void Scheduler::choose_next() {
    if (m_forced_next != 0) {
        const TaskId forced = m_forced_next;
        m_forced_next = 0;
        for (std::size_t i = 0; i < m_ready_count; ++i)
            if (ready_at(i) == forced) {
                move_to_head(i);
                return;
            }
        return;
    }
    if (!m_rules.any_ready_order || m_ready_count < 2) return;
    // The head always stays an alternative (the default).
    collect_alternatives(ready_at(0), 1);
    if (m_alternatives.size() < 2) return;
    const std::size_t j = m_chooser->choose(ChoiceAt{ChoicePoint::pick, &m_alternatives, m_trace.size(), m_now, ready_span(m_alternatives)});
    if (j > 0 && j < m_alternative_at.size()) move_to_head(m_alternative_at[j]);
}

bool Scheduler::preemption_point(Span next) {
    if (m_chooser == nullptr || !m_rules.preemption || m_current == 0 || m_ready_count == 0) return false;
    const ActorId mine = m_tasks[m_current].actor;
    if (!m_shared) {
        // Nothing shared touched since the last choice: every alternative gives a run equal to
        // one the search makes anyway. Tell the chooser (it counts them) if there is one.
        for (std::size_t i = 0; i < m_ready_count; ++i) {
            const TaskId entry = ready_at(i);
            if (could_run_now(entry) && (mine == 0 || m_tasks[entry].actor != mine)) {
                m_chooser->equivalent(ChoiceAt{ChoicePoint::preempt, nullptr, m_trace.size(), m_now, next});
                break;
            }
        }
        return false;
    }
    collect_alternatives(m_current, 0);  // the running task holds its actor: no one else can take it
    if (m_alternatives.size() < 2) return false;
    m_shared = false;
    const std::size_t j = m_chooser->choose(ChoiceAt{ChoicePoint::preempt, &m_alternatives, m_trace.size(), m_now, next});
    if (j == 0 || j >= m_alternatives.size()) return false;
    m_forced_next = m_alternatives[j];
    return true;
}

Scheduler::ParkAwaiter Scheduler::preempt() {
    auto awaiter = park(WaitReason::preempted, 0, "preempted", Interruptible::no, true);
    make_ready(m_current);
    return awaiter;
}

void Scheduler::fire_due_with_ties() {
    std::vector<Timer> due;
    while (!m_heap.empty() && m_heap.front().deadline <= m_now) {
        const Timer t = heap_pop();
        if (m_timers[t.id].alive) due.push_back(t);
    }
    // `due` is in (deadline, arming) order. Within one deadline the order of two timers is
    // open only when different tasks armed them at different instants: the real deadlines
    // then differ by the time each task took to get there. One task's own timers, and timers
    // armed at one instant (the real clock moved on between them), keep their arming order.
    std::vector<std::size_t> where;
    for (std::size_t i = 0; i < due.size(); ++i) {
        std::size_t end = i;
        while (end < due.size() && due[end].deadline == due[i].deadline) ++end;
        m_alternatives.clear();
        where.clear();
        for (std::size_t k = i; k < end; ++k) {
            const TimerRecord& x = m_timers[due[k].id];
            bool must_wait = false;  // an earlier timer of this group has to fire first
            for (std::size_t e = i; e < k && !must_wait; ++e) {
                const TimerRecord& y = m_timers[due[e].id];
                must_wait = y.task == x.task || y.armed_at == x.armed_at;
            }
            if (must_wait) continue;
            m_alternatives.push_back(x.task);
            where.push_back(k);
        }
        if (m_alternatives.size() >= 2) {
            const std::size_t j = m_chooser->choose(ChoiceAt{ChoicePoint::timer, &m_alternatives, m_trace.size(), m_now, Span{}});
            if (j > 0 && j < where.size()) std::rotate(due.begin() + static_cast<std::ptrdiff_t>(i),
                                                       due.begin() + static_cast<std::ptrdiff_t>(where[j]),
                                                       due.begin() + static_cast<std::ptrdiff_t>(where[j]) + 1);
        }
        if (m_timers[due[i].id].alive) fire(due[i].id);
    }
}

void Scheduler::block_loop(Tick d) {
    if (d <= 0) return;
    emit(EventKind::loop_blocked, m_current, 0, m_trace.add_number(d));
    m_now += d;
    m_trace.set_clock(m_step, m_now);
}

bool Scheduler::wake(TaskId t, ResumeStatus status) {
    Slot& slot = m_tasks[t];
    if (slot.state == TaskState::ready && slot.reason == WaitReason::yield && slot.started) {
        slot.status = status;  // already queued (a yield): just deliver the status
        return true;
    }
    if (slot.state != TaskState::suspended && slot.state != TaskState::blocked) return false;
    if (slot.timer) {
        disarm(slot.timer);
        slot.timer = 0;
    }
    slot.status = status;
    make_ready(t);
    // Waking a task is something it sees even when no event says so (a semaphore's signal()):
    // the race explorer offers a preemption point after it.
    m_shared = true;
    return true;
}

bool Scheduler::interrupt(TaskId t, ResumeStatus status) {
    return waits_interruptibly(t) && wake(t, status);
}

bool Scheduler::waits_interruptibly(TaskId t) const {
    const Slot& slot = m_tasks[t];
    const bool waiting = slot.state == TaskState::suspended ||
                         (slot.state == TaskState::ready && slot.reason == WaitReason::yield && slot.started);
    return waiting && slot.interruptible == Interruptible::yes;
}

void Scheduler::finish_current(Outcome outcome, std::string_view text) {
    Slot& slot = m_tasks[m_current];
    slot.state = TaskState::finished;
    emit(EventKind::task_finished, m_current, 0, text.empty() ? 0 : m_trace.intern(text),
         static_cast<std::uint8_t>(outcome));
}

void Scheduler::abandon(TaskId t) {
    Slot& slot = m_tasks[t];
    if (slot.state == TaskState::finished) return;
    if (slot.timer) { disarm(slot.timer); slot.timer = 0; }
    slot.state = TaskState::finished;
    slot.abandoned = true;
    emit_at(EventKind::task_finished, t, Span{}, 0, 0, static_cast<std::uint8_t>(Outcome::abandoned));
}

std::vector<WaitingTask> Scheduler::waiting_tasks() const {
    std::vector<WaitingTask> out;
    for (TaskId t = 1; t < m_tasks.size(); ++t) {
        const Slot& s = m_tasks[t];
        if (s.state == TaskState::suspended || s.state == TaskState::blocked)
            out.push_back(WaitingTask{t, s.state, s.reason, s.related, s.what ? m_trace.string(s.what) : std::string()});
    }
    return out;
}

WaitingTask Scheduler::waiting_task(TaskId t) const {
    if (t == 0 || t >= m_tasks.size()) return {};
    const Slot& s = m_tasks[t];
    if (s.state != TaskState::suspended && s.state != TaskState::blocked) return {};
    return WaitingTask{t, s.state, s.reason, s.related, s.what ? m_trace.string(s.what) : std::string()};
}

Tick Scheduler::next_timer_of(TaskId t) const {
    Tick best = -1;
    for (const Timer& timer : m_heap)
        if (m_timers[timer.id].alive && m_timers[timer.id].task == t && (best < 0 || timer.deadline < best)) best = timer.deadline;
    return best;
}

void Scheduler::set_now(Tick t) {
    if (t > m_now) {
        m_now = t;
        m_trace.set_clock(m_step, m_now);
    }
}

// ---- actors ----

ActorId Scheduler::add_actor(std::string name, Span span) {
    const ActorId id = m_trace.add_actor(ActorInfo{.name = std::move(name), .span = span}).id;
    m_actors.resize(id + 1);
    return id;
}

void Scheduler::set_actor(TaskId t, ActorId actor) {
    if (t == 0 || t >= m_tasks.size()) return;
    m_tasks[t].actor = actor;
    if (!m_tasks[t].started) m_trace.set_task_actor(t, actor);
}

std::vector<TaskId> Scheduler::actor_waiters(ActorId actor) const {
    if (actor == 0 || actor >= m_actors.size()) return {};
    const ActorSlot& a = m_actors[actor];
    return std::vector<TaskId>(a.waiters.begin() + static_cast<std::ptrdiff_t>(a.head), a.waiters.end());
}

void Scheduler::wait_for_actor(TaskId t) {
    Slot& slot = m_tasks[t];
    ActorSlot& a = m_actors[slot.actor];
    // The task is suspended (again): it keeps the status it was woken with (a cancel, a
    // timeout) and gets it when it finally runs. Waiting for an actor is not interruptible.
    slot.state = TaskState::suspended;
    slot.reason = WaitReason::actor;
    slot.blocks_thread = false;
    slot.related = slot.actor;
    slot.interruptible = Interruptible::no;
    slot.what = m_trace.intern(m_trace.actor_name(slot.actor));
    slot.waited_for_actor = true;
    a.waiters.push_back(t);
    emit_at(EventKind::actor_waiting, t, slot.span, slot.actor, a.holder);
}

void Scheduler::release_actor(TaskId t, bool record) {
    Slot& slot = m_tasks[t];
    if (slot.actor == 0) return;
    ActorSlot& a = m_actors[slot.actor];
    if (a.holder != t) return;
    a.holder = 0;
    if (a.has_waiters()) {
        const TaskId next = a.waiters[a.head++];
        if (a.head == a.waiters.size()) {
            a.waiters.clear();
            a.head = 0;
        }
        a.holder = next;  // reserved: nobody else takes it before `next` runs
        m_tasks[next].handed_by = t;
        emit(EventKind::actor_released, t, slot.actor, next);
        make_ready(next);
        return;
    }
    if (record) emit(EventKind::actor_released, t, slot.actor, 0);
}

Scheduler::HopAwaiter Scheduler::hop_to(ActorId actor) {
    Slot& slot = m_tasks[m_current];
    if (slot.actor == actor) return HopAwaiter{*this, true};
    release_actor(m_current, true);
    slot.actor = actor;
    if (actor == 0) return HopAwaiter{*this, true};
    ActorSlot& a = m_actors[actor];
    if (a.holder == 0 || a.holder == m_current) {
        a.holder = m_current;
        emit(EventKind::actor_acquired, m_current, actor, 0);
        return HopAwaiter{*this, true};
    }
    slot.state = TaskState::suspended;
    slot.reason = WaitReason::actor;
    slot.blocks_thread = false;
    slot.related = actor;
    slot.interruptible = Interruptible::no;
    slot.status = ResumeStatus::normal;
    slot.what = m_trace.intern(m_trace.actor_name(actor));
    emit(EventKind::task_suspended, m_current, actor, slot.what, static_cast<std::uint8_t>(WaitReason::actor));
    slot.waited_for_actor = true;
    a.waiters.push_back(m_current);
    emit(EventKind::actor_waiting, m_current, actor, a.holder);
    return HopAwaiter{*this, false};
}

// ---- events ----

std::uint64_t Scheduler::emit(EventKind kind, TaskId task, std::uint32_t related, std::uint32_t payload, std::uint8_t detail) {
    const std::uint64_t index = m_trace.append(kind, task, related, payload, detail, m_span);
    if (!m_armed.empty()) fire_armed(kind, task);
    m_shared = true;  // every event is something another task could see (the race explorer)
    return index;
}

std::uint64_t Scheduler::emit_at(EventKind kind, TaskId task, Span span, std::uint32_t related, std::uint32_t payload,
                                 std::uint8_t detail) {
    const std::uint64_t index = m_trace.append(kind, task, related, payload, detail, span);
    if (!m_armed.empty()) fire_armed(kind, task);
    m_shared = true;
    return index;
}

// ---- narration ----

void Scheduler::narrate(TaskId task, std::uint32_t note) {
    if (note == 0) return;
    if (note >= m_narrated.size()) m_narrated.resize(note + 1, false);
    if (m_narrated[note]) return;
    m_narrated[note] = true;
    m_trace.append(EventKind::narration, task, ++m_chapters, note, 0, m_span);
}

void Scheduler::arm_note(TaskId task, std::uint32_t note, EventKind at, const void* stmt) {
    if (note == 0 || (note < m_narrated.size() && m_narrated[note])) return;
    for (const ArmedNote& a : m_armed)
        if (a.note == note) return;  // armed already (a loop, or recursion): the first arming wins
    m_armed.push_back({task, note, at, stmt});
}

void Scheduler::statement_ended(TaskId task, const void* stmt) {
    // Narrate first, then erase: narrate() appends, which does not look at m_armed.
    std::size_t keep = 0;
    for (std::size_t i = 0; i < m_armed.size(); ++i) {
        const ArmedNote a = m_armed[i];
        if (a.task == task && a.stmt == stmt && a.at != EventKind::task_finished) {
            if (a.at == EventKind::task_resumed) narrate(task, a.note);
            continue;
        }
        m_armed[keep++] = a;
    }
    m_armed.resize(keep);
}

void Scheduler::fire_armed(EventKind kind, TaskId task) {
    if (kind != EventKind::cancel_requested && kind != EventKind::cancel_observed && kind != EventKind::threw &&
        kind != EventKind::task_finished)
        return;
    std::size_t keep = 0;
    for (std::size_t i = 0; i < m_armed.size(); ++i) {
        const ArmedNote a = m_armed[i];
        if (a.task == task && a.at == kind) {
            narrate(task, a.note);
            continue;
        }
        m_armed[keep++] = a;
    }
    m_armed.resize(keep);
}

// ---- the loop ----

// Phase 1: start a pass (see "How a pass works" in scheduler.hpp and docs/scheduler.md).
void Scheduler::begin_pass() {
    // 1.1 Callbacks noted for this pass (call_at_next_pass) are queued first, before any timer.
    for (const std::uint32_t index : m_next_pass) make_ready(k_callback_bit | index);
    m_next_pass.clear();
    // 1.2 Nothing ready: jump to the earliest timer.
    if (m_ready_count == 0 && !m_heap.empty()) {
        const Tick deadline = m_heap.front().deadline;
        if (deadline > m_now) {
            m_now = deadline;
            m_trace.set_clock(m_step + 1, m_now);
        }
    }
    // 1.3 Fire every timer due now, in (deadline, sequence) order.
    m_trace.set_clock(m_step + 1, m_now);
    if (m_rules.timer_ties) {
        fire_due_with_ties();
    } else {
        while (!m_heap.empty() && m_heap.front().deadline <= m_now) {
            const Timer t = heap_pop();
            if (m_timers[t.id].alive) fire(t.id);
        }
    }
    // 1.4 This pass runs exactly what is ready now; what make_ready() adds from here on
    // waits behind the batch (phase 3).
    m_batch_left = m_ready_count;
}

StepStatus Scheduler::step() {
    if (m_step >= m_limits.max_steps) return StepStatus::step_limit;
    // Phase 1 when the batch is used up (or idle / a limit when there is nothing to start).
    if (m_batch_left == 0) {
        while (!m_heap.empty() && !m_timers[m_heap.front().id].alive) heap_pop();
        const bool nothing_ready = m_ready_count == 0 && m_next_pass.empty();
        if (nothing_ready && m_heap.empty()) return StepStatus::idle;
        if (nothing_ready && m_heap.front().deadline > m_limits.max_time) return StepStatus::time_limit;
        begin_pass();
        if (m_batch_left == 0) return StepStatus::idle;
    }
    // Phase 2: run one step, the next entry of the batch (an explored run may choose another).
    if (m_chooser != nullptr) choose_next();
    --m_batch_left;
    ++m_step;
    m_trace.set_clock(m_step, m_now);
    const TaskId entry = ready_pop();
    m_shared = false;
    if (m_chooser != nullptr) race::t_shared_mark = &m_shared;
    if (entry & k_callback_bit) run_callback(entry & ~k_callback_bit);
    else run(entry);
    if (m_chooser != nullptr) race::t_shared_mark = nullptr;
    return StepStatus::ran;
}

void Scheduler::run(TaskId t) {
    Slot& slot = m_tasks[t];
    if (slot.abandoned) return;  // abandoned while it was queued (an asyncio loop closed)
    m_span = slot.span;  // events of this step point into this task's code, not the previous task's
    if (slot.actor != 0) {
        ActorSlot& a = m_actors[slot.actor];
        if (a.holder != 0 && a.holder != t) {
            wait_for_actor(t);  // woken while another task holds its actor: it queues there
            return;
        }
        a.holder = t;
        if (slot.waited_for_actor) {
            slot.waited_for_actor = false;
            emit(EventKind::actor_acquired, t, slot.actor, slot.handed_by);
            slot.handed_by = 0;
        }
    }
    m_current = t;
    slot.state = TaskState::running;
    if (!slot.started) {
        slot.started = true;
        emit(EventKind::task_started, t);
    } else if (slot.was_blocked) {
        slot.was_blocked = false;
        emit(EventKind::task_unblocked, t);
    } else {
        emit(EventKind::task_resumed, t, 0, 0, static_cast<std::uint8_t>(slot.status));
    }
    slot.reason = WaitReason::forever;
    m_shared = false;  // starting to run is the pick's choice, not a stretch of its own
    std::coroutine_handle<> h = slot.resume_point;
    h.resume();
    Slot& after = m_tasks[t];  // m_tasks may have grown: re-take the reference
    // Every suspension lets go of the actor (reentrancy); thread-blocking work keeps it: the
    // thread stays the actor's (sleep(), and GCD's waits, which block their thread).
    const bool thread_blocked = after.state == TaskState::blocked || (after.state == TaskState::suspended && after.blocks_thread) ||
                                (after.state == TaskState::ready && after.reason == WaitReason::preempted);
    if (!thread_blocked) release_actor(t, false);
    if (after.body.done()) {
        if (auto err = after.body.error()) {
            try {
                std::rethrow_exception(err);
            } catch (const std::exception& e) {
                m_internal_error = e.what();
            } catch (...) {
                m_internal_error = "unknown internal error";
            }
            if (after.state != TaskState::finished) {
                after.state = TaskState::finished;
                emit(EventKind::task_finished, t, 0, m_trace.add_string("internal error: " + m_internal_error),
                     static_cast<std::uint8_t>(Outcome::threw));
            }
        }
        after.state = TaskState::finished;
        after.body.reset();
        after.resume_point = {};
    }
    m_current = 0;
}

}  // namespace tasklab
