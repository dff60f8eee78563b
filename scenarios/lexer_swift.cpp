#include "lexer_swift.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <limits>

namespace tasklab::swift {

namespace {

constexpr std::array<std::string_view, 43> k_keywords = {
    "let",      "var",      "func",     "if",        "else",       "guard",          "while",
    "for",      "in",       "do",       "catch",     "try",        "await",          "throw",
    "throws",   "rethrows", "return",   "break",     "continue",   "switch",         "case",
    "default",  "struct",   "class",    "enum",      "protocol",   "extension",      "import",
    "init",     "deinit",   "subscript", "typealias", "operator",  "defer",          "repeat",
    "where",    "as",       "is",       "nil",       "true",       "false",          "self",
    "Self",
};
constexpr std::array<std::string_view, 5> k_more_keywords = {"super", "static", "inout", "associatedtype", "fallthrough"};

// Operators and punctuation, longest first within each leading character (maximal munch over
// this fixed list). `>>` and `>>=` are deliberately absent so `Task<Task<Int, Never>>` lexes
// as separate `>` tokens (the parser joins two touching `>` into a shift); `?` and `!` never
// glue to a following `.`/`=` except in `!=`/`!==`. The overflow, masking-shift and bitwise
// assignment operators come first: `&+` is one token, never `&` then `+`.
constexpr std::array<std::string_view, 56> k_operators = {
    "&<<=", "&>>=", "&<<", "&>>", "&+=", "&-=", "&*=", "&+", "&-", "&*", "&=", "|=", "^=", "<<=", "<<",
    "...", "..<", "===", "!==", "==", "!=", "<=", ">=", "&&", "||", "??", "->", "+=", "-=",
    "*=",  "/=",  "%=",  "+",   "-",  "*",  "/",  "%",  "<",  ">",  "!",  "?",  "=",  "&",
    "|",   "^",   "~",   ".",   "(",  ")",  "[",  "]",  "{",  "}",  ",",  ":",  ";",
};

constexpr int k_max_interpolation_depth = 32;

bool is_ident_start(unsigned char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_ident_continue(unsigned char c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
bool is_digit(unsigned char c) { return c >= '0' && c <= '9'; }
bool is_hex(unsigned char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

/// Decodes one UTF-8 code point at `pos`; returns its length, or 0 when the bytes are invalid.
std::uint32_t decode_utf8(std::string_view s, std::size_t pos, std::uint32_t& cp) {
    const auto b0 = static_cast<unsigned char>(s[pos]);
    std::uint32_t len = 0;
    if (b0 < 0x80) { cp = b0; return 1; }
    if ((b0 & 0xE0) == 0xC0) { cp = b0 & 0x1Fu; len = 2; }
    else if ((b0 & 0xF0) == 0xE0) { cp = b0 & 0x0Fu; len = 3; }
    else if ((b0 & 0xF8) == 0xF0) { cp = b0 & 0x07u; len = 4; }
    else return 0;
    if (pos + len > s.size()) return 0;
    for (std::uint32_t i = 1; i < len; ++i) {
        const auto b = static_cast<unsigned char>(s[pos + i]);
        if ((b & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (b & 0x3Fu);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
    if ((cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    return len;
}

/// Code points that look like whitespace or are invisible: never part of an identifier.
bool is_invisible_code_point(std::uint32_t cp) {
    return cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200F) || cp == 0x2028 || cp == 0x2029 || cp == 0x202F ||
           cp == 0x205F || cp == 0x3000 || cp == 0xFEFF;
}

std::string quote(std::string_view s) { return "`" + std::string(s) + "`"; }

/// Where a multi-line string's line began inside a segment's decoded text, and how many raw
/// spaces/tabs the source line started with (so indentation can be stripped afterwards).
struct LineStart {
    std::size_t segment = 0;
    std::size_t offset = 0;
    std::size_t whitespace = 0;
};

class Lexer {
public:
    Lexer(const SourceFile& file, DiagnosticList& diags, LexResult& out)
        : m_text(file.text()), m_diags(diags), m_out(out) {}

    void run() {
        if (m_text.substr(0, 3) == "\xEF\xBB\xBF") m_pos = 3;  // byte order mark
        m_space = true;
        m_newline = true;
        for (;;) {
            Token t = next();
            m_out.tokens.push_back(t);
            if (t.kind == TokenKind::eof) break;
        }
    }

private:
    std::string_view m_text;
    DiagnosticList& m_diags;
    LexResult& m_out;
    std::size_t m_pos = 0;
    bool m_space = false;
    bool m_newline = false;
    int m_interp_depth = 0;
    std::size_t m_raw_escape = 0;  // the backslash of a raw string's `\#` escape being read (0: none)
    const Token* m_last = nullptr;  // the previous token of the current token stream
    Token m_last_copy;

    [[nodiscard]] Span span(std::size_t b, std::size_t e) const {
        return {static_cast<std::uint32_t>(b), static_cast<std::uint32_t>(e)};
    }
    [[nodiscard]] char at(std::size_t p) const { return p < m_text.size() ? m_text[p] : '\0'; }

    Token make(TokenKind kind, std::size_t b, std::size_t e) {
        Token t;
        t.kind = kind;
        t.span = span(b, e);
        t.text = m_text.substr(b, e - b);
        t.space_before = m_space;
        t.newline_before = m_newline;
        m_space = false;
        m_newline = false;
        m_last_copy = t;
        m_last = &m_last_copy;
        return t;
    }

    // Skips whitespace and comments; records line comments.
    void skip_trivia() {
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v') {
                m_space = true;
                ++m_pos;
            } else if (c == '\n') {
                m_space = m_newline = true;
                ++m_pos;
            } else if (c == '/' && at(m_pos + 1) == '/') {
                const std::size_t b = m_pos;
                std::size_t e = m_text.find('\n', m_pos);
                if (e == std::string_view::npos) e = m_text.size();
                std::size_t body_end = e;
                if (body_end > b + 2 && m_text[body_end - 1] == '\r') --body_end;
                if (m_interp_depth == 0) m_out.comments.push_back({span(b, e), span(b + 2, body_end)});
                m_pos = e;
                m_space = true;
            } else if (c == '/' && at(m_pos + 1) == '*') {
                const std::size_t b = m_pos;
                int depth = 0;
                while (m_pos < m_text.size()) {
                    if (m_text[m_pos] == '/' && at(m_pos + 1) == '*') {
                        ++depth;
                        m_pos += 2;
                    } else if (m_text[m_pos] == '*' && at(m_pos + 1) == '/') {
                        --depth;
                        m_pos += 2;
                        if (depth == 0) break;
                    } else {
                        if (m_text[m_pos] == '\n') m_newline = true;
                        ++m_pos;
                    }
                }
                if (depth != 0) {
                    auto& d = m_diags.error(DiagnosticKind::unterminated_comment, span(b, b + 2),
                                            "unterminated block comment");
                    d.notes.push_back("the comment starts here and is never closed with `*/`");
                }
                m_space = true;
            } else {
                break;
            }
        }
    }

    Token next() {
        for (;;) {
            skip_trivia();
            if (m_pos >= m_text.size()) return make(TokenKind::eof, m_text.size(), m_text.size());
            const std::size_t b = m_pos;
            const auto c = static_cast<unsigned char>(m_text[m_pos]);
            if (is_ident_start(c) || c >= 0x80 || c == '$') {
                if (c >= 0x80) {
                    std::uint32_t cp = 0;
                    const std::uint32_t len = decode_utf8(m_text, m_pos, cp);
                    if (len == 0 || is_invisible_code_point(cp)) return invalid_run();
                }
                return identifier();
            }
            if (is_digit(c)) return number();
            if (c == '"') return string_literal();
            if (c == '`') {
                const std::size_t e = m_text.find('`', m_pos + 1);
                const std::size_t nl = m_text.find('\n', m_pos + 1);
                if (e != std::string_view::npos && (nl == std::string_view::npos || e < nl) && e > m_pos + 1) {
                    m_pos = e + 1;
                    Token t = make(TokenKind::identifier, b, m_pos);
                    t.text = m_text.substr(b + 1, e - b - 1);
                    return t;
                }
                return invalid_run();
            }
            if (c == '#') {
                if (at(m_pos + 1) == '"' || at(m_pos + 1) == '#') return raw_string();
                if (is_ident_start(static_cast<unsigned char>(at(m_pos + 1)))) {
                    m_pos += 2;
                    while (m_pos < m_text.size() && is_ident_continue(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
                    return make(TokenKind::pound, b, m_pos);
                }
                return invalid_run();
            }
            if (c == '@') {
                if (is_ident_start(static_cast<unsigned char>(at(m_pos + 1)))) {
                    m_pos += 2;
                    while (m_pos < m_text.size() && is_ident_continue(static_cast<unsigned char>(m_text[m_pos]))) ++m_pos;
                    return make(TokenKind::attribute, b, m_pos);
                }
                return invalid_run();
            }
            if (c == '\\') {
                ++m_pos;
                return make(TokenKind::punct, b, m_pos);
            }
            for (std::string_view op : k_operators) {
                if (m_text.substr(m_pos, op.size()) == op) {
                    m_pos += op.size();
                    return make(TokenKind::punct, b, m_pos);
                }
            }
            return invalid_run();
        }
    }

    // Reports one invalid_character for a run of bytes that start no token and returns them as
    // one invalid token (the parser then drops the statement without a second error).
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
            if (c < 0x20 || c == 0x7F || c == '`' || c == '#' || c == '@') return false;
            return true;
        };
        // Advance by whole code points so spans never cut a character in half.
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
            char buf[16];
            const auto r = std::to_chars(buf, buf + sizeof buf, cp, 16);
            std::string hex(buf, r.ptr);
            std::transform(hex.begin(), hex.end(), hex.begin(), [](char ch) { return static_cast<char>(std::toupper(static_cast<unsigned char>(ch))); });
            while (hex.size() < 4) hex.insert(hex.begin(), '0');
            what = "U+" + hex;
        } else {
            what = "byte 0x";
            const char* digits = "0123456789ABCDEF";
            what += digits[c0 >> 4];
            what += digits[c0 & 15];
        }
        // The span covers the first offending character only.
        m_diags.error(DiagnosticKind::invalid_character, span(b, b + step(b)), "invalid character " + what + " in source");
        return make(TokenKind::invalid, b, m_pos);
    }

    Token identifier() {
        const std::size_t b = m_pos;
        if (m_text[m_pos] == '$') ++m_pos;
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
        if (m_pos == b + 1 && m_text[b] == '$') {
            m_pos = b;
            return invalid_run();
        }
        const std::string_view word = m_text.substr(b, m_pos - b);
        return make(is_swift_keyword(word) ? TokenKind::keyword : TokenKind::identifier, b, m_pos);
    }

    Token number() {
        const std::size_t b = m_pos;
        // After a `.` member access (`pair.0.1`) only a plain integer may follow.
        const bool tuple_index = m_last && m_last->kind == TokenKind::punct && m_last->text == "." && !m_space;
        bool is_float = false;
        bool bad = false;
        int base = 10;
        if (m_text[m_pos] == '0' && (at(m_pos + 1) == 'x' || at(m_pos + 1) == 'b' || at(m_pos + 1) == 'o')) {
            base = at(m_pos + 1) == 'x' ? 16 : at(m_pos + 1) == 'b' ? 2 : 8;
            m_pos += 2;
            const std::size_t digits = m_pos;
            while (m_pos < m_text.size() && (is_hex(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) ++m_pos;
            if (m_pos == digits || m_text[digits] == '_') bad = true;
        } else {
            while (m_pos < m_text.size() && (is_digit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) ++m_pos;
            if (!tuple_index && at(m_pos) == '.' && is_digit(static_cast<unsigned char>(at(m_pos + 1)))) {
                is_float = true;
                ++m_pos;
                while (m_pos < m_text.size() && (is_digit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) ++m_pos;
            }
            if (!tuple_index && (at(m_pos) == 'e' || at(m_pos) == 'E')) {
                is_float = true;
                ++m_pos;
                if (at(m_pos) == '+' || at(m_pos) == '-') ++m_pos;
                if (!is_digit(static_cast<unsigned char>(at(m_pos)))) bad = true;
                while (m_pos < m_text.size() && (is_digit(static_cast<unsigned char>(m_text[m_pos])) || m_text[m_pos] == '_')) ++m_pos;
            }
        }
        // Letters glued to a number (`12abc`, `0xZZ`) make the whole word invalid.
        while (m_pos < m_text.size() && (is_ident_continue(static_cast<unsigned char>(m_text[m_pos])) ||
                                         static_cast<unsigned char>(m_text[m_pos]) >= 0x80)) {
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
        std::string clean;
        for (std::size_t i = b; i < m_pos; ++i)
            if (m_text[i] != '_') clean += m_text[i];
        Token t = make(is_float ? TokenKind::floating : TokenKind::integer, b, m_pos);
        if (!bad) {
            if (is_float) {
                double v = 0;
                const auto r = std::from_chars(clean.data(), clean.data() + clean.size(), v);
                if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) bad = true;
                t.double_value = v;
            } else {
                const std::size_t skip = base == 10 ? 0 : 2;
                std::uint64_t v = 0;
                const auto r = std::from_chars(clean.data() + skip, clean.data() + clean.size(), v, base);
                if (r.ec == std::errc::result_out_of_range) {
                    auto& d = m_diags.error(DiagnosticKind::invalid_number, t.span,
                                            "integer literal " + quote(t.text) + " overflows a 64-bit integer");
                    d.notes.push_back("the largest integer literal is 18446744073709551615 (UInt64.max)");
                    return t;
                }
                if (r.ec != std::errc() || r.ptr != clean.data() + clean.size()) bad = true;
                // Past Int.max only a UInt64 (or UInt) can hold it; the interpreter makes it one.
                t.above_int_max = v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
                t.int_value = static_cast<std::int64_t>(v);
            }
        }
        if (bad) m_diags.error(DiagnosticKind::invalid_number, t.span, "invalid number literal " + quote(t.text));
        return t;
    }

    // `#"…"#`, `##"…"##` and `#"""…"""#`: raw strings. Inside, a backslash is plain text unless
    // it is followed by as many `#` as the delimiter has (`\#n`, `\#(x)`).
    Token raw_string() {
        const std::size_t b = m_pos;
        std::size_t hashes = 0;
        while (at(m_pos) == '#') {
            ++hashes;
            ++m_pos;
        }
        if (at(m_pos) != '"') {
            m_pos = b;
            return invalid_run();
        }
        return string_literal(hashes);
    }

    // Decodes one escape at m_pos (which points at the backslash) into `out`.
    void escape(std::string& out) {
        const std::size_t b = m_pos;
        // Diagnostics show a raw string's escape from its backslash (`\#q`), not from the last `#`.
        const std::size_t shown = m_raw_escape != 0 ? m_raw_escape : b;
        m_raw_escape = 0;
        const char c = at(m_pos + 1);
        m_pos += 2;
        switch (c) {
            case 'n': out += '\n'; return;
            case 't': out += '\t'; return;
            case 'r': out += '\r'; return;
            case '0': out += '\0'; return;
            case '"': out += '"'; return;
            case '\'': out += '\''; return;
            case '\\': out += '\\'; return;
            case 'u': {
                if (at(m_pos) != '{') break;
                std::size_t p = m_pos + 1;
                std::uint32_t cp = 0;
                std::size_t digits = 0;
                while (is_hex(static_cast<unsigned char>(at(p))) && digits < 9) {
                    const char h = at(p);
                    cp = cp * 16 + static_cast<std::uint32_t>(is_digit(static_cast<unsigned char>(h)) ? h - '0' : (h | 0x20) - 'a' + 10);
                    ++p;
                    ++digits;
                }
                if (at(p) == '}' && digits >= 1 && digits <= 8 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF)) {
                    m_pos = p + 1;
                    append_utf8(out, cp);
                    return;
                }
                if (at(p) == '}') p += 1;
                m_pos = p;
                m_diags.error(DiagnosticKind::invalid_escape, span(shown, m_pos), "invalid unicode escape " + quote(m_text.substr(shown, m_pos - shown)))
                    .help.push_back("write `\\u{` then 1 to 8 hex digits of a valid code point, then `}`");
                return;
            }
            default: break;
        }
        if (c == '\n' || c == '\r' || c == '\0') {
            m_pos = b + 1;
            m_diags.error(DiagnosticKind::invalid_escape, span(shown, b + 1), "a backslash must be followed by an escape character");
            return;
        }
        // Keep whole code points in the span.
        std::uint32_t cp = 0;
        const std::uint32_t len = decode_utf8(m_text, b + 1, cp);
        m_pos = b + 1 + (len == 0 ? 1 : len);
        auto& d = m_diags.error(DiagnosticKind::invalid_escape, span(shown, m_pos), "invalid escape sequence " + quote(m_text.substr(shown, m_pos - shown)));
        d.help.push_back("valid escapes are \\n \\t \\r \\0 \\\" \\' \\\\ \\u{…} and \\( … ) for interpolation");
    }

    // A string literal at m_pos (its opening quote); `hashes` raw-string `#` precede it.
    Token string_literal(std::size_t hashes = 0) {
        const std::size_t b = m_pos - hashes;
        const std::string pounds(hashes, '#');
        const bool multiline = m_text.substr(m_pos, 3) == "\"\"\"";
        LexedString str;
        str.multiline = multiline;
        std::vector<LineStart> line_starts;
        std::size_t closing_indent = 0;
        bool closed = false;
        bool closing_on_own_line = false;
        bool reported = false;
        auto current = [&]() -> StringSegment& {
            if (str.segments.empty() || str.segments.back().is_interpolation) {
                str.segments.push_back({});
                str.segments.back().span = span(m_pos, m_pos);
            }
            return str.segments.back();
        };
        auto mark_line_start = [&] {
            std::size_t ws = 0;
            while (at(m_pos + ws) == ' ' || at(m_pos + ws) == '\t') ++ws;
            StringSegment& seg = current();
            line_starts.push_back({str.segments.size() - 1, seg.text.size(), ws});
            seg.text.append(m_text.substr(m_pos, ws));
            m_pos += ws;
        };
        if (multiline) {
            m_pos += 3;
            while (at(m_pos) == ' ' || at(m_pos) == '\t' || at(m_pos) == '\r') ++m_pos;
            if (at(m_pos) != '\n') {
                auto& d = m_diags.error(DiagnosticKind::unterminated_string, span(b, b + 3),
                                        "multi-line string literal content must begin on a new line");
                d.help.push_back("put a line break right after the opening `\"\"\"`");
            } else {
                ++m_pos;
                mark_line_start();
            }
        } else {
            ++m_pos;
        }
        while (m_pos < m_text.size()) {
            const char c = m_text[m_pos];
            if (c == '"') {
                if (!multiline && m_text.substr(m_pos + 1, hashes) == pounds) {
                    m_pos += 1 + hashes;
                    closed = true;
                    break;
                }
                if (multiline && m_text.substr(m_pos, 3) == "\"\"\"" && m_text.substr(m_pos + 3, hashes) == pounds) {
                    // The closing delimiter's indentation is what precedes it on its line.
                    std::size_t ls = m_pos;
                    while (ls > b && (m_text[ls - 1] == ' ' || m_text[ls - 1] == '\t')) --ls;
                    closing_on_own_line = ls > b && m_text[ls - 1] == '\n';
                    closing_indent = m_pos - ls;
                    m_pos += 3 + hashes;
                    closed = true;
                    break;
                }
                current().text += c;
                ++m_pos;
                continue;
            }
            if (c == '\n' || (c == '\r' && at(m_pos + 1) == '\n')) {
                if (!multiline) break;
                if (c == '\r') ++m_pos;
                current().text += '\n';
                ++m_pos;
                mark_line_start();
                continue;
            }
            if (c == '\\' && hashes > 0) {
                // In a raw string only `\#…` (as many `#` as the delimiter) escapes; the
                // backslash then stands just before the escape character.
                if (m_text.substr(m_pos + 1, hashes) != pounds) {
                    current().text += c;
                    ++m_pos;
                    continue;
                }
                m_raw_escape = m_pos;
                m_pos += hashes;
            }
            if (c == '\\') {
                if (at(m_pos + 1) == '(') {
                    if (!interpolation(str, multiline, b)) {
                        reported = true;
                        break;
                    }
                    continue;
                }
                if (multiline && (at(m_pos + 1) == '\n' || (at(m_pos + 1) == '\r' && at(m_pos + 2) == '\n'))) {
                    // Line continuation: the line break is not part of the string.
                    m_pos += at(m_pos + 1) == '\r' ? 3 : 2;
                    mark_line_start();
                    continue;
                }
                escape(current().text);
                continue;
            }
            current().text += c;
            ++m_pos;
        }
        if (!closed && !reported) {
            std::size_t e = m_pos;
            if (!multiline) {
                const std::size_t nl = m_text.find('\n', b);
                e = nl == std::string_view::npos ? m_text.size() : nl;
                if (m_pos > e) e = m_pos;
                m_pos = e;
            }
            auto& d = m_diags.error(DiagnosticKind::unterminated_string, span(b, multiline ? b + 3 : e),
                                    "unterminated string literal");
            d.help.push_back(multiline ? "close it with `\"\"\"" + pounds + "` on a line of its own"
                                       : "close it with `\"" + pounds + "` before the end of the line");
        }
        if (multiline && closed && closing_on_own_line) strip_indentation(str, line_starts, closing_indent);
        if (!str.segments.empty()) {
            // Segment spans: literal pieces run up to the next interpolation (or the literal's end).
            for (std::size_t i = 0; i < str.segments.size(); ++i) {
                if (str.segments[i].is_interpolation) continue;
                const std::uint32_t next_begin =
                    i + 1 < str.segments.size() ? str.segments[i + 1].span.begin - 2 - static_cast<std::uint32_t>(hashes)
                                                : static_cast<std::uint32_t>(m_pos);
                str.segments[i].span.end = std::max(str.segments[i].span.begin, next_begin);
            }
        }
        // A broken literal becomes an invalid token: the parser then adds no error of its own.
        Token t = make(closed ? TokenKind::string : TokenKind::invalid, b, m_pos);
        t.string_index = static_cast<std::uint32_t>(m_out.strings.size());
        m_out.strings.push_back(std::move(str));
        return t;
    }

    // Removes the closing delimiter's indentation from every line, and the final line break.
    static void strip_indentation(LexedString& str, const std::vector<LineStart>& starts, std::size_t indent) {
        // The last line start is the closing delimiter's line: drop it and its preceding '\n'.
        for (std::size_t k = starts.size(); k-- > 0;) {
            const LineStart& ls = starts[k];
            std::string& text = str.segments[ls.segment].text;
            if (k + 1 == starts.size()) {
                const std::size_t cut = ls.offset > 0 ? ls.offset - 1 : 0;
                if (cut < text.size()) text.erase(cut);
                continue;
            }
            const std::size_t n = std::min(indent, ls.whitespace);
            if (ls.offset + n <= text.size()) text.erase(ls.offset, n);
        }
        // Drop empty literal segments (but keep one so an empty string stays a plain literal).
        std::vector<StringSegment> kept;
        for (auto& s : str.segments)
            if (s.is_interpolation || !s.text.empty()) kept.push_back(std::move(s));
        str.segments = std::move(kept);
    }

    // Lexes `\( … )` at m_pos into a new interpolation segment. False when the string must end.
    bool interpolation(LexedString& str, bool multiline, std::size_t string_begin) {
        const std::size_t b = m_pos;
        if (m_interp_depth >= k_max_interpolation_depth) {
            auto& d = m_diags.error(DiagnosticKind::unsupported_construct, span(b, b + 2), "string interpolation nested too deeply");
            d.notes.push_back("tasklab runs a subset of Swift; see docs/language.md");
            const std::size_t nl = m_text.find('\n', m_pos);
            m_pos = nl == std::string_view::npos ? m_text.size() : nl;
            return false;
        }
        m_pos += 2;
        StringSegment seg;
        seg.is_interpolation = true;
        const bool saved_space = m_space;
        const bool saved_newline = m_newline;
        const Token* saved_last = m_last;
        const Token saved_copy = m_last_copy;
        m_space = false;
        m_newline = false;
        m_last = nullptr;
        ++m_interp_depth;
        int depth = 0;
        bool ok = true;
        const std::size_t errors_before = m_diags.size();
        for (;;) {
            const std::size_t before = m_pos;
            // A single-line literal ends at the line break: look for it before lexing the next
            // token, since that token may be a whole string literal (with interpolations of its
            // own) that would be thrown away and lexed again by every enclosing level.
            bool line_ends = false;
            if (!multiline) {
                skip_trivia();
                line_ends = m_newline || m_pos >= m_text.size();
                if (line_ends) m_newline = m_space = false;
            }
            Token t = line_ends ? Token{} : next();
            if (line_ends || t.kind == TokenKind::eof || (!multiline && t.newline_before)) {
                m_pos = before;
                // A broken literal nested in the interpolation already explains the failure.
                if (m_diags.size() == errors_before) {
                    auto& d = m_diags.error(DiagnosticKind::unterminated_string,
                                            span(string_begin, string_begin + (multiline ? 3 : 1)), "unterminated string literal");
                    d.notes.push_back("the interpolation `\\(` is never closed with `)`");
                }
                ok = false;
                break;
            }
            if (t.kind == TokenKind::punct && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
            if (t.kind == TokenKind::punct && (t.text == "]" || t.text == "}") && depth > 0) --depth;
            if (t.kind == TokenKind::punct && t.text == ")") {
                if (depth == 0) {
                    seg.tokens.push_back(t);
                    break;
                }
                --depth;
            }
            seg.tokens.push_back(t);
        }
        --m_interp_depth;
        Token eof;
        eof.kind = TokenKind::eof;
        eof.span = span(m_pos, m_pos);
        eof.space_before = true;
        if (!ok) {
            // Close the expression so the parser reports nothing more than the lexer did.
            Token close;
            close.kind = TokenKind::invalid;
            close.span = span(m_pos, m_pos);
            seg.tokens.push_back(close);
        }
        seg.tokens.push_back(eof);
        seg.span = span(b + 2, ok ? m_pos - 1 : m_pos);
        m_space = saved_space;
        m_newline = saved_newline;
        m_last_copy = saved_copy;
        m_last = saved_last ? &m_last_copy : nullptr;
        str.segments.push_back(std::move(seg));
        return ok;
    }
};

}  // namespace

bool is_swift_keyword(std::string_view word) {
    return std::find(k_keywords.begin(), k_keywords.end(), word) != k_keywords.end() ||
           std::find(k_more_keywords.begin(), k_more_keywords.end(), word) != k_more_keywords.end();
}

LexResult lex_swift(const SourceFile& file, DiagnosticList& diags) {
    LexResult out;
    Lexer lexer(file, diags, out);
    lexer.run();
    return out;
}

}  // namespace tasklab::swift
