// Python expressions on the synchronous path: operators, subscripts and slices,
// comprehensions, f-strings, and the rest of the expression forms.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Expressions: the synchronous path
// =========================================================================================

namespace {

Res eval_unary(Machine& vm, const Expr* e, const EnvPtr& env) {
    const auto* u = static_cast<const Unary*>(e);
    Res v = vm.eval(u->operand, env);
    if (!v.ok()) return v;
    switch (u->op) {
    case UnaryOp::address_of: return v;  // Swift only
    case UnaryOp::logical_not: {
        bool t = false;
        Res r = vm.truthy(v.value, t);
        if (!r.ok()) return r;
        return Res::of(Value::boolean(!t));
    }
    case UnaryOp::negate:
        if (v.value.kind == VKind::integer) {
            if (v.value.i == INT64_MIN) return vm.fail(DiagnosticKind::misuse, u->span, "integer overflow: tasklab's Python ints are 64-bit");
            return Res::of(Value::integer(-v.value.i));
        }
        if (v.value.kind == VKind::boolean) return Res::of(Value::integer(v.value.b ? -1 : 0));
        if (v.value.kind == VKind::real) return Res::of(Value::real(-v.value.d));
        return vm.raise_error("TypeError", "bad operand type for unary -: '" + vm.type_name(v.value) + "'");
    case UnaryOp::plus:
        if (v.value.kind == VKind::boolean) return Res::of(Value::integer(v.value.b ? 1 : 0));
        if (v.value.is_number()) return v;
        return vm.raise_error("TypeError", "bad operand type for unary +: '" + vm.type_name(v.value) + "'");
    case UnaryOp::bit_not: break;  // Swift's `~`: the Python parser does not make it
    }
    return v;
}

/// The elements of a list or tuple display, `*x` unpacked.
Res eval_elements(Machine& vm, const std::vector<const Expr*>& elements, const EnvPtr& env, std::vector<Value>& xs) {
    for (const Expr* x : elements) {
        Res v = vm.eval(x, env);
        if (!v.ok()) return v;
        Res added = vm.add_item(x, std::move(v.value), xs);
        if (!added.ok()) return added;
    }
    return Res::of();
}

Res eval_dict(Machine& vm, const Expr* e, const EnvPtr& env) {
    auto d = std::make_shared<Dict>();
    for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
        Res kv = vm.eval(k, env);
        if (!kv.ok()) return kv;
        Res xv = vm.eval(x, env);
        if (!xv.ok()) return xv;
        dict_set(*d, std::move(kv.value), std::move(xv.value));
    }
    return Res::of(Value::of(std::move(d)));
}

}  // namespace

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
    case ExprKind::unary: return eval_unary(*this, e, env);
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
        if (Res r = eval_elements(*this, static_cast<const ArrayLiteral*>(e)->elements, env, xs); !r.ok()) return r;
        return Res::of(py::make_list(std::move(xs)));
    }
    case ExprKind::tuple: {
        std::vector<Value> xs;
        if (Res r = eval_elements(*this, static_cast<const TupleExpr*>(e)->elements, env, xs); !r.ok()) return r;
        return Res::of(make_tuple(std::move(xs)));
    }
    case ExprKind::starred: return eval(static_cast<const Starred*>(e)->operand, env);  // unpacked by the display around it
    case ExprKind::dict: return eval_dict(*this, e, env);
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

}  // namespace tasklab::py
