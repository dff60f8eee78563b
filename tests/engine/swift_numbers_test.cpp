// Swift numbers through the interpreter: the sized integer types with their ranges, traps and
// conversions, the bitwise, shift and overflow operators, operators as function values, raw
// strings and random values. Expected lines are what the real Swift 6.3 runtime prints (the
// programs of tests/swift_oracle/corpus/ check the same behaviour against it).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "engine/interp/swift/integers.hpp"
#include "scenarios/frontend.hpp"
#include "swift_run_support.hpp"

using namespace tasklab;
using namespace tasklab::interp;

namespace {
using Lines = std::vector<std::string>;

using Ran = swift_run_support::SwiftRun;

Ran run(const std::string& text) {
    Ran r = swift_run_support::run_swift(text, "n.swift");
    return r;
}

/// The lines of a program that must run to its end without an error.
Lines lines(const std::string& text) {
    Ran r = run(text);
    INFO(r.error);
    CHECK(r.status.state == RunState::finished);
    return r.lines;
}
}  // namespace

TEST_CASE("integer types know their ranges and print their full values") {
    CHECK(lines("print(UInt64.max, UInt.max, Int64.min)\nprint(Int8.max, Int8.min, UInt8.max, Int16.min, UInt16.max, Int32.min, UInt32.max)\n") ==
          Lines{"18446744073709551615 18446744073709551615 -9223372036854775808", "127 -128 255 -32768 65535 -2147483648 4294967295"});
    CHECK(lines("print(type(of: UInt8(1)), type(of: Int32.max), type(of: 5), UInt8.bitWidth, Int16.zero)\n") ==
          Lines{"UInt8 Int32 Int 8 0"});
}

TEST_CASE("UInt64 arithmetic past Int64.max works, and 2^63 * 2 traps") {
    CHECK(run("let big = UInt64(Int64.max) + 1\nprint(big * 2)\n").error.find("error: arithmetic overflow") != std::string::npos);
    CHECK(lines("let big = UInt64(Int64.max) + 1\nprint(big, big + (big - 1), UInt64.max / 3, UInt64.max % 10, big > 5)\n") ==
          Lines{"9223372036854775808 18446744073709551615 6148914691236517205 5 true"});
    CHECK(lines("let x: UInt64 = 18446744073709551615\nprint(x == UInt64.max, x - 1)\n") ==
          Lines{"true 18446744073709551614"});
}

TEST_CASE("arithmetic on a sized type traps when the result leaves that type's range") {
    Ran r = run("var level: UInt8 = 254\nlevel += 1\nprint(level)\nlevel += 1\nprint(\"never\")\n");
    CHECK(r.lines == Lines{"255"});
    CHECK(r.status.state == RunState::runtime_error);
    CHECK(r.error.find("n.swift:4:1: error: arithmetic overflow") == 0);
    CHECK(run("let a: Int8 = -128\nprint(-a)\n").error.find("error: arithmetic overflow") != std::string::npos);
    CHECK(run("let z: UInt64 = 0\nprint(z - 1)\n").error.find("error: arithmetic overflow") != std::string::npos);
    CHECK(run("print(UInt64.max + 1)\n").error.find("n.swift:1:18: error: arithmetic overflow") == 0);
    CHECK(run("let a: Int32 = 65536\nprint(a * a)\n").error.find("error: arithmetic overflow") != std::string::npos);
    CHECK(run("let d: UInt8 = 0\nprint(UInt8(9) / d)\n").status.state == RunState::runtime_error);
}

TEST_CASE("converting to a sized type traps, returns nil, truncates or clamps as asked") {
    CHECK(run("let n = 200\nprint(Int8(n))\n").error.find("n.swift:2:7: error: Not enough bits to represent the passed value") == 0);
    CHECK(run("let n = -1\nprint(UInt64(n))\n").error.find("error: Negative value is not representable") != std::string::npos);
    CHECK(run("print(UInt8(300.5))\n").error.find("error: Double value cannot be converted to UInt8 because the result would be greater than UInt8.max") !=
          std::string::npos);
    CHECK(run("print(UInt8(-3.0))\n").error.find("because the result would be less than UInt8.min") != std::string::npos);
    CHECK(lines("let n = 200\nprint(UInt8(n), Int8(exactly: n) as Any, UInt8(exactly: n) as Any)\n"
                "print(UInt8(truncatingIfNeeded: 300), UInt8(clamping: -5), Int8(clamping: n), Int16(truncatingIfNeeded: 40000))\n"
                "print(Int(exactly: 2.5) as Any, UInt64(exactly: 3.0) as Any, Int8(-128.9), UInt64(0.3 * 1_000_000_000))\n"
                "print(UInt64(bitPattern: -1), Int64(bitPattern: UInt64.max), UInt8(bitPattern: Int8(-1)))\n") ==
          Lines{"200 nil Optional(200)", "44 0 127 -25536", "nil Optional(3) -128 300000000",
                "18446744073709551615 -1 255"});
    CHECK(run("print(UInt8(bitPattern: 5))\n").error.find("needs a value of the same bit width") != std::string::npos);
}

TEST_CASE("a declared type or a parameter type makes an Int value that type") {
    CHECK(lines("let n: UInt64 = 5\nvar bytes: [UInt8] = [1, 255]\nfunc show(_ ns: UInt64) -> String { \"\\(type(of: ns))\" }\n"
                "print(type(of: n), type(of: bytes[1]), show(7), type(of: n + 1))\n") ==
          Lines{"UInt64 UInt8 UInt64 UInt64"});
    // An Int that does not fit (a program swiftc refuses) stays an Int rather than wrap.
    CHECK(lines("let big = 300\nlet b: UInt8? = big\nprint(b as Any)\n") == Lines{"Optional(300)"});
}

TEST_CASE("bitwise operators, shifts and overflow operators follow Swift") {
    CHECK(lines("print(1 << 3 * 2, 6 & 3 + 1, 6 | 1 * 2, 5 ^ 1 + 1, ~0, ~UInt8(0), -8 >> 1)\n"
                "print(1 << 64, 1 << -1, -1 >> 70, 8 >> -1, 1 &<< 65, UInt8(128) &>> 9)\n"
                "print(UInt8(200) &+ 100, Int8(-128) &- 1, Int32.max &* 2, UInt8(0) &- 1, Int.max &+ 1)\n") ==
          Lines{"16 3 6 5 -1 255 -4", "0 0 -1 16 2 64", "44 127 -2 255 -9223372036854775808"});
    CHECK(lines("var u: UInt8 = 1\nu <<= 7\nprint(u)\nu |= 1\nprint(u)\nu ^= 0xFF\nprint(u)\nu &= 0x0F\nprint(u)\n"
                "u >>= 1\nprint(u)\nu &+= 250\nprint(u)\nu &-= 2\nprint(u)\nu &*= 3\nprint(u)\n") ==
          Lines{"128", "129", "126", "14", "7", "1", "255", "253"});
    CHECK(lines("let x: UInt64 = 0xFFFF_0000_0000_0000\nprint(x >> 48, x & 0xFF, x | 1, x ^ x)\n") ==
          Lines{"65535 0 18446462598732840961 0"});
}

TEST_CASE("a bitwise operator on a Double or an Optional is a type error at the operator") {
    CHECK(run("let d = 1.5\nprint(d & 1)\n").error.find("n.swift:2:9: error: binary operator `&` cannot be applied to operands of type Double and Int") == 0);
    CHECK(run("let o: Int? = 1\nprint(~o!, o! << 1)\nprint(o | 1)\n").error.find("n.swift:3:9: error: binary operator `|`") == 0);
    CHECK(run("print(~1.5)\n").error.find("this operator cannot be applied to a value of type Double") != std::string::npos);
}

TEST_CASE("abs keeps the integer's type and traps for the minimum of a signed type") {
    CHECK(lines("print(abs(Int8(-5)), type(of: abs(Int8(-5))), abs(UInt8(7)), abs(-3))\n") == Lines{"5 Int8 7 3"});
    CHECK(run("let m = Int8.min\nprint(abs(m))\n").error.find("n.swift:2:7: error: arithmetic overflow") == 0);
}

TEST_CASE("bit counts, magnitude and radix text") {
    CHECK(lines("let f: UInt8 = 0b1001\nprint(f.bitWidth, f.leadingZeroBitCount, f.trailingZeroBitCount, f.nonzeroBitCount, 0.trailingZeroBitCount)\n"
                "print(Int.min.magnitude, type(of: Int8(-3).magnitude), UInt16(0x1234).byteSwapped)\n") ==
          Lines{"8 4 0 2 64", "9223372036854775808 UInt8 13330"});
    CHECK(lines("print(String(255, radix: 16), String(-255, radix: 2), String(48879, radix: 16, uppercase: true), String(UInt64.max, radix: 36))\n"
                "print(Int(\"ff\", radix: 16) as Any, Int(\"-101\", radix: 2) as Any, Int(\"12z\") as Any, UInt8(\"256\") as Any, Int8(\"-128\") as Any)\n"
                "print(UInt64(\"18446744073709551615\") as Any, Int(\"+7\") as Any, Int(\"\") as Any)\n") ==
          Lines{"ff -11111111 BEEF 3w5e11264sgsf", "Optional(255) Optional(-5) nil nil Optional(-128)",
                "Optional(18446744073709551615) Optional(7) nil"});
    CHECK(run("print(String(5, radix: 40))\n").error.find("error: Radix must be between 2 and 36") != std::string::npos);
}

TEST_CASE("operators and initialisers are function values") {
    CHECK(lines("let xs = [7, 3, 9, 1]\nprint(xs.reduce(0, +), xs.reduce(0, |), xs.reduce(1, &*), xs.sorted(by: >), xs.max(by: <) as Any)\n"
                "print(xs.map(String.init), zip(xs, [1, 1, 1, 1]).map(-), [\"12\", \"x\"].map(Int.init))\n") ==
          Lines{"20 15 189 [9, 7, 3, 1] Optional(9)", "[\"7\", \"3\", \"9\", \"1\"] [6, 2, 8, 0] [Optional(12), nil]"});
}

TEST_CASE("raw strings print their backslashes and interpolate with a pound") {
    CHECK(lines("let n = 3\nprint(#\"a\\nb \\(n) \\#(n) \"q\"\"#)\nprint(##\"x\"#y\\##(n)\"##)\nprint(#\"one\\#ntwo\"#)\n") ==
          Lines{"a\\nb \\(n) 3 \"q\"", "x\"#y3", "one", "two"});
}

TEST_CASE("random integers keep the type they are drawn as and stay in range") {
    const Lines l = lines("let a = UInt64.random(in: 1...5_000_000)\nlet b = Int8.random(in: -3...3)\n"
                          "print(type(of: a), type(of: b), (1...5_000_000).contains(a), (-3...3).contains(b))\n");
    CHECK(l == Lines{"UInt64 Int8 true true"});
    // The seeded generator: the same program draws the same values on every run.
    const std::string draw = "print(Int.random(in: 0...1_000_000), UInt64.random(in: 0...1_000_000), Double.random(in: 0..<1), Bool.random())\n";
    CHECK(lines(draw) == lines(draw));
}

TEST_CASE("the integer rules wrap, clamp and count bits at every width") {
    CHECK(int_value(wrap_int(IntType::int8, 200)) == -56);
    CHECK(int_value(wrap_int(IntType::uint16, -1)) == 65535);
    CHECK(int_value(wrap_int(IntType::uint64, -1)) == static_cast<Int128>(UINT64_MAX));
    CHECK(int_max(IntType::uint32) == 4294967295);
    CHECK(int_min(IntType::int16) == -32768);
    CHECK(int_fits(IntType::uint8, 255));
    CHECK_FALSE(int_fits(IntType::uint8, 256));
    CHECK_FALSE(int_fits(IntType::uint64, -1));
    CHECK(common_int_type(Value::integer(1), make_int(IntType::uint8, 2)) == IntType::uint8);
    CHECK(common_int_type(make_int(IntType::int32, 1), Value::integer(2)) == IntType::int32);
    const IntResult over = int_binary(IntOp::add, make_int(IntType::int8, 127), Value::integer(1));
    CHECK(over.trap != nullptr);
    const IntResult wrapped = int_binary(IntOp::wrapping_add, make_int(IntType::int8, 127), Value::integer(1));
    CHECK(wrapped.trap == nullptr);
    CHECK(int_value(wrapped.value) == -128);
    CHECK(int_to_text(make_int(IntType::uint64, UINT64_MAX), 16) == "ffffffffffffffff");
    CHECK(int_leading_zeros(make_int(IntType::uint32, 1)) == 31);
    CHECK(int_nonzero_bits(make_int(IntType::int8, -1)) == 8);
    CHECK_FALSE(parse_int_text(IntType::int_, "9223372036854775808", 10).has_value());
    CHECK(parse_int_text(IntType::int_, "-9223372036854775808", 10).has_value());
}
