// The native objects of asyncio that more than one file of the Python interpreter reads:
// the loop, TaskGroup, Timeout, Event, Queue, Lock, Semaphore and a loop callback's Handle,
// and the wake-up rules of locks.py and queues.py they share (asyncio.cpp runs the
// coroutines that wait on them, asyncio_methods.cpp their methods).
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

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

/// locks.py's repr() adds `, waiters:N` while anyone waits.
inline std::string waiters_note(std::size_t n) { return n == 0 ? std::string() : ", waiters:" + std::to_string(n); }

/// queues.py _wakeup_next: wakes the first waiter that is still waiting.
inline void wakeup_next(asyncio::Model& model, std::deque<asyncio::FutureId>& waiters) {
    while (!waiters.empty()) {
        const asyncio::FutureId w = waiters.front();
        waiters.pop_front();
        if (!model.done(w)) {
            model.set_result(w, Value::none());
            break;
        }
    }
}

/// locks.py Semaphore.locked.
inline bool semaphore_locked(asyncio::Model& model, const SemaphoreObj& s) {
    if (s.value == 0) return true;
    for (auto w : s.waiters)
        if (!model.cancelled(w)) return true;
    return false;
}

/// locks.py Semaphore._wake_up_next.
inline void semaphore_wake_next(asyncio::Model& model, SemaphoreObj& s) {
    for (auto w : s.waiters) {
        if (!model.done(w)) {
            --s.value;
            model.set_result(w, Value::boolean(true));
            return;
        }
    }
}

/// The methods of asyncio's objects, by `Class.method` (asyncio_methods.cpp).
const BuiltinTable& asyncio_methods_table();

/// Argument `k` of a call, or the keyword `kw` when fewer were passed by position.
inline const Value* call_arg(const BuiltinCall& bc, std::size_t k, const char* kw) {
    if (k < bc.args.pos.size()) return &bc.args.pos[k];
    return bc.args.kwarg(kw);
}

/// A delay or timeout in seconds (None: -1, no limit), with CPython's TypeError for a non-number.
inline Res seconds_or_none(Machine& vm, const Value& v, Tick& out) {
    if (v.is_none()) {
        out = -1;
        return Res::of();
    }
    bool ok = false;
    out = vm.seconds_arg(v, ok);
    if (!ok) return vm.raise_error("TypeError", "'<=' not supported between instances of '" + vm.type_name(v) + "' and 'int'");
    return Res::of();
}

/// RuntimeError("no running event loop") outside a running loop (a worker thread has none).
inline Res need_running_loop(Machine& vm) {
    if (!vm.m_model.loop_running() || vm.in_worker_thread()) return vm.raise_error("RuntimeError", "no running event loop");
    return Res::of();
}

}  // namespace tasklab::py
