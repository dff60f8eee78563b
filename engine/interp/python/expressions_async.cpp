// Python expressions on the coroutine path: the forms that contain an `await` (or a
// `yield`), `await` itself and f-strings whose parts await.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Expressions: the coroutine path
// =========================================================================================

namespace {

/// A comprehension whose first iterable suspends; only that iterable may (it runs in the
/// enclosing scope: `[x for x in (yield)]`) unless the comprehension itself awaits.
Flow<Res> comprehension_expr_a(Machine* vm, const Comprehension* c, EnvPtr env) {
    Res it = co_await vm->ev(c->iterable, env);
    if (!it.ok()) co_return it;
    if (Machine::comprehension_suspends(c)) {
        Res r = co_await vm->eval_comprehension_a(c, env, it.value);
        co_return r;
    }
    co_return vm->eval_comprehension_over(c, env, it);
}

/// `not v` and `-v` once the operand is evaluated.
Res unary_result(Machine& vm, const Unary* u, Res v) {
    if (u->op == UnaryOp::logical_not) {
        bool t = false;
        Res tr = vm.truthy(v.value, t);
        if (!tr.ok()) return tr;
        return Res::of(Value::boolean(!t));
    }
    if (u->op == UnaryOp::negate) {
        if (v.value.kind == VKind::integer) return Res::of(Value::integer(-v.value.i));
        if (v.value.kind == VKind::real) return Res::of(Value::real(-v.value.d));
        return vm.raise_error("TypeError", "bad operand type for unary -: '" + vm.type_name(v.value) + "'");
    }
    return v;
}

/// A list or tuple display whose elements suspend.
Flow<Res> elements_a(Machine* vm, const Expr* e, EnvPtr env) {
    const auto& elems = e->kind == ExprKind::array ? static_cast<const ArrayLiteral*>(e)->elements
                                                   : static_cast<const TupleExpr*>(e)->elements;
    std::vector<Value> xs;
    for (const Expr* x : elems) {
        Res v = co_await vm->ev(x, env);
        if (!v.ok()) co_return v;
        Res added = vm->add_item(x, std::move(v.value), xs);
        if (!added.ok()) co_return added;
    }
    co_return Res::of(e->kind == ExprKind::array ? py::make_list(std::move(xs)) : make_tuple(std::move(xs)));
}

/// A dict display whose keys or values suspend.
Flow<Res> dict_a(Machine* vm, const Expr* e, EnvPtr env) {
    auto d = std::make_shared<Dict>();
    for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
        Res kv = co_await vm->ev(k, env);
        if (!kv.ok()) co_return kv;
        Res xv = co_await vm->ev(x, env);
        if (!xv.ok()) co_return xv;
        dict_set(*d, std::move(kv.value), std::move(xv.value));
    }
    co_return Res::of(Value::of(std::move(d)));
}

/// `base.name` whose base suspends.
Flow<Res> member_a(Machine* vm, const Member* m, EnvPtr env) {
    Res b = co_await vm->eval_a(m->base, env);
    if (!b.ok()) co_return b;
    co_return vm->get_attr(b.value, m->name, m->name_span);
}

/// `base[index]` whose base or index suspends.
Flow<Res> subscript_a(Machine* vm, const Subscript* s, EnvPtr env) {
    Res b = co_await vm->ev(s->base, env);
    if (!b.ok()) co_return b;
    if (s->index.empty()) co_return vm->fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
    Res i = co_await vm->ev(s->index[0].value, env);
    if (!i.ok()) co_return i;
    co_return vm->eval_subscript(b.value, i.value, s->span);
}

/// `not v` / `-v` whose operand suspends.
Flow<Res> unary_a(Machine* vm, const Unary* u, EnvPtr env) {
    Res v = co_await vm->eval_a(u->operand, env);
    if (!v.ok()) co_return v;
    co_return unary_result(*vm, u, std::move(v));
}

/// A binary operation with a side that suspends; `and` / `or` evaluate their right side only
/// when the left one does not decide.
Flow<Res> binary_a(Machine* vm, const Binary* b, EnvPtr env) {
    Res l = co_await vm->ev(b->lhs, env);
    if (!l.ok()) co_return l;
    if (b->op == BinaryOp::logical_and || b->op == BinaryOp::logical_or) {
        bool t = false;
        Res tr = vm->truthy(l.value, t);
        if (!tr.ok()) co_return tr;
        if ((b->op == BinaryOp::logical_and) != t) co_return l;
        Res r = co_await vm->ev(b->rhs, env);
        co_return r;
    }
    Res r = co_await vm->ev(b->rhs, env);
    if (!r.ok()) co_return r;
    co_return vm->eval_binary(b, l.value, r.value);
}

/// `a if cond else b` with a part that suspends.
Flow<Res> ternary_a(Machine* vm, const Ternary* t, EnvPtr env) {
    Res c = co_await vm->ev(t->cond, env);
    if (!c.ok()) co_return c;
    bool go = false;
    Res tr = vm->truthy(c.value, go);
    if (!tr.ok()) co_return tr;
    const Expr* branch = go ? t->then_expr : t->else_expr;
    Res r = co_await vm->ev(branch, env);
    co_return r;
}

/// An expression that cannot suspend (or none), evaluated when awaited.
Flow<Res> eval_now(Machine* vm, const Expr* e, EnvPtr env) {
    if (!e) co_return Res::of();
    co_return vm->eval(e, env);
}

/// A result known before the await (a fatal error, a form tasklab does not run).
Flow<Res> result_a(Res r) { co_return r; }

}  // namespace

// eval_a and ev are plain functions that hand back the coroutine of the expression's form,
// not coroutines themselves: a task parked in an `await` keeps only the frames of the forms
// it is inside, not one more large frame per level for this dispatch (a coroutine's frame
// has room for the locals of every case of its switch).
Flow<Res> Machine::ev(const Expr* e, EnvPtr env) {
    if (e && e->may_suspend) return eval_a(e, std::move(env));
    return eval_now(this, e, std::move(env));
}

Flow<Res> Machine::eval_a(const Expr* e, EnvPtr env) {
    if (m_fatal) return result_a(Res::make(Ctl::fatal));
    if (!e->may_suspend) return eval_now(this, e, std::move(env));
    switch (e->kind) {
    case ExprKind::await_: return eval_await_a(static_cast<const Await*>(e), std::move(env));
    case ExprKind::yield_: return eval_yield_a(static_cast<const Yield*>(e), std::move(env));
    case ExprKind::comprehension: return comprehension_expr_a(this, static_cast<const Comprehension*>(e), std::move(env));
    case ExprKind::call: return eval_call_a(static_cast<const Call*>(e), std::move(env));
    case ExprKind::string_literal: return eval_string_a(static_cast<const StringLiteral*>(e), std::move(env));
    case ExprKind::member: return member_a(this, static_cast<const Member*>(e), std::move(env));
    case ExprKind::subscript: return subscript_a(this, static_cast<const Subscript*>(e), std::move(env));
    case ExprKind::unary: return unary_a(this, static_cast<const Unary*>(e), std::move(env));
    case ExprKind::binary: return binary_a(this, static_cast<const Binary*>(e), std::move(env));
    case ExprKind::compare_chain: return eval_compare_chain_a(static_cast<const CompareChain*>(e), std::move(env));
    case ExprKind::named: return eval_named_a(static_cast<const NamedExpr*>(e), std::move(env));
    case ExprKind::set: return eval_set_a(static_cast<const SetLiteral*>(e), std::move(env));
    case ExprKind::ternary: return ternary_a(this, static_cast<const Ternary*>(e), std::move(env));
    case ExprKind::array:
    case ExprKind::tuple: return elements_a(this, e, std::move(env));
    case ExprKind::starred: return ev(static_cast<const Starred*>(e)->operand, std::move(env));
    case ExprKind::dict: return dict_a(this, e, std::move(env));
    default: return result_a(fail(DiagnosticKind::misuse, e->span, "tasklab cannot `await` inside this kind of expression"));
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
