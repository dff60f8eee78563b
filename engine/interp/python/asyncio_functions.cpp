// asyncio's module functions (run, sleep, create_task, gather, wait_for, wait, shield,
// timeout, as_completed, …) and its classes called as constructors (Future, Task,
// TaskGroup, Event, Queue, Lock, Semaphore, Timeout), as a table of name → handler, and
// Machine::asyncio_call, which looks a name up here, then among the methods of asyncio's
// objects (asyncio_methods.cpp), then in asyncio.Runner and the sync primitives.
#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "engine/interp/python/asyncio_objects.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

Res aio_get_running_loop(Machine& vm, BuiltinCall& bc);

Res aio_run(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    return vm.fail(DiagnosticKind::misuse, span, "asyncio.run() must be called where the scenario's top-level code can wait for it",
                "call asyncio.run(main()) from the module's top level");
}

Res aio_sleep(Machine& vm, BuiltinCall& bc) {
    const Value* d = call_arg(bc, 0, "delay");
    if (!d) return vm.raise_error("TypeError", "sleep() missing 1 required positional argument: 'delay'");
    Tick ticks = 0;
    Res s = seconds_or_none(vm, *d, ticks);
    if (!s.ok()) return s;
    const Value* result = call_arg(bc, 1, "result");
    Value rv = result ? *result : Value::none();
    return Res::of(vm.make_native_coroutine("sleep", [&vm, ticks, rv]() { return vm.sleep_co(ticks, rv); }));
}

Res aio_create_task(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    const Value* c = call_arg(bc, 0, name == "asyncio.ensure_future" ? "coro_or_future" : "coro");
    if (!c) return vm.raise_error("TypeError", "create_task() missing 1 required positional argument: 'coro'");
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    if (name == "asyncio.ensure_future" && is_kind(*c, OKind::future)) return Res::of(*c);
    asyncio::FutureId f = 0;
    Res r = vm.create_task(*c, args.kwarg("name"), span, f);
    if (!r.ok()) return r;
    return Res::of(vm.future_value(f));
}

Res aio_gather(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    bool return_exceptions = false;
    if (const Value* re = args.kwarg("return_exceptions")) vm.truthy(*re, return_exceptions);
    std::vector<asyncio::FutureId> ids;
    std::unordered_map<const Obj*, asyncio::FutureId> seen;  // the same awaitable twice: one future (linear time)
    for (const Value& v : args.pos) {
        asyncio::FutureId f = 0;
        if (auto it = seen.find(v.obj.get()); it != seen.end()) {
            f = it->second;
        } else {
            Res e = vm.ensure_future(v, f, span);
            if (!e.ok()) return e;
            seen.emplace(v.obj.get(), f);
        }
        ids.push_back(f);
    }
    const asyncio::FutureId g = vm.m_model.gather(std::move(ids), return_exceptions);
    vm.m_model.set_wait_label(g, WaitReason::task, "gather()");
    return Res::of(vm.future_value(g));
}

Res aio_wait_for(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    const Value* aw = call_arg(bc, 0, "fut");
    const Value* to = call_arg(bc, 1, "timeout");
    if (!aw || !to) return vm.raise_error("TypeError", "wait_for() missing 1 required positional argument: 'timeout'");
    Tick ticks = 0;
    Res s = seconds_or_none(vm, *to, ticks);
    if (!s.ok()) return s;
    // tasks.py: `if timeout <= 0:` cancels at once (a negative timeout is not "none").
    if (!to->is_none() && to->as_double() <= 0) ticks = 0;
    Value awv = *aw;
    return Res::of(vm.make_native_coroutine("wait_for", [&vm, awv, ticks, span]() { return vm.wait_for_co(awv, ticks, span); }));
}

Res aio_wait(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const Value* fs = call_arg(bc, 0, "fs");
    if (!fs) return vm.raise_error("TypeError", "wait() missing 1 required positional argument: 'fs'");
    if (is_kind(*fs, OKind::future) || is_kind(*fs, OKind::coroutine))
        return vm.raise_error("TypeError", "expect a list of futures, not " + vm.type_name(*fs));
    std::vector<Value> xs;
    Res it = vm.iterate(*fs, xs, span);
    if (!it.ok()) return it;
    if (xs.empty()) return vm.raise_error("ValueError", "Set of Tasks/Futures is empty.");
    Tick ticks = -1;
    if (const Value* to = args.kwarg("timeout")) {
        Res s = seconds_or_none(vm, *to, ticks);
        if (!s.ok()) return s;
    }
    asyncio::ReturnWhen when = asyncio::ReturnWhen::all_completed;
    if (const Value* rw = args.kwarg("return_when")) {
        const std::string& w = as_str(*rw);
        if (w == "FIRST_COMPLETED") when = asyncio::ReturnWhen::first_completed;
        else if (w == "FIRST_EXCEPTION") when = asyncio::ReturnWhen::first_exception;
        else if (w != "ALL_COMPLETED") return vm.raise_error("ValueError", "Invalid return_when value: " + vm.repr_of(*rw));
    }
    return Res::of(vm.make_native_coroutine("wait", [&vm, xs, ticks, when, span]() { return vm.wait_co(xs, ticks, when, span); }));
}

Res aio_shield(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    const Value* aw = call_arg(bc, 0, "arg");
    if (!aw) return vm.raise_error("TypeError", "shield() missing 1 required positional argument: 'arg'");
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    asyncio::FutureId inner = 0;
    Res e = vm.ensure_future(*aw, inner, span);
    if (!e.ok()) return e;
    return Res::of(vm.future_value(vm.m_model.shield(inner)));
}

Res aio_current_task(Machine& vm, BuiltinCall& /*bc*/) {
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    return Res::of(vm.future_value(vm.m_model.current_task()));
}

Res aio_get_event_loop(Machine& vm, BuiltinCall& bc) {
    if (!vm.m_model.main_running()) {
        // events.get_event_loop outside a running loop: the policy's loop (made on first use).
        if (vm.m_policy_loop.is_none()) vm.m_policy_loop = vm.new_event_loop();
        return Res::of(vm.m_policy_loop);
    }
    return aio_get_running_loop(vm, bc);
}

Res aio_get_running_loop(Machine& vm, BuiltinCall& /*bc*/) {
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    return Res::of(vm.loop_object());
}

Res aio_new_event_loop(Machine& vm, BuiltinCall& /*bc*/) {
    return Res::of(vm.new_event_loop());
}

Res aio_set_event_loop(Machine& vm, BuiltinCall& bc) {
    const Value* l = call_arg(bc, 0, "loop");
    if (!l) return vm.raise_error("TypeError", "set_event_loop() missing 1 required positional argument: 'loop'");
    if (!l->is_none() && !(is_kind(*l, OKind::native) && static_cast<const NativeObj&>(*l->obj).nkind == NKind::loop))
        return vm.raise_error("TypeError", "loop must be an instance of AbstractEventLoop or None, not '" + vm.type_name(*l) + "'");
    vm.m_policy_loop = *l;
    return Res::of();
}

Res aio_timeout(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const Value* d = call_arg(bc, 0, name == "asyncio.timeout" ? "delay" : "when");
    if (!d) return vm.raise_error("TypeError", name.substr(8) + "() missing 1 required positional argument");
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    auto to = std::make_shared<TimeoutObj>();
    to->cls = vm.cls("asyncio.Timeout");
    to->when_value = *d;
    if (!d->is_none()) {
        bool ok = false;
        const Tick ticks = vm.seconds_arg(*d, ok);
        if (!ok) return vm.raise_error("TypeError", "unsupported operand type(s) for +: 'float' and '" + vm.type_name(*d) + "'");
        // timeout(delay) is Timeout(loop.time() + delay): a float, as CPython computes it. A
        // deadline already past (timeout(-11), timeout_at(-5)) expires in the next pass.
        if (name == "asyncio.timeout") {
            to->when = vm.m_sched.now() + ticks;
            to->when_value = Value::real(vm.m_model.loop_time() + d->as_double());
        } else {
            to->when = ticks;
        }
    }
    return Res::of(Value::of(std::move(to)));
}

Res aio_iscoroutine(Machine& /*vm*/, BuiltinCall& bc) {
    Args& args = bc.args;
    return Res::of(Value::boolean(!args.pos.empty() && is_kind(args.pos[0], OKind::coroutine)));
}

Res aio_iscoroutinefunction(Machine& /*vm*/, BuiltinCall& bc) {
    Args& args = bc.args;
    return Res::of(Value::boolean(!args.pos.empty() && is_kind(args.pos[0], OKind::function) && as<Function>(args.pos[0]).is_async));
}

Res aio_all_tasks(Machine& vm, BuiltinCall& /*bc*/) {
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    auto set = std::make_shared<Set>();
    for (auto f : vm.m_model.all_tasks()) set->items.push_back(vm.future_value(f));
    return Res::of(Value::of(std::move(set)));
}

Res aio_as_completed(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    bool& handled = bc.handled;
    // tasks.py as_completed: a queue the done-callbacks fill, one waiting coroutine per future.
    const Value* fs = call_arg(bc, 0, "fs");
    if (!fs) return vm.raise_error("TypeError", "as_completed() missing 1 required positional argument: 'fs'");
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    if (is_kind(*fs, OKind::future) || is_kind(*fs, OKind::coroutine))
        return vm.raise_error("TypeError", "expect an iterable of futures, not " + vm.type_name(*fs));
    std::vector<Value> xs;
    Res it = vm.iterate(*fs, xs, span);
    if (!it.ok()) return it;
    Args qa;
    Res qv = vm.asyncio_call("asyncio.Queue", Value::none(), qa, span, handled);
    if (!qv.ok()) return qv;
    Value queue = qv.value;
    auto todo = std::make_shared<std::vector<asyncio::FutureId>>();
    for (const Value& x : xs) {
        asyncio::FutureId f = 0;
        Res e = vm.ensure_future(x, f, span);
        if (!e.ok()) return e;
        if (std::find(todo->begin(), todo->end(), f) == todo->end()) todo->push_back(f);
    }
    auto put = [&vm, queue](Value v) {
        Args a;
        a.pos.push_back(std::move(v));
        bool h = false;
        vm.asyncio_call("Queue.put_nowait", queue, a, {}, h);
    };
    auto timeout_handle = std::make_shared<std::uint32_t>(0);
    for (auto f : *todo) {
        vm.m_model.add_done_callback(f, [&vm, todo, put, timeout_handle](asyncio::FutureId done_f) {
            if (todo->empty()) return;
            todo->erase(std::remove(todo->begin(), todo->end(), done_f), todo->end());
            put(vm.future_value(done_f));
            if (todo->empty() && *timeout_handle) vm.m_model.cancel_callback(*timeout_handle);
        });
    }
    if (const Value* to = args.kwarg("timeout"); to && !to->is_none() && !todo->empty()) {
        Tick ticks = 0;
        Res s = seconds_or_none(vm, *to, ticks);
        if (!s.ok()) return s;
        *timeout_handle = vm.m_model.call_later(ticks, [todo, put] {
            for (std::size_t k = 0; k < todo->size(); ++k) put(Value::none());
            todo->clear();
        });
    }
    std::vector<Value> coros;
    for (std::size_t k = 0; k < todo->size(); ++k)
        coros.push_back(vm.make_native_coroutine("_wait_for_one", [&vm, queue]() { return vm.as_completed_one_co(queue); }));
    return Res::of(py::make_list(std::move(coros)));
}

Res aio_Semaphore(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    auto sem = std::make_shared<SemaphoreObj>();
    sem->cls = vm.cls(name == "asyncio.Semaphore" ? "asyncio.Semaphore" : "asyncio.BoundedSemaphore");
    if (const Value* v = call_arg(bc, 0, "value")) sem->value = int_of(*v);
    if (sem->value < 0) return vm.raise_error("ValueError", "Semaphore initial value must be >= 0");
    if (name == "asyncio.BoundedSemaphore") sem->bound = sem->value;
    return Res::of(Value::of(std::move(sem)));
}

Res aio_to_thread(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    return vm.threads_call(name, args, span);
}

Res aio_loop_run_until_complete(Machine& vm, BuiltinCall& bc) {
    const Span span = bc.span;
    return vm.fail(DiagnosticKind::misuse, span, "loop.run_until_complete() must be called where the scenario's top-level code can wait for it",
                    "call loop.run_until_complete(main()) from the module's top level");
}

Res aio_Future(Machine& vm, BuiltinCall& /*bc*/) {
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    return Res::of(vm.future_value(vm.m_model.create_future()));
}

Res aio_Task(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res l = need_running_loop(vm); !l.ok()) return l;
    const Value* c = call_arg(bc, 0, "coro");
    if (!c) return vm.raise_error("TypeError", "Task() missing required argument 'coro'");
    asyncio::FutureId f = 0;
    Res r = vm.create_task(*c, args.kwarg("name"), span, f);
    if (!r.ok()) return r;
    return Res::of(vm.future_value(f));
}

Res aio_TaskGroup(Machine& vm, BuiltinCall& /*bc*/) {
    auto tg = std::make_shared<TaskGroupObj>();
    tg->cls = vm.cls("asyncio.TaskGroup");
    return Res::of(Value::of(std::move(tg)));
}

Res aio_Event(Machine& vm, BuiltinCall& /*bc*/) {
    auto e = std::make_shared<EventObj>();
    e->cls = vm.cls("asyncio.Event");
    return Res::of(Value::of(std::move(e)));
}

Res aio_Queue(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    auto q = std::make_shared<QueueObj>();
    q->cls = vm.cls(name);
    if (name == "asyncio.LifoQueue") q->order = QueueOrder::lifo;
    if (name == "asyncio.PriorityQueue") q->order = QueueOrder::priority;
    if (const Value* m = call_arg(bc, 0, "maxsize")) {
        if (!m->is_number() || m->kind == VKind::real) return vm.raise_error("TypeError", "'<=' not supported between instances of '" + vm.type_name(*m) + "' and 'int'");
        q->maxsize = int_of(*m);
    }
    auto fin = std::make_shared<EventObj>();
    fin->cls = vm.cls("asyncio.Event");
    fin->value = true;
    q->finished = Value::of(std::move(fin));
    return Res::of(Value::of(std::move(q)));
}

Res aio_Lock(Machine& vm, BuiltinCall& /*bc*/) {
    auto l = std::make_shared<LockObj>();
    l->cls = vm.cls("asyncio.Lock");
    return Res::of(Value::of(std::move(l)));
}

Res aio_Timeout(Machine& vm, BuiltinCall& bc) {
    const Value* w = call_arg(bc, 0, "when");
    if (!w) return vm.raise_error("TypeError", "Timeout.__init__() missing 1 required positional argument: 'when'");
    auto to = std::make_shared<TimeoutObj>();
    to->cls = vm.cls("asyncio.Timeout");
    if (!w->is_none()) {
        bool ok = false;
        to->when = vm.seconds_arg(*w, ok);
        if (!ok) return vm.raise_error("TypeError", "'<=' not supported between instances of '" + vm.type_name(*w) + "' and 'float'");
    }
    to->when_value = *w;
    return Res::of(Value::of(std::move(to)));
}

Res aio_coroutine_close(Machine& /*vm*/, BuiltinCall& bc) {
    const Value& self = bc.self;
    as<Coroutine>(self).started = true;
    return Res::of();
}

Res aio_float_is_integer(Machine& /*vm*/, BuiltinCall& bc) {
    const Value& self = bc.self;
    return Res::of(Value::boolean(std::floor(self.d) == self.d));
}

Res aio_taskgroup_create_task(Machine& vm, BuiltinCall& bc) {
    auto& tg = static_cast<TaskGroupObj&>(*bc.self.obj);
    const Value* c = call_arg(bc, 0, "coro");
    if (!c) return vm.raise_error("TypeError", "create_task() missing 1 required positional argument: 'coro'");
    if (!tg.entered) return vm.raise_error("RuntimeError", "TaskGroup <TaskGroup> has not been entered");
    asyncio::FutureId f = 0;
    Res r = vm.create_task(*c, bc.args.kwarg("name"), bc.span, f, TaskKind::child, tg.id);
    if (!r.ok()) return r;
    return Res::of(vm.future_value(f));
}

const BuiltinTable& asyncio_table() {
    static const BuiltinTable table{
        {"asyncio.run", aio_run},
        {"asyncio.sleep", aio_sleep},
        {"asyncio.create_task", aio_create_task},
        {"asyncio.ensure_future", aio_create_task},
        {"loop.create_task", aio_create_task},
        {"asyncio.gather", aio_gather},
        {"asyncio.wait_for", aio_wait_for},
        {"asyncio.wait", aio_wait},
        {"asyncio.shield", aio_shield},
        {"asyncio.current_task", aio_current_task},
        {"asyncio.get_running_loop", aio_get_running_loop},
        {"asyncio.get_event_loop", aio_get_event_loop},
        {"asyncio.new_event_loop", aio_new_event_loop},
        {"asyncio.set_event_loop", aio_set_event_loop},
        {"asyncio.timeout", aio_timeout},
        {"asyncio.timeout_at", aio_timeout},
        {"asyncio.iscoroutine", aio_iscoroutine},
        {"asyncio.iscoroutinefunction", aio_iscoroutinefunction},
        {"asyncio.all_tasks", aio_all_tasks},
        {"asyncio.as_completed", aio_as_completed},
        {"asyncio.Semaphore", aio_Semaphore},
        {"asyncio.BoundedSemaphore", aio_Semaphore},
        {"asyncio.to_thread", aio_to_thread},
        {"loop.run_in_executor", aio_to_thread},
        {"loop.run_until_complete", aio_loop_run_until_complete},
        {"asyncio.Future", aio_Future},
        {"loop.create_future", aio_Future},
        {"asyncio.Task", aio_Task},
        {"asyncio.TaskGroup", aio_TaskGroup},
        {"asyncio.Event", aio_Event},
        {"asyncio.Queue", aio_Queue},
        {"asyncio.LifoQueue", aio_Queue},
        {"asyncio.PriorityQueue", aio_Queue},
        {"asyncio.Lock", aio_Lock},
        {"asyncio.Timeout", aio_Timeout},
        {"coroutine.close", aio_coroutine_close},
        {"float.is_integer", aio_float_is_integer},
        {"TaskGroup.create_task", aio_taskgroup_create_task},
    };
    return table;
}

}  // namespace

Res Machine::asyncio_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = asyncio_table().find(name)) return h(*this, bc);
    if (const BuiltinHandler h = asyncio_methods_table().find(name)) return h(*this, bc);
    if (name == "asyncio.Runner" || name.rfind("Runner.", 0) == 0) return runner_call(name, self, args, span, handled);
    return sync_call(name, self, args, span, handled);
}

}  // namespace tasklab::py
