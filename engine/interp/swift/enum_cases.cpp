// The cases of user enums as values: a case or a case constructor (`.failed(error)`) looked up
// by name, cases of enums nested in other types, raw values (`rawValue`, `E(rawValue:)`) and
// `allCases`. Patterns that take cases apart are in patterns.cpp.
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

using namespace ast;

Res Machine::enum_case_value(const std::shared_ptr<TypeObj>& type, std::size_t index) {
    Value plain = Value::with_ref(Kind::enum_case, type, static_cast<std::int64_t>(index));
    const TypeDecl* d = type->decl;
    if (!d || index >= d->case_decls.size() || !d->case_decls[index].has_payload) return Res::of(plain);
    auto ctor = std::make_shared<BuiltinObj>();
    ctor->name = "enum case";
    ctor->receiver = std::move(plain);
    return Res::of(Value::with_ref(Kind::builtin, std::move(ctor)));
}

Res Machine::nested_enum_case(const std::string& name, bool& found) {
    found = false;
    // Breadth-first over the types declared inside global types; nesting is bounded by the
    // parser's depth limit.
    std::vector<std::pair<const TypeDecl*, EnvPtr>> queue;
    for (const auto& b : m_globals->vars)
        if (b.value.kind == Kind::type) {
            const auto& t = static_cast<const TypeObj&>(*b.value.ref);
            if (t.decl) queue.emplace_back(t.decl, t.env);
        }
    for (std::size_t head = 0; head < queue.size(); ++head) {
        const auto [decl, env] = queue[head];
        for (const Stmt* m : decl->members) {
            if (m->kind != StmtKind::type_decl) continue;
            const auto* inner = static_cast<const TypeDecl*>(m);
            queue.emplace_back(inner, env);
            if (inner->type_kind != TypeKind::enum_) continue;
            for (std::size_t k = 0; k < inner->cases.size(); ++k) {
                if (inner->cases[k] != name) continue;
                auto t = std::make_shared<TypeObj>();
                t->name = inner->name;
                t->decl = inner;
                t->env = env;
                found = true;
                return enum_case_value(t, k);
            }
        }
    }
    return Res::of();
}

Res Machine::make_enum_payload(const BuiltinObj& ctor, Args& args, const Site& site) {
    const Value& plain = ctor.receiver;
    const auto& type = static_cast<const TypeObj&>(*plain.ref);
    const EnumCaseDecl& c = type.decl->case_decls[static_cast<std::size_t>(plain.i)];
    std::string expected = "(";
    for (std::size_t k = 0; k < c.payload_labels.size(); ++k)
        expected += (k ? ", " : "") + (c.payload_labels[k].empty() ? std::string("_") : c.payload_labels[k]) + ":";
    expected += ")";
    if (args.size() != c.payload_labels.size()) return wrong_args(site, type.name + "." + c.name, expected);
    std::vector<Value> values;
    for (std::size_t k = 0; k < args.size(); ++k) {
        if (args[k].label != c.payload_labels[k]) return wrong_args(site, type.name + "." + c.name, expected);
        values.push_back(args[k].value);
    }
    auto obj = std::make_shared<EnumPayloadObj>();
    obj->name = type.name;
    obj->decl = type.decl;
    obj->env = type.env;
    const bool labelled = std::any_of(c.payload_labels.begin(), c.payload_labels.end(), [](const std::string& l) { return !l.empty(); });
    obj->payload = Value::tuple(std::move(values), labelled ? c.payload_labels : std::vector<std::string>{});
    return Res::of(Value::with_ref(Kind::enum_case, std::move(obj), plain.i));
}

namespace {

enum class RawType : std::uint8_t { none, integer, real, string };

RawType raw_type_of(const TypeDecl* d) {
    if (!d || d->bases.empty()) return RawType::none;
    const Expr* b = d->bases[0];
    if (b->kind != ExprKind::name) return RawType::none;
    const std::string& n = static_cast<const Name*>(b)->name;
    if (n == "Int" || n == "Int8" || n == "Int16" || n == "Int32" || n == "Int64" || n == "UInt" || n == "UInt8" ||
        n == "UInt16" || n == "UInt32" || n == "UInt64")
        return RawType::integer;
    if (n == "Double" || n == "Float") return RawType::real;
    if (n == "String" || n == "Character") return RawType::string;
    return RawType::none;
}

/// The literal a raw value was written as (the parser only takes literals, maybe negated).
Value literal_value(const Expr* e) {
    bool negate = false;
    if (e->kind == ExprKind::unary) {
        negate = static_cast<const Unary*>(e)->op == UnaryOp::negate;
        e = static_cast<const Unary*>(e)->operand;
    }
    switch (e->kind) {
    case ExprKind::int_literal: {
        const std::int64_t x = static_cast<const IntLiteral*>(e)->value;
        return Value::integer(negate ? static_cast<std::int64_t>(0 - static_cast<std::uint64_t>(x)) : x);
    }
    case ExprKind::double_literal: {
        const double x = static_cast<const DoubleLiteral*>(e)->value;
        return Value::real(negate ? -x : x);
    }
    case ExprKind::string_literal: {
        const auto* s = static_cast<const StringLiteral*>(e);
        return Value::string(s->parts.empty() ? std::string() : s->parts[0].text);
    }
    case ExprKind::bool_literal: return Value::boolean(static_cast<const BoolLiteral*>(e)->value);
    default: return Value::nil();
    }
}

/// The raw value of case `index` of `d`: written, or implicit (the previous Int plus one, the
/// case name for a String).
Value raw_value_of(const TypeDecl* d, RawType rt, std::size_t index) {
    if (rt == RawType::string) {
        const EnumCaseDecl& c = d->case_decls[index];
        return c.raw_value ? literal_value(c.raw_value) : Value::string(c.name);
    }
    Value v = rt == RawType::real ? Value::real(0) : Value::integer(0);
    for (std::size_t k = 0; k <= index; ++k) {
        const EnumCaseDecl& c = d->case_decls[k];
        if (c.raw_value) {
            v = literal_value(c.raw_value);
            if (rt == RawType::real && v.kind == Kind::integer) v = Value::real(static_cast<double>(v.i));
        } else if (k > 0) {
            // Wraps instead of overflowing: swiftc refuses a raw value past Int.max anyway.
            v = v.kind == Kind::real ? Value::real(v.d + 1) : Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(v.i) + 1));
        }
    }
    return v;
}

}  // namespace

Res Machine::enum_raw_value(const Value& v, Span, bool& has) {
    const auto& t = static_cast<const TypeObj&>(*v.ref);
    const RawType rt = raw_type_of(t.decl);
    has = rt != RawType::none && t.decl && static_cast<std::size_t>(v.i) < t.decl->case_decls.size();
    if (!has) return Res::of();
    return Res::of(raw_value_of(t.decl, rt, static_cast<std::size_t>(v.i)));
}

Res Machine::enum_from_raw_value(const std::shared_ptr<TypeObj>& type, Args& args, const Site& site) {
    const TypeDecl* d = type->decl;
    const RawType rt = raw_type_of(d);
    if (rt == RawType::none)
        return fail(DiagnosticKind::misuse, site.span, "enum `" + d->name + "` has no raw values, so no `init(rawValue:)`",
                    "declare a raw type: `enum " + d->name + ": Int { … }` or `: String`");
    if (args.size() != 1 || args[0].label != "rawValue") return wrong_args(site, d->name, "(rawValue:)");
    for (std::size_t k = 0; k < d->case_decls.size(); ++k)
        if (values_equal(raw_value_of(d, rt, k), args[0].value))
            return Res::of(Value::with_ref(Kind::enum_case, type, static_cast<std::int64_t>(k)).wrapped());
    return Res::of(Value::nil());
}

Res Machine::enum_all_cases(const std::shared_ptr<TypeObj>& type, Span span) {
    const TypeDecl* d = type->decl;
    const bool iterable = std::any_of(d->bases.begin(), d->bases.end(), [](const Expr* b) {
        return b->kind == ExprKind::name && static_cast<const Name*>(b)->name == "CaseIterable";
    });
    if (!iterable)
        return fail(DiagnosticKind::unknown_member, span, "`" + d->name + ".allCases` needs `" + d->name + "` to conform to `CaseIterable`",
                    "declare it as `enum " + d->name + ": CaseIterable { … }`");
    std::vector<Value> all;
    for (std::size_t k = 0; k < d->cases.size(); ++k) all.push_back(Value::with_ref(Kind::enum_case, type, static_cast<std::int64_t>(k)));
    return Res::of(Value::array(std::move(all)));
}

}  // namespace tasklab::interp
