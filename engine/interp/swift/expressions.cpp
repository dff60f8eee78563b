// Expressions on both evaluation paths (machine.hpp): the synchronous evaluator
// eval_raw_sync, the coroutine evaluators for expressions that may suspend, optional chains,
// and `async let` results. Operators, casts and subscripts are in operators.cpp, calls in
// calls.cpp.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

// =========================================================================================
// Expressions
// =========================================================================================

Res Machine::close_chain(Res r) {
    if (r.ctl == Ctl::chain_nil) return Res::of(Value::nil());
    if (r.chained) {
        r.chained = false;
        if (r.ok() && !r.value.is_nil() && r.value.opt == 0 && r.value.kind != Kind::void_) r.value = r.value.wrapped();
    }
    return r;
}

Res Machine::eval_sync(const Expr* e, const EnvPtr& env) {
    if (!e) return Res::of();
    return close_chain(eval_raw_sync(e, env));
}

Flow<Res> Machine::eval(const Expr* e, EnvPtr env) {
    if (!e) return ready(Res::of());
    if (!e->may_suspend) return ready(eval_sync(e, env));
    switch (e->kind) {
    case ExprKind::member:
    case ExprKind::call:
    case ExprKind::subscript:
    case ExprKind::optional_chain: return eval_closing(e, std::move(env));  // may end an optional chain
    default: return eval_suspending(e, std::move(env));
    }
}

Flow<Res> Machine::eval_closing(const Expr* e, EnvPtr env) {
    Res r = co_await eval_suspending(e, std::move(env));
    co_return close_chain(std::move(r));
}

Flow<Res> Machine::eval_raw(const Expr* e, EnvPtr env) {
    if (!e->may_suspend) return ready(eval_raw_sync(e, env));
    return eval_suspending(e, std::move(env));
}

Res Machine::resolve_async_let_sync(const Value& v, Span span) {
    const auto& a = static_cast<const AsyncLetObj&>(*v.ref);
    if (!m_swift.is_finished(a.task))
        return fail(DiagnosticKind::misuse, span, "an `async let` is read here without `await`");
    const Res& r = result_of(a.task);
    if (r.ctl == Ctl::throw_) return Res::thrown(r.value);
    if (a.index >= 0) {
        const auto& xs = items(r.value.unwrapped());
        if (static_cast<std::size_t>(a.index) < xs.size()) return Res::of(xs[static_cast<std::size_t>(a.index)]);
    }
    return Res::of(r.value);
}

Flow<Res> Machine::resolve_async_let(Value v, Span span) {
    const auto& a = static_cast<const AsyncLetObj&>(*v.ref);
    at(span);
    co_await lift(m_swift.await_async_let(a.task));
    at(span);
    Res r = resolve_async_let_sync(v, span);
    if (r.ctl == Ctl::throw_) emit_text(EventKind::threw, clip(describe(r.value), 120));
    co_return r;
}

namespace {

// The synchronous evaluation of the expression kinds with more than a line or two of rules
// (Machine::eval_raw_sync dispatches here).

Res eval_string_sync(Machine& m, const StringLiteral* s, const EnvPtr& env) {
    if (s->is_plain()) return Res::of(Value::string(s->parts.empty() ? std::string() : s->parts[0].text));
    std::vector<Value> parts;
    for (const auto& p : s->parts) {
        if (!p.expr) continue;
        Res v = m.eval_sync(p.expr, env);
        if (!v.ok()) return v;
        parts.push_back(std::move(v.value));
    }
    return m.interpolate(s, parts);
}

Res eval_member_sync(Machine& m, const Member* e, const EnvPtr& env) {
    if (!e->base) return m.implicit_member(e->name, e->name_span);
    const Expr* type_base = e->base;
    while (type_base->kind == ExprKind::optional_chain || type_base->kind == ExprKind::force_unwrap)
        type_base = type_base->kind == ExprKind::optional_chain ? static_cast<const OptionalChain*>(type_base)->operand
                                                                : static_cast<const ForceUnwrap*>(type_base)->operand;
    if (e->name == "self" && type_base->kind == ExprKind::name) {
        // `UIImage.self`, `Int?.self`: a type used as a value; an unknown name is fine here.
        const auto& n = static_cast<const Name*>(type_base)->name;
        if (Binding* b = env->lookup(n); b && b->value.kind == Kind::type) return Res::of(b->value);
        auto t = std::make_shared<TypeObj>();
        t->name = n;
        return Res::of(Value::with_ref(Kind::type, std::move(t)));
    }
    Res b = m.eval_raw_sync(e->base, env);
    if (!b.ok()) return b;
    Res r = m.get_member(b.value, e->name, e->name_span);
    r.chained = r.chained || b.chained;
    return r;
}

Res eval_subscript_sync(Machine& m, const Subscript* s, const EnvPtr& env) {
    Res b = m.eval_raw_sync(s->base, env);
    if (!b.ok()) return b;
    std::vector<Value> idx;
    for (const auto& a : s->index) {
        Res v = m.eval_sync(a.value, env);
        if (!v.ok()) return v;
        idx.push_back(std::move(v.value));
    }
    Res r = m.subscript_get(b.value, idx, s);
    r.chained = r.chained || b.chained;
    return r;
}

Res eval_binary_sync(Machine& m, const Binary* b, const EnvPtr& env) {
    Res l = m.eval_sync(b->lhs, env);
    if (!l.ok()) return l;
    switch (b->op) {
    case BinaryOp::logical_and:
    case BinaryOp::logical_or: {
        if (l.value.kind != Kind::boolean)
            return m.fail(DiagnosticKind::type_mismatch, b->lhs->span, "expected a Bool, found " + type_name(l.value));
        if ((b->op == BinaryOp::logical_and) != l.value.b) return l;
        Res r = m.eval_sync(b->rhs, env);
        if (r.ok() && r.value.kind != Kind::boolean)
            return m.fail(DiagnosticKind::type_mismatch, b->rhs->span, "expected a Bool, found " + type_name(r.value));
        return r;
    }
    case BinaryOp::nil_coalesce: {
        if (!l.value.is_nil()) {
            Value v = l.value;
            if (v.opt > 0) --v.opt;
            return Res::of(v);
        }
        return m.eval_sync(b->rhs, env);
    }
    case BinaryOp::is_type:
    case BinaryOp::cast:
    case BinaryOp::cast_optional:
    case BinaryOp::cast_force: return m.apply_cast(b, l.value);
    default: break;
    }
    Res r = m.eval_sync(b->rhs, env);
    if (!r.ok()) return r;
    return m.apply_binary(b, l.value, r.value);
}

Res eval_array_sync(Machine& m, const ArrayLiteral* a, const EnvPtr& env) {
    std::vector<Value> xs;
    for (const Expr* x : a->elements) {
        Res v = m.eval_sync(x, env);
        if (!v.ok()) return v;
        xs.push_back(std::move(v.value));
    }
    return Res::of(Value::array(std::move(xs)));
}

Res eval_dict_sync(Machine& m, const DictLiteral* l, const EnvPtr& env) {
    auto d = std::make_shared<DictObj>();
    for (const auto& [k, x] : l->entries) {
        Res kv = m.eval_sync(k, env);
        if (!kv.ok()) return kv;
        Res xv = m.eval_sync(x, env);
        if (!xv.ok()) return xv;
        bool replaced = false;
        for (auto& entry : d->entries)
            if (values_equal(entry.first, kv.value)) { entry.second = xv.value; replaced = true; }
        if (!replaced) d->entries.emplace_back(std::move(kv.value), std::move(xv.value));
    }
    return Res::of(Value::with_ref(Kind::dict, std::move(d)));
}

Res eval_tuple_sync(Machine& m, const TupleExpr* t, const EnvPtr& env) {
    const bool labelled = std::any_of(t->labels.begin(), t->labels.end(), [](const std::string& l) { return !l.empty(); });
    if (t->elements.size() == 1 && !labelled) return m.eval_raw_sync(t->elements[0], env);
    std::vector<Value> xs;
    for (const Expr* x : t->elements) {
        Res v = m.eval_sync(x, env);
        if (!v.ok()) return v;
        xs.push_back(std::move(v.value));
    }
    if (xs.empty()) return Res::of(Value::void_value());
    return Res::of(Value::tuple(std::move(xs), labelled ? t->labels : std::vector<std::string>{}));
}

Res eval_range_sync(Machine& m, const RangeExpr* r, const EnvPtr& env) {
    if (!r->lower || !r->upper) return m.fail(DiagnosticKind::misuse, r->span, "one-sided ranges are not supported; write both ends");
    Res lo = m.eval_sync(r->lower, env);
    if (!lo.ok()) return lo;
    Res hi = m.eval_sync(r->upper, env);
    if (!hi.ok()) return hi;
    if (lo.value.is_number() && hi.value.is_number() && (lo.value.kind == Kind::real || hi.value.kind == Kind::real)) {
        if (hi.value.as_double() < lo.value.as_double())
            return m.fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
        return Res::of(Value::real_range(lo.value.as_double(), hi.value.as_double(), r->closed));
    }
    if (lo.value.kind != Kind::integer || hi.value.kind != Kind::integer)
        return m.fail(DiagnosticKind::type_mismatch, r->span, "a range needs Int or Double bounds");
    if (hi.value.i < lo.value.i || (!r->closed && hi.value.i < lo.value.i))
        return m.fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
    return Res::of(Value::range(lo.value.i, hi.value.i, r->closed));
}

}  // namespace

Res Machine::eval_raw_sync(const Expr* e, const EnvPtr& env) {
    if (m_fatal) return Res::make(Ctl::fatal);
    switch (e->kind) {
    case ExprKind::int_literal: {
        const auto* lit = static_cast<const IntLiteral*>(e);
        return Res::of(lit->above_int_max ? Value::integer(IntType::uint64, lit->value) : Value::integer(lit->value));
    }
    case ExprKind::double_literal: return Res::of(Value::real(static_cast<const DoubleLiteral*>(e)->value));
    case ExprKind::bool_literal: return Res::of(Value::boolean(static_cast<const BoolLiteral*>(e)->value));
    case ExprKind::nil_literal: return Res::of(Value::nil());
    case ExprKind::string_literal: return eval_string_sync(*this, static_cast<const StringLiteral*>(e), env);
    case ExprKind::name: {
        Res r = lookup_name(static_cast<const Name*>(e), env);
        if (r.ok() && r.value.kind == Kind::async_let) return resolve_async_let_sync(r.value, e->span);
        return r;
    }
    case ExprKind::member: return eval_member_sync(*this, static_cast<const Member*>(e), env);
    case ExprKind::call: return eval_call_sync(static_cast<const Call*>(e), env, {});
    case ExprKind::subscript: return eval_subscript_sync(*this, static_cast<const Subscript*>(e), env);
    case ExprKind::unary: {
        const auto* u = static_cast<const Unary*>(e);
        Res v = eval_sync(u->operand, env);
        if (!v.ok()) return v;
        return apply_unary(u, v.value);
    }
    case ExprKind::binary: return eval_binary_sync(*this, static_cast<const Binary*>(e), env);
    case ExprKind::ternary: {
        const auto* t = static_cast<const Ternary*>(e);
        Res c = eval_sync(t->cond, env);
        if (!c.ok()) return c;
        if (c.value.kind != Kind::boolean)
            return fail(DiagnosticKind::type_mismatch, t->cond->span, "expected a Bool, found " + type_name(c.value));
        return eval_sync(c.value.b ? t->then_expr : t->else_expr, env);
    }
    case ExprKind::closure: return make_closure(static_cast<const Closure*>(e), env);
    case ExprKind::try_: {
        const auto* t = static_cast<const Try*>(e);
        return apply_try(t, eval_sync(t->operand, env));
    }
    case ExprKind::await_: return eval_sync(static_cast<const Await*>(e)->operand, env);
    case ExprKind::array: return eval_array_sync(*this, static_cast<const ArrayLiteral*>(e), env);
    case ExprKind::dict: return eval_dict_sync(*this, static_cast<const DictLiteral*>(e), env);
    case ExprKind::tuple: return eval_tuple_sync(*this, static_cast<const TupleExpr*>(e), env);
    case ExprKind::range: return eval_range_sync(*this, static_cast<const RangeExpr*>(e), env);
    case ExprKind::force_unwrap: {
        const auto* f = static_cast<const ForceUnwrap*>(e);
        Res v = eval_sync(f->operand, env);
        if (!v.ok()) return v;
        if (v.value.is_nil())
            return fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
        if (v.value.opt > 0) --v.value.opt;
        return v;
    }
    case ExprKind::optional_chain: {
        const auto* o = static_cast<const OptionalChain*>(e);
        Res v = eval_raw_sync(o->operand, env);
        if (!v.ok()) return v;
        if (v.value.is_nil()) return Res::make(Ctl::chain_nil);
        if (v.value.opt > 0) --v.value.opt;
        v.chained = true;
        return v;
    }
    case ExprKind::comprehension:
        return fail(DiagnosticKind::misuse, e->span, "a list comprehension is Python; it cannot run in a Swift scenario");
    case ExprKind::yield_: return fail(DiagnosticKind::misuse, e->span, "`yield` is Python; it cannot run in a Swift scenario");
    case ExprKind::compare_chain:
    case ExprKind::named:
    case ExprKind::starred:
    case ExprKind::set: return fail(DiagnosticKind::misuse, e->span, "this Python expression cannot run in a Swift scenario");
    case ExprKind::stmt_expr: return eval_stmt_expr_sync(static_cast<const StmtExpr*>(e)->stmt, env);
    }
    return fail(DiagnosticKind::misuse, e->span, "this expression is not supported");
}

/// The coroutine path for an expression marked may_suspend: a plain dispatcher picks a small
/// coroutine per kind; children are evaluated on the path their own marks choose, then the
/// same rules as the synchronous path apply.
Flow<Res> Machine::eval_suspending(const Expr* e, EnvPtr env) {
    if (m_fatal) return ready(Res::make(Ctl::fatal));
    switch (e->kind) {
    case ExprKind::name: return eval_name_async(static_cast<const Name*>(e), std::move(env));
    case ExprKind::string_literal: return eval_string_async(static_cast<const StringLiteral*>(e), std::move(env));
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        if (!m->base || m->name == "self") return ready(eval_raw_sync(e, env));
        return eval_member_async(m, std::move(env));
    }
    case ExprKind::call: return eval_call(static_cast<const Call*>(e), std::move(env), {});
    case ExprKind::subscript: return eval_subscript_async(static_cast<const Subscript*>(e), std::move(env));
    case ExprKind::unary: return eval_unary_async(static_cast<const Unary*>(e), std::move(env));
    case ExprKind::binary: return eval_binary_async(static_cast<const Binary*>(e), std::move(env));
    case ExprKind::ternary: return eval_ternary_async(static_cast<const Ternary*>(e), std::move(env));
    case ExprKind::try_: return eval_try_async(static_cast<const Try*>(e), std::move(env));
    case ExprKind::await_: return eval_raw(static_cast<const Await*>(e)->operand, std::move(env));  // `await` itself adds nothing
    case ExprKind::array:
    case ExprKind::tuple:
    case ExprKind::dict: return eval_list_async(e, std::move(env));
    case ExprKind::force_unwrap:
    case ExprKind::optional_chain: return eval_unwrap_async(e, std::move(env));
    case ExprKind::range: return eval_range_async(static_cast<const RangeExpr*>(e), std::move(env));
    case ExprKind::stmt_expr: return eval_stmt_expr(static_cast<const StmtExpr*>(e)->stmt, std::move(env));
    default: return ready(eval_raw_sync(e, env));
    }
}

Flow<Res> Machine::eval_name_async(const Name* n, EnvPtr env) {
    Res r = lookup_name(n, env);
    if (r.ok() && r.value.kind == Kind::async_let) {
        Res a = co_await resolve_async_let(r.value, n->span);
        co_return a;
    }
    co_return r;
}

Flow<Res> Machine::eval_string_async(const StringLiteral* s, EnvPtr env) {
    std::vector<Value> parts;
    for (const auto& p : s->parts) {
        if (!p.expr) continue;
        Res v = co_await eval(p.expr, env);
        if (!v.ok()) co_return v;
        parts.push_back(std::move(v.value));
    }
    co_return interpolate(s, parts);
}

Flow<Res> Machine::eval_member_async(const Member* m, EnvPtr env) {
    Res b = co_await eval_raw(m->base, env);
    if (!b.ok()) co_return b;
    if (b.value.kind == Kind::task && m->name == "value") {
        // `await task.value`: wait for the task; its error is rethrown. semantics: F27, F28
        const auto t = static_cast<TaskId>(b.value.i);
        at(m->span);
        co_await lift(m_swift.join(t));
        at(m->span);
        Res r = result_of(t);
        if (r.ctl == Ctl::return_) r.ctl = Ctl::normal;
        if (r.ctl == Ctl::throw_) {
            emit_text(EventKind::threw, clip(describe(r.value), 120));
            co_return Res::thrown(r.value);
        }
        if (r.ctl == Ctl::fatal) co_return Res::make(Ctl::fatal);
        r.chained = b.chained;
        co_return r;
    }
    Res r = get_member(b.value, m->name, m->name_span);
    r.chained = r.chained || b.chained;
    co_return r;
}

Flow<Res> Machine::eval_subscript_async(const Subscript* s, EnvPtr env) {
    Res b = co_await eval_raw(s->base, env);
    if (!b.ok()) co_return b;
    std::vector<Value> idx;
    for (const auto& a : s->index) {
        Res v = co_await eval(a.value, env);
        if (!v.ok()) co_return v;
        idx.push_back(std::move(v.value));
    }
    Res r = subscript_get(b.value, idx, s);
    r.chained = r.chained || b.chained;
    co_return r;
}

Flow<Res> Machine::eval_unary_async(const Unary* u, EnvPtr env) {
    Res v = co_await eval(u->operand, env);
    if (!v.ok()) co_return v;
    co_return apply_unary(u, v.value);
}

Flow<Res> Machine::eval_binary_async(const Binary* b, EnvPtr env) {
    Res l = co_await eval(b->lhs, env);
    if (!l.ok()) co_return l;
    switch (b->op) {
    case BinaryOp::logical_and:
    case BinaryOp::logical_or: {
        if (l.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, b->lhs->span, "expected a Bool, found " + type_name(l.value));
        if ((b->op == BinaryOp::logical_and) != l.value.b) co_return l;
        Res r = co_await eval(b->rhs, env);
        if (r.ok() && r.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, b->rhs->span, "expected a Bool, found " + type_name(r.value));
        co_return r;
    }
    case BinaryOp::nil_coalesce: {
        if (!l.value.is_nil()) {
            Value v = l.value;
            if (v.opt > 0) --v.opt;
            co_return Res::of(v);
        }
        Res r = co_await eval(b->rhs, env);
        co_return r;
    }
    case BinaryOp::is_type:
    case BinaryOp::cast:
    case BinaryOp::cast_optional:
    case BinaryOp::cast_force: co_return apply_cast(b, l.value);
    default: break;
    }
    Res r = co_await eval(b->rhs, env);
    if (!r.ok()) co_return r;
    co_return apply_binary(b, l.value, r.value);
}

Flow<Res> Machine::eval_ternary_async(const Ternary* t, EnvPtr env) {
    Res c = co_await eval(t->cond, env);
    if (!c.ok()) co_return c;
    if (c.value.kind != Kind::boolean)
        co_return fail(DiagnosticKind::type_mismatch, t->cond->span, "expected a Bool, found " + type_name(c.value));
    const Expr* pick = c.value.b ? t->then_expr : t->else_expr;
    Res r = co_await eval(pick, env);
    co_return r;
}

Flow<Res> Machine::eval_try_async(const Try* t, EnvPtr env) {
    Res r = co_await eval(t->operand, env);
    co_return apply_try(t, std::move(r));
}

Flow<Res> Machine::eval_list_async(const Expr* e, EnvPtr env) {
    if (e->kind == ExprKind::dict) {
        auto d = std::make_shared<DictObj>();
        for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
            Res kv = co_await eval(k, env);
            if (!kv.ok()) co_return kv;
            Res xv = co_await eval(x, env);
            if (!xv.ok()) co_return xv;
            d->entries.emplace_back(std::move(kv.value), std::move(xv.value));
        }
        co_return Res::of(Value::with_ref(Kind::dict, std::move(d)));
    }
    const bool is_tuple = e->kind == ExprKind::tuple;
    const auto& elements = is_tuple ? static_cast<const TupleExpr*>(e)->elements : static_cast<const ArrayLiteral*>(e)->elements;
    bool labelled = false;
    if (is_tuple) {
        const auto& labels = static_cast<const TupleExpr*>(e)->labels;
        labelled = std::any_of(labels.begin(), labels.end(), [](const std::string& l) { return !l.empty(); });
        if (elements.size() == 1 && !labelled) {
            Res r = co_await eval_raw(elements[0], env);
            co_return r;
        }
    }
    std::vector<Value> xs;
    for (const Expr* x : elements) {
        Res v = co_await eval(x, env);
        if (!v.ok()) co_return v;
        xs.push_back(std::move(v.value));
    }
    if (!is_tuple) co_return Res::of(Value::array(std::move(xs)));
    if (xs.empty()) co_return Res::of(Value::void_value());
    co_return Res::of(Value::tuple(std::move(xs), labelled ? static_cast<const TupleExpr*>(e)->labels : std::vector<std::string>{}));
}

Flow<Res> Machine::eval_unwrap_async(const Expr* e, EnvPtr env) {
    if (e->kind == ExprKind::force_unwrap) {
        Res v = co_await eval(static_cast<const ForceUnwrap*>(e)->operand, env);
        if (!v.ok()) co_return v;
        if (v.value.is_nil())
            co_return fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
        if (v.value.opt > 0) --v.value.opt;
        co_return v;
    }
    Res v = co_await eval_raw(static_cast<const OptionalChain*>(e)->operand, env);
    if (!v.ok()) co_return v;
    if (v.value.is_nil()) co_return Res::make(Ctl::chain_nil);
    if (v.value.opt > 0) --v.value.opt;
    v.chained = true;
    co_return v;
}

Flow<Res> Machine::eval_range_async(const RangeExpr* r, EnvPtr env) {
    Res lo = co_await eval(r->lower, env);
    if (!lo.ok()) co_return lo;
    Res hi = co_await eval(r->upper, env);
    if (!hi.ok()) co_return hi;
    if (lo.value.is_number() && hi.value.is_number() && (lo.value.kind == Kind::real || hi.value.kind == Kind::real)) {
        if (hi.value.as_double() < lo.value.as_double())
            co_return fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
        co_return Res::of(Value::real_range(lo.value.as_double(), hi.value.as_double(), r->closed));
    }
    if (lo.value.kind != Kind::integer || hi.value.kind != Kind::integer)
        co_return fail(DiagnosticKind::type_mismatch, r->span, "a range needs Int or Double bounds");
    if (hi.value.i < lo.value.i) co_return fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
    co_return Res::of(Value::range(lo.value.i, hi.value.i, r->closed));
}

}  // namespace tasklab::interp
