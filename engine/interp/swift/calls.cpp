// Calls: evaluating callee and arguments, matching Swift argument labels, running functions,
// closures and methods, and handing built-ins to builtins_*.cpp. Initialisers of user types
// are in construct.cpp.
#include <algorithm>
#include <cctype>

#include "engine/interp/swift/call_args.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace ast;

// ---- shared helpers ----

const ArgVal* find_arg(const Args& args, std::string_view label) {
    for (const auto& a : args)
        if (a.label == label) return &a;
    return nullptr;
}

bool is_callable(const Value& v) {
    return v.kind == Kind::closure || v.kind == Kind::function || v.kind == Kind::builtin;
}

const ArgVal* closure_arg(const Args& args, std::string_view label) {
    if (!label.empty())
        if (const ArgVal* a = find_arg(args, label); a && is_callable(a->value)) return a;
    for (const auto& a : args)
        if (a.trailing && a.label.empty() && is_callable(a.value)) return &a;
    for (auto it = args.rbegin(); it != args.rend(); ++it)
        if (is_callable(it->value) && (it->label.empty() || it->label == label)) return &*it;
    return nullptr;
}

const Expr* strip_effects(const Expr* e) {
    while (e) {
        if (e->kind == ExprKind::try_) e = static_cast<const Try*>(e)->operand;
        else if (e->kind == ExprKind::await_) e = static_cast<const Await*>(e)->operand;
        else if (e->kind == ExprKind::tuple && static_cast<const TupleExpr*>(e)->elements.size() == 1)
            e = static_cast<const TupleExpr*>(e)->elements[0];
        else break;
    }
    return e;
}

std::string signature(const std::string& name, const std::vector<Param>& params) {
    std::string s = name + "(";
    for (const auto& p : params) s += (p.label.empty() ? p.name : p.label) + ":";
    return s + ")";
}

std::string given(const Args& args) {
    std::string s = "(";
    for (const auto& a : args) s += (a.label.empty() ? "_" : a.label) + ":";
    return s + ")";
}

bool labels_match(const FuncDecl* d, const Args& args) {
    std::size_t ai = 0;
    for (const auto& p : d->params) {
        const std::string ext = p.label.empty() ? p.name : p.label;
        const std::string want = ext == "_" ? "" : ext;
        if (ai < args.size() && (args[ai].label == want || (args[ai].trailing && args[ai].label.empty()))) {
            ++ai;
            continue;
        }
        if (!p.default_value) return false;
    }
    return ai == args.size();
}

Res Machine::wrong_args(const Site& site, const std::string& what, const std::string& expected) {
    return fail(DiagnosticKind::wrong_arguments, site.span, "wrong arguments in call to `" + what + "`",
                expected.empty() ? std::string() : "expected " + expected);
}

// ---- evaluating a call expression ----

Res Machine::eval_args_sync(const Call* c, const EnvPtr& env, Args& out) {
    out.reserve(c->args.size());
    for (const auto& a : c->args) {
        Res v = eval_sync(a.value, env);
        if (!v.ok()) return v;
        out.push_back(ArgVal{a.label, std::move(v.value), a.span, a.trailing, a.value});
    }
    return Res::of();
}

Flow<Res> Machine::eval_args(const Call* c, EnvPtr env, Args& out) {
    out.reserve(c->args.size());
    for (const auto& a : c->args) {
        Res v;
        if (a.value->may_suspend) v = co_await eval(a.value, env);
        else v = eval_sync(a.value, env);
        if (!v.ok()) co_return v;
        out.push_back(ArgVal{a.label, std::move(v.value), a.span, a.trailing, a.value});
    }
    co_return Res::of();
}

namespace {
/// Built-in receivers get their methods as bound built-ins: `xs.first(where:)` is a method
/// call even though `xs.first` alone is a property.
bool method_via_get_member(const Value& v) {
    return v.kind == Kind::instance || v.kind == Kind::type || v.kind == Kind::enum_case;
}
}  // namespace

Res Machine::eval_call_sync(const Call* c, const EnvPtr& env, const std::string& hint) {
    if (m_fatal) return Res::make(Ctl::fatal);
    Site site{c->span, hint};
    if (mutating_call(c, env)) {
        const auto* m = static_cast<const Member*>(c->callee);
        Res b = eval_raw_sync(m->base, env);
        if (b.ctl == Ctl::chain_nil) return b;  // `x?.items.append(1)` on nil does nothing
        if (!b.ok()) return b;
        const Kind k = b.value.kind;
        if (k == Kind::array || k == Kind::string || k == Kind::dict) {
            b = Res{};  // drop this copy so the mutation does not copy the whole collection
            Args args;
            Res ar = eval_args_sync(c, env, args);
            if (!ar.ok()) return ar;
            at(c->span);
            return call_mutating(c, env, args);
        }
    }
    Value callee;
    bool chained = false;
    if (c->callee->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(c->callee);
        if (!m->base) {
            auto b = std::make_shared<BuiltinObj>();
            b->name = "." + m->name;
            callee = Value::with_ref(Kind::builtin, std::move(b));
        } else {
            site.name_span = m->name_span;
            Res b = eval_raw_sync(m->base, env);
            if (!b.ok()) return b;
            chained = b.chained;
            if (b.value.is_nil())
                return fail(DiagnosticKind::nil_unwrap, m->base->span, "Unexpectedly found nil while unwrapping an Optional value");
            if (method_via_get_member(b.value.unwrapped()) || extension_member(b.value.unwrapped(), m->name)) {
                Res f = get_member(b.value.unwrapped(), m->name, m->name_span);
                if (!f.ok()) return f;
                callee = std::move(f.value);
            } else {
                auto bo = std::make_shared<BuiltinObj>();
                bo->name = m->name;
                bo->receiver = b.value.unwrapped();
                callee = Value::with_ref(Kind::builtin, std::move(bo));
            }
        }
    } else {
        Res f = eval_raw_sync(c->callee, env);
        if (!f.ok()) return f;
        chained = f.chained;
        callee = std::move(f.value);
    }
    Args args;
    Res ar = eval_args_sync(c, env, args);
    if (!ar.ok()) return ar;
    at(c->span);
    std::shared_ptr<CallOut> out = prepare_write_back(c, callee, args);
    Res r = call_sync(callee, args, site);
    if (out && r.ctl != Ctl::fatal) {
        Res w = write_back(c, *out, env);
        if (!w.ok()) return w;
    }
    r.chained = r.chained || chained;
    return r;
}

// What eval_call needs from the first half of a call (the callee and the arguments), made by
// prepare_call. Split from eval_call so that the frame a task keeps for as long as the callee
// runs (often a whole sleep) holds only this, not the first half's temporaries: a coroutine's
// frame has room for every local of the function.
struct PreparedCall {
    Value callee;
    Args args;
    std::shared_ptr<CallOut> out;  ///< `inout` arguments to write back after the call
    bool chained = false;          ///< the callee came through `?.`
    bool finished = false;         ///< prepare_call's result is the call's result (an error, or a mutating call)
};

Flow<Res> Machine::prepare_call(const Call* c, EnvPtr env, Site* site, PreparedCall* p) {
    if (mutating_call(c, env)) {
        const auto* m = static_cast<const Member*>(c->callee);
        Res b = co_await eval_raw(m->base, env);
        p->finished = true;
        if (b.ctl == Ctl::chain_nil) co_return b;
        if (!b.ok()) co_return b;
        const Kind k = b.value.kind;
        if (k == Kind::array || k == Kind::string || k == Kind::dict) {
            b = Res{};
            Args args;
            Res ar = co_await eval_args(c, env, args);
            if (!ar.ok()) co_return ar;
            at(c->span);
            co_return call_mutating(c, env, args);
        }
        p->finished = false;
    }
    p->finished = true;
    if (c->callee->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(c->callee);
        if (!m->base) {
            auto b = std::make_shared<BuiltinObj>();
            b->name = "." + m->name;
            p->callee = Value::with_ref(Kind::builtin, std::move(b));
        } else {
            site->name_span = m->name_span;
            Res b = co_await eval_raw(m->base, env);
            if (!b.ok()) co_return b;
            p->chained = b.chained;
            if (b.value.is_nil())
                co_return fail(DiagnosticKind::nil_unwrap, m->base->span, "Unexpectedly found nil while unwrapping an Optional value");
            if (method_via_get_member(b.value.unwrapped()) || extension_member(b.value.unwrapped(), m->name)) {
                Res f = get_member(b.value.unwrapped(), m->name, m->name_span);
                if (!f.ok()) co_return f;
                p->callee = std::move(f.value);
            } else {
                auto bo = std::make_shared<BuiltinObj>();
                bo->name = m->name;
                bo->receiver = b.value.unwrapped();
                p->callee = Value::with_ref(Kind::builtin, std::move(bo));
            }
        }
    } else {
        Res f = co_await eval_raw(c->callee, env);
        if (!f.ok()) co_return f;
        p->chained = f.chained;
        p->callee = std::move(f.value);
    }
    Res ar = co_await eval_args(c, env, p->args);
    if (!ar.ok()) co_return ar;
    at(c->span);
    p->out = prepare_write_back(c, p->callee, p->args);
    p->finished = false;
    co_return Res::of();
}

Flow<Res> Machine::eval_call(const Call* c, EnvPtr env, std::string hint) {
    if (!c->may_suspend) co_return eval_call_sync(c, env, hint);
    if (m_fatal) co_return Res::make(Ctl::fatal);
    Site site{c->span, std::move(hint)};
    PreparedCall p;
    Res r = co_await prepare_call(c, env, &site, &p);
    if (p.finished) co_return r;
    r = co_await call(std::move(p.callee), std::move(p.args), site);
    if (p.out && r.ctl != Ctl::fatal) {
        Res w = write_back(c, *p.out, env);
        if (!w.ok()) co_return w;
    }
    r.chained = r.chained || p.chained;
    co_return r;
}

// ---- calling a value ----

Res bind_params(Machine& m, const FuncDecl* d, Args& args, const EnvPtr& env, const Site& site, CallOut* out) {
    std::size_t ai = 0;
    for (const auto& p : d->params) {
        const std::string ext = p.label.empty() ? p.name : p.label;
        const std::string want = ext == "_" ? "" : ext;
        if (p.variadic) {
            // `xs: Int...`: the first argument carries the label, the ones after it none.
            std::vector<Value> xs;
            if (ai < args.size() && args[ai].label == want && !args[ai].trailing) {
                xs.push_back(args[ai++].value);
                while (ai < args.size() && args[ai].label.empty() && !args[ai].trailing) xs.push_back(args[ai++].value);
            }
            env->declare(p.name, Value::array(std::move(xs)));
            continue;
        }
        if (ai < args.size() && (args[ai].label == want || (args[ai].trailing && args[ai].label.empty()))) {
            // A parameter's type acts as a declared type: `ns: UInt64` makes an Int argument a UInt64.
            env->declare(p.name, coerce(args[ai].value, p.type_text));
            if (out && p.is_inout && args[ai].expr && args[ai].expr->kind == ExprKind::unary &&
                static_cast<const Unary*>(args[ai].expr)->op == UnaryOp::address_of)
                out->inout.emplace_back(p.name, args[ai].expr);
            ++ai;
            continue;
        }
        if (!p.caller_literal.empty() && m.m_program.file) {
            // `line: Int = #line`: where the call is, as swiftc fills it in.
            const LineCol lc = m.m_program.file->locate(site.span.begin);
            env->declare(p.name, Value::integer(p.caller_literal == "#line" ? lc.line : lc.column));
            continue;
        }
        if (p.default_value) {
            Res dv = m.eval_sync(p.default_value, env);
            if (!dv.ok()) return dv;
            env->declare(p.name, coerce(dv.value, p.type_text));
            continue;
        }
        return m.wrong_args(site, d->name, signature(d->name, d->params) + ", got " + given(args));
    }
    if (ai < args.size()) return m.wrong_args(site, d->name, signature(d->name, d->params) + ", got " + given(args));
    return Res::of();
}

Res Machine::prepare_function(const FuncObj& f, Args& args, const Site& site, EnvPtr& env) {
    env = m_envs.make(f.env);
    env->isolation = function_isolation(f);  // actors.cpp
    if (!f.self.is_nil()) env->declare("self", f.self);
    if (f.out) f.out->env = env;
    // Generic parameters are types the body may use as values: `withTaskGroup(of: (Int, T).self)`.
    for (const std::string& g : f.decl->generic_params) {
        auto t = std::make_shared<TypeObj>();
        t->name = g;
        env->declare(g, Value::with_ref(Kind::type, std::move(t)));
    }
    return bind_params(*this, f.decl, args, env, site, f.out.get());
}

Res Machine::prepare_closure(const ClosureObj& c, Args& args, const Site& site, EnvPtr& env) {
    env = m_envs.make(c.env);
    if (c.expr->main_actor) env->isolation = m_main_actor;  // `{ @MainActor in … }`
    const auto& ps = c.expr->params;
    if (ps.empty()) {
        for (std::size_t k = 0; k < args.size(); ++k) env->declare("$" + std::to_string(k), args[k].value);
        return Res::of();
    }
    if (args.size() == 1 && ps.size() > 1) {
        // `{ (index, item) in … }` over a sequence of pairs: the tuple is spread.
        const Value u = args[0].value.unwrapped();
        if (u.kind == Kind::tuple && items(u).size() == ps.size()) {
            const std::vector<Value> xs = items(u);
            for (std::size_t k = 0; k < ps.size(); ++k)
                if (ps[k].name != "_") env->declare(ps[k].name, xs[k]);
            return Res::of();
        }
    }
    if (args.size() != ps.size())
        return fail(DiagnosticKind::wrong_arguments, site.span,
                    "a closure taking " + std::to_string(ps.size()) + " argument(s) was called with " + std::to_string(args.size()));
    for (std::size_t k = 0; k < ps.size(); ++k)
        if (ps[k].name != "_") env->declare(ps[k].name, args[k].value);
    return Res::of();
}

Res Machine::function_result(const FuncDecl* d, Res r) {
    if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) return r;
    Value v = r.ctl == Ctl::return_ ? std::move(r.value) : Value::void_value();
    if (!d->return_type_text.empty() && v.kind != Kind::void_) v = coerce(std::move(v), d->return_type_text);
    return Res::of(std::move(v));
}

Res Machine::closure_result(Res r) {
    if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) return r;
    if (r.ctl == Ctl::return_) return Res::of(std::move(r.value));
    return Res::of(Value::void_value());
}

Res Machine::run_body_sync(const Block& body, bool implicit_return, const EnvPtr& env) {
    if (implicit_return && body.size() == 1 && body[0]->kind == StmtKind::expr) {
        stmt_start(body[0]);
        Res r = eval_sync(static_cast<const ExprStmt*>(body[0])->expr, env);
        if (r.ok()) return Res::make(Ctl::return_, std::move(r.value));
        return r;
    }
    hoist(body, env);
    BlockState st;
    Res r = run_stmts_sync(body, env, st);
    return finish_block_sync(st, std::move(r), env);
}

Flow<Res> Machine::run_body(const Block& body, bool implicit_return, EnvPtr env) {
    if (implicit_return && body.size() == 1 && body[0]->kind == StmtKind::expr) return run_body_expr(body[0], std::move(env));
    return run_body_block(body, std::move(env));
}

Flow<Res> Machine::run_body_expr(const Stmt* s, EnvPtr env) {
    stmt_start(s);
    const Expr* e = static_cast<const ExprStmt*>(s)->expr;
    Res r;
    if (e->kind == ExprKind::call) {
        Res c = co_await eval_call(static_cast<const Call*>(e), env, {});
        r = close_chain(std::move(c));
    } else {
        r = co_await eval(e, env);
    }
    if (r.ok()) co_return Res::make(Ctl::return_, std::move(r.value));
    co_return r;
}

Flow<Res> Machine::run_body_block(const Block& body, EnvPtr env) {
    hoist(body, env);
    BlockState st;
    Res r = co_await run_stmts(body, env, st);
    enter_env(env);
    Res end = co_await finish_block(st, std::move(r), env);
    co_return end;
}

bool Machine::call_suspends(const Value& callee, const Args& args) const {
    switch (callee.kind) {
    case Kind::function: return func_suspends(static_cast<const FuncObj&>(*callee.ref).decl);
    case Kind::closure: return closure_suspends(static_cast<const ClosureObj&>(*callee.ref).expr);
    case Kind::builtin: return builtin_suspends(static_cast<const BuiltinObj&>(*callee.ref), args);
    default: return false;
    }
}

namespace {
/// The type an array literal of one type names (`[Int]`, `[[String]]`), when it is one.
bool type_literal(const Value& v, std::string& out) {
    if (v.opt != 0 || !v.ref) return false;
    if (v.kind == Kind::type) {
        out = static_cast<const TypeObj&>(*v.ref).name;
        return true;
    }
    if (v.kind != Kind::array || items(v).size() != 1) return false;
    std::string inner;
    if (!type_literal(items(v)[0], inner)) return false;
    out = "[" + inner + "]";
    return true;
}
}  // namespace

Res Machine::call_sync(const Value& callee_in, Args& args, const Site& site) {
    if (m_fatal) return Res::make(Ctl::fatal);
    const Value callee = callee_in.unwrapped();
    switch (callee.kind) {
    case Kind::function: {
        const auto& f = static_cast<const FuncObj&>(*callee.ref);
        if (func_suspends(f.decl))
            return fail(DiagnosticKind::misuse, site.span,
                        "`" + f.decl->name + "` can suspend, but it is called where suspending is not possible",
                        "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
        EnvPtr env;
        Res p = prepare_function(f, args, site, env);
        if (!p.ok()) return p;
        if (Res d = enter_call(f.decl, site); !d.ok()) return d;
        Res r = run_body_sync(f.decl->body, f.decl->implicit_return, env);
        leave_call();
        return function_result(f.decl, std::move(r));
    }
    case Kind::closure: {
        const auto& c = static_cast<const ClosureObj&>(*callee.ref);
        if (closure_suspends(c.expr))
            return fail(DiagnosticKind::misuse, site.span, "this closure can suspend, but it runs where suspending is not possible",
                        "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
        EnvPtr env;
        Res p = prepare_closure(c, args, site, env);
        if (!p.ok()) return p;
        if (Res d = enter_call(nullptr, site); !d.ok()) return d;
        Res r = run_body_sync(c.expr->body, c.expr->implicit_return, env);
        leave_call();
        return closure_result(std::move(r));
    }
    case Kind::builtin: return builtin_sync(static_cast<const BuiltinObj&>(*callee.ref), args, site);
    case Kind::type: {
        auto t = std::static_pointer_cast<TypeObj>(callee.ref);
        if (t->decl) return construct(t, args, site);
        BuiltinObj b;
        b.name = t->name;
        return builtin_sync(b, args, site);
    }
    case Kind::array: {
        // `[Int](0..<5)`, `[String](repeating: "x", count: 3)`: an array type written as a
        // literal of one type is Array's initializer, its elements converted to that type.
        std::string type;
        if (!type_literal(callee, type)) break;
        BuiltinObj b;
        b.name = "Array";
        Res r = builtin_sync(b, args, site);
        if (r.ok()) r.value = coerce(std::move(r.value), type);
        return r;
    }
    default: break;
    }
    return fail(DiagnosticKind::type_mismatch, site.span, "a value of type " + type_name(callee) + " cannot be called");
}

Flow<Res> Machine::call(Value callee_in, Args args, Site site) {
    if (m_fatal) return ready(Res::make(Ctl::fatal));
    Value callee = callee_in.unwrapped();
    if (callee.kind == Kind::function || callee.kind == Kind::closure) {
        // A call that runs on another actor hops there and back (actors.cpp).
        const std::uint32_t target = call_target_actor(callee);
        if (target != k_inherit_isolation && target != m_sched.actor_of(m_sched.current()))
            return call_on_actor(std::move(callee), std::move(args), std::move(site), target);
    }
    switch (callee.kind) {
    case Kind::function:
        if (!func_suspends(static_cast<const FuncObj&>(*callee.ref).decl)) return ready(call_sync(callee, args, site));
        return call_function(std::move(callee), std::move(args), std::move(site));
    case Kind::closure:
        if (!closure_suspends(static_cast<const ClosureObj&>(*callee.ref).expr)) return ready(call_sync(callee, args, site));
        return call_function(std::move(callee), std::move(args), std::move(site));
    case Kind::builtin: {
        const auto& b = static_cast<const BuiltinObj&>(*callee.ref);
        if (!builtin_suspends(b, args)) return ready(builtin_sync(b, args, site));
        return builtin_async(b, std::move(args), std::move(site));
    }
    case Kind::type: {
        const auto& t = static_cast<const TypeObj&>(*callee.ref);
        if (!t.decl) {
            BuiltinObj b;
            b.name = t.name;
            if (builtin_suspends(b, args)) return builtin_async(std::move(b), std::move(args), std::move(site));
        }
        return ready(call_sync(callee, args, site));
    }
    default: return ready(call_sync(callee, args, site));
    }
}

// The frame call_function keeps while the body runs is the task's for as long as the call
// lasts, so everything that does not suspend happens in enter_callee (a plain function).
Res Machine::enter_callee(const Value& callee, Args& args, const Site& site, TaskId me, EnvPtr& env, const ast::Block*& body,
                          bool& implicit_return) {
    if (callee.kind == Kind::function) {
        const auto& f = static_cast<const FuncObj&>(*callee.ref);
        Res p = prepare_function(f, args, site, env);
        if (!p.ok()) return p;
        if (Res d = enter_call(f.decl, site); !d.ok()) return d;
        push_frame(me, FrameRecord{f.decl, nullptr, f.owner ? &f.owner->name : nullptr, env.get(), env, site.span});
        body = &f.decl->body;
        implicit_return = f.decl->implicit_return;
        return Res::of();
    }
    const auto& c = static_cast<const ClosureObj&>(*callee.ref);
    Res p = prepare_closure(c, args, site, env);
    if (!p.ok()) return p;
    if (Res d = enter_call(nullptr, site); !d.ok()) return d;
    push_frame(me, FrameRecord{nullptr, c.expr, nullptr, env.get(), env, site.span});
    body = &c.expr->body;
    implicit_return = c.expr->implicit_return;
    return Res::of();
}

Flow<Res> Machine::call_function(Value callee, Args args, Site site) {
    EnvPtr env;
    const TaskId me = m_sched.current();  // the inspector's frame belongs to the caller's task
    const ast::Block* body = nullptr;
    bool implicit_return = false;
    Res r = enter_callee(callee, args, site, me, env, body, implicit_return);
    if (!r.ok()) co_return r;
    r = co_await run_body(*body, implicit_return, env);
    pop_frame(me);
    leave_call_of(me);
    if (callee.kind == Kind::function) co_return function_result(static_cast<const FuncObj&>(*callee.ref).decl, std::move(r));
    co_return closure_result(std::move(r));
}

Res Machine::run_handler_closure(const Value& closure, Span span) {
    Args none;
    Site site{span, {}};
    return call_sync(closure, none, site);
}

}  // namespace tasklab::interp
