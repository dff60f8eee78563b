// Swift's integer types: Int, Int8/16/32/64, UInt, UInt8/16/32/64, as the interpreter models them.
//
// An integer Value carries its IntType; `i` holds the number itself, except for UInt and
// UInt64 where it holds the 64-bit pattern. Every rule here works on the mathematical value
// (a 128-bit integer), so one code path serves all ten types: arithmetic computes the exact
// result and traps when it leaves the result type's range, as Swift's `+ - * / %` do; the
// overflow operators (`&+ &- &*`) and `truncatingIfNeeded:` keep the low bits instead.
//
// tasklab does not type-check, so it decides a result's type from its operands: values of one
// type give that type; an `Int` meeting a sized type takes the sized type (an untyped literal
// such as the `1` in `x + 1` is an `Int` value here, and Swift's literal typing would have made
// it the other operand's type). Mixed sized types that swiftc refuses take the left operand's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "engine/interp/swift/value.hpp"

namespace tasklab::interp {

__extension__ using Int128 = __int128;

/// The integer type a Swift type name denotes (`"UInt8"`), if it is one.
std::optional<IntType> int_type_named(std::string_view name);
/// The Swift name of an integer type: "Int", "UInt64", …
std::string_view int_type_name(IntType t);
/// 8, 16, 32 or 64.
int int_bit_width(IntType t);
/// True for Int, Int8 … Int64.
bool int_is_signed(IntType t);
Int128 int_min(IntType t);
Int128 int_max(IntType t);
/// The mathematical value of an integer Value (UInt64's pattern read as unsigned).
Int128 int_value(const Value& v);
/// True when `x` is in the range of `t`.
bool int_fits(IntType t, Int128 x);
/// An integer Value of type `t` holding `x`, which must fit.
Value make_int(IntType t, Int128 x);
/// `x` cut to the bit width of `t` (two's complement), as `&+` and `truncatingIfNeeded:` do.
Value wrap_int(IntType t, Int128 x);
/// The type of `l op r` under the rule in this file's header.
IntType common_int_type(const Value& l, const Value& r);

/// The operators on two integers (the assignment forms `+=`, `&=`, … use the same ones).
enum class IntOp : std::uint8_t {
    add, sub, mul, div, mod,             ///< trap on overflow; div and mod also on a zero divisor
    wrapping_add, wrapping_sub, wrapping_mul,  ///< `&+ &- &*`: keep the low bits
    bit_and, bit_or, bit_xor,            ///< `& | ^`
    shift_left, shift_right,             ///< `<< >>`: Swift's smart shifts (a negative count shifts the other way; past the width gives 0 or -1)
    masking_shift_left, masking_shift_right,  ///< `&<< &>>`: the count is taken modulo the bit width
};

/// The outcome of an integer operation: a value, or the message of the trap it raises.
struct IntResult {
    Value value;
    const char* trap = nullptr;  ///< "arithmetic overflow", "Division by zero", …
    bool division_by_zero = false;
};

/// `l op r` for two integer Values (no Optionals), with Swift's traps.
IntResult int_binary(IntOp op, const Value& l, const Value& r);
/// `~x`: every bit flipped within the width of x's type.
Value int_bit_not(const Value& x);
/// `-x`; traps ("arithmetic overflow") for the minimum of a signed type and for any non-zero unsigned value.
IntResult int_negate(const Value& x);

/// How a conversion `T(x)` treats a value outside T's range.
enum class IntConversion : std::uint8_t {
    trapping,    ///< `UInt8(x)`: traps
    exactly,     ///< `UInt8(exactly: x)`: nil (also for a Double with a fraction)
    truncating,  ///< `UInt8(truncatingIfNeeded: x)`: the low bits
    clamping,    ///< `UInt8(clamping: x)`: the nearest bound
    bit_pattern, ///< `UInt64(bitPattern: x)`: the same bits in a type of the same width
};

/// `T(x)` for an Int or Double `x`. The value is Optional-wrapped for `exactly`; `trap` is set
/// when a trapping conversion cannot represent `x` (Swift's message).
IntResult convert_to_int(IntType t, const Value& x, IntConversion how);
/// Parses `text` as `T(text, radix:)` does (optional sign, digits of the radix, no spaces);
/// empty when it is not a number of that type.
std::optional<Value> parse_int_text(IntType t, std::string_view text, int radix);
/// The digits of an integer in `radix` (2…36), as `String(x, radix:uppercase:)` writes them.
std::string int_to_text(const Value& v, int radix = 10, bool uppercase = false);

/// `x.leadingZeroBitCount`, `.trailingZeroBitCount` (the width for 0), `.nonzeroBitCount`.
std::int64_t int_leading_zeros(const Value& v);
std::int64_t int_trailing_zeros(const Value& v);
std::int64_t int_nonzero_bits(const Value& v);

}  // namespace tasklab::interp
