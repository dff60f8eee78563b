// Built-ins of Swift's integer types: the conversions `T(x)`, `T(exactly:)`,
// `T(truncatingIfNeeded:)`, `T(clamping:)`, `T(bitPattern:)` and `T(text, radix:)`, the members
// of an integer value (`bitWidth`, `leadingZeroBitCount`, …), and the integer operators
// (`+ - * / %`, the overflow operators `&+ &- &*`, the bitwise `& | ^ ~` and the shifts) with
// their traps. The rules themselves live in integers.cpp; this file turns them into results
// and runtime errors.
#include <cmath>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/builtin_table.hpp"
#include "scenarios/ast_dump.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

/// The IntOp of an integer BinaryOp, or empty for the others.
std::optional<IntOp> int_op_of(BinaryOp op) {
    switch (op) {
    case BinaryOp::add: return IntOp::add;
    case BinaryOp::sub: return IntOp::sub;
    case BinaryOp::mul: return IntOp::mul;
    case BinaryOp::div: return IntOp::div;
    case BinaryOp::mod: return IntOp::mod;
    case BinaryOp::wrapping_add: return IntOp::wrapping_add;
    case BinaryOp::wrapping_sub: return IntOp::wrapping_sub;
    case BinaryOp::wrapping_mul: return IntOp::wrapping_mul;
    case BinaryOp::bit_and: return IntOp::bit_and;
    case BinaryOp::bit_or: return IntOp::bit_or;
    case BinaryOp::bit_xor: return IntOp::bit_xor;
    case BinaryOp::shift_left: return IntOp::shift_left;
    case BinaryOp::shift_right: return IntOp::shift_right;
    case BinaryOp::masking_shift_left: return IntOp::masking_shift_left;
    case BinaryOp::masking_shift_right: return IntOp::masking_shift_right;
    default: return std::nullopt;
    }
}

}  // namespace

Res Machine::apply_integer_op(BinaryOp op, const Value& l, const Value& r, Span span) {
    const auto iop = int_op_of(op);
    if (!iop || l.kind != Kind::integer || r.kind != Kind::integer || l.opt > 0 || r.opt > 0)
        return fail(DiagnosticKind::type_mismatch, span,
                    "binary operator `" + std::string(ast::op_name(op)) + "` cannot be applied to operands of type " +
                        type_name(l) + " and " + type_name(r));
    IntResult res = int_binary(*iop, l, r);
    if (res.trap)
        return fail(res.division_by_zero ? DiagnosticKind::division_by_zero : DiagnosticKind::misuse, span, res.trap);
    return Res::of(std::move(res.value));
}

Res Machine::convert_integer(IntType t, Args& args, const Site& site) {
    const std::string n(int_type_name(t));
    if (args.empty()) return Res::of(make_int(t, 0));
    const std::string signature = "(_:), (exactly:), (truncatingIfNeeded:), (clamping:), (bitPattern:) or (_:radix:)";
    if (args.size() > 2) return wrong_args(site, n, signature);
    const ArgVal& a = args[0];
    const Value& v = a.value;
    if (v.opt > 0 || v.is_nil())
        return fail(DiagnosticKind::type_mismatch, site.span, "an Optional must be unwrapped before it is converted to " + n);
    // `Int(text)`, `Int(text, radix: 16)`: an Optional, nil when the text is not a number of T.
    if (v.kind == Kind::string && a.label.empty()) {
        int radix = 10;
        if (args.size() == 2) {
            if (args[1].label != "radix" || args[1].value.kind != Kind::integer) return wrong_args(site, n, signature);
            const Int128 r = int_value(args[1].value);
            if (r < 2 || r > 36) return fail(DiagnosticKind::misuse, site.span, "Radix must be between 2 and 36");
            radix = static_cast<int>(r);
        }
        const auto parsed = parse_int_text(t, str(v), radix);
        return Res::of(parsed ? parsed->wrapped() : Value::nil());
    }
    if (args.size() != 1) return wrong_args(site, n, signature);
    IntConversion how = IntConversion::trapping;
    if (a.label == "exactly") how = IntConversion::exactly;
    else if (a.label == "truncatingIfNeeded") how = IntConversion::truncating;
    else if (a.label == "clamping") how = IntConversion::clamping;
    else if (a.label == "bitPattern") how = IntConversion::bit_pattern;
    else if (!a.label.empty()) return wrong_args(site, n, signature);
    if (v.kind == Kind::boolean && how == IntConversion::trapping) return Res::of(make_int(t, v.b ? 1 : 0));
    const bool real_ok = how == IntConversion::trapping || how == IntConversion::exactly;
    if (v.kind != Kind::integer && !(v.kind == Kind::real && real_ok))
        return fail(DiagnosticKind::type_mismatch, site.span,
                    "cannot convert a value of type " + type_name(v) + " to " + n + (a.label.empty() ? "" : " with " + a.label + ":"));
    if (how == IntConversion::bit_pattern && int_bit_width(v.itype) != int_bit_width(t))
        return fail(DiagnosticKind::type_mismatch, site.span,
                    n + "(bitPattern:) needs a value of the same bit width, not " + type_name(v));
    IntResult res = convert_to_int(t, v, how);
    if (res.trap) {
        std::string message = res.trap;
        if (v.kind == Kind::real) {
            message = "Double value cannot be converted to " + n + " " + message;
            if (message.find("would be") != std::string::npos) message += " " + n + (message.find("less") != std::string::npos ? ".min" : ".max");
        }
        return fail(DiagnosticKind::misuse, site.span, message);
    }
    return Res::of(std::move(res.value));
}

namespace {

/// A property of an integer value.
using IntegerProperty = Value (*)(const Value& v);

Value bit_width(const Value& v) { return Value::integer(int_bit_width(v.itype)); }
Value leading_zero_bits(const Value& v) { return Value::integer(int_leading_zeros(v)); }
Value trailing_zero_bits(const Value& v) { return Value::integer(int_trailing_zeros(v)); }
Value nonzero_bits(const Value& v) { return Value::integer(int_nonzero_bits(v)); }

Value magnitude(const Value& v) {
    const Int128 x = int_value(v);
    const IntType unsigned_type = int_is_signed(v.itype) ? static_cast<IntType>(static_cast<int>(v.itype) + 5) : v.itype;
    return make_int(unsigned_type, x < 0 ? -x : x);
}

Value byte_swapped(const Value& v) {
    std::uint64_t u = static_cast<std::uint64_t>(int_value(v));
    u = __builtin_bswap64(u) >> (64 - int_bit_width(v.itype));
    return wrap_int(v.itype, static_cast<Int128>(u));
}

Value little_endian(const Value& v) { return v; }

const NameTable<IntegerProperty>& integer_properties() {
    static const NameTable<IntegerProperty> table{
        {"bitWidth", bit_width},       {"leadingZeroBitCount", leading_zero_bits}, {"trailingZeroBitCount", trailing_zero_bits},
        {"nonzeroBitCount", nonzero_bits}, {"magnitude", magnitude},             {"byteSwapped", byte_swapped},
        {"bigEndian", byte_swapped},   {"littleEndian", little_endian},
    };
    return table;
}

}  // namespace

Res Machine::integer_member(const Value& v, const std::string& name, bool& handled) {
    const IntegerProperty property = integer_properties().find(name);
    handled = property != nullptr;
    return property ? Res::of(property(v)) : Res::of();
}

}  // namespace tasklab::interp
