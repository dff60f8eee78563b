// Python statements on the synchronous path (code that cannot suspend): blocks, assignment,
// if/while/for, raise, try, with, def, class and import.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"
#include "engine/text_clip.hpp"

namespace tasklab::py {

using namespace ast;

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

namespace {

Res exec_while(Machine& vm, const Stmt* s, const EnvPtr& env) {
    const auto* w = static_cast<const While*>(s);
    for (;;) {
        vm.at(w->cond->span);
        Res c = vm.eval(w->cond, env);
        if (!c.ok()) return c;
        bool go = false;
        Res t = vm.truthy(c.value, go);
        if (!t.ok()) return t;
        if (!go) return vm.exec_block(w->else_body, env);
        Res r = vm.exec_block(w->body, env);
        bool stop = false;
        if (!vm.loop_body_result(r, stop)) return r;
        if (stop) return Res::of();
        if (vm.m_fatal || !vm.count_statement(s)) return Res::make(Ctl::fatal);
    }
}

Res exec_for(Machine& vm, const Stmt* s, const EnvPtr& env) {
    const auto* f = static_cast<const ForIn*>(s);
    Res it = vm.eval(f->iterable, env);
    if (!it.ok()) return it;
    bool lazy = false;
    if (Res src = vm.for_source(it.value, lazy, f->iterable->span); !src.ok()) return src;
    if (lazy) return vm.exec_for_lazy(f, env, it.value);
    std::vector<Value> xs;
    Res seq = vm.iterate(it.value, xs, f->iterable->span);
    if (!seq.ok()) return seq;
    const std::size_t size0 = vm.container_size(it.value);
    for (auto& x : xs) {
        Res b = vm.assign_target(f->target, std::move(x), env);
        if (!b.ok()) return b;
        Res r = vm.exec_block(f->body, env);
        bool stop = false;
        if (!vm.loop_body_result(r, stop)) return r;
        if (stop) return Res::of();
        if (Res c = vm.check_size_unchanged(it.value, size0); !c.ok()) return c;
    }
    return vm.exec_block(f->else_body, env);
}

/// The synchronous path shares the coroutine path's rules: it runs it to completion (a try
/// statement with nothing to await never parks).
Res exec_try(Machine& vm, const Stmt* s, const EnvPtr& env) {
    const auto* t = static_cast<const TryStmt*>(s);
    Flow<Res> f = vm.exec_try_a(t, env);
    struct Runner {
        static Co<void> run(Flow<Res>& flow, Res& out) {
            out = co_await std::move(flow);
        }
    };
    Res out = Res::make(Ctl::fatal);
    Co<void> co = Runner::run(f, out);
    co.handle().resume();
    if (!co.done()) return vm.fail(DiagnosticKind::misuse, s->span, "internal: a synchronous try statement parked");
    return out;
}

}  // namespace

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
    case StmtKind::while_: return exec_while(*this, s, env);
    case StmtKind::for_in: return exec_for(*this, s, env);
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
    case StmtKind::try_: return exec_try(*this, s, env);
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
        m_sched.emit(EventKind::threw, m_sched.current(), 0, m_sched.trace().add_string(clip_utf8(repr_of(exc))));
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
    m_sched.emit(EventKind::threw, m_sched.current(), 0, m_sched.trace().add_string(clip_utf8(repr_of(exc))));
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

}  // namespace tasklab::py
