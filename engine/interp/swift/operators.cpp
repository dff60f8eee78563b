// What expressions compute once their operands are known: string interpolation, closures
// made from literals, unary and binary operators (arithmetic with Swift's overflow traps,
// comparisons, `??`), type names, `is`/`as?`/`as!` casts, `try?`/`try!`, and subscripts.
#include <algorithm>
#include <cmath>
#include <cstdint>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

Res Machine::interpolate(const StringLiteral* s, const std::vector<Value>& parts) {
    std::string out;
    std::size_t k = 0;
    for (const auto& p : s->parts) {
        if (!p.expr) {
            out += p.text;
            continue;
        }
        if (k < parts.size()) out += describe(parts[k++]);
    }
    return Res::of(Value::string(std::move(out)));
}

Res Machine::make_closure(const Closure* c, const EnvPtr& env) {
    auto obj = std::make_shared<ClosureObj>();
    obj->expr = c;
    obj->env = env;
    return Res::of(Value::with_ref(Kind::closure, std::move(obj)));
}

Res Machine::apply_unary(const Unary* u, const Value& v) {
    switch (u->op) {
    case UnaryOp::negate:
        if (v.kind == Kind::integer && v.opt == 0) {
            IntResult r = int_negate(v);
            if (r.trap) return fail(DiagnosticKind::misuse, u->span, r.trap);
            return Res::of(std::move(r.value));
        }
        if (v.kind == Kind::real) return Res::of(Value::real(-v.d));
        if (v.kind == Kind::duration) return Res::of(Value::scalar(Kind::duration, -v.i));
        break;
    case UnaryOp::plus:
        if (v.is_number()) return Res::of(v);
        break;
    case UnaryOp::logical_not:
        if (v.kind == Kind::boolean) return Res::of(Value::boolean(!v.b));
        break;
    case UnaryOp::address_of: return Res::of(v);  // `&x`: the value goes in; the call writes it back
    case UnaryOp::bit_not:
        if (v.kind == Kind::integer && v.opt == 0) return Res::of(int_bit_not(v));
        break;
    }
    return fail(DiagnosticKind::type_mismatch, u->span, "this operator cannot be applied to a value of type " + type_name(v));
}

Res Machine::apply_binary(const Binary* b, const Value& l, const Value& r) {
    switch (b->op) {
    case BinaryOp::eq: return Res::of(Value::boolean(values_equal(l, r)));
    case BinaryOp::ne: return Res::of(Value::boolean(!values_equal(l, r)));
    case BinaryOp::identical:
    case BinaryOp::not_identical: {
        const bool same = (l.ref && l.ref == r.ref) || (l.is_nil() && r.is_nil()) ||
                          (!l.ref && !r.ref && l.kind == r.kind && l.i == r.i && l.kind != Kind::nil);
        return Res::of(Value::boolean(b->op == BinaryOp::identical ? same : !same));
    }
    case BinaryOp::lt:
    case BinaryOp::le:
    case BinaryOp::gt:
    case BinaryOp::ge: {
        if (l.opt > 0 || r.opt > 0 || l.is_nil() || r.is_nil())
            return fail(DiagnosticKind::type_mismatch, b->op_span, "an Optional must be unwrapped before it is compared");
        bool ok = true;
        bool less = false;
        switch (b->op) {
        case BinaryOp::lt: less = value_less(l, r, ok); break;
        case BinaryOp::gt: less = value_less(r, l, ok); break;
        case BinaryOp::le: less = !value_less(r, l, ok); break;
        default: less = !value_less(l, r, ok); break;
        }
        if (!ok)
            return fail(DiagnosticKind::type_mismatch, b->op_span,
                        "values of type " + type_name(l) + " and " + type_name(r) + " cannot be compared");
        return Res::of(Value::boolean(less));
    }
    case BinaryOp::add:
    case BinaryOp::sub:
    case BinaryOp::mul:
    case BinaryOp::div:
    case BinaryOp::mod: return apply_arith(b->op, l, r, b->op_span);
    case BinaryOp::wrapping_add:
    case BinaryOp::wrapping_sub:
    case BinaryOp::wrapping_mul:
    case BinaryOp::bit_and:
    case BinaryOp::bit_or:
    case BinaryOp::bit_xor:
    case BinaryOp::shift_left:
    case BinaryOp::shift_right:
    case BinaryOp::masking_shift_left:
    case BinaryOp::masking_shift_right: return apply_integer_op(b->op, l, r, b->op_span);
    default: break;
    }
    return fail(DiagnosticKind::misuse, b->op_span, "this operator is not part of tasklab's Swift subset");
}

Res Machine::apply_arith(BinaryOp op, const Value& l, const Value& r, Span span) {
    static constexpr const char* names[] = {"+", "-", "*", "/", "//", "%", "**"};
    const std::string opname = static_cast<int>(op) < 7 ? names[static_cast<int>(op)] : "?";
    auto mismatch = [&] {
        return fail(DiagnosticKind::type_mismatch, span,
                    "binary operator `" + opname + "` cannot be applied to operands of type " + type_name(l) + " and " +
                        type_name(r));
    };
    if (l.opt > 0 || r.opt > 0 || l.is_nil() || r.is_nil()) return mismatch();
    if (l.kind == Kind::integer && r.kind == Kind::integer && (l.itype != IntType::int_ || r.itype != IntType::int_ || op > BinaryOp::pow))
        return apply_integer_op(op, l, r, span);
    if (l.kind == Kind::integer && r.kind == Kind::integer) {
        std::int64_t out = 0;
        switch (op) {
        case BinaryOp::add:
            if (__builtin_add_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::sub:
            if (__builtin_sub_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::mul:
            if (__builtin_mul_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::div:
            if (r.i == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero");
            if (l.i == INT64_MIN && r.i == -1) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(l.i / r.i));
        case BinaryOp::mod:
            if (r.i == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero in remainder operation");
            if (r.i == -1) {  // Int.min % -1 overflows (and traps) in Swift; any other x % -1 is 0
                if (l.i == INT64_MIN) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
                return Res::of(Value::integer(0));
            }
            return Res::of(Value::integer(l.i % r.i));
        default: return mismatch();
        }
    }
    if (l.is_number() && r.is_number()) {
        // Swift literals take the type their context needs: `1 + 0.5` is a Double sum.
        const double x = l.as_double();
        const double y = r.as_double();
        switch (op) {
        case BinaryOp::add: return Res::of(Value::real(x + y));
        case BinaryOp::sub: return Res::of(Value::real(x - y));
        case BinaryOp::mul: return Res::of(Value::real(x * y));
        case BinaryOp::div: return Res::of(Value::real(x / y));
        default: return mismatch();
        }
    }
    if (op == BinaryOp::add && l.kind == Kind::string && r.kind == Kind::string) {
        const std::uint64_t n = str(l).size() + str(r).size();
        if (!reserve_memory(MemoryKind::string, n, n, span)) return Res::make(Ctl::fatal);
        return Res::of(Value::string(str(l) + str(r)));
    }
    if (op == BinaryOp::add && l.kind == Kind::array && r.kind == Kind::array) {
        const std::uint64_t n = items(l).size() + items(r).size();
        if (!reserve_memory(MemoryKind::array, n, n * sizeof(Value), span)) return Res::make(Ctl::fatal);
        std::vector<Value> xs = items(l);
        const auto& ys = items(r);
        xs.insert(xs.end(), ys.begin(), ys.end());
        return Res::of(Value::array(std::move(xs)));
    }
    auto seconds_of = [](const Value& v) -> Tick {
        if (v.kind == Kind::duration) return v.i;
        if (v.kind == Kind::integer) return saturating_ticks(static_cast<double>(v.i));
        return saturating_ticks(v.d);
    };
    const bool r_interval = r.kind == Kind::duration || r.is_number();
    if (l.kind == Kind::dispatch_time && r_interval && (op == BinaryOp::add || op == BinaryOp::sub)) {
        // Saturates at the clock's end: `.now() + 1e10` is far in the future, never the past.
        const Tick d = seconds_of(r);
        const Tick t = op == BinaryOp::add ? std::min(l.i + std::min(d, k_far_future), k_far_future) : l.i - std::min(d, k_far_future);
        return Res::of(Value::scalar(Kind::dispatch_time, t));
    }
    if (l.kind == Kind::dispatch_time && r.kind == Kind::dispatch_time && op == BinaryOp::sub)
        return Res::of(Value::scalar(Kind::duration, l.i - r.i));
    if (l.kind == Kind::duration && r.kind == Kind::duration) {
        if (op == BinaryOp::add) return Res::of(Value::scalar(Kind::duration, l.i + r.i));
        if (op == BinaryOp::sub) return Res::of(Value::scalar(Kind::duration, l.i - r.i));
        if (op == BinaryOp::div && r.i != 0) return Res::of(Value::real(static_cast<double>(l.i) / static_cast<double>(r.i)));
    }
    if (l.kind == Kind::duration && r.is_number() && (op == BinaryOp::mul || op == BinaryOp::div)) {
        const double f = r.as_double();
        if (op == BinaryOp::div && f == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero");
        const double t = op == BinaryOp::mul ? static_cast<double>(l.i) * f : static_cast<double>(l.i) / f;
        return Res::of(Value::scalar(Kind::duration, static_cast<Tick>(std::llround(t))));
    }
    if (l.is_number() && r.kind == Kind::duration && op == BinaryOp::mul)
        return Res::of(Value::scalar(Kind::duration, static_cast<Tick>(std::llround(l.as_double() * static_cast<double>(r.i)))));
    return mismatch();
}

std::string Machine::type_text(const Expr* e) const {
    if (!e) return {};
    switch (e->kind) {
    case ExprKind::name: return static_cast<const Name*>(e)->name;
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        return m->base ? type_text(m->base) + "." + m->name : "." + m->name;
    }
    case ExprKind::optional_chain: return type_text(static_cast<const OptionalChain*>(e)->operand) + "?";
    case ExprKind::force_unwrap: return type_text(static_cast<const ForceUnwrap*>(e)->operand) + "!";
    case ExprKind::array: {
        const auto* a = static_cast<const ArrayLiteral*>(e);
        return a->elements.size() == 1 ? "[" + type_text(a->elements[0]) + "]" : "Array";
    }
    default: return {};
    }
}

bool Machine::type_matches(const Value& v, const Expr* type_expr) {
    const Value u = v.unwrapped();
    if (u.is_nil()) return false;
    // Value patterns in `catch`: `catch URLError.cancelled`, `catch MyError.timeout`.
    if (type_expr->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(type_expr);
        const std::string base = type_text(m->base);
        if (base == "URLError" || base == "URLError.Code") {
            if (m->name == "Code") return false;
            return u.kind == Kind::url_error && str(u) == m->name;
        }
        if (u.kind == Kind::enum_case) {
            const auto& t = static_cast<const TypeObj&>(*u.ref);
            if (t.name == base && t.decl && static_cast<std::size_t>(u.i) < t.decl->cases.size())
                return t.decl->cases[static_cast<std::size_t>(u.i)] == m->name;
        }
    }
    std::string t = type_text(type_expr);
    if (t.rfind("any ", 0) == 0) t.erase(0, 4);
    while (!t.empty() && (t.back() == '?' || t.back() == '!')) t.pop_back();
    if (t == "Error" || t == "Swift.Error" || t == "LocalizedError") return is_error_value(u);
    if (t == "Any" || t == "AnyObject") return true;
    if (t == "Int") return u.kind == Kind::integer;
    if (t == "Double" || t == "Float") return u.kind == Kind::real;
    if (t == "String") return u.kind == Kind::string;
    if (t == "Bool") return u.kind == Kind::boolean;
    if (t == "CancellationError") return u.kind == Kind::cancellation_error;
    if (t == "URLError") return u.kind == Kind::url_error;
    if (t == "Data") return u.kind == Kind::data;
    if (t == "URL") return u.kind == Kind::url;
    if (t == "DispatchWorkItem") return u.kind == Kind::work_item;
    if (t == "DispatchGroup") return u.kind == Kind::dispatch_group;
    if (t == "DispatchSemaphore") return u.kind == Kind::semaphore;
    if (t == "Duration") return u.kind == Kind::duration;
    if (!t.empty() && t.front() == '[') return u.kind == Kind::array || u.kind == Kind::dict;
    if (u.kind == Kind::instance) {
        const auto& inst = static_cast<const InstanceObj&>(*u.ref);
        if (inst.type->name == t) return true;
        if (inst.type->decl)
            for (const Expr* base : inst.type->decl->bases)
                if (type_text(base) == t) return true;
        const auto all = conformances(inst.type->name, inst.type->decl);  // extensions, inherited protocols
        return std::find(all.begin(), all.end(), t) != all.end();
    }
    if (u.kind == Kind::enum_case) {
        const auto& et = static_cast<const TypeObj&>(*u.ref);
        if (et.name == t) return true;
        if (et.decl)
            for (const Expr* base : et.decl->bases)
                if (type_text(base) == t) return true;
        const auto all = conformances(et.name, et.decl);
        return std::find(all.begin(), all.end(), t) != all.end();
    }
    return false;
}

Res Machine::apply_cast(const Binary* b, const Value& v) {
    switch (b->op) {
    case BinaryOp::is_type: return Res::of(Value::boolean(type_matches(v, b->rhs)));
    case BinaryOp::cast: return Res::of(v);
    case BinaryOp::cast_optional: {
        if (!type_matches(v, b->rhs)) return Res::of(Value::nil());
        return Res::of(v.unwrapped().wrapped());
    }
    case BinaryOp::cast_force:
        if (!type_matches(v, b->rhs))
            return fail(DiagnosticKind::type_mismatch, b->span,
                        "Could not cast value of type '" + type_name(v.unwrapped()) + "' to '" + type_text(b->rhs) + "'");
        return Res::of(v.unwrapped());
    default: return Res::of(v);
    }
}

Res Machine::apply_try(const Try* t, Res r) {
    switch (t->try_kind) {
    case TryKind::plain: return r;
    case TryKind::optional:
        if (r.ctl == Ctl::throw_) {
            at(t->span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            return Res::of(Value::nil());
        }
        if (r.ok() && !r.value.is_nil() && r.value.opt == 0) {
            if (r.value.kind == Kind::void_) return Res::of(Value::void_value().wrapped());
            r.value = r.value.wrapped();
        }
        return r;
    case TryKind::force:
        if (r.ctl == Ctl::throw_)
            return fail(DiagnosticKind::misuse, t->span,
                        "'try!' expression unexpectedly raised an error: " + describe(r.value, Style::reflecting));
        return r;
    }
    return r;
}

Res Machine::subscript_get(const Value& base_in, const std::vector<Value>& index, const Subscript* s) {
    const Value base = base_in.opt > 0 ? base_in.unwrapped() : base_in;
    if (base.is_nil())
        return fail(DiagnosticKind::nil_unwrap, s->base->span, "Unexpectedly found nil while unwrapping an Optional value");
    if (index.empty()) return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
    if (base.kind == Kind::instance || base.kind == Kind::enum_case || base.kind == Kind::type) {
        // A `subscript` declaration of a user type: called like a method with the index
        // arguments; among several, the one whose labels match.
        Args args;
        for (std::size_t k = 0; k < index.size() && k < s->index.size(); ++k)
            args.push_back(ArgVal{s->index[k].label, index[k], s->index[k].span, false, s->index[k].value});
        const auto type = base.kind == Kind::instance ? static_cast<const InstanceObj&>(*base.ref).type
                                                      : std::static_pointer_cast<TypeObj>(base.ref);
        std::vector<const Block*> blocks;
        if (type->decl) blocks.push_back(&type->decl->members);
        if (auto it = m_extensions.find(type->name); it != m_extensions.end())
            for (const TypeDecl* e : it->second) blocks.push_back(&e->members);
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            for (const Stmt* m : *blocks[b]) {
                if (m->kind != StmtKind::func_decl || !static_cast<const FuncDecl*>(m)->is_subscript) continue;
                const auto* f = static_cast<const FuncDecl*>(m);
                if (f->is_static != (base.kind == Kind::type) || f->params.size() != args.size()) continue;
                bool match = true;
                for (std::size_t k = 0; k < args.size() && match; ++k)
                    match = args[k].label == (f->params[k].label == "_" ? std::string() : f->params[k].label);
                if (!match) continue;
                auto fo = std::make_shared<FuncObj>();
                fo->decl = f;
                fo->env = b == 0 && type->decl ? type->env : m_globals;
                fo->self = base;
                fo->owner = type;
                const Site site{s->span, {}, {}};
                return call_sync(Value::with_ref(Kind::function, std::move(fo)), args, site);
            }
        }
        if (type->decl) return fail(DiagnosticKind::wrong_arguments, s->span, "no `subscript` of `" + type->name + "` takes these arguments");
    }
    const Value& idx = index[0];
    if (base.kind == Kind::array) {
        const auto& xs = items(base);
        if (idx.kind == Kind::integer) {
            if (idx.i < 0 || static_cast<std::size_t>(idx.i) >= xs.size())
                return fail(DiagnosticKind::index_out_of_range, s->span, "Index out of range");
            return Res::of(xs[static_cast<std::size_t>(idx.i)]);
        }
        if (idx.kind == Kind::range && !static_cast<const RangeObj&>(*idx.ref).real) {
            const auto& r = static_cast<const RangeObj&>(*idx.ref);
            if (r.lo < 0 || static_cast<std::size_t>(r.end_exclusive()) > xs.size())
                return fail(DiagnosticKind::index_out_of_range, s->span, "Array index is out of range");
            return Res::of(Value::array(std::vector<Value>(xs.begin() + r.lo, xs.begin() + r.end_exclusive())));
        }
    }
    if (base.kind == Kind::dict) {
        for (const auto& [k, v] : static_cast<const DictObj&>(*base.ref).entries)
            if (values_equal(k, idx)) return Res::of(index.size() > 1 ? v : v.wrapped());
        if (index.size() > 1) return Res::of(index[1]);  // dict[key, default: value]
        return Res::of(Value::nil());
    }
    if (base.kind == Kind::tuple && idx.kind == Kind::integer) {
        const auto& xs = items(base);
        if (idx.i >= 0 && static_cast<std::size_t>(idx.i) < xs.size()) return Res::of(xs[static_cast<std::size_t>(idx.i)]);
    }
    return fail(DiagnosticKind::type_mismatch, s->span,
                "a value of type " + type_name(base) + " cannot be subscripted with " + type_name(idx));
}

}  // namespace tasklab::interp
