#include "lexer_python.hpp"
#include "unicode_names.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace tasklab::python {

namespace {

constexpr std::array<std::string_view, 35> k_keywords = {
    "False", "None",   "True",    "and",      "as",     "assert", "async", "await",  "break",
    "class", "continue", "def",   "del",      "elif",   "else",   "except", "finally", "for",
    "from",  "global", "if",      "import",   "in",     "is",     "lambda", "nonlocal", "not",
    "or",    "pass",   "raise",   "return",   "try",    "while",  "with",  "yield",
};

// Operators and delimiters, longest first (maximal munch over this fixed list). `!` alone only
// means something in an f-string (`{x!r}`); elsewhere the parser reports it.
constexpr std::array<std::string_view, 48> k_operators = {
    "**=", "//=", ">>=", "<<=", "...", "->", ":=", "**", "//", "==", "!=", "<=", ">=", "<<", ">>", "+=",
    "-=",  "*=",  "/=",  "%=",  "&=",  "|=", "^=", "@=", "+",  "-",  "*",  "/",  "%",  "@",  "<",  ">",
    "=",   "&",   "|",   "^",   "~",   ".",  ",",  ":",  ";",  "(",  ")",  "[",  "]",  "{",  "}",  "!",
};

// Words that begin a statement and never appear inside an expression: a line that starts
// with one of them, no deeper than the line that opened a bracket, means the bracket was
// never closed (the lexer ends the logical line there so the parser can report it).
constexpr std::array<std::string_view, 18> k_statement_words = {
    "def",  "class", "return", "import", "while",  "with",     "try",    "except", "finally",
    "elif", "pass",  "break",  "continue", "global", "nonlocal", "assert", "del",    "raise",
};

constexpr std::size_t k_max_fstring_depth = 16;
constexpr const char* k_subset_note = "tasklab runs a subset of Python; see docs/language.md";

bool is_ident_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_continue(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    return (c | 0x20) - 'a' + 10;
}
bool is_base_digit(unsigned char c, int base) {
    if (base == 16) return is_hex(c);
    if (base == 8) return c >= '0' && c <= '7';
    if (base == 2) return c == '0' || c == '1';
    return is_digit(c);
}

/// Decodes one UTF-8 code point at `pos`; returns its length, or 0 when the bytes are invalid.
std::uint32_t decode_utf8(std::string_view s, std::size_t pos, std::uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    std::uint32_t len = 0;
    if (b0 < 0x80) {
        cp = b0;
        return 1;
    }
    if ((b0 & 0xE0) == 0xC0) {
        cp = b0 & 0x1Fu;
        len = 2;
    } else if ((b0 & 0xF0) == 0xE0) {
        cp = b0 & 0x0Fu;
        len = 3;
    } else if ((b0 & 0xF8) == 0xF0) {
        cp = b0 & 0x07u;
        len = 4;
    } else {
        return 0;
    }
    if (pos + len > s.size()) return 0;
    for (std::uint32_t i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return len;
}

/// Code points that never belong to a Python name: white space look-alikes, invisible marks,
/// and the symbol blocks (arrows, math and technical signs, box drawing, shapes, dingbats,
/// emoji) that Python reports as invalid characters.
bool is_invisible_code_point(std::uint32_t cp) {
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x206F) || cp == 0x3000 || cp == 0xFEFF || (cp >= 0x2190 && cp <= 0x2BFF) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xFF01 && cp <= 0xFF0F) ||
           (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xD7 || cp == 0xF7 || (cp >= 0x80 && cp <= 0xBF && cp != 0xAA && cp != 0xB5 && cp != 0xBA);
}

std::string quote(std::string_view s) { return "`" + std::string(s) + "`"; }

/// One open indentation level. `alias` is a second column accepted as this level after an
/// inconsistent dedent was reported, so one mistake yields one error.
struct Level {
    std::uint32_t col = 0;
    std::uint32_t alt = 0;  ///< the same indentation with each tab counted as one column
    std::uint32_t alias_col = std::numeric_limits<std::uint32_t>::max();
    std::uint32_t alias_alt = 0;
};

/// An open bracket: which one, where, and the indentation of the line that opened it.
struct Open {
    char c = '(';
    std::uint32_t line_indent = 0;
};

/// An f-string whose replacement field is being lexed: its quote must not appear inside.
struct EnclosingString {
    char quote = '"';
    bool triple = false;
};

class Lexer {
public:
    Lexer(const SourceFile& file, DiagnosticList& diags, LexResult& out) : m_text(file.text()), m_diags(diags), m_out(out) {}

    void run() {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;  // byte order mark
        m_levels.push_back({});
        bool line_start = true;
        while (m_pos < m_text.size()) {
            if (line_start && m_open.empty()) {
                line_start = false;
                if (!indentation()) {
                    line_start = true;
                    continue;
                }
            }
            line_start = false;
            skip_trivia();
            if (m_pos >= m_text.size()) break;
            const char c = m_text[m_pos];
            if (c == '\n' || (c == '\r' && at(m_pos + 1) == '\n')) {
                line_start = line_break();
                continue;
            }
            Token t = next_token();
            if (t.kind == TokenKind::op && t.text.size() == 1) {
                const char k = t.text[0];
                if (k == '(' || k == '[' || k == '{') m_open.push_back({k, m_line_indent});
                if ((k == ')' || k == ']' || k == '}') && !m_open.empty()) m_open.pop_back();
            }
            m_out.tokens.push_back(t);
            m_line_has_tokens = true;
        }
        finish();
    }

private:
    std::string_view m_text;
    DiagnosticList& m_diags;
    LexResult& m_out;
    std::size_t m_pos = 0;
    std::vector<Level> m_levels;
    std::vector<Open> m_open;
    std::vector<EnclosingString> m_fstrings;
    bool m_line_has_tokens = false;
    std::uint32_t m_line_indent = 0;
    bool m_too_deep_reported = false;
    std::size_t m_errors = 0;  // errors reported so far (a string with new errors becomes invalid)

    [[nodiscard]] Span span(std::size_t b, std::size_t e) const {
        return {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
    }
    [[nodiscard]] char at(std::size_t p) const { return p < m_text.size() ? m_text[p] : '\0'; }
    [[nodiscard]] bool is_line_break(std::size_t p) const { return at(p) == '\n' || (at(p) == '\r' && at(p + 1) == '\n'); }

    Diagnostic& error(DiagnosticKind kind, Span s, std::string message) {
        ++m_errors;
        return m_diags.error(kind, s, std::move(message));
    }

    Token make(TokenKind kind, std::size_t b, std::size_t e) const {
        Token t;
        t.kind = kind;
        t.span = span(b, e);
        t.text = m_text.substr(b, e - b);
        return t;
    }

    void finish() {
        const std::size_t end = m_text.size();
        // With a bracket still open the parser should meet the end of the file, not a line end.
        if (m_line_has_tokens && m_open.empty()) m_out.tokens.push_back(make(TokenKind::newline, end, end));
        while (m_levels.size() > 1) {
            m_levels.pop_back();
            m_out.tokens.push_back(make(TokenKind::dedent, end, end));
        }
        m_out.tokens.push_back(make(TokenKind::eof, end, end));
    }

    // A line break in code (m_pos is on it). Returns true when a new logical line starts.
    bool line_break() {
        const std::size_t b = m_pos;
        m_pos += m_text[m_pos] == '\r' ? 2 : 1;
        if (!m_open.empty()) {
            if (!bracket_left_open()) return false;  // implicit line joining
            m_open.clear();
        }
        if (m_line_has_tokens) m_out.tokens.push_back(make(TokenKind::newline, b, b + 1));
        m_line_has_tokens = false;
        return true;
    }

    // Inside brackets at the start of a line: true when the line begins with a statement
    // keyword no deeper than the line that opened the first bracket.
    [[nodiscard]] bool bracket_left_open() const {
        std::size_t p = m_pos;
        std::uint32_t col = 0;
        while (at(p) == ' ' || at(p) == '\t') {
            col = at(p) == '\t' ? (col / 8 + 1) * 8 : col + 1;
            ++p;
        }
        const std::size_t b = p;
        while (is_ident_continue(static_cast<unsigned char>(at(p)))) ++p;
        const std::string_view word = m_text.substr(b, p - b);
        if (std::find(k_statement_words.begin(), k_statement_words.end(), word) == k_statement_words.end()) return false;
        return col <= m_open.front().line_indent;
    }

    // At the start of a line: measures its indentation and emits INDENT/DEDENT tokens.
    // Returns false for a blank or comment-only line (consumed up to its line break).
    bool indentation() {
        const std::size_t line_begin = m_pos;
        std::size_t p = m_pos;
        std::uint32_t col = 0;
        std::uint32_t alt = 0;
        for (;; ++p) {
            const char c = at(p);
            if (c == ' ') {
                ++col;
                ++alt;
            } else if (c == '\t') {
                col = (col / 8 + 1) * 8;
                ++alt;
            } else if (c == '\f') {
                col = alt = 0;
            } else {
                break;
            }
        }
        m_pos = p;
        if (m_pos >= m_text.size()) return false;
        if (m_text[m_pos] == '#') {
            comment();
            return false;
        }
        if (is_line_break(m_pos)) {
            m_pos += m_text[m_pos] == '\r' ? 2 : 1;
            return false;
        }
        m_line_indent = col;
        const Span where = span(line_begin, p);
        auto matches = [&](const Level& l) { return col == l.col || col == l.alias_col; };
        auto check_tabs = [&](const Level& l) {
            const std::uint32_t want = col == l.col ? l.alt : l.alias_alt;
            if (alt != want) tab_error(where);
        };
        if (matches(m_levels.back())) {
            check_tabs(m_levels.back());
            return true;
        }
        if (col > m_levels.back().col) {
            if (alt <= m_levels.back().alt) {
                // Deeper with tabs counted as 8 columns, not with tabs counted as one: Python
                // refuses the line. Keep it in the current block so one mistake is one error.
                tab_error(where);
                m_levels.back().alias_col = col;
                m_levels.back().alias_alt = alt;
                return true;
            }
            if (m_levels.size() > k_max_indent_levels) {
                if (!m_too_deep_reported) {
                    m_too_deep_reported = true;
                    auto& d = error(DiagnosticKind::unsupported_construct, where, "too many levels of indentation");
                    d.notes.push_back("tasklab accepts up to " + std::to_string(k_max_indent_levels) + " nested blocks");
                }
                return true;
            }
            m_levels.push_back({col, alt});
            m_out.tokens.push_back(make(TokenKind::indent, line_begin, p));
            return true;
        }
        std::string open_columns;
        for (std::size_t i = 0; i < m_levels.size(); ++i) {
            if (i) open_columns += i + 1 == m_levels.size() ? (m_levels.size() > 2 ? ", and " : " and ") : ", ";
            open_columns += std::to_string(m_levels[i].col);
        }
        while (m_levels.size() > 1 && col < m_levels.back().col && !matches(m_levels.back())) {
            m_levels.pop_back();
            m_out.tokens.push_back(make(TokenKind::dedent, p, p));
        }
        Level& top = m_levels.back();
        if (matches(top)) {
            check_tabs(top);
            return true;
        }
        auto& d = error(DiagnosticKind::inconsistent_indentation, where, "unindent does not match any outer indentation level");
        d.notes.push_back("this line is indented by " + std::to_string(col) + " columns; the open blocks by " + open_columns);
        top.alias_col = col;
        top.alias_alt = alt;
        return true;
    }

    void tab_error(Span where) {
        auto& d = error(DiagnosticKind::inconsistent_indentation, where, "inconsistent use of tabs and spaces in indentation");
        d.help.push_back("indent with spaces only; Python counts a tab as up to 8 columns");
    }

    // A `#` comment at m_pos, up to (not including) the line break.
    void comment() {
        const std::size_t b = m_pos;
        std::size_t e = m_text.find('\n', m_pos);
        if (e == std::string_view::npos) e = m_text.size();
        std::size_t body_end = e;
        if (body_end > b + 1 && m_text[body_end - 1] == '\r') --body_end;
        if (m_fstrings.empty()) m_out.comments.push_back({span(b, body_end), span(b + 1, body_end)});
        m_pos = e;
    }

    // Skips spaces, comments and backslash line continuations.
    void skip_trivia() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || (c == '\r' && at(m_pos + 1) != '\n')) {
                ++m_pos;
            } else if (c == '#' && m_fstrings.empty()) {
                comment();
            } else if (c == '\\' && is_line_break(m_pos + 1) && m_fstrings.empty()) {
                const std::size_t b = m_pos;
                m_pos += at(m_pos + 1) == '\r' ? 3 : 2;
                if (m_pos >= m_text.size()) {
                    error(DiagnosticKind::expected_token, span(b, b + 1), "expected a line after the line continuation, found end of file")
                        .help.emplace_back("remove the `\\` at the end of the last line");
                }
            } else {
                break;
            }
        }
    }

    /// Where the quote of a string literal starting at p is (after its prefix), or npos.
    [[nodiscard]] std::size_t string_start(std::size_t p) const {
        std::size_t q = p;
        bool raw = false, f = false, b = false, u = false;
        while (q < p + 3) {
            const char c = static_cast<char>(at(q) | 0x20);
            if (at(q) == '"' || at(q) == '\'') break;
            if (c == 'r' && !raw) raw = true;
            else if (c == 'f' && !f) f = true;
            else if (c == 'b' && !b) b = true;
            else if (c == 'u' && !u) u = true;
            else return std::string_view::npos;
            ++q;
        }
        if (at(q) != '"' && at(q) != '\'') return std::string_view::npos;
        if (u && (raw || f || b)) return std::string_view::npos;
        if (f && b) return std::string_view::npos;
        return q;
    }

    Token next_token() {
        const std::size_t b = m_pos;
        const auto c = static_cast<unsigned char>(m_text[m_pos]);
        if (c == '"' || c == '\'') return string_literal(b, b);
        if (is_ident_start(c)) {
            const std::size_t q = string_start(b);
            if (q != std::string_view::npos) return string_literal(b, q);
            return identifier();
        }
        if (c >= 0x80) {
            std::uint32_t cp = 0;
            const std::uint32_t len = decode_utf8(m_text, m_pos, cp);
            if (len == 0 || is_invisible_code_point(cp)) return invalid_run();
            return identifier();
        }
        if (is_digit(c) || (c == '.' && is_digit(static_cast<unsigned char>(at(m_pos + 1))))) return number();
        if (c == '\\') {
            ++m_pos;
            auto& d = error(DiagnosticKind::invalid_character, span(b, b + 1), "unexpected character after line continuation character");
            d.help.push_back("a backslash continues a line only as the last character of the line");
            return make(TokenKind::invalid, b, m_pos);
        }
        for (std::string_view op : k_operators) {
            if (m_text.substr(m_pos, op.size()) == op) {
                m_pos += op.size();
                return make(TokenKind::op, b, m_pos);
            }
        }
        return invalid_run();
    }

    // Reports one invalid_character for a run of bytes that start no token.
    Token invalid_run() {
        const std::size_t b = m_pos;
        auto starts_token = [&](std::size_t p) {
            const auto c = static_cast<unsigned char>(m_text[p]);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return true;
            if (c >= 0x80) {
                std::uint32_t cp = 0;
                const std::uint32_t len = decode_utf8(m_text, p, cp);
                return len != 0 && !is_invisible_code_point(cp);
            }
            if (c < 0x20 || c == 0x7F || c == '`' || c == '$' || c == '?') return false;
            return true;
        };
        auto step = [&](std::size_t p) {
            std::uint32_t cp = 0;
            const std::uint32_t len = decode_utf8(m_text, p, cp);
            return len == 0 ? std::size_t{1} : std::size_t{len};
        };
        m_pos += step(m_pos);
        while (m_pos < m_text.size() && !starts_token(m_pos)) m_pos += step(m_pos);
        std::string what;
        const auto c0 = static_cast<unsigned char>(m_text[b]);
        std::uint32_t cp = 0;
        if (c0 >= 0x20 && c0 < 0x7F) {
            what = quote(m_text.substr(b, 1));
        } else if (decode_utf8(m_text, b, cp) != 0) {
            const char* digits = "0123456789ABCDEF";
            std::string hex;
            for (std::uint32_t v = cp; v > 0; v >>= 4) hex.insert(hex.begin(), digits[v & 15]);
            while (hex.size() < 4) hex.insert(hex.begin(), '0');
            what = "U+" + hex;
        } else {
            const char* digits = "0123456789ABCDEF";
            what = "byte 0x";
            what += digits[c0 >> 4];
            what += digits[c0 & 15];
        }
        error(DiagnosticKind::invalid_character, span(b, b + step(b)), "invalid character " + what + " in source");
        return make(TokenKind::invalid, b, m_pos);
    }

    Token identifier() {
        const std::size_t b = m_pos;
        while (m_pos < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (is_ident_continue(c)) {
                ++m_pos;
            } else if (c >= 0x80) {
                std::uint32_t cp = 0;
                const std::uint32_t len = decode_utf8(m_text, m_pos, cp);
                if (len == 0 || is_invisible_code_point(cp)) break;
                m_pos += len;
            } else {
                break;
            }
        }
        const std::string_view word = m_text.substr(b, m_pos - b);
        return make(is_python_keyword(word) ? TokenKind::keyword : TokenKind::name, b, m_pos);
    }

    // Digits of `base` with single underscores between them. Returns how many digits were read;
    // sets `bad` for a misplaced underscore.
    std::size_t digits(int base, bool& bad, bool underscore_first = false) {
        std::size_t count = 0;
        bool after_digit = underscore_first;
        while (m_pos < m_text.size()) {
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (is_base_digit(c, base)) {
                ++count;
                after_digit = true;
                ++m_pos;
            } else if (c == '_' && after_digit && is_base_digit(static_cast<unsigned char>(at(m_pos + 1)), base)) {
                after_digit = false;
                ++m_pos;
            } else if (c == '_') {
                bad = true;
                ++m_pos;
            } else {
                break;
            }
        }
        return count;
    }

    Token number() {
        const std::size_t b = m_pos;
        bool is_float = false;
        bool bad = false;
        int base = 10;
        const char p1 = static_cast<char>(at(m_pos + 1) | 0x20);
        if (m_text[m_pos] == '0' && (p1 == 'x' || p1 == 'o' || p1 == 'b')) {
            base = p1 == 'x' ? 16 : p1 == 'o' ? 8 : 2;
            m_pos += 2;
            if (digits(base, bad, true) == 0) bad = true;
        } else {
            const std::size_t int_digits = digits(10, bad);
            if (at(m_pos) == '.' && at(m_pos + 1) != '.') {
                is_float = true;
                ++m_pos;
                digits(10, bad);
            }
            if ((at(m_pos) | 0x20) == 'e' &&
                (is_digit(static_cast<unsigned char>(at(m_pos + 1))) ||
                 ((at(m_pos + 1) == '+' || at(m_pos + 1) == '-') && is_digit(static_cast<unsigned char>(at(m_pos + 2)))))) {
                is_float = true;
                m_pos += at(m_pos + 1) == '+' || at(m_pos + 1) == '-' ? 2 : 1;
                digits(10, bad);
            }
            if (!is_float && int_digits > 1 && m_text[b] == '0') {
                const std::string_view lit = m_text.substr(b, m_pos - b);
                if (lit.find_first_not_of("0_") != std::string_view::npos) {
                    // Glued letters are reported below as a whole; plain leading zeros here.
                    if (!is_ident_continue(static_cast<unsigned char>(at(m_pos)))) {
                        Token t = make(TokenKind::integer, b, m_pos);
                        auto& d = error(DiagnosticKind::invalid_number, t.span,
                                        "leading zeros in decimal integer literals are not permitted");
                        d.help.push_back("write an octal number as " + quote("0o" + std::string(lit.substr(1))));
                        return t;
                    }
                    bad = true;
                }
            }
            if ((at(m_pos) | 0x20) == 'j') {
                ++m_pos;
                if (!is_ident_continue(static_cast<unsigned char>(at(m_pos)))) {
                    Token t = make(TokenKind::invalid, b, m_pos);
                    error(DiagnosticKind::unsupported_construct, t.span, "complex numbers are not supported yet")
                        .notes.emplace_back(k_subset_note);
                    return t;
                }
            }
        }
        // Letters glued to a number (`12abc`, `0xZZ`) make the whole word invalid.
        while (m_pos < m_text.size() &&
               (is_ident_continue(static_cast<unsigned char>(m_text[m_pos])) || static_cast<unsigned char>(m_text[m_pos]) >= 0x80)) {
            if (static_cast<unsigned char>(m_text[m_pos]) >= 0x80) {
                std::uint32_t cp = 0;
                const std::uint32_t len = decode_utf8(m_text, m_pos, cp);
                if (len == 0 || is_invisible_code_point(cp)) break;
                m_pos += len;
            } else {
                ++m_pos;
            }
            bad = true;
        }
        Token t = make(is_float ? TokenKind::floating : TokenKind::integer, b, m_pos);
        if (!bad) {
            std::string clean;
            for (std::size_t i = b; i < m_pos; ++i)
                if (m_text[i] != '_') clean += m_text[i];
            if (is_float) {
                double v = 0;
                const auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
                if (r.ec == std::errc::result_out_of_range) {
                    v = clean.find_first_of("123456789") != std::string::npos && clean.find("e-") == std::string::npos
                            ? std::numeric_limits<double>::infinity()
                            : 0.0;
                } else if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) {
                    bad = true;
                }
                t.double_value = v;
            } else {
                const std::size_t skip = base == 10 ? 0 : 2;
                std::int64_t v = 0;
                const auto r = std::from_chars(clean.data() + skip, clean.data() + clean.size(), v, base);
                if (r.ec == std::errc::result_out_of_range) {
                    auto& d = error(DiagnosticKind::invalid_number, t.span, "integer literal " + quote(t.text) + " does not fit in 64 bits");
                    d.notes.push_back("tasklab's integers are 64-bit; the largest is 9223372036854775807");
                    return t;
                }
                if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) bad = true;
                t.int_value = v;
            }
        }
        if (bad) error(DiagnosticKind::invalid_number, t.span, "invalid number literal " + quote(t.text));
        return t;
    }

    // Decodes one escape at m_pos (the backslash) of a non-raw string into `out`. In a bytes
    // literal `\xNN` and octal escapes give one byte each and `\u`, `\U`, `\N` are not escapes.
    void escape(std::string& out, bool fstring, bool bytes = false) {
        const std::size_t b = m_pos;
        const char c = at(m_pos + 1);
        if (fstring && (c == '{' || c == '}')) {
            // `f'\{x}'`: the backslash stays (with a warning) and the brace keeps its meaning.
            ++m_pos;
            out += '\\';
            auto& d = m_diags.warning(DiagnosticKind::invalid_escape, span(b, b + 2), "invalid escape sequence " + quote(m_text.substr(b, 2)));
            d.help.emplace_back("write `{{` or `}}` for a literal brace");
            return;
        }
        if (c == '\0' && m_pos + 1 >= m_text.size()) {
            ++m_pos;  // the string is unterminated; the caller reports it
            return;
        }
        m_pos += 2;
        switch (c) {
            case '\n': return;  // a backslash at the end of a line continues the string
            case '\r':
                if (at(m_pos) == '\n') ++m_pos;
                return;
            case '\\': out += '\\'; return;
            case '\'': out += '\''; return;
            case '"': out += '"'; return;
            case 'a': out += '\a'; return;
            case 'b': out += '\b'; return;
            case 'f': out += '\f'; return;
            case 'n': out += '\n'; return;
            case 'r': out += '\r'; return;
            case 't': out += '\t'; return;
            case 'v': out += '\v'; return;
            default: break;
        }
        if (c >= '0' && c <= '7') {
            std::uint32_t v = static_cast<std::uint32_t>(c - '0');
            for (int i = 0; i < 2 && at(m_pos) >= '0' && at(m_pos) <= '7'; ++i) v = v * 8 + static_cast<std::uint32_t>(at(m_pos++) - '0');
            if (bytes) out += static_cast<char>(v & 0xFF);
            else append_utf8(out, v);
            return;
        }
        if (bytes && c == 'x') {
            int v = 0, n = 0;
            while (n < 2 && is_hex(static_cast<unsigned char>(at(m_pos)))) {
                v = v * 16 + hex_value(at(m_pos));
                ++m_pos;
                ++n;
            }
            if (n < 2) {
                auto& d = error(DiagnosticKind::invalid_escape, span(b, m_pos), "truncated " + quote("\\xXX") + " escape");
                d.help.push_back("write " + quote("\\x") + " then exactly 2 hex digits");
                return;
            }
            out += static_cast<char>(v);
            return;
        }
        if (!bytes && (c == 'x' || c == 'u' || c == 'U')) {
            const int want = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            std::uint32_t v = 0;
            int n = 0;
            while (n < want && is_hex(static_cast<unsigned char>(at(m_pos)))) {
                v = v * 16 + static_cast<std::uint32_t>(hex_value(at(m_pos)));
                ++m_pos;
                ++n;
            }
            const std::string name = std::string("\\") + c;
            if (n < want) {
                auto& d = error(DiagnosticKind::invalid_escape, span(b, m_pos), "truncated " + quote(name + std::string(want, 'X')) + " escape");
                d.help.push_back("write " + quote(name) + " then exactly " + std::to_string(want) + " hex digits");
                return;
            }
            if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
                error(DiagnosticKind::invalid_escape, span(b, m_pos), "escape " + quote(m_text.substr(b, m_pos - b)) + " is not a valid code point");
                return;
            }
            append_utf8(out, v);
            return;
        }
        if (c == 'N' && !bytes) {
            named_escape(out, b);
            return;
        }
        // Python keeps an unknown escape as written (and warns about it).
        std::uint32_t cp = 0;
        const std::uint32_t len = decode_utf8(m_text, b + 1, cp);
        m_pos = b + 1 + (len == 0 ? 1 : len);
        out.append(m_text.substr(b, m_pos - b));
        auto& d = m_diags.warning(DiagnosticKind::invalid_escape, span(b, m_pos), "invalid escape sequence " + quote(m_text.substr(b, m_pos - b)));
        d.help.push_back("write `\\\\` for a backslash, or use a raw string r\"…\"");
    }

    // `\N{NAME}`: m_pos is just after the `N`; `b` is the backslash.
    void named_escape(std::string& out, std::size_t b) {
        std::size_t e = m_pos;
        if (at(e) == '{') {
            ++e;
            while (e < m_text.size() && (std::isalnum(static_cast<unsigned char>(m_text[e])) || m_text[e] == ' ' || m_text[e] == '-')) ++e;
        }
        if (at(m_pos) != '{' || at(e) != '}' || e == m_pos + 1) {
            m_pos = at(m_pos) == '{' && at(e) == '}' ? e + 1 : m_pos;
            auto& d = error(DiagnosticKind::invalid_escape, span(b, m_pos), "malformed \\N character escape");
            d.help.emplace_back("write `\\N{NAME}` with the character's Unicode name, such as `\\N{EM DASH}`");
            return;
        }
        const std::string_view name = m_text.substr(m_pos + 1, e - m_pos - 1);
        m_pos = e + 1;
        std::uint32_t cp = 0;
        if (!unicode_lookup(name, cp)) {
            auto& d = error(DiagnosticKind::invalid_escape, span(b, m_pos), "unknown Unicode character name " + quote(name));
            d.notes.emplace_back(
                "tasklab knows the names of letters, punctuation, symbols, arrows, box drawing, shapes, dingbats, kana, Hangul and emoji; "
                "other names are not in its table");
            d.help.emplace_back("write the character itself, or `\\uXXXX` with its code point");
            return;
        }
        append_utf8(out, cp);
    }

    /// True when the f-string being lexed (or one around it) would end at p, or a string
    /// literal starting at p uses an enclosing f-string's quote (not allowed in Python 3.11).
    [[nodiscard]] bool ends_enclosing(std::size_t p) const {
        std::size_t q = p;
        if (at(p) != '"' && at(p) != '\'') {
            q = is_ident_start(static_cast<unsigned char>(at(p))) ? string_start(p) : std::string_view::npos;
            if (q == std::string_view::npos) return false;
        }
        for (const EnclosingString& s : m_fstrings) {
            if (at(q) != s.quote) continue;
            if (!s.triple || (at(q + 1) == s.quote && at(q + 2) == s.quote)) return true;
        }
        return false;
    }

    Token string_literal(std::size_t b, std::size_t qpos) {
        bool raw = false, fstr = false, bytes = false;
        for (std::size_t i = b; i < qpos; ++i) {
            const char c = static_cast<char>(m_text[i] | 0x20);
            raw = raw || c == 'r';
            fstr = fstr || c == 'f';
            bytes = bytes || c == 'b';
        }
        const char q = m_text[qpos];
        const bool triple = at(qpos + 1) == q && at(qpos + 2) == q;
        m_pos = qpos + (triple ? 3 : 1);
        const std::size_t errors_before = m_errors;
        LexedString str;
        str.is_fstring = fstr;
        str.is_raw = raw;
        str.triple = triple;
        auto lit = [&]() -> StringSegment& {
            if (str.segments.empty() || str.segments.back().is_interpolation) {
                str.segments.emplace_back();
                str.segments.back().span = span(m_pos, m_pos);
            }
            return str.segments.back();
        };
        auto close_lit = [&](std::size_t e) {
            if (!str.segments.empty() && !str.segments.back().is_interpolation) str.segments.back().span.end = static_cast<std::uint32_t>(e);
        };
        bool closed = false;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == q) {
                if (!triple) {
                    close_lit(m_pos);
                    ++m_pos;
                    closed = true;
                    break;
                }
                if (at(m_pos + 1) == q && at(m_pos + 2) == q) {
                    close_lit(m_pos);
                    m_pos += 3;
                    closed = true;
                    break;
                }
                lit().text += c;
                ++m_pos;
                continue;
            }
            if (is_line_break(m_pos)) {
                if (!triple) break;
                lit().text += '\n';
                m_pos += c == '\r' ? 2 : 1;
                continue;
            }
            if (c == '\\') {
                if (raw) {
                    // A raw string keeps the backslash and the character after it (even a quote).
                    lit().text += '\\';
                    ++m_pos;
                    if (m_pos < m_text.size() && !(fstr && (m_text[m_pos] == '{' || m_text[m_pos] == '}'))) {
                        if (is_line_break(m_pos)) {
                            lit().text += '\n';
                            m_pos += m_text[m_pos] == '\r' ? 2 : 1;
                        } else {
                            lit().text += m_text[m_pos];
                            ++m_pos;
                        }
                    }
                    continue;
                }
                escape(lit().text, fstr, bytes);
                continue;
            }
            if (bytes && static_cast<unsigned char>(c) >= 0x80) {
                std::uint32_t cp = 0;
                const std::uint32_t len = decode_utf8(m_text, m_pos, cp);
                error(DiagnosticKind::invalid_character, span(m_pos, m_pos + (len ? len : 1)), "bytes can only contain ASCII literal characters")
                    .help.emplace_back("write the byte as an escape such as `\\xe2`");
                m_pos += len ? len : 1;
                continue;
            }
            if (fstr && c == '{') {
                if (at(m_pos + 1) == '{') {
                    lit().text += '{';
                    m_pos += 2;
                    continue;
                }
                close_lit(m_pos);
                replacement_field(str, q, triple);
                continue;
            }
            if (fstr && c == '}') {
                if (at(m_pos + 1) == '}') {
                    lit().text += '}';
                    m_pos += 2;
                    continue;
                }
                auto& d = error(DiagnosticKind::expected_token, span(m_pos, m_pos + 1), "f-string: single `}` is not allowed");
                d.help.push_back("write `}}` for a literal brace");
                ++m_pos;
                continue;
            }
            lit().text += c;
            ++m_pos;
        }
        if (!closed) {
            close_lit(m_pos);
            if (triple) {
                auto& d = error(DiagnosticKind::unterminated_string, span(b, qpos + 3), "unterminated triple-quoted string literal");
                d.help.push_back("close it with `" + std::string(3, q) + "`");
            } else {
                auto& d = error(DiagnosticKind::unterminated_string, span(b, m_pos), "unterminated string literal");
                d.help.push_back("close it with `" + std::string(1, q) + "` before the end of the line");
            }
        }
        str.is_bytes = bytes;
        Token t = make(m_errors == errors_before ? TokenKind::string : TokenKind::invalid, b, m_pos);
        t.string_index = static_cast<std::uint32_t>(m_out.strings.size());
        m_out.strings.push_back(std::move(str));
        return t;
    }

    // After a failed replacement field: skips to its closing `}` (consumed), or stops before
    // the string's closing quote, a line break of a one-line string, or the end.
    void resync_field(bool triple) {
        int depth = 0;
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (ends_enclosing(m_pos) && (c == '"' || c == '\'')) return;
            if (!triple && is_line_break(m_pos)) return;
            if (c == '{') ++depth;
            if (c == '}') {
                ++m_pos;
                if (depth == 0) return;
                --depth;
                continue;
            }
            ++m_pos;
        }
    }

    // An f-string replacement field `{expr[=][!conv][:spec]}` at m_pos (the `{`).
    void replacement_field(LexedString& str, char q, bool triple) {
        const std::size_t b = m_pos;
        ++m_pos;
        m_fstrings.push_back({q, triple});
        if (m_fstrings.size() > k_max_fstring_depth) {
            error(DiagnosticKind::unsupported_construct, span(b, b + 1), "f-strings nested too deeply").notes.push_back(
                "tasklab accepts up to " + std::to_string(k_max_fstring_depth) + " f-strings inside each other");
            resync_field(triple);
            m_fstrings.pop_back();
            return;
        }
        StringSegment seg;
        seg.is_interpolation = true;
        const std::size_t expr_begin = m_pos;
        std::size_t expr_end = m_pos;
        int depth = 0;
        bool ok = true;
        bool debug = false;
        std::size_t debug_end = 0;
        enum class End { close, conversion, spec, stop } end = End::stop;
        auto skip_space = [&] {
            while (m_pos < m_text.size()) {
                const char c = m_text[m_pos];
                if (c == ' ' || c == '\t' || c == '\f' || (c == '\r' && at(m_pos + 1) != '\n')) ++m_pos;
                else if (triple && is_line_break(m_pos)) m_pos += c == '\r' ? 2 : 1;
                else break;
            }
        };
        auto fail_here = [&](DiagnosticKind kind, std::string message) -> Diagnostic& {
            ok = false;
            return error(kind, span(m_pos, m_pos + 1), std::move(message));
        };
        for (;;) {
            skip_space();
            if (m_pos >= m_text.size() || (!triple && is_line_break(m_pos))) {
                ok = false;  // the string itself is unterminated; string_literal reports it
                break;
            }
            const char c = m_text[m_pos];
            if (depth == 0 && c == '}') {
                end = End::close;
                break;
            }
            if (depth == 0 && c == '!' && at(m_pos + 1) != '=') {
                end = End::conversion;
                break;
            }
            if (depth == 0 && c == ':') {
                end = End::spec;
                break;
            }
            if (debug) {
                fail_here(DiagnosticKind::expected_token, "f-string: expecting `}`");
                resync_field(triple);
                break;
            }
            if (depth == 0 && c == '=' && at(m_pos + 1) != '=' && !seg.tokens.empty()) {
                ++m_pos;
                skip_space();
                debug = true;
                debug_end = m_pos;
                continue;
            }
            if (ends_enclosing(m_pos)) {
                fail_here(DiagnosticKind::expected_token, "f-string: expecting `}`");
                break;
            }
            if (c == '#') {
                fail_here(DiagnosticKind::invalid_character, "f-string expression part cannot include `#`");
                resync_field(triple);
                break;
            }
            if (c == '\\') {
                fail_here(DiagnosticKind::invalid_character, "f-string expression part cannot include a backslash");
                resync_field(triple);
                break;
            }
            const std::size_t token_begin = m_pos;
            Token t = next_token();
            if ((t.kind == TokenKind::string || t.kind == TokenKind::invalid) && t.text.find('\\') != std::string_view::npos) {
                // Python 3.11 refuses backslashes anywhere in a field, nested literals included.
                ok = false;
                error(DiagnosticKind::invalid_character, span(token_begin + t.text.find('\\'), token_begin + t.text.find('\\') + 1),
                      "f-string expression part cannot include a backslash");
                resync_field(triple);
                break;
            }
            if (t.kind == TokenKind::op && t.text.size() == 1) {
                if (t.text[0] == '(' || t.text[0] == '[' || t.text[0] == '{') ++depth;
                if ((t.text[0] == ')' || t.text[0] == ']' || t.text[0] == '}') && depth > 0) --depth;
            }
            seg.tokens.push_back(t);
            expr_end = m_pos;
        }
        if (end == End::conversion) {
            ++m_pos;
            const char k = at(m_pos);
            if ((k == 'r' || k == 's' || k == 'a') && (at(m_pos + 1) == ':' || at(m_pos + 1) == '}')) {
                seg.conversion = k;
                ++m_pos;
                end = at(m_pos) == ':' ? End::spec : End::close;
            } else {
                fail_here(DiagnosticKind::expected_token, "f-string: invalid conversion character")
                    .help.push_back("write `!r`, `!s` or `!a` right before `}` or `:`");
                resync_field(triple);
                end = End::stop;
            }
        }
        if (end == End::spec) {
            ++m_pos;
            for (;;) {
                if (m_pos >= m_text.size() || (!triple && is_line_break(m_pos)) || ends_enclosing(m_pos)) {
                    ok = false;
                    end = End::stop;
                    if (m_pos < m_text.size() && !is_line_break(m_pos)) fail_here(DiagnosticKind::expected_token, "f-string: expecting `}`");
                    break;
                }
                const char c = m_text[m_pos];
                if (c == '}') {
                    end = End::close;
                    break;
                }
                if (c == '{') {
                    auto& d = fail_here(DiagnosticKind::unsupported_construct, "nested replacement fields in a format spec are not supported yet");
                    d.notes.emplace_back(k_subset_note);
                    resync_field(triple);  // the nested field
                    resync_field(triple);  // this field
                    end = End::stop;
                    break;
                }
                seg.format_spec += c;
                ++m_pos;
            }
        }
        if (end == End::close) {
            ++m_pos;
            if (seg.tokens.empty() && ok) {
                ok = false;
                error(DiagnosticKind::expected_expression, span(b, m_pos), "f-string: empty expression not allowed");
            }
        }
        m_fstrings.pop_back();
        if (debug && ok) {
            // `{x=}` prints the expression's text, the `=` and the value's repr().
            StringSegment text;
            text.text = std::string(m_text.substr(expr_begin, debug_end - expr_begin));
            text.span = span(expr_begin, debug_end);
            str.segments.push_back(std::move(text));
            if (seg.conversion == 0 && seg.format_spec.empty()) seg.conversion = 'r';
        }
        if (!ok) {
            Token bad = make(TokenKind::invalid, m_pos, m_pos);
            seg.tokens.push_back(bad);
        }
        seg.tokens.push_back(make(TokenKind::eof, expr_end, expr_end));
        seg.span = span(expr_begin, expr_end);
        str.segments.push_back(std::move(seg));
    }
};

}  // namespace

bool is_python_keyword(std::string_view word) { return std::find(k_keywords.begin(), k_keywords.end(), word) != k_keywords.end(); }

LexResult lex_python(const SourceFile& file, DiagnosticList& diags) {
    LexResult out;
    Lexer lexer(file, diags, out);
    lexer.run();
    return out;
}

}  // namespace tasklab::python
