// Built-ins that belong to neither concurrency model: name lookup of built-in types and
// functions, member access, printing, conversions, and the Array/String/Dictionary/Range
// methods scenarios use. Anything else is a runtime error naming what is missing.
#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unordered_set>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"

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

const std::unordered_set<std::string> k_higher_order = {"map", "filter", "forEach", "compactMap", "reduce", "contains",
                                                         "first", "allSatisfy", "firstIndex", "last"};

bool is_sequence(const Value& v) {
    return v.kind == Kind::array || v.kind == Kind::range || v.kind == Kind::dict || v.kind == Kind::string;
}

const ArgVal* positional(const Args& args, std::size_t k) {
    std::size_t seen = 0;
    for (const auto& a : args) {
        if (!a.label.empty()) continue;
        if (seen++ == k) return &a;
    }
    return nullptr;
}

std::size_t positional_count(const Args& args) {
    return static_cast<std::size_t>(std::count_if(args.begin(), args.end(), [](const ArgVal& a) { return a.label.empty(); }));
}

bool fn_suspends(const Machine& m, const Value& fn) {
    if (fn.kind == Kind::closure) return m.closure_suspends(static_cast<const ClosureObj&>(*fn.ref).expr);
    if (fn.kind == Kind::function) return m.func_suspends(static_cast<const FuncObj&>(*fn.ref).decl);
    return false;
}

/// The closure argument of a higher-order method (trailing, `where:`, `by:`, or positional).
const ArgVal* fn_arg(const Args& args) {
    for (const auto& a : args)
        if (is_callable(a.value)) return &a;
    return nullptr;
}

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

Res Machine::get_member(const Value& base_in, const std::string& name, Span span) {
    if (name == "self") return Res::of(base_in);
    if (base_in.is_nil())
        return fail(DiagnosticKind::nil_unwrap, span, "Unexpectedly found nil while unwrapping an Optional value");
    const Value base = base_in.unwrapped();
    switch (base.kind) {
    case Kind::instance: {
        auto& inst = static_cast<InstanceObj&>(*base.ref);
        if (Value* f = inst.field(name)) return Res::of(*f);
        bool found = false;
        Res m = method_of(base, inst.type->decl, inst.type, name, span, found);
        if (found) return m;
        if (Res a; accessor_member(base, name, span, a)) return a;  // computed, lazy, from an extension
        if (name == "localizedDescription" && is_error_value(base)) return Res::of(Value::string(localized_description(base)));
        if (Res missing; missing_requirement(*inst.type, name, span, missing)) return missing;
        return unknown_member(base, name, span);
    }
    case Kind::type: {
        auto t = std::static_pointer_cast<TypeObj>(base.ref);
        if (!t->decl) return builtin_type_member(t->name, name, span);
        if (Res a; t->decl->type_kind != TypeKind::protocol_ && accessor_member(base, name, span, a)) return a;
        if (name == "self") return Res::of(base);
        const TypeDecl* d = t->decl;
        for (std::size_t k = 0; k < d->cases.size(); ++k)
            if (d->cases[k] == name) return enum_case_value(t, k);
        if (name == "allCases" && d->type_kind == TypeKind::enum_) return enum_all_cases(t, span);
        for (const Stmt* m : d->members) {
            if (m->kind == StmtKind::func_decl) {
                const auto* f = static_cast<const FuncDecl*>(m);
                if (f->name != name || f->is_init) continue;
                auto fo = std::make_shared<FuncObj>();
                fo->decl = f;
                fo->env = t->env;
                fo->owner = t;
                if (f->is_static) fo->self = base;  // `self` in a static method is the type
                return Res::of(Value::with_ref(Kind::function, std::move(fo)));
            }
            if (m->kind == StmtKind::var_decl) {
                const auto* v = static_cast<const VarDecl*>(m);
                if (!v->init || !v->target || v->target->kind != ExprKind::name ||
                    static_cast<const Name*>(v->target)->name != name)
                    continue;
                const std::string key = t->name + "." + name;
                auto it = m_statics.find(key);
                if (it != m_statics.end()) return Res::of(it->second);
                Res r = eval_sync(v->init, t->env);
                if (!r.ok()) return r;
                m_statics.emplace(key, r.value);
                return r;
            }
            if (m->kind == StmtKind::type_decl && static_cast<const TypeDecl*>(m)->name == name) {
                auto nt = std::make_shared<TypeObj>();
                nt->name = name;
                nt->decl = static_cast<const TypeDecl*>(m);
                nt->env = t->env;
                return Res::of(Value::with_ref(Kind::type, std::move(nt)));
            }
        }
        return unknown_member(base, name, span);
    }
    case Kind::enum_case: {
        auto t = std::static_pointer_cast<TypeObj>(base.ref);
        if (name == "rawValue" && t->decl && static_cast<std::size_t>(base.i) < t->decl->cases.size()) {
            bool has = false;
            Res raw = enum_raw_value(base, span, has);
            if (has) return raw;
            for (const Expr* b : t->decl->bases)
                if (type_text(b) == "Int") return Res::of(Value::integer(base.i));
            return Res::of(Value::string(t->decl->cases[static_cast<std::size_t>(base.i)]));
        }
        if (name == "localizedDescription" && is_error_value(base)) return Res::of(Value::string(localized_description(base)));
        bool found = false;
        Res m = method_of(base, t->decl, t, name, span, found);
        if (found) return m;
        if (Res a; accessor_member(base, name, span, a)) return a;
        return unknown_member(base, name, span);
    }
    case Kind::tuple: {
        const auto& t = static_cast<const TupleObj&>(*base.ref);
        for (std::size_t k = 0; k < t.items.size(); ++k)
            if (std::to_string(k) == name || (k < t.labels.size() && t.labels[k] == name)) return Res::of(t.items[k]);
        return unknown_member(base, name, span);
    }
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
            return unknown_member(base, name, span);
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
            Res s = for_sequence(base, chars, span);
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
        Res member = integer_member(base, name, known);
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
        if (name == "timeIntervalSinceNow") return Res::of(Value::real(static_cast<double>(base.i - m_sched.now()) / 1e9));
        if (name == "timeIntervalSince") {
            auto b = std::make_shared<BuiltinObj>();
            b->name = name;
            b->receiver = base;
            return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
        }
        break;
    default: break;
    }
    if ((is_sequence(base) || base.is_number()) && k_sequence_methods.count(name)) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        b->receiver = base;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    return unknown_member(base, name, span);
}

namespace {
constexpr std::uint64_t k_max_format_field = 4096;  ///< the largest width or precision String(format:) takes
}  // namespace

Res Machine::format_printf(const std::string& fmt, const std::vector<Value>& values, const Site& site) {
    // Foundation's String(format:) for the common conversions: %d %i %u %x %X %o %f %e %g
    // %@ %s %c %% with flags, width, precision and length modifiers.
    std::string out;
    std::size_t next = 0;
    for (std::size_t k = 0; k < fmt.size(); ++k) {
        if (fmt[k] != '%') {
            out += fmt[k];
            continue;
        }
        std::size_t j = k + 1;
        std::string spec = "%";
        while (j < fmt.size() && std::string("-+ #0").find(fmt[j]) != std::string::npos) spec += fmt[j++];
        while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) spec += fmt[j++];
        if (j < fmt.size() && fmt[j] == '.') {
            spec += fmt[j++];
            while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) spec += fmt[j++];
        }
        // A width or precision of more than k_max_format_field characters would make a string
        // of gigabytes (Foundation tries, for minutes): stop with a message instead.
        {
            std::uint64_t field = 0;  // the largest run of digits in the spec
            std::uint64_t run = 0;
            for (char ch : spec) {
                run = std::isdigit(static_cast<unsigned char>(ch)) ? std::min<std::uint64_t>(run * 10 + static_cast<std::uint64_t>(ch - '0'), 1ull << 40) : 0;
                field = std::max(field, run);
            }
            if (field > k_max_format_field)
                return fail(DiagnosticKind::misuse, site.span,
                            "String(format:) width or precision " + std::to_string(field) + " is larger than tasklab allows (" +
                                std::to_string(k_max_format_field) + ")",
                            "the result would take gigabytes");
        }
        while (j < fmt.size() && std::string("lhqzjt").find(fmt[j]) != std::string::npos) ++j;
        if (j >= fmt.size()) return fail(DiagnosticKind::misuse, site.span, "incomplete format specifier in String(format:)");
        const char conv = fmt[j];
        k = j;
        if (conv == '%') {
            out += '%';
            continue;
        }
        if (next >= values.size()) return fail(DiagnosticKind::wrong_arguments, site.span, "String(format:) has more specifiers than values");
        const Value& v = values[next++];
        char buf[k_max_format_field + 512];
        switch (conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
            if (!v.is_number()) return fail(DiagnosticKind::type_mismatch, site.span, "%" + std::string(1, conv) + " needs an integer");
            const long long x = v.kind == Kind::integer ? v.i : static_cast<long long>(v.d);
            std::snprintf(buf, sizeof buf, (spec + "ll" + conv).c_str(), x);
            out += buf;
            break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
            if (!v.is_number()) return fail(DiagnosticKind::type_mismatch, site.span, "%" + std::string(1, conv) + " needs a number");
            std::snprintf(buf, sizeof buf, (spec + conv).c_str(), v.as_double());
            out += buf;
            break;
        }
        case '@': case 's': case 'c': out += describe(v); break;
        default: return fail(DiagnosticKind::misuse, site.span, "String(format:) does not support %" + std::string(1, conv));
        }
    }
    return Res::of(Value::string(std::move(out)));
}

// =========================================================================================
// Dispatch
// =========================================================================================

bool Machine::builtin_suspends(const BuiltinObj& b, const Args& args) const {
    const std::string& n = b.name;
    if (bridge_suspends(b, args)) return true;
    if (b.receiver.is_nil()) {
        static const std::unordered_set<std::string> names = {
            "sleep", "usleep", "dispatchMain", "withTaskGroup", "withThrowingTaskGroup", "withDiscardingTaskGroup",
            "withThrowingDiscardingTaskGroup", "withTaskCancellationHandler", "Task.sleep", "Task.yield", "Thread.sleep",
            "ContinuousClock.sleep", "MainActor.run"};
        return names.count(n) > 0;
    }
    switch (b.receiver.kind) {
    case Kind::group: return n == "next" || n == "waitForAll" || n == "contains";
    case Kind::url_session: return n == "data";
    case Kind::work_item: return n == "wait" || n == "perform";
    case Kind::dispatch_group:
    case Kind::semaphore: return n == "wait";
    case Kind::queue: return n == "sync";
    case Kind::array:
    case Kind::range:
    case Kind::dict:
    case Kind::string:
        if (!k_higher_order.count(n)) return false;
        if (const ArgVal* f = fn_arg(args)) return fn_suspends(*this, f->value);
        return false;
    default: return false;
    }
}

Res Machine::builtin_sync(const BuiltinObj& b, Args& args, const Site& site) {
    if (m_fatal) return Res::make(Ctl::fatal);
    if (b.receiver.is_nil() && b.name.rfind("operator ", 0) == 0) {
        // `+` passed as a function: applies the operator as `lhs + rhs` would.
        const std::string op = b.name.substr(9);
        const BinaryOp* bop = operator_function(op);
        if (args.size() == 1 && args[0].label.empty() && args[0].value.kind == Kind::tuple && args[0].value.opt == 0 &&
            items(args[0].value).size() == 2) {
            // `zip(a, b).map(-)`: a pair given to an operator is its two operands, as in Swift.
            const std::vector<Value> pair = items(args[0].value);
            args[0].value = pair[0];
            args.push_back(args[0]);
            args[1].value = pair[1];
        }
        if (!bop || args.size() != 2 || !args[0].label.empty() || !args[1].label.empty()) return wrong_args(site, op, "(lhs, rhs)");
        if (*bop == BinaryOp::logical_and || *bop == BinaryOp::logical_or) {
            if (args[0].value.kind != Kind::boolean || args[1].value.kind != Kind::boolean || args[0].value.opt || args[1].value.opt)
                return fail(DiagnosticKind::type_mismatch, site.span, "`" + op + "` takes two Bools");
            const bool x = args[0].value.b, y = args[1].value.b;
            return Res::of(Value::boolean(*bop == BinaryOp::logical_and ? x && y : x || y));
        }
        const ast::Binary node(site.span, *bop, nullptr, nullptr, site.span);
        return apply_binary(&node, args[0].value, args[1].value);
    }
    if (b.name == "enum case" && b.receiver.kind == Kind::enum_case) return make_enum_payload(b, args, site);
    if (b.receiver.is_nil() && b.name.size() > 1 && b.name[0] == '.') {
        // `.failed(error)`: a case with associated values of a user enum, when one declares it.
        Res c = implicit_member(b.name.substr(1), site.span);
        if (c.ok() && c.value.kind == Kind::builtin && static_cast<const BuiltinObj&>(*c.value.ref).name == "enum case")
            return make_enum_payload(static_cast<const BuiltinObj&>(*c.value.ref), args, site);
    }
    bool handled = false;
    Res r = swift_builtin(b, args, site, handled);
    if (handled) return r;
    r = gcd_builtin(b, args, site, handled);
    if (handled) return r;
    r = bridge_builtin(b, args, site, handled);
    if (handled) return r;
    r = common_builtin(b, args, site, handled);
    if (handled) return r;
    if (builtin_suspends(b, args)) {
        const std::string what = b.receiver.is_nil() ? b.name : type_name(b.receiver) + "." + b.name;
        return fail(DiagnosticKind::misuse, site.span, "`" + what + "` suspends, but it is called where suspending is not possible",
                    "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
    }
    return unknown_member(b.receiver, b.name, site.name_span.empty() ? site.span : site.name_span);
}

Flow<Res> Machine::builtin_async(BuiltinObj b, Args args, Site site) {
    // A plain dispatcher: each suspending built-in is a small coroutine of its own.
    if (m_fatal) return ready(Res::make(Ctl::fatal));
    if (bridge_suspends(b, args)) return bridge_async(std::move(b), std::move(args), std::move(site));
    const std::string& n = b.name;
    const Value& recv = b.receiver;
    if (recv.is_nil()) {
        if (n == "Task.sleep" || n == "ContinuousClock.sleep") return task_sleep(std::move(args), std::move(site));
        if (n == "Task.yield") return task_yield(std::move(site));
        if (n == "sleep" || n == "usleep" || n == "Thread.sleep") return blocking_sleep(n, std::move(args), std::move(site));
        if (n == "withTaskGroup") return with_group(ScopeKind::task_group, n, std::move(args), std::move(site));
        if (n == "withThrowingTaskGroup") return with_group(ScopeKind::throwing_task_group, n, std::move(args), std::move(site));
        if (n == "withDiscardingTaskGroup") return with_group(ScopeKind::discarding_group, n, std::move(args), std::move(site));
        if (n == "withThrowingDiscardingTaskGroup")
            return with_group(ScopeKind::throwing_discarding_group, n, std::move(args), std::move(site));
        if (n == "withTaskCancellationHandler") return with_cancellation_handler(std::move(args), std::move(site));
        if (n == "dispatchMain") return dispatch_main_forever(std::move(site));
        if (n == "MainActor.run") return main_actor_run(std::move(args), std::move(site));
        return ready(builtin_sync(b, args, site));
    }
    switch (recv.kind) {
    case Kind::group: {
        auto g = std::static_pointer_cast<GroupObj>(recv.ref);
        if (n == "next") return group_next_async(std::move(g), std::move(site));
        if (n == "waitForAll") return group_wait_all(std::move(g), std::move(site));
        if (n == "contains") return group_contains(std::move(g), std::move(args), std::move(site));
        break;
    }
    case Kind::url_session:
        if (n == "data") return url_session_data(std::move(args), std::move(site));
        break;
    case Kind::work_item: {
        const auto item = static_cast<gcd::ItemId>(recv.i);
        if (n == "wait") return item_wait(item, std::move(args), std::move(site));
        if (n == "perform") return item_perform(item, std::move(site));
        break;
    }
    case Kind::dispatch_group:
    case Kind::semaphore:
        if (n == "wait") return gcd_wait(recv, std::move(args), std::move(site));
        break;
    case Kind::queue:
        if (n == "sync") return queue_sync(recv, std::move(args), std::move(site));
        break;
    default:
        if (is_sequence(recv) && k_higher_order.count(n)) return common_builtin_async(std::move(b), std::move(args), std::move(site));
        break;
    }
    return ready(builtin_sync(b, args, site));
}

// =========================================================================================
// Free functions, conversions, collection methods
// =========================================================================================

namespace {
/// Merge sort with a comparator that may fail (a closure that throws or traps).
Res merge_sort(std::vector<Value>& xs, const std::function<Res(const Value&, const Value&, bool&)>& less) {
    if (xs.size() < 2) return Res::of();
    std::vector<Value> tmp(xs.size());
    for (std::size_t width = 1; width < xs.size(); width *= 2) {
        for (std::size_t lo = 0; lo < xs.size(); lo += 2 * width) {
            const std::size_t mid = std::min(lo + width, xs.size());
            const std::size_t hi = std::min(lo + 2 * width, xs.size());
            std::size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool b_before_a = false;
                Res r = less(xs[j], xs[i], b_before_a);
                if (!r.ok()) return r;
                tmp[k++] = b_before_a ? xs[j++] : xs[i++];
            }
            while (i < mid) tmp[k++] = xs[i++];
            while (j < hi) tmp[k++] = xs[j++];
        }
        xs.swap(tmp);
    }
    return Res::of();
}
}  // namespace

Res Machine::common_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    handled = true;
    const std::string& n = b.name;
    const Value& recv = b.receiver;
    auto call_fn = [&](const Value& fn, std::vector<Value> argv) {
        Args a;
        for (auto& v : argv) a.push_back(ArgVal{{}, std::move(v), site.span, false, nullptr});
        return call_sync(fn, a, site);
    };
    auto arg0 = [&]() -> const Value* {
        const ArgVal* a = positional(args, 0);
        return a ? &a->value : nullptr;
    };

    if (recv.is_nil()) {
        // ---- free functions and built-in type initialisers ----
        if (n == "print" || n == "debugPrint") {
            std::string sep = " ", term = "\n";
            if (const ArgVal* a = find_arg(args, "separator")) sep = str(a->value);
            if (const ArgVal* a = find_arg(args, "terminator")) term = str(a->value);
            std::string text;
            bool first = true;
            for (const auto& a : args) {
                if (!a.label.empty()) continue;
                if (!first) text += sep;
                first = false;
                text += describe(a.value, n == "debugPrint" ? Style::debug : Style::describing);
            }
            print_text(text + term);
            return Res::of();
        }
        if (n == "fatalError" || n == "preconditionFailure" || n == "assertionFailure") {
            const Value* m = arg0();
            return fail(DiagnosticKind::misuse, site.span, "Fatal error" + (m ? ": " + describe(*m) : std::string()));
        }
        if (n == "exit") {
            // Foundation's exit(n): the process ends at once with status n; nothing else runs
            // (no `defer`, no pending task). The run stops the way a runtime error stops it.
            const Value* code = arg0();
            if (!code || code->kind != Kind::integer || args.size() != 1) return wrong_args(site, n, "(Int32)");
            m_exit_status = static_cast<int>(code->i & 0xff);
            return fail(DiagnosticKind::misuse, site.span, "exit(" + std::to_string(code->i) + ") ended the process");
        }
        if (n == "precondition" || n == "assert") {
            const Value* c = arg0();
            if (!c || c->kind != Kind::boolean) return wrong_args(site, n, "(condition, message)");
            if (!c->b) {
                const ArgVal* m = positional(args, 1);
                return fail(DiagnosticKind::misuse, site.span,
                            (n == "assert" ? "Assertion failed" : "Precondition failed") + (m ? ": " + describe(m->value) : std::string()));
            }
            return Res::of();
        }
        if (n == "abs") {
            const Value* v = arg0();
            if (!v) return wrong_args(site, n, "(x)");
            if (v->kind == Kind::integer) {
                if (int_value(*v) >= 0) return Res::of(*v);
                IntResult r = int_negate(*v);  // abs(Int8.min) traps, as in Swift
                if (r.trap) return fail(DiagnosticKind::misuse, site.span, r.trap);
                return Res::of(std::move(r.value));
            }
            if (v->kind == Kind::real) return Res::of(Value::real(std::fabs(v->d)));
            if (v->kind == Kind::duration) return Res::of(Value::scalar(Kind::duration, v->i < 0 ? -v->i : v->i));
            return fail(DiagnosticKind::type_mismatch, site.span, "abs needs a number, not " + type_name(*v));
        }
        if (n == "min" || n == "max") {
            if (positional_count(args) < 2) return wrong_args(site, n, "(a, b, …)");
            Value best = positional(args, 0)->value;
            for (std::size_t k = 1; k < positional_count(args); ++k) {
                const Value& x = positional(args, k)->value;
                bool ok = true;
                const bool better = n == "min" ? value_less(x, best, ok) : value_less(best, x, ok);
                if (!ok) return fail(DiagnosticKind::type_mismatch, site.span, "values of type " + type_name(x) + " cannot be compared");
                if (better) best = x;
            }
            return Res::of(best);
        }
        if (n == "stride") {
            const ArgVal* from = find_arg(args, "from");
            const ArgVal* to = find_arg(args, "to");
            const ArgVal* through = find_arg(args, "through");
            const ArgVal* by = find_arg(args, "by");
            if (!from || !by || (!to && !through)) return wrong_args(site, n, "(from:to:by:) or (from:through:by:)");
            const Value& end = to ? to->value : through->value;
            std::vector<Value> xs;
            if (from->value.kind == Kind::integer && end.kind == Kind::integer && by->value.kind == Kind::integer) {
                const std::int64_t step = by->value.i;
                if (step == 0) return fail(DiagnosticKind::misuse, site.span, "stride step must not be zero");
                // Stops where the next value would overflow (a stride through Int.max ends there, as in Swift).
                for (std::int64_t x = from->value.i; step > 0 ? (to ? x < end.i : x <= end.i) : (to ? x > end.i : x >= end.i);) {
                    if (!count_work(1, site.span, "this stride is too long to make in one step")) return Res::make(Ctl::fatal);
                    xs.push_back(Value::integer(x));
                    if (__builtin_add_overflow(x, step, &x)) break;
                }
            } else {
                const double step = by->value.as_double();
                if (step == 0) return fail(DiagnosticKind::misuse, site.span, "stride step must not be zero");
                const double e = end.as_double();
                for (double x = from->value.as_double(); step > 0 ? (to ? x < e : x <= e) : (to ? x > e : x >= e); x += step) {
                    if (!count_work(1, site.span, "this stride is too long to make in one step")) return Res::make(Ctl::fatal);
                    xs.push_back(Value::real(x));
                }
            }
            return Res::of(Value::array(std::move(xs)));
        }
        if (n == "zip") {
            if (positional_count(args) != 2) return wrong_args(site, n, "(a, b)");
            std::vector<Value> a, c;
            Res r = for_sequence(positional(args, 0)->value, a, site.span);
            if (!r.ok()) return r;
            r = for_sequence(positional(args, 1)->value, c, site.span);
            if (!r.ok()) return r;
            std::vector<Value> xs;
            for (std::size_t k = 0; k < std::min(a.size(), c.size()); ++k) xs.push_back(Value::tuple({a[k], c[k]}));
            return Res::of(Value::array(std::move(xs)));
        }
        if (n == "type") {
            const ArgVal* a = find_arg(args, "of");
            if (!a) return wrong_args(site, n, "(of:)");
            auto t = std::make_shared<TypeObj>();
            t->name = type_name(a->value);
            return Res::of(Value::with_ref(Kind::type, std::move(t)));
        }
        if (n == "String") {
            if (const ArgVal* f = find_arg(args, "format")) {
                if (f->value.kind != Kind::string) return wrong_args(site, n, "(format: \"…\", values…)");
                std::vector<Value> values;
                for (const auto& a : args)
                    if (a.label.empty()) values.push_back(a.value);
                return format_printf(str(f->value), values, site);
            }
            if (const ArgVal* a = find_arg(args, "describing")) return Res::of(Value::string(describe(a->value)));
            if (const ArgVal* a = find_arg(args, "reflecting")) return Res::of(Value::string(describe(a->value, Style::debug)));
            if (const ArgVal* a = find_arg(args, "repeating")) {
                const ArgVal* c = find_arg(args, "count");
                if (!c || c->value.kind != Kind::integer || c->value.i < 0) return wrong_args(site, n, "(repeating:count:)");
                const std::string unit = describe(a->value);
                const std::uint64_t total = static_cast<std::uint64_t>(c->value.i) * std::max<std::uint64_t>(unit.size(), 1);
                if (!count_work(total, site.span, "this string is too long to make in one step") ||
                    !reserve_memory(MemoryKind::string, total, total, site.span))
                    return Res::make(Ctl::fatal);
                std::string out;
                out.reserve(static_cast<std::size_t>(total));
                for (std::int64_t k = 0; k < c->value.i; ++k) out += unit;
                return Res::of(Value::string(std::move(out)));
            }
            if (const ArgVal* radix = find_arg(args, "radix")) {
                // `String(255, radix: 16)`, `String(x, radix: 2, uppercase: true)`.
                const Value* v = arg0();
                const ArgVal* upper = find_arg(args, "uppercase");
                if (!v || v->kind != Kind::integer || v->opt > 0 || radix->value.kind != Kind::integer ||
                    (upper && upper->value.kind != Kind::boolean))
                    return wrong_args(site, n, "(_: integer, radix: Int, uppercase: Bool)");
                const Int128 r = int_value(radix->value);
                if (r < 2 || r > 36) return fail(DiagnosticKind::misuse, site.span, "Radix must be between 2 and 36");
                return Res::of(Value::string(int_to_text(*v, static_cast<int>(r), upper && upper->value.b)));
            }
            const Value* v = arg0();
            if (!v) return args.empty() ? Res::of(Value::string("")) : wrong_args(site, n, "(x) or (describing:)");
            if (v->kind == Kind::array) {  // String(characters)
                std::string out;
                for (const auto& c : items(*v)) out += describe(c);
                return Res::of(Value::string(std::move(out)));
            }
            return Res::of(Value::string(describe(*v)));
        }
        if (n == "Character") {
            const Value* v = arg0();
            if (!v) return wrong_args(site, n, "(x)");
            return Res::of(Value::string(describe(*v)));
        }
        if (const auto it = int_type_named(n)) return convert_integer(*it, args, site);
        if (n == "Double" || n == "Float") {
            const Value* v = arg0();
            if (!v) return args.empty() ? Res::of(Value::real(0)) : wrong_args(site, n, "(x)");
            if (v->is_number()) return Res::of(Value::real(v->as_double()));
            if (v->kind == Kind::string) {
                const std::string& s = str(*v);
                if (s.empty()) return Res::of(Value::nil());
                char* end = nullptr;
                errno = 0;
                const double d = std::strtod(s.c_str(), &end);
                if (end != s.c_str() + s.size()) return Res::of(Value::nil());
                return Res::of(Value::real(d).wrapped());
            }
            return fail(DiagnosticKind::type_mismatch, site.span, "cannot convert a value of type " + type_name(*v) + " to " + n);
        }
        if (n == "Bool") {
            const Value* v = arg0();
            if (!v) return wrong_args(site, n, "(x)");
            if (v->kind == Kind::boolean) return Res::of(*v);
            if (v->kind == Kind::string) {
                if (str(*v) == "true") return Res::of(Value::boolean(true).wrapped());
                if (str(*v) == "false") return Res::of(Value::boolean(false).wrapped());
                return Res::of(Value::nil());
            }
            return fail(DiagnosticKind::type_mismatch, site.span, "cannot convert a value of type " + type_name(*v) + " to Bool");
        }
        if (n == "Array") {
            if (args.empty()) return Res::of(Value::array({}));
            if (const ArgVal* rep = find_arg(args, "repeating")) {
                const ArgVal* c = find_arg(args, "count");
                if (!c || c->value.kind != Kind::integer || c->value.i < 0) return wrong_args(site, n, "(repeating:count:)");
                const auto count = static_cast<std::uint64_t>(c->value.i);
                if (!count_work(count, site.span, "this array is too long to make in one step") ||
                    !reserve_memory(MemoryKind::array, count, count * sizeof(Value), site.span))
                    return Res::make(Ctl::fatal);
                return Res::of(Value::array(std::vector<Value>(static_cast<std::size_t>(c->value.i), rep->value)));
            }
            const Value* v = arg0();
            if (!v) return wrong_args(site, n, "(sequence)");
            std::vector<Value> xs;
            Res r = for_sequence(*v, xs, site.span);
            if (!r.ok()) return r;
            return Res::of(Value::array(std::move(xs)));
        }
        if (n == "Date" && args.empty()) return Res::of(Value::scalar(Kind::dispatch_time, m_sched.now()));
        if (n == "ContinuousClock" && args.empty()) return global_name("ContinuousClock", site.span);
        if (n == "Dictionary" && args.empty()) return Res::of(Value::with_ref(Kind::dict, std::make_shared<DictObj>()));
        IntType random_type = IntType::int_;
        bool int_random = false;
        if (n.size() > 7 && n.ends_with(".random")) {
            if (const auto t = int_type_named(std::string_view(n).substr(0, n.size() - 7))) {
                random_type = *t;
                int_random = true;
            }
        }
        if (int_random || n == "Double.random") {
            const ArgVal* in = find_arg(args, "in");
            if (!in || in->value.kind != Kind::range) return wrong_args(site, n, "(in: lo...hi)");
            const auto& r = static_cast<const RangeObj&>(*in->value.ref);
            if (r.real) {
                if (n != "Double.random") return wrong_args(site, n, "(in: lo...hi) with Int bounds");
                const double unit = static_cast<double>(next_random() >> 11) * 0x1.0p-53;
                return Res::of(Value::real(r.dlo + unit * (r.dhi - r.dlo)));
            }
            // Int.min...Int.max holds 2^64 values: size() wraps to 0 there, and every draw fits.
            const bool full = r.closed && r.lo == INT64_MIN && r.hi == INT64_MAX;
            if (r.size() == 0 && !full) return fail(DiagnosticKind::misuse, site.span, "Can't get random value with an empty range");
            const std::uint64_t pick = full ? next_random() : next_random() % r.size();
            if (n == "Double.random") {
                const double unit = static_cast<double>(next_random() >> 11) * 0x1.0p-53;
                return Res::of(Value::real(static_cast<double>(r.lo) + unit * (static_cast<double>(r.hi) - static_cast<double>(r.lo))));
            }
            const Value drawn = Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(r.lo) + pick));
            // The draw has the type named (`UInt64.random(in:)` gives a UInt64) when it fits there.
            if (int_random && int_fits(random_type, int_value(drawn))) return Res::of(make_int(random_type, int_value(drawn)));
            return Res::of(drawn);
        }
        if (n == "Bool.random") return Res::of(Value::boolean((next_random() & 1) != 0));
        handled = false;
        return Res::of();
    }

    // ---- methods of Array / Range / Dictionary / String values ----
    if (recv.kind == Kind::integer && n == "isMultiple") {
        const ArgVal* of = find_arg(args, "of");
        if (!of || of->value.kind != Kind::integer) return wrong_args(site, n, "(of:)");
        if (of->value.i == 0) return Res::of(Value::boolean(recv.i == 0));
        return Res::of(Value::boolean(recv.i % of->value.i == 0));
    }
    if (recv.kind == Kind::real && n == "rounded") return Res::of(Value::real(std::round(recv.d)));
    if (recv.kind == Kind::string) {
        const std::string& s = str(recv);
        if (n == "uppercased" || n == "lowercased") {
            std::string out = s;
            for (char& c : out)
                if (static_cast<unsigned char>(c) < 0x80) c = static_cast<char>(n == "uppercased" ? std::toupper(c) : std::tolower(c));
            return Res::of(Value::string(std::move(out)));
        }
        if (n == "hasPrefix" || n == "hasSuffix") {
            const Value* v = arg0();
            if (!v || v->kind != Kind::string) return wrong_args(site, n, "(string)");
            const std::string& t = str(*v);
            const bool r = t.size() <= s.size() && (n == "hasPrefix" ? s.compare(0, t.size(), t) == 0
                                                                       : s.compare(s.size() - t.size(), t.size(), t) == 0);
            return Res::of(Value::boolean(r));
        }
        if (n == "contains" && arg0() && arg0()->kind == Kind::string)
            return Res::of(Value::boolean(s.find(str(*arg0())) != std::string::npos));
        if (n == "split" || n == "components") {
            const ArgVal* sep = find_arg(args, n == "split" ? "separator" : "separatedBy");
            if (!sep || sep->value.kind != Kind::string) return wrong_args(site, n, n == "split" ? "(separator:)" : "(separatedBy:)");
            const std::string& d = str(sep->value);
            std::vector<Value> parts;
            std::size_t start = 0;
            while (true) {
                const std::size_t p = d.empty() ? std::string::npos : s.find(d, start);
                const std::string piece = s.substr(start, p == std::string::npos ? std::string::npos : p - start);
                if (n == "components" || !piece.empty()) parts.push_back(Value::string(piece));
                if (p == std::string::npos) break;
                start = p + d.size();
            }
            return Res::of(Value::array(std::move(parts)));
        }
        if (n == "replacingOccurrences") {
            const ArgVal* of = find_arg(args, "of");
            const ArgVal* with = find_arg(args, "with");
            if (!of || !with) return wrong_args(site, n, "(of:with:)");
            const std::string& a = str(of->value);
            const std::string& r = str(with->value);
            if (a.empty()) return Res::of(recv);
            std::uint64_t hits = 0;
            for (std::size_t j = s.find(a); j != std::string::npos; j = s.find(a, j + a.size())) ++hits;
            const std::uint64_t size = s.size() - hits * a.size() + hits * r.size();
            if (!count_work(hits, site.span, "this replacement is too long to make in one step") ||
                !reserve_memory(MemoryKind::string, size, size, site.span))
                return Res::make(Ctl::fatal);
            std::string out;
            std::size_t start = 0, p;
            while ((p = s.find(a, start)) != std::string::npos) {
                out += s.substr(start, p - start) + r;
                start = p + a.size();
            }
            out += s.substr(start);
            return Res::of(Value::string(std::move(out)));
        }
        if (n == "reversed") {
            std::vector<Value> chars;
            Res r = for_sequence(recv, chars, site.span);
            if (!r.ok()) return r;
            std::string out;
            for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += str(*it);
            return Res::of(Value::string(std::move(out)));
        }
    }
    if (recv.kind == Kind::dispatch_time && n == "timeIntervalSince") {
        const Value* other = arg0();
        if (!other || other->kind != Kind::dispatch_time) return wrong_args(site, n, "(date)");
        return Res::of(Value::real(static_cast<double>(recv.i - other->i) / 1e9));
    }
    if (!is_sequence(recv)) {
        handled = false;
        return Res::of();
    }
    if (recv.kind == Kind::dict) {
        const auto& entries = static_cast<const DictObj&>(*recv.ref).entries;
        if (n == "mapValues" || (n == "filter" && fn_arg(args))) {
            const ArgVal* f = fn_arg(args);
            if (!f) return wrong_args(site, n, "({ … })");
            auto out = std::make_shared<DictObj>();
            for (const auto& [k, v] : entries) {
                Res r = n == "mapValues" ? call_fn(f->value, {v}) : call_fn(f->value, {Value::tuple({k, v}, {"key", "value"})});
                if (!r.ok()) return r;
                if (n == "mapValues") out->entries.emplace_back(k, r.value);
                else if (r.value.kind == Kind::boolean && r.value.b) out->entries.emplace_back(k, v);
            }
            return Res::of(Value::with_ref(Kind::dict, std::move(out)));
        }
    }
    if (recv.kind == Kind::range && static_cast<const RangeObj&>(*recv.ref).real && n == "contains" && arg0() && arg0()->is_number()) {
        const auto& r = static_cast<const RangeObj&>(*recv.ref);
        const double x = arg0()->as_double();
        return Res::of(Value::boolean(x >= r.dlo && (r.closed ? x <= r.dhi : x < r.dhi)));
    }
    if (recv.kind == Kind::range && n == "contains" && arg0() && arg0()->kind == Kind::integer) {
        const auto& r = static_cast<const RangeObj&>(*recv.ref);
        return Res::of(Value::boolean(r.contains(arg0()->i)));
    }
    std::vector<Value> xs;
    Res sr = for_sequence(recv, xs, site.span);
    if (!sr.ok()) return sr;
    const ArgVal* f = fn_arg(args);
    if (n == "contains") {
        for (const auto& x : xs) {
            if (f) {
                Res r = call_fn(f->value, {x});
                if (!r.ok()) return r;
                if (r.value.kind == Kind::boolean && r.value.b) return Res::of(Value::boolean(true));
            } else if (arg0() && values_equal(x, *arg0())) {
                return Res::of(Value::boolean(true));
            }
        }
        return Res::of(Value::boolean(false));
    }
    if (n == "map" || n == "compactMap" || n == "filter" || n == "forEach" || n == "allSatisfy" ||
        (n == "first" && f) || (n == "last" && f) || (n == "firstIndex" && f)) {
        if (!f) return wrong_args(site, n, "({ … })");
        std::vector<Value> out;
        if (n == "last") std::reverse(xs.begin(), xs.end());
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = call_fn(f->value, {xs[k]});
            if (!r.ok()) return r;
            const bool truthy = r.value.kind == Kind::boolean && r.value.b;
            if (n == "map") out.push_back(r.value);
            else if (n == "compactMap") {
                if (!r.value.is_nil()) {
                    Value v = r.value;
                    if (v.opt > 0) --v.opt;
                    out.push_back(v);
                }
            } else if (n == "filter") {
                if (truthy) out.push_back(xs[k]);
            } else if (n == "allSatisfy") {
                if (!truthy) return Res::of(Value::boolean(false));
            } else if (n == "first" || n == "last") {
                if (truthy) return Res::of(xs[k].wrapped());
            } else if (n == "firstIndex") {
                if (truthy) return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
            }
        }
        if (n == "forEach") return Res::of();
        if (n == "allSatisfy") return Res::of(Value::boolean(true));
        if (n == "first" || n == "last" || n == "firstIndex") return Res::of(Value::nil());
        return Res::of(Value::array(std::move(out)));
    }
    if (n == "reduce") {
        const ArgVal* init = positional(args, 0);
        if (!init || !f || init == f) return wrong_args(site, n, "(initial, { acc, x in … })");
        Value acc = init->value;
        for (const auto& x : xs) {
            Res r = call_fn(f->value, {acc, x});
            if (!r.ok()) return r;
            acc = r.value;
        }
        return Res::of(acc);
    }
    if (n == "firstIndex") {
        const ArgVal* of = find_arg(args, "of");
        if (!of) return wrong_args(site, n, "(of:) or (where:)");
        for (std::size_t k = 0; k < xs.size(); ++k)
            if (values_equal(xs[k], of->value)) return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
        return Res::of(Value::nil());
    }
    if (n == "enumerated") {
        std::vector<Value> out;
        for (std::size_t k = 0; k < xs.size(); ++k)
            out.push_back(Value::tuple({Value::integer(static_cast<std::int64_t>(k)), xs[k]}, {"offset", "element"}));
        return Res::of(Value::array(std::move(out)));
    }
    if (n == "joined") {
        std::string sep;
        if (const ArgVal* a = find_arg(args, "separator")) sep = str(a->value);
        std::string out;
        for (std::size_t k = 0; k < xs.size(); ++k) out += (k ? sep : "") + describe(xs[k]);
        return Res::of(Value::string(std::move(out)));
    }
    if (n == "sorted") {
        Res r = merge_sort(xs, [&](const Value& a, const Value& c, bool& out) {
            if (f) {
                Res cr = call_fn(f->value, {a, c});
                if (!cr.ok()) return cr;
                out = cr.value.kind == Kind::boolean && cr.value.b;
                return Res::of();
            }
            bool ok = true;
            out = value_less(a, c, ok);
            if (!ok) return fail(DiagnosticKind::type_mismatch, site.span, "values of type " + type_name(a) + " cannot be sorted");
            return Res::of();
        });
        if (!r.ok()) return r;
        return Res::of(Value::array(std::move(xs)));
    }
    if (n == "reversed") {
        std::reverse(xs.begin(), xs.end());
        return Res::of(Value::array(std::move(xs)));
    }
    if (n == "min" || n == "max") {
        if (xs.empty()) return Res::of(Value::nil());
        Value best = xs[0];
        for (std::size_t k = 1; k < xs.size(); ++k) {
            bool ok = true;
            bool better = false;
            if (f) {
                Res cr = call_fn(f->value, n == "min" ? std::vector<Value>{xs[k], best} : std::vector<Value>{best, xs[k]});
                if (!cr.ok()) return cr;
                better = cr.value.kind == Kind::boolean && cr.value.b;
            } else {
                better = n == "min" ? value_less(xs[k], best, ok) : value_less(best, xs[k], ok);
            }
            if (!ok) return fail(DiagnosticKind::type_mismatch, site.span, "values of type " + type_name(xs[k]) + " cannot be compared");
            if (better) best = xs[k];
        }
        return Res::of(best.wrapped());
    }
    if (n == "randomElement") {
        if (xs.empty()) return Res::of(Value::nil());
        return Res::of(xs[next_random() % xs.size()].wrapped());
    }
    if (n == "shuffled") {
        for (std::size_t k = xs.size(); k > 1; --k) std::swap(xs[k - 1], xs[next_random() % k]);
        return Res::of(Value::array(std::move(xs)));
    }
    if (n == "prefix" || n == "suffix" || n == "dropFirst" || n == "dropLast") {
        std::int64_t count = n.rfind("drop", 0) == 0 ? 1 : 0;
        if (const Value* v = arg0()) count = v->kind == Kind::integer ? v->i : -1;
        if (count < 0) return fail(DiagnosticKind::misuse, site.span, "Can't take a prefix/suffix of negative length");
        const std::size_t c = std::min<std::size_t>(static_cast<std::size_t>(count), xs.size());
        std::vector<Value> out;
        if (n == "prefix") out.assign(xs.begin(), xs.begin() + static_cast<std::ptrdiff_t>(c));
        else if (n == "suffix") out.assign(xs.end() - static_cast<std::ptrdiff_t>(c), xs.end());
        else if (n == "dropFirst") out.assign(xs.begin() + static_cast<std::ptrdiff_t>(c), xs.end());
        else out.assign(xs.begin(), xs.end() - static_cast<std::ptrdiff_t>(c));
        if (recv.kind == Kind::string) {
            std::string s;
            for (const auto& ch : out) s += str(ch);
            return Res::of(Value::string(std::move(s)));
        }
        return Res::of(Value::array(std::move(out)));
    }
    handled = false;
    return Res::of();
}

Flow<Res> Machine::common_builtin_async(BuiltinObj b, Args args, Site site) {
    // Higher-order methods whose closure suspends (e.g. a forEach body that calls sleep(1)).
    const std::string& n = b.name;
    std::vector<Value> xs;
    Res sr = for_sequence(b.receiver, xs, site.span);
    if (!sr.ok()) co_return sr;
    const ArgVal* fa = fn_arg(args);
    if (!fa) co_return wrong_args(site, n, "({ … })");
    const Value fn = fa->value;
    std::vector<Value> out;
    Value acc;
    if (n == "reduce") {
        const ArgVal* init = positional(args, 0);
        if (!init || init == fa) co_return wrong_args(site, n, "(initial, { acc, x in … })");
        acc = init->value;
    }
    if (n == "last") std::reverse(xs.begin(), xs.end());
    for (std::size_t k = 0; k < xs.size(); ++k) {
        Args a;
        if (n == "reduce") a.push_back(ArgVal{{}, acc, site.span, false, nullptr});
        a.push_back(ArgVal{{}, xs[k], site.span, false, nullptr});
        Res r = co_await call(fn, std::move(a), site);
        if (!r.ok()) co_return r;
        const bool truthy = r.value.kind == Kind::boolean && r.value.b;
        if (n == "map") out.push_back(r.value);
        else if (n == "compactMap") {
            if (!r.value.is_nil()) {
                Value v = r.value;
                if (v.opt > 0) --v.opt;
                out.push_back(v);
            }
        } else if (n == "filter") {
            if (truthy) out.push_back(xs[k]);
        } else if (n == "reduce") {
            acc = r.value;
        } else if (n == "allSatisfy") {
            if (!truthy) co_return Res::of(Value::boolean(false));
        } else if (n == "contains") {
            if (truthy) co_return Res::of(Value::boolean(true));
        } else if (n == "first" || n == "last") {
            if (truthy) co_return Res::of(xs[k].wrapped());
        } else if (n == "firstIndex") {
            if (truthy) co_return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
        }
    }
    if (n == "forEach") co_return Res::of();
    if (n == "reduce") co_return Res::of(acc);
    if (n == "allSatisfy") co_return Res::of(Value::boolean(true));
    if (n == "contains") co_return Res::of(Value::boolean(false));
    if (n == "first" || n == "last" || n == "firstIndex") co_return Res::of(Value::nil());
    co_return Res::of(Value::array(std::move(out)));
}

Res Machine::mutate(Value& target, const std::string& n, Args& args, const Site& site) {
    Res r = mutate_in_place(target, n, args, site);
    // What grew in place counts toward the run's memory from now on.
    if (target.ref) {
        switch (target.kind) {
        case Kind::array: static_cast<ArrayObj&>(*target.ref).recharge(); break;
        case Kind::string: static_cast<StrObj&>(*target.ref).recharge(); break;
        case Kind::dict: static_cast<DictObj&>(*target.ref).recharge(); break;
        default: break;
        }
    }
    if (r.ctl != Ctl::fatal && !check_memory(site.span)) return Res::make(Ctl::fatal);
    return r;
}

Res Machine::mutate_in_place(Value& target, const std::string& n, Args& args, const Site& site) {
    make_unique_ref(target);
    const ArgVal* a0 = positional(args, 0);
    if (target.kind == Kind::array) {
        auto& xs = static_cast<ArrayObj&>(*target.ref).items;
        if (n == "append") {
            if (const ArgVal* c = find_arg(args, "contentsOf")) {
                std::vector<Value> more;
                Res r = for_sequence(c->value, more, site.span);
                if (!r.ok()) return r;
                xs.insert(xs.end(), more.begin(), more.end());
                return Res::of();
            }
            if (!a0) return wrong_args(site, n, "(element) or (contentsOf:)");
            xs.push_back(a0->value);
            return Res::of();
        }
        if (n == "insert") {
            const ArgVal* at_arg = find_arg(args, "at");
            if (!a0 || !at_arg || at_arg->value.kind != Kind::integer) return wrong_args(site, n, "(element, at:)");
            const std::int64_t i = at_arg->value.i;
            if (i < 0 || static_cast<std::size_t>(i) > xs.size())
                return fail(DiagnosticKind::index_out_of_range, site.span, "Array index is out of range");
            xs.insert(xs.begin() + i, a0->value);
            return Res::of();
        }
        if (n == "remove") {
            const ArgVal* at_arg = find_arg(args, "at");
            if (!at_arg || at_arg->value.kind != Kind::integer) return wrong_args(site, n, "(at:)");
            const std::int64_t i = at_arg->value.i;
            if (i < 0 || static_cast<std::size_t>(i) >= xs.size()) return fail(DiagnosticKind::index_out_of_range, site.span, "Index out of range");
            Value v = xs[static_cast<std::size_t>(i)];
            xs.erase(xs.begin() + i);
            return Res::of(v);
        }
        if (n == "removeAll") {
            if (const ArgVal* f = fn_arg(args)) {
                std::vector<Value> keep;
                for (const auto& x : xs) {
                    Args a{ArgVal{{}, x, site.span, false, nullptr}};
                    Res r = call_sync(f->value, a, site);
                    if (!r.ok()) return r;
                    if (!(r.value.kind == Kind::boolean && r.value.b)) keep.push_back(x);
                }
                xs.swap(keep);
                return Res::of();
            }
            xs.clear();
            return Res::of();
        }
        if (n == "removeFirst" || n == "removeLast" || n == "popLast") {
            if (xs.empty()) {
                if (n == "popLast") return Res::of(Value::nil());
                return fail(DiagnosticKind::misuse, site.span,
                            std::string("Can't remove ") + (n == "removeFirst" ? "first" : "last") + " element from an empty collection");
            }
            Value v = n == "removeFirst" ? xs.front() : xs.back();
            if (n == "removeFirst") xs.erase(xs.begin());
            else xs.pop_back();
            return Res::of(n == "popLast" ? v.wrapped() : v);
        }
        if (n == "reverse") {
            std::reverse(xs.begin(), xs.end());
            return Res::of();
        }
        if (n == "shuffle") {
            for (std::size_t k = xs.size(); k > 1; --k) std::swap(xs[k - 1], xs[next_random() % k]);
            return Res::of();
        }
        if (n == "sort") {
            BuiltinObj sorted;
            sorted.name = "sorted";
            sorted.receiver = target;
            bool handled = false;
            Res r = common_builtin(sorted, args, site, handled);
            if (!r.ok()) return r;
            target = r.value;
            return Res::of();
        }
    }
    if (target.kind == Kind::string) {
        auto& s = static_cast<StrObj&>(*target.ref).s;
        if (n == "append") {
            if (const ArgVal* c = find_arg(args, "contentsOf")) a0 = c;
            if (!a0) return wrong_args(site, n, "(string)");
            s += describe(a0->value);
            return Res::of();
        }
        if (n == "removeAll") {
            s.clear();
            return Res::of();
        }
    }
    if (target.kind == Kind::dict) {
        auto& entries = static_cast<DictObj&>(*target.ref).entries;
        if (n == "removeValue") {
            const ArgVal* k = find_arg(args, "forKey");
            if (!k) return wrong_args(site, n, "(forKey:)");
            for (auto it = entries.begin(); it != entries.end(); ++it)
                if (values_equal(it->first, k->value)) {
                    Value old = it->second;
                    entries.erase(it);
                    return Res::of(old.wrapped());
                }
            return Res::of(Value::nil());
        }
        if (n == "updateValue") {
            const ArgVal* k = find_arg(args, "forKey");
            if (!k || !a0) return wrong_args(site, n, "(value, forKey:)");
            for (auto& [key, v] : entries)
                if (values_equal(key, k->value)) {
                    Value old = v;
                    v = a0->value;
                    return Res::of(old.wrapped());
                }
            entries.emplace_back(k->value, a0->value);
            return Res::of(Value::nil());
        }
        if (n == "removeAll") {
            entries.clear();
            return Res::of();
        }
    }
    return unknown_member(target, n, site.span);
}

}  // namespace tasklab::interp
