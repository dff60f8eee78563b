// The lexer of tasklab's Swift subset: scenario text in, a flat token list out.
//
// Tokens keep the whitespace facts Swift's grammar depends on: whether whitespace and whether a
// line break came before each token. The parser uses them to end statements at line breaks,
// to tell a postfix `!`/`?` from a prefix or binary operator, and to refuse a `{` on a new line
// as a trailing closure. String literals are decoded here; an interpolation `\(expr)` keeps the
// tokens of its expression (ending with the closing `)` and an end-of-file token) so the
// parser can parse them in place. Line comments are recorded so `// tasklab:` directives can
// be read after lexing. Errors go to the DiagnosticList; the lexer always reaches the end.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "source.hpp"

namespace tasklab::swift {

enum class TokenKind : std::uint8_t {
    identifier,  ///< names, also contextual words (`async`, `actor`, `some`); backticks stripped
    keyword,     ///< reserved words (`let`, `func`, `in`, `true`, `self`, `_` is an identifier)
    integer,     ///< 42, 1_000, 0xff
    floating,    ///< 1.5, 1e9
    string,      ///< "…" or """…"""; decoded parts in LexResult::strings[string_index]
    punct,       ///< operators and punctuation: ( ) [ ] { } , : ; . \ == ..< -> …
    pound,       ///< `#if`, `#available`, `#selector` (text includes the `#`)
    attribute,   ///< `@Sendable`, `@MainActor` (text includes the `@`)
    invalid,     ///< something the lexer already reported (a raw or unterminated string); the parser stays quiet
    eof,
};

/// One token. `text` points into the SourceFile's text (or is a literal for synthetic tokens).
struct Token {
    TokenKind kind = TokenKind::eof;
    Span span;
    std::string_view text;
    bool space_before = false;    ///< whitespace, a comment, a line break or the file start precedes it
    bool newline_before = false;  ///< a line break precedes it (since the previous token)
    std::uint32_t string_index = 0;  ///< for strings: index into LexResult::strings
    std::int64_t int_value = 0;      ///< for integers
    bool above_int_max = false;      ///< an integer literal past Int.max: int_value holds its UInt64 bit pattern
    double double_value = 0;         ///< for floating literals
};

/// One piece of a string literal: decoded text, or the tokens of an interpolated expression.
struct StringSegment {
    bool is_interpolation = false;
    std::string text;           ///< decoded literal text
    std::vector<Token> tokens;  ///< interpolation: the expression's tokens, then `)`, then eof
    Span span;                  ///< source span of this piece
};

struct LexedString {
    std::vector<StringSegment> segments;
    bool multiline = false;
};

/// A `//` comment: `body` is the text after the two slashes, up to the line end.
struct LineComment {
    Span span;
    Span body;
};

struct LexResult {
    std::vector<Token> tokens;         ///< always ends with one eof token
    std::vector<LexedString> strings;  ///< shared by top-level and interpolation tokens
    std::vector<LineComment> comments; ///< every `//` comment in file order
};

/// Lexes a whole Swift scenario. Reports lex errors (and unsupported raw strings) to `diags`.
LexResult lex_swift(const SourceFile& file, DiagnosticList& diags);

/// True for Swift's reserved words that tasklab treats as keywords.
bool is_swift_keyword(std::string_view word);

}  // namespace tasklab::swift
