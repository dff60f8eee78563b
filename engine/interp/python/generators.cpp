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

}  // namespace

std::string hex_address(std::uint64_t serial) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x7f3a%08llx", static_cast<unsigned long long>(0x1000 + serial * 0x70));
    return buf;
}

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

/// send()/next()/throw() of a sync generator: what the caller sees.
Res gen_send(Machine& m, GeneratorObj& g, Res in, Span span) {
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

Res gen_close(Machine& m, GeneratorObj& g, Span span) {
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

}  // namespace tasklab::py
