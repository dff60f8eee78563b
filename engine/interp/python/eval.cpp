// The Python evaluator: names, statements and expressions, on the synchronous path and on
// the coroutine path (see machine.hpp). Calls live in calls.cpp, objects in
// objects.cpp, built-ins in builtins.cpp and asyncio.cpp.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

std::string clip(std::string s, std::size_t n = 120) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

}  // namespace

// =========================================================================================
// Helpers
// =========================================================================================

EnvPtr Machine::new_env() {
    auto env = std::make_shared<Env>();
    if (m_envs.size() >= m_envs_compact_at) {
        std::vector<std::weak_ptr<Env>> live;
        for (auto& w : m_envs)
            if (!w.expired()) live.push_back(std::move(w));
        m_envs.swap(live);
        m_envs_compact_at = m_envs.size() * 2 + 1024;
    }
    m_envs.push_back(env);
    return env;
}

void Machine::at(Span s) {
    m_sched.set_span(s);
    const TaskId t = m_sched.current();
    if (t >= m_task_span.size()) m_task_span.resize(t + 1);
    m_task_span[t] = s;
}

Res Machine::fail(DiagnosticKind kind, Span span, std::string message, std::string help) {
    if (!m_fatal) {
        Diagnostic d;
        d.kind = kind;
        d.span = span;
        d.message = std::move(message);
        if (!help.empty()) d.help.push_back(std::move(help));
        m_fatal = std::move(d);
    }
    return Res::make(Ctl::fatal);
}

void Machine::print_text(const std::string& text) { m_output.print(m_sched, text); }

void Machine::flush_output() { m_output.flush(m_sched); }

std::string Machine::line_of(Span s) const {
    if (!m_program.file) return "?";
    return std::to_string(m_program.file->locate(s.begin).line);
}

std::string Machine::source_text(Span s) const {
    if (!m_program.file || s.end <= s.begin) return {};
    const std::string_view text = m_program.file->text();
    if (s.end > text.size()) return {};
    return std::string(text.substr(s.begin, s.end - s.begin));
}

std::size_t Machine::container_size(const Value& v) const {
    if (is_kind(v, OKind::dict)) return as<Dict>(v).entries.size();
    if (is_kind(v, OKind::set)) return as<Set>(v).items.size();
    return 0;
}

Res Machine::check_size_unchanged(const Value& v, std::size_t size0) {
    // CPython's dict and set iterators check the size at every step.
    if (is_kind(v, OKind::dict) && as<Dict>(v).entries.size() != size0)
        return raise_error("RuntimeError", "dictionary changed size during iteration");
    if (is_kind(v, OKind::set) && as<Set>(v).items.size() != size0) return raise_error("RuntimeError", "Set changed size during iteration");
    return Res::of();
}

bool Machine::count_work(std::uint64_t units, Span span, const char* what) {
    if (m_sched.stop_requested()) {  // RunOptions::stop: the controller ends the run as stopped
        fail(DiagnosticKind::step_limit, span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    m_budget_used += units;
    if (m_budget_used <= m_statement_budget) return check_memory(span);
    fail(DiagnosticKind::step_limit, span,
         std::string(what) + ": a task ran " + std::to_string(m_statement_budget) +
             " statements and elements of built-in work without suspending",
         "is this an endless loop? the event loop cannot run anything else until the task awaits");
    return false;
}

bool Machine::check_memory(Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->over()) return true;
    fail(DiagnosticKind::memory_limit, span, meter->over_message(), memory_help(*meter, "#"));
    return false;
}

bool Machine::reserve_memory(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes, Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->would_pass(bytes)) return true;
    fail(DiagnosticKind::memory_limit, span, meter->refusal_message(kind, elements, bytes), memory_help(*meter, "#"));
    return false;
}

bool Machine::count_statement(const Stmt* s) {
    if (m_sched.stop_requested()) {
        fail(DiagnosticKind::step_limit, s->span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();
    if (++m_budget_used <= m_statement_budget) return check_memory(s->span);
    fail(DiagnosticKind::step_limit, s->span,
         "a task ran " + std::to_string(m_statement_budget) + " statements without suspending",
         "is this an endless loop? the event loop cannot run anything else until the task awaits");
    return false;
}

std::vector<Value>& Machine::handling() {
    const TaskId t = m_sched.current();
    if (t >= m_handling.size()) m_handling.resize(t + 1);
    return m_handling[t];
}

// =========================================================================================
// Names
// =========================================================================================

Res Machine::load_name(const std::string& name, const EnvPtr& env, Span span) {
    bool to_globals = false;
    for (Env* e = env.get(); e && !e->is_module; e = e->parent.get()) {
        if (Value* v = e->vars.find(name)) return Res::of(*v);
        if (e->names) {
            if (e->names->globals.count(name)) {
                to_globals = true;
                break;
            }
            if (e == env.get() && e->names->locals.count(name))
                return raise_error("UnboundLocalError", "cannot access local variable '" + name + "' where it is not associated with a value");
        }
    }
    (void)to_globals;
    if (Value* v = m_globals->vars.find(name)) return Res::of(*v);
    if (Value* v = m_builtins.find(name)) return Res::of(*v);
    (void)span;
    return raise_error("NameError", "name '" + name + "' is not defined");
}

void Machine::store_name(const std::string& name, Value v, const EnvPtr& env) {
    Env* e = env.get();
    if (e->names) {
        if (e->names->globals.count(name)) {
            m_globals->vars.set(name, std::move(v));
            return;
        }
        if (e->names->nonlocals.count(name)) {
            for (Env* p = e->parent.get(); p && !p->is_module; p = p->parent.get()) {
                if (p->vars.find(name) || (p->names && p->names->locals.count(name))) {
                    p->vars.set(name, std::move(v));
                    return;
                }
            }
        }
    }
    e->vars.set(name, std::move(v));
}

Res Machine::delete_name(const std::string& name, const EnvPtr& env, Span span) {
    if (!env->vars.erase(name)) return raise_error("NameError", "name '" + name + "' is not defined");
    (void)span;
    return Res::of();
}

Res Machine::assign_target(const Expr* target, Value v, const EnvPtr& env) {
    switch (target->kind) {
    case ExprKind::name: store_name(static_cast<const Name*>(target)->name, std::move(v), env); return Res::of();
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(target);
        Res base = eval(m->base, env);
        if (!base.ok()) return base;
        return set_attr(base.value, m->name, std::move(v), m->name_span);
    }
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(target);
        Res base = eval(s->base, env);
        if (!base.ok()) return base;
        if (s->index.empty()) return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
        Res idx = eval(s->index[0].value, env);
        if (!idx.ok()) return idx;
        if (is_kind(base.value, OKind::list)) {
            auto& xs = as<List>(base.value).items;
            if (idx.value.kind != VKind::integer && idx.value.kind != VKind::boolean)
                return raise_error("TypeError", "list indices must be integers or slices, not " + type_name(idx.value));
            std::int64_t k = idx.value.kind == VKind::boolean ? idx.value.b : idx.value.i;
            if (k < 0) k += static_cast<std::int64_t>(xs.size());
            if (k < 0 || k >= static_cast<std::int64_t>(xs.size())) return raise_error("IndexError", "list assignment index out of range");
            xs[static_cast<std::size_t>(k)] = std::move(v);
            return Res::of();
        }
        if (is_kind(base.value, OKind::dict)) {
            dict_set(as<Dict>(base.value), idx.value, std::move(v));
            as<Dict>(base.value).recharge();
            return Res::of();
        }
        if (is_kind(base.value, OKind::instance)) {
            Args a;
            a.pos = {idx.value, std::move(v)};
            return call_method(base.value, "__setitem__", a, s->span);
        }
        return raise_error("TypeError", "'" + type_name(base.value) + "' object does not support item assignment");
    }
    case ExprKind::tuple:
    case ExprKind::array: {
        const auto& targets = target->kind == ExprKind::tuple ? static_cast<const TupleExpr*>(target)->elements
                                                             : static_cast<const ArrayLiteral*>(target)->elements;
        std::vector<Value> xs;
        Res it = iterate(v, xs, target->span);
        if (!it.ok()) return it;
        if (std::any_of(targets.begin(), targets.end(), [](const Expr* t) { return t->kind == ExprKind::starred; }))
            return assign_starred(targets, std::move(xs), env);
        if (xs.size() > targets.size())
            return raise_error("ValueError", "too many values to unpack (expected " + std::to_string(targets.size()) + ")");
        if (xs.size() < targets.size())
            return raise_error("ValueError", "not enough values to unpack (expected " + std::to_string(targets.size()) + ", got " +
                                                 std::to_string(xs.size()) + ")");
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = assign_target(targets[k], xs[k], env);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    default: return fail(DiagnosticKind::type_mismatch, target->span, "cannot assign to this expression");
    }
}

// =========================================================================================
// Iteration
// =========================================================================================

Res Machine::iterate(const Value& iterable, std::vector<Value>& out, Span span) {
    if (iterable.kind == VKind::object) {
        switch (iterable.obj->okind) {
        case OKind::list: out = as<List>(iterable).items; return Res::of();
        case OKind::tuple: out = as<Tuple>(iterable).items; return Res::of();
        case OKind::set: out = as<Set>(iterable).items; return Res::of();
        case OKind::dict:
            for (const auto& [k, v] : as<Dict>(iterable).entries) out.push_back(k);
            return Res::of();
        case OKind::range: {
            const auto& r = as<Range>(iterable);
            const std::int64_t n = r.size();
            if (n > 50'000'000) return fail(DiagnosticKind::misuse, span, "this range is too large for tasklab");
            if (!count_work(static_cast<std::uint64_t>(n), span, "this range is too long to walk in one step") ||
                !reserve_memory(MemoryKind::list, static_cast<std::uint64_t>(n), static_cast<std::uint64_t>(n) * sizeof(Value), span))
                return Res::make(Ctl::fatal);
            out.reserve(static_cast<std::size_t>(n));
            for (std::int64_t k = 0; k < n; ++k) out.push_back(Value::integer(r.start + k * r.step));
            return Res::of();
        }
        case OKind::bytes:
            for (const unsigned char c : as<Bytes>(iterable).b) out.push_back(Value::integer(c));
            return Res::of();
        case OKind::str: {
            const std::string& s = as<Str>(iterable).s;
            for (std::size_t k = 0; k < s.size();) {
                std::size_t len = 1;
                const auto c = static_cast<unsigned char>(s[k]);
                if (c >= 0xF0) len = 4;
                else if (c >= 0xE0) len = 3;
                else if (c >= 0xC0) len = 2;
                out.push_back(make_str(s.substr(k, len)));
                k += len;
            }
            return Res::of();
        }
        case OKind::instance: {
            if (const Value* f = as<Instance>(iterable).cls->lookup("__iter__"); f && is_kind(*f, OKind::function)) {
                Args a;
                Res it = call_function(std::static_pointer_cast<Function>(f->obj), a, &iterable, span);
                if (!it.ok()) return it;
                if (py_is(it.value, iterable)) {
                    // An iterator object: call __next__ until StopIteration.
                    for (std::size_t guard = 0; guard < 10'000'000; ++guard) {
                        Args b;
                        Res n = call_method(iterable, "__next__", b, span);
                        if (n.ctl == Ctl::raise && isinstance(n.value, cls("StopIteration").get())) return Res::of();
                        if (!n.ok()) return n;
                        out.push_back(n.value);
                    }
                    return fail(DiagnosticKind::misuse, span, "this iterator never ends");
                }
                return iterate(it.value, out, span);
            }
            break;
        }
        case OKind::native: {
            if (is_lazy_iterator(iterable)) {
                for (;;) {
                    bool done = false;
                    Res x = next_item(iterable, done, span);
                    if (!x.ok()) return x;
                    if (done) return Res::of();
                    if (!count_work(1, span, "this generator gave too many items to collect in one step")) return Res::make(Ctl::fatal);
                    out.push_back(std::move(x.value));
                }
            }
            bool handled = false;
            Res r = native_attr(iterable, "__iter__", span, handled);
            if (handled) {
                if (!r.ok()) return r;
                return iterate(r.value, out, span);
            }
            break;
        }
        default: break;
        }
    }
    return raise_error("TypeError", "'" + type_name(iterable) + "' object is not iterable");
}

/// After one turn of a loop body: false to leave the loop with `r` (return, raise, fatal).
bool Machine::loop_body_result(Res& r, bool& stop) {
    stop = false;
    if (r.ctl == Ctl::break_) {
        stop = true;
        r = Res::of();
        return true;
    }
    if (r.ctl == Ctl::continue_) {
        r = Res::of();
        return true;
    }
    return r.ok();
}

// =========================================================================================
// Statements: the synchronous path
// =========================================================================================

Res Machine::exec_block(const Block& block, const EnvPtr& env) {
    for (const Stmt* s : block) {
        Res r = exec(s, env);
        if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();  // generators the statement dropped
        notes::statement_ended(m_sched, s);
        if (!r.ok()) return r;
    }
    return Res::of();
}

Res Machine::exec(const Stmt* s, const EnvPtr& env) {
    if (m_fatal || !count_statement(s)) return Res::make(Ctl::fatal);
    at(s->span);
    notes::statement_started(m_sched, m_program, s);
    if (s->may_suspend)
        return fail(DiagnosticKind::misuse, s->span, "asyncio.run() can only be called from the top level of the scenario here",
                    "tasklab runs asyncio.run() in module code, not inside a function");
    switch (s->kind) {
    case StmtKind::expr: {
        Res r = eval(static_cast<const ExprStmt*>(s)->expr, env);
        if (!r.ok()) return r;
        return Res::of();
    }
    case StmtKind::var_decl: {
        const auto* d = static_cast<const VarDecl*>(s);
        if (!d->init) return Res::of();
        Res v = eval(d->init, env);
        if (!v.ok()) return v;
        return assign_target(d->target, v.value, env);
    }
    case StmtKind::assign: {
        const auto* a = static_cast<const Assign*>(s);
        if (!a->value) return Res::of();  // `x: int` declares nothing at run time
        return exec_assign_value(a, eval(a->value, env), env);
    }
    case StmtKind::if_: {
        const auto* i = static_cast<const If*>(s);
        bool pass = true;
        for (const auto& c : i->conditions) {
            Res v = eval(c.expr, env);
            if (!v.ok()) return v;
            Res t = truthy(v.value, pass);
            if (!t.ok()) return t;
            if (!pass) break;
        }
        return exec_block(pass ? i->then_body : i->else_body, env);
    }
    case StmtKind::while_: {
        const auto* w = static_cast<const While*>(s);
        for (;;) {
            at(w->cond->span);
            Res c = eval(w->cond, env);
            if (!c.ok()) return c;
            bool go = false;
            Res t = truthy(c.value, go);
            if (!t.ok()) return t;
            if (!go) return exec_block(w->else_body, env);
            Res r = exec_block(w->body, env);
            bool stop = false;
            if (!loop_body_result(r, stop)) return r;
            if (stop) return Res::of();
            if (m_fatal || !count_statement(s)) return Res::make(Ctl::fatal);
        }
    }
    case StmtKind::for_in: {
        const auto* f = static_cast<const ForIn*>(s);
        Res it = eval(f->iterable, env);
        if (!it.ok()) return it;
        bool lazy = false;
        if (Res src = for_source(it.value, lazy, f->iterable->span); !src.ok()) return src;
        if (lazy) return exec_for_lazy(f, env, it.value);
        std::vector<Value> xs;
        Res seq = iterate(it.value, xs, f->iterable->span);
        if (!seq.ok()) return seq;
        const std::size_t size0 = container_size(it.value);
        for (auto& x : xs) {
            Res b = assign_target(f->target, std::move(x), env);
            if (!b.ok()) return b;
            Res r = exec_block(f->body, env);
            bool stop = false;
            if (!loop_body_result(r, stop)) return r;
            if (stop) return Res::of();
            if (Res c = check_size_unchanged(it.value, size0); !c.ok()) return c;
        }
        return exec_block(f->else_body, env);
    }
    case StmtKind::break_: return Res::make(Ctl::break_);
    case StmtKind::continue_: return Res::make(Ctl::continue_);
    case StmtKind::return_: {
        const auto* r = static_cast<const Return*>(s);
        if (!r->value) return Res::make(Ctl::return_, Value::none());
        Res v = eval(r->value, env);
        if (!v.ok()) return v;
        return Res::make(Ctl::return_, std::move(v.value));
    }
    case StmtKind::throw_: {
        const auto* t = static_cast<const Throw*>(s);
        Res v = t->value ? eval(t->value, env) : Res::of();
        if (!v.ok()) return v;
        Res c = t->cause ? eval(t->cause, env) : Res::of();
        if (!c.ok()) return c;
        return do_raise(t, std::move(v), std::move(c));
    }
    case StmtKind::try_: {
        // The synchronous path shares the coroutine path's rules: it runs it to completion
        // (a try statement with nothing to await never parks).
        const auto* t = static_cast<const TryStmt*>(s);
        Flow<Res> f = exec_try_a(t, env);
        struct Runner {
            static Co<void> run(Flow<Res>& flow, Res& out) {
                out = co_await std::move(flow);
            }
        };
        Res out = Res::make(Ctl::fatal);
        Co<void> co = Runner::run(f, out);
        co.handle().resume();
        if (!co.done()) return fail(DiagnosticKind::misuse, s->span, "internal: a synchronous try statement parked");
        return out;
    }
    case StmtKind::func_decl: return exec_def(static_cast<const FuncDecl*>(s), env);
    case StmtKind::type_decl: return exec_class(static_cast<const TypeDecl*>(s), env);
    case StmtKind::import: return exec_import(static_cast<const Import*>(s), env);
    case StmtKind::with: return exec_with(static_cast<const With*>(s), env, 0);
    case StmtKind::block: return exec_block(static_cast<const BlockStmt*>(s)->body, env);
    case StmtKind::pass:
    case StmtKind::global: return Res::of();
    case StmtKind::guard:
    case StmtKind::switch_:
    case StmtKind::fallthrough:
    case StmtKind::defer: return fail(DiagnosticKind::misuse, s->span, "this Swift statement cannot run in a Python scenario");
    }
    return Res::of();
}

Res Machine::exec_assign_value(const Assign* a, Res rhs, const EnvPtr& env) {
    if (!rhs.ok()) return rhs;
    if (a->op == AssignOp::set) return a->more_targets.empty() ? assign_target(a->target, std::move(rhs.value), env) : assign_all(a, std::move(rhs.value), env);
    Res cur = eval(a->target, env);
    if (!cur.ok()) return cur;
    if (a->op == AssignOp::add && is_kind(cur.value, OKind::list)) {
        // list += iterable extends in place (list.__iadd__).
        std::vector<Value> more;
        Res it = iterate(rhs.value, more, a->span);
        if (!it.ok()) return it;
        auto& xs = as<List>(cur.value).items;
        const std::uint64_t n = xs.size() + more.size();
        if (!reserve_memory(MemoryKind::list, n, n * sizeof(Value), a->span)) return Res::make(Ctl::fatal);
        xs.insert(xs.end(), more.begin(), more.end());
        recharge(cur.value);
        return Res::of();
    }
    BinaryOp op = BinaryOp::add;
    switch (a->op) {
    case AssignOp::add: op = BinaryOp::add; break;
    case AssignOp::sub: op = BinaryOp::sub; break;
    case AssignOp::mul: op = BinaryOp::mul; break;
    case AssignOp::div: op = BinaryOp::div; break;
    case AssignOp::mod: op = BinaryOp::mod; break;
    case AssignOp::set: break;
    default: break;  // Swift's `&=`, `<<=`, `&+=`…: the Python parser does not make them
    }
    Res nv = arith(op, cur.value, rhs.value, a->span);
    if (!nv.ok()) return nv;
    return assign_target(a->target, std::move(nv.value), env);
}

Res Machine::do_raise(const Throw* s, Res value, Res cause) {
    Value exc;
    if (!s->value) {
        auto& h = handling();
        if (h.empty()) return raise_error("RuntimeError", "No active exception to reraise");
        exc = h.back();
        at(s->span);
        m_sched.emit(EventKind::threw, m_sched.current(), 0, m_sched.trace().add_string(clip(repr_of(exc))));
        return Res::raised(exc);
    }
    exc = value.value;
    if (is_kind(exc, OKind::cls) && as<Class>(exc).is_exception) {
        Args none;
        Res made = call(exc, none, s->span);
        if (!made.ok()) return made;
        exc = made.value;
    }
    if (!is_kind(exc, OKind::instance) || !as<Instance>(exc).exc)
        return raise_error("TypeError", "exceptions must derive from BaseException");
    auto& d = *as<Instance>(exc).exc;
    auto& h = handling();
    if (!h.empty() && !py_is(h.back(), exc)) d.context = h.back();
    if (s->cause) {
        Value c = cause.value;
        if (is_kind(c, OKind::cls) && as<Class>(c).is_exception) {
            Args none;
            Res made = call(c, none, s->span);
            if (!made.ok()) return made;
            c = made.value;
        }
        if (!c.is_none() && !(is_kind(c, OKind::instance) && as<Instance>(c).exc))
            return raise_error("TypeError", "exception causes must derive from BaseException");
        d.cause = c;
        d.suppress_context = true;
    }
    at(s->span);
    m_sched.emit(EventKind::threw, m_sched.current(), 0, m_sched.trace().add_string(clip(repr_of(exc))));
    return Res::raised(exc);
}

Res Machine::match_handler(const Handler& h, const Value& exc, const EnvPtr& env, bool& matched) {
    matched = false;
    if (!h.type) {
        matched = true;
        return Res::of();
    }
    Res t = eval(h.type, env);
    if (!t.ok()) return t;
    auto check_class = [&](const Value& c) -> bool {
        return is_kind(c, OKind::cls) && as<Class>(c).is_exception;
    };
    if (is_kind(t.value, OKind::tuple)) {
        for (const Value& c : as<Tuple>(t.value).items)
            if (!check_class(c)) return raise_error("TypeError", "catching classes that do not inherit from BaseException is not allowed");
    } else if (!check_class(t.value)) {
        return raise_error("TypeError", "catching classes that do not inherit from BaseException is not allowed");
    }
    bool out = false;
    Res r = isinstance_check(exc, t.value, out, h.span);
    if (!r.ok()) return r;
    matched = out;
    return Res::of();
}

Res Machine::exec_def(const FuncDecl* f, const EnvPtr& env) {
    Res fn = make_function(f, nullptr, env);
    if (!fn.ok()) return fn;
    Value v = fn.value;
    for (auto it = f->decorators.rbegin(); it != f->decorators.rend(); ++it) {
        Res d = eval(*it, env);
        if (!d.ok()) return d;
        if (is_kind(d.value, OKind::builtin)) {
            const std::string& n = as<Builtin>(d.value).name;
            if (n == "staticmethod" || n == "classmethod" || n == "property") {
                if (is_kind(v, OKind::function)) {
                    auto& fo = as<Function>(v);
                    fo.is_static = n == "staticmethod";
                    fo.is_classmethod = n == "classmethod";
                    fo.is_property = n == "property";
                }
                continue;
            }
        }
        Args a;
        a.pos.push_back(v);
        Res r = call(d.value, a, (*it)->span);
        if (!r.ok()) return r;
        v = r.value;
    }
    store_name(f->name, std::move(v), env);
    return Res::of();
}

Res Machine::make_function(const FuncDecl* f, const Closure* lambda, const EnvPtr& env) {
    auto fo = std::make_shared<Function>();
    fo->decl = f;
    fo->lambda = lambda;
    // A function defined in a class body sees the scope around the class, not the class.
    fo->env = env->is_class_body ? env->parent : env;
    const auto& params = f ? f->params : lambda->params;
    for (const auto& p : params) {
        if (p.default_value) {
            Res d = eval(p.default_value, env);
            if (!d.ok()) return d;
            fo->defaults.push_back(d.value);
            fo->has_default.push_back(true);
        } else {
            fo->defaults.push_back(Value::none());
            fo->has_default.push_back(false);
        }
    }
    fo->name = f ? f->name : "<lambda>";
    fo->qualname = fo->name;
    fo->is_async = f && f->is_async;
    return Res::of(Value::of(std::move(fo)));
}

Res Machine::exec_class(const TypeDecl* t, const EnvPtr& env) {
    auto c = std::make_shared<Class>();
    c->name = t->name;
    c->module = "__main__";
    for (const Expr* b : t->bases) {
        Res bv = eval(b, env);
        if (!bv.ok()) return bv;
        if (!is_kind(bv.value, OKind::cls)) return raise_error("TypeError", "bases must be types");
        auto base = std::static_pointer_cast<Class>(bv.value.obj);
        if (base->builtin != BuiltinType::none_ && base->builtin != BuiltinType::object && base->builtin != BuiltinType::exception)
            return fail(DiagnosticKind::unknown_member, b->span, "tasklab does not support subclassing the built-in type `" + base->name + "`");
        c->bases.push_back(std::move(base));
    }
    if (c->bases.empty()) c->bases.push_back(cls("object"));
    // MRO: C3 over the bases (objects.cpp builds built-in classes the same way).
    {
        std::vector<std::vector<Class*>> seqs;
        for (const auto& b : c->bases) seqs.push_back(b->mro);
        std::vector<Class*> direct;
        for (const auto& b : c->bases) direct.push_back(b.get());
        seqs.push_back(direct);
        c->mro = {c.get()};
        for (;;) {
            seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [](const auto& s) { return s.empty(); }), seqs.end());
            if (seqs.empty()) break;
            Class* pick = nullptr;
            for (const auto& s : seqs) {
                bool in_tail = false;
                for (const auto& o : seqs)
                    if (std::find(o.begin() + 1, o.end(), s.front()) != o.end()) in_tail = true;
                if (!in_tail) {
                    pick = s.front();
                    break;
                }
            }
            if (!pick) return raise_error("TypeError", "Cannot create a consistent method resolution order (MRO)");
            c->mro.push_back(pick);
            for (auto& s : seqs)
                if (!s.empty() && s.front() == pick) s.erase(s.begin());
        }
    }
    for (const Class* m : c->mro)
        if (m->is_exception) c->is_exception = true;
    auto body_env = new_env();
    body_env->parent = env;
    body_env->is_class_body = true;
    body_env->vars.set("__module__", make_str("__main__"));
    body_env->vars.set("__qualname__", make_str(t->name));
    Res r = exec_block(t->members, body_env);
    if (!r.ok()) return r;
    for (auto& [k, v] : body_env->vars.items) {
        if (k == "__qualname__") continue;
        if (is_kind(v, OKind::function)) {
            auto& f = as<Function>(v);
            if (f.owner.expired()) {
                f.owner = c;
                f.qualname = t->name + "." + f.name;
            }
        }
        c->attrs.set(k, v);
    }
    Value cv = Value::of(c);
    for (auto it = t->decorators.rbegin(); it != t->decorators.rend(); ++it) {
        Res d = eval(*it, env);
        if (!d.ok()) return d;
        Args a;
        a.pos.push_back(cv);
        Res dr = call(d.value, a, (*it)->span);
        if (!dr.ok()) return dr;
        cv = dr.value;
    }
    store_name(t->name, std::move(cv), env);
    return Res::of();
}

Res Machine::exec_import(const Import* imp, const EnvPtr& env) {
    auto module = [&](const std::string& name) -> Res {
        auto it = m_modules.find(name);
        if (it != m_modules.end()) return Res::of(it->second);
        return fail(DiagnosticKind::undefined_name, imp->span, "module `" + name + "` is not available in tasklab",
                    "tasklab provides asyncio, websockets (simulated), logging, time, signal, sys, random, functools; see docs/language.md");
    };
    if (imp->names.empty()) {
        Res m = module(imp->module);
        if (!m.ok()) return m;
        if (!imp->alias.empty()) {
            store_name(imp->alias, m.value, env);
        } else {
            const std::string top = imp->module.substr(0, imp->module.find('.'));
            Res t = module(top);
            if (!t.ok()) return t;
            store_name(top, t.value, env);
        }
        return Res::of();
    }
    Res m = module(imp->module);
    if (!m.ok()) return m;
    for (std::size_t k = 0; k < imp->names.size(); ++k) {
        const std::string& n = imp->names[k];
        Res v = get_attr(m.value, n, imp->span);
        if (v.ctl == Ctl::raise) {
            auto sub = m_modules.find(imp->module + "." + n);
            if (sub != m_modules.end()) v = Res::of(sub->second);
            else return raise_error("ImportError", "cannot import name '" + n + "' from '" + imp->module + "'");
        }
        if (!v.ok()) return v;
        const bool aliased = k < imp->name_aliases.size() && !imp->name_aliases[k].empty();
        store_name(aliased ? imp->name_aliases[k] : n, v.value, env);
    }
    return Res::of();
}

Res Machine::exec_with(const With* s, const EnvPtr& env, std::size_t item) {
    if (s->is_async) return fail(DiagnosticKind::misuse, s->span, "`async with` outside an async function");
    if (item == s->items.size()) return exec_block(s->body, env);
    const WithItem& wi = s->items[item];
    Res mgr = eval(wi.context, env);
    if (!mgr.ok()) return mgr;
    Args none;
    Res entered = call_method(mgr.value, "__enter__", none, wi.context->span);
    if (!entered.ok()) return entered;
    if (wi.target) {
        Res b = assign_target(wi.target, entered.value, env);
        if (!b.ok()) return b;
    }
    Res body = exec_with(s, env, item + 1);
    if (body.ctl == Ctl::fatal) return body;
    Args exit_args;
    if (body.ctl == Ctl::raise) exit_args.pos = {Value::of(type_of(body.value)), body.value, Value::none()};
    else exit_args.pos = {Value::none(), Value::none(), Value::none()};
    Res ex = call_method(mgr.value, "__exit__", exit_args, wi.context->span);
    if (!ex.ok()) return ex;
    if (body.ctl == Ctl::raise) {
        bool suppress = false;
        Res t = truthy(ex.value, suppress);
        if (!t.ok()) return t;
        if (suppress) return Res::of();
    }
    return body;
}

// =========================================================================================
// Statements: the coroutine path
// =========================================================================================

Flow<Res> Machine::exec_block_a(const Block* block, EnvPtr env) {
    for (const Stmt* s : *block) {
        Res r;
        if (s->may_suspend) r = co_await exec_a(s, env);
        else r = exec(s, env);
        if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();  // generators the statement dropped
        notes::statement_ended(m_sched, s);
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

namespace {
Flow<Res> ready_res(Res r) { co_return r; }
}  // namespace

Flow<Res> Machine::exec_a(const Stmt* s, EnvPtr env) {
    if (m_fatal || !count_statement(s)) return ready_res(Res::make(Ctl::fatal));
    at(s->span);
    notes::statement_started(m_sched, m_program, s);
    switch (s->kind) {
    case StmtKind::expr: return exec_expr_a(static_cast<const ExprStmt*>(s), std::move(env));
    case StmtKind::assign: return exec_assign_a(static_cast<const Assign*>(s), std::move(env));
    case StmtKind::if_: return exec_if_a(static_cast<const If*>(s), std::move(env));
    case StmtKind::while_: return exec_while_a(static_cast<const While*>(s), std::move(env));
    case StmtKind::for_in: return exec_for_a(static_cast<const ForIn*>(s), std::move(env));
    case StmtKind::return_: return exec_return_a(static_cast<const Return*>(s), std::move(env));
    case StmtKind::throw_: return exec_raise_a(static_cast<const Throw*>(s), std::move(env));
    case StmtKind::try_: return exec_try_a(static_cast<const TryStmt*>(s), std::move(env));
    case StmtKind::with: return exec_with_a(static_cast<const With*>(s), std::move(env), 0);
    case StmtKind::block: return exec_block_a(&static_cast<const BlockStmt*>(s)->body, std::move(env));
    default:
        return ready_res(fail(DiagnosticKind::misuse, s->span, "tasklab cannot suspend inside this statement"));
    }
}

Flow<Res> Machine::ev(const Expr* e, EnvPtr env) {
    if (!e) co_return Res::of();
    if (!e->may_suspend) co_return eval(e, env);
    Res r = co_await eval_a(e, std::move(env));
    co_return r;
}

Flow<Res> Machine::exec_expr_a(const ExprStmt* s, EnvPtr env) {
    Res r = co_await eval_a(s->expr, env);
    if (!r.ok()) co_return r;
    co_return Res::of();
}

Flow<Res> Machine::exec_assign_a(const Assign* a, EnvPtr env) {
    Res rhs = co_await ev(a->value, env);
    at(a->span);
    co_return exec_assign_value(a, std::move(rhs), env);
}

Flow<Res> Machine::exec_if_a(const If* i, EnvPtr env) {
    bool pass = true;
    for (const auto& c : i->conditions) {
        Res v = co_await ev(c.expr, env);
        if (!v.ok()) co_return v;
        Res t = truthy(v.value, pass);
        if (!t.ok()) co_return t;
        if (!pass) break;
    }
    const Block* branch = pass ? &i->then_body : &i->else_body;
    Res r = co_await exec_block_a(branch, env);
    co_return r;
}

Flow<Res> Machine::exec_while_a(const While* w, EnvPtr env) {
    for (;;) {
        at(w->cond->span);
        Res c = co_await ev(w->cond, env);
        if (!c.ok()) co_return c;
        bool go = false;
        Res t = truthy(c.value, go);
        if (!t.ok()) co_return t;
        if (!go) {
            Res e = co_await exec_block_a(&w->else_body, env);
            co_return e;
        }
        Res r = co_await exec_block_a(&w->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
        if (m_fatal || !count_statement(w)) co_return Res::make(Ctl::fatal);
    }
}

Flow<Res> Machine::exec_for_a(const ForIn* f, EnvPtr env) {
    Res it = co_await ev(f->iterable, env);
    if (!it.ok()) co_return it;
    if (f->is_await) {
        Res r = co_await exec_async_for(f, env, it.value);
        co_return r;
    }
    bool lazy = false;
    if (Res src = for_source(it.value, lazy, f->iterable->span); !src.ok()) co_return src;
    if (lazy) {
        Res r = co_await exec_for_lazy_a(f, env, it.value);
        co_return r;
    }
    std::vector<Value> xs;
    Res seq = iterate(it.value, xs, f->iterable->span);
    if (!seq.ok()) co_return seq;
    const std::size_t size0 = container_size(it.value);
    for (auto& x : xs) {
        Res b = assign_target(f->target, std::move(x), env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
        if (Res c = check_size_unchanged(it.value, size0); !c.ok()) co_return c;
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

Flow<Res> Machine::exec_async_for(const ForIn* f, EnvPtr env, Value iterable) {
    if (is_kind(iterable, OKind::native) && as<NativeObj>(iterable).nkind == NKind::ws_conn) {
        Res r = co_await ws_async_for(f, env, iterable);
        co_return r;
    }
    if (is_async_generator(iterable)) {
        Res r = co_await exec_async_for_agen(f, env, iterable);
        co_return r;
    }
    // The general protocol: __aiter__, then await __anext__() until StopAsyncIteration.
    Args none;
    Res iter = call_method(iterable, "__aiter__", none, f->iterable->span);
    if (!iter.ok()) {
        if (iter.ctl == Ctl::raise && isinstance(iter.value, cls("AttributeError").get()))
            co_return raise_error("TypeError", "'async for' requires an object with __aiter__ method, got " + type_name(iterable));
        co_return iter;
    }
    for (;;) {
        Args a;
        Res aw = call_method(iter.value, "__anext__", a, f->iterable->span);
        if (!aw.ok()) co_return aw;
        Res item = co_await await_value(aw.value, f->iterable->span);
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

Flow<Res> Machine::exec_return_a(const Return* r, EnvPtr env) {
    Res v = co_await ev(r->value, env);
    if (!v.ok()) co_return v;
    co_return Res::make(Ctl::return_, std::move(v.value));
}

Flow<Res> Machine::exec_raise_a(const Throw* t, EnvPtr env) {
    Res v = co_await ev(t->value, env);
    if (!v.ok()) co_return v;
    Res c = co_await ev(t->cause, env);
    if (!c.ok()) co_return c;
    co_return do_raise(t, std::move(v), std::move(c));
}

namespace {

/// except*: splits an exception group by a matcher, keeping the nesting (BaseExceptionGroup.split).
struct Split {
    Value match;  // none when nothing matched
    Value rest;   // none when everything matched
};

}  // namespace

Flow<Res> Machine::exec_try_a(const TryStmt* t, EnvPtr env) {
    Res result = co_await exec_block_a(&t->body, env);
    if (result.ctl == Ctl::raise && !t->star) {
        const Value exc = result.value;
        for (const auto& h : t->handlers) {
            bool matched = false;
            Res m = match_handler(h, exc, env, matched);
            if (!m.ok()) {
                result = m;
                break;
            }
            if (!matched) continue;
            at(h.span);
            m_sched.emit(EventKind::caught, m_sched.current(), 0, m_sched.trace().add_string(clip(repr_of(exc))));
            if (isinstance(exc, cls("CancelledError").get())) m_model.note_cancel_caught();
            if (!h.binding.empty()) store_name(h.binding, exc, env);
            handling().push_back(exc);
            Res hr = co_await exec_block_a(&h.body, env);
            auto& hs = handling();
            if (!hs.empty()) hs.pop_back();
            if (!h.binding.empty()) env->vars.erase(h.binding);
            result = hr;
            break;
        }
    } else if (result.ctl == Ctl::raise && t->star) {
        // except*: each clause takes the part of the group it matches.
        const Value exc = result.value;
        const bool naked = !(is_kind(exc, OKind::instance) && as<Instance>(exc).exc && as<Instance>(exc).exc->is_group);
        Value remaining = exc;
        if (naked) {
            Value g = new_exception(cls(isinstance(exc, cls("Exception").get()) ? "ExceptionGroup" : "BaseExceptionGroup"), {});
            auto& d = *as<Instance>(g).exc;
            d.is_group = true;
            d.exceptions = {exc};
            d.args = {make_str(""), py::make_list({exc})};
            remaining = g;
        }
        std::vector<Value> raised;
        bool fatal = false;
        for (const auto& h : t->handlers) {
            if (remaining.is_none()) break;
            Res tv = eval(h.type, env);
            if (!tv.ok()) {
                result = tv;
                fatal = true;
                break;
            }
            // Split `remaining` by the handler's type, recursively through nested groups.
            std::function<Split(const Value&)> split = [&](const Value& g) -> Split {
                bool whole = false;
                isinstance_check(g, tv.value, whole, h.span);
                if (whole) return {g, Value::none()};
                auto& d = *as<Instance>(g).exc;
                if (!d.is_group) return {Value::none(), g};
                std::vector<Value> ms, rs;
                for (const Value& e : d.exceptions) {
                    Split s = split(e);
                    if (!s.match.is_none()) ms.push_back(s.match);
                    if (!s.rest.is_none()) rs.push_back(s.rest);
                }
                auto derive = [&](std::vector<Value> xs) {
                    if (xs.empty()) return Value::none();
                    Value ng = new_exception(as<Instance>(g).cls, {});
                    auto& nd = *as<Instance>(ng).exc;
                    nd.is_group = true;
                    nd.group_message = d.group_message;
                    nd.exceptions = xs;
                    nd.args = {make_str(d.group_message), py::make_list(xs)};
                    nd.cause = d.cause;
                    nd.context = d.context;
                    return ng;
                };
                if (rs.empty()) return {g, Value::none()};
                if (ms.empty()) return {Value::none(), g};
                return {derive(ms), derive(rs)};
            };
            Split sp = split(remaining);
            if (sp.match.is_none()) continue;
            remaining = sp.rest;
            at(h.span);
            m_sched.emit(EventKind::caught, m_sched.current(), 0, m_sched.trace().add_string(clip(repr_of(sp.match))));
            if (!h.binding.empty()) store_name(h.binding, sp.match, env);
            handling().push_back(sp.match);
            Res hr = co_await exec_block_a(&h.body, env);
            auto& hs = handling();
            if (!hs.empty()) hs.pop_back();
            if (!h.binding.empty()) env->vars.erase(h.binding);
            if (hr.ctl == Ctl::raise) {
                if (!py_is(hr.value, sp.match)) raised.push_back(hr.value);
                else remaining = remaining.is_none() ? sp.match : remaining;  // a bare raise: keep it
            } else if (!hr.ok()) {
                result = hr;
                fatal = true;
                break;
            }
        }
        if (!fatal) {
            if (raised.empty()) {
                if (remaining.is_none()) result = Res::of();
                else if (naked && remaining.obj == exc.obj) result = Res::raised(exc);
                else if (naked) result = Res::raised(as<Instance>(remaining).exc->exceptions.front());
                else result = Res::raised(remaining);
            } else {
                std::vector<Value> all = raised;
                if (!remaining.is_none()) all.push_back(remaining);
                if (all.size() == 1 && remaining.is_none()) {
                    result = Res::raised(all.front());
                } else {
                    bool all_exc = true;
                    for (const Value& e : all)
                        if (!isinstance(e, cls("Exception").get())) all_exc = false;
                    Value g = new_exception(cls(all_exc ? "ExceptionGroup" : "BaseExceptionGroup"), {});
                    auto& d = *as<Instance>(g).exc;
                    d.is_group = true;
                    d.exceptions = all;
                    d.args = {make_str(""), py::make_list(all)};
                    result = Res::raised(g);
                }
            }
        }
    } else if (result.ok() && !t->else_body.empty()) {
        result = co_await exec_block_a(&t->else_body, env);
    }
    if (t->has_finally && result.ctl != Ctl::fatal) {
        const bool pending = result.ctl == Ctl::raise;
        if (pending) handling().push_back(result.value);
        Res fr = co_await exec_block_a(&t->finally_body, env);
        if (pending) {
            auto& hs = handling();
            if (!hs.empty()) hs.pop_back();
        }
        if (!fr.ok()) result = fr;
    }
    co_return result;
}

Flow<Res> Machine::exec_with_a(const With* s, EnvPtr env, std::size_t item) {
    if (item == s->items.size()) {
        Res r = co_await exec_block_a(&s->body, env);
        co_return r;
    }
    const WithItem& wi = s->items[item];
    Res mgr = co_await ev(wi.context, env);
    if (!mgr.ok()) co_return mgr;
    const Span span = wi.context->span;
    Res entered;
    const bool native = s->is_async && is_native_context(mgr.value);
    if (!s->is_async) {
        Args none;
        entered = call_method(mgr.value, "__enter__", none, span);
    } else if (native) {
        entered = co_await native_aenter(mgr.value, span);
    } else {
        Args none;
        Res aw = call_method(mgr.value, "__aenter__", none, span);
        if (aw.ctl == Ctl::raise && isinstance(aw.value, cls("AttributeError").get()))
            co_return raise_error("TypeError", "'" + type_name(mgr.value) + "' object does not support the asynchronous context manager protocol");
        if (!aw.ok()) co_return aw;
        entered = co_await await_value(aw.value, span);
    }
    if (!entered.ok()) co_return entered;
    if (wi.target) {
        Res b = assign_target(wi.target, entered.value, env);
        if (!b.ok()) co_return b;
    }
    Res body = co_await exec_with_a(s, env, item + 1);
    if (body.ctl == Ctl::fatal) co_return body;
    at(s->span);
    Res ex;
    const Value exc = body.ctl == Ctl::raise ? body.value : Value::none();
    if (native) {
        ex = co_await native_aexit(mgr.value, exc, span);
        if (ex.ctl == Ctl::raise && body.ctl == Ctl::raise && !py_is(ex.value, exc) && is_kind(ex.value, OKind::instance)) {
            auto& d = *as<Instance>(ex.value).exc;
            if (d.context.is_none() && !d.suppress_context) d.context = exc;
        }
    } else {
        Args a;
        if (body.ctl == Ctl::raise) a.pos = {Value::of(type_of(exc)), exc, Value::none()};
        else a.pos = {Value::none(), Value::none(), Value::none()};
        if (!s->is_async && is_runner(mgr.value)) {
            // `with asyncio.Runner()`: close() cancels what is left and waits for it.
            ex = co_await runner_close_co(mgr.value);
            if (ex.ok()) ex = Res::of(Value::boolean(false));
        } else if (!s->is_async) {
            ex = call_method(mgr.value, "__exit__", a, span);
        } else {
            Res aw = call_method(mgr.value, "__aexit__", a, span);
            if (!aw.ok()) co_return aw;
            ex = co_await await_value(aw.value, span);
        }
    }
    if (!ex.ok()) co_return ex;
    if (body.ctl == Ctl::raise) {
        bool suppress = false;
        Res t = truthy(ex.value, suppress);
        if (!t.ok()) co_return t;
        if (suppress) co_return Res::of();
    }
    co_return body;
}

// =========================================================================================
// Expressions: the synchronous path
// =========================================================================================

Res Machine::eval(const Expr* e, const EnvPtr& env) {
    if (m_fatal) return Res::make(Ctl::fatal);
    if (!e) return Res::of();
    switch (e->kind) {
    case ExprKind::int_literal: return Res::of(Value::integer(static_cast<const IntLiteral*>(e)->value));
    case ExprKind::double_literal: return Res::of(Value::real(static_cast<const DoubleLiteral*>(e)->value));
    case ExprKind::bool_literal: return Res::of(Value::boolean(static_cast<const BoolLiteral*>(e)->value));
    case ExprKind::nil_literal: return Res::of(Value::none());
    case ExprKind::string_literal: return eval_string(static_cast<const StringLiteral*>(e), env);
    case ExprKind::name: return load_name(static_cast<const Name*>(e)->name, env, e->span);
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        Res b = eval(m->base, env);
        if (!b.ok()) return b;
        return get_attr(b.value, m->name, m->name_span);
    }
    case ExprKind::call: return eval_call(static_cast<const Call*>(e), env);
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(e);
        Res b = eval(s->base, env);
        if (!b.ok()) return b;
        if (s->index.empty()) return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
        if (s->index[0].value->kind == ExprKind::range) return slice(b.value, static_cast<const RangeExpr*>(s->index[0].value), env);
        Res i = eval(s->index[0].value, env);
        if (!i.ok()) return i;
        return eval_subscript(b.value, i.value, s->span);
    }
    case ExprKind::unary: {
        const auto* u = static_cast<const Unary*>(e);
        Res v = eval(u->operand, env);
        if (!v.ok()) return v;
        switch (u->op) {
        case UnaryOp::address_of: return v;  // Swift only
        case UnaryOp::logical_not: {
            bool t = false;
            Res r = truthy(v.value, t);
            if (!r.ok()) return r;
            return Res::of(Value::boolean(!t));
        }
        case UnaryOp::negate:
            if (v.value.kind == VKind::integer) {
                if (v.value.i == INT64_MIN) return fail(DiagnosticKind::misuse, u->span, "integer overflow: tasklab's Python ints are 64-bit");
                return Res::of(Value::integer(-v.value.i));
            }
            if (v.value.kind == VKind::boolean) return Res::of(Value::integer(v.value.b ? -1 : 0));
            if (v.value.kind == VKind::real) return Res::of(Value::real(-v.value.d));
            return raise_error("TypeError", "bad operand type for unary -: '" + type_name(v.value) + "'");
        case UnaryOp::plus:
            if (v.value.kind == VKind::boolean) return Res::of(Value::integer(v.value.b ? 1 : 0));
            if (v.value.is_number()) return v;
            return raise_error("TypeError", "bad operand type for unary +: '" + type_name(v.value) + "'");
        case UnaryOp::bit_not: break;  // Swift's `~`: the Python parser does not make it
        }
        return v;
    }
    case ExprKind::binary: {
        const auto* b = static_cast<const Binary*>(e);
        Res l = eval(b->lhs, env);
        if (!l.ok()) return l;
        if (b->op == BinaryOp::logical_and || b->op == BinaryOp::logical_or) {
            bool t = false;
            Res tr = truthy(l.value, t);
            if (!tr.ok()) return tr;
            if ((b->op == BinaryOp::logical_and) != t) return l;
            return eval(b->rhs, env);
        }
        Res r = eval(b->rhs, env);
        if (!r.ok()) return r;
        return eval_binary(b, l.value, r.value);
    }
    case ExprKind::compare_chain: return eval_compare_chain(static_cast<const CompareChain*>(e), env);
    case ExprKind::named: return eval_named(static_cast<const NamedExpr*>(e), env);
    case ExprKind::set: return eval_set(static_cast<const SetLiteral*>(e), env);
    case ExprKind::ternary: {
        const auto* t = static_cast<const Ternary*>(e);
        Res c = eval(t->cond, env);
        if (!c.ok()) return c;
        bool go = false;
        Res tr = truthy(c.value, go);
        if (!tr.ok()) return tr;
        return eval(go ? t->then_expr : t->else_expr, env);
    }
    case ExprKind::closure: return make_function(nullptr, static_cast<const Closure*>(e), env);
    case ExprKind::await_: return fail(DiagnosticKind::misuse, e->span, "`await` outside an async function");
    case ExprKind::yield_: return fail(DiagnosticKind::misuse, e->span, "internal: `yield` on the synchronous path");
    case ExprKind::array: {
        std::vector<Value> xs;
        for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) {
            Res v = eval(x, env);
            if (!v.ok()) return v;
            Res added = add_item(x, std::move(v.value), xs);
            if (!added.ok()) return added;
        }
        return Res::of(py::make_list(std::move(xs)));
    }
    case ExprKind::tuple: {
        std::vector<Value> xs;
        for (const Expr* x : static_cast<const TupleExpr*>(e)->elements) {
            Res v = eval(x, env);
            if (!v.ok()) return v;
            Res added = add_item(x, std::move(v.value), xs);
            if (!added.ok()) return added;
        }
        return Res::of(make_tuple(std::move(xs)));
    }
    case ExprKind::starred: return eval(static_cast<const Starred*>(e)->operand, env);  // unpacked by the display around it
    case ExprKind::dict: {
        auto d = std::make_shared<Dict>();
        for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
            Res kv = eval(k, env);
            if (!kv.ok()) return kv;
            Res xv = eval(x, env);
            if (!xv.ok()) return xv;
            dict_set(*d, std::move(kv.value), std::move(xv.value));
        }
        return Res::of(Value::of(std::move(d)));
    }
    case ExprKind::comprehension: return eval_comprehension(static_cast<const Comprehension*>(e), env);
    case ExprKind::range: return fail(DiagnosticKind::misuse, e->span, "a slice is only allowed inside [ ]");
    case ExprKind::try_:
    case ExprKind::force_unwrap:
    case ExprKind::stmt_expr:
    case ExprKind::optional_chain: return fail(DiagnosticKind::misuse, e->span, "this Swift expression cannot run in a Python scenario");
    }
    return Res::of();
}

Res Machine::eval_binary(const Binary* b, const Value& l, const Value& r) {
    switch (b->op) {
    case BinaryOp::identical: return Res::of(Value::boolean(py_is(l, r)));
    case BinaryOp::not_identical: return Res::of(Value::boolean(!py_is(l, r)));
    case BinaryOp::contains:
    case BinaryOp::not_contains: {
        bool in = false;
        Res c = contains(r, l, in, b->op_span);
        if (!c.ok()) return c;
        return Res::of(Value::boolean(b->op == BinaryOp::contains ? in : !in));
    }
    case BinaryOp::eq:
    case BinaryOp::ne:
        if (is_kind(l, OKind::instance)) {
            if (const Value* f = as<Instance>(l).cls->lookup("__eq__"); f && is_kind(*f, OKind::function)) {
                Args a;
                a.pos.push_back(r);
                Res x = call_function(std::static_pointer_cast<Function>(f->obj), a, &l, b->op_span);
                if (!x.ok() || b->op == BinaryOp::eq) return x;
                bool t = false;
                Res tr = truthy(x.value, t);
                if (!tr.ok()) return tr;
                return Res::of(Value::boolean(!t));
            }
        }
        [[fallthrough]];
    case BinaryOp::lt:
    case BinaryOp::le:
    case BinaryOp::gt:
    case BinaryOp::ge: return compare(b->op, l, r, b->op_span);
    case BinaryOp::add:
    case BinaryOp::sub:
    case BinaryOp::mul:
    case BinaryOp::div:
    case BinaryOp::floor_div:
    case BinaryOp::mod:
    case BinaryOp::pow: return arith(b->op, l, r, b->op_span);
    default: return fail(DiagnosticKind::misuse, b->op_span, "this operator is not part of tasklab's Python subset");
    }
}

Res Machine::eval_subscript(const Value& base, const Value& idx, Span span) {
    auto int_index = [&](std::size_t size, std::int64_t& out, const char* what) -> Res {
        if (idx.kind != VKind::integer && idx.kind != VKind::boolean)
            return raise_error("TypeError", std::string(what) + " indices must be integers or slices, not " + type_name(idx));
        std::int64_t k = idx.kind == VKind::boolean ? idx.b : idx.i;
        if (k < 0) k += static_cast<std::int64_t>(size);
        if (k < 0 || k >= static_cast<std::int64_t>(size)) return raise_error("IndexError", std::string(what) + " index out of range");
        out = k;
        return Res::of();
    };
    if (is_kind(base, OKind::list) || is_kind(base, OKind::tuple)) {
        const auto& xs = is_kind(base, OKind::list) ? as<List>(base).items : as<Tuple>(base).items;
        std::int64_t k = 0;
        Res r = int_index(xs.size(), k, is_kind(base, OKind::list) ? "list" : "tuple");
        if (!r.ok()) return r;
        return Res::of(xs[static_cast<std::size_t>(k)]);
    }
    if (is_kind(base, OKind::bytes)) {
        const std::string& b = as<Bytes>(base).b;
        std::int64_t k = 0;
        Res r = int_index(b.size(), k, "index");
        if (!r.ok()) return r;
        return Res::of(Value::integer(static_cast<unsigned char>(b[static_cast<std::size_t>(k)])));
    }
    if (is_str(base)) {
        std::vector<Value> chars;
        iterate(base, chars, span);
        std::int64_t k = 0;
        Res r = int_index(chars.size(), k, "string");
        if (!r.ok()) return r;
        return Res::of(chars[static_cast<std::size_t>(k)]);
    }
    if (is_kind(base, OKind::dict)) {
        if (Value* v = dict_find(as<Dict>(base), idx)) return Res::of(*v);
        return Res::raised(new_exception(cls("KeyError"), {idx}));
    }
    if (is_kind(base, OKind::range)) {
        auto& r = as<Range>(base);
        std::int64_t k = 0;
        Res ok = int_index(static_cast<std::size_t>(r.size()), k, "range object");
        if (!ok.ok()) return ok;
        return Res::of(Value::integer(r.start + k * r.step));
    }
    if (is_kind(base, OKind::instance)) {
        Args a;
        a.pos.push_back(idx);
        return call_method(base, "__getitem__", a, span);
    }
    if (is_kind(base, OKind::cls)) return Res::of(base);  // list[int] and friends in annotations
    return raise_error("TypeError", "'" + type_name(base) + "' object is not subscriptable");
}

Res Machine::slice(const Value& base, const RangeExpr* r, const EnvPtr& env) {
    Res lo = r->lower ? eval(r->lower, env) : Res::of();
    if (!lo.ok()) return lo;
    Res hi = r->upper ? eval(r->upper, env) : Res::of();
    if (!hi.ok()) return hi;
    Res st = r->step ? eval(r->step, env) : Res::of();
    if (!st.ok()) return st;
    std::vector<Value> xs;
    const bool s = is_str(base);
    const bool bytes = is_kind(base, OKind::bytes);
    if (!s && !bytes && !is_kind(base, OKind::list) && !is_kind(base, OKind::tuple))
        return raise_error("TypeError", "'" + type_name(base) + "' object is not subscriptable");
    auto index_like = [](const Value& v) { return v.is_none() || v.kind == VKind::integer || v.kind == VKind::boolean; };
    if (!index_like(lo.value) || !index_like(hi.value) || !index_like(st.value))
        return raise_error("TypeError", "slice indices must be integers or None or have an __index__ method");
    const std::int64_t step = st.value.is_none() ? 1 : st.value.kind == VKind::boolean ? st.value.b : st.value.i;
    if (step == 0) return raise_error("ValueError", "slice step cannot be zero");
    Res it = iterate(base, xs, r->span);
    if (!it.ok()) return it;
    const auto n = static_cast<std::int64_t>(xs.size());
    // CPython's PySlice_AdjustIndices: defaults and clamping depend on the step's sign.
    auto bound = [&](const Value& v, std::int64_t def) -> std::int64_t {
        if (v.is_none()) return def;
        std::int64_t k = v.kind == VKind::boolean ? v.b : v.i;
        if (k < 0) {
            k += n;
            if (k < 0) k = step < 0 ? -1 : 0;
        } else if (k >= n) {
            k = step < 0 ? n - 1 : n;
        }
        return k;
    };
    const std::int64_t a = bound(lo.value, step < 0 ? n - 1 : 0), b = bound(hi.value, step < 0 ? -1 : n);
    std::vector<Value> out;
    const std::int64_t stride = step == INT64_MIN ? INT64_MAX : step < 0 ? -step : step;
    for (std::int64_t k = a; step > 0 ? k < b : k > b;) {
        out.push_back(xs[static_cast<std::size_t>(k)]);
        if ((step > 0 ? b - k : k - b) <= stride) break;  // the next index would pass the end (and might overflow)
        k = step > 0 ? k + stride : k - stride;
    }
    if (s) {
        std::string t;
        for (const auto& c : out) t += as_str(c);
        return Res::of(make_str(std::move(t)));
    }
    if (bytes) {
        std::string t;
        for (const auto& c : out) t += static_cast<char>(c.i);
        return Res::of(make_bytes(std::move(t)));
    }
    return Res::of(is_kind(base, OKind::list) ? py::make_list(std::move(out)) : make_tuple(std::move(out)));
}

Res Machine::eval_comprehension(const Comprehension* c, const EnvPtr& env) {
    Res it = eval(c->iterable, env);
    if (!it.ok()) return it;
    return eval_comprehension_over(c, env, it);
}

Res Machine::eval_comprehension_over(const Comprehension* c, const EnvPtr& env, const Res& it) {
    std::vector<Value> xs;
    Res seq = iterate(it.value, xs, c->iterable->span);
    if (!seq.ok()) return seq;
    EnvPtr inner = comprehension_env(c, env);
    ComprehensionOut out = comprehension_out(c);
    // One item of the innermost loop: the element (and key) into the result.
    auto produce = [&]() -> Res {
        Value key = Value::none();
        if (c->comp_kind == ComprehensionKind::dict) {
            Res k = eval(c->key, inner);
            if (!k.ok()) return k;
            key = std::move(k.value);
        }
        Res v = eval(c->element, inner);
        if (!v.ok()) return v;
        return comprehension_add(c, out, std::move(key), std::move(v.value));
    };
    auto passes = [&](const std::vector<const Expr*>& conditions, bool& keep) -> Res {
        keep = true;
        for (const Expr* cond : conditions) {
            Res cv = eval(cond, inner);
            if (!cv.ok()) return cv;
            Res tr = truthy(cv.value, keep);
            if (!tr.ok()) return tr;
            if (!keep) break;
        }
        return Res::of();
    };
    // The `for` clauses after the first, nested left to right.
    std::function<Res(std::size_t)> clause = [&](std::size_t k) -> Res {
        if (k == c->more.size()) return produce();
        const ComprehensionFor& f = c->more[k];
        Res iv = eval(f.iterable, inner);
        if (!iv.ok()) return iv;
        std::vector<Value> ys;
        Res ys_ok = iterate(iv.value, ys, f.iterable->span);
        if (!ys_ok.ok()) return ys_ok;
        if (!count_work(ys.size(), f.iterable->span, "this comprehension is too long to run in one step")) return Res::make(Ctl::fatal);
        for (auto& y : ys) {
            Res b = assign_target(f.target, std::move(y), inner);
            if (!b.ok()) return b;
            bool keep = true;
            Res p = passes(f.conditions, keep);
            if (!p.ok()) return p;
            if (!keep) continue;
            Res r = clause(k + 1);
            if (!r.ok()) return r;
        }
        return Res::of();
    };
    for (auto& x : xs) {
        Res b = assign_target(c->target, std::move(x), inner);
        if (!b.ok()) return b;
        bool keep = true;
        Res p = passes(c->conditions, keep);
        if (!p.ok()) return p;
        if (!keep) continue;
        Res r = clause(0);
        if (!r.ok()) return r;
    }
    return comprehension_result(c, out);
}

Res Machine::eval_string(const StringLiteral* s, const EnvPtr& env) {
    if (s->is_bytes) return eval_bytes(s);
    if (s->is_plain()) return Res::of(make_str(s->parts.empty() ? std::string() : s->parts[0].text));
    std::vector<Value> values;
    for (const auto& p : s->parts) {
        if (!p.expr) continue;
        Res v = eval(p.expr, env);
        if (!v.ok()) return v;
        values.push_back(std::move(v.value));
    }
    return format_parts(s, values);
}

Res Machine::format_parts(const StringLiteral* s, std::vector<Value>& values) {
    std::string out;
    std::size_t k = 0;
    for (const auto& p : s->parts) {
        if (!p.expr) {
            out += p.text;
            continue;
        }
        if (k >= values.size()) break;
        Value v = values[k++];
        if (p.conversion == 'r' || p.conversion == 'a') {
            Res r = py_repr(v);
            if (!r.ok()) return r;
            v = r.value;
        } else if (p.conversion == 's') {
            Res r = py_str(v);
            if (!r.ok()) return r;
            v = r.value;
        }
        Res f = format_value(v, p.format_spec, p.expr->span);
        if (!f.ok()) return f;
        out += as_str(f.value);
    }
    return Res::of(make_str(std::move(out)));
}

// =========================================================================================
// Expressions: the coroutine path
// =========================================================================================

Flow<Res> Machine::eval_a(const Expr* e, EnvPtr env) {
    if (m_fatal) co_return Res::make(Ctl::fatal);
    if (!e->may_suspend) co_return eval(e, env);
    switch (e->kind) {
    case ExprKind::await_: {
        Res r = co_await eval_await_a(static_cast<const Await*>(e), env);
        co_return r;
    }
    case ExprKind::yield_: {
        Res r = co_await eval_yield_a(static_cast<const Yield*>(e), env);
        co_return r;
    }
    case ExprKind::comprehension: {
        // Only the first iterable may suspend (it runs in the enclosing scope: `[x for x in (yield)]`).
        const auto* c = static_cast<const Comprehension*>(e);
        Res it = co_await ev(c->iterable, env);
        if (!it.ok()) co_return it;
        if (comprehension_suspends(c)) {
            Res r = co_await eval_comprehension_a(c, env, it.value);
            co_return r;
        }
        co_return eval_comprehension_over(c, env, it);
    }
    case ExprKind::call: {
        Res r = co_await eval_call_a(static_cast<const Call*>(e), env);
        co_return r;
    }
    case ExprKind::string_literal: {
        Res r = co_await eval_string_a(static_cast<const StringLiteral*>(e), env);
        co_return r;
    }
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        Res b = co_await eval_a(m->base, env);
        if (!b.ok()) co_return b;
        co_return get_attr(b.value, m->name, m->name_span);
    }
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(e);
        Res b = co_await ev(s->base, env);
        if (!b.ok()) co_return b;
        if (s->index.empty()) co_return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
        Res i = co_await ev(s->index[0].value, env);
        if (!i.ok()) co_return i;
        co_return eval_subscript(b.value, i.value, s->span);
    }
    case ExprKind::unary: {
        const auto* u = static_cast<const Unary*>(e);
        Res v = co_await eval_a(u->operand, env);
        if (!v.ok()) co_return v;
        if (u->op == UnaryOp::logical_not) {
            bool t = false;
            Res tr = truthy(v.value, t);
            if (!tr.ok()) co_return tr;
            co_return Res::of(Value::boolean(!t));
        }
        if (u->op == UnaryOp::negate) {
            if (v.value.kind == VKind::integer) co_return Res::of(Value::integer(-v.value.i));
            if (v.value.kind == VKind::real) co_return Res::of(Value::real(-v.value.d));
            co_return raise_error("TypeError", "bad operand type for unary -: '" + type_name(v.value) + "'");
        }
        co_return v;
    }
    case ExprKind::binary: {
        const auto* b = static_cast<const Binary*>(e);
        Res l = co_await ev(b->lhs, env);
        if (!l.ok()) co_return l;
        if (b->op == BinaryOp::logical_and || b->op == BinaryOp::logical_or) {
            bool t = false;
            Res tr = truthy(l.value, t);
            if (!tr.ok()) co_return tr;
            if ((b->op == BinaryOp::logical_and) != t) co_return l;
            Res r = co_await ev(b->rhs, env);
            co_return r;
        }
        Res r = co_await ev(b->rhs, env);
        if (!r.ok()) co_return r;
        co_return eval_binary(b, l.value, r.value);
    }
    case ExprKind::compare_chain: {
        Res r = co_await eval_compare_chain_a(static_cast<const CompareChain*>(e), env);
        co_return r;
    }
    case ExprKind::named: {
        Res r = co_await eval_named_a(static_cast<const NamedExpr*>(e), env);
        co_return r;
    }
    case ExprKind::set: {
        Res r = co_await eval_set_a(static_cast<const SetLiteral*>(e), env);
        co_return r;
    }
    case ExprKind::ternary: {
        const auto* t = static_cast<const Ternary*>(e);
        Res c = co_await ev(t->cond, env);
        if (!c.ok()) co_return c;
        bool go = false;
        Res tr = truthy(c.value, go);
        if (!tr.ok()) co_return tr;
        const Expr* branch = go ? t->then_expr : t->else_expr;
        Res r = co_await ev(branch, env);
        co_return r;
    }
    case ExprKind::array:
    case ExprKind::tuple: {
        const auto& elems = e->kind == ExprKind::array ? static_cast<const ArrayLiteral*>(e)->elements
                                                       : static_cast<const TupleExpr*>(e)->elements;
        std::vector<Value> xs;
        for (const Expr* x : elems) {
            Res v = co_await ev(x, env);
            if (!v.ok()) co_return v;
            Res added = add_item(x, std::move(v.value), xs);
            if (!added.ok()) co_return added;
        }
        co_return Res::of(e->kind == ExprKind::array ? py::make_list(std::move(xs)) : make_tuple(std::move(xs)));
    }
    case ExprKind::starred: {
        Res r = co_await ev(static_cast<const Starred*>(e)->operand, env);
        co_return r;
    }
    case ExprKind::dict: {
        auto d = std::make_shared<Dict>();
        for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
            Res kv = co_await ev(k, env);
            if (!kv.ok()) co_return kv;
            Res xv = co_await ev(x, env);
            if (!xv.ok()) co_return xv;
            dict_set(*d, std::move(kv.value), std::move(xv.value));
        }
        co_return Res::of(Value::of(std::move(d)));
    }
    default: co_return fail(DiagnosticKind::misuse, e->span, "tasklab cannot `await` inside this kind of expression");
    }
}

Flow<Res> Machine::eval_await_a(const Await* a, EnvPtr env) {
    Res v = co_await ev(a->operand, env);
    if (!v.ok()) co_return v;
    at(a->span);
    Res r = co_await await_value(v.value, a->span);
    at(a->span);
    co_return r;
}

Flow<Res> Machine::eval_string_a(const StringLiteral* s, EnvPtr env) {
    std::vector<Value> values;
    for (const auto& p : s->parts) {
        if (!p.expr) continue;
        Res v = co_await ev(p.expr, env);
        if (!v.ok()) co_return v;
        values.push_back(std::move(v.value));
    }
    co_return format_parts(s, values);
}

}  // namespace tasklab::py
