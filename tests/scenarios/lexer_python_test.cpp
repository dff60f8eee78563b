#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "scenarios/lexer_python.hpp"

using namespace tasklab;
using python::TokenKind;

namespace {

struct Lexed {
    std::shared_ptr<SourceFile> file;
    DiagnosticList diags;
    python::LexResult result;
};

Lexed lex(const std::string& text) {
    Lexed l;
    l.file = std::make_shared<SourceFile>("t.py", text);
    l.result = python::lex_python(*l.file, l.diags);
    return l;
}

/// The tokens as a compact string: code tokens by their text, strings as `S`, layout tokens
/// as NL, IN, DE, invalid ones as `?`; the final eof is left out.
std::string tokens(const std::string& text) {
    const Lexed l = lex(text);
    std::string out;
    for (const python::Token& t : l.result.tokens) {
        std::string piece;
        switch (t.kind) {
            case TokenKind::newline: piece = "NL"; break;
            case TokenKind::indent: piece = "IN"; break;
            case TokenKind::dedent: piece = "DE"; break;
            case TokenKind::string: piece = "S"; break;
            case TokenKind::invalid: piece = "?"; break;
            case TokenKind::eof: continue;
            default: piece = std::string(t.text);
        }
        out += (out.empty() ? "" : " ") + piece;
    }
    return out;
}

/// The last string literal's segments (nested literals come first): literal text as is, fields as `{…}` with their
/// token texts, conversion and spec.
std::string segments(const std::string& text) {
    const Lexed l = lex(text);
    REQUIRE(!l.result.strings.empty());
    std::string out;
    for (const python::StringSegment& s : l.result.strings.back().segments) {
        if (!s.is_interpolation) {
            out += s.text;
            continue;
        }
        out += "{";
        for (const python::Token& t : s.tokens)
            if (t.kind != TokenKind::eof) out += std::string(t.text);
        if (s.conversion) out += std::string("!") + s.conversion;
        if (!s.format_spec.empty()) out += ":" + s.format_spec;
        out += "}";
    }
    return out;
}

std::string messages(const std::string& text) {
    const Lexed l = lex(text);
    std::string out;
    for (const auto& d : l.diags.items()) out += (out.empty() ? "" : " | ") + d.message;
    return out;
}

}  // namespace

TEST_CASE("the Python lexer ends logical lines with NEWLINE and closes blocks with DEDENT") {
    CHECK(tokens("x = 1\n") == "x = 1 NL");
    CHECK(tokens("x = 1") == "x = 1 NL");
    CHECK(tokens("if a:\n    b\nc\n") == "if a : NL IN b NL DE c NL");
    CHECK(tokens("if a:\n    if b:\n        c\n") == "if a : NL IN if b : NL IN c NL DE DE");
    CHECK(tokens("") == "");
}

TEST_CASE("blank lines, comment lines and indentation inside them make no tokens") {
    CHECK(tokens("a\n\n   \n  # comment\n\t\nb\n") == "a NL b NL");
    CHECK(tokens("if a:\n    b\n\n# x\n    c\n") == "if a : NL IN b NL c NL DE");
}

TEST_CASE("brackets and backslashes join physical lines") {
    CHECK(tokens("f(1,\n      2)\nx\n") == "f ( 1 , 2 ) NL x NL");
    CHECK(tokens("x = [\n  1,\n]\n") == "x = [ 1 , ] NL");
    CHECK(tokens("x = 1 + \\\n  2\n") == "x = 1 + 2 NL");
}

TEST_CASE("a statement keyword at the start of a line ends an unclosed bracket") {
    CHECK(tokens("x = f(1,\ndef g():\n    pass\n") == "x = f ( 1 , NL def g ( ) : NL IN pass NL DE");
    // Inside an expression `if`, `for` and `else` may start a continuation line.
    CHECK(tokens("x = (a\nif b\nelse c)\n") == "x = ( a if b else c ) NL");
}

TEST_CASE("tabs count to the next multiple of eight columns") {
    CHECK(tokens("if a:\n\tb\n        c\n") == "if a : NL IN b NL c NL DE");
}

TEST_CASE("keywords are told from names and soft keywords stay names") {
    const Lexed l = lex("async await match case type _ None lambda");
    REQUIRE(l.result.tokens.size() == 10);
    CHECK(l.result.tokens[0].kind == TokenKind::keyword);
    CHECK(l.result.tokens[1].kind == TokenKind::keyword);
    CHECK(l.result.tokens[2].kind == TokenKind::name);
    CHECK(l.result.tokens[3].kind == TokenKind::name);
    CHECK(l.result.tokens[4].kind == TokenKind::name);
    CHECK(l.result.tokens[5].kind == TokenKind::name);
    CHECK(l.result.tokens[6].kind == TokenKind::keyword);
    CHECK(l.result.tokens[7].kind == TokenKind::keyword);
    CHECK(python::is_python_keyword("nonlocal"));
    CHECK(!python::is_python_keyword("print"));
}

TEST_CASE("operators are read longest first") {
    CHECK(tokens("a **= b // c -> d := e ... f != g <= h >> i") == "a **= b // c -> d := e ... f != g <= h >> i NL");
}

TEST_CASE("numbers of every base, with underscores, exponents and leading dots") {
    const Lexed l = lex("1_000 0x1F 0o17 0b101 1.5 1e-3 .5 1. 0 00");
    REQUIRE(l.diags.size() == 0);
    const auto& t = l.result.tokens;
    CHECK(t[0].int_value == 1000);
    CHECK(t[1].int_value == 31);
    CHECK(t[2].int_value == 15);
    CHECK(t[3].int_value == 5);
    CHECK(t[4].kind == TokenKind::floating);
    CHECK(t[4].double_value == 1.5);
    CHECK(t[5].double_value == 0.001);
    CHECK(t[6].double_value == 0.5);
    CHECK(t[7].double_value == 1.0);
    CHECK(t[8].int_value == 0);
    CHECK(t[9].int_value == 0);
}

TEST_CASE("malformed numbers are reported") {
    CHECK(messages("12abc") == "invalid number literal `12abc`");
    CHECK(messages("1__0") == "invalid number literal `1__0`");
    CHECK(messages("1_") == "invalid number literal `1_`");
    CHECK(messages("0x") == "invalid number literal `0x`");
    CHECK(messages("0b102") == "invalid number literal `0b102`");
    CHECK(messages("0777") == "leading zeros in decimal integer literals are not permitted");
    CHECK(messages("9223372036854775808") == "integer literal `9223372036854775808` does not fit in 64 bits");
    CHECK(messages("9223372036854775807") == "");
}

TEST_CASE("strings decode escapes; raw strings keep backslashes") {
    CHECK(segments("'a\\tb\\\\c\\'d'") == "a\tb\\c'd");
    CHECK(segments("\"\\x41\\101\\u00e9\\U0001F600\\0\"") == std::string("AAé😀") + '\0');
    CHECK(segments("r'\\d+\\''") == "\\d+\\'");
    CHECK(segments("'''a\nb\\\nc'''") == "a\nbc");
    CHECK(segments("u'x'") == "x");
}

TEST_CASE("an unknown escape is kept as written with a warning") {
    const Lexed l = lex("'a\\qb'");
    REQUIRE(l.diags.size() == 1);
    CHECK(l.diags.items()[0].severity == Severity::warning);
    CHECK(l.diags.items()[0].kind == DiagnosticKind::invalid_escape);
    CHECK(!l.diags.has_errors());
    CHECK(segments("'a\\qb'") == "a\\qb");
    CHECK(l.result.tokens[0].kind == TokenKind::string);
}

TEST_CASE("f-string fields keep their tokens, conversion and format spec") {
    CHECK(segments("f'a {b} c'") == "a {b} c");
    CHECK(segments("f'{x!r:>10}'") == "{x!r:>10}");
    CHECK(segments("f'{t:.2f}s'") == "{t:.2f}s");
    CHECK(segments("f'{{literal}} {d[\"k\"]}'") == "{literal} {d[\"k\"]}");
    CHECK(segments("f'{a != b}'") == "{a!=b}");
    CHECK(segments("f'{x:=10}'") == "{x:=10}");
    CHECK(segments("f'{ {1: 2}[1] }'") == "{{1:2}[1]}");
    CHECK(segments("f'{x=}'") == "x={x!r}");
    CHECK(segments("f'{x = !s}'") == "x = {x!s}");
    CHECK(segments("F'{x}' ") == "{x}");
    CHECK(segments("rf'\\n{x}'") == "\\n{x}");
}

TEST_CASE("f-strings nest with other quotes, and field tokens end with an eof token") {
    const Lexed l = lex("f\"{f'{x}'}\"");
    REQUIRE(l.diags.size() == 0);
    REQUIRE(l.result.strings.size() == 2);
    const auto& outer = l.result.strings.back();
    CHECK(outer.is_fstring);
    REQUIRE(outer.segments.size() == 1);
    REQUIRE(outer.segments[0].tokens.size() == 2);
    CHECK(outer.segments[0].tokens[0].kind == TokenKind::string);
    CHECK(outer.segments[0].tokens[1].kind == TokenKind::eof);
}

TEST_CASE("a backslash before an f-string brace stays and the brace keeps its meaning") {
    CHECK(segments("rf'\\{n}'") == "\\{n}");
    CHECK(segments("f'\\{n}'") == "\\{n}");
    CHECK(messages("f'\\{n}'") == "invalid escape sequence `\\{`");
    CHECK(messages("f'\\}'") == "invalid escape sequence `\\}` | f-string: single `}` is not allowed");
}

TEST_CASE("a line continuation at the end of the file is an error") {
    CHECK(messages("x = 1 + \\\n") == "expected a line after the line continuation, found end of file");
    CHECK(messages("x = 1 + \\\n2\n") == "");
}

TEST_CASE("f-string errors are reported and make the literal invalid") {
    CHECK(messages("f'{}'") == "f-string: empty expression not allowed");
    CHECK(messages("f'a}b'") == "f-string: single `}` is not allowed");
    CHECK(messages("f'{x!q}'") == "f-string: invalid conversion character");
    CHECK(messages("f'{x#}'") == "f-string expression part cannot include `#`");
    CHECK(messages("f'{\"\\n\"}'") == "f-string expression part cannot include a backslash");
    CHECK(messages("f'{x:{w}}'") == "nested replacement fields in a format spec are not supported yet");
    CHECK(messages("f'{'a'}'") == "f-string: expecting `}`");
    CHECK(messages("f'{x'") == "f-string: expecting `}`");
    CHECK(messages("f'{x\n'") == "unterminated string literal | unterminated string literal");
    const Lexed l = lex("f'{}' + 1");
    CHECK(l.result.tokens[0].kind == TokenKind::invalid);
    CHECK(l.result.tokens[1].text == "+");
}

TEST_CASE("string errors: unterminated literals and bytes") {
    CHECK(messages("'abc\nx = 1\n") == "unterminated string literal");
    CHECK(messages("'''abc\n") == "unterminated triple-quoted string literal");
    CHECK(messages("b'abc'").empty());
    CHECK(messages("b'caf\xc3\xa9'") == "bytes can only contain ASCII literal characters");
    CHECK(messages("b'\\x4'") == "truncated `\\xXX` escape");
    CHECK(messages("'\\x4'") == "truncated `\\xXX` escape");
    CHECK(messages("'\\U00110000'") == "escape `\\U00110000` is not a valid code point");
    CHECK(messages("'\\N{DASH}'") == "unknown Unicode character name `DASH`");
    CHECK(messages("'\\N{EM DASH'") == "malformed \\N character escape");
    CHECK(messages("'\\N'") == "malformed \\N character escape");
    // The line after an unterminated literal lexes normally.
    CHECK(tokens("'abc\nx = 1\n") == "? NL x = 1 NL");
}

TEST_CASE("bytes literals keep bytes: hex and octal escapes are one byte, \\u and \\N stay as written") {
    CHECK(segments("b'a\\xff\\101'") == "a\xff" "A");
    CHECK(segments("b'\\u00e9\\N{X}'") == "\\u00e9\\N{X}");
    CHECK(segments("rb'\\x41'") == "\\x41");
    CHECK(segments("Br'\\n'") == "\\n");
    const Lexed l = lex("b'x'");
    REQUIRE(l.result.strings.size() == 1);
    CHECK(l.result.strings[0].is_bytes);
    CHECK(!lex("'x'").result.strings[0].is_bytes);
}

TEST_CASE("named Unicode escapes: the table, Hangul syllables and CJK ideographs by rule, any case") {
    CHECK(segments("'a\\N{EM DASH}b'") == "a\u2014b");
    CHECK(segments("'\\N{em dash}'") == "\u2014");
    CHECK(segments("'\\N{LATIN SMALL LETTER E WITH ACUTE}'") == "\u00e9");
    CHECK(segments("'\\N{RIGHTWARDS ARROW}\\N{BLACK HEART SUIT}'") == "\u2192\u2665");
    CHECK(segments("'\\N{GRINNING FACE}'") == "\U0001F600");
    CHECK(segments("'\\N{HANGUL SYLLABLE HAN}\\N{HANGUL SYLLABLE GEUL}'") == "\ud55c\uae00");
    CHECK(segments("'\\N{CJK UNIFIED IDEOGRAPH-4E2D}'") == "\u4e2d");
    CHECK(segments("f'\\N{BULLET} {x}'") == "\u2022 {x}");
    CHECK(segments("r'\\N{BULLET}'") == "\\N{BULLET}");
}

TEST_CASE("string spans cover the prefix and the quotes") {
    const Lexed l = lex("x = rb'' + f\"\"\"a\"\"\"");
    const auto& t = l.result.tokens;
    CHECK(l.file->slice(t[2].span) == "rb''");
    CHECK(l.file->slice(t[4].span) == "f\"\"\"a\"\"\"");
}

TEST_CASE("comments are recorded with their text after the hash") {
    const Lexed l = lex("x = 1  # tasklab: seed 3\n# alone\nf'{x}'  # after a string\n");
    REQUIRE(l.result.comments.size() == 3);
    CHECK(l.file->slice(l.result.comments[0].body) == " tasklab: seed 3");
    CHECK(l.file->slice(l.result.comments[1].body) == " alone");
    CHECK(l.file->slice(l.result.comments[2].span) == "# after a string");
}

TEST_CASE("indentation errors: a dedent to an unknown column and mixed tabs") {
    CHECK(messages("if a:\n        b\n    c\n") == "unindent does not match any outer indentation level");
    // The stray line joins the enclosing block; later lines at its column raise no more errors.
    CHECK(tokens("if a:\n        b\n    c\n    d\ne\n") == "if a : NL IN b NL DE c NL d NL e NL");
    CHECK(messages("if a:\n    b\n\tc\n") == "inconsistent use of tabs and spaces in indentation");
    CHECK(tokens("if a:\n    b\n\tc\n") == "if a : NL IN b NL c NL DE");
}

TEST_CASE("invalid characters are reported once per run") {
    CHECK(messages("x = $$ + 1") == "invalid character `$` in source");
    CHECK(messages("x = ?") == "invalid character `?` in source");
    CHECK(messages("a \\ b") == "unexpected character after line continuation character");
    CHECK(tokens("이름 = 1") == "이름 = 1 NL");
    CHECK(messages("x\xc2\xa0= 1") == "invalid character U+00A0 in source");
    CHECK(messages("done = 🟡") == "invalid character U+1F7E1 in source");
    CHECK(messages("a → b") == "invalid character U+2192 in source");
    CHECK(tokens("café = naïve") == "café = naïve NL");
}

TEST_CASE("CRLF line ends and a byte order mark are accepted") {
    CHECK(tokens("\xEF\xBB\xBFif a:\r\n    b\r\nc\r\n") == "if a : NL IN b NL DE c NL");
}
