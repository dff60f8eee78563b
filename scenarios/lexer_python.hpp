// The lexer of tasklab's Python (asyncio) subset: scenario text in, a flat token list out.
//
// It follows CPython 3.11's tokenizer: a logical line ends with a NEWLINE token; a line
// indented deeper than the one before opens a block with an INDENT token and a shallower one
// closes blocks with DEDENT tokens (a dedent to a column no open block uses is an
// inconsistent_indentation error, and so is mixing tabs and spaces ambiguously). Blank and
// comment-only lines make no tokens; inside ( ) [ ] { } and after a backslash line
// continuation, line breaks are ordinary white space. String literals are decoded here; an
// f-string replacement field `{expr!r:>10}` keeps the tokens of its expression (then an eof
// token) with its conversion and format spec, so the parser can parse it in place. Every `#`
// comment is recorded so `# tasklab:` directives can be read after lexing. Errors go to the
// DiagnosticList; the lexer always reaches the end of the text.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics.hpp"
#include "source.hpp"

namespace tasklab::python {

enum class TokenKind : std::uint8_t {
    name,      ///< identifiers, also soft keywords (`match`, `case`, `type`, `_`)
    keyword,   ///< Python's reserved words (`def`, `await`, `None`, `not`, …)
    integer,   ///< 42, 1_000, 0x1F, 0o17, 0b101
    floating,  ///< 1.5, 1e-3, .5
    string,    ///< one literal (any prefix but b); decoded parts in LexResult::strings[string_index]
    op,        ///< operators and delimiters: ( ) [ ] { } , : ; . -> ** // == != := …
    newline,   ///< the end of a logical line
    indent,    ///< the start of a deeper block (span: the line's indentation)
    dedent,    ///< the end of a block (empty span where the next line's code starts)
    invalid,   ///< something the lexer already reported (bytes, a broken string); the parser stays quiet
    eof,
};

/// One token. `text` points into the SourceFile's text.
struct Token {
    TokenKind kind = TokenKind::eof;
    Span span;
    std::string_view text;
    std::uint32_t string_index = 0;  ///< for strings: index into LexResult::strings
    std::int64_t int_value = 0;      ///< for integers
    double double_value = 0;         ///< for floating literals
};

/// One piece of a string literal: decoded text, or an f-string replacement field.
struct StringSegment {
    bool is_interpolation = false;
    std::string text;           ///< decoded literal text
    std::vector<Token> tokens;  ///< replacement field: the expression's tokens, then eof
    char conversion = 0;        ///< `!r`, `!s`, `!a`: 'r', 's', 'a'; 0 when none
    std::string format_spec;    ///< the text after `:`, as written
    Span span;                  ///< source span of this piece (a field: its expression)
};

struct LexedString {
    std::vector<StringSegment> segments;
    bool is_fstring = false;
    bool is_raw = false;
    bool triple = false;
    bool is_bytes = false;  ///< `b"…"`: the text holds bytes (escapes such as `\xff` are one byte)
};

/// A `#` comment: `body` is the text after the `#`, up to the line end.
struct Comment {
    Span span;
    Span body;
};

struct LexResult {
    std::vector<Token> tokens;         ///< ends with the last NEWLINE, a DEDENT per open block, one eof
    std::vector<LexedString> strings;  ///< shared by top-level and replacement-field tokens
    std::vector<Comment> comments;     ///< every `#` comment in file order
};

/// Lexes a whole Python scenario. Reports lex errors (and unsupported literals) to `diags`.
LexResult lex_python(const SourceFile& file, DiagnosticList& diags);

/// True for Python 3.11's hard keywords (`def`, `async`, `None`, …); soft ones are names.
bool is_python_keyword(std::string_view word);

/// Deepest indentation the lexer accepts (CPython's limit is 100 as well).
inline constexpr std::size_t k_max_indent_levels = 100;

}  // namespace tasklab::python
