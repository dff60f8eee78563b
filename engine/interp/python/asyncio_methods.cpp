// The methods of asyncio's objects as a table of name → handler: Future and Task (result,
// cancel, add_done_callback, …), the running loop (time, call_soon, call_later,
// add_signal_handler, …), Timeout, Event, Queue, Lock, Semaphore and a callback's Handle.
// The coroutines the waiting methods return (Queue.get, Lock.acquire, …) are in asyncio.cpp.
#include <cmath>

#include "engine/interp/python/asyncio_objects.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

// ---- Semaphore ----

Res semaphore_method_locked(Machine& vm, BuiltinCall& bc) {
    auto& sem = static_cast<SemaphoreObj&>(*bc.self.obj);
    return Res::of(Value::boolean(semaphore_locked(vm.m_model, sem)));
}

Res semaphore_method_acquire(Machine& vm, BuiltinCall& bc) {
    Value sv = bc.self;
    return Res::of(vm.make_native_coroutine("Semaphore.acquire", [&vm, sv]() { return vm.semaphore_acquire_co(sv); }));
}

Res semaphore_method_release(Machine& vm, BuiltinCall& bc) {
    auto& sem = static_cast<SemaphoreObj&>(*bc.self.obj);
    if (sem.bound >= 0 && sem.value >= sem.bound) return vm.raise_error("ValueError", "BoundedSemaphore released too many times");
    ++sem.value;
    semaphore_wake_next(vm.m_model, sem);
    return Res::of();
}

// ---- Future ----

Res future_cancel(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    std::optional<std::string> msg;
    if (const Value* v = call_arg(bc, 0, "msg")) msg = vm.cancel_message(*v);
    return Res::of(Value::boolean(vm.m_model.cancel(id, msg)));
}

Res future_cancelled(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return Res::of(Value::boolean(vm.m_model.cancelled(id)));
}

Res future_done(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return Res::of(Value::boolean(vm.m_model.done(id)));
}

Res future_result(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return vm.from_result(vm.m_model.result(id));
}

Res future_exception(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return vm.from_result(vm.m_model.exception(id));
}

Res future_set_result(Machine& vm, BuiltinCall& bc) {
    const auto& fr = as<FutureRef>(bc.self);
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    if (fr.is_task) return vm.raise_error("RuntimeError", "Task does not support set_result operation");
    const Value* v = call_arg(bc, 0, "result");
    if (!v) return vm.raise_error("TypeError", "set_result() missing 1 required positional argument: 'result'");
    return vm.from_result(vm.m_model.set_result(id, *v));
}

Res future_set_exception(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    const auto& fr = as<FutureRef>(bc.self);
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    if (fr.is_task) return vm.raise_error("RuntimeError", "Task does not support set_exception operation");
    const Value* v = call_arg(bc, 0, "exception");
    if (!v) return vm.raise_error("TypeError", "set_exception() missing 1 required positional argument: 'exception'");
    Value e = *v;
    if (is_kind(e, OKind::cls) && as<Class>(e).is_exception) {
        Args none;
        Res made = vm.call(e, none, span);
        if (!made.ok()) return made;
        e = made.value;
    }
    if (!is_kind(e, OKind::instance) || !as<Instance>(e).exc)
        return vm.raise_error("TypeError", "exception must be an exception instance or class");
    if (vm.isinstance(e, vm.cls("StopIteration").get()))
        return vm.raise_error("TypeError", "StopIteration interacts badly with generators and cannot be raised into a Future");
    return vm.from_result(vm.m_model.set_exception(id, vm.to_exc(e)));
}

Res future_add_done_callback(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    const Value* fn = call_arg(bc, 0, "fn");
    if (!fn) return vm.raise_error("TypeError", "add_done_callback() missing 1 required positional argument: 'fn'");
    Value callback = *fn;
    vm.m_model.add_done_callback(id, [&vm, callback](asyncio::FutureId done_id) {
        // A loop callback: it runs in its own turn, with no task current.
        Args a;
        a.pos.push_back(vm.future_value(done_id));
        Res r = vm.call(callback, a, {});
        (void)r;
    });
    return Res::of();
}

Res future_remove_done_callback(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    return vm.fail(DiagnosticKind::unknown_member, span, "`remove_done_callback` is not supported by tasklab yet");
}

Res future_get_name(Machine& /*vm*/, BuiltinCall& bc) {
    const auto& fr = as<FutureRef>(bc.self);
    return Res::of(make_str(fr.name));
}

Res future_set_name(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    Args& args = bc.args;
    if (!args.pos.empty()) {
        Res s = vm.py_str(args.pos[0]);
        if (!s.ok()) return s;
        static_cast<FutureRef&>(*self.obj).name = as_str(s.value);
    }
    return Res::of();
}

Res future_cancelling(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return Res::of(Value::integer(vm.m_model.cancelling(id)));
}

Res future_uncancel(Machine& vm, BuiltinCall& bc) {
    const asyncio::FutureId id = as<FutureRef>(bc.self).id;
    return Res::of(Value::integer(vm.m_model.uncancel(id)));
}

Res future_get_coro(Machine& /*vm*/, BuiltinCall& bc) {
    const auto& fr = as<FutureRef>(bc.self);
    return Res::of(fr.coro);
}

Res future_get_loop(Machine& vm, BuiltinCall& /*bc*/) {
    return Res::of(vm.loop_object());
}

// ---- loop ----

Res loop_time(Machine& vm, BuiltinCall& /*bc*/) {
    return Res::of(Value::real(vm.m_model.loop_time()));
}

Res loop_is_running(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    return Res::of(Value::boolean(vm.loop_is_running(self)));
}

Res loop_is_closed(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    return Res::of(Value::boolean(vm.loop_is_closed(self)));
}

Res loop_close(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    return vm.loop_close(self);
}

Res loop_get_debug(Machine& /*vm*/, BuiltinCall& bc) {
    const Value& self = bc.self;
    return Res::of(Value::boolean(is_kind(self, OKind::native) && static_cast<const LoopObj&>(*self.obj).debug));
}

Res loop_set_debug(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    Args& args = bc.args;
    bool on = false;
    if (args.pos.size() != 1) return vm.raise_error("TypeError", "set_debug() takes 1 positional argument");
    Res t = vm.truthy(args.pos[0], on);
    if (!t.ok()) return t;
    if (is_kind(self, OKind::native)) static_cast<LoopObj&>(*self.obj).debug = on;
    return Res::of();
}

Res loop_call_soon(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const std::string m = bc.name.substr(5);
    const bool timed = name == "loop.call_later" || name == "loop.call_at";
    if (args.pos.size() < (timed ? 2u : 1u)) return vm.raise_error("TypeError", m + "() missing required arguments");
    Tick delay = -1;
    if (timed) {
        bool ok = false;
        const Tick t = vm.seconds_arg(args.pos[0], ok);
        if (!ok) return vm.raise_error("TypeError", "'<' not supported between instances of '" + vm.type_name(args.pos[0]) + "' and 'float'");
        delay = name == "loop.call_later" ? t : t - vm.m_sched.now();
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
    h->cls = vm.cls("asyncio.Handle");
    h->spawned = vm.spawn_callback(fn, cargs, lane, delay);
    return Res::of(Value::of(std::move(h)));
}

Res loop_add_signal_handler(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (args.pos.size() < 2) return vm.raise_error("TypeError", "add_signal_handler() missing required arguments");
    std::string sig;
    if (args.pos[0].kind == VKind::integer) {
        for (const char* n : {"SIGHUP", "SIGINT", "SIGQUIT", "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTERM", "SIGCHLD", "SIGCONT",
                              "SIGURG", "SIGWINCH"})
            if (asyncio::Model::signal_number(n) == args.pos[0].i) sig = n;
    }
    if (sig.empty()) return vm.raise_error("ValueError", "invalid signal number " + vm.repr_of(args.pos[0]));
    if (sig == "SIGKILL") return vm.raise_error("RuntimeError", "sig 9 cannot be caught");
    Args cargs;
    cargs.pos.assign(args.pos.begin() + 2, args.pos.end());
    vm.m_signal_handlers.emplace_back(args.pos[1], std::move(cargs));
    vm.m_model.add_signal_handler(sig, static_cast<std::uint32_t>(vm.m_signal_handlers.size() - 1));
    return Res::of();
}

Res loop_remove_signal_handler(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    std::string sig;
    if (!args.pos.empty() && args.pos[0].kind == VKind::integer)
        for (const char* n : {"SIGHUP", "SIGINT", "SIGQUIT", "SIGUSR1", "SIGUSR2", "SIGALRM", "SIGTERM"})
            if (asyncio::Model::signal_number(n) == args.pos[0].i) sig = n;
    return Res::of(Value::boolean(vm.m_model.remove_signal_handler(sig)));
}

Res loop_stop(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    return vm.fail(DiagnosticKind::unknown_member, span, "loop.stop() is not supported by tasklab; return from main() instead");
}

// ---- Timeout ----

Res timeout_expired(Machine& vm, BuiltinCall& bc) {
    auto& to = static_cast<TimeoutObj&>(*bc.self.obj);
    return Res::of(Value::boolean(to.entered && vm.m_model.timeout_expired(to.id)));
}

Res timeout_when(Machine& /*vm*/, BuiltinCall& bc) {
    auto& to = static_cast<TimeoutObj&>(*bc.self.obj);
    return Res::of(to.when_value);
}

Res timeout_reschedule(Machine& vm, BuiltinCall& bc) {
    auto& to = static_cast<TimeoutObj&>(*bc.self.obj);
    // timeouts.py (3.11.7) Timeout.reschedule: `when` is absolute, in loop.time()'s clock.
    const Value* w = call_arg(bc, 0, "when");
    if (!w) return vm.raise_error("TypeError", "Timeout.reschedule() missing 1 required positional argument: 'when'");
    if (!to.entered) return vm.raise_error("RuntimeError", "Timeout has not been entered");
    Tick when = asyncio::k_no_deadline;
    if (!w->is_none()) {
        bool ok = false;
        when = vm.seconds_arg(*w, ok);
        if (!ok) return vm.raise_error("TypeError", "'<=' not supported between instances of '" + vm.type_name(*w) + "' and 'float'");
    }
    Res r = vm.from_result(vm.m_model.timeout_reschedule(to.id, when));
    if (r.ok()) to.when_value = *w;
    return r;
}

// ---- Event ----

Res event_is_set(Machine& /*vm*/, BuiltinCall& bc) {
    auto& ev = static_cast<EventObj&>(*bc.self.obj);
    return Res::of(Value::boolean(ev.value));
}

Res event_clear(Machine& /*vm*/, BuiltinCall& bc) {
    auto& ev = static_cast<EventObj&>(*bc.self.obj);
    ev.value = false;
    return Res::of();
}

Res event_set(Machine& vm, BuiltinCall& bc) {
    auto& ev = static_cast<EventObj&>(*bc.self.obj);
    if (!ev.value) {
        ev.value = true;
        const auto waiters = ev.waiters;
        for (auto f : waiters)
            if (!vm.m_model.done(f)) vm.m_model.set_result(f, Value::boolean(true));
    }
    return Res::of();
}

Res event_wait(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    Value e = self;
    return Res::of(vm.make_native_coroutine("Event.wait", [&vm, e]() { return vm.event_wait_co(e); }));
}

// ---- Queue ----

Res queue_qsize(Machine& /*vm*/, BuiltinCall& bc) {
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    return Res::of(Value::integer(static_cast<std::int64_t>(q.items.size())));
}

Res queue_empty(Machine& /*vm*/, BuiltinCall& bc) {
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    return Res::of(Value::boolean(q.items.empty()));
}

Res queue_full(Machine& /*vm*/, BuiltinCall& bc) {
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    return Res::of(Value::boolean(q.full()));
}

Res queue_put_nowait(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    Value qv = bc.self;
    if (args.pos.empty()) return vm.raise_error("TypeError", "put_nowait() missing 1 required positional argument: 'item'");
    if (q.full()) return Res::raised(vm.new_exception(vm.cls("QueueFull"), {}));
    return vm.queue_add(qv, args.pos[0]);
}

Res queue_get_nowait(Machine& vm, BuiltinCall& bc) {
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    Value qv = bc.self;
    if (q.items.empty()) return Res::raised(vm.new_exception(vm.cls("QueueEmpty"), {}));
    Res item = vm.queue_take(qv);
    if (!item.ok()) return item;
    wakeup_next(vm.m_model, q.putters);
    return item;
}

Res queue_task_done(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    bool& handled = bc.handled;
    auto& q = static_cast<QueueObj&>(*bc.self.obj);
    if (q.unfinished <= 0) return vm.raise_error("ValueError", "task_done() called too many times");
    if (--q.unfinished == 0) {
        Args none;
        Res r = vm.asyncio_call("Event.set", q.finished, none, span, handled);
        if (!r.ok()) return r;
    }
    return Res::of();
}

Res queue_get(Machine& vm, BuiltinCall& bc) {
    Value qv = bc.self;
    return Res::of(vm.make_native_coroutine("Queue.get", [&vm, qv]() { return vm.queue_get_co(qv); }));
}

Res queue_put(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    Value qv = bc.self;
    if (args.pos.empty()) return vm.raise_error("TypeError", "put() missing 1 required positional argument: 'item'");
    Value item = args.pos[0];
    return Res::of(vm.make_native_coroutine("Queue.put", [&vm, qv, item]() { return vm.queue_put_co(qv, item); }));
}

Res queue_join(Machine& vm, BuiltinCall& bc) {
    Value qv = bc.self;
    return Res::of(vm.make_native_coroutine("Queue.join", [&vm, qv]() { return vm.queue_join_co(qv); }));
}

// ---- Lock ----

Res lock_locked(Machine& /*vm*/, BuiltinCall& bc) {
    auto& l = static_cast<LockObj&>(*bc.self.obj);
    return Res::of(Value::boolean(l.locked));
}

Res lock_acquire(Machine& vm, BuiltinCall& bc) {
    Value lv = bc.self;
    return Res::of(vm.make_native_coroutine("Lock.acquire", [&vm, lv]() { return vm.lock_acquire_co(lv); }));
}

Res lock_release(Machine& vm, BuiltinCall& bc) {
    auto& l = static_cast<LockObj&>(*bc.self.obj);
    if (!l.locked) return vm.raise_error("RuntimeError", "Lock is not acquired.");
    l.locked = false;
    if (!l.waiters.empty() && !vm.m_model.done(l.waiters.front())) vm.m_model.set_result(l.waiters.front(), Value::boolean(true));
    return Res::of();
}

// ---- Handle ----

Res handle_cancelled(Machine& /*vm*/, BuiltinCall& bc) {
    auto& h = static_cast<HandleObj&>(*bc.self.obj);
    return Res::of(Value::boolean(h.cancelled));
}

Res handle_cancel(Machine& vm, BuiltinCall& bc) {
    auto& h = static_cast<HandleObj&>(*bc.self.obj);
    // A handle cancelled before it ran is skipped when its turn comes (the lane ends unrun).
    if (!h.cancelled && h.spawned != 0 && vm.m_sched.state(h.spawned) != TaskState::finished &&
        vm.m_sched.state(h.spawned) != TaskState::running && vm.m_sched.state(h.spawned) != TaskState::suspended)
        vm.m_sched.abandon(h.spawned);
    h.cancelled = true;
    return Res::of();
}

}  // namespace

const BuiltinTable& asyncio_methods_table() {
    static const BuiltinTable table{
        {"Semaphore.locked", semaphore_method_locked},
        {"Semaphore.acquire", semaphore_method_acquire},
        {"Semaphore.release", semaphore_method_release},
        {"Future.cancel", future_cancel},
        {"Future.cancelled", future_cancelled},
        {"Future.done", future_done},
        {"Future.result", future_result},
        {"Future.exception", future_exception},
        {"Future.set_result", future_set_result},
        {"Future.set_exception", future_set_exception},
        {"Future.add_done_callback", future_add_done_callback},
        {"Future.remove_done_callback", future_remove_done_callback},
        {"Future.get_name", future_get_name},
        {"Future.set_name", future_set_name},
        {"Future.cancelling", future_cancelling},
        {"Future.uncancel", future_uncancel},
        {"Future.get_coro", future_get_coro},
        {"Future.get_loop", future_get_loop},
        {"loop.time", loop_time},
        {"loop.is_running", loop_is_running},
        {"loop.is_closed", loop_is_closed},
        {"loop.close", loop_close},
        {"loop.get_debug", loop_get_debug},
        {"loop.set_debug", loop_set_debug},
        {"loop.call_soon", loop_call_soon},
        {"loop.call_soon_threadsafe", loop_call_soon},
        {"loop.call_later", loop_call_soon},
        {"loop.call_at", loop_call_soon},
        {"loop.add_signal_handler", loop_add_signal_handler},
        {"loop.remove_signal_handler", loop_remove_signal_handler},
        {"loop.stop", loop_stop},
        {"Timeout.expired", timeout_expired},
        {"Timeout.when", timeout_when},
        {"Timeout.reschedule", timeout_reschedule},
        {"Event.is_set", event_is_set},
        {"Event.clear", event_clear},
        {"Event.set", event_set},
        {"Event.wait", event_wait},
        {"Queue.qsize", queue_qsize},
        {"Queue.empty", queue_empty},
        {"Queue.full", queue_full},
        {"Queue.put_nowait", queue_put_nowait},
        {"Queue.get_nowait", queue_get_nowait},
        {"Queue.task_done", queue_task_done},
        {"Queue.get", queue_get},
        {"Queue.put", queue_put},
        {"Queue.join", queue_join},
        {"Lock.locked", lock_locked},
        {"Lock.acquire", lock_acquire},
        {"Lock.release", lock_release},
        {"Handle.cancelled", handle_cancelled},
        {"Handle.cancel", handle_cancel},
    };
    return table;
}

}  // namespace tasklab::py
