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

}  // namespace

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
        Res r = co_await comprehension_expr_a(this, static_cast<const Comprehension*>(e), env);
        co_return r;
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
        co_return unary_result(*this, u, std::move(v));
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
        Res r = co_await elements_a(this, e, env);
        co_return r;
    }
    case ExprKind::starred: {
        Res r = co_await ev(static_cast<const Starred*>(e)->operand, env);
        co_return r;
    }
    case ExprKind::dict: {
        Res r = co_await dict_a(this, e, env);
        co_return r;
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
