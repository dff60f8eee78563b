// contextlib for the Python interpreter: contextmanager and asynccontextmanager (a generator
// whose one `yield` is the body of the `with`: an exception from the body is thrown in at the
// yield, and a generator that does not re-raise it suppresses it), suppress, ExitStack and
// AsyncExitStack (exits unwound last in, first out, each seeing what the one before raised),
// closing, aclosing and nullcontext — with CPython 3.11's error texts.
#include "engine/interp/python/builtin_table.hpp"
#include "engine/interp/python/generators.hpp"

namespace tasklab::py {

namespace {

enum class CtxKind : std::uint8_t { gen_cm, agen_cm, suppress, exit_stack, async_exit_stack, closing, aclosing, nullcontext };

/// One exit an ExitStack holds.
struct StackEntry {
    enum class Kind : std::uint8_t { exit, async_exit, callback, async_callback } kind;
    Value fn;   ///< the bound __exit__/__aexit__, the push()ed callable, or the callback
    Args args;  ///< a callback's arguments
};

struct ContextObj : NativeObj {
    CtxKind kind;
    Value target;                  ///< the generator, the thing to close, nullcontext's value
    std::vector<Value> exceptions; ///< suppress(...)
    std::vector<StackEntry> entries;
    bool entered = false;
    explicit ContextObj(CtxKind k) : NativeObj(NKind::contextlib), kind(k) {}
};

ContextObj& ctx_of(const Value& v) { return static_cast<ContextObj&>(*v.obj); }

const char* class_name(CtxKind k) {
    switch (k) {
    case CtxKind::gen_cm: return "contextlib._GeneratorContextManager";
    case CtxKind::agen_cm: return "contextlib._AsyncGeneratorContextManager";
    case CtxKind::suppress: return "contextlib.suppress";
    case CtxKind::exit_stack: return "contextlib.ExitStack";
    case CtxKind::async_exit_stack: return "contextlib.AsyncExitStack";
    case CtxKind::closing: return "contextlib.closing";
    case CtxKind::aclosing: return "contextlib.aclosing";
    case CtxKind::nullcontext: return "contextlib.nullcontext";
    }
    return "contextlib.nullcontext";
}

}  // namespace

Res Machine::contextlib_attr(const Module& m, const std::string& name, Span span, bool& handled) {
    (void)m;
    (void)span;
    handled = true;
    for (const char* n : {"contextmanager", "asynccontextmanager", "suppress", "ExitStack", "AsyncExitStack", "closing", "aclosing",
                          "nullcontext"})
        if (name == n) return Res::of(builtin("contextlib." + name));
    if (name == "AbstractContextManager" || name == "AbstractAsyncContextManager") return Res::of(Value::of(cls("object")));
    handled = false;
    return Res::of();
}

Res Machine::contextlib_native_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    (void)span;
    handled = true;
    auto& c = ctx_of(obj);
    if (name == "__repr__") return Res::of(make_str("<" + std::string(class_name(c.kind)) + " object>"));
    const bool sync = c.kind == CtxKind::gen_cm || c.kind == CtxKind::suppress || c.kind == CtxKind::exit_stack ||
                      c.kind == CtxKind::closing || c.kind == CtxKind::nullcontext;
    const bool async = c.kind == CtxKind::agen_cm || c.kind == CtxKind::async_exit_stack || c.kind == CtxKind::aclosing ||
                       c.kind == CtxKind::nullcontext;
    if (sync && (name == "__enter__" || name == "__exit__")) return Res::of(builtin("contextlib." + name, obj));
    if (async && (name == "__aenter__" || name == "__aexit__")) return Res::of(builtin("contextlib." + name, obj));
    if (c.kind == CtxKind::exit_stack || c.kind == CtxKind::async_exit_stack) {
        for (const char* n : {"enter_context", "push", "callback", "pop_all", "close"})
            if (name == n) return Res::of(builtin("contextlib." + name, obj));
        if (c.kind == CtxKind::async_exit_stack)
            for (const char* n : {"enter_async_context", "push_async_exit", "push_async_callback", "aclose"})
                if (name == n) return Res::of(builtin("contextlib." + name, obj));
    }
    if ((c.kind == CtxKind::closing || c.kind == CtxKind::aclosing) && name == "thing") return Res::of(c.target);
    if ((c.kind == CtxKind::gen_cm || c.kind == CtxKind::agen_cm) && name == "gen") return Res::of(c.target);
    handled = false;
    return Res::of();
}

namespace {

/// Sets `exc.__context__` to what was being handled when it was raised (ExitStack's
/// _fix_exception_context, without the walk: tasklab chains one level).
void chain(Machine& m, const Value& exc, const Value& old) {
    if (old.is_none() || !is_kind(exc, OKind::instance) || py_is(exc, old)) return;
    auto& e = as<Instance>(exc);
    if (e.exc && e.exc->context.is_none()) e.exc->context = old;
    (void)m;
}

}  // namespace

namespace {

std::shared_ptr<ContextObj> make_ctx(Machine& vm, CtxKind k) {
    auto c = std::make_shared<ContextObj>(k);
    c->cls = vm.cls(class_name(k));
    return c;
}

// ---- the module's functions and classes ----

Res ctx_contextmanager(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", bc.name + "() takes exactly one argument");
    return Res::of(vm.builtin("contextlib._" + bc.name + "_helper", bc.args.pos[0]));
}

Res ctx_suppress(Machine& vm, BuiltinCall& bc) {
    auto c = make_ctx(vm, CtxKind::suppress);
    c->exceptions = bc.args.pos;
    return Res::of(Value::of(std::move(c)));
}

Res ctx_exit_stack(Machine& vm, BuiltinCall& bc) {
    if (!bc.args.pos.empty()) return vm.raise_error("TypeError", bc.name + "() takes no arguments");
    return Res::of(Value::of(make_ctx(vm, bc.name == "ExitStack" ? CtxKind::exit_stack : CtxKind::async_exit_stack)));
}

Res ctx_closing(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", bc.name + "() takes exactly one argument");
    auto c = make_ctx(vm, bc.name == "closing" ? CtxKind::closing : CtxKind::aclosing);
    c->target = bc.args.pos[0];
    return Res::of(Value::of(std::move(c)));
}

Res ctx_nullcontext(Machine& vm, BuiltinCall& bc) {
    auto c = make_ctx(vm, CtxKind::nullcontext);
    if (!bc.args.pos.empty()) c->target = bc.args.pos[0];
    else if (const Value* v = bc.args.kwarg("enter_result")) c->target = *v;
    return Res::of(Value::of(std::move(c)));
}

const BuiltinTable& contextlib_table() {
    static const BuiltinTable table{
        {"contextmanager", ctx_contextmanager},
        {"asynccontextmanager", ctx_contextmanager},
        {"suppress", ctx_suppress},
        {"ExitStack", ctx_exit_stack},
        {"AsyncExitStack", ctx_exit_stack},
        {"closing", ctx_closing},
        {"aclosing", ctx_closing},
        {"nullcontext", ctx_nullcontext},
    };
    return table;
}

/// Calling what @contextmanager / @asynccontextmanager made: it makes the manager.
Res ctx_make_manager(Machine& vm, BuiltinCall& bc) {
    Res g = vm.call(bc.self, bc.args, bc.span);
    if (!g.ok()) return g;
    const bool want_async = bc.name == "_asynccontextmanager_helper";
    if (!vm.is_generator(g.value) || vm.is_async_generator(g.value) != want_async) {
        // CPython fails later, on entering: the object has no __next__ / __anext__.
        return vm.raise_error("TypeError", "'" + vm.type_name(g.value) + "' object is not " + (want_async ? "an async iterator" : "an iterator"));
    }
    auto c = make_ctx(vm, want_async ? CtxKind::agen_cm : CtxKind::gen_cm);
    c->target = g.value;
    return Res::of(Value::of(std::move(c)));
}

/// The exception __exit__ / __aexit__ was given (None for the other methods).
Value exit_exception(const BuiltinCall& bc) {
    const bool exits = bc.name == "__exit__" || bc.name == "__aexit__";
    return exits && bc.args.pos.size() >= 2 ? bc.args.pos[1] : Value::none();
}

// ---- a manager's methods ----

/// __aenter__, __aexit__ and aclose: coroutines.
Res ctx_async_method(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    const Value exc = exit_exception(bc);
    const Value obj = bc.self;
    const std::string m = bc.name;
    const Span span = bc.span;
    return Res::of(vm.make_native_coroutine(std::string(class_name(c.kind)).substr(11) + "." + m, [&vm, obj, m, exc, span]() {
        return m == "__aenter__" ? vm.contextlib_aenter_co(obj, span) : vm.contextlib_aexit_co(obj, m == "aclose" ? Value::none() : exc, span);
    }));
}

Res ctx_enter_async_context(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", "enter_async_context() takes exactly one argument");
    const Value obj = bc.self;
    const Value cm = bc.args.pos[0];
    const Span span = bc.span;
    return Res::of(vm.make_native_coroutine("AsyncExitStack.enter_async_context", [&vm, obj, cm, span]() {
        return [](Machine* m, Value stack, Value mgr, Span s) -> Flow<Res> {
            Args none;
            Res exit = m->get_attr(mgr, "__aexit__", s);
            Res enter = exit.ok() ? m->get_attr(mgr, "__aenter__", s) : exit;
            if (enter.ctl == Ctl::raise && m->isinstance(enter.value, m->cls("AttributeError").get())) {
                const ClassPtr mc = m->type_of(mgr);  // 3.11 names the class with its module
                co_return m->raise_error("TypeError", "'" + mc->module + "." + mc->name +
                                                          "' object does not support the asynchronous context manager protocol");
            }
            if (!enter.ok()) co_return enter;
            Res aw = m->call(enter.value, none, s);
            if (!aw.ok()) co_return aw;
            Res r = co_await m->await_value(aw.value, s);
            if (!r.ok()) co_return r;
            ctx_of(stack).entries.push_back(StackEntry{StackEntry::Kind::async_exit, exit.value, {}});
            co_return r;
        }(&vm, obj, cm, span);
    }));
}

Res ctx_enter(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    switch (c.kind) {
    case CtxKind::gen_cm: {
        if (c.entered) return vm.raise_error("RuntimeError", "generator didn't yield");
        c.entered = true;
        Res r = vm.generator_send(c.target, Res::of(), bc.span);
        if (r.ctl == Ctl::raise && vm.isinstance(r.value, vm.cls("StopIteration").get())) return vm.raise_error("RuntimeError", "generator didn't yield");
        return r;
    }
    case CtxKind::closing: return Res::of(c.target);
    case CtxKind::nullcontext: return Res::of(c.target);
    case CtxKind::exit_stack: return Res::of(bc.self);
    default: return Res::of();
    }
}

/// __exit__ of every manager but ExitStack (whose unwind is stack_close).
Res ctx_exit(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    const Value exc = exit_exception(bc);
    switch (c.kind) {
    case CtxKind::gen_cm: {
        if (exc.is_none()) {
            Res r = vm.generator_send(c.target, Res::of(), bc.span);
            if (r.ctl == Ctl::raise && vm.isinstance(r.value, vm.cls("StopIteration").get())) return Res::of(Value::boolean(false));
            if (!r.ok()) return r;
            return vm.raise_error("RuntimeError", "generator didn't stop");
        }
        Res r = vm.generator_send(c.target, Res::raised(exc), bc.span);
        if (r.ok()) return vm.raise_error("RuntimeError", "generator didn't stop after throw()");
        if (r.ctl != Ctl::raise) return r;
        // Suppress when the generator ended instead of re-raising; never raise the same exception twice.
        if (vm.isinstance(r.value, vm.cls("StopIteration").get())) return Res::of(Value::boolean(!py_is(r.value, exc)));
        if (py_is(r.value, exc)) return Res::of(Value::boolean(false));
        if (vm.isinstance(r.value, vm.cls("RuntimeError").get()) && is_kind(r.value, OKind::instance) && py_is(as<Instance>(r.value).exc->cause, exc))
            return Res::of(Value::boolean(false));
        return r;
    }
    case CtxKind::suppress: {
        if (exc.is_none()) return Res::of(Value::boolean(false));
        for (const Value& t : c.exceptions) {
            bool match = false;
            Res ok = vm.isinstance_check(exc, t, match, bc.span);
            if (!ok.ok()) return ok;
            if (match) return Res::of(Value::boolean(true));
        }
        return Res::of(Value::boolean(false));
    }
    case CtxKind::closing: {
        Args none;
        Res r = vm.call_method(c.target, "close", none, bc.span);
        if (!r.ok()) return r;
        return Res::of(Value::boolean(false));
    }
    default: return Res::of(Value::boolean(false));
    }
}

// ---- ExitStack / AsyncExitStack ----

Res stack_enter_context(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", "enter_context() takes exactly one argument");
    const Value cm = bc.args.pos[0];
    Res exit = vm.get_attr(cm, "__exit__", bc.span);
    if (exit.ctl == Ctl::raise && vm.isinstance(exit.value, vm.cls("AttributeError").get())) {
        const ClassPtr t = vm.type_of(cm);  // 3.11 names the class with its module
        return vm.raise_error("TypeError", "'" + t->module + "." + t->name + "' object does not support the context manager protocol");
    }
    if (!exit.ok()) return exit;
    Args none;
    Res r = vm.call_method(cm, "__enter__", none, bc.span);
    if (!r.ok()) return r;
    c.entries.push_back(StackEntry{StackEntry::Kind::exit, exit.value, {}});
    return r;
}

Res stack_push(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    if (bc.args.pos.size() != 1) return vm.raise_error("TypeError", bc.name + "() takes exactly one argument");
    const Value cb = bc.args.pos[0];
    const char* exit_name = bc.name == "push" ? "__exit__" : "__aexit__";
    Res exit = vm.get_attr(cb, exit_name, bc.span);
    const Value fn = exit.ok() && !is_kind(cb, OKind::function) ? exit.value : cb;
    c.entries.push_back(StackEntry{bc.name == "push" ? StackEntry::Kind::exit : StackEntry::Kind::async_exit, fn, {}});
    return Res::of(cb);
}

Res stack_callback(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    if (bc.args.pos.empty()) return vm.raise_error("TypeError", "descriptor '" + bc.name + "' of 'contextlib._BaseExitStack' object needs an argument");
    StackEntry e{bc.name == "callback" ? StackEntry::Kind::callback : StackEntry::Kind::async_callback, bc.args.pos[0], {}};
    e.args.pos.assign(bc.args.pos.begin() + 1, bc.args.pos.end());
    e.args.kw = bc.args.kw;
    c.entries.push_back(std::move(e));
    return Res::of(bc.args.pos[0]);
}

Res stack_pop_all(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    auto fresh = make_ctx(vm, c.kind);
    fresh->entries = std::move(c.entries);
    c.entries.clear();
    return Res::of(Value::of(std::move(fresh)));
}

/// close() and __exit__: the synchronous unwind, last in, first out.
Res stack_close(Machine& vm, BuiltinCall& bc) {
    auto& c = ctx_of(bc.self);
    const Value exc = exit_exception(bc);
    // The synchronous unwind (ExitStack): every entry is a plain call.
    Value pending = exc;
    bool suppressed = false;
    bool raised_new = false;
    while (!c.entries.empty()) {
        StackEntry e = std::move(c.entries.back());
        c.entries.pop_back();
        Args a;
        if (e.kind == StackEntry::Kind::callback) a = e.args;
        else if (pending.is_none()) a.pos = {Value::none(), Value::none(), Value::none()};
        else a.pos = {Value::of(vm.type_of(pending)), pending, Value::none()};
        Res r = vm.call(e.fn, a, bc.span);
        if (r.ctl == Ctl::fatal) return r;
        if (r.ctl == Ctl::raise) {
            chain(vm, r.value, pending);
            pending = r.value;
            raised_new = true;
            continue;
        }
        if (e.kind != StackEntry::Kind::callback) {
            bool t = false;
            Res tr = vm.truthy(r.value, t);
            if (!tr.ok()) return tr;
            if (t) {
                suppressed = true;
                raised_new = false;
                pending = Value::none();
            }
        }
    }
    if (raised_new) return Res::raised(pending);
    return Res::of(Value::boolean(!exc.is_none() && suppressed));
}

const BuiltinTable& exit_stack_table() {
    static const BuiltinTable table{
        {"enter_context", stack_enter_context},
        {"push", stack_push},
        {"push_async_exit", stack_push},
        {"callback", stack_callback},
        {"push_async_callback", stack_callback},
        {"pop_all", stack_pop_all},
        {"close", stack_close},
        {"__exit__", stack_close},
    };
    return table;
}

}  // namespace

Res Machine::contextlib_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    const std::string method = name.substr(name.find('.') + 1);
    BuiltinCall bc{method, self, args, span, handled};
    if (self.is_none())
        if (const BuiltinHandler h = contextlib_table().find(method)) return h(*this, bc);
    if (method == "_contextmanager_helper" || method == "_asynccontextmanager_helper") return ctx_make_manager(*this, bc);
    if (!is_kind(self, OKind::native) || as<NativeObj>(self).nkind != NKind::contextlib) {
        handled = false;
        return Res::of();
    }
    const CtxKind kind = ctx_of(self).kind;
    const bool stack = kind == CtxKind::exit_stack || kind == CtxKind::async_exit_stack;
    if (method == "__aenter__" || method == "__aexit__" || method == "aclose") return ctx_async_method(*this, bc);
    if (method == "enter_async_context") return ctx_enter_async_context(*this, bc);
    if (method == "__enter__") return ctx_enter(*this, bc);
    if (method == "__exit__" && kind != CtxKind::exit_stack) return ctx_exit(*this, bc);
    if (stack)
        if (const BuiltinHandler h = exit_stack_table().find(method)) return h(*this, bc);
    handled = false;
    return Res::of();
}

Flow<Res> Machine::contextlib_aenter_co(Value obj, Span span) {
    auto& c = ctx_of(obj);
    switch (c.kind) {
    case CtxKind::agen_cm: {
        if (c.entered) co_return raise_error("RuntimeError", "generator didn't yield");
        c.entered = true;
        Res r = co_await agen_method_co(c.target, "anext", Value::none(), span);
        if (r.ctl == Ctl::raise && isinstance(r.value, cls("StopAsyncIteration").get()))
            co_return raise_error("RuntimeError", "generator didn't yield");
        co_return r;
    }
    case CtxKind::async_exit_stack: co_return Res::of(obj);
    case CtxKind::aclosing:
    case CtxKind::nullcontext: co_return Res::of(c.target);
    default: co_return Res::of();
    }
}

Flow<Res> Machine::contextlib_aexit_co(Value obj, Value exc, Span span) {
    auto& c = ctx_of(obj);
    switch (c.kind) {
    case CtxKind::agen_cm: {
        if (exc.is_none()) {
            Res r = co_await agen_method_co(c.target, "anext", Value::none(), span);
            if (r.ctl == Ctl::raise && isinstance(r.value, cls("StopAsyncIteration").get())) co_return Res::of(Value::boolean(false));
            if (!r.ok()) co_return r;
            co_return raise_error("RuntimeError", "generator didn't stop");
        }
        Res r = co_await agen_method_co(c.target, "athrow", exc, span);
        if (r.ok()) co_return raise_error("RuntimeError", "generator didn't stop after athrow()");
        if (r.ctl != Ctl::raise) co_return r;
        if (isinstance(r.value, cls("StopAsyncIteration").get())) co_return Res::of(Value::boolean(!py_is(r.value, exc)));
        if (py_is(r.value, exc)) co_return Res::of(Value::boolean(false));
        if (isinstance(r.value, cls("RuntimeError").get()) && is_kind(r.value, OKind::instance) && py_is(as<Instance>(r.value).exc->cause, exc))
            co_return Res::of(Value::boolean(false));
        co_return r;
    }
    case CtxKind::aclosing: {
        Args none;
        Res aw = call_method(c.target, "aclose", none, span);
        if (!aw.ok()) co_return aw;
        Res r = co_await await_value(aw.value, span);
        if (!r.ok()) co_return r;
        co_return Res::of(Value::boolean(false));
    }
    case CtxKind::async_exit_stack: {
        Res r = co_await exit_stack_unwind_co(obj, exc, span);
        co_return r;
    }
    default: co_return Res::of(Value::boolean(false));
    }
}

Flow<Res> Machine::exit_stack_unwind_co(Value obj, Value exc, Span span) {
    Value pending = exc;
    bool suppressed = false;
    bool raised_new = false;
    while (!ctx_of(obj).entries.empty()) {
        StackEntry e = std::move(ctx_of(obj).entries.back());
        ctx_of(obj).entries.pop_back();
        const bool is_callback = e.kind == StackEntry::Kind::callback || e.kind == StackEntry::Kind::async_callback;
        Args a;
        if (is_callback) a = e.args;
        else if (pending.is_none()) a.pos = {Value::none(), Value::none(), Value::none()};
        else a.pos = {Value::of(type_of(pending)), pending, Value::none()};
        Res r = call(e.fn, a, span);
        if (r.ok() && (e.kind == StackEntry::Kind::async_exit || e.kind == StackEntry::Kind::async_callback)) {
            Value aw = r.value;
            r = co_await await_value(aw, span);
        }
        if (r.ctl == Ctl::fatal) co_return r;
        if (r.ctl == Ctl::raise) {
            chain(*this, r.value, pending);
            pending = r.value;
            raised_new = true;
            continue;
        }
        if (!is_callback) {
            bool t = false;
            Res tr = truthy(r.value, t);
            if (!tr.ok()) co_return tr;
            if (t) {
                suppressed = true;
                raised_new = false;
                pending = Value::none();
            }
        }
    }
    if (raised_new) co_return Res::raised(pending);
    co_return Res::of(Value::boolean(!exc.is_none() && suppressed));
}

}  // namespace tasklab::py
