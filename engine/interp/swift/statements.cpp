// Statements on both evaluation paths (machine.hpp): the statement dispatchers exec_sync and
// exec, declarations, assignments (compound ones too), if/guard/while, return and throw, and
// the conditions of if/guard/while (`if let`, `if case`). Loops over sequences and do/catch
// are in loops.cpp, assignable places in names.cpp.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {
bool has_binding(const std::vector<Condition>& cs) {
    return std::any_of(cs.begin(), cs.end(), [](const Condition& c) { return c.is_binding || c.pattern; });
}
}  // namespace

namespace {
/// The variable a declaration or assignment binds, when it is a plain name (lane names).
std::string hint_of(const Expr* target) {
    if (target && target->kind == ExprKind::name) return static_cast<const Name*>(target)->name;
    if (target && target->kind == ExprKind::member) return static_cast<const Member*>(target)->name;  // self.task = Task {…}
    return {};
}
}  // namespace

namespace {

// The synchronous execution of the statement kinds with more than a line or two of rules
// (Machine::exec_sync dispatches here).

Res var_decl_sync(Machine& m, const VarDecl* d, const EnvPtr& env) {
    if (d->binding == BindingKind::async_let) return m.fail(DiagnosticKind::misuse, d->span, "`async let` needs an async context");
    Res init = Res::of(Value::nil());
    if (d->init) {
        if (d->init->kind == ExprKind::call)
            init = m.close_chain(m.eval_call_sync(static_cast<const Call*>(d->init), env, hint_of(d->target)));
        else
            init = m.eval_sync(d->init, env);
    }
    return m.declare_sync(d, std::move(init), env);
}

/// Checks `conditions` in order in `cenv` until one fails; `pass` says whether all held.
Res check_conditions_sync(Machine& m, const std::vector<Condition>& conditions, const EnvPtr& cenv, bool& pass, bool mark) {
    pass = true;
    for (const auto& c : conditions) {
        if (mark) m.at(c.span);
        Res v = c.expr ? m.eval_sync(c.expr, cenv) : Res::of();
        Res r = m.check_condition(c, std::move(v), cenv, pass);
        if (!r.ok()) return r;
        if (!pass) break;
    }
    return Res::of();
}

Res if_sync(Machine& m, const If* i, const EnvPtr& env) {
    EnvPtr cenv = has_binding(i->conditions) ? m.m_envs.make(env) : env;
    bool pass = true;
    Res r = check_conditions_sync(m, i->conditions, cenv, pass, false);
    if (!r.ok()) return r;
    if (pass) return end_labelled(i, m.run_block_sync(i->then_body, cenv));
    return end_labelled(i, m.run_block_sync(i->else_body, env));
}

Res guard_sync(Machine& m, const Guard* g, const EnvPtr& env) {
    bool pass = true;
    Res c = check_conditions_sync(m, g->conditions, env, pass, false);
    if (!c.ok()) return c;
    if (pass) return Res::of();
    Res r = m.run_block_sync(g->else_body, env);
    if (r.ok()) return m.fail(DiagnosticKind::misuse, g->span, "the `else` of a `guard` must not fall through");
    return r;
}

/// `while let x = e { … }`: the names are bound afresh on every turn.
Res while_let_sync(Machine& m, const While* w, const EnvPtr& env) {
    for (;;) {
        EnvPtr cenv = m.m_envs.make(env);
        bool pass = true;
        Res c = check_conditions_sync(m, w->conditions, cenv, pass, true);
        if (!c.ok()) return c;
        if (!pass) break;
        if (w->body.empty() && !m.count_work(1, w->span, "this loop did not end")) return Res::make(Ctl::fatal);
        Res r = m.run_block_sync(w->body, cenv);
        if (breaks_out_of(r, w)) break;
        if (continues(r, w)) continue;
        if (!r.ok()) return r;
    }
    return Res::of();
}

Res while_sync(Machine& m, const While* w, const EnvPtr& env) {
    if (w->repeat) return m.exec_repeat_sync(w, env);
    if (!w->conditions.empty()) return while_let_sync(m, w, env);
    for (;;) {
        m.at(w->cond ? w->cond->span : w->span);
        Res c = m.eval_sync(w->cond, env);
        if (!c.ok()) return c;
        if (c.value.kind != Kind::boolean)
            return m.fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
        if (!c.value.b) break;
        if (w->body.empty() && !m.count_work(1, w->span, "this loop did not end")) return Res::make(Ctl::fatal);
        Res r = m.run_block_sync(w->body, env);
        if (breaks_out_of(r, w)) break;
        if (continues(r, w)) continue;
        if (!r.ok()) return r;
    }
    return Res::of();
}

Res return_sync(Machine& m, const Return* r, const EnvPtr& env) {
    if (!r->value) return Res::make(Ctl::return_, Value::void_value());
    Res v = m.eval_sync(r->value, env);
    if (!v.ok()) return v;
    return Res::make(Ctl::return_, std::move(v.value));
}

Res throw_sync(Machine& m, const Throw* t, const EnvPtr& env) {
    if (!t->value) return m.fail(DiagnosticKind::misuse, t->span, "a bare `raise` is Python; Swift's `throw` needs an error");
    Res v = m.eval_sync(t->value, env);
    if (!v.ok()) return v;
    return m.throw_value(std::move(v.value), t->span);
}

}  // namespace

Res Machine::exec_sync(const Stmt* s, const EnvPtr& env, BlockState& st) {
    if (m_fatal) return Res::make(Ctl::fatal);
    if (!count_statement(s)) return Res::make(Ctl::fatal);
    stmt_start(s);
    switch (s->kind) {
    case StmtKind::expr: {
        const auto* e = static_cast<const ExprStmt*>(s);
        Res r = e->expr && e->expr->kind == ExprKind::call ? close_chain(eval_call_sync(static_cast<const Call*>(e->expr), env, {}))
                                                           : eval_sync(e->expr, env);
        if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) return r;
        return Res::of();
    }
    case StmtKind::var_decl: return var_decl_sync(*this, static_cast<const VarDecl*>(s), env);
    case StmtKind::assign: {
        const auto* a = static_cast<const Assign*>(s);
        Res rhs = a->value && a->value->kind == ExprKind::call
                      ? close_chain(eval_call_sync(static_cast<const Call*>(a->value), env, hint_of(a->target)))
                      : eval_sync(a->value, env);
        return assign_stmt_sync(a, std::move(rhs), env);
    }
    case StmtKind::if_: return if_sync(*this, static_cast<const If*>(s), env);
    case StmtKind::switch_: return exec_switch_sync(static_cast<const Switch*>(s), env);
    case StmtKind::guard: return guard_sync(*this, static_cast<const Guard*>(s), env);
    case StmtKind::while_: return while_sync(*this, static_cast<const While*>(s), env);
    case StmtKind::for_in: return exec_for_sync(static_cast<const ForIn*>(s), env);
    case StmtKind::break_: {
        Res r = Res::make(Ctl::break_);
        if (!static_cast<const Break*>(s)->target.empty()) r.label = &static_cast<const Break*>(s)->target;
        return r;
    }
    case StmtKind::continue_: {
        Res r = Res::make(Ctl::continue_);
        if (!static_cast<const Continue*>(s)->target.empty()) r.label = &static_cast<const Continue*>(s)->target;
        return r;
    }
    case StmtKind::fallthrough: return Res::make(Ctl::fallthrough);
    case StmtKind::return_: return return_sync(*this, static_cast<const Return*>(s), env);
    case StmtKind::throw_: return throw_sync(*this, static_cast<const Throw*>(s), env);
    case StmtKind::try_: return end_labelled(s, exec_try_sync(static_cast<const TryStmt*>(s), env));
    case StmtKind::defer: st.defers.push_back(static_cast<const Defer*>(s)); return Res::of();
    case StmtKind::func_decl:
    case StmtKind::type_decl:
    case StmtKind::pass: return Res::of();
    case StmtKind::import: return exec_import(static_cast<const Import*>(s));
    case StmtKind::block: return run_block_sync(static_cast<const BlockStmt*>(s)->body, env);
    case StmtKind::with:
    case StmtKind::global:
        return fail(DiagnosticKind::misuse, s->span, "this Python statement cannot run in a Swift scenario");
    }
    return Res::of();
}

Flow<Res> Machine::ready(Res r) { co_return r; }

// The coroutine path for statements: a plain dispatcher hands each statement kind to a small
// coroutine of its own, so a task parked deep inside a statement holds only small frames.
Flow<Res> Machine::exec(const Stmt* s, EnvPtr env, BlockState& st) {
    if (!s->may_suspend) return ready(exec_sync(s, env, st));
    if (m_fatal || !count_statement(s)) return ready(Res::make(Ctl::fatal));
    stmt_start(s);
    switch (s->kind) {
    case StmtKind::expr: return exec_expr(static_cast<const ExprStmt*>(s), std::move(env));
    case StmtKind::var_decl: {
        const auto* d = static_cast<const VarDecl*>(s);
        if (d->binding == BindingKind::async_let) return ready(exec_async_let(d, env, st));
        return exec_var(d, std::move(env));
    }
    case StmtKind::assign: return exec_assign(static_cast<const Assign*>(s), std::move(env));
    case StmtKind::if_:
        if (!s->label.empty()) return exec_labelled(s, std::move(env));
        return exec_if(static_cast<const If*>(s), std::move(env));
    case StmtKind::guard: return exec_guard(static_cast<const Guard*>(s), std::move(env));
    case StmtKind::switch_: return exec_switch(static_cast<const Switch*>(s), std::move(env));
    case StmtKind::while_:
        if (static_cast<const While*>(s)->repeat) return exec_repeat(static_cast<const While*>(s), std::move(env));
        return exec_while(static_cast<const While*>(s), std::move(env));
    case StmtKind::for_in: return exec_for(static_cast<const ForIn*>(s), std::move(env));
    case StmtKind::return_: return exec_return(static_cast<const Return*>(s), std::move(env));
    case StmtKind::throw_: return exec_throw(static_cast<const Throw*>(s), std::move(env));
    case StmtKind::try_:
        if (!s->label.empty()) return exec_labelled(s, std::move(env));
        return exec_try(static_cast<const TryStmt*>(s), std::move(env));
    case StmtKind::defer: st.defers.push_back(static_cast<const Defer*>(s)); return ready(Res::of());
    case StmtKind::block: return run_block(static_cast<const BlockStmt*>(s)->body, std::move(env));
    default: return ready(exec_sync(s, env, st));
    }
}

Flow<Res> Machine::exec_expr(const ExprStmt* s, EnvPtr env) {
    Res r;
    if (s->expr->kind == ExprKind::call) {
        Res c = co_await eval_call(static_cast<const Call*>(s->expr), env, {});
        r = close_chain(std::move(c));
    } else {
        r = co_await eval(s->expr, env);
    }
    if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) co_return r;
    co_return Res::of();
}

Res Machine::exec_async_let(const VarDecl* d, const EnvPtr& env, BlockState& st) {
    // semantics: F23 — the child starts when the declaration is reached.
    if (st.async_scope == 0) st.async_scope = m_swift.enter_async_let_scope("async let @" + line_of(d->span));
    std::vector<std::string> names;
    if (d->target->kind == ExprKind::name) {
        names.push_back(static_cast<const Name*>(d->target)->name);
    } else if (d->target->kind == ExprKind::tuple) {
        for (const Expr* x : static_cast<const TupleExpr*>(d->target)->elements)
            names.push_back(x->kind == ExprKind::name ? static_cast<const Name*>(x)->name : "_");
    }
    std::string name;
    for (const auto& n : names) name += (name.empty() ? "" : ", ") + n;
    at(d->span);
    const TaskId child = m_swift.async_let(st.async_scope, async_let_body(d->init, env), name);
    const bool single = d->target->kind == ExprKind::name;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (names[k] == "_") continue;
        auto obj = std::make_shared<AsyncLetObj>();
        obj->task = child;
        obj->index = single ? -1 : static_cast<int>(k);
        env->declare(names[k], Value::with_ref(Kind::async_let, std::move(obj)));
    }
    return Res::of();
}

Flow<Res> Machine::exec_var(const VarDecl* d, EnvPtr env) {
    Res init = Res::of(Value::nil());
    if (d->init) {
        if (d->init->kind == ExprKind::call) {
            Res c = co_await eval_call(static_cast<const Call*>(d->init), env, hint_of(d->target));
            init = close_chain(std::move(c));
        } else {
            init = co_await eval(d->init, env);
        }
    }
    // Back at the statement once its initializer could suspend (an explored run sends
    // statements that cannot suspend this way too: they keep the span the synchronous path leaves).
    if (d->init && d->init->may_suspend) at(d->span);
    co_return declare_sync(d, std::move(init), env);
}

Flow<Res> Machine::exec_assign(const Assign* a, EnvPtr env) {
    Res rhs;
    if (a->value->kind == ExprKind::call) {
        Res c = co_await eval_call(static_cast<const Call*>(a->value), env, hint_of(a->target));
        rhs = close_chain(std::move(c));
    } else {
        rhs = co_await eval(a->value, env);
    }
    if (a->value->may_suspend || (a->target && a->target->may_suspend)) at(a->span);  // as exec_var
    co_return assign_stmt_sync(a, std::move(rhs), env);
}

Flow<Res> Machine::exec_if(const If* i, EnvPtr env) {
    EnvPtr cenv = has_binding(i->conditions) ? m_envs.make(env) : env;
    bool pass = true;
    for (const auto& c : i->conditions) {
        Res v = Res::of();
        if (c.expr) v = co_await eval(c.expr, cenv);
        Res r = check_condition(c, std::move(v), cenv, pass);
        if (!r.ok()) co_return r;
        if (!pass) break;
    }
    Res r;
    if (pass) r = co_await run_block(i->then_body, cenv);
    else r = co_await run_block(i->else_body, env);
    co_return end_labelled(i, std::move(r));
}

Flow<Res> Machine::exec_guard(const Guard* g, EnvPtr env) {
    bool pass = true;
    for (const auto& c : g->conditions) {
        Res v = Res::of();
        if (c.expr) v = co_await eval(c.expr, env);
        Res r = check_condition(c, std::move(v), env, pass);
        if (!r.ok()) co_return r;
        if (!pass) break;
    }
    if (pass) co_return Res::of();
    Res r = co_await run_block(g->else_body, env);
    if (r.ok()) co_return fail(DiagnosticKind::misuse, g->span, "the `else` of a `guard` must not fall through");
    co_return r;
}

Flow<Res> Machine::exec_while(const While* w, EnvPtr env) {
    if (!w->conditions.empty()) {  // `while let x = try await group.next()`: bound afresh on every turn
        for (;;) {
            EnvPtr cenv = m_envs.make(env);
            bool pass = true;
            for (const auto& c : w->conditions) {
                at(c.span);
                Res v = Res::of();
                if (c.expr) v = co_await eval(c.expr, cenv);
                Res r = check_condition(c, std::move(v), cenv, pass);
                if (!r.ok()) co_return r;
                if (!pass) break;
            }
            if (!pass) break;
            if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
            Res r = co_await run_block(w->body, cenv);
            if (breaks_out_of(r, w)) break;
            if (continues(r, w)) continue;
            if (!r.ok()) co_return r;
        }
        co_return Res::of();
    }
    for (;;) {
        at(w->cond->span);
        Res c = co_await eval(w->cond, env);
        if (!c.ok()) co_return c;
        if (c.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
        if (!c.value.b) break;
        if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
        Res r = co_await run_block(w->body, env);
        if (breaks_out_of(r, w)) break;
        if (continues(r, w)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::exec_return(const Return* r, EnvPtr env) {
    Res v = co_await eval(r->value, env);
    if (!v.ok()) co_return v;
    co_return Res::make(Ctl::return_, std::move(v.value));
}

Flow<Res> Machine::exec_throw(const Throw* t, EnvPtr env) {
    Res v = co_await eval(t->value, env);
    if (!v.ok()) co_return v;
    co_return throw_value(std::move(v.value), t->span);
}

Res Machine::declare_sync(const VarDecl* d, Res init, const EnvPtr& env) {
    if (!init.ok()) return init;
    Value v = std::move(init.value);
    if (v.kind == Kind::void_ && d->init == nullptr) v = Value::nil();
    v = coerce(std::move(v), m_aliases.empty() ? std::string_view(d->type_text) : std::string_view(alias_target(d->type_text)));
    return bind_pattern(d->target, v, env, d->binding == BindingKind::let, d->type_text.empty() ? nullptr : &d->type_text);
}

Res Machine::bind_pattern(const Expr* target, const Value& v, const EnvPtr& env, bool is_let, const std::string* type) {
    if (!target) return Res::of();
    if (target->kind == ExprKind::name) {
        const auto& n = static_cast<const Name*>(target)->name;
        if (n == "_") return Res::of();
        Binding& b = env->declare(n, v);
        b.is_let = is_let;
        b.type = type;
        return Res::of();
    }
    if (target->kind == ExprKind::tuple) {
        const auto* t = static_cast<const TupleExpr*>(target);
        const Value u = v.unwrapped();
        if (u.kind != Kind::tuple || items(u).size() != t->elements.size())
            return fail(DiagnosticKind::type_mismatch, target->span,
                        "cannot destructure a value of type " + type_name(v) + " into " + std::to_string(t->elements.size()) +
                            " names");
        const std::vector<Value> xs = items(u);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = bind_pattern(t->elements[k], xs[k], env, is_let, nullptr);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    return fail(DiagnosticKind::misuse, target->span, "this pattern cannot be bound");
}

Res Machine::assign_stmt_sync(const Assign* a, Res rhs, const EnvPtr& env) {
    if (!rhs.ok()) return rhs;
    if (a->op == AssignOp::set) return assign_to(a->target, std::move(rhs.value), env, a->span);
    if (a->op == AssignOp::add && (rhs.value.kind == Kind::array || rhs.value.kind == Kind::string) && rhs.value.opt == 0 &&
        !is_accessor_place(a->target, env)) {
        // `xs += [x]` and `s += "x"` append in place, as Swift does (no copy of the whole value).
        Res err;
        LRef lv = lvalue(a->target, env, err);
        if (!lv.slot) return err;
        Value& place = *lv.slot;
        if (place.kind == rhs.value.kind && place.opt == 0) {
            const bool array = place.kind == Kind::array;
            const std::uint64_t n = array ? items(place).size() + items(rhs.value).size() : str(place).size() + str(rhs.value).size();
            if (!reserve_memory(array ? MemoryKind::array : MemoryKind::string, n, array ? n * sizeof(Value) : n, a->span))
                return Res::make(Ctl::fatal);
            make_unique_ref(place);
            if (place.kind == Kind::array) {
                const std::vector<Value> more = items(rhs.value);
                auto& xs = static_cast<ArrayObj&>(*place.ref).items;
                xs.insert(xs.end(), more.begin(), more.end());
                static_cast<ArrayObj&>(*place.ref).recharge();
            } else {
                static_cast<StrObj&>(*place.ref).s += str(rhs.value);
                static_cast<StrObj&>(*place.ref).recharge();
            }
            if (!check_memory(a->span)) return Res::make(Ctl::fatal);
            return Res::of();
        }
    }
    Res cur = eval_sync(a->target, env);
    if (!cur.ok()) return cur;
    BinaryOp op = BinaryOp::add;
    switch (a->op) {
    case AssignOp::add: op = BinaryOp::add; break;
    case AssignOp::sub: op = BinaryOp::sub; break;
    case AssignOp::mul: op = BinaryOp::mul; break;
    case AssignOp::div: op = BinaryOp::div; break;
    case AssignOp::mod: op = BinaryOp::mod; break;
    case AssignOp::wrapping_add: op = BinaryOp::wrapping_add; break;
    case AssignOp::wrapping_sub: op = BinaryOp::wrapping_sub; break;
    case AssignOp::wrapping_mul: op = BinaryOp::wrapping_mul; break;
    case AssignOp::bit_and: op = BinaryOp::bit_and; break;
    case AssignOp::bit_or: op = BinaryOp::bit_or; break;
    case AssignOp::bit_xor: op = BinaryOp::bit_xor; break;
    case AssignOp::shift_left: op = BinaryOp::shift_left; break;
    case AssignOp::shift_right: op = BinaryOp::shift_right; break;
    case AssignOp::masking_shift_left: op = BinaryOp::masking_shift_left; break;
    case AssignOp::masking_shift_right: op = BinaryOp::masking_shift_right; break;
    case AssignOp::set: break;
    }
    Res nv = apply_arith(op, cur.value, rhs.value, a->span);
    if (!nv.ok()) return nv;
    return assign_to(a->target, std::move(nv.value), env, a->span);
}

Res Machine::check_condition(const Condition& c, Res value, const EnvPtr& bind_env, bool& pass) {
    if (c.pattern) {  // `if case pattern = value`
        if (!value.ok()) return value;
        Value v = std::move(value.value);
        if (v.kind == Kind::async_let) {
            Res r = resolve_async_let_sync(v, c.span);
            if (!r.ok()) return r;
            v = r.value;
        }
        return match_pattern(c.pattern, v, bind_env, pass);
    }
    if (c.is_binding) {
        if (!c.expr) {  // `if let x` shorthand
            Binding* b = bind_env->lookup(c.name);
            if (!b) return fail(DiagnosticKind::undefined_name, c.span, "cannot find `" + c.name + "` in scope");
            value = Res::of(b->value);
        }
        if (!value.ok()) return value;
        Value v = std::move(value.value);
        if (v.kind == Kind::async_let) {
            Res r = resolve_async_let_sync(v, c.span);
            if (!r.ok()) return r;
            v = r.value;
        }
        if (v.is_nil()) {
            pass = false;
            return Res::of();
        }
        if (v.opt > 0) --v.opt;
        bind_env->declare(c.name, std::move(v));
        pass = true;
        return Res::of();
    }
    if (!value.ok()) return value;
    if (value.value.kind != Kind::boolean)
        return fail(DiagnosticKind::type_mismatch, c.expr ? c.expr->span : c.span,
                    "a condition must be a Bool, not " + type_name(value.value));
    pass = value.value.b;
    return Res::of();
}

}  // namespace tasklab::interp
