#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "scenarios/lexer_swift.hpp"
#include "swift_parse_support.hpp"

using namespace tasklab;
using namespace tasklab::swift;

namespace {

using swift_parse_support::Lexed;

}  // namespace

TEST_CASE("the lexer splits identifiers, keywords and punctuation") {
    Lexed l("let x = foo(a: 1, b)");
    CHECK(l.diags.size() == 0);
    CHECK(l.texts() == "let x = foo ( a : 1 , b )");
    CHECK(l.token(0).kind == TokenKind::keyword);
    CHECK(l.token(1).kind == TokenKind::identifier);
    CHECK(l.token(3).kind == TokenKind::identifier);
    CHECK(l.result.tokens.back().kind == TokenKind::eof);
}

TEST_CASE("contextual words such as async and actor are identifiers, not keywords") {
    Lexed l("async actor some any await try");
    CHECK(l.token(0).kind == TokenKind::identifier);
    CHECK(l.token(1).kind == TokenKind::identifier);
    CHECK(l.token(2).kind == TokenKind::identifier);
    CHECK(l.token(3).kind == TokenKind::identifier);
    CHECK(l.token(4).kind == TokenKind::keyword);
    CHECK(l.token(5).kind == TokenKind::keyword);
}

TEST_CASE("operators use maximal munch over the known list") {
    Lexed l("a...b ..< c === d !== e == f != g <= h >= i && j || k ?? l -> m += n -= o *= p /= q %= r");
    CHECK(l.diags.size() == 0);
    CHECK(l.texts() == "a ... b ..< c === d !== e == f != g <= h >= i && j || k ?? l -> m += n -= o *= p /= q %= r");
}

TEST_CASE("nested generic closers lex as separate greater-than tokens") {
    Lexed l("Task<Task<Int, Never>, Never>?");
    CHECK(l.texts() == "Task < Task < Int , Never > , Never > ?");
}

TEST_CASE("postfix question and bang marks stay separate from a following dot") {
    Lexed l("item?.cancel() x!.y");
    CHECK(l.texts() == "item ? . cancel ( ) x ! . y");
    CHECK_FALSE(l.token(1).space_before);
    CHECK_FALSE(l.token(2).space_before);
}

TEST_CASE("tokens record whitespace and line breaks before them") {
    Lexed l("a\n  b c/* x */d");
    CHECK(l.token(0).space_before);  // start of file
    CHECK(l.token(1).newline_before);
    CHECK(l.token(1).space_before);
    CHECK(l.token(2).space_before);
    CHECK_FALSE(l.token(2).newline_before);
    CHECK(l.token(3).space_before);  // a comment counts as whitespace
}

TEST_CASE("a block comment spanning lines counts as a line break") {
    Lexed l("a /* one\n two */ b");
    CHECK(l.token(1).newline_before);
}

TEST_CASE("block comments nest") {
    Lexed l("a /* outer /* inner */ still comment */ b");
    CHECK(l.diags.size() == 0);
    CHECK(l.texts() == "a b");
}

TEST_CASE("line comments are recorded with the text after the slashes") {
    Lexed l("x // tasklab: title Hello\n/// doc\ny");
    CHECK(l.texts() == "x y");
    REQUIRE(l.result.comments.size() == 2);
    CHECK(l.file.slice(l.result.comments[0].body) == " tasklab: title Hello");
    CHECK(l.file.slice(l.result.comments[1].body) == "/ doc");
}

TEST_CASE("integers accept underscores, hex, binary and octal") {
    Lexed l("1_000 0xff 0b101 0o17 42");
    CHECK(l.diags.size() == 0);
    CHECK(l.token(0).int_value == 1000);
    CHECK(l.token(1).int_value == 255);
    CHECK(l.token(2).int_value == 5);
    CHECK(l.token(3).int_value == 15);
    CHECK(l.token(4).int_value == 42);
    CHECK(l.token(0).kind == TokenKind::integer);
}

TEST_CASE("doubles accept fractions and exponents") {
    Lexed l("1.5 1e9 2.5e-3 1_000.25");
    CHECK(l.diags.size() == 0);
    CHECK(l.token(0).kind == TokenKind::floating);
    CHECK(l.token(0).double_value == 1.5);
    CHECK(l.token(1).double_value == 1e9);
    CHECK(l.token(2).double_value == doctest::Approx(0.0025));
    CHECK(l.token(3).double_value == 1000.25);
}

TEST_CASE("a range between integers is not read as a decimal point") {
    Lexed l("0...10 0..<1_000");
    CHECK(l.texts() == "0 ... 10 0 ..< 1_000");
    CHECK(l.token(0).kind == TokenKind::integer);
}

TEST_CASE("a tuple index after a dot stays an integer") {
    Lexed l("pair.0.1");
    CHECK(l.texts() == "pair . 0 . 1");
}

TEST_CASE("string escapes are decoded") {
    Lexed l(R"("a\n\t\"\\\'\0b\u{1F600}")");
    CHECK(l.diags.size() == 0);
    const LexedString& s = l.str(0);
    REQUIRE(s.segments.size() == 1);
    CHECK(s.segments[0].text == std::string("a\n\t\"\\'\0b", 8) + "\xF0\x9F\x98\x80");
}

TEST_CASE("string interpolation keeps the expression's tokens") {
    Lexed l(R"("done: \(i + 1)!")");
    CHECK(l.diags.size() == 0);
    const LexedString& s = l.str(0);
    REQUIRE(s.segments.size() == 3);
    CHECK(s.segments[0].text == "done: ");
    CHECK(s.segments[1].is_interpolation);
    std::string inner;
    for (const Token& t : s.segments[1].tokens) inner += std::string(t.text) + "|";
    CHECK(inner == "i|+|1|)||");  // the closing paren and the eof end the stream
    CHECK(s.segments[2].text == "!");
}

TEST_CASE("interpolations may hold nested parentheses and nested string literals") {
    Lexed l(R"x("a \(f(g(1), "b \(x) c")) d")x");
    CHECK(l.diags.size() == 0);
    REQUIRE(l.result.tokens.size() == 2);
    const LexedString& s = l.str(0);
    REQUIRE(s.segments.size() == 3);
    CHECK(s.segments[2].text == " d");
    // The nested string is itself lexed with its own interpolation.
    int nested_strings = 0;
    for (const Token& t : s.segments[1].tokens)
        if (t.kind == TokenKind::string) {
            ++nested_strings;
            CHECK(l.result.strings[t.string_index].segments.size() == 3);
        }
    CHECK(nested_strings == 1);
}

TEST_CASE("multi-line strings strip the closing delimiter's indentation") {
    Lexed l("let s = \"\"\"\n    one\n      two\n    \"\"\"\nnext");
    CHECK(l.diags.size() == 0);
    const LexedString& s = l.str(3);
    CHECK(s.multiline);
    REQUIRE(s.segments.size() == 1);
    CHECK(s.segments[0].text == "one\n  two");
    CHECK(l.token(4).text == "next");
    CHECK(l.token(4).newline_before);
}

TEST_CASE("multi-line strings keep quotes and interpolations") {
    Lexed l("\"\"\"\n  say \"hi\" to \\(name)\n  \"\"\"");
    CHECK(l.diags.size() == 0);
    const LexedString& s = l.str(0);
    REQUIRE(s.segments.size() == 2);
    CHECK(s.segments[0].text == "say \"hi\" to ");
    CHECK(s.segments[1].is_interpolation);
}

TEST_CASE("backticked names are identifiers without the backticks") {
    Lexed l("`default` = 1");
    CHECK(l.token(0).kind == TokenKind::identifier);
    CHECK(l.token(0).text == "default");
}

TEST_CASE("dollar names, attributes and pound words are single tokens") {
    Lexed l("$0 $12 @Sendable #if");
    CHECK(l.texts() == "$0 $12 @Sendable #if");
    CHECK(l.token(0).kind == TokenKind::identifier);
    CHECK(l.token(2).kind == TokenKind::attribute);
    CHECK(l.token(3).kind == TokenKind::pound);
}

TEST_CASE("Korean and emoji identifiers are accepted") {
    Lexed l("let 이미지 = 1");
    CHECK(l.diags.size() == 0);
    CHECK(l.token(1).kind == TokenKind::identifier);
    CHECK(l.token(1).text == "이미지");
}

TEST_CASE("invalid characters are reported once per run and become one invalid token") {
    Lexed l("a \x01\x02 b");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::invalid_character);
    CHECK(l.diags.items()[0].message == "invalid character U+0001 in source");
    CHECK(l.token(1).kind == TokenKind::invalid);
    CHECK(l.token(1).text == "\x01\x02");
    CHECK(l.token(2).text == "b");
}

TEST_CASE("a non-breaking space is an invalid character") {
    Lexed l("a\xC2\xA0= 1");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].message == "invalid character U+00A0 in source");
}

TEST_CASE("malformed numbers are reported") {
    for (const char* text : {"0x", "12abc", "1e", "0b102", "99999999999999999999"}) {
        Lexed l(text);
        CAPTURE(text);
        REQUIRE(l.diags.size() == 1);
        CHECK(l.diags.items()[0].kind == DiagnosticKind::invalid_number);
    }
}

TEST_CASE("a string that runs to the end of the line is unterminated") {
    Lexed l("let s = \"abc\nlet t = 1");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::unterminated_string);
    // The broken literal is an invalid token; lexing resumes on the next line.
    CHECK(l.token(3).kind == TokenKind::invalid);
    CHECK(l.texts() == "let s = \"abc let t = 1");
}

TEST_CASE("an unclosed interpolation ends the string with one error") {
    Lexed l("\"a \\(b\nc");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::unterminated_string);
}

TEST_CASE("a broken string inside an interpolation is reported once") {
    Lexed l("print(\"a \\(x\"\nprint(1)");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::unterminated_string);
    CHECK(l.diags.items()[0].span.begin == 12);  // the inner literal, not the outer one
}

TEST_CASE("an unclosed block comment is reported") {
    Lexed l("a /* b /* c */");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::unterminated_comment);
}

TEST_CASE("unknown escapes are reported and lexing continues") {
    Lexed l(R"("a\qb" "\u{D800}")");
    REQUIRE(l.diags.size() == 2);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::invalid_escape);
    CHECK(l.diags.items()[1].kind == DiagnosticKind::invalid_escape);
    CHECK(l.str(0).segments[0].text == "ab");
}

TEST_CASE("a raw string keeps its backslashes and ends at its own delimiter") {
    Lexed l("let s = #\"raw \\n \"q\"\"# ; x");
    CHECK(l.diags.size() == 0);
    CHECK(l.token(3).kind == TokenKind::string);
    CHECK(l.token(3).text == "#\"raw \\n \"q\"\"#");
    CHECK(l.str(3).segments[0].text == "raw \\n \"q\"");
    CHECK(l.token(5).text == "x");
}

TEST_CASE("a byte order mark at the start is ignored") {
    Lexed l("\xEF\xBB\xBFlet x = 1");
    CHECK(l.diags.size() == 0);
    CHECK(l.texts() == "let x = 1");
}
