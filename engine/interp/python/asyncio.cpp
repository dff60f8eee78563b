// asyncio for Python scenarios: futures and tasks as Python values, the coroutines behind
// asyncio.run, sleep, wait_for, wait, Event.wait, Queue.get/put/join, Lock.acquire and
// Semaphore.acquire, `async with` on asyncio's objects, and event loops
// the program makes itself; all on the asyncio model (engine/cancel/asyncio.hpp). Event,
// Queue and Lock follow CPython's locks.py and queues.py: they are built from plain futures,
// so their wake-ups take the same passes as in CPython. The module's functions are in
// asyncio_functions.cpp, the objects' methods in asyncio_methods.cpp.
#include <algorithm>
#include <cmath>
#include <deque>
#include <unordered_map>

#include "engine/interp/python/asyncio_objects.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

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
