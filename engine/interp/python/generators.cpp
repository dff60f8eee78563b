// Generators, async generators and iterators of the Python interpreter: making them, resuming
// them (generators.hpp says how), `yield` and `yield from`, their methods (send, throw,
// close, asend, athrow, aclose), next()/iter()/anext()/aiter(), `for` loops that pull one item
// at a time, and finalization (a dropped suspended generator is closed; a dropped async
// generator is aclosed in a new task).
#include "engine/interp/python/generators.hpp"

#include <cstdio>

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// The body and the yield point
// =========================================================================================

std::coroutine_handle<> GenBody::promise_type::Final::await_suspend(std::coroutine_handle<promise_type> h) const noexcept {
    GeneratorObj* g = h.promise().gen;
    if (g->inline_flag) {
        *g->inline_flag = true;  // back to the resume() call of the resumer
        return std::noop_coroutine();
    }
    return g->consumer;
}

namespace {

/// `yield`: the generator stops here until it is resumed; the resumer's input is the result.
struct YieldPoint {
    GeneratorObj* g;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> h) const noexcept {
        g->resume_point = h;
        if (g->inline_flag) {
            *g->inline_flag = true;
            return std::noop_coroutine();
        }
        return g->consumer;  // the generator had parked: hand the value to the waiting consumer
    }
    void await_resume() const noexcept {}  // the input is read through the frame: the owner may have changed
};

/// Resumes an async generator from a coroutine: inline when it reaches its next yield without
/// parking, else the awaiting coroutine suspends until the generator transfers back.
struct GenResume {
    GeneratorObj* g;
    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> caller) {
        g->consumer = caller;
        bool done = false;
        g->inline_flag = &done;
        g->resume_point.resume();
        g->inline_flag = nullptr;
        return !done;
    }
    Res await_resume() const { return g->produced; }
};

GenBody run_body(Machine* m, const Block* body, EnvPtr env) {
    Res r = co_await m->exec_block_a(body, env);
    GeneratorObj* g = env->generator;  // its owner now (a dropped generator is handed to a new one)
    if (r.ctl == Ctl::normal) r = Res::make(Ctl::return_, Value::none());
    else if (r.ctl != Ctl::return_ && r.ctl != Ctl::raise) r = Res::make(Ctl::fatal);
    g->produced = std::move(r);
    g->state = GenState::finished;
    g->body_done = true;
}

GeneratorObj& gen_of(const Value& v) { return static_cast<GeneratorObj&>(*v.obj); }

std::string hex_address(std::uint64_t serial) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x7f3a%08llx", static_cast<unsigned long long>(0x1000 + serial * 0x70));
    return buf;
}

/// What iter() returns for a list, tuple, str, range, dict, set: the items taken when it was
/// made, handed out one at a time. Also enumerate/zip/map/filter over a generator or an
/// iterator: they pull from their sources one item at a time, as CPython's do.
struct SeqIter : NativeObj {
    enum class Mode : std::uint8_t { items, enumerate, zip, map, filter } mode = Mode::items;
    std::vector<Value> items;
    std::size_t next = 0;
    std::vector<Value> sources;  ///< the iterators an adapter pulls from
    Value fn;                    ///< map's function, filter's predicate
    std::int64_t count = 0;      ///< enumerate's next index
    std::uint64_t serial = 0;  ///< the made-up address of its repr
    SeqIter() : NativeObj(NKind::seq_iter) {}
};

}  // namespace

GeneratorObj::~GeneratorObj() {
    if (env && env->generator == this) env->generator = nullptr;
    // A generator dropped while suspended is closed (GeneratorExit at its yield): hand the body
    // to a new owner that the machine closes at the next statement (an async generator: in a
    // new task, as the loop's finalizer hook does).
    if (state != GenState::suspended || !machine || machine_life.expired() || machine->m_tearing_down || !body.handle()) return;
    auto heir = std::make_shared<GeneratorObj>();
    heir->machine = machine;
    heir->machine_life = machine_life;
    heir->cls = cls;
    heir->func = func;
    heir->env = env;
    heir->name = name;
    heir->qualname = qualname;
    heir->serial = serial;
    heir->is_async = is_async;
    heir->state = state;
    heir->body = std::move(body);
    heir->body.handle().promise().gen = heir.get();
    heir->resume_point = resume_point;
    if (heir->env) heir->env->generator = heir.get();
    machine->m_pending_close.push_back(std::move(heir));
}

void Machine::close_dropped_generators() {
    m_closing_generators = true;
    while (!m_pending_close.empty() && !m_fatal) {
        std::vector<std::shared_ptr<GeneratorObj>> batch;
        batch.swap(m_pending_close);
        for (auto& g : batch) {
            if (g->state != GenState::suspended) continue;
            if (g->is_async) {
                // asyncio's finalizer hook: loop.call_soon_threadsafe(loop.create_task, agen.aclose()).
                if (!m_model.loop_running()) continue;  // the loop is gone: nothing closes it (docs/semantics.md)
                const Value gv = Value::of(g);
                Args a;
                a.pos.push_back(make_native_coroutine(g->qualname + ".aclose", [this, gv]() {
                    return agen_method_co(gv, "aclose", Value::none(), {});
                }));
                spawn_callback(builtin("loop.create_task"), std::move(a), "create_task()");
                continue;
            }
            Res r = gen_resume(*g, Res::raised(new_exception(cls("GeneratorExit"), {})), {});
            (void)r;  // CPython reports an exception here as "Exception ignored in", on stderr
            if (g->state == GenState::suspended) g->state = GenState::finished;  // it yielded again: dropped anyway
        }
    }
    m_closing_generators = false;
}

// =========================================================================================
// Making and resuming
// =========================================================================================

bool Machine::is_generator(const Value& v) {
    return is_kind(v, OKind::native) && static_cast<const NativeObj&>(*v.obj).nkind == NKind::generator;
}

bool Machine::is_async_generator(const Value& v) { return is_generator(v) && gen_of(v).is_async; }

Res Machine::make_generator(const std::shared_ptr<Function>& f, const EnvPtr& frame) {
    auto g = std::make_shared<GeneratorObj>();
    g->machine = this;
    g->machine_life = m_life;
    g->is_async = f->is_async;
    g->cls = cls(g->is_async ? "async_generator" : "generator");
    g->func = Value::of(f);
    g->env = frame;
    g->name = f->name;
    g->qualname = f->qualname.empty() ? f->name : f->qualname;
    g->serial = ++m_generator_serial;
    frame->generator = g.get();
    g->body = run_body(this, &f->decl->body, frame);
    g->body.handle().promise().gen = g.get();
    g->resume_point = g->body.handle();
    return Res::of(Value::of(std::move(g)));
}

Res Machine::gen_resume(GeneratorObj& g, Res in, Span span) {
    if (m_depth + 1 >= 1000 || too_deep()) return raise_error("RecursionError", "maximum recursion depth exceeded");
    g.state = GenState::running;
    g.delivered = std::move(in);
    bool done = false;
    g.inline_flag = &done;
    g.consumer = std::noop_coroutine();
    ++m_depth;
    g.resume_point.resume();
    --m_depth;
    g.inline_flag = nullptr;
    at(span);
    if (!done) return fail(DiagnosticKind::misuse, span, "a generator cannot wait for the event loop here",
                           "tasklab resumes a plain generator without suspending; use an async generator");
    if (g.body_done && g.body.handle().promise().error) std::rethrow_exception(g.body.handle().promise().error);
    return g.produced;
}

Flow<Res> Machine::agen_resume(Value gv, Res in, Span span) {
    GeneratorObj& g = gen_of(gv);
    g.state = GenState::running;
    g.delivered = std::move(in);
    Res out = co_await GenResume{&g};
    at(span);
    if (g.body_done && g.body.handle().promise().error) std::rethrow_exception(g.body.handle().promise().error);
    co_return out;
}

namespace {
/// The exception `throw()`/`athrow()` throws in: an instance as given, a class instantiated.
Res thrown_exception(Machine& m, Args& args, Span span) {
    if (args.pos.empty()) return m.raise_error("TypeError", "throw expected at least 1 argument, got 0");
    const Value& t = args.pos[0];
    if (is_kind(t, OKind::instance) && as<Instance>(t).exc) return Res::of(t);
    if (is_kind(t, OKind::cls) && as<Class>(t).is_exception) {
        Args a;
        if (args.pos.size() > 1 && !args.pos[1].is_none()) a.pos.push_back(args.pos[1]);
        return m.construct(std::static_pointer_cast<Class>(t.obj), a, span);
    }
    return m.raise_error("TypeError", "exceptions must be classes or instances deriving from BaseException, not " + m.type_name(t));
}
}  // namespace

/// send()/next()/throw() of a sync generator: what the caller sees.
static Res gen_send(Machine& m, GeneratorObj& g, Res in, Span span) {
    if (g.state == GenState::running) return m.raise_error("ValueError", "generator already executing");
    if (g.state == GenState::finished) {
        if (in.ctl == Ctl::raise) return in;
        return Res::raised(m.new_exception(m.cls("StopIteration"), {}));
    }
    if (g.state == GenState::created) {
        if (in.ctl == Ctl::raise) {
            g.state = GenState::finished;
            return in;
        }
        if (!in.value.is_none()) return m.raise_error("TypeError", "can't send non-None value to a just-started generator");
    }
    Res out = m.gen_resume(g, std::move(in), span);
    if (out.ctl == Ctl::return_) {
        std::vector<Value> args;
        if (!out.value.is_none()) args.push_back(out.value);
        return Res::raised(m.new_exception(m.cls("StopIteration"), std::move(args)));
    }
    if (out.ctl == Ctl::raise && m.isinstance(out.value, m.cls("StopIteration").get())) {
        Value err = m.new_exception(m.cls("RuntimeError"), {make_str("generator raised StopIteration")});
        as<Instance>(err).exc->cause = out.value;
        as<Instance>(err).exc->suppress_context = true;
        return Res::raised(err);
    }
    return out;
}

Res Machine::generator_send(const Value& g, Res in, Span span) { return gen_send(*this, gen_of(g), std::move(in), span); }

static Res gen_close(Machine& m, GeneratorObj& g, Span span) {
    if (g.state == GenState::running) return m.raise_error("ValueError", "generator already executing");
    if (g.state != GenState::suspended) {
        g.state = GenState::finished;
        return Res::of();
    }
    Res out = m.gen_resume(g, Res::raised(m.new_exception(m.cls("GeneratorExit"), {})), span);
    if (out.ctl == Ctl::normal) return m.raise_error("RuntimeError", "generator ignored GeneratorExit");
    if (out.ctl == Ctl::return_) return Res::of();
    if (out.ctl == Ctl::raise &&
        (m.isinstance(out.value, m.cls("GeneratorExit").get()) || m.isinstance(out.value, m.cls("StopIteration").get())))
        return Res::of();
    return out;
}

Flow<Res> Machine::agen_method_co(Value gv, std::string method, Value arg, Span span) {
    GeneratorObj& g = gen_of(gv);
    const std::string who = method == "aclose" ? "aclose()" : method == "athrow" ? "athrow()" : "anext()";
    if (g.state == GenState::running) co_return raise_error("RuntimeError", who + ": asynchronous generator is already running");
    if (g.state == GenState::created && m_model.loop_running())
        m_loop_asyncgens.push_back(std::static_pointer_cast<GeneratorObj>(gv.obj));  // the loop's firstiter hook
    if (method == "aclose") {
        if (g.state != GenState::suspended) {
            g.state = GenState::finished;
            co_return Res::of();
        }
        Res out = co_await agen_resume(gv, Res::raised(new_exception(cls("GeneratorExit"), {})), span);
        if (out.ctl == Ctl::normal) co_return raise_error("RuntimeError", "async generator ignored GeneratorExit");
        if (out.ctl == Ctl::return_) co_return Res::of();
        if (out.ctl == Ctl::raise &&
            (isinstance(out.value, cls("GeneratorExit").get()) || isinstance(out.value, cls("StopAsyncIteration").get())))
            co_return Res::of();
        co_return out;
    }
    Res in = method == "athrow" ? Res::raised(arg) : Res::of(arg);
    if (g.state == GenState::finished) {
        if (in.ctl == Ctl::raise) co_return in;
        co_return Res::raised(new_exception(cls("StopAsyncIteration"), {}));
    }
    if (g.state == GenState::created) {
        if (in.ctl == Ctl::raise) {
            g.state = GenState::finished;
            co_return in;
        }
        if (!in.value.is_none()) co_return raise_error("TypeError", "can't send non-None value to a just-started async generator");
    }
    Res out = co_await agen_resume(gv, std::move(in), span);
    if (out.ctl == Ctl::normal) co_return out;
    if (out.ctl == Ctl::return_) co_return Res::raised(new_exception(cls("StopAsyncIteration"), {}));
    if (out.ctl == Ctl::raise) {
        for (const char* stop : {"StopAsyncIteration", "StopIteration"})
            if (isinstance(out.value, cls(stop).get())) {
                Value err = new_exception(cls("RuntimeError"), {make_str(std::string("async generator raised ") + stop)});
                as<Instance>(err).exc->cause = out.value;
                as<Instance>(err).exc->suppress_context = true;
                co_return Res::raised(err);
            }
    }
    co_return out;
}

bool Machine::has_open_asyncgens() const {
    for (const auto& w : m_loop_asyncgens)
        if (auto g = w.lock(); g && g->state == GenState::suspended) return true;
    return false;
}

Flow<Res> Machine::shutdown_asyncgens_co() {
    // loop.shutdown_asyncgens(): aclose() every async generator still suspended, together
    // (gather with return_exceptions=True).
    Args a;
    for (const auto& w : m_loop_asyncgens)
        if (auto g = w.lock(); g && g->state == GenState::suspended) {
            const Value gv = Value::of(g);
            a.pos.push_back(make_native_coroutine(g->qualname + ".aclose", [this, gv]() {
                return agen_method_co(gv, "aclose", Value::none(), {});
            }));
        }
    m_loop_asyncgens.clear();
    if (a.pos.empty()) co_return Res::of();
    a.kw.emplace_back("return_exceptions", Value::boolean(true));
    bool handled = false;
    Res fut = asyncio_call("asyncio.gather", Value::none(), a, {}, handled);
    if (!fut.ok()) co_return fut;
    Res r = co_await await_value(fut.value, {});
    if (r.ctl == Ctl::fatal) co_return r;
    co_return Res::of();
}

// =========================================================================================
// yield and yield from
// =========================================================================================

Flow<Res> Machine::eval_yield_a(const Yield* y, EnvPtr env) {
    GeneratorObj* g = env->generator;
    if (!g) co_return fail(DiagnosticKind::misuse, y->span, "`yield` outside a generator's frame");
    if (!y->from) {
        Res v = co_await ev(y->operand, env);
        if (!v.ok()) co_return v;
        g = env->generator;  // the generator may have been handed to a new owner meanwhile
        g->produced = Res::of(std::move(v.value));
        g->state = GenState::suspended;
        co_await YieldPoint{g};
        co_return std::move(env->generator->delivered);
    }
    // yield from: delegate to a generator (send, throw and close go through), or walk an iterable.
    Res it = co_await ev(y->operand, env);
    if (!it.ok()) co_return it;
    if (is_generator(it.value) && !gen_of(it.value).is_async) {
        GeneratorObj& sub = gen_of(it.value);
        Res in = Res::of();
        for (;;) {
            if (in.ctl == Ctl::raise && isinstance(in.value, cls("GeneratorExit").get())) {
                Res c = gen_close(*this, sub, y->span);
                if (!c.ok()) co_return c;
                co_return in;
            }
            Res out;
            if (sub.state == GenState::finished && in.ctl != Ctl::raise) out = Res::make(Ctl::return_, Value::none());
            else if (sub.state == GenState::running) co_return raise_error("ValueError", "generator already executing");
            else out = gen_resume(sub, std::move(in), y->span);
            if (out.ctl == Ctl::return_) co_return Res::of(std::move(out.value));
            if (out.ctl != Ctl::normal) co_return out;
            g = env->generator;
            g->produced = std::move(out);
            g->state = GenState::suspended;
            co_await YieldPoint{g};
            in = std::move(env->generator->delivered);
        }
    }
    std::vector<Value> items;
    if (is_kind(it.value, OKind::native) && as<NativeObj>(it.value).nkind == NKind::seq_iter) {
        auto& si = static_cast<SeqIter&>(*it.value.obj);
        items.assign(si.items.begin() + static_cast<std::ptrdiff_t>(si.next), si.items.end());
        si.next = si.items.size();
    } else {
        Res seq = iterate(it.value, items, y->span);
        if (!seq.ok()) co_return seq;
    }
    for (Value& x : items) {
        g = env->generator;
        g->produced = Res::of(std::move(x));
        g->state = GenState::suspended;
        co_await YieldPoint{g};
        Res in = std::move(env->generator->delivered);
        if (!in.ok()) co_return in;
    }
    co_return Res::of();
}

// =========================================================================================
// Iterators: next(), iter(), `for`
// =========================================================================================

bool Machine::is_lazy_iterator(const Value& v) const {
    if (!is_kind(v, OKind::native)) return false;
    const NKind k = static_cast<const NativeObj&>(*v.obj).nkind;
    return (k == NKind::generator && !static_cast<const GeneratorObj&>(*v.obj).is_async) || k == NKind::seq_iter;
}

Res Machine::next_item(const Value& it, bool& done, Span span) {
    done = false;
    if (is_generator(it) && !gen_of(it).is_async) {
        Res r = gen_send(*this, gen_of(it), Res::of(), span);
        if (r.ctl == Ctl::raise && isinstance(r.value, cls("StopIteration").get()) && gen_of(it).state == GenState::finished) {
            done = true;
            return Res::of();
        }
        return r;
    }
    if (is_kind(it, OKind::native) && as<NativeObj>(it).nkind == NKind::seq_iter && as<SeqIter>(it).mode != SeqIter::Mode::items) {
        auto& si = static_cast<SeqIter&>(*it.obj);
        const Value keep = it;  // a source's code may drop the last other reference
        switch (si.mode) {
        case SeqIter::Mode::enumerate: {
            Res x = next_item(si.sources[0], done, span);
            if (!x.ok() || done) return x;
            return Res::of(make_tuple({Value::integer(si.count++), std::move(x.value)}));
        }
        case SeqIter::Mode::zip: {
            std::vector<Value> t;
            for (const Value& src : si.sources) {
                Res x = next_item(src, done, span);
                if (!x.ok() || done) return x;
                t.push_back(std::move(x.value));
            }
            if (t.empty()) done = true;
            return Res::of(make_tuple(std::move(t)));
        }
        case SeqIter::Mode::map:
        case SeqIter::Mode::filter:
            for (;;) {
                Res x = next_item(si.sources[0], done, span);
                if (!x.ok() || done) return x;
                if (si.mode == SeqIter::Mode::filter && si.fn.is_none()) {
                    bool t = false;
                    Res tr = truthy(x.value, t);
                    if (!tr.ok()) return tr;
                    if (t) return x;
                    continue;
                }
                Args a;
                a.pos.push_back(x.value);
                Res r = call(si.fn, a, span);
                if (!r.ok() || si.mode == SeqIter::Mode::map) return r;
                bool t = false;
                Res tr = truthy(r.value, t);
                if (!tr.ok()) return tr;
                if (t) return x;
            }
        case SeqIter::Mode::items: break;
        }
    }
    if (is_kind(it, OKind::native) && as<NativeObj>(it).nkind == NKind::seq_iter) {
        auto& si = static_cast<SeqIter&>(*it.obj);
        if (si.next >= si.items.size()) {
            si.items.clear();
            si.next = 0;
            done = true;
            return Res::of();
        }
        return Res::of(si.items[si.next++]);
    }
    if (is_kind(it, OKind::instance)) {
        Args none;
        Res r = call_method(it, "__next__", none, span);
        if (r.ctl == Ctl::raise && isinstance(r.value, cls("StopIteration").get())) {
            done = true;
            return Res::of();
        }
        if (r.ctl == Ctl::raise && isinstance(r.value, cls("AttributeError").get()))
            return raise_error("TypeError", "'" + type_name(it) + "' object is not an iterator");
        return r;
    }
    return raise_error("TypeError", "'" + type_name(it) + "' object is not an iterator");
}

Res Machine::for_source(Value& v, bool& lazy, Span span) {
    lazy = is_lazy_iterator(v);
    if (lazy || !is_kind(v, OKind::instance)) return Res::of();
    const Value* iter_fn = as<Instance>(v).cls->lookup("__iter__");
    if (!iter_fn || !is_kind(*iter_fn, OKind::function)) return Res::of();
    Args none;
    Res it = call_function(std::static_pointer_cast<Function>(iter_fn->obj), none, &v, span);
    if (!it.ok()) return it;
    v = it.value;
    lazy = is_lazy_iterator(v) || (is_kind(v, OKind::instance) && as<Instance>(v).cls->lookup("__next__"));
    return Res::of();
}

Res Machine::exec_for_lazy(const ForIn* f, const EnvPtr& env, const Value& it) {
    for (;;) {
        bool done = false;
        Res x = next_item(it, done, f->iterable->span);
        if (!x.ok()) return x;
        if (done) break;
        Res b = assign_target(f->target, std::move(x.value), env);
        if (!b.ok()) return b;
        Res r = exec_block(f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) return r;
        if (stop) return Res::of();
        if (m_fatal || !count_statement(f)) return Res::make(Ctl::fatal);
    }
    return exec_block(f->else_body, env);
}

Flow<Res> Machine::exec_for_lazy_a(const ForIn* f, EnvPtr env, Value it) {
    for (;;) {
        bool done = false;
        Res x = next_item(it, done, f->iterable->span);
        if (!x.ok()) co_return x;
        if (done) break;
        Res b = assign_target(f->target, std::move(x.value), env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
        if (m_fatal || !count_statement(f)) co_return Res::make(Ctl::fatal);
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

Flow<Res> Machine::exec_async_for_agen(const ForIn* f, EnvPtr env, Value g) {
    for (;;) {
        Res item = co_await agen_method_co(g, "anext", Value::none(), f->iterable->span);
        if (item.ctl == Ctl::raise && isinstance(item.value, cls("StopAsyncIteration").get())) break;
        if (!item.ok()) co_return item;
        Res b = assign_target(f->target, item.value, env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

// =========================================================================================
// Methods, attributes, built-ins
// =========================================================================================

Res Machine::generator_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto& n = static_cast<const NativeObj&>(*obj.obj);
    if (n.nkind == NKind::seq_iter) {
        if (name == "__next__" || name == "__iter__") return Res::of(builtin("generator." + name, obj));
        if (name == "__repr__") return Res::of(make_str("<list_iterator object at " + hex_address(static_cast<const SeqIter&>(n).serial) + ">"));
        handled = false;
        return Res::of();
    }
    auto& g = gen_of(obj);
    if (name == "__repr__")
        return Res::of(make_str(std::string(g.is_async ? "<async_generator object " : "<generator object ") + g.qualname + " at " +
                                hex_address(g.serial) + ">"));
    if (name == "__name__") return Res::of(make_str(g.name));
    if (name == "__qualname__") return Res::of(make_str(g.qualname));
    if (!g.is_async) {
        if (name == "gi_running") return Res::of(Value::boolean(g.state == GenState::running));
        if (name == "gi_suspended") return Res::of(Value::boolean(g.state == GenState::suspended));
        for (const char* m : {"send", "throw", "close", "__next__", "__iter__"})
            if (name == m) return Res::of(builtin("generator." + name, obj));
    } else {
        if (name == "ag_running") return Res::of(Value::boolean(g.state == GenState::running));
        for (const char* m : {"asend", "athrow", "aclose", "__anext__", "__aiter__"})
            if (name == m) return Res::of(builtin("generator." + name, obj));
    }
    (void)span;
    handled = false;
    return Res::of();
}

Res Machine::generator_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (name == "next") {
        if (args.pos.empty() || args.pos.size() > 2) return raise_error("TypeError", "next expected at least 1 argument, got " + std::to_string(args.pos.size()));
        const Value it = args.pos[0];
        if (!is_lazy_iterator(it) && !is_kind(it, OKind::instance))
            return raise_error("TypeError", "'" + type_name(it) + "' object is not an iterator");
        if (is_generator(it)) {
            Res r = gen_send(*this, gen_of(it), Res::of(), span);
            if (args.pos.size() == 2 && r.ctl == Ctl::raise && isinstance(r.value, cls("StopIteration").get())) return Res::of(args.pos[1]);
            return r;
        }
        bool done = false;
        Res r = next_item(it, done, span);
        if (!r.ok()) return r;
        if (done) {
            if (args.pos.size() == 2) return Res::of(args.pos[1]);
            return Res::raised(new_exception(cls("StopIteration"), {}));
        }
        return r;
    }
    if (name == "enumerate" || name == "zip" || name == "map" || name == "filter") {
        // Reached only when an argument is a generator or an iterator (builtins.cpp
        // keeps the list-returning forms for the rest).
        auto si = std::make_shared<SeqIter>();
        si->cls = cls("list_iterator");
        si->serial = ++m_generator_serial;
        std::size_t first = 0;
        if (name == "enumerate") {
            si->mode = SeqIter::Mode::enumerate;
            if (args.pos.empty()) return raise_error("TypeError", "enumerate() missing required argument 'iterable' (pos 1)");
            if (args.pos.size() > 1) si->count = args.pos[1].kind == VKind::integer ? args.pos[1].i : 0;
            if (const Value* s = args.kwarg("start"); s && s->kind == VKind::integer) si->count = s->i;
            args.pos.resize(1);
        } else if (name == "zip") {
            si->mode = SeqIter::Mode::zip;
        } else {
            if (args.pos.size() != 2) return raise_error("TypeError", name + "() must have at least two arguments.");
            si->mode = name == "map" ? SeqIter::Mode::map : SeqIter::Mode::filter;
            si->fn = args.pos[0];
            first = 1;
        }
        for (std::size_t k = first; k < args.pos.size(); ++k) {
            Args one;
            one.pos.push_back(args.pos[k]);
            Res it = generator_call("iter", Value::none(), one, span, handled);
            if (!it.ok()) return it;
            si->sources.push_back(it.value);
        }
        return Res::of(Value::of(std::move(si)));
    }
    if (name == "iter") {
        if (args.pos.size() != 1) return raise_error("TypeError", "iter expected 1 argument, got " + std::to_string(args.pos.size()));
        const Value& v = args.pos[0];
        if (is_lazy_iterator(v)) return Res::of(v);
        if (is_kind(v, OKind::instance)) {
            Args none;
            Res r = call_method(v, "__iter__", none, span);
            if (r.ctl == Ctl::raise && isinstance(r.value, cls("AttributeError").get()))
                return raise_error("TypeError", "'" + type_name(v) + "' object is not iterable");
            return r;
        }
        auto si = std::make_shared<SeqIter>();
        si->cls = cls("list_iterator");
        si->serial = ++m_generator_serial;
        Res seq = iterate(v, si->items, span);
        if (!seq.ok()) return seq;
        return Res::of(Value::of(std::move(si)));
    }
    if (name == "anext" || name == "aiter") {
        if (args.pos.empty() || args.pos.size() > (name == "anext" ? 2u : 1u))
            return raise_error("TypeError", name + " expected 1 argument, got " + std::to_string(args.pos.size()));
        const Value g = args.pos[0];
        if (!is_async_generator(g)) {
            Args none;
            return call_method(g, name == "anext" ? "__anext__" : "__aiter__", none, span);
        }
        if (name == "aiter") return Res::of(g);
        if (args.pos.size() == 1) return generator_call("generator.__anext__", g, args, span, handled);
        const Value dflt = args.pos[1];
        return Res::of(make_native_coroutine("anext", [this, g, dflt, span]() -> Flow<Res> {
            return [](Machine* m, Value g2, Value d, Span s) -> Flow<Res> {
                Res r = co_await m->agen_method_co(g2, "anext", Value::none(), s);
                if (r.ctl == Ctl::raise && m->isinstance(r.value, m->cls("StopAsyncIteration").get())) co_return Res::of(d);
                co_return r;
            }(this, g, dflt, span);
        }));
    }
    const std::string method = name.substr(name.find('.') + 1);
    if (is_kind(self, OKind::native) && as<NativeObj>(self).nkind == NKind::seq_iter) {
        if (method == "__iter__") return Res::of(self);
        bool done = false;
        Res r = next_item(self, done, span);
        if (!r.ok()) return r;
        if (done) return Res::raised(new_exception(cls("StopIteration"), {}));
        return r;
    }
    if (!is_generator(self)) {
        handled = false;
        return Res::of();
    }
    GeneratorObj& g = gen_of(self);
    if (method == "__iter__" || method == "__aiter__") return Res::of(self);
    if (method == "__next__") return gen_send(*this, g, Res::of(), span);
    if (method == "send") {
        if (args.pos.size() != 1) return raise_error("TypeError", "generator.send() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
        return gen_send(*this, g, Res::of(args.pos[0]), span);
    }
    if (method == "throw") {
        Res e = thrown_exception(*this, args, span);
        if (!e.ok()) return e;
        return gen_send(*this, g, Res::raised(e.value), span);
    }
    if (method == "close") return gen_close(*this, g, span);
    // The async generator's methods return awaitables.
    Value arg = Value::none();
    if (method == "asend") {
        if (args.pos.size() != 1) return raise_error("TypeError", "asend() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
        arg = args.pos[0];
    } else if (method == "athrow") {
        Res e = thrown_exception(*this, args, span);
        if (!e.ok()) return e;
        arg = e.value;
    } else if (method != "__anext__" && method != "aclose") {
        handled = false;
        return Res::of();
    }
    const std::string verb = method == "__anext__" || method == "asend" ? "anext" : method;
    const Value gv = self;
    return Res::of(make_native_coroutine(g.qualname + "." + method, [this, gv, verb, arg, span]() {
        return agen_method_co(gv, verb, arg, span);
    }));
}

}  // namespace tasklab::py
