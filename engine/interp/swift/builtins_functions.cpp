// The standard library's free functions and built-in type initialisers, one handler each in
// a table by name: print, fatalError, precondition, exit, abs, min/max, stride, zip, type(of:),
// the String/Character/Double/Bool/Array/Dictionary initialisers, integer conversions
// (integers.hpp) and the `random(in:)` family. Methods of values are in builtins_strings.cpp
// and builtins_sequences.cpp.
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "engine/interp/swift/builtin_table.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"

namespace tasklab::interp {

namespace {

Res print_values(BuiltinCall& c) {
    const std::string& n = c.name();
    std::string sep = " ", term = "\n";
    if (const ArgVal* a = find_arg(c.args, "separator")) sep = str(a->value);
    if (const ArgVal* a = find_arg(c.args, "terminator")) term = str(a->value);
    std::string text;
    bool first = true;
    for (const auto& a : c.args) {
        if (!a.label.empty()) continue;
        if (!first) text += sep;
        first = false;
        text += describe(a.value, n == "debugPrint" ? Style::debug : Style::describing);
    }
    c.m.print_text(text + term);
    return Res::of();
}

Res fatal_error(BuiltinCall& c) {
    const Value* m = c.arg0();
    return c.m.fail(DiagnosticKind::misuse, c.site.span, "Fatal error" + (m ? ": " + describe(*m) : std::string()));
}

Res exit_process(BuiltinCall& c) {
    // Foundation's exit(n): the process ends at once with status n; nothing else runs
    // (no `defer`, no pending task). The run stops the way a runtime error stops it.
    const Value* code = c.arg0();
    if (!code || code->kind != Kind::integer || c.args.size() != 1) return c.wrong("(Int32)");
    c.m.m_exit_status = static_cast<int>(code->i & 0xff);
    return c.m.fail(DiagnosticKind::misuse, c.site.span, "exit(" + std::to_string(code->i) + ") ended the process");
}

Res check_precondition(BuiltinCall& c) {
    const Value* cond = c.arg0();
    if (!cond || cond->kind != Kind::boolean) return c.wrong("(condition, message)");
    if (!cond->b) {
        const ArgVal* m = positional(c.args, 1);
        return c.m.fail(DiagnosticKind::misuse, c.site.span,
                        (c.name() == "assert" ? "Assertion failed" : "Precondition failed") +
                            (m ? ": " + describe(m->value) : std::string()));
    }
    return Res::of();
}

Res absolute_value(BuiltinCall& c) {
    const Value* v = c.arg0();
    if (!v) return c.wrong("(x)");
    if (v->kind == Kind::integer) {
        if (int_value(*v) >= 0) return Res::of(*v);
        IntResult r = int_negate(*v);  // abs(Int8.min) traps, as in Swift
        if (r.trap) return c.m.fail(DiagnosticKind::misuse, c.site.span, r.trap);
        return Res::of(std::move(r.value));
    }
    if (v->kind == Kind::real) return Res::of(Value::real(std::fabs(v->d)));
    if (v->kind == Kind::duration) return Res::of(Value::scalar(Kind::duration, v->i < 0 ? -v->i : v->i));
    return c.m.fail(DiagnosticKind::type_mismatch, c.site.span, "abs needs a number, not " + type_name(*v));
}

Res min_or_max(BuiltinCall& c) {
    const Args& args = c.args;
    if (positional_count(args) < 2) return c.wrong("(a, b, …)");
    Value best = positional(args, 0)->value;
    for (std::size_t k = 1; k < positional_count(args); ++k) {
        const Value& x = positional(args, k)->value;
        bool ok = true;
        const bool better = c.name() == "min" ? value_less(x, best, ok) : value_less(best, x, ok);
        if (!ok) return c.m.fail(DiagnosticKind::type_mismatch, c.site.span, "values of type " + type_name(x) + " cannot be compared");
        if (better) best = x;
    }
    return Res::of(best);
}

Res stride(BuiltinCall& c) {
    const ArgVal* from = find_arg(c.args, "from");
    const ArgVal* to = find_arg(c.args, "to");
    const ArgVal* through = find_arg(c.args, "through");
    const ArgVal* by = find_arg(c.args, "by");
    if (!from || !by || (!to && !through)) return c.wrong("(from:to:by:) or (from:through:by:)");
    const Value& end = to ? to->value : through->value;
    const Span span = c.site.span;
    std::vector<Value> xs;
    if (from->value.kind == Kind::integer && end.kind == Kind::integer && by->value.kind == Kind::integer) {
        const std::int64_t step = by->value.i;
        if (step == 0) return c.m.fail(DiagnosticKind::misuse, span, "stride step must not be zero");
        // Stops where the next value would overflow (a stride through Int.max ends there, as in Swift).
        for (std::int64_t x = from->value.i; step > 0 ? (to ? x < end.i : x <= end.i) : (to ? x > end.i : x >= end.i);) {
            if (!c.m.count_work(1, span, "this stride is too long to make in one step")) return Res::make(Ctl::fatal);
            xs.push_back(Value::integer(x));
            if (__builtin_add_overflow(x, step, &x)) break;
        }
    } else {
        const double step = by->value.as_double();
        if (step == 0) return c.m.fail(DiagnosticKind::misuse, span, "stride step must not be zero");
        const double e = end.as_double();
        for (double x = from->value.as_double(); step > 0 ? (to ? x < e : x <= e) : (to ? x > e : x >= e); x += step) {
            if (!c.m.count_work(1, span, "this stride is too long to make in one step")) return Res::make(Ctl::fatal);
            xs.push_back(Value::real(x));
        }
    }
    return Res::of(Value::array(std::move(xs)));
}

Res zip_sequences(BuiltinCall& c) {
    if (positional_count(c.args) != 2) return c.wrong("(a, b)");
    std::vector<Value> a, b;
    Res r = c.m.for_sequence(positional(c.args, 0)->value, a, c.site.span);
    if (!r.ok()) return r;
    r = c.m.for_sequence(positional(c.args, 1)->value, b, c.site.span);
    if (!r.ok()) return r;
    std::vector<Value> xs;
    for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) xs.push_back(Value::tuple({a[k], b[k]}));
    return Res::of(Value::array(std::move(xs)));
}

Res type_of(BuiltinCall& c) {
    const ArgVal* a = find_arg(c.args, "of");
    if (!a) return c.wrong("(of:)");
    auto t = std::make_shared<TypeObj>();
    t->name = type_name(a->value);
    return Res::of(Value::with_ref(Kind::type, std::move(t)));
}

Res string_repeating(BuiltinCall& c, const ArgVal& a) {
    const ArgVal* count = find_arg(c.args, "count");
    if (!count || count->value.kind != Kind::integer || count->value.i < 0) return c.wrong("(repeating:count:)");
    const std::string unit = describe(a.value);
    const std::uint64_t total = static_cast<std::uint64_t>(count->value.i) * std::max<std::uint64_t>(unit.size(), 1);
    if (!c.m.count_work(total, c.site.span, "this string is too long to make in one step") ||
        !c.m.reserve_memory(MemoryKind::string, total, total, c.site.span))
        return Res::make(Ctl::fatal);
    std::string out;
    out.reserve(static_cast<std::size_t>(total));
    for (std::int64_t k = 0; k < count->value.i; ++k) out += unit;
    return Res::of(Value::string(std::move(out)));
}

Res string_radix(BuiltinCall& c, const ArgVal& radix) {
    // `String(255, radix: 16)`, `String(x, radix: 2, uppercase: true)`.
    const Value* v = c.arg0();
    const ArgVal* upper = find_arg(c.args, "uppercase");
    if (!v || v->kind != Kind::integer || v->opt > 0 || radix.value.kind != Kind::integer ||
        (upper && upper->value.kind != Kind::boolean))
        return c.wrong("(_: integer, radix: Int, uppercase: Bool)");
    const Int128 r = int_value(radix.value);
    if (r < 2 || r > 36) return c.m.fail(DiagnosticKind::misuse, c.site.span, "Radix must be between 2 and 36");
    return Res::of(Value::string(int_to_text(*v, static_cast<int>(r), upper && upper->value.b)));
}

Res make_string(BuiltinCall& c) {
    const Args& args = c.args;
    if (const ArgVal* f = find_arg(args, "format")) {
        if (f->value.kind != Kind::string) return c.wrong("(format: \"…\", values…)");
        std::vector<Value> values;
        for (const auto& a : args)
            if (a.label.empty()) values.push_back(a.value);
        return c.m.format_printf(str(f->value), values, c.site);
    }
    if (const ArgVal* a = find_arg(args, "describing")) return Res::of(Value::string(describe(a->value)));
    if (const ArgVal* a = find_arg(args, "reflecting")) return Res::of(Value::string(describe(a->value, Style::debug)));
    if (const ArgVal* a = find_arg(args, "repeating")) return string_repeating(c, *a);
    if (const ArgVal* radix = find_arg(args, "radix")) return string_radix(c, *radix);
    const Value* v = c.arg0();
    if (!v) return args.empty() ? Res::of(Value::string("")) : c.wrong("(x) or (describing:)");
    if (v->kind == Kind::array) {  // String(characters)
        std::string out;
        for (const auto& ch : items(*v)) out += describe(ch);
        return Res::of(Value::string(std::move(out)));
    }
    return Res::of(Value::string(describe(*v)));
}

Res make_character(BuiltinCall& c) {
    const Value* v = c.arg0();
    if (!v) return c.wrong("(x)");
    return Res::of(Value::string(describe(*v)));
}

Res make_double(BuiltinCall& c) {
    const Value* v = c.arg0();
    if (!v) return c.args.empty() ? Res::of(Value::real(0)) : c.wrong("(x)");
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
    return c.m.fail(DiagnosticKind::type_mismatch, c.site.span, "cannot convert a value of type " + type_name(*v) + " to " + c.name());
}

Res make_bool(BuiltinCall& c) {
    const Value* v = c.arg0();
    if (!v) return c.wrong("(x)");
    if (v->kind == Kind::boolean) return Res::of(*v);
    if (v->kind == Kind::string) {
        if (str(*v) == "true") return Res::of(Value::boolean(true).wrapped());
        if (str(*v) == "false") return Res::of(Value::boolean(false).wrapped());
        return Res::of(Value::nil());
    }
    return c.m.fail(DiagnosticKind::type_mismatch, c.site.span, "cannot convert a value of type " + type_name(*v) + " to Bool");
}

Res make_array(BuiltinCall& c) {
    if (c.args.empty()) return Res::of(Value::array({}));
    if (const ArgVal* rep = find_arg(c.args, "repeating")) {
        const ArgVal* count = find_arg(c.args, "count");
        if (!count || count->value.kind != Kind::integer || count->value.i < 0) return c.wrong("(repeating:count:)");
        const auto n = static_cast<std::uint64_t>(count->value.i);
        if (!c.m.count_work(n, c.site.span, "this array is too long to make in one step") ||
            !c.m.reserve_memory(MemoryKind::array, n, n * sizeof(Value), c.site.span))
            return Res::make(Ctl::fatal);
        return Res::of(Value::array(std::vector<Value>(static_cast<std::size_t>(count->value.i), rep->value)));
    }
    const Value* v = c.arg0();
    if (!v) return c.wrong("(sequence)");
    std::vector<Value> xs;
    Res r = c.m.for_sequence(*v, xs, c.site.span);
    if (!r.ok()) return r;
    return Res::of(Value::array(std::move(xs)));
}

Res make_date(BuiltinCall& c) {
    if (!c.args.empty()) return c.decline();
    return Res::of(Value::scalar(Kind::dispatch_time, c.m.m_sched.now()));
}

Res make_clock(BuiltinCall& c) {
    if (!c.args.empty()) return c.decline();
    return c.m.global_name("ContinuousClock", c.site.span);
}

Res make_dictionary(BuiltinCall& c) {
    if (!c.args.empty()) return c.decline();
    return Res::of(Value::with_ref(Kind::dict, std::make_shared<DictObj>()));
}

Res random_bool(BuiltinCall& c) { return Res::of(Value::boolean((c.m.next_random() & 1) != 0)); }

/// `Int.random(in:)` and the other integer types', `Double.random(in:)`.
Res random_number(BuiltinCall& c) {
    const std::string& n = c.name();
    const bool is_double = n == "Double.random";
    IntType int_type = IntType::int_;  // the type named, when it is an integer type
    bool typed = false;
    if (!is_double) {
        if (const auto t = int_type_named(std::string_view(n).substr(0, n.size() - 7))) {
            int_type = *t;
            typed = true;
        }
    }
    const ArgVal* in = find_arg(c.args, "in");
    if (!in || in->value.kind != Kind::range) return c.wrong("(in: lo...hi)");
    const auto& r = static_cast<const RangeObj&>(*in->value.ref);
    if (r.real) {
        if (!is_double) return c.wrong("(in: lo...hi) with Int bounds");
        const double unit = static_cast<double>(c.m.next_random() >> 11) * 0x1.0p-53;
        return Res::of(Value::real(r.dlo + unit * (r.dhi - r.dlo)));
    }
    // Int.min...Int.max holds 2^64 values: size() wraps to 0 there, and every draw fits.
    const bool full = r.closed && r.lo == INT64_MIN && r.hi == INT64_MAX;
    if (r.size() == 0 && !full) return c.m.fail(DiagnosticKind::misuse, c.site.span, "Can't get random value with an empty range");
    const std::uint64_t pick = full ? c.m.next_random() : c.m.next_random() % r.size();
    if (is_double) {
        const double unit = static_cast<double>(c.m.next_random() >> 11) * 0x1.0p-53;
        return Res::of(Value::real(static_cast<double>(r.lo) + unit * (static_cast<double>(r.hi) - static_cast<double>(r.lo))));
    }
    const Value drawn = Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(r.lo) + pick));
    // The draw has the type named (`UInt64.random(in:)` gives a UInt64) when it fits there.
    if (typed && int_fits(int_type, int_value(drawn))) return Res::of(make_int(int_type, int_value(drawn)));
    return Res::of(drawn);
}

const BuiltinTable& function_table() {
    static const BuiltinTable table{
        {"print", print_values},
        {"debugPrint", print_values},
        {"fatalError", fatal_error},
        {"preconditionFailure", fatal_error},
        {"assertionFailure", fatal_error},
        {"exit", exit_process},
        {"precondition", check_precondition},
        {"assert", check_precondition},
        {"abs", absolute_value},
        {"min", min_or_max},
        {"max", min_or_max},
        {"stride", stride},
        {"zip", zip_sequences},
        {"type", type_of},
        {"String", make_string},
        {"Character", make_character},
        {"Double", make_double},
        {"Float", make_double},
        {"Bool", make_bool},
        {"Array", make_array},
        {"Date", make_date},
        {"ContinuousClock", make_clock},
        {"Dictionary", make_dictionary},
        {"Double.random", random_number},
        {"Bool.random", random_bool},
    };
    return table;
}

}  // namespace

Res core_function(BuiltinCall& c) {
    const std::string& n = c.name();
    if (const BuiltinHandler h = function_table().find(n)) return h(c);
    if (const auto t = int_type_named(n)) return c.m.convert_integer(*t, c.args, c.site);  // Int(x), UInt8(x), …
    if (n.size() > 7 && n.ends_with(".random") && int_type_named(std::string_view(n).substr(0, n.size() - 7)))
        return random_number(c);
    return c.decline();
}

}  // namespace tasklab::interp
