// The attributes of asyncio's objects: a future's, the loop's, a TaskGroup's, a Timeout's,
// an Event's, a Queue's, a Lock's, a Semaphore's and a Handle's methods (bound built-ins that
// asyncio_methods.cpp runs) and reprs; Machine::native_attr also sends the other native
// objects (generators, contextlib, Condition/Barrier, Runner, loggers, streams, websockets)
// to their own files.
#include <optional>

#include "engine/interp/python/asyncio_objects.hpp"

namespace tasklab::py {

namespace {

/// `obj.name` as the bound built-in `prefix.name` when `name` is one of `names`.
std::optional<Res> bound_method(Machine& vm, const Value& obj, const std::string& name, std::initializer_list<const char*> names, const char* prefix) {
    for (const char* n : names)
        if (name == n) return Res::of(vm.builtin(std::string(prefix) + "." + name, obj));
    return std::nullopt;
}

/// queues.py's str(): `<Queue maxsize=0 _queue=[1, 2] tasks=2>` (repr adds the address).
std::string queue_repr(Machine& vm, const NativeObj& n) {
    const auto& q = static_cast<const QueueObj&>(n);
    std::string text = "<" + n.cls->name + " maxsize=" + std::to_string(q.maxsize);
    if (!q.items.empty()) text += " _queue=" + vm.repr_of(py::make_list(std::vector<Value>(q.items.begin(), q.items.end())));
    if (!q.getters.empty()) text += " _getters[" + std::to_string(q.getters.size()) + "]";
    if (!q.putters.empty()) text += " _putters[" + std::to_string(q.putters.size()) + "]";
    if (q.unfinished > 0) text += " tasks=" + std::to_string(q.unfinished);
    return text + ">";
}

}  // namespace

// =========================================================================================
// Attributes of futures and asyncio objects
// =========================================================================================

Res Machine::native_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto method = [&](std::initializer_list<const char*> names, const char* prefix) { return bound_method(*this, obj, name, names, prefix); };
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
        if (name == "__repr__") return Res::of(make_str(queue_repr(*this, n)));
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

}  // namespace tasklab::py
