// asyncio for Python scenarios: asyncio.run, tasks and futures, sleep, gather, wait_for,
// wait, shield, TaskGroup, timeout, Event, Queue, Lock and the running loop, all on the
// asyncio model (engine/cancel/asyncio.hpp). Event, Queue and Lock follow CPython's
// locks.py and queues.py: they are built from plain futures, so their wake-ups take the
// same passes as in CPython.
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

struct LoopObj : NativeObj {
    std::uint32_t generation = 0;
    // A loop the program made itself (asyncio.new_event_loop, get_event_loop outside a loop):
    // run_until_complete opens the model's loop on first use, close() closes it.
    bool owned = false;
    bool opened = false;
    bool closed = false;
    bool debug = false;  ///< set_debug(): kept and read back (tasklab's loop behaves the same either way)
    LoopObj() : NativeObj(NKind::loop) {}
};

struct TaskGroupObj : NativeObj {
    asyncio::GroupId id = 0;
    bool entered = false;
    std::string name;
    TaskGroupObj() : NativeObj(NKind::task_group) {}
};

struct TimeoutObj : NativeObj {
    asyncio::GroupId id = 0;
    Tick when = asyncio::k_no_deadline;
    Value when_value;  // what when() returns: None, or the deadline as the program computed it
    bool entered = false;
    std::string name;
    TimeoutObj() : NativeObj(NKind::timeout) {}
};

struct EventObj : NativeObj {
    bool value = false;
    std::vector<asyncio::FutureId> waiters;
    EventObj() : NativeObj(NKind::event) {}
};

/// Which item Queue.get takes: queues.py's Queue (first in), LifoQueue (last in) and
/// PriorityQueue (the smallest, kept as a heapq heap).
enum class QueueOrder : std::uint8_t { fifo, lifo, priority };

struct QueueObj : NativeObj {
    QueueOrder order = QueueOrder::fifo;
    std::int64_t maxsize = 0;
    std::deque<Value> items;
    std::deque<asyncio::FutureId> getters;
    std::deque<asyncio::FutureId> putters;
    std::int64_t unfinished = 0;
    Value finished;  // an Event
    QueueObj() : NativeObj(NKind::queue) {}
    [[nodiscard]] bool full() const { return maxsize > 0 && static_cast<std::int64_t>(items.size()) >= maxsize; }
};

struct LockObj : NativeObj {
    bool locked = false;
    std::deque<asyncio::FutureId> waiters;
    LockObj() : NativeObj(NKind::lock) {}
};

struct SemaphoreObj : NativeObj {
    std::int64_t value = 1;
    std::int64_t bound = -1;  // BoundedSemaphore: the initial value
    std::deque<asyncio::FutureId> waiters;
    SemaphoreObj() : NativeObj(NKind::semaphore) {}
};

struct HandleObj : NativeObj {
    std::uint32_t model_handle = 0;
    TaskId spawned = 0;
    bool cancelled = false;
    HandleObj() : NativeObj(NKind::handle) {}
};

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

/// locks.py's repr() adds `, waiters:N` while anyone waits.
std::string waiters_note(std::size_t n) { return n == 0 ? std::string() : ", waiters:" + std::to_string(n); }

}  // namespace

// =========================================================================================
// Futures and tasks as Python values
// =========================================================================================

// The model carries a cancel message as text it never reads. A str travels as itself; any
// other object (`task.cancel((5,))`, CPython keeps `msg` as given) travels as a token naming
// it in m_cancel_messages, and cancelled_error() turns the token back into the object.
namespace {
constexpr char k_message_token[] = "\x00tasklab-cancel-message:";
}

std::optional<std::string> Machine::cancel_message(const Value& msg) {
    if (msg.is_none()) return std::nullopt;
    if (is_kind(msg, OKind::str)) return as_str(msg);
    m_cancel_messages.push_back(msg);
    return std::string(k_message_token, sizeof k_message_token - 1) + std::to_string(m_cancel_messages.size() - 1);
}

Value Machine::cancel_message_value(const std::string& message) {
    const std::string token(k_message_token, sizeof k_message_token - 1);
    if (message.rfind(token, 0) == 0) {
        const std::size_t k = std::stoul(message.substr(token.size()));
        if (k < m_cancel_messages.size()) return m_cancel_messages[k];
    }
    return make_str(message);
}

std::string Machine::timeout_repr(const Value& timeout) {
    // timeouts.py Timeout.__repr__: the state, and `when=round(when, 3)` while active.
    const auto& to = static_cast<const TimeoutObj&>(*timeout.obj);
    if (!to.entered) return "<Timeout [created]>";
    const std::string state = m_model.timeout_state(to.id);
    if (state != "active") return "<Timeout [" + state + "]>";
    std::string when = "None";
    if (to.when_value.kind == VKind::real) {
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.3f", to.when_value.d);
        when = float_repr(std::strtod(buf, nullptr));
    } else if (!to.when_value.is_none()) {
        when = repr_of(to.when_value);
    }
    return "<Timeout [active] when=" + when + ">";
}

Value Machine::future_value(asyncio::FutureId id) {
    if (id == 0) return Value::none();
    if (id >= m_future_objects.size()) m_future_objects.resize(id + 1);
    if (m_future_objects[id].is_none()) {
        auto f = std::make_shared<FutureRef>();
        f->id = id;
        f->is_task = m_model.task_of(id) != 0;
        if (f->is_task) f->name = "Task-" + std::to_string(++m_task_counter);
        m_future_objects[id] = Value::of(std::move(f));
    }
    return m_future_objects[id];
}

Tick Machine::seconds_arg(const Value& v, bool& ok) {
    ok = v.is_number();
    if (!ok) return 0;
    if (v.kind == VKind::real) {
        if (!std::isfinite(v.d)) return v.d > 0 ? INT64_MAX / 4 : 0;
        // Past the clock's end (1e300 s) is as far as infinity; never convert out of range.
        if (v.d * 1e9 >= static_cast<double>(INT64_MAX / 4)) return INT64_MAX / 4;
        if (v.d * 1e9 <= -static_cast<double>(INT64_MAX / 4)) return -(INT64_MAX / 4);
        return static_cast<Tick>(std::llround(v.d * 1e9));
    }
    const std::int64_t s = int_of(v);
    if (s > INT64_MAX / 4 / k_second) return INT64_MAX / 4;
    return s * k_second;
}

std::string Machine::lane_for(const Value& coro, const std::string& hint) {
    if (!hint.empty()) return hint;
    if (is_kind(coro, OKind::coroutine)) {
        const auto& c = as<Coroutine>(coro);
        return c.label.empty() ? c.name + "()" : c.label;
    }
    return "task";
}

Res Machine::create_task(const Value& coro, const Value* name, Span span, asyncio::FutureId& out, TaskKind kind, asyncio::GroupId group) {
    if (!is_kind(coro, OKind::coroutine)) return raise_error("TypeError", "a coroutine was expected, got " + repr_of(coro));
    if (!m_model.loop_running()) return raise_error("RuntimeError", "no running event loop");
    // Every task is kept in the trace for the whole run: cap them so memory stays bounded.
    if (m_sched.task_count() >= k_max_tasks_per_run)
        return fail(DiagnosticKind::misuse, span,
                    "this run created " + std::to_string(k_max_tasks_per_run) + " tasks, tasklab's limit per run",
                    "each task is recorded in the trace for the whole run; try fewer tasks");
    std::string py_name;
    if (name && !name->is_none()) {
        Res s = py_str(*name);
        if (!s.ok()) return s;
        py_name = as_str(s.value);
    }
    const std::string lane = lane_for(coro, py_name);
    asyncio::FutureId f = 0;
    if (group != 0) {
        asyncio::Result r = m_model.group_create_task(group, task_body(coro), lane, f);
        if (!r.ok()) return from_result(std::move(r));
    } else {
        f = m_model.create_task(task_body(coro), lane, kind);
    }
    if (f >= m_future_objects.size()) m_future_objects.resize(f + 1);
    auto fr = std::make_shared<FutureRef>();
    fr->id = f;
    fr->is_task = true;
    // CPython's Task counter advances for every task, named or not (a named task uses a number).
    const std::string numbered = "Task-" + std::to_string(++m_task_counter);
    fr->name = py_name.empty() ? numbered : py_name;
    fr->coro = coro;
    m_future_objects[f] = Value::of(std::move(fr));
    out = f;
    (void)span;
    return Res::of();
}

Res Machine::ensure_future(const Value& v, asyncio::FutureId& out, Span span, const std::string& label) {
    if (is_kind(v, OKind::future)) {
        out = as<FutureRef>(v).id;
        return Res::of();
    }
    if (is_kind(v, OKind::coroutine)) {
        Value hint = label.empty() ? Value::none() : make_str(label);
        (void)hint;
        return create_task(v, nullptr, span, out);
    }
    return raise_error("TypeError", "An asyncio.Future, a coroutine or an awaitable is required");
}

Value Machine::loop_object() {
    if (m_loop_object.is_none() || static_cast<const LoopObj&>(*m_loop_object.obj).generation != m_loop_generation) {
        auto l = std::make_shared<LoopObj>();
        l->cls = cls("asyncio._UnixSelectorEventLoop");
        l->generation = m_loop_generation;
        m_loop_object = Value::of(std::move(l));
    }
    return m_loop_object;
}

Flow<Res> Machine::asyncio_run(Value coro, Span span) {
    if (!is_kind(coro, OKind::coroutine)) co_return raise_error("ValueError", "a coroutine was expected, got " + repr_of(coro));
    if (m_model.loop_running()) co_return raise_error("RuntimeError", "asyncio.run() cannot be called from a running event loop");
    ++m_loop_generation;
    const std::string lane = lane_for(coro, {});
    asyncio::Result r = co_await interp::lift(m_model.run(task_body(coro), lane));
    if (has_open_asyncgens() && !m_fatal) {
        // asyncio.run ends with loop.run_until_complete(loop.shutdown_asyncgens()).
        Value shutdown = make_native_coroutine("shutdown_asyncgens", [this]() { return shutdown_asyncgens_co(); });
        asyncio::Result s = co_await interp::lift(m_model.run(task_body(shutdown), "shutdown_asyncgens()"));
        (void)s;
    }
    m_loop_asyncgens.clear();
    at(span);
    co_return from_result(std::move(r));
}

Flow<Res> Machine::await_future_co(asyncio::FutureId id) {
    asyncio::Result r = co_await interp::lift(m_model.await_future(id));
    co_return from_result(std::move(r));
}

Flow<Res> Machine::sleep_co(Tick d, Value result) {
    if (!m_model.loop_running() || m_model.current_task() == 0) co_return raise_error("RuntimeError", "no running event loop");
    asyncio::Result r = co_await interp::lift(m_model.sleep(d, result));
    co_return from_result(std::move(r));
}

Flow<Res> Machine::wait_for_co(Value aw, Tick timeout, Span span) {
    asyncio::FutureId f = 0;
    Res e = ensure_future(aw, f, span);
    if (!e.ok()) co_return e;
    at(span);
    std::string name = "wait_for @" + line_of(span);
    asyncio::Result r = co_await interp::lift(m_model.wait_for(f, timeout, std::move(name)));
    co_return from_result(std::move(r));
}

Flow<Res> Machine::wait_co(std::vector<Value> fs, Tick timeout, asyncio::ReturnWhen when, Span span) {
    std::vector<asyncio::FutureId> ids;
    for (const Value& v : fs) {
        if (is_kind(v, OKind::coroutine)) co_return raise_error("TypeError", "Passing coroutines is forbidden, use tasks explicitly.");
        asyncio::FutureId f = 0;
        Res e = ensure_future(v, f, span);
        if (!e.ok()) co_return e;
        ids.push_back(f);
    }
    asyncio::Result r = co_await interp::lift(m_model.wait(std::move(ids), timeout, when));
    co_return from_result(std::move(r));
}

Flow<Res> Machine::event_wait_co(Value event) {
    auto& ev = static_cast<EventObj&>(*event.obj);
    if (ev.value) co_return Res::of(Value::boolean(true));
    const asyncio::FutureId f = m_model.create_future();
    m_model.set_wait_label(f, WaitReason::event, "Event.wait()");
    ev.waiters.push_back(f);
    asyncio::Result r = co_await interp::lift(m_model.await_future(f));
    auto& ev2 = static_cast<EventObj&>(*event.obj);
    ev2.waiters.erase(std::remove(ev2.waiters.begin(), ev2.waiters.end(), f), ev2.waiters.end());
    if (!r.ok()) co_return from_result(std::move(r));
    co_return Res::of(Value::boolean(true));
}

bool Machine::lock_is_locked(const Value& lock) const { return static_cast<const LockObj&>(*lock.obj).locked; }

Res Machine::lock_release(const Value& lock) {
    // locks.py Lock.release: unlock and wake the first waiter (_wake_up_first).
    auto& l = static_cast<LockObj&>(*lock.obj);
    if (!l.locked) return raise_error("RuntimeError", "Lock is not acquired.");
    l.locked = false;
    if (!l.waiters.empty() && !m_model.done(l.waiters.front())) m_model.set_result(l.waiters.front(), Value::boolean(true));
    return Res::of();
}

namespace {
void wakeup_next(asyncio::Model& model, std::deque<asyncio::FutureId>& waiters) {
    while (!waiters.empty()) {
        const asyncio::FutureId w = waiters.front();
        waiters.pop_front();
        if (!model.done(w)) {
            model.set_result(w, Value::none());
            break;
        }
    }
}
}  // namespace

// queues.py _put/_get: Queue appends and takes from the left, LifoQueue takes from the right,
// PriorityQueue keeps a heap with heapq's heappush/heappop (the same comparisons with `<`, so
// equal priorities come out in the same order as in CPython).
Res Machine::queue_add(const Value& queue, const Value& item) {
    auto& q = static_cast<QueueObj&>(*queue.obj);
    q.items.push_back(item);
    if (q.order == QueueOrder::priority) {
        Res r = heap_sift_down(q.items, 0, q.items.size() - 1);
        if (!r.ok()) return r;
    }
    auto& q2 = static_cast<QueueObj&>(*queue.obj);
    ++q2.unfinished;
    static_cast<EventObj&>(*q2.finished.obj).value = false;
    wakeup_next(m_model, q2.getters);
    return Res::of();
}

Res Machine::queue_take(const Value& queue) {
    auto& q = static_cast<QueueObj&>(*queue.obj);
    if (q.order == QueueOrder::lifo) {
        Value item = q.items.back();
        q.items.pop_back();
        return Res::of(item);
    }
    if (q.order == QueueOrder::fifo) {
        Value item = q.items.front();
        q.items.pop_front();
        return Res::of(item);
    }
    // heapq.heappop
    Value last = q.items.back();
    q.items.pop_back();
    if (q.items.empty()) return Res::of(last);
    Value top = q.items.front();
    q.items.front() = last;
    Res r = heap_sift_up(q.items, 0);
    if (!r.ok()) return r;
    return Res::of(top);
}

Res Machine::heap_less(const Value& a, const Value& b, bool& out) {
    Res r = compare(BinaryOp::lt, a, b, {});
    if (!r.ok()) return r;
    return truthy(r.value, out);
}

Res Machine::heap_sift_down(std::deque<Value>& heap, std::size_t start, std::size_t pos) {
    // heapq._siftdown: move heap[pos] up towards `start` while it is smaller than its parent.
    Value item = heap[pos];
    while (pos > start) {
        const std::size_t parent = (pos - 1) >> 1;
        bool less = false;
        Res r = heap_less(item, heap[parent], less);
        if (!r.ok()) return r;
        if (!less) break;
        heap[pos] = heap[parent];
        pos = parent;
    }
    heap[pos] = item;
    return Res::of();
}

Res Machine::heap_sift_up(std::deque<Value>& heap, std::size_t pos) {
    // heapq._siftup: move the smaller child up until a leaf, then sift the item down to place.
    const std::size_t end = heap.size();
    const std::size_t start = pos;
    Value item = heap[pos];
    std::size_t child = 2 * pos + 1;
    while (child < end) {
        const std::size_t right = child + 1;
        if (right < end) {
            bool less = false;
            Res r = heap_less(heap[child], heap[right], less);
            if (!r.ok()) return r;
            if (!less) child = right;
        }
        heap[pos] = heap[child];
        pos = child;
        child = 2 * pos + 1;
    }
    heap[pos] = item;
    return heap_sift_down(heap, start, pos);
}

Flow<Res> Machine::queue_get_co(Value queue) {
    auto& q = static_cast<QueueObj&>(*queue.obj);
    while (q.items.empty()) {
        const asyncio::FutureId getter = m_model.create_future();
        m_model.set_wait_label(getter, WaitReason::event, "Queue.get()");
        q.getters.push_back(getter);
        asyncio::Result r = co_await interp::lift(m_model.await_future(getter));
        if (!r.ok()) {
            m_model.cancel(getter, std::nullopt);
            q.getters.erase(std::remove(q.getters.begin(), q.getters.end(), getter), q.getters.end());
            if (!q.items.empty() && !m_model.cancelled(getter)) wakeup_next(m_model, q.getters);
            co_return from_result(std::move(r));
        }
    }
    Res item = queue_take(queue);
    if (!item.ok()) co_return item;
    wakeup_next(m_model, static_cast<QueueObj&>(*queue.obj).putters);
    co_return item;
}

Flow<Res> Machine::queue_put_co(Value queue, Value item) {
    auto& q = static_cast<QueueObj&>(*queue.obj);
    while (q.full()) {
        const asyncio::FutureId putter = m_model.create_future();
        m_model.set_wait_label(putter, WaitReason::event, "Queue.put()");
        q.putters.push_back(putter);
        asyncio::Result r = co_await interp::lift(m_model.await_future(putter));
        if (!r.ok()) {
            m_model.cancel(putter, std::nullopt);
            q.putters.erase(std::remove(q.putters.begin(), q.putters.end(), putter), q.putters.end());
            if (!q.full() && !m_model.cancelled(putter)) wakeup_next(m_model, q.putters);
            co_return from_result(std::move(r));
        }
    }
    Res added = queue_add(queue, item);
    if (!added.ok()) co_return added;
    co_return Res::of();
}

Flow<Res> Machine::queue_join_co(Value queue) {
    auto& q = static_cast<QueueObj&>(*queue.obj);
    if (q.unfinished > 0) {
        Res r = co_await event_wait_co(q.finished);
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::lock_acquire_co(Value lock) {
    auto& l = static_cast<LockObj&>(*lock.obj);
    bool all_cancelled = true;
    for (auto w : l.waiters)
        if (!m_model.cancelled(w)) all_cancelled = false;
    if (!l.locked && all_cancelled) {
        l.locked = true;
        co_return Res::of(Value::boolean(true));
    }
    const asyncio::FutureId f = m_model.create_future();
    m_model.set_wait_label(f, WaitReason::event, "Lock.acquire()");
    l.waiters.push_back(f);
    asyncio::Result r = co_await interp::lift(m_model.await_future(f));
    auto& l2 = static_cast<LockObj&>(*lock.obj);
    l2.waiters.erase(std::remove(l2.waiters.begin(), l2.waiters.end(), f), l2.waiters.end());
    if (!r.ok()) {
        if (!l2.locked && !l2.waiters.empty() && !m_model.done(l2.waiters.front())) m_model.set_result(l2.waiters.front(), Value::boolean(true));
        co_return from_result(std::move(r));
    }
    l2.locked = true;
    co_return Res::of(Value::boolean(true));
}

namespace {
bool semaphore_locked(asyncio::Model& model, const SemaphoreObj& s) {
    if (s.value == 0) return true;
    for (auto w : s.waiters)
        if (!model.cancelled(w)) return true;
    return false;
}

void semaphore_wake_next(asyncio::Model& model, SemaphoreObj& s) {
    for (auto w : s.waiters) {
        if (!model.done(w)) {
            --s.value;
            model.set_result(w, Value::boolean(true));
            return;
        }
    }
}
}  // namespace

Flow<Res> Machine::semaphore_acquire_co(Value sem) {
    // locks.py Semaphore.acquire (3.11)
    auto& s = static_cast<SemaphoreObj&>(*sem.obj);
    if (!semaphore_locked(m_model, s)) {
        --s.value;
        co_return Res::of(Value::boolean(true));
    }
    const asyncio::FutureId f = m_model.create_future();
    m_model.set_wait_label(f, WaitReason::event, "Semaphore.acquire()");
    s.waiters.push_back(f);
    asyncio::Result r = co_await interp::lift(m_model.await_future(f));
    auto& s2 = static_cast<SemaphoreObj&>(*sem.obj);
    s2.waiters.erase(std::remove(s2.waiters.begin(), s2.waiters.end(), f), s2.waiters.end());
    if (!r.ok()) {
        if (!m_model.cancelled(f)) {
            ++s2.value;
            semaphore_wake_next(m_model, s2);
        }
        co_return from_result(std::move(r));
    }
    if (s2.value > 0) semaphore_wake_next(m_model, s2);
    co_return Res::of(Value::boolean(true));
}

Flow<Res> Machine::as_completed_one_co(Value queue) {
    Res f = co_await queue_get_co(queue);
    if (!f.ok()) co_return f;
    if (f.value.is_none()) co_return Res::raised(new_exception(cls("TimeoutError"), {}));
    co_return from_result(m_model.result(as<FutureRef>(f.value).id));
}

// =========================================================================================
// async with: TaskGroup, timeout, Lock, websockets
// =========================================================================================

bool Machine::is_native_context(const Value& v) const {
    if (!is_kind(v, OKind::native)) return false;
    switch (static_cast<const NativeObj&>(*v.obj).nkind) {
    case NKind::task_group:
    case NKind::timeout:
    case NKind::lock:
    case NKind::semaphore:
    case NKind::condition:
    case NKind::barrier:
    case NKind::ws_serve:
    case NKind::ws_server:
    case NKind::ws_connect:
    case NKind::ws_conn: return true;
    default: return false;
    }
}

Flow<Res> Machine::native_aenter(Value obj, Span span) {
    auto& n = static_cast<NativeObj&>(*obj.obj);
    switch (n.nkind) {
    case NKind::task_group: {
        auto& tg = static_cast<TaskGroupObj&>(n);
        if (tg.entered) co_return raise_error("RuntimeError", "TaskGroup " + m_model.group_repr(tg.id) + " has already been entered");
        if (m_model.current_task() == 0) co_return raise_error("RuntimeError", "TaskGroup <TaskGroup> cannot determine the parent task");
        tg.entered = true;
        tg.name = "TaskGroup @" + line_of(span);
        at(span);
        tg.id = m_model.group_enter(tg.name);
        co_return Res::of(obj);
    }
    case NKind::timeout: {
        auto& to = static_cast<TimeoutObj&>(n);
        if (to.entered) co_return raise_error("RuntimeError", "Timeout has already been entered");
        if (m_model.current_task() == 0) co_return raise_error("RuntimeError", "Timeout should be used inside a task");
        to.entered = true;
        to.name = "timeout @" + line_of(span);
        at(span);
        to.id = m_model.timeout_enter(to.when, to.name);
        co_return Res::of(obj);
    }
    case NKind::lock: {
        Res r = co_await lock_acquire_co(obj);
        if (!r.ok()) co_return r;
        co_return Res::of();
    }
    case NKind::semaphore: {
        Res r = co_await semaphore_acquire_co(obj);
        if (!r.ok()) co_return r;
        co_return Res::of();
    }
    case NKind::condition:
    case NKind::barrier: {
        Res r = co_await sync_aenter(obj);
        co_return r;
    }
    default: {
        Res r = co_await ws_aenter(obj, span);
        co_return r;
    }
    }
}

Flow<Res> Machine::native_aexit(Value obj, Value exc, Span span) {
    auto& n = static_cast<NativeObj&>(*obj.obj);
    switch (n.nkind) {
    case NKind::task_group: {
        auto& tg = static_cast<TaskGroupObj&>(n);
        asyncio::Result r = co_await interp::lift(m_model.group_exit(tg.id, to_exc(exc)));
        if (!r.ok()) co_return from_result(std::move(r));
        co_return Res::of(Value::boolean(false));
    }
    case NKind::timeout: {
        auto& to = static_cast<TimeoutObj&>(n);
        asyncio::Result r = m_model.timeout_exit(to.id, to_exc(exc));
        if (!r.ok()) co_return from_result(std::move(r));
        co_return Res::of(Value::boolean(false));
    }
    case NKind::lock: {
        auto& l = static_cast<LockObj&>(n);
        if (!l.locked) co_return raise_error("RuntimeError", "Lock is not acquired.");
        l.locked = false;
        if (!l.waiters.empty() && !m_model.done(l.waiters.front())) m_model.set_result(l.waiters.front(), Value::boolean(true));
        co_return Res::of(Value::boolean(false));
    }
    case NKind::semaphore: {
        Args none;
        bool handled = false;
        Res r = asyncio_call("Semaphore.release", obj, none, span, handled);
        if (!r.ok()) co_return r;
        co_return Res::of(Value::boolean(false));
    }
    case NKind::condition:
    case NKind::barrier: co_return sync_aexit(obj);
    default: {
        Res r = co_await ws_aexit(obj, exc, span);
        co_return r;
    }
    }
}

// =========================================================================================
// Attributes of futures and asyncio objects
// =========================================================================================

Res Machine::native_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto method = [&](std::initializer_list<const char*> names, const char* prefix) -> std::optional<Res> {
        for (const char* n : names)
            if (name == n) return Res::of(builtin(std::string(prefix) + "." + name, obj));
        return std::nullopt;
    };
    if (is_kind(obj, OKind::future)) {
        if (auto r = method({"cancel", "cancelled", "done", "result", "exception", "set_result", "set_exception", "add_done_callback",
                             "remove_done_callback", "get_name", "set_name", "cancelling", "uncancel", "get_coro", "get_loop"},
                            "Future"))
            return *r;
        handled = false;
        return Res::of();
    }
    auto& n = static_cast<const NativeObj&>(*obj.obj);
    switch (n.nkind) {
    case NKind::generator:
    case NKind::seq_iter: return generator_attr(obj, name, span, handled);
    case NKind::contextlib: return contextlib_native_attr(obj, name, span, handled);
    case NKind::super_: return super_attr(obj, name, span);
    case NKind::loop:
        if (name == "__repr__")
            return Res::of(make_str(std::string("<_UnixSelectorEventLoop running=") + (loop_is_running(obj) ? "True" : "False") +
                                    " closed=" + (loop_is_closed(obj) ? "True" : "False") +
                                    " debug=" + (static_cast<const LoopObj&>(*obj.obj).debug ? "True" : "False") + ">"));
        if (auto r = method({"time", "create_future", "create_task", "call_soon", "call_later", "call_at", "add_signal_handler",
                             "remove_signal_handler", "run_in_executor", "is_running", "is_closed", "get_debug", "set_debug", "stop",
                             "call_soon_threadsafe", "run_until_complete", "close"},
                            "loop"))
            return *r;
        break;
    case NKind::task_group:
        if (name == "__repr__") {
            const auto& tg = static_cast<const TaskGroupObj&>(n);
            return Res::of(make_str(tg.entered ? m_model.group_repr(tg.id) : "<TaskGroup>"));
        }
        if (auto r = method({"create_task"}, "TaskGroup")) return *r;
        break;
    case NKind::timeout:
        if (name == "__repr__") return Res::of(make_str(timeout_repr(obj)));
        if (auto r = method({"expired", "when", "reschedule"}, "Timeout")) return *r;
        break;
    case NKind::event:
        if (name == "__repr__") {
            const auto& ev = static_cast<const EventObj&>(n);
            return Res::of(make_str(std::string("<asyncio.locks.Event object [") + (ev.value ? "set" : "unset") + waiters_note(ev.waiters.size()) + "]>"));
        }
        if (auto r = method({"set", "clear", "is_set", "wait"}, "Event")) return *r;
        break;
    case NKind::queue:
        if (name == "__repr__") {
            // queues.py's str(): `<Queue maxsize=0 _queue=[1, 2] tasks=2>` (repr adds the address).
            const auto& q = static_cast<const QueueObj&>(n);
            std::string text = "<" + n.cls->name + " maxsize=" + std::to_string(q.maxsize);
            if (!q.items.empty()) text += " _queue=" + repr_of(py::make_list(std::vector<Value>(q.items.begin(), q.items.end())));
            if (!q.getters.empty()) text += " _getters[" + std::to_string(q.getters.size()) + "]";
            if (!q.putters.empty()) text += " _putters[" + std::to_string(q.putters.size()) + "]";
            if (q.unfinished > 0) text += " tasks=" + std::to_string(q.unfinished);
            return Res::of(make_str(text + ">"));
        }
        if (name == "maxsize") return Res::of(Value::integer(static_cast<const QueueObj&>(n).maxsize));
        if (auto r = method({"put", "get", "put_nowait", "get_nowait", "qsize", "empty", "full", "task_done", "join"}, "Queue")) return *r;
        break;
    case NKind::lock:
        if (name == "__repr__") {
            const auto& l = static_cast<const LockObj&>(n);
            return Res::of(make_str(std::string("<asyncio.locks.Lock object [") + (l.locked ? "locked" : "unlocked") + waiters_note(l.waiters.size()) + "]>"));
        }
        if (auto r = method({"acquire", "release", "locked"}, "Lock")) return *r;
        break;
    case NKind::semaphore: {
        const auto& sem = static_cast<const SemaphoreObj&>(n);
        if (name == "__repr__")
            return Res::of(make_str("<asyncio.locks." + n.cls->name + " object [" +
                                    (semaphore_locked(m_model, sem) ? std::string("locked") : "unlocked, value:" + std::to_string(sem.value)) +
                                    waiters_note(sem.waiters.size()) + "]>"));
        if (auto r = method({"acquire", "release", "locked"}, "Semaphore")) return *r;
        break;
    }
    case NKind::condition:
    case NKind::barrier: return sync_attr(obj, name, handled);
    case NKind::runner: return runner_attr(obj, name);
    case NKind::handle:
        if (name == "__repr__") return Res::of(make_str("<TimerHandle>"));
        if (auto r = method({"cancel", "cancelled"}, "Handle")) return *r;
        break;
    case NKind::logger:
        if (name == "__repr__") return Res::of(make_str("<Logger>"));
        if (auto r = method({"info", "warning", "warn", "error", "exception", "debug", "critical", "fatal", "log", "setLevel", "isEnabledFor",
                             "getEffectiveLevel"},
                            "Logger"))
            return *r;
        break;
    case NKind::stream:
        if (auto r = method({"write", "flush"}, "Stream")) return *r;
        break;
    default: {
        bool h = false;
        Res r = ws_attr(obj, name, span, h);
        if (h) return r;
        break;
    }
    }
    handled = false;
    return Res::of();
}

// =========================================================================================
// Calls
// =========================================================================================

Res Machine::asyncio_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    auto arg = [&](std::size_t k, const char* kw) -> const Value* {
        if (k < args.pos.size()) return &args.pos[k];
        return args.kwarg(kw);
    };
    auto seconds = [&](const Value& v, Tick& out) -> Res {
        if (v.is_none()) {
            out = -1;
            return Res::of();
        }
        bool ok = false;
        out = seconds_arg(v, ok);
        if (!ok) return raise_error("TypeError", "'<=' not supported between instances of '" + type_name(v) + "' and 'int'");
        return Res::of();
    };
    auto need_loop = [&]() -> Res {
        // A worker thread (threads.cpp) has no running loop of its own.
        if (!m_model.loop_running() || in_worker_thread()) return raise_error("RuntimeError", "no running event loop");
        return Res::of();
    };

    // ---- asyncio module functions ----
    if (name == "asyncio.run") {
        return fail(DiagnosticKind::misuse, span, "asyncio.run() must be called where the scenario's top-level code can wait for it",
                    "call asyncio.run(main()) from the module's top level");
    }
    if (name == "asyncio.sleep") {
        const Value* d = arg(0, "delay");
        if (!d) return raise_error("TypeError", "sleep() missing 1 required positional argument: 'delay'");
        Tick ticks = 0;
        Res s = seconds(*d, ticks);
        if (!s.ok()) return s;
        const Value* result = arg(1, "result");
        Value rv = result ? *result : Value::none();
        return Res::of(make_native_coroutine("sleep", [this, ticks, rv]() { return sleep_co(ticks, rv); }));
    }
    if (name == "asyncio.create_task" || name == "asyncio.ensure_future" || name == "loop.create_task") {
        const Value* c = arg(0, name == "asyncio.ensure_future" ? "coro_or_future" : "coro");
        if (!c) return raise_error("TypeError", "create_task() missing 1 required positional argument: 'coro'");
        if (Res l = need_loop(); !l.ok()) return l;
        if (name == "asyncio.ensure_future" && is_kind(*c, OKind::future)) return Res::of(*c);
        asyncio::FutureId f = 0;
        Res r = create_task(*c, args.kwarg("name"), span, f);
        if (!r.ok()) return r;
        return Res::of(future_value(f));
    }
    if (name == "asyncio.gather") {
        if (Res l = need_loop(); !l.ok()) return l;
        bool return_exceptions = false;
        if (const Value* re = args.kwarg("return_exceptions")) truthy(*re, return_exceptions);
        std::vector<asyncio::FutureId> ids;
        std::unordered_map<const Obj*, asyncio::FutureId> seen;  // the same awaitable twice: one future (linear time)
        for (const Value& v : args.pos) {
            asyncio::FutureId f = 0;
            if (auto it = seen.find(v.obj.get()); it != seen.end()) {
                f = it->second;
            } else {
                Res e = ensure_future(v, f, span);
                if (!e.ok()) return e;
                seen.emplace(v.obj.get(), f);
            }
            ids.push_back(f);
        }
        const asyncio::FutureId g = m_model.gather(std::move(ids), return_exceptions);
        m_model.set_wait_label(g, WaitReason::task, "gather()");
        return Res::of(future_value(g));
    }
    if (name == "asyncio.wait_for") {
        const Value* aw = arg(0, "fut");
        const Value* to = arg(1, "timeout");
        if (!aw || !to) return raise_error("TypeError", "wait_for() missing 1 required positional argument: 'timeout'");
        Tick ticks = 0;
        Res s = seconds(*to, ticks);
        if (!s.ok()) return s;
        // tasks.py: `if timeout <= 0:` cancels at once (a negative timeout is not "none").
        if (!to->is_none() && to->as_double() <= 0) ticks = 0;
        Value awv = *aw;
        return Res::of(make_native_coroutine("wait_for", [this, awv, ticks, span]() { return wait_for_co(awv, ticks, span); }));
    }
    if (name == "asyncio.wait") {
        const Value* fs = arg(0, "fs");
        if (!fs) return raise_error("TypeError", "wait() missing 1 required positional argument: 'fs'");
        if (is_kind(*fs, OKind::future) || is_kind(*fs, OKind::coroutine))
            return raise_error("TypeError", "expect a list of futures, not " + type_name(*fs));
        std::vector<Value> xs;
        Res it = iterate(*fs, xs, span);
        if (!it.ok()) return it;
        if (xs.empty()) return raise_error("ValueError", "Set of Tasks/Futures is empty.");
        Tick ticks = -1;
        if (const Value* to = args.kwarg("timeout")) {
            Res s = seconds(*to, ticks);
            if (!s.ok()) return s;
        }
        asyncio::ReturnWhen when = asyncio::ReturnWhen::all_completed;
        if (const Value* rw = args.kwarg("return_when")) {
            const std::string& w = as_str(*rw);
            if (w == "FIRST_COMPLETED") when = asyncio::ReturnWhen::first_completed;
            else if (w == "FIRST_EXCEPTION") when = asyncio::ReturnWhen::first_exception;
            else if (w != "ALL_COMPLETED") return raise_error("ValueError", "Invalid return_when value: " + repr_of(*rw));
        }
        return Res::of(make_native_coroutine("wait", [this, xs, ticks, when, span]() { return wait_co(xs, ticks, when, span); }));
    }
    if (name == "asyncio.shield") {
        const Value* aw = arg(0, "arg");
        if (!aw) return raise_error("TypeError", "shield() missing 1 required positional argument: 'arg'");
        if (Res l = need_loop(); !l.ok()) return l;
        asyncio::FutureId inner = 0;
        Res e = ensure_future(*aw, inner, span);
        if (!e.ok()) return e;
        return Res::of(future_value(m_model.shield(inner)));
    }
    if (name == "asyncio.current_task") {
        if (Res l = need_loop(); !l.ok()) return l;
        return Res::of(future_value(m_model.current_task()));
    }
    if (name == "asyncio.get_event_loop" && !m_model.main_running()) {
        // events.get_event_loop outside a running loop: the policy's loop (made on first use).
        if (m_policy_loop.is_none()) m_policy_loop = new_event_loop();
        return Res::of(m_policy_loop);
    }
    if (name == "asyncio.get_running_loop" || name == "asyncio.get_event_loop") {
        if (Res l = need_loop(); !l.ok()) return l;
        return Res::of(loop_object());
    }
    if (name == "asyncio.new_event_loop") return Res::of(new_event_loop());
    if (name == "asyncio.set_event_loop") {
        const Value* l = arg(0, "loop");
        if (!l) return raise_error("TypeError", "set_event_loop() missing 1 required positional argument: 'loop'");
        if (!l->is_none() && !(is_kind(*l, OKind::native) && static_cast<const NativeObj&>(*l->obj).nkind == NKind::loop))
            return raise_error("TypeError", "loop must be an instance of AbstractEventLoop or None, not '" + type_name(*l) + "'");
        m_policy_loop = *l;
        return Res::of();
    }
    if (name == "asyncio.timeout" || name == "asyncio.timeout_at") {
        const Value* d = arg(0, name == "asyncio.timeout" ? "delay" : "when");
        if (!d) return raise_error("TypeError", name.substr(8) + "() missing 1 required positional argument");
        if (Res l = need_loop(); !l.ok()) return l;
        auto to = std::make_shared<TimeoutObj>();
        to->cls = cls("asyncio.Timeout");
        to->when_value = *d;
        if (!d->is_none()) {
            bool ok = false;
            const Tick ticks = seconds_arg(*d, ok);
            if (!ok) return raise_error("TypeError", "unsupported operand type(s) for +: 'float' and '" + type_name(*d) + "'");
            // timeout(delay) is Timeout(loop.time() + delay): a float, as CPython computes it. A
            // deadline already past (timeout(-11), timeout_at(-5)) expires in the next pass.
            if (name == "asyncio.timeout") {
                to->when = m_sched.now() + ticks;
                to->when_value = Value::real(m_model.loop_time() + d->as_double());
            } else {
                to->when = ticks;
            }
        }
        return Res::of(Value::of(std::move(to)));
    }
    if (name == "asyncio.iscoroutine") return Res::of(Value::boolean(!args.pos.empty() && is_kind(args.pos[0], OKind::coroutine)));
    if (name == "asyncio.iscoroutinefunction")
        return Res::of(Value::boolean(!args.pos.empty() && is_kind(args.pos[0], OKind::function) && as<Function>(args.pos[0]).is_async));
    if (name == "asyncio.all_tasks") {
        if (Res l = need_loop(); !l.ok()) return l;
        auto set = std::make_shared<Set>();
        for (auto f : m_model.all_tasks()) set->items.push_back(future_value(f));
        return Res::of(Value::of(std::move(set)));
    }
    if (name == "asyncio.as_completed") {
        // tasks.py as_completed: a queue the done-callbacks fill, one waiting coroutine per future.
        const Value* fs = arg(0, "fs");
        if (!fs) return raise_error("TypeError", "as_completed() missing 1 required positional argument: 'fs'");
        if (Res l = need_loop(); !l.ok()) return l;
        if (is_kind(*fs, OKind::future) || is_kind(*fs, OKind::coroutine))
            return raise_error("TypeError", "expect an iterable of futures, not " + type_name(*fs));
        std::vector<Value> xs;
        Res it = iterate(*fs, xs, span);
        if (!it.ok()) return it;
        Args qa;
        Res qv = asyncio_call("asyncio.Queue", Value::none(), qa, span, handled);
        if (!qv.ok()) return qv;
        Value queue = qv.value;
        auto todo = std::make_shared<std::vector<asyncio::FutureId>>();
        for (const Value& x : xs) {
            asyncio::FutureId f = 0;
            Res e = ensure_future(x, f, span);
            if (!e.ok()) return e;
            if (std::find(todo->begin(), todo->end(), f) == todo->end()) todo->push_back(f);
        }
        auto put = [this, queue](Value v) {
            Args a;
            a.pos.push_back(std::move(v));
            bool h = false;
            asyncio_call("Queue.put_nowait", queue, a, {}, h);
        };
        auto timeout_handle = std::make_shared<std::uint32_t>(0);
        for (auto f : *todo) {
            m_model.add_done_callback(f, [this, todo, put, timeout_handle](asyncio::FutureId done_f) {
                if (todo->empty()) return;
                todo->erase(std::remove(todo->begin(), todo->end(), done_f), todo->end());
                put(future_value(done_f));
                if (todo->empty() && *timeout_handle) m_model.cancel_callback(*timeout_handle);
            });
        }
        if (const Value* to = args.kwarg("timeout"); to && !to->is_none() && !todo->empty()) {
            Tick ticks = 0;
            Res s = seconds(*to, ticks);
            if (!s.ok()) return s;
            *timeout_handle = m_model.call_later(ticks, [todo, put] {
                for (std::size_t k = 0; k < todo->size(); ++k) put(Value::none());
                todo->clear();
            });
        }
        std::vector<Value> coros;
        for (std::size_t k = 0; k < todo->size(); ++k)
            coros.push_back(make_native_coroutine("_wait_for_one", [this, queue]() { return as_completed_one_co(queue); }));
        return Res::of(py::make_list(std::move(coros)));
    }
    if (name == "asyncio.Semaphore" || name == "asyncio.BoundedSemaphore") {
        auto sem = std::make_shared<SemaphoreObj>();
        sem->cls = cls(name == "asyncio.Semaphore" ? "asyncio.Semaphore" : "asyncio.BoundedSemaphore");
        if (const Value* v = arg(0, "value")) sem->value = int_of(*v);
        if (sem->value < 0) return raise_error("ValueError", "Semaphore initial value must be >= 0");
        if (name == "asyncio.BoundedSemaphore") sem->bound = sem->value;
        return Res::of(Value::of(std::move(sem)));
    }
    if (name.rfind("Semaphore.", 0) == 0) {
        auto& sem = static_cast<SemaphoreObj&>(*self.obj);
        const std::string m = name.substr(10);
        Value sv = self;
        if (m == "locked") return Res::of(Value::boolean(semaphore_locked(m_model, sem)));
        if (m == "acquire") return Res::of(make_native_coroutine("Semaphore.acquire", [this, sv]() { return semaphore_acquire_co(sv); }));
        if (m == "release") {
            if (sem.bound >= 0 && sem.value >= sem.bound) return raise_error("ValueError", "BoundedSemaphore released too many times");
            ++sem.value;
            semaphore_wake_next(m_model, sem);
            return Res::of();
        }
    }
    if (name == "asyncio.to_thread" || name == "loop.run_in_executor") return threads_call(name, args, span);  // threads.cpp
    if (name == "loop.run_until_complete")
        return fail(DiagnosticKind::misuse, span, "loop.run_until_complete() must be called where the scenario's top-level code can wait for it",
                    "call loop.run_until_complete(main()) from the module's top level");

    // ---- constructors ----
    if (name == "asyncio.Future" || name == "loop.create_future") {
        if (Res l = need_loop(); !l.ok()) return l;
        return Res::of(future_value(m_model.create_future()));
    }
    if (name == "asyncio.Task") {
        if (Res l = need_loop(); !l.ok()) return l;
        const Value* c = arg(0, "coro");
        if (!c) return raise_error("TypeError", "Task() missing required argument 'coro'");
        asyncio::FutureId f = 0;
        Res r = create_task(*c, args.kwarg("name"), span, f);
        if (!r.ok()) return r;
        return Res::of(future_value(f));
    }
    if (name == "asyncio.TaskGroup") {
        auto tg = std::make_shared<TaskGroupObj>();
        tg->cls = cls("asyncio.TaskGroup");
        return Res::of(Value::of(std::move(tg)));
    }
    if (name == "asyncio.Event") {
        auto e = std::make_shared<EventObj>();
        e->cls = cls("asyncio.Event");
        return Res::of(Value::of(std::move(e)));
    }
    if (name == "asyncio.Queue" || name == "asyncio.LifoQueue" || name == "asyncio.PriorityQueue") {
        auto q = std::make_shared<QueueObj>();
        q->cls = cls(name);
        if (name == "asyncio.LifoQueue") q->order = QueueOrder::lifo;
        if (name == "asyncio.PriorityQueue") q->order = QueueOrder::priority;
        if (const Value* m = arg(0, "maxsize")) {
            if (!m->is_number() || m->kind == VKind::real) return raise_error("TypeError", "'<=' not supported between instances of '" + type_name(*m) + "' and 'int'");
            q->maxsize = int_of(*m);
        }
        auto fin = std::make_shared<EventObj>();
        fin->cls = cls("asyncio.Event");
        fin->value = true;
        q->finished = Value::of(std::move(fin));
        return Res::of(Value::of(std::move(q)));
    }
    if (name == "asyncio.Lock") {
        auto l = std::make_shared<LockObj>();
        l->cls = cls("asyncio.Lock");
        return Res::of(Value::of(std::move(l)));
    }
    if (name == "asyncio.Timeout") {
        const Value* w = arg(0, "when");
        if (!w) return raise_error("TypeError", "Timeout.__init__() missing 1 required positional argument: 'when'");
        auto to = std::make_shared<TimeoutObj>();
        to->cls = cls("asyncio.Timeout");
        if (!w->is_none()) {
            bool ok = false;
            to->when = seconds_arg(*w, ok);
            if (!ok) return raise_error("TypeError", "'<=' not supported between instances of '" + type_name(*w) + "' and 'float'");
        }
        to->when_value = *w;
        return Res::of(Value::of(std::move(to)));
    }

    // ---- Future / Task methods ----
    if (name.rfind("Future.", 0) == 0) {
        const auto& fr = as<FutureRef>(self);
        const std::string m = name.substr(7);
        const asyncio::FutureId id = fr.id;
        if (m == "cancel") {
            std::optional<std::string> msg;
            if (const Value* v = arg(0, "msg")) msg = cancel_message(*v);
            return Res::of(Value::boolean(m_model.cancel(id, msg)));
        }
        if (m == "cancelled") return Res::of(Value::boolean(m_model.cancelled(id)));
        if (m == "done") return Res::of(Value::boolean(m_model.done(id)));
        if (m == "result") return from_result(m_model.result(id));
        if (m == "exception") return from_result(m_model.exception(id));
        if (m == "set_result") {
            if (fr.is_task) return raise_error("RuntimeError", "Task does not support set_result operation");
            const Value* v = arg(0, "result");
            if (!v) return raise_error("TypeError", "set_result() missing 1 required positional argument: 'result'");
            return from_result(m_model.set_result(id, *v));
        }
        if (m == "set_exception") {
            if (fr.is_task) return raise_error("RuntimeError", "Task does not support set_exception operation");
            const Value* v = arg(0, "exception");
            if (!v) return raise_error("TypeError", "set_exception() missing 1 required positional argument: 'exception'");
            Value e = *v;
            if (is_kind(e, OKind::cls) && as<Class>(e).is_exception) {
                Args none;
                Res made = call(e, none, span);
                if (!made.ok()) return made;
                e = made.value;
            }
            if (!is_kind(e, OKind::instance) || !as<Instance>(e).exc)
                return raise_error("TypeError", "exception must be an exception instance or class");
            if (isinstance(e, cls("StopIteration").get()))
                return raise_error("TypeError", "StopIteration interacts badly with generators and cannot be raised into a Future");
            return from_result(m_model.set_exception(id, to_exc(e)));
        }
        if (m == "add_done_callback") {
            const Value* fn = arg(0, "fn");
            if (!fn) return raise_error("TypeError", "add_done_callback() missing 1 required positional argument: 'fn'");
            Value callback = *fn;
            m_model.add_done_callback(id, [this, callback](asyncio::FutureId done_id) {
                // A loop callback: it runs in its own turn, with no task current.
                Args a;
                a.pos.push_back(future_value(done_id));
                Res r = call(callback, a, {});
                (void)r;
            });
            return Res::of();
        }
        if (m == "remove_done_callback") return fail(DiagnosticKind::unknown_member, span, "`remove_done_callback` is not supported by tasklab yet");
        if (m == "get_name") return Res::of(make_str(fr.name));
        if (m == "set_name") {
            if (!args.pos.empty()) {
                Res s = py_str(args.pos[0]);
                if (!s.ok()) return s;
                static_cast<FutureRef&>(*self.obj).name = as_str(s.value);
            }
            return Res::of();
        }
        if (m == "cancelling") return Res::of(Value::integer(m_model.cancelling(id)));
        if (m == "uncancel") return Res::of(Value::integer(m_model.uncancel(id)));
        if (m == "get_coro") return Res::of(fr.coro);
        if (m == "get_loop") return Res::of(loop_object());
    }

    // ---- the loop ----
    if (name.rfind("loop.", 0) == 0) {
        const std::string m = name.substr(5);
        if (m == "time") return Res::of(Value::real(m_model.loop_time()));
        if (m == "is_running") return Res::of(Value::boolean(loop_is_running(self)));
        if (m == "is_closed") return Res::of(Value::boolean(loop_is_closed(self)));
        if (m == "close") return loop_close(self);
        if (m == "get_debug") return Res::of(Value::boolean(is_kind(self, OKind::native) && static_cast<const LoopObj&>(*self.obj).debug));
        if (m == "set_debug") {
            bool on = false;
            if (args.pos.size() != 1) return raise_error("TypeError", "set_debug() takes 1 positional argument");
            Res t = truthy(args.pos[0], on);
            if (!t.ok()) return t;
            if (is_kind(self, OKind::native)) static_cast<LoopObj&>(*self.obj).debug = on;
            return Res::of();
        }
        if (m == "call_soon" || m == "call_soon_threadsafe" || m == "call_later" || m == "call_at") {
            const bool timed = m == "call_later" || m == "call_at";
            if (args.pos.size() < (timed ? 2u : 1u)) return raise_error("TypeError", m + "() missing required arguments");
            Tick delay = -1;
            if (timed) {
                bool ok = false;
                const Tick t = seconds_arg(args.pos[0], ok);
                if (!ok) return raise_error("TypeError", "'<' not supported between instances of '" + type_name(args.pos[0]) + "' and 'float'");
                delay = m == "call_later" ? t : t - m_sched.now();
                if (delay < 0) delay = 0;
            }
            Value fn = args.pos[timed ? 1 : 0];
            Args cargs;
            cargs.pos.assign(args.pos.begin() + (timed ? 2 : 1), args.pos.end());
            std::string lane = "callback";
            if (is_kind(fn, OKind::builtin)) lane = as<Builtin>(fn).name + "()";
            if (is_kind(fn, OKind::function)) lane = as<Function>(fn).name + "()";
            else if (is_kind(fn, OKind::bound_method) && is_kind(as<BoundMethod>(fn).func, OKind::function))
                lane = as<Function>(as<BoundMethod>(fn).func).name + "()";
            // semantics: a loop callback is a handle of its own: a callback task that runs at that turn.
            auto h = std::make_shared<HandleObj>();
            h->cls = cls("asyncio.Handle");
            h->spawned = spawn_callback(fn, cargs, lane, delay);
            return Res::of(Value::of(std::move(h)));
        }
        if (m == "add_signal_handler") {
            if (args.pos.size() < 2) return raise_error("TypeError", "add_signal_handler() missing required arguments");
            std::string sig;
            if (args.pos[0].kind == VKind::integer) {
                for (const char* n : {"SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT",
                                      "SIGURG", "SIGWINCH"})
                    if (asyncio::Model::signal_number(n) == args.pos[0].i) sig = n;
            }
            if (sig.empty()) return raise_error("ValueError", "invalid signal number " + repr_of(args.pos[0]));
            if (sig == "SIGKILL") return raise_error("RuntimeError", "sig 9 cannot be caught");
            Args cargs;
            cargs.pos.assign(args.pos.begin() + 2, args.pos.end());
            m_signal_handlers.emplace_back(args.pos[1], std::move(cargs));
            m_model.add_signal_handler(sig, static_cast<std::uint32_t>(m_signal_handlers.size() - 1));
            return Res::of();
        }
        if (m == "remove_signal_handler") {
            std::string sig;
            if (!args.pos.empty() && args.pos[0].kind == VKind::integer)
                for (const char* n : {"SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTERM"})
                    if (asyncio::Model::signal_number(n) == args.pos[0].i) sig = n;
            return Res::of(Value::boolean(m_model.remove_signal_handler(sig)));
        }
        if (m == "stop") return fail(DiagnosticKind::unknown_member, span, "loop.stop() is not supported by tasklab; return from main() instead");
    }

    // ---- TaskGroup, Timeout, Event, Queue, Lock, Handle ----
    if (name == "TaskGroup.create_task") {
        auto& tg = static_cast<TaskGroupObj&>(*self.obj);
        const Value* c = arg(0, "coro");
        if (!c) return raise_error("TypeError", "create_task() missing 1 required positional argument: 'coro'");
        if (!tg.entered) return raise_error("RuntimeError", "TaskGroup <TaskGroup> has not been entered");
        asyncio::FutureId f = 0;
        Res r = create_task(*c, args.kwarg("name"), span, f, TaskKind::child, tg.id);
        if (!r.ok()) return r;
        return Res::of(future_value(f));
    }
    if (name.rfind("Timeout.", 0) == 0) {
        auto& to = static_cast<TimeoutObj&>(*self.obj);
        const std::string m = name.substr(8);
        if (m == "expired") return Res::of(Value::boolean(to.entered && m_model.timeout_expired(to.id)));
        if (m == "when") return Res::of(to.when_value);
        if (m == "reschedule") {
            // timeouts.py (3.11.7) Timeout.reschedule: `when` is absolute, in loop.time()'s clock.
            const Value* w = arg(0, "when");
            if (!w) return raise_error("TypeError", "Timeout.reschedule() missing 1 required positional argument: 'when'");
            if (!to.entered) return raise_error("RuntimeError", "Timeout has not been entered");
            Tick when = asyncio::k_no_deadline;
            if (!w->is_none()) {
                bool ok = false;
                when = seconds_arg(*w, ok);
                if (!ok) return raise_error("TypeError", "'<=' not supported between instances of '" + type_name(*w) + "' and 'float'");
            }
            Res r = from_result(m_model.timeout_reschedule(to.id, when));
            if (r.ok()) to.when_value = *w;
            return r;
        }
    }
    if (name.rfind("Event.", 0) == 0) {
        auto& ev = static_cast<EventObj&>(*self.obj);
        const std::string m = name.substr(6);
        if (m == "is_set") return Res::of(Value::boolean(ev.value));
        if (m == "clear") {
            ev.value = false;
            return Res::of();
        }
        if (m == "set") {
            if (!ev.value) {
                ev.value = true;
                const auto waiters = ev.waiters;
                for (auto f : waiters)
                    if (!m_model.done(f)) m_model.set_result(f, Value::boolean(true));
            }
            return Res::of();
        }
        if (m == "wait") {
            Value e = self;
            return Res::of(make_native_coroutine("Event.wait", [this, e]() { return event_wait_co(e); }));
        }
    }
    if (name.rfind("Queue.", 0) == 0) {
        auto& q = static_cast<QueueObj&>(*self.obj);
        const std::string m = name.substr(6);
        Value qv = self;
        if (m == "qsize") return Res::of(Value::integer(static_cast<std::int64_t>(q.items.size())));
        if (m == "empty") return Res::of(Value::boolean(q.items.empty()));
        if (m == "full") return Res::of(Value::boolean(q.full()));
        if (m == "put_nowait") {
            if (args.pos.empty()) return raise_error("TypeError", "put_nowait() missing 1 required positional argument: 'item'");
            if (q.full()) return Res::raised(new_exception(cls("QueueFull"), {}));
            return queue_add(qv, args.pos[0]);
        }
        if (m == "get_nowait") {
            if (q.items.empty()) return Res::raised(new_exception(cls("QueueEmpty"), {}));
            Res item = queue_take(qv);
            if (!item.ok()) return item;
            wakeup_next(m_model, q.putters);
            return item;
        }
        if (m == "task_done") {
            if (q.unfinished <= 0) return raise_error("ValueError", "task_done() called too many times");
            if (--q.unfinished == 0) {
                Args none;
                Res r = asyncio_call("Event.set", q.finished, none, span, handled);
                if (!r.ok()) return r;
            }
            return Res::of();
        }
        if (m == "get") return Res::of(make_native_coroutine("Queue.get", [this, qv]() { return queue_get_co(qv); }));
        if (m == "put") {
            if (args.pos.empty()) return raise_error("TypeError", "put() missing 1 required positional argument: 'item'");
            Value item = args.pos[0];
            return Res::of(make_native_coroutine("Queue.put", [this, qv, item]() { return queue_put_co(qv, item); }));
        }
        if (m == "join") return Res::of(make_native_coroutine("Queue.join", [this, qv]() { return queue_join_co(qv); }));
    }
    if (name.rfind("Lock.", 0) == 0) {
        auto& l = static_cast<LockObj&>(*self.obj);
        const std::string m = name.substr(5);
        Value lv = self;
        if (m == "locked") return Res::of(Value::boolean(l.locked));
        if (m == "acquire") return Res::of(make_native_coroutine("Lock.acquire", [this, lv]() { return lock_acquire_co(lv); }));
        if (m == "release") {
            if (!l.locked) return raise_error("RuntimeError", "Lock is not acquired.");
            l.locked = false;
            if (!l.waiters.empty() && !m_model.done(l.waiters.front())) m_model.set_result(l.waiters.front(), Value::boolean(true));
            return Res::of();
        }
    }
    if (name.rfind("Handle.", 0) == 0) {
        auto& h = static_cast<HandleObj&>(*self.obj);
        if (name == "Handle.cancelled") return Res::of(Value::boolean(h.cancelled));
        if (name == "Handle.cancel") {
            // A handle cancelled before it ran is skipped when its turn comes (the lane ends unrun).
            if (!h.cancelled && h.spawned != 0 && m_sched.state(h.spawned) != TaskState::finished &&
                m_sched.state(h.spawned) != TaskState::running && m_sched.state(h.spawned) != TaskState::suspended)
                m_sched.abandon(h.spawned);
            h.cancelled = true;
            return Res::of();
        }
    }
    if (name == "coroutine.close") {
        as<Coroutine>(self).started = true;
        return Res::of();
    }
    if (name == "float.is_integer") return Res::of(Value::boolean(std::floor(self.d) == self.d));
    if (name == "asyncio.Runner" || name.rfind("Runner.", 0) == 0) return runner_call(name, self, args, span, handled);
    return sync_call(name, self, args, span, handled);
}

// =========================================================================================
// Event loops the program makes itself: new_event_loop, run_until_complete, close
// =========================================================================================

Value Machine::new_event_loop() {
    auto l = std::make_shared<LoopObj>();
    l->cls = cls("asyncio._UnixSelectorEventLoop");
    l->owned = true;
    return Value::of(std::move(l));
}

bool Machine::loop_is_running(const Value& loop) const {
    const auto& l = static_cast<const LoopObj&>(*loop.obj);
    if (l.owned) return l.opened && !l.closed && m_model.main_running();
    return l.generation == m_loop_generation && m_model.loop_running();
}

bool Machine::loop_is_closed(const Value& loop) const {
    const auto& l = static_cast<const LoopObj&>(*loop.obj);
    if (l.owned) return l.closed;
    return !(l.generation == m_loop_generation && m_model.loop_running());
}

Res Machine::loop_close(const Value& loop) {
    // base_events.py BaseEventLoop.close: pending tasks are dropped, not cancelled.
    auto& l = static_cast<LoopObj&>(*loop.obj);
    if (loop_is_running(loop)) return raise_error("RuntimeError", "Cannot close a running event loop");
    if (l.owned && l.opened && !l.closed) m_model.drop_loop();
    if (l.owned) l.closed = true;
    return Res::of();
}

Flow<Res> Machine::loop_run_until_complete_co(Value loop, Value coro, Span span) {
    // base_events.py BaseEventLoop.run_until_complete, for a loop the program made.
    auto& l = static_cast<LoopObj&>(*loop.obj);
    if (loop_is_closed(loop) && !(l.owned && !l.opened)) co_return raise_error("RuntimeError", "Event loop is closed");
    if (m_model.main_running()) co_return raise_error("RuntimeError", "This event loop is already running");
    if (!l.owned) co_return raise_error("RuntimeError", "Event loop is closed");
    if (!is_kind(coro, OKind::coroutine))
        co_return fail(DiagnosticKind::unknown_member, span, "tasklab's loop.run_until_complete() takes a coroutine");
    if (!l.opened) {
        asyncio::Result opened = m_model.open_loop();
        if (!opened.ok()) co_return from_result(std::move(opened));
        ++m_loop_generation;
        l.opened = true;
        l.generation = m_loop_generation;
        m_loop_object = loop;  // get_running_loop() inside gives this very object
    }
    const std::string lane = lane_for(coro, {});
    asyncio::Result out = co_await interp::lift(m_model.run_main(task_body(coro), lane));
    at(span);
    co_return from_result(std::move(out));
}

}  // namespace tasklab::py
