// The Swift front end on numbers, operators and literals: integer literals past Int.max, the
// bitwise, shift and overflow operators with Swift's precedence groups, their compound
// assignments, operators as function values, and raw strings with their `\#` escapes.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"
#include "swift_parse_support.hpp"
#include "scenarios/lexer_swift.hpp"

using namespace tasklab;
using namespace tasklab::swift;

namespace {

using swift_parse_support::parse;
using swift_parse_support::sx;
using swift_parse_support::rendered;

using swift_parse_support::Lexed;

}  // namespace

// ---- lexing ----

TEST_CASE("the overflow, masking-shift and bitwise assignment operators are single tokens") {
    Lexed l("a &+ b &- c &* d &<< e &>> f &+= g &-= h &*= i &= j |= k ^= l <<= m << n &<<= o &>>= p");
    CHECK(l.diags.size() == 0);
    CHECK(l.texts() == "a &+ b &- c &* d &<< e &>> f &+= g &-= h &*= i &= j |= k ^= l <<= m << n &<<= o &>>= p");
}

TEST_CASE("`>>` stays two `>` tokens so nested generic arguments still close") {
    Lexed l("a >> b; Task<Task<Int, Never>>");
    CHECK(l.texts() == "a > > b ; Task < Task < Int , Never > >");
}

TEST_CASE("an integer literal up to UInt64.max lexes, marked as past Int.max") {
    Lexed l("9223372036854775807 9223372036854775808 18446744073709551615 0xFFFFFFFFFFFFFFFF");
    CHECK(l.diags.size() == 0);
    CHECK_FALSE(l.result.tokens[0].above_int_max);
    CHECK(l.result.tokens[1].above_int_max);
    CHECK(static_cast<std::uint64_t>(l.result.tokens[2].int_value) == 18446744073709551615u);
    CHECK(static_cast<std::uint64_t>(l.result.tokens[3].int_value) == 18446744073709551615u);
}

TEST_CASE("an integer literal past UInt64.max is an error at the literal") {
    CHECK(rendered("let n = 18446744073709551616\n") ==
          "t.swift:1:9: error: integer literal `18446744073709551616` overflows a 64-bit integer\n"
          " 1 | let n = 18446744073709551616\n"
          "   |         ^~~~~~~~~~~~~~~~~~~~\n"
          "note: the largest integer literal is 18446744073709551615 (UInt64.max)\n");
}

TEST_CASE("raw strings keep backslashes; only a backslash with the delimiter's pounds escapes") {
    Lexed l(R"SW(#"a\nb \#n \#(x) "q""# ##"x"#y \#n \##t"##)SW");
    CHECK(l.diags.size() == 0);
    const LexedString& one = l.str(0);
    REQUIRE(one.segments.size() == 3);
    CHECK(one.segments[0].text == "a\\nb \n ");
    CHECK(one.segments[1].is_interpolation);
    CHECK(one.segments[2].text == " \"q\"");
    const LexedString& two = l.str(1);
    REQUIRE(two.segments.size() == 1);
    CHECK(two.segments[0].text == "x\"#y \\#n \t");
}

TEST_CASE("a raw multi-line string strips its indentation like a plain one") {
    Lexed l("let s = #\"\"\"\n    a \\d \"\"\" still\n    \\#(n)\n    \"\"\"#\nx");
    CHECK(l.diags.size() == 0);
    const LexedString& s = l.str(3);
    REQUIRE(s.segments.size() == 2);
    CHECK(s.segments[0].text == "a \\d \"\"\" still\n");
    CHECK(s.segments[1].is_interpolation);
    CHECK(l.texts() == "let s = <str> x");
}

TEST_CASE("an unterminated raw string names its own closing delimiter") {
    CHECK(rendered("let s = ##\"open\"#\nprint(s)\n") ==
          "t.swift:1:9: error: unterminated string literal\n"
          " 1 | let s = ##\"open\"#\n"
          "   |         ^~~~~~~~~\n"
          "help: close it with `\"##` before the end of the line\n");
}

TEST_CASE("a pound sign before something other than a quote is still an invalid character") {
    const ParseResult r = parse("let s = #x");
    CHECK_FALSE(r.ok());
}

// ---- parsing ----

TEST_CASE("shifts bind tighter than multiplication, `&` is multiplicative, `|` and `^` are additive") {
    CHECK(sx("1 << 3 * 2") == "(* (<< 1 3) 2)");
    CHECK(sx("a & b + c") == "(+ (& a b) c)");
    CHECK(sx("a | b * c") == "(| a (* b c))");
    CHECK(sx("a ^ b | c & d") == "(| (^ a b) (& c d))");
    CHECK(sx("x >> 2 == 1") == "(== (>> x 2) 1)");
    CHECK(sx("a &+ b &* c") == "(&+ a (&* b c))");
    CHECK(sx("a &<< 1 &>> 2") == "(&>> (&<< a 1) 2)");
    CHECK(sx("a &- b < c") == "(< (&- a b) c)");
}

TEST_CASE("`~` is a prefix operator") {
    CHECK(sx("~x & 0xFF") == "(& (bitnot x) 255)");
    CHECK(sx("let y = ~~x") == "(let y = (bitnot (bitnot x)))");
}

TEST_CASE("bitwise, shift and overflow compound assignments") {
    CHECK(sx("x &= 1\nx |= 2\nx ^= 3\nx <<= 4\nx >>= 5\nx &+= 6\nx &-= 7\nx &*= 8\nx &<<= 9\nx &>>= 10") ==
          "(&= x 1)\n(|= x 2)\n(^= x 3)\n(<<= x 4)\n(>>= x 5)\n(&+= x 6)\n(&-= x 7)\n(&*= x 8)\n(&<<= x 9)\n(&>>= x 10)");
}

TEST_CASE("`> >` with a space is not a shift") {
    const ParseResult r = parse("let b = a > > 1");
    CHECK_FALSE(r.ok());
}

TEST_CASE("Int.min as a negative literal, and a literal past Int.max") {
    CHECK(sx("let a = -9223372036854775808") == "(let a = -9223372036854775808)");
    CHECK(sx("let b: UInt64 = 18446744073709551615") == "(let b : UInt64 = 18446744073709551615)");
    CHECK(sx("let c = - 9223372036854775807") == "(let c = (neg 9223372036854775807))");
}

TEST_CASE("operators passed as functions parse as names, the new ones too") {
    CHECK(sx("xs.reduce(0, &+)") == "(call (. xs reduce) 0 &+)");
    CHECK(sx("xs.reduce(0, |)") == "(call (. xs reduce) 0 |)");
    CHECK(sx("xs.sorted(by: >)") == "(call (. xs sorted) by:>)");
}

TEST_CASE("a raw string with an interpolation parses like a plain one") {
    CHECK(sx(R"SW(print(#"\d+ \#(n)"#))SW") == R"SW((call print (str "\\d+ " (interp n))))SW");
}

TEST_CASE("a bitwise operator without its right operand is reported with a caret") {
    const std::string out = rendered("let m = a |");
    CHECK(out.find("t.swift:1:12: error: expected an expression") == 0);
    CHECK(out.find("^") != std::string::npos);
}

TEST_CASE("`>>` as a function value is refused with the construct named") {
    CHECK(rendered("print([1].reduce(0, >>))\n") ==
          "t.swift:1:21: error: `>>` as a function value is not supported yet\n"
          " 1 | print([1].reduce(0, >>))\n"
          "   |                     ^~\n"
          "note: tasklab runs a subset of Swift; see docs/language.md\n");
}

TEST_CASE("an invalid escape in a raw string is shown from its backslash") {
    CHECK(rendered("let s = #\"bad \\#q\"#\n") ==
          "t.swift:1:15: error: invalid escape sequence `\\#q`\n"
          " 1 | let s = #\"bad \\#q\"#\n"
          "   |               ^~~\n"
          "help: valid escapes are \\n \\t \\r \\0 \\\" \\' \\\\ \\u{…} and \\( … ) for interpolation\n");
}

TEST_CASE("a raw multi-line string must start its content on a new line") {
    const std::string out = rendered("let s = #\"\"\"abc\"\"\"#\n");
    CHECK(out.find("t.swift:1:9: error: multi-line string literal content must begin on a new line") == 0);
}
