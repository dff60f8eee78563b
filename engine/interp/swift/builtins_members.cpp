// Names and members of the built-ins: which global names are built-in types and functions,
// what a global name, an implicit member (`.main`, `.now`, a user enum's case) or a static
// member of a built-in type (`Int.max`, `DispatchQueue.main`) evaluates to, and member
// access on any value (get_member): a user type's fields, methods and accessors, then the
// models' members, then the properties and bound methods of built-in values.
#include <cmath>
#include <optional>
#include <unordered_set>

#include "engine/interp/swift/builtin_table.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

const std::unordered_set<std::string> k_builtin_types = {
    "Task", "DispatchQueue", "DispatchWorkItem", "DispatchTime", "DispatchTimeInterval", "DispatchWallTime",
    "URLSession", "URL", "URLError", "Data", "CancellationError", "Thread", "Duration", "String", "Int", "Double",
    "Float", "Bool", "UInt64", "UInt32", "UInt", "Int64", "Int32", "UInt8", "Int8", "Int16", "UInt16", "Character", "Error", "Array",
    "Dictionary", "ContinuousClock", "TaskGroup", "ThrowingTaskGroup", "Never", "Void", "Any", "AnyObject",
    "DispatchQoS", "NSError", "URLResponse", "TimeInterval", "Optional", "Date", "DispatchGroup", "DispatchSemaphore",
    "DispatchTimeoutResult", "MainActor"};

const std::unordered_set<std::string> k_builtin_functions = {
    "print", "debugPrint", "sleep", "usleep", "dispatchMain", "withTaskGroup", "withThrowingTaskGroup",
    "withDiscardingTaskGroup", "withThrowingDiscardingTaskGroup", "withTaskCancellationHandler", "abs", "min", "max",
    "fatalError", "precondition", "assert", "stride", "zip", "type", "preconditionFailure", "assertionFailure",
    "exit"};

/// Methods of Array/String/Dictionary/Range values that a member access may name.
const std::unordered_set<std::string> k_sequence_methods = {
    "contains", "map", "filter", "forEach", "compactMap", "reduce", "first", "firstIndex", "last", "allSatisfy",
    "sorted", "reversed", "min", "max", "enumerated", "joined", "randomElement", "shuffled", "prefix", "suffix",
    "dropFirst", "dropLast", "split", "components", "uppercased", "lowercased", "hasPrefix", "hasSuffix",
    "replacingOccurrences", "mapValues", "append", "insert", "remove", "removeAll", "removeFirst", "removeLast",
    "popLast", "removeValue", "updateValue", "sort", "reverse", "shuffle", "isMultiple", "rounded"};

}  // namespace

// =========================================================================================
// Names and members
// =========================================================================================

const BinaryOp* operator_function(std::string_view name) {
    static const std::pair<std::string_view, BinaryOp> ops[] = {
        {"+", BinaryOp::add}, {"-", BinaryOp::sub}, {"*", BinaryOp::mul}, {"/", BinaryOp::div}, {"%", BinaryOp::mod},
        {"==", BinaryOp::eq}, {"!=", BinaryOp::ne}, {"<", BinaryOp::lt}, {"<=", BinaryOp::le}, {">", BinaryOp::gt},
        {">=", BinaryOp::ge}, {"&&", BinaryOp::logical_and}, {"||", BinaryOp::logical_or},
        {"&", BinaryOp::bit_and}, {"|", BinaryOp::bit_or}, {"^", BinaryOp::bit_xor}, {"<<", BinaryOp::shift_left},
        {"&+", BinaryOp::wrapping_add}, {"&-", BinaryOp::wrapping_sub}, {"&*", BinaryOp::wrapping_mul},
        {"&<<", BinaryOp::masking_shift_left}, {"&>>", BinaryOp::masking_shift_right}};
    for (const auto& [n, op] : ops)
        if (n == name) return &op;
    return nullptr;
}

bool Machine::is_builtin_name(const std::string& name) const {
    return k_builtin_types.count(name) || k_builtin_functions.count(name) || operator_function(name) != nullptr;
}

Res Machine::global_name(const std::string& name, Span span) {
    if (k_builtin_types.count(name)) {
        auto it = m_builtin_types.find(name);
        if (it != m_builtin_types.end()) return Res::of(it->second);
        auto t = std::make_shared<TypeObj>();
        t->name = name;
        Value v = Value::with_ref(Kind::type, std::move(t));
        m_builtin_types.emplace(name, v);
        return Res::of(v);
    }
    if (k_builtin_functions.count(name)) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    // An operator named as a function value: `reduce(0, +)`, `sorted(by: >)`.
    if (operator_function(name) != nullptr) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = "operator " + name;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    if (name == "NSEC_PER_SEC") return Res::of(Value::integer(1'000'000'000));
    if (name == "NSEC_PER_MSEC") return Res::of(Value::integer(1'000'000));
    if (name == "NSEC_PER_USEC") return Res::of(Value::integer(1'000));
    if (name == "USEC_PER_SEC") return Res::of(Value::integer(1'000'000));
    if (name == "MSEC_PER_SEC") return Res::of(Value::integer(1'000));
    {
        bool handled = false;
        Res r = bridge_global(name, span, handled);  // continuations, AsyncStream, Mutex, NSLock, Result
        if (handled) return r;
    }
    static const std::unordered_set<std::string> known_unsupported = {
        "DispatchSource", "OperationQueue", "Operation", "BlockOperation",
        "NotificationCenter", "Timer", "RunLoop", "TaskLocal", "withTaskCancellationShield"};
    if (known_unsupported.count(name))
        return fail(DiagnosticKind::unknown_member, span, "`" + name + "` is not supported by tasklab yet",
                    "tasklab runs a subset of Swift and Foundation; see docs/language.md");
    if (name == "UIImage" || name == "UIView" || name == "UIColor" || name == "UIImageView" || name == "Image")
        return fail(DiagnosticKind::undefined_name, span, "cannot find `" + name + "` in scope (UIKit is not available in tasklab)",
                    "declare a stand-in such as `struct UIImage { init?(data: Data) { … } }`");
    return fail(DiagnosticKind::undefined_name, span, "cannot find `" + name + "` in scope");
}

Res Machine::unknown_member(const Value& base, const std::string& name, Span span) {
    std::string what;
    if (base.is_nil() && base.kind == Kind::nil) {
        if (!name.empty() && name[0] == '.') what = name;
        else what = name;
    } else {
        what = type_name(base.unwrapped()) + "." + name;
    }
    return fail(DiagnosticKind::unknown_member, span, "`" + what + "` is not supported",
                "tasklab runs a subset of Swift and Foundation; see docs/language.md");
}

Res Machine::implicit_member(const std::string& name, Span span) {
    if (name == "now") return Res::of(Value::scalar(Kind::dispatch_time, m_sched.now()));  // `.now + .seconds(1)`
    if (name == "distantFuture") return Res::of(Value::scalar(Kind::dispatch_time, INT64_MAX / 2));  // wait(timeout: .distantFuture)
    // A case of a user enum, if one declares it; otherwise a symbol the consumer interprets
    // (`.cancelled`, `.concurrent`, `.userInitiated`).
    for (const auto& b : m_globals->vars) {
        if (b.value.kind != Kind::type) continue;
        const auto& t = static_cast<const TypeObj&>(*b.value.ref);
        if (!t.decl || t.decl->type_kind != TypeKind::enum_) continue;
        for (std::size_t k = 0; k < t.decl->cases.size(); ++k)
            if (t.decl->cases[k] == name) return enum_case_value(std::static_pointer_cast<TypeObj>(b.value.ref), k);
    }
    bool nested = false;
    Res in_type = nested_enum_case(name, nested);  // `Job.State.running` written `.running`
    if (nested) return in_type;
    // A queue argument written as an implicit member: `notify(queue: .main)` (`.global()` is a
    // call: gcd_builtin).
    if (name == "main") return builtin_type_member("DispatchQueue", name, span);
    return Res::of(Value::symbol(name));
}

Res Machine::builtin_type_member(const std::string& type, const std::string& name, Span span) {
    auto bound = [&](std::string full) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = std::move(full);
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    };
    {
        bool handled = false;
        Res r = bridge_type_member(type, name, span, handled);
        if (handled) return r;
    }
    if (type == "Task" && name == "isCancelled") {
        at(span);
        return Res::of(Value::boolean(m_swift.current_is_cancelled()));  // semantics: F4
    }
    if (type == "DispatchQueue" && name == "main") {
        auto q = std::make_shared<QueueObj>();
        q->id = m_gcd.main_queue();
        q->label = "com.apple.main-thread";
        const auto id = q->id;  // read before the move: argument order is unspecified
        return Res::of(Value::with_ref(Kind::queue, std::move(q), id));
    }
    if (type == "URLSession" && name == "shared") return Res::of(Value::scalar(Kind::url_session, 0));
    if (const auto it = int_type_named(type)) {
        if (name == "max") return Res::of(make_int(*it, int_max(*it)));
        if (name == "min") return Res::of(make_int(*it, int_min(*it)));
        if (name == "bitWidth") return Res::of(Value::integer(int_bit_width(*it)));
        if (name == "zero") return Res::of(make_int(*it, 0));
    }
    if (type == "Double" || type == "Float") {
        if (name == "pi") return Res::of(Value::real(3.141592653589793));
        if (name == "infinity") return Res::of(Value::real(HUGE_VAL));
        if (name == "greatestFiniteMagnitude") return Res::of(Value::real(1.7976931348623157e308));
    }
    if (type == "URLError" && url_error_code_number(name) != 0) return Res::of(Value::symbol(name));
    if (type == "ContinuousClock" && name == "now") return Res::of(Value::scalar(Kind::dispatch_time, m_sched.now()));
    if (type == "DispatchTime" && name == "distantFuture") return Res::of(Value::scalar(Kind::dispatch_time, INT64_MAX / 2));
    if (name == "self") {
        Res t = global_name(type, span);
        return t;
    }
    // `String.init` as a function value (`xs.map(String.init)`): calling it calls the type.
    if (name == "init" && (type == "String" || type == "Double" || type == "Bool" || int_type_named(type))) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = type;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    static const std::unordered_set<std::string> statics = {
        "Task.sleep", "Task.detached", "Task.checkCancellation", "Task.yield", "DispatchQueue.global",
        "DispatchTime.now", "DispatchWallTime.now", "Thread.sleep", "Duration.seconds", "Duration.milliseconds",
        "Duration.microseconds", "Duration.nanoseconds", "DispatchTimeInterval.seconds",
        "DispatchTimeInterval.milliseconds", "DispatchTimeInterval.microseconds", "DispatchTimeInterval.nanoseconds",
        "Int.random", "Double.random", "Bool.random", "UInt64.random", "ContinuousClock.sleep", "UInt.random",
        "UInt32.random", "UInt16.random", "UInt8.random", "Int64.random", "Int32.random", "Int16.random", "Int8.random",
        "MainActor.run"};
    const std::string full = type + "." + name;
    if (!statics.count(full))
        return fail(DiagnosticKind::unknown_member, span, "`" + full + "` is not supported",
                    "tasklab runs a subset of Swift and Foundation; see docs/language.md");
    return bound(full);
}

namespace {

/// A member of a user struct, class or actor instance: a stored field, a method, an accessor.
Res instance_member(Machine& m, const Value& base, const std::string& name, Span span) {
    auto& inst = static_cast<InstanceObj&>(*base.ref);
    if (Value* f = inst.field(name)) return Res::of(*f);
    bool found = false;
    Res method = m.method_of(base, inst.type->decl, inst.type, name, span, found);
    if (found) return method;
    if (Res a; m.accessor_member(base, name, span, a)) return a;  // computed, lazy, from an extension
    if (name == "localizedDescription" && is_error_value(base)) return Res::of(Value::string(localized_description(base)));
    if (Res missing; m.missing_requirement(*inst.type, name, span, missing)) return missing;
    return m.unknown_member(base, name, span);
}

/// A member of a type used as a value: a case, a static method or property, a nested type.
Res type_member(Machine& m, const Value& base, const std::string& name, Span span) {
    auto t = std::static_pointer_cast<TypeObj>(base.ref);
    if (!t->decl) return m.builtin_type_member(t->name, name, span);
    if (Res a; t->decl->type_kind != TypeKind::protocol_ && m.accessor_member(base, name, span, a)) return a;
    if (name == "self") return Res::of(base);
    const TypeDecl* d = t->decl;
    for (std::size_t k = 0; k < d->cases.size(); ++k)
        if (d->cases[k] == name) return m.enum_case_value(t, k);
    if (name == "allCases" && d->type_kind == TypeKind::enum_) return m.enum_all_cases(t, span);
    for (const Stmt* member : d->members) {
        if (member->kind == StmtKind::func_decl) {
            const auto* f = static_cast<const FuncDecl*>(member);
            if (f->name != name || f->is_init) continue;
            auto fo = std::make_shared<FuncObj>();
            fo->decl = f;
            fo->env = t->env;
            fo->owner = t;
            if (f->is_static) fo->self = base;  // `self` in a static method is the type
            return Res::of(Value::with_ref(Kind::function, std::move(fo)));
        }
        if (member->kind == StmtKind::var_decl) {
            const auto* v = static_cast<const VarDecl*>(member);
            if (!v->init || !v->target || v->target->kind != ExprKind::name ||
                static_cast<const Name*>(v->target)->name != name)
                continue;
            const std::string key = t->name + "." + name;
            auto it = m.m_statics.find(key);
            if (it != m.m_statics.end()) return Res::of(it->second);
            Res r = m.eval_sync(v->init, t->env);
            if (!r.ok()) return r;
            m.m_statics.emplace(key, r.value);
            return r;
        }
        if (member->kind == StmtKind::type_decl && static_cast<const TypeDecl*>(member)->name == name) {
            auto nt = std::make_shared<TypeObj>();
            nt->name = name;
            nt->decl = static_cast<const TypeDecl*>(member);
            nt->env = t->env;
            return Res::of(Value::with_ref(Kind::type, std::move(nt)));
        }
    }
    return m.unknown_member(base, name, span);
}

/// A member of a user enum's case: rawValue, a method, an accessor.
Res enum_case_member(Machine& m, const Value& base, const std::string& name, Span span) {
    auto t = std::static_pointer_cast<TypeObj>(base.ref);
    if (name == "rawValue" && t->decl && static_cast<std::size_t>(base.i) < t->decl->cases.size()) {
        bool has = false;
        Res raw = m.enum_raw_value(base, span, has);
        if (has) return raw;
        for (const Expr* b : t->decl->bases)
            if (m.type_text(b) == "Int") return Res::of(Value::integer(base.i));
        return Res::of(Value::string(t->decl->cases[static_cast<std::size_t>(base.i)]));
    }
    if (name == "localizedDescription" && is_error_value(base)) return Res::of(Value::string(localized_description(base)));
    bool found = false;
    Res method = m.method_of(base, t->decl, t, name, span, found);
    if (found) return method;
    if (Res a; m.accessor_member(base, name, span, a)) return a;
    return m.unknown_member(base, name, span);
}

/// `t.0`, `t.label`.
Res tuple_member(Machine& m, const Value& base, const std::string& name, Span span) {
    const auto& t = static_cast<const TupleObj&>(*base.ref);
    for (std::size_t k = 0; k < t.items.size(); ++k)
        if (std::to_string(k) == name || (k < t.labels.size() && t.labels[k] == name)) return Res::of(t.items[k]);
    return m.unknown_member(base, name, span);
}

/// A property of a built-in value (`xs.count`, `r.lowerBound`, `url.host`…); nullopt when
/// `name` is none of them.
std::optional<Res> value_property(Machine& m, const Value& base, const std::string& name, Span span) {
    switch (base.kind) {
    case Kind::array: {
        const auto& xs = items(base);
        if (name == "count") return Res::of(Value::integer(static_cast<std::int64_t>(xs.size())));
        if (name == "isEmpty") return Res::of(Value::boolean(xs.empty()));
        if (name == "first") return Res::of(xs.empty() ? Value::nil() : xs.front().wrapped());
        if (name == "last") return Res::of(xs.empty() ? Value::nil() : xs.back().wrapped());
        if (name == "indices") return Res::of(Value::range(0, static_cast<std::int64_t>(xs.size()), false));
        if (name == "startIndex") return Res::of(Value::integer(0));
        if (name == "endIndex") return Res::of(Value::integer(static_cast<std::int64_t>(xs.size())));
        break;
    }
    case Kind::range: {
        const auto& rg = static_cast<const RangeObj&>(*base.ref);
        if (rg.real) {
            if (name == "lowerBound") return Res::of(Value::real(rg.dlo));
            if (name == "upperBound") return Res::of(Value::real(rg.dhi));
            if (name == "contains") break;
            return m.unknown_member(base, name, span);
        }
        if (name == "count") return Res::of(Value::integer(rg.count()));
        if (name == "isEmpty") return Res::of(Value::boolean(rg.count() == 0));
        if (name == "lowerBound") return Res::of(Value::integer(rg.lo));
        if (name == "upperBound") return Res::of(Value::integer(rg.hi));
        if (name == "first") return Res::of(rg.count() ? Value::integer(rg.lo).wrapped() : Value::nil());
        if (name == "last") return Res::of(rg.size() ? Value::integer(rg.closed ? rg.hi : rg.hi - 1).wrapped() : Value::nil());
        break;
    }
    case Kind::dict: {
        const auto& entries = static_cast<const DictObj&>(*base.ref).entries;
        if (name == "count") return Res::of(Value::integer(static_cast<std::int64_t>(entries.size())));
        if (name == "isEmpty") return Res::of(Value::boolean(entries.empty()));
        if (name == "keys" || name == "values") {
            std::vector<Value> xs;
            for (const auto& [k, v] : entries) xs.push_back(name == "keys" ? k : v);
            return Res::of(Value::array(std::move(xs)));
        }
        break;
    }
    case Kind::string: {
        if (name == "isEmpty") return Res::of(Value::boolean(str(base).empty()));
        if (name == "count" || name == "first" || name == "last") {
            std::vector<Value> chars;
            Res s = m.for_sequence(base, chars, span);
            if (!s.ok()) return s;
            if (name == "count") return Res::of(Value::integer(static_cast<std::int64_t>(chars.size())));
            if (chars.empty()) return Res::of(Value::nil());
            return Res::of((name == "first" ? chars.front() : chars.back()).wrapped());
        }
        if (name == "utf8" ) return Res::of(Value::integer(static_cast<std::int64_t>(str(base).size())));
        break;
    }
    case Kind::integer: {
        bool known = false;
        Res member = m.integer_member(base, name, known);
        if (known) return member;
        break;
    }
    case Kind::data:
        if (name == "count") return Res::of(Value::integer(base.i));
        if (name == "isEmpty") return Res::of(Value::boolean(base.i == 0));
        break;
    case Kind::url:
        if (name == "absoluteString") return Res::of(Value::string(str(base)));
        if (name == "host") {
            const std::string& s = str(base);
            auto p = s.find("://");
            if (p == std::string::npos) return Res::of(Value::nil());
            auto start = p + 3;
            auto end = s.find_first_of("/:?#", start);
            return Res::of(Value::string(s.substr(start, end == std::string::npos ? std::string::npos : end - start)).wrapped());
        }
        break;
    case Kind::url_error:
        if (name == "code") return Res::of(Value::symbol(str(base)));
        if (name == "errorCode") return Res::of(Value::integer(url_error_code_number(str(base))));
        break;
    case Kind::duration:
        if (name == "components")
            return Res::of(Value::tuple({Value::integer(base.i / k_second), Value::integer((base.i % k_second) * 1'000'000'000)},
                                        {"seconds", "attoseconds"}));
        break;
    case Kind::dispatch_time:
        if (name == "uptimeNanoseconds") return Res::of(Value::integer(IntType::uint64, base.i));
        if (name == "timeIntervalSinceNow") return Res::of(Value::real(static_cast<double>(base.i - m.m_sched.now()) / 1e9));
        if (name == "timeIntervalSince") {
            auto b = std::make_shared<BuiltinObj>();
            b->name = name;
            b->receiver = base;
            return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
        }
        break;
    default: break;
    }
    return std::nullopt;
}

}  // namespace

Res Machine::get_member(const Value& base_in, const std::string& name, Span span) {
    if (name == "self") return Res::of(base_in);
    if (base_in.is_nil())
        return fail(DiagnosticKind::nil_unwrap, span, "Unexpectedly found nil while unwrapping an Optional value");
    const Value base = base_in.unwrapped();
    if (shares_state(base)) race::touched_shared();  // `item.isCancelled`, `Task.isCancelled`
    switch (base.kind) {
    case Kind::instance: return instance_member(*this, base, name, span);
    case Kind::type: return type_member(*this, base, name, span);
    case Kind::enum_case: return enum_case_member(*this, base, name, span);
    case Kind::tuple: return tuple_member(*this, base, name, span);
    default: break;
    }
    if (Res e; builtin_extension_member(base, name, span, e)) return e;  // `extension Int { var doubled: Int … }`
    bool handled = false;
    Res r = swift_member(base, name, span, handled);
    if (handled) return r;
    r = gcd_member(base, name, span, handled);
    if (handled) return r;
    r = bridge_member(base, name, span, handled);
    if (handled) return r;
    if (name == "localizedDescription" && is_error_value(base)) return Res::of(Value::string(localized_description(base)));
    if (name == "description") return Res::of(Value::string(describe(base)));
    if (name == "debugDescription") return Res::of(Value::string(describe(base, Style::debug)));
    if (std::optional<Res> p = value_property(*this, base, name, span)) return std::move(*p);
    if ((is_sequence(base) || base.is_number()) && k_sequence_methods.count(name)) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        b->receiver = base;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    return unknown_member(base, name, span);
}

}  // namespace tasklab::interp
