// Python calls: argument binding, functions and methods, classes and their instances,
// coroutines (calling an `async def` makes one; `await` runs it in the current task), and
// the bodies of the scheduler tasks a Python program runs in.
#include <algorithm>

#include "engine/interp/python/machine.hpp"
#include "engine/text_clip.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

constexpr int k_recursion_limit = 1000;  // CPython's default sys.getrecursionlimit()

/// The address of a fresh frame: how deep the C++ stack is right now.
[[gnu::noinline]] std::uintptr_t stack_pointer() {
    return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}


struct SuperObj : NativeObj {
    ClassPtr owner;
    Value self;
    SuperObj() : NativeObj(NKind::super_) {}
};

}  // namespace

// =========================================================================================
// Evaluating a call
// =========================================================================================

/// One evaluated argument into `out`: positional, keyword, or unpacked (`*xs` arrives with the
/// label "*", `**d` with "**").
Res Machine::add_arg(const Arg& a, Value v, Args& out) {
    if (a.label.empty()) {
        out.pos.push_back(std::move(v));
    } else if (a.label == "*") {
        std::vector<Value> xs;
        Res it = iterate(v, xs, a.span);
        if (!it.ok()) return it;
        out.pos.insert(out.pos.end(), xs.begin(), xs.end());
    } else if (a.label == "**") {
        if (!is_kind(v, OKind::dict)) return raise_error("TypeError", "argument after ** must be a mapping, not " + type_name(v));
        for (const auto& [k, x] : as<Dict>(v).entries) {
            if (!is_str(k)) return raise_error("TypeError", "keywords must be strings");
            out.kw.emplace_back(as_str(k), x);
        }
    } else {
        out.kw.emplace_back(a.label, std::move(v));
    }
    return Res::of();
}

Res Machine::eval_args(const Call* c, const EnvPtr& env, Args& out) {
    for (const auto& a : c->args) {
        Res v = eval(a.value, env);
        if (!v.ok()) return v;
        Res added = add_arg(a, std::move(v.value), out);
        if (!added.ok()) return added;
    }
    return Res::of();
}

namespace {
bool is_bare_super(const Call* c) {
    return c->callee->kind == ExprKind::name && static_cast<const Name*>(c->callee)->name == "super" && c->args.empty();
}
}  // namespace

Res Machine::eval_call(const Call* c, const EnvPtr& env) {
    if (is_bare_super(c)) {
        // super(): the class the running method was defined in, and its first argument.
        for (Env* e = env.get(); e && !e->is_module; e = e->parent.get()) {
            if (!e->owner || !e->decl) continue;
            if (e->decl->params.empty()) break;
            const Value* self = e->vars.find(e->decl->params[0].name);
            if (!self) break;
            auto s = std::make_shared<SuperObj>();
            s->cls = cls("super");
            s->owner = e->owner;
            s->self = *self;
            return Res::of(Value::of(std::move(s)));
        }
        return raise_error("RuntimeError", "super(): no arguments");
    }
    Res callee = eval(c->callee, env);
    if (!callee.ok()) return callee;
    Args args;
    Res a = eval_args(c, env, args);
    if (!a.ok()) return a;
    at(c->span);
    return call(callee.value, args, c->span);
}

Flow<Res> Machine::eval_call_a(const Call* c, EnvPtr env) {
    Res callee = co_await ev(c->callee, env);
    if (!callee.ok()) co_return callee;
    Args args;
    for (const auto& a : c->args) {
        Res v = co_await ev(a.value, env);
        if (!v.ok()) co_return v;
        Res added = add_arg(a, std::move(v.value), args);
        if (!added.ok()) co_return added;
    }
    at(c->span);
    if (is_kind(callee.value, OKind::builtin) && as<Builtin>(callee.value).name == "asyncio.run") {
        if (args.pos.size() != 1) co_return raise_error("TypeError", "run() takes 1 positional argument");
        Res r = co_await asyncio_run(args.pos[0], c->span);
        co_return r;
    }
    if (is_kind(callee.value, OKind::builtin) && as<Builtin>(callee.value).name == "loop.run_until_complete") {
        if (args.pos.size() != 1) co_return raise_error("TypeError", "run_until_complete() takes 2 positional arguments but " + std::to_string(args.pos.size() + 1) + " were given");
        Res r = co_await loop_run_until_complete_co(as<Builtin>(callee.value).self, args.pos[0], c->span);
        co_return r;
    }
    if (is_kind(callee.value, OKind::builtin) && as<Builtin>(callee.value).name == "Runner.run") {
        if (args.pos.size() != 1) co_return raise_error("TypeError", "Runner.run() takes 2 positional arguments but " + std::to_string(args.pos.size() + 1) + " were given");
        Res r = co_await runner_run_co(as<Builtin>(callee.value).self, args.pos[0], c->span);
        co_return r;
    }
    co_return call(callee.value, args, c->span);
}

// =========================================================================================
// Calling
// =========================================================================================

Res Machine::call(const Value& callee, Args& args, Span span) {
    if (callee.kind == VKind::object) {
        switch (callee.obj->okind) {
        case OKind::function: return call_function(std::static_pointer_cast<Function>(callee.obj), args, nullptr, span);
        case OKind::bound_method: {
            auto& bm = as<BoundMethod>(callee);
            if (is_kind(bm.func, OKind::function)) return call_function(std::static_pointer_cast<Function>(bm.func.obj), args, &bm.self, span);
            std::vector<Value> pos;
            pos.reserve(args.pos.size() + 1);
            pos.push_back(bm.self);
            for (Value& v : args.pos) pos.push_back(std::move(v));
            args.pos = std::move(pos);
            return call(bm.func, args, span);
        }
        case OKind::builtin: return call_builtin(as<Builtin>(callee), args, span);
        case OKind::cls: return construct(std::static_pointer_cast<Class>(callee.obj), args, span);
        case OKind::instance: {
            if (const Value* f = as<Instance>(callee).cls->lookup("__call__"); f && is_kind(*f, OKind::function))
                return call_function(std::static_pointer_cast<Function>(f->obj), args, &callee, span);
            break;
        }
        default: break;
        }
    }
    return raise_error("TypeError", "'" + type_name(callee) + "' object is not callable");
}

Res Machine::call_method(const Value& obj, const std::string& name, Args& args, Span span) {
    Res m = get_attr(obj, name, span);
    if (!m.ok()) return m;
    return call(m.value, args, span);
}

Res Machine::bind_args(const Function& f, Args& args, const Value* self, const EnvPtr& frame, Span span) {
    (void)span;
    return bind_params(f, args, self, frame);
}

std::string Machine::call_label(std::string_view written, const std::string& name, const Args& args) {
    // The callee as written (`server.start_server`, `client`), then the argument values, so
    // tasks made in a loop get distinct lanes: `download('img3', 3)`. Plain values are shown
    // by their repr, clipped; anything else (objects, collections) as `…`.
    // The callee is what precedes the call's own argument list: the `(` matching the last `)`
    // (so `WebSocketServer().start(…)` keeps `WebSocketServer().start`).
    std::size_t open = std::string_view::npos;
    if (!written.empty() && written.back() == ')') {
        int depth = 0;
        for (std::size_t k = written.size(); k-- > 0;) {
            if (written[k] == ')') ++depth;
            else if (written[k] == '(' && --depth == 0) {
                open = k;
                break;
            }
        }
    }
    std::string callee(written.substr(0, open == std::string_view::npos ? 0 : open));
    while (!callee.empty() && (callee.back() == ' ' || callee.back() == '\n')) callee.pop_back();
    if (callee.empty() || callee.find('\n') != std::string::npos) callee = name;
    auto shown = [this](const Value& v) {
        if (v.is_none() || v.kind == VKind::boolean || v.kind == VKind::integer || v.kind == VKind::real || is_str(v))
            return clip_utf8(repr_of(v), 16);
        return std::string("\xE2\x80\xA6");
    };
    std::string out = clip_utf8(callee, 32) + "(";
    bool first = true;
    for (const Value& v : args.pos) {
        if (!first) out += ", ";
        first = false;
        out += shown(v);
    }
    for (const auto& [k, v] : args.kw) {
        if (!first) out += ", ";
        first = false;
        out += k + "=" + shown(v);
    }
    return clip_utf8(out, 47) + (out.size() > 47 ? "" : ")");
}

Res Machine::call_function(const std::shared_ptr<Function>& f, Args& args, const Value* self, Span span) {
    auto frame = new_env();
    frame->parent = f->env;
    const void* key = f->decl ? static_cast<const void*>(f->decl) : static_cast<const void*>(f->lambda);
    auto it = m_scopes.find(key);
    frame->names = it == m_scopes.end() ? nullptr : &it->second;
    frame->decl = f->decl;
    frame->owner = f->owner.lock();
    std::string label;
    if (f->is_async) label = call_label(source_text(span), f->name, args);  // before bind_args takes the arguments
    Res b = bind_args(*f, args, self, frame, span);
    if (!b.ok()) return b;
    if (f->decl && f->decl->is_generator) return make_generator(f, frame);
    if (f->is_async) {
        auto co = std::make_shared<Coroutine>();
        co->func = Value::of(f);
        co->env = frame;
        co->name = f->qualname;
        co->label = std::move(label);
        return Res::of(Value::of(std::move(co)));
    }
    // The frame that makes the first call (the module or a coroutine) counts too, as in CPython.
    if (m_depth + 1 >= k_recursion_limit || too_deep()) return raise_error("RecursionError", "maximum recursion depth exceeded");
    ++m_depth;
    Res r;
    if (f->lambda) {
        const auto& body = f->lambda->body;
        const Expr* e = nullptr;
        if (body.size() == 1 && body[0]->kind == StmtKind::expr) e = static_cast<const ExprStmt*>(body[0])->expr;
        else if (body.size() == 1 && body[0]->kind == StmtKind::return_) e = static_cast<const Return*>(body[0])->value;
        r = e ? eval(e, frame) : exec_block(body, frame);
        if (r.ctl == Ctl::return_) r.ctl = Ctl::normal;
    } else {
        r = exec_block(f->decl->body, frame);
        if (r.ctl == Ctl::return_) r.ctl = Ctl::normal;
        else if (r.ok()) r = Res::of();
    }
    if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();  // generators its frame dropped
    --m_depth;
    at(span);
    return r;
}

Res Machine::construct(const ClassPtr& c, Args& args, Span span) {
    if (c->is_exception) {
        const Value* init = c->lookup("__init__");
        if (!args.kw.empty() && !(init && is_kind(*init, OKind::function)))
            return raise_error("TypeError", c->name + "() takes no keyword arguments");
        Value inst = new_exception(c, args.pos);
        if (c->is_subclass_of(cls("BaseExceptionGroup").get()) && c->module != "__main__") {
            // ExceptionGroup(message, exceptions)
            if (args.pos.size() != 2 || !is_str(args.pos[0]))
                return raise_error("TypeError", "BaseExceptionGroup.__new__() takes exactly 2 arguments (" + std::to_string(args.pos.size()) + " given)");
            std::vector<Value> xs;
            Res it = iterate(args.pos[1], xs, span);
            if (!it.ok()) return it;
            if (xs.empty()) return raise_error("ValueError", "second argument (exceptions) must be a non-empty sequence");
            bool all_exc = true;
            for (const Value& x : xs) {
                if (!is_kind(x, OKind::instance) || !as<Instance>(x).exc)
                    return raise_error("ValueError", "Item 0 of second argument (exceptions) is not an exception");
                if (!isinstance(x, cls("Exception").get())) all_exc = false;
            }
            ClassPtr real = c;
            if (c->name == "BaseExceptionGroup" && all_exc) real = cls("ExceptionGroup");
            if (c->name == "ExceptionGroup" && !all_exc)
                return raise_error("TypeError", "Cannot nest BaseExceptions in an ExceptionGroup");
            inst = new_exception(real, args.pos);
            auto& d = *as<Instance>(inst).exc;
            d.is_group = true;
            d.group_message = as_str(args.pos[0]);
            d.exceptions = xs;
        }
        if (init && is_kind(*init, OKind::function)) {
            Res r = call_function(std::static_pointer_cast<Function>(init->obj), args, &inst, span);
            if (!r.ok()) return r;
        }
        return Res::of(inst);
    }
    if (c->builtin != BuiltinType::none_) return convert(c->name, args, span);
    auto obj = std::make_shared<Instance>();
    obj->cls = c;
    Value inst = Value::of(obj);
    const Value* init = c->lookup("__init__");
    if (init && is_kind(*init, OKind::function)) {
        Res r = call_function(std::static_pointer_cast<Function>(init->obj), args, &inst, span);
        if (!r.ok()) return r;
        if (!r.value.is_none()) return raise_error("TypeError", "__init__() should return None, not '" + type_name(r.value) + "'");
    } else if (!args.pos.empty() || !args.kw.empty()) {
        return raise_error("TypeError", c->name + "() takes no arguments");
    }
    return Res::of(inst);
}

Res Machine::super_attr(const Value& obj, const std::string& name, Span span) {
    const auto& s = static_cast<const SuperObj&>(*obj.obj);
    const ClassPtr t = type_of(s.self);
    bool after = false;
    for (Class* c : t->mro) {
        if (!after) {
            after = c == s.owner.get();
            continue;
        }
        if (const Value* v = c->attrs.find(name)) {
            if (is_kind(*v, OKind::function)) {
                auto bm = std::make_shared<BoundMethod>();
                bm->func = *v;
                bm->self = s.self;
                return Res::of(Value::of(std::move(bm)));
            }
            return Res::of(*v);
        }
        if (c->builtin == BuiltinType::exception && c->module != "__main__" && name == "__init__")
            return Res::of(builtin("BaseException.__init__", s.self));
        if (c->builtin == BuiltinType::object && name == "__init__") return Res::of(builtin("object.__init__", s.self));
    }
    (void)span;
    return raise_error("AttributeError", "'super' object has no attribute '" + name + "'");
}

void Machine::note_stack_base() {
    const std::uintptr_t here = stack_pointer();
    if (m_stack_base == 0 || here > m_stack_base) m_stack_base = here;
}

bool Machine::too_deep() const {
    // The C++ stack grows down; nested Python calls run on it. Stop well before the end of it
    // (an 8 MB stack gets a 6 MB budget), whatever the build's frame sizes.
    const std::uintptr_t here = stack_pointer();
    return m_stack_base != 0 && here < m_stack_base && m_stack_base - here > m_stack_budget;
}

// =========================================================================================
// Coroutines and awaiting
// =========================================================================================

Value Machine::make_native_coroutine(std::string name, std::function<Flow<Res>()> body) {
    auto co = std::make_shared<Coroutine>();
    co->name = name;
    co->label = name + "()";
    co->native = std::move(body);
    return Value::of(std::move(co));
}

Flow<Res> Machine::run_coroutine(Value coro, Span span) {
    auto co = std::static_pointer_cast<Coroutine>(coro.obj);
    if (co->started) co_return raise_error("RuntimeError", "cannot reuse already awaited coroutine");
    co->started = true;
    if (co->native) {
        Res r = co_await co->native();
        co_return r;
    }
    const auto& f = as<Function>(co->func);
    // Coroutines nest per task: a task suspended deep in awaits does not count for the others.
    const TaskId task = m_sched.current();
    if (task >= m_coro_depth.size()) m_coro_depth.resize(task + 1);
    if (m_coro_depth[task] + m_depth >= k_recursion_limit || too_deep())
        co_return raise_error("RecursionError", "maximum recursion depth exceeded");
    ++m_coro_depth[task];
    push_frame(task, FrameRecord{&co->name, co->env, span});
    Res r = co_await exec_block_a(&f.decl->body, co->env);
    pop_frame(task);
    --m_coro_depth[task];
    // CPython clears a coroutine's frame when it returns: its locals go at once (a generator it
    // held is closed), unless a closure still sees them.
    if (co->env.use_count() == 1) release_locals(*co->env);
    at(span);
    if (r.ctl == Ctl::return_) co_return Res::of(std::move(r.value));
    if (r.ok()) co_return Res::of();
    co_return r;
}

Flow<Res> Machine::await_value(Value v, Span span) {
    if (is_kind(v, OKind::coroutine)) {
        Res r = co_await run_coroutine(std::move(v), span);
        co_return r;
    }
    if (is_kind(v, OKind::future)) {
        const asyncio::FutureId id = as<FutureRef>(v).id;
        asyncio::Result r = co_await interp::lift(m_model.await_future(id));
        at(span);
        co_return from_result(std::move(r));
    }
    if (is_kind(v, OKind::native)) {
        const NKind k = as<NativeObj>(v).nkind;
        if (k == NKind::ws_serve || k == NKind::ws_connect) {
            Res r = co_await ws_aenter(std::move(v), span);
            co_return r;
        }
    }
    if (is_kind(v, OKind::instance)) {
        if (const Value* f = as<Instance>(v).cls->lookup("__await__"); f && is_kind(*f, OKind::function))
            co_return fail(DiagnosticKind::unknown_member, span, "tasklab does not support objects with their own __await__",
                           "await a coroutine, a Task or a Future instead");
    }
    co_return raise_error("TypeError", "object " + type_name(v) + " can't be used in 'await' expression");
}

// =========================================================================================
// Task bodies
// =========================================================================================

Co<void> Machine::module_body() {
    note_stack_base();
    push_frame(m_sched.current(), FrameRecord{nullptr, m_globals, Span{}});
    Res r = co_await exec_block_a(&m_program.body, m_globals);
    pop_frame(m_sched.current());
    store_result(m_sched.current(), r);
    if (r.ctl == Ctl::fatal) co_return;
    Outcome outcome = Outcome::returned;
    std::string text;
    if (r.ctl == Ctl::raise) {
        if (isinstance(r.value, cls("SystemExit").get())) {
            const auto& args = as<Instance>(r.value).exc->args;
            const Value code = args.empty() ? Value::none() : args[0];
            if (code.is_none()) m_exit_code = 0;
            else if (code.kind == VKind::integer || code.kind == VKind::boolean)
                m_exit_code = static_cast<int>(static_cast<std::uint64_t>((code.kind == VKind::boolean ? std::int64_t{code.b} : code.i)) & 0xFF);  // the status a POSIX process gets: -1 -> 255
            else {
                m_exit_code = 1;
                m_uncaught_line = str_of(code);
            }
        } else {
            m_uncaught = true;
            m_uncaught_line = exception_line(r.value);
            m_uncaught_span = m_task_span.size() > m_sched.current() ? m_task_span[m_sched.current()] : Span{};
            m_exit_code = isinstance(r.value, cls("KeyboardInterrupt").get()) ? 130 : 1;
            outcome = Outcome::threw;
            text = clip_utf8(repr_of(r.value));
        }
    }
    m_module_done = true;
    m_sched.finish_current(outcome, text);
}

Co<void> Machine::task_body(Value coro) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    // Names the task ("Task-N") when asyncio.run made it, and gives Task.get_coro() its coroutine.
    Value task = future_value(m_model.current_task());
    if (is_kind(task, OKind::future) && as<FutureRef>(task).coro.is_none()) as<FutureRef>(task).coro = coro;
    if (asyncio::ExcPtr pre = m_model.begin_step()) {
        // semantics: A2 — cancelled before its first step: the coroutine is never entered.
        as<Coroutine>(coro).started = true;
        store_result(m_sched.current(), Res::raised(from_exc(pre)));
        m_model.finish(asyncio::Result::raise(std::move(pre)));
        co_return;
    }
    Res r = co_await run_coroutine(coro, {});
    if (r.ctl == Ctl::fatal) co_return;
    if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();  // before the task's done callbacks
    if (r.ctl != Ctl::raise) r = Res::of(std::move(r.value));
    release_frames(m_sched.current());
    store_result(m_sched.current(), r);
    m_model.finish(to_result(r));
}

Co<void> Machine::callback_body(Value fn, Args args, std::string what) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    Res r = call(fn, args, {});
    store_result(m_sched.current(), r);
    if (r.ctl == Ctl::fatal) co_return;
    if (r.ctl == Ctl::raise) {
        // The loop's exception handler reports it on stderr; the program goes on.
        m_sched.finish_current(Outcome::threw, clip_utf8("Exception in callback " + what + ": " + repr_of(r.value)));
        co_return;
    }
    m_sched.finish_current(Outcome::returned, {});
}

TaskId Machine::spawn_callback(Value fn, Args args, std::string name, Tick delay) {
    TaskInfo info;
    info.kind = TaskKind::callback;
    info.creator = m_sched.current();
    info.name = name;
    return m_sched.spawn(std::move(info), callback_body(std::move(fn), std::move(args), name), delay);
}

void Machine::run_signal_handler(std::uint32_t handler) {
    if (handler >= m_signal_handlers.size()) return;
    auto& [fn, args] = m_signal_handlers[handler];
    std::string name = "signal handler";
    if (is_kind(fn, OKind::function)) name = as<Function>(fn).name + "()";
    spawn_callback(fn, args, name);
}

void Machine::process_killed(const std::string& signal) {
    m_killed_by = signal;
    m_exit_code = 128 + asyncio::Model::signal_number(signal);
}

}  // namespace tasklab::py
