#include "engine/interp/swift/integers.hpp"

#include <array>
#include <cmath>

namespace tasklab::interp {

namespace {

__extension__ using UInt128 = unsigned __int128;

struct TypeInfo {
    IntType type;
    std::string_view name;
    int width;
    bool is_signed;
};

constexpr std::array<TypeInfo, 10> k_types = {{
    {IntType::int_, "Int", 64, true},
    {IntType::int8, "Int8", 8, true},
    {IntType::int16, "Int16", 16, true},
    {IntType::int32, "Int32", 32, true},
    {IntType::int64, "Int64", 64, true},
    {IntType::uint, "UInt", 64, false},
    {IntType::uint8, "UInt8", 8, false},
    {IntType::uint16, "UInt16", 16, false},
    {IntType::uint32, "UInt32", 32, false},
    {IntType::uint64, "UInt64", 64, false},
}};

const TypeInfo& info(IntType t) { return k_types[static_cast<std::size_t>(t)]; }

/// The low `width` bits of x.
std::uint64_t low_bits(IntType t, Int128 x) {
    auto u = static_cast<std::uint64_t>(static_cast<UInt128>(x));
    const int w = int_bit_width(t);
    if (w < 64) u &= (std::uint64_t{1} << w) - 1;
    return u;
}

IntResult trap(const char* message) {
    IntResult r;
    r.trap = message;
    return r;
}

IntResult ok(Value v) {
    IntResult r;
    r.value = std::move(v);
    return r;
}

/// A shift count as a plain number: counts past ±2^64 behave like ±2^64.
Int128 shift_count(const Value& n) { return int_value(n); }

Value shift(IntType t, Int128 x, Int128 count, bool left) {
    const int w = int_bit_width(t);
    if (count < 0) {
        left = !left;
        count = -count;
    }
    if (left) {
        if (count >= w) return make_int(t, 0);
        const std::uint64_t u = low_bits(t, x) << static_cast<int>(count);
        return wrap_int(t, static_cast<Int128>(u));
    }
    if (count >= w) return make_int(t, x < 0 ? -1 : 0);
    return make_int(t, x >> static_cast<int>(count));
}

}  // namespace

std::optional<IntType> int_type_named(std::string_view name) {
    for (const auto& t : k_types)
        if (t.name == name) return t.type;
    return std::nullopt;
}

std::string_view int_type_name(IntType t) { return info(t).name; }
int int_bit_width(IntType t) { return info(t).width; }
bool int_is_signed(IntType t) { return info(t).is_signed; }

Int128 int_min(IntType t) {
    if (!int_is_signed(t)) return 0;
    return -(static_cast<Int128>(1) << (int_bit_width(t) - 1));
}

Int128 int_max(IntType t) {
    const int w = int_bit_width(t);
    return (static_cast<Int128>(1) << (int_is_signed(t) ? w - 1 : w)) - 1;
}

Int128 int_value(const Value& v) {
    if (v.is_unsigned_64()) return static_cast<Int128>(static_cast<std::uint64_t>(v.i));
    return v.i;
}

bool int_fits(IntType t, Int128 x) { return x >= int_min(t) && x <= int_max(t); }

Value make_int(IntType t, Int128 x) {
    if (!int_is_signed(t)) return Value::integer(t, static_cast<std::int64_t>(static_cast<std::uint64_t>(x)));
    return Value::integer(t, static_cast<std::int64_t>(x));
}

Value wrap_int(IntType t, Int128 x) {
    const std::uint64_t u = low_bits(t, x);
    const int w = int_bit_width(t);
    Int128 v = u;
    if (int_is_signed(t) && (u >> (w - 1)) != 0) v -= static_cast<Int128>(1) << w;
    return make_int(t, v);
}

IntType common_int_type(const Value& l, const Value& r) {
    if (l.itype == IntType::int_) return r.itype;
    return l.itype;
}

IntResult int_binary(IntOp op, const Value& l, const Value& r) {
    const Int128 a = int_value(l);
    const Int128 b = int_value(r);
    const bool is_shift = op == IntOp::shift_left || op == IntOp::shift_right || op == IntOp::masking_shift_left ||
                          op == IntOp::masking_shift_right;
    // A shift's type is its left operand's; the count may be of any integer type.
    const IntType t = is_shift ? l.itype : common_int_type(l, r);
    Int128 out = 0;
    switch (op) {
    case IntOp::add: out = a + b; break;
    case IntOp::sub: out = a - b; break;
    case IntOp::mul:
        if (__builtin_mul_overflow(a, b, &out)) return trap("arithmetic overflow");
        break;
    case IntOp::div:
        if (b == 0) {
            IntResult z = trap("Division by zero");
            z.division_by_zero = true;
            return z;
        }
        out = a / b;
        break;
    case IntOp::mod:
        if (b == 0) {
            IntResult z = trap("Division by zero in remainder operation");
            z.division_by_zero = true;
            return z;
        }
        // `T.min % -1` overflows in Swift (the quotient does not fit), although the remainder is 0.
        if (b == -1 && a == int_min(t) && int_is_signed(t)) return trap("arithmetic overflow");
        out = a % b;
        break;
    case IntOp::wrapping_add: return ok(wrap_int(t, a + b));
    case IntOp::wrapping_sub: return ok(wrap_int(t, a - b));
    case IntOp::wrapping_mul: {
        const auto p = static_cast<UInt128>(low_bits(t, a)) * low_bits(t, b);
        return ok(wrap_int(t, static_cast<Int128>(p & 0xFFFFFFFFFFFFFFFFu)));
    }
    case IntOp::bit_and: return ok(wrap_int(t, a & b));
    case IntOp::bit_or: return ok(wrap_int(t, a | b));
    case IntOp::bit_xor: return ok(wrap_int(t, a ^ b));
    case IntOp::shift_left: return ok(shift(t, a, shift_count(r), true));
    case IntOp::shift_right: return ok(shift(t, a, shift_count(r), false));
    case IntOp::masking_shift_left:
    case IntOp::masking_shift_right: {
        const auto count = static_cast<Int128>(low_bits(IntType::uint64, b) & static_cast<std::uint64_t>(int_bit_width(t) - 1));
        return ok(shift(t, a, count, op == IntOp::masking_shift_left));
    }
    }
    if (!int_fits(t, out)) return trap("arithmetic overflow");
    return ok(make_int(t, out));
}

Value int_bit_not(const Value& x) { return wrap_int(x.itype, ~int_value(x)); }

IntResult int_negate(const Value& x) {
    const Int128 v = -int_value(x);
    if (!int_fits(x.itype, v)) return trap("arithmetic overflow");
    return ok(make_int(x.itype, v));
}

IntResult convert_to_int(IntType t, const Value& x, IntConversion how) {
    Int128 v = 0;
    if (x.kind == Kind::real) {
        const double d = x.d;
        if (!std::isfinite(d)) {
            if (how == IntConversion::exactly) return ok(Value::nil());
            return trap("because it is either infinite or NaN");
        }
        const double whole = std::trunc(d);
        const double upper = std::ldexp(1.0, int_is_signed(t) ? int_bit_width(t) - 1 : int_bit_width(t));
        const double lower = int_is_signed(t) ? -upper : 0.0;
        const bool in_range = whole >= lower && whole < upper;
        if (how == IntConversion::exactly) {
            if (!in_range || whole != d) return ok(Value::nil());
            return ok(make_int(t, static_cast<Int128>(whole)).wrapped());
        }
        if (!in_range) return trap(whole < lower ? "because the result would be less than" : "because the result would be greater than");
        return ok(make_int(t, static_cast<Int128>(whole)));
    }
    v = int_value(x);
    switch (how) {
    case IntConversion::trapping:
        if (int_fits(t, v)) return ok(make_int(t, v));
        return trap(v < 0 && !int_is_signed(t) ? "Negative value is not representable" : "Not enough bits to represent the passed value");
    case IntConversion::exactly: return ok(int_fits(t, v) ? make_int(t, v).wrapped() : Value::nil());
    case IntConversion::truncating:
    case IntConversion::bit_pattern: return ok(wrap_int(t, v));
    case IntConversion::clamping: return ok(make_int(t, v < int_min(t) ? int_min(t) : v > int_max(t) ? int_max(t) : v));
    }
    return ok(make_int(t, v));
}

std::optional<Value> parse_int_text(IntType t, std::string_view text, int radix) {
    if (radix < 2 || radix > 36) return std::nullopt;
    bool negative = false;
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) {
        negative = text.front() == '-';
        text.remove_prefix(1);
    }
    if (text.empty()) return std::nullopt;
    Int128 v = 0;
    for (const char c : text) {
        int digit = 0;
        if (c >= '0' && c <= '9') digit = c - '0';
        else if (c >= 'a' && c <= 'z') digit = c - 'a' + 10;
        else if (c >= 'A' && c <= 'Z') digit = c - 'A' + 10;
        else return std::nullopt;
        if (digit >= radix) return std::nullopt;
        v = v * radix + digit;
        if (v > (static_cast<Int128>(1) << 65)) return std::nullopt;  // past every type's range
    }
    if (negative) v = -v;
    if (!int_fits(t, v)) return std::nullopt;
    return make_int(t, v);
}

std::string int_to_text(const Value& v, int radix, bool uppercase) {
    Int128 x = int_value(v);
    const bool negative = x < 0;
    if (negative) x = -x;
    const char* digits = uppercase ? "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ" : "0123456789abcdefghijklmnopqrstuvwxyz";
    std::string out;
    do {
        out.insert(out.begin(), digits[static_cast<int>(x % radix)]);
        x /= radix;
    } while (x != 0);
    if (negative) out.insert(out.begin(), '-');
    return out;
}

std::int64_t int_leading_zeros(const Value& v) {
    const std::uint64_t u = low_bits(v.itype, int_value(v));
    const int w = int_bit_width(v.itype);
    if (u == 0) return w;
    return w - (64 - __builtin_clzll(u));
}

std::int64_t int_trailing_zeros(const Value& v) {
    const std::uint64_t u = low_bits(v.itype, int_value(v));
    if (u == 0) return int_bit_width(v.itype);
    return __builtin_ctzll(u);
}

std::int64_t int_nonzero_bits(const Value& v) { return __builtin_popcountll(low_bits(v.itype, int_value(v))); }

}  // namespace tasklab::interp
