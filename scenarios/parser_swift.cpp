// The parser of tasklab's Swift subset: tokens from lexer_swift.hpp in, the shared AST out.
//
// A hand-written recursive-descent parser with Swift's operator precedence. Statements end at
// a line break, a `;` or the `}` of their block, as in Swift. Error recovery works by
// statement: the first error in a statement is reported, the parser enters "panic" (no more
// reports), unwinds to the nearest statement list, skips the broken statement by balanced
// brackets and carries on; after 20 errors it stops (stopping also abandons the statement, so
// every loop guarded by "no error yet" ends). Every loop consumes a token or stops, and
// nesting is capped (k_max_depth, right-associative chains and prefix operators included) so
// no input can overflow the C++ stack; the finished tree's height is checked without
// recursion (front_end_limits.hpp). Every token read is counted (ParseResult::parser_work);
// past k_parser_work_per_token reads per token the parser sees only the end of the file, a
// safety net that tests check is never needed.
#include <algorithm>
#include <limits>
#include <optional>

#include "ast_walk.hpp"
#include "directives.hpp"
#include "front_end_limits.hpp"
#include "frontend.hpp"
#include "lexer_swift.hpp"

namespace tasklab {

namespace {

using namespace ast;
using swift::Token;
using swift::TokenKind;

constexpr int k_max_depth = 256;
constexpr std::size_t k_max_errors = 20;
constexpr int k_max_type_depth = 64;
constexpr int k_max_shorthand = 99;  // `$0` … `$99`
constexpr const char* k_subset_note = "tasklab runs a subset of Swift; see docs/language.md";
constexpr std::size_t k_npos = static_cast<std::size_t>(-1);

/// Whether a token must be on the current line (an `end of line` is then what was found).
enum class SameLine : std::uint8_t { no, yes };
/// Whether a `{` after an expression may start a trailing closure here.
enum class TrailingClosures : std::uint8_t { allowed, forbidden };

enum class BlockEnd : std::uint8_t {
    brace,
    eof,
    switch_case,  ///< a `switch` case body: also ends before the next `case` / `default`
};
/// Grammatical number of an unsupported construct's name ("`actor` is", "key paths are").
enum class Number : std::uint8_t { singular, plural };

bool is_modifier_word(std::string_view w) {
    static constexpr std::string_view words[] = {"private",  "fileprivate", "internal", "public",    "open",
                                                 "final",    "override",    "mutating", "nonmutating", "nonisolated",
                                                 "convenience", "required", "weak",     "unowned",   "dynamic",
                                                 "indirect", "lazy",        "prefix",   "postfix",   "infix"};
    return std::find(std::begin(words), std::end(words), w) != std::end(words);
}

bool is_harmless_attribute(std::string_view name) {
    static constexpr std::string_view names[] = {"discardableResult", "available",  "Sendable",    "escaping",
                                                 "inlinable",         "inline",     "usableFromInline", "frozen",
                                                 "preconcurrency",    "unchecked",  "autoclosure", "warn_unqualified_access"};
    return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

class Parser {
public:
    Parser(const SourceFile& file, const swift::LexResult& lex, Program& program, DiagnosticList& diags)
        : m_file(file), m_lex(lex), m_program(program), m_diags(diags), m_toks(&lex.tokens) {
        std::uint64_t tokens = lex.tokens.size();
        for (const swift::LexedString& ls : lex.strings)
            for (const swift::StringSegment& seg : ls.segments) tokens += seg.tokens.size();
        m_work_budget = k_parser_work_per_token * (tokens + 1);
        m_eof.kind = TokenKind::eof;
        m_eof.span = Span{static_cast<std::uint32_t>(file.text().size()), static_cast<std::uint32_t>(file.text().size())};
        m_eof.space_before = m_eof.newline_before = true;
    }

    void run() {
        parse_items(m_program.body, BlockEnd::eof, nullptr);
        if (m_over_budget) {
            m_stop = false;
            m_panic = false;
            m_last_error_pos = static_cast<std::uint32_t>(-1);
            m_diags.error(DiagnosticKind::front_end_limit, Span{m_prev_end, m_prev_end},
                          "the parser gave up: this input needs more than " + std::to_string(k_parser_work_per_token) +
                              " steps per token");
        }
    }
    /// Tokens read so far (every tok(), peek() and at()).
    [[nodiscard]] std::uint64_t work() const { return m_work; }

private:
    const SourceFile& m_file;
    const swift::LexResult& m_lex;
    Program& m_program;
    DiagnosticList& m_diags;

    const std::vector<Token>* m_toks;
    std::size_t m_i = 0;
    mutable std::uint64_t m_work = 0;   // tokens read
    mutable bool m_over_budget = false;
    std::uint64_t m_work_budget = 0;
    Token m_eof;                        // what every read returns once over budget
    std::uint32_t m_prev_end = 0;

    bool m_panic = false;         // an error was reported in the current statement
    bool m_stop = false;          // too many errors: stop parsing
    bool m_too_deep_reported = false;
    std::uint32_t m_last_error_pos = static_cast<std::uint32_t>(-1);
    const std::vector<Token>* m_error_stream = nullptr;
    std::size_t m_error_at = 0;   // token index of the last error, in m_error_stream
    int m_depth = 0;
    bool m_trailing_allowed = true;
    std::vector<int> m_closures;  // highest `$N` used in each open closure (-1: none)
    /// Where a statement stands, for the checks swiftc makes before running anything: `break`
    /// and `continue` need a loop of their own function, and nothing leaves a `defer` body.
    struct JumpContext {
        int loops = 0;
        bool in_defer = false;
        bool in_do = false;  ///< inside a `do` body of that defer: its `catch` may take a throw
        int switches = 0;    ///< enclosing `switch` statements (an unlabelled `break` may leave one)
        bool in_case = false;  ///< directly in a `switch` case body (`fallthrough` may be written)
        /// Labels in scope, innermost last, each with whether it labels a loop.
        std::vector<std::pair<std::string, bool>> labels;
    };
    /// The context of a loop body inside the current one.
    [[nodiscard]] JumpContext loop_context() const {
        JumpContext c = m_jumps;
        ++c.loops;
        c.in_case = false;
        return c;
    }

    JumpContext m_jumps;
    /// Sets the jump context for a body and puts the enclosing one back after it.
    struct JumpScope {
        Parser& p;
        JumpContext saved;
        JumpScope(Parser& parser, JumpContext now) : p(parser), saved(parser.m_jumps) { p.m_jumps = now; }
        ~JumpScope() { p.m_jumps = saved; }
        JumpScope(const JumpScope&) = delete;
        JumpScope& operator=(const JumpScope&) = delete;
    };
    /// A jump swiftc refuses: reported where it is written, the statement is dropped.
    void invalid_jump(Span span, std::string message) {
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, span, std::move(message)))
            d->notes.emplace_back("swiftc rejects it before running anything");
    }
    std::size_t m_scan_inout = k_npos;  // where the last type scan met `inout`
    /// Further declarations of one `let a = 1, b = 2` statement: parse_items appends them
    /// after the first.
    std::vector<const Stmt*> m_pending;
    bool m_in_protocol = false;           // parsing a protocol's requirements: bodies are optional
    const TypeDecl* m_member_owner = nullptr;  // the type whose member starts at token m_member_at
    std::size_t m_member_at = k_npos;
    std::size_t m_arg_start = k_npos;     // token index where the current call argument begins (`&x` allowed)
    /// What `#function` names in the declaration being parsed ("f(a:_:)", "init()", a
    /// property's name); the top level is the module, `main`.
    std::vector<std::string> m_function_names;
public:
    /// Swift 6 language mode (`// tasklab: swift-version 6`): `#file` is then `#fileID`.
    bool swift6 = false;
private:

    // ---------------------------------------------------------------------------------
    // Tokens
    // ---------------------------------------------------------------------------------

    [[nodiscard]] bool counted_read() const {
        if (++m_work > m_work_budget) m_over_budget = true;
        return !m_over_budget;
    }
    [[nodiscard]] const Token& tok() const { return counted_read() ? (*m_toks)[m_i] : m_eof; }
    [[nodiscard]] const Token& at(std::size_t j) const {
        return counted_read() ? (*m_toks)[std::min(j, m_toks->size() - 1)] : m_eof;
    }
    [[nodiscard]] const Token& peek(std::size_t n = 1) const { return at(m_i + n); }
    void advance() {
        if (tok().kind != TokenKind::eof) {
            m_prev_end = tok().span.end;
            ++m_i;
        }
    }
    void skip_to(std::size_t j) {
        while (m_i < j && tok().kind != TokenKind::eof) advance();
    }
    static bool is_punct(const Token& t, std::string_view p) { return t.kind == TokenKind::punct && t.text == p; }
    static bool is_kw(const Token& t, std::string_view k) { return t.kind == TokenKind::keyword && t.text == k; }
    static bool is_word(const Token& t, std::string_view w) { return t.kind == TokenKind::identifier && t.text == w; }
    static bool is_name_like(const Token& t) { return t.kind == TokenKind::identifier || t.kind == TokenKind::keyword; }
    [[nodiscard]] bool at_eof() const { return tok().kind == TokenKind::eof; }
    bool accept_punct(std::string_view p) {
        if (!is_punct(tok(), p)) return false;
        advance();
        return true;
    }
    /// True when whitespace (or the end) follows token j.
    [[nodiscard]] bool space_after(std::size_t j) const {
        const Token& n = at(j + 1);
        return n.space_before || n.kind == TokenKind::eof || j + 1 >= m_toks->size();
    }
    [[nodiscard]] Span from(std::uint32_t begin) const { return {begin, std::max(begin, m_prev_end)}; }

    // ---------------------------------------------------------------------------------
    // Diagnostics
    // ---------------------------------------------------------------------------------

    /// How a found token reads in "expected X, found Y".
    [[nodiscard]] std::string describe(const Token& t, SameLine same = SameLine::no) const {
        if (t.kind == TokenKind::eof) return "end of file";
        if (same == SameLine::yes && t.newline_before) return "end of line";
        switch (t.kind) {
            case TokenKind::string: return "a string literal";
            case TokenKind::invalid: return "an invalid token";
            default: return "`" + std::string(t.text) + "`";
        }
    }
    [[nodiscard]] Span found_span(const Token& t, SameLine same = SameLine::no) const {
        if (t.kind == TokenKind::eof || (same == SameLine::yes && t.newline_before)) return {m_prev_end, m_prev_end};
        return t.span;
    }

    /// Reports an error unless the statement already has one; does not enter panic.
    Diagnostic* report(DiagnosticKind kind, Span span, std::string message) {
        if (m_panic || m_stop) return nullptr;
        // A second error at the very place of the previous one (typically the end of the
        // file after an unclosed construct) adds nothing.
        if (span.begin == m_last_error_pos) return nullptr;
        m_last_error_pos = span.begin;
        if (m_diags.size() >= k_max_errors) {
            m_stop = m_panic = true;
            return nullptr;
        }
        Diagnostic& d = m_diags.error(kind, span, std::move(message));
        if (m_diags.size() >= k_max_errors) {
            d.notes.push_back("too many errors; stopping here");
            // Stopping abandons the statement too: loops that run while there is no error
            // yet must end, whatever the caller does with this report.
            m_stop = m_panic = true;
        }
        return &d;
    }
    /// Reports an error and enters panic: the statement is abandoned.
    Diagnostic* fail(DiagnosticKind kind, Span span, std::string message) {
        Diagnostic* d = report(kind, span, std::move(message));
        if (!m_panic) {
            m_error_stream = m_toks;
            m_error_at = m_i;
        }
        m_panic = true;
        return d;
    }
    void unsupported(Span span, const std::string& what, Number number = Number::singular) {
        const char* verb = number == Number::singular ? " is not supported yet" : " are not supported yet";
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, span, what + verb)) d->notes.emplace_back(k_subset_note);
    }
    void expected(const std::string& what, SameLine same = SameLine::no) {
        fail(DiagnosticKind::expected_token, found_span(tok(), same), "expected " + what + ", found " + describe(tok(), same));
    }
    bool expect_punct(std::string_view p, SameLine same = SameLine::no) {
        if (accept_punct(p)) return true;
        if (tok().kind == TokenKind::invalid) {
            m_panic = true;  // the lexer already reported it
            return false;
        }
        expected("`" + std::string(p) + "`", same);
        return false;
    }
    /// Expects a closing delimiter after a list: "expected `)`" when the list ended on a
    /// closer or the file end, "expected `,` or `)`" when something else follows an element.
    void expect_list_close(std::string_view close) {
        if (accept_punct(close)) return;
        const Token& t = tok();
        if (t.kind == TokenKind::invalid) {
            m_panic = true;
            return;
        }
        const bool closer = t.kind == TokenKind::eof || t.newline_before || is_punct(t, ")") || is_punct(t, "]") || is_punct(t, "}");
        expected(closer ? "`" + std::string(close) + "`" : "`,` or `" + std::string(close) + "`");
    }

    struct DepthGuard {
        Parser& p;
        bool ok;
        explicit DepthGuard(Parser& parser) : p(parser) {
            ++p.m_depth;
            ok = p.m_depth <= k_max_depth && !p.m_stop;
            if (p.m_depth > k_max_depth) p.too_deep();
        }
        ~DepthGuard() { --p.m_depth; }
        DepthGuard(const DepthGuard&) = delete;
        DepthGuard& operator=(const DepthGuard&) = delete;
    };
    void too_deep() {
        if (m_too_deep_reported) {
            m_panic = true;
            return;
        }
        m_too_deep_reported = true;
        if (Diagnostic* d = fail(DiagnosticKind::front_end_limit, tok().span,
                                 "expression too deeply nested (limit " + std::to_string(k_max_depth) + ")"))
            d->notes.push_back("brackets, blocks, closures, prefix operators and right-associative operators (`??`) each "
                               "add a level; swiftc also stops at 256");
    }

    struct TrailingScope {
        Parser& p;
        bool saved;
        TrailingScope(Parser& parser, TrailingClosures t) : p(parser), saved(parser.m_trailing_allowed) {
            p.m_trailing_allowed = t == TrailingClosures::allowed;
        }
        ~TrailingScope() { p.m_trailing_allowed = saved; }
        TrailingScope(const TrailingScope&) = delete;
        TrailingScope& operator=(const TrailingScope&) = delete;
    };

    /// Parses from another token stream (a string interpolation), then comes back.
    struct StreamScope {
        Parser& p;
        const std::vector<Token>* toks;
        std::size_t i;
        std::uint32_t prev_end;
        StreamScope(Parser& parser, const std::vector<Token>* stream)
            : p(parser), toks(parser.m_toks), i(parser.m_i), prev_end(parser.m_prev_end) {
            p.m_toks = stream;
            p.m_i = 0;
        }
        ~StreamScope() {
            p.m_toks = toks;
            p.m_i = i;
            p.m_prev_end = prev_end;
        }
        StreamScope(const StreamScope&) = delete;
        StreamScope& operator=(const StreamScope&) = delete;
    };

    const Expr* error_expr() { return m_program.make<Name>(tok().span, "<error>"); }

    // ---------------------------------------------------------------------------------
    // Recovery
    // ---------------------------------------------------------------------------------

    static bool starts_statement(const Token& t) {
        static constexpr std::string_view kws[] = {"let", "var",    "func",   "if",     "guard",  "while", "for",
                                                   "return", "struct", "class", "enum", "import", "do",    "defer",
                                                   "throw"};
        return t.kind == TokenKind::keyword && std::find(std::begin(kws), std::end(kws), t.text) != std::end(kws);
    }

    /// Skips one statement by balanced brackets: stops at a line break or `;` outside any
    /// bracket, before a `}` that closes the enclosing block, or at the end of the file.
    void sync() {
        std::vector<char> open;
        bool first = true;
        while (!at_eof()) {
            const Token& t = tok();
            const bool has_brace = std::find(open.begin(), open.end(), '{') != open.end();
            if (!first && t.newline_before && (open.empty() || (!has_brace && starts_statement(t)))) break;
            if (t.kind == TokenKind::punct) {
                if (t.text == ";" && open.empty()) break;
                if (t.text == "(" || t.text == "[" || t.text == "{") open.push_back(t.text[0]);
                if (t.text == ")" || t.text == "]") {
                    const char want = t.text == ")" ? '(' : '[';
                    if (!open.empty() && open.back() == want) open.pop_back();
                }
                if (t.text == "}") {
                    if (!has_brace) break;
                    while (!open.empty() && open.back() != '{') open.pop_back();
                    open.pop_back();
                }
            }
            advance();
            first = false;
        }
    }

    /// Abandons the statement that began at token `start` and moves past it.
    void recover(std::size_t start) {
        const bool same_stream = m_error_stream == m_toks;
        const std::size_t error_at = m_error_at;
        m_i = start;
        m_prev_end = m_i > 0 ? at(m_i - 1).span.end : 0;
        sync();
        if (same_stream && m_i < error_at) {
            skip_to(error_at);
            sync();
        }
        if (!m_stop) m_panic = false;
    }

    // ---------------------------------------------------------------------------------
    // Statement lists
    // ---------------------------------------------------------------------------------

    /// Parses statements (or, with `owner`, the members of a type body) until `}` or the end.
    void parse_items(Block& out, BlockEnd end, TypeDecl* owner) {
        while (!m_stop) {
            while (accept_punct(";")) {}
            const Token& t = tok();
            if (t.kind == TokenKind::eof) break;
            if (end == BlockEnd::switch_case && (is_kw(t, "case") || is_kw(t, "default") ||
                                                 (t.kind == TokenKind::attribute && t.text == "@unknown")))
                break;
            if (is_punct(t, "}")) {
                if (end != BlockEnd::eof) break;
                if (Diagnostic* d = report(DiagnosticKind::expected_token, t.span, "expected a statement, found `}`"))
                    d->notes.emplace_back("this `}` has no matching `{`");
                advance();
                continue;
            }
            const std::size_t start = m_i;
            const Stmt* s = owner ? parse_member(*owner) : parse_statement();
            std::vector<const Stmt*> more;
            more.swap(m_pending);
            if (!m_panic && s) {
                out.push_back(s);
                out.insert(out.end(), more.begin(), more.end());
            }
            if (!m_panic && !m_stop) {
                const Token& n = tok();
                if (is_punct(n, ";")) {
                    advance();
                } else if (!(n.kind == TokenKind::eof || is_punct(n, "}") || n.newline_before ||
                             (end == BlockEnd::switch_case && (is_kw(n, "case") || is_kw(n, "default"))))) {
                    if (n.kind == TokenKind::invalid) {
                        m_panic = true;
                        m_error_stream = m_toks;
                        m_error_at = m_i;
                    } else if (Diagnostic* d = fail(DiagnosticKind::expected_token, n.span,
                                                    "expected `;` or a line break, found " + describe(n))) {
                        d->notes.emplace_back("consecutive statements on a line must be separated by `;`");
                    }
                }
            }
            if (m_stop) break;
            if (m_panic) recover(start);
            if (m_i == start && !at_eof() && !is_punct(tok(), "}")) advance();
        }
    }

    /// `{ statements }` into `out`.
    void parse_brace_block(Block& out) {
        if (m_panic) return;
        if (!expect_punct("{")) return;
        TrailingScope scope(*this, TrailingClosures::allowed);
        parse_items(out, BlockEnd::brace, nullptr);
        if (!m_stop) expect_punct("}");
    }

    // ---------------------------------------------------------------------------------
    // Statements
    // ---------------------------------------------------------------------------------

    struct Modifiers {
        bool any = false;
        bool is_static = false;
        bool is_lazy = false;
        bool is_mutating = false;
        bool is_main = false;   ///< `@main`
        Span main_span;
        bool main_actor = false;   ///< `@MainActor`
        bool nonisolated = false;  ///< `nonisolated` (also `nonisolated(unsafe)`)
        Span first;
    };

    /// Attributes (`@discardableResult`) and modifiers (`static`, `private`, `final`) before a
    /// declaration. Unsupported ones are reported.
    Modifiers parse_modifiers() {
        Modifiers m;
        while (!m_panic) {
            const Token& t = tok();
            if (t.kind == TokenKind::attribute) {
                const std::string_view name = t.text.substr(1);
                if (name == "globalActor") {
                    unsupported(t.span, "`" + std::string(t.text) + "` on declarations");
                    return m;
                }
                if (name == "main") {
                    if (!m.any) m.first = t.span;
                    m.any = true;
                    m.is_main = true;
                    m.main_span = t.span;
                    advance();
                    continue;
                }
                if (name == "MainActor") {
                    if (!m.any) m.first = t.span;
                    m.any = true;
                    m.main_actor = true;
                    advance();
                    continue;
                }
                if (!is_harmless_attribute(name)) {
                    unsupported(t.span, "the `" + std::string(t.text) + "` attribute");
                    return m;
                }
                if (!m.any) m.first = t.span;
                m.any = true;
                advance();
                if (is_punct(tok(), "(") && !tok().space_before) skip_balanced_here();
                continue;
            }
            const Token& n = peek();
            const bool before_decl = n.kind == TokenKind::keyword || is_modifier_word(n.text) || is_word(n, "actor") ||
                                     is_word(n, "async") || (n.kind == TokenKind::punct && n.text == "(");
            if (t.kind == TokenKind::identifier && is_modifier_word(t.text) && before_decl && !n.newline_before) {
                if (t.text == "lazy") m.is_lazy = true;
                if (t.text == "mutating") m.is_mutating = true;
                if (t.text == "prefix" || t.text == "postfix" || t.text == "infix") {
                    unsupported(t.span, "custom operators", Number::plural);
                    return m;
                }
                if (is_punct(n, "(")) {
                    // `private(set)`, `nonisolated(unsafe)`, `unowned(safe)`
                    if (!(t.text == "private" || t.text == "fileprivate" || t.text == "internal" || t.text == "public" ||
                          t.text == "open" || t.text == "nonisolated" || t.text == "unowned"))
                        break;
                    if (!m.any) m.first = t.span;
                    m.any = true;
                    if (t.text == "nonisolated") m.nonisolated = true;
                    advance();
                    skip_balanced_here();
                    continue;
                }
                if (!m.any) m.first = t.span;
                m.any = true;
                if (t.text == "nonisolated") m.nonisolated = true;
                advance();
                continue;
            }
            if (is_kw(t, "static") || (is_kw(t, "class") && (is_kw(n, "func") || is_kw(n, "var") || is_kw(n, "let")))) {
                if (!m.any) m.first = t.span;
                m.any = true;
                m.is_static = true;
                advance();
                continue;
            }
            break;
        }
        return m;
    }

    /// Skips a balanced bracket group starting at the current token.
    void skip_balanced_here() {
        const std::size_t e = skip_balanced(m_i);
        if (e == k_npos) {
            expected("a closing bracket");
            return;
        }
        skip_to(e);
    }

    /// Index just past the bracket group that opens at j, or k_npos.
    [[nodiscard]] std::size_t skip_balanced(std::size_t j) const {
        std::vector<char> open;
        for (; j < m_toks->size(); ++j) {
            const Token& t = at(j);
            if (t.kind == TokenKind::eof) return k_npos;
            if (t.kind != TokenKind::punct) continue;
            if (t.text == "(" || t.text == "[" || t.text == "{") open.push_back(t.text[0]);
            else if (t.text == ")" || t.text == "]" || t.text == "}") {
                const char want = t.text == ")" ? '(' : t.text == "]" ? '[' : '{';
                if (open.empty() || open.back() != want) return k_npos;
                open.pop_back();
                if (open.empty()) return j + 1;
            }
        }
        return k_npos;
    }

    const Stmt* parse_statement() {
        DepthGuard guard(*this);
        if (!guard.ok) return nullptr;
        const std::uint32_t begin = tok().span.begin;
        const TypeDecl* owner = m_member_at == m_i ? m_member_owner : nullptr;  // a member of this type
        const Modifiers mods = parse_modifiers();
        if (m_panic) return nullptr;
        const Token& t = tok();
        if (t.kind == TokenKind::keyword) {
            const std::string_view k = t.text;
            if (mods.is_main && !(k == "struct" || k == "class" || k == "enum")) {
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, mods.main_span,
                                         "`@main` may only be used on a struct, class or enum"))
                    d->notes.emplace_back("swiftc rejects it before running anything");
                return nullptr;
            }
            if (k == "let" || k == "var") return parse_var_decl(begin, k == "let" ? BindingKind::let : BindingKind::var, &mods);
            if (k == "func") return parse_func(begin, mods);
            if (k == "init") return parse_init(begin, mods);
            if (k == "struct" || k == "class" || k == "enum") return parse_type_decl(begin, mods);
            if (k == "protocol") return parse_protocol(begin);
            if (k == "extension") return parse_extension(begin);
            if (k == "typealias") return parse_typealias(begin);
            if (k == "deinit" && owner && (owner->type_kind == TypeKind::class_ || owner->type_kind == TypeKind::actor_))
                return parse_deinit(begin);
            if (k == "subscript" && owner && owner->type_kind != TypeKind::protocol_) return parse_subscript(begin, mods);
            if (k == "deinit" || k == "subscript") {
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, t.span,
                                         k == "deinit" ? "`deinit` may only be declared in a class or an actor"
                                                       : "`subscript` may only be declared in a type or an extension"))
                    d->notes.emplace_back("swiftc rejects it before running anything");
                return nullptr;
            }
            if (k == "operator" || k == "associatedtype") {
                unsupported(t.span, "`" + std::string(k) + "`");
                return nullptr;
            }
            if (mods.any) {
                expected("a declaration");
                return nullptr;
            }
            if (k == "import") return parse_import(begin);
            if (k == "if") return parse_if(begin);
            if (k == "guard") return parse_guard(begin);
            if (k == "while") return parse_while(begin);
            if (k == "for") return parse_for(begin);
            if (k == "do") return parse_do(begin);
            if (k == "switch") return parse_switch(begin);
            if (k == "repeat") return parse_repeat(begin);
            if (k == "fallthrough") return parse_fallthrough(begin);
            if (k == "defer") {
                advance();
                auto* d = m_program.make<Defer>(Span{begin, begin});
                {
                    JumpContext defer_context;
                    defer_context.in_defer = true;
                    JumpScope scope(*this, defer_context);
                    parse_brace_block(d->body);
                }
                d->span = from(begin);
                return d;
            }
            if (k == "return") return parse_return(begin);
            if (k == "throw") {
                if (m_jumps.in_defer && !m_jumps.in_do) {
                    invalid_jump(t.span, "errors cannot be thrown out of a `defer` body");
                    return nullptr;
                }
                advance();
                const Expr* v = parse_expr();
                return m_program.make<Throw>(from(begin), v);
            }
            if (k == "break" || k == "continue") {
                advance();
                if (tok().kind == TokenKind::identifier && !tok().newline_before) return parse_labelled_jump(begin, k == "break");
                if (m_jumps.loops == 0 && !(k == "break" && m_jumps.switches > 0)) {
                    if (m_jumps.in_defer) invalid_jump(t.span, "`" + std::string(k) + "` cannot transfer control out of a `defer` statement");
                    else if (k == "break") invalid_jump(t.span, "`break` is only allowed inside a loop or `switch`");
                    else invalid_jump(t.span, "`continue` is only allowed inside a loop");
                    return nullptr;
                }
                if (k == "break") return m_program.make<Break>(from(begin));
                return m_program.make<Continue>(from(begin));
            }
        }
        if (t.kind == TokenKind::identifier) {
            const Token& n = peek();
            if (t.text == "async" && (is_kw(n, "let") || is_kw(n, "var")) && !n.newline_before) {
                advance();
                return parse_var_decl(begin, BindingKind::async_let);
            }
            if (t.text == "actor" && n.kind == TokenKind::identifier && !n.newline_before) return parse_type_decl(begin, mods);
            if (is_punct(n, ":") && (is_kw(peek(2), "for") || is_kw(peek(2), "while") || is_kw(peek(2), "repeat") ||
                                     is_kw(peek(2), "do") || is_kw(peek(2), "if") || is_kw(peek(2), "switch")))
                return parse_labelled(t);
        }
        if (mods.any) {
            expected("a declaration");
            return nullptr;
        }
        if (t.kind == TokenKind::pound && t.text == "#if") {
            skip_conditional_compilation();
            return nullptr;
        }
        return parse_expression_statement(begin);
    }

    void skip_conditional_compilation() {
        unsupported(tok().span, "`#if`");
        int depth = 0;
        while (!at_eof()) {
            const Token& t = tok();
            if (t.kind == TokenKind::pound && t.text == "#if") ++depth;
            if (t.kind == TokenKind::pound && t.text == "#endif") --depth;
            advance();
            if (depth <= 0) break;
        }
        if (!m_stop) m_panic = false;
    }

    const Stmt* parse_import(std::uint32_t begin) {
        advance();
        // `import struct Foundation.Date`: the kind word is skipped.
        if (tok().kind == TokenKind::keyword && !tok().newline_before &&
            (tok().text == "struct" || tok().text == "class" || tok().text == "enum" || tok().text == "func" ||
             tok().text == "protocol" || tok().text == "var" || tok().text == "let" || tok().text == "typealias"))
            advance();
        if (tok().kind != TokenKind::identifier || tok().newline_before) {
            expected("a module name", SameLine::yes);
            return nullptr;
        }
        auto* imp = m_program.make<Import>(Span{begin, begin});
        imp->module = std::string(tok().text);
        advance();
        while (is_punct(tok(), ".") && is_name_like(peek())) {
            advance();
            imp->module += "." + std::string(tok().text);
            advance();
        }
        imp->span = from(begin);
        return imp;
    }

    /// `x`, `_` or `(a, (b, _))` after let/var/for.
    const Expr* parse_binding_pattern() {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const Token& t = tok();
        if (t.kind == TokenKind::identifier && !t.newline_before) {
            advance();
            return m_program.make<Name>(t.span, std::string(t.text));
        }
        if (is_punct(t, "(") && !t.newline_before) {
            const std::uint32_t begin = t.span.begin;
            advance();
            auto* tup = m_program.make<TupleExpr>(Span{begin, begin});
            while (!m_panic && !is_punct(tok(), ")") && !at_eof()) {
                tup->elements.push_back(parse_binding_pattern());
                tup->labels.emplace_back();
                if (!accept_punct(",")) break;
            }
            expect_list_close(")");
            tup->span = from(begin);
            return tup;
        }
        expected("a name", SameLine::yes);
        return error_expr();
    }

    const Stmt* parse_var_decl(std::uint32_t begin, BindingKind binding, const Modifiers* mods = nullptr) {
        const Token& kw = tok();
        advance();  // let / var
        std::vector<const Stmt*> more;  // `let a = 1, b = 2`: the declarations after the first
        VarDecl* first = nullptr;
        for (;;) {
            const std::uint32_t db = first ? tok().span.begin : begin;
            auto* d = m_program.make<VarDecl>(Span{db, db}, binding);
            if (mods) {
                d->is_static = mods->is_static;
                d->is_lazy = mods->is_lazy;
            }
            if (!parse_one_binding(*d, kw)) return nullptr;
            d->span = from(db);
            if (!first) first = d;
            else more.push_back(d);
            if (!(is_punct(tok(), ",") && !tok().newline_before)) break;
            if (binding == BindingKind::async_let || d->computed || d->has_will_set || d->has_did_set) {
                unsupported(tok().span, "declaring several names in this `let`/`var`");
                return nullptr;
            }
            advance();
        }
        m_pending.insert(m_pending.end(), more.begin(), more.end());
        return first;
    }

    /// One `name: T = init { accessors }` of a `let`/`var` (after the keyword or a comma).
    bool parse_one_binding(VarDecl& d, const Token& kw) {
        d.target = parse_binding_pattern();
        if (m_panic) return false;
        if (accept_punct(":")) d.type_text = skip_type();
        if (m_panic) return false;
        if (is_punct(tok(), "=")) {
            advance();
            d.init = parse_expr();
        }
        if (m_panic) return false;
        if (is_punct(tok(), "{") && !tok().newline_before) {
            if (d.target->kind != ExprKind::name) {
                expected("a single name before accessors");
                return false;
            }
            if (!parse_accessors(d, kw)) return false;
        }
        if (m_in_protocol && !d.requirement) {
            expected("`{ get }` or `{ get set }` (a protocol's property requirement)", SameLine::yes);
            return false;
        }
        if (d.is_lazy && (!d.init || kw.text != "var")) {
            if (Diagnostic* e = fail(DiagnosticKind::expected_token, kw.span,
                                     kw.text != "var" ? "`lazy` needs `var`" : "a `lazy` property needs an initial value"))
                e->notes.emplace_back("swiftc rejects it before running anything");
            return false;
        }
        if (!d.init && d.type_text.empty() && !d.computed) {
            expected("`:` or `=`", SameLine::yes);
            return false;
        }
        return true;
    }

    /// `{ … }` after a property: a getter body, or `get`/`set`/`willSet`/`didSet` clauses.
    bool parse_accessors(VarDecl& d, const Token& kw) {
        const std::string name = static_cast<const Name*>(d.target)->name;
        const Token& open = tok();
        const Token& n = peek();
        const bool clauses = is_word(n, "get") || is_word(n, "set") || is_word(n, "willSet") || is_word(n, "didSet") ||
                             ((is_word(n, "mutating") || is_word(n, "nonmutating")) && (is_word(peek(2), "get") || is_word(peek(2), "set")));
        NameScope scope(*this, name);
        if (!clauses) {
            if (m_in_protocol) {
                expected("`get` or `set` in a protocol's property requirement");
                return false;
            }
            d.computed = true;
            JumpScope body(*this, JumpContext{});
            parse_brace_block(d.getter);
        } else {
            advance();  // {
            bool get = false, set = false, bodies = false, observers = false;
            while (!m_panic && !is_punct(tok(), "}") && !at_eof()) {
                if (is_word(tok(), "mutating") || is_word(tok(), "nonmutating")) advance();
                const Token& a = tok();
                if (!(is_word(a, "get") || is_word(a, "set") || is_word(a, "willSet") || is_word(a, "didSet"))) {
                    expected("`get`, `set`, `willSet` or `didSet`");
                    return false;
                }
                advance();
                std::string param;
                if (a.text != "get" && is_punct(tok(), "(") && !tok().newline_before) {
                    advance();
                    if (tok().kind != TokenKind::identifier) {
                        expected("a parameter name");
                        return false;
                    }
                    param = std::string(tok().text);
                    advance();
                    if (!expect_punct(")")) return false;
                }
                if (a.text == "get") {
                    bool is_async = false, throws = false;
                    parse_effects(is_async, throws);
                    if (is_async) {
                        unsupported(a.span, "`async` property getters", Number::plural);
                        return false;
                    }
                }
                if (!is_punct(tok(), "{")) {
                    if (!m_in_protocol) {
                        expected("`{` after `" + std::string(a.text) + "`");
                        return false;
                    }
                    if (a.text == "get") get = true;
                    else if (a.text == "set") set = true;
                    else {
                        expected("`get` or `set` in a protocol's property requirement");
                        return false;
                    }
                    accept_punct(";");
                    continue;
                }
                if (m_in_protocol) {
                    expected("`get` or `set` without a body in a protocol's property requirement");
                    return false;
                }
                bodies = true;
                JumpScope body(*this, JumpContext{});
                if (a.text == "get") {
                    get = true;
                    parse_brace_block(d.getter);
                } else if (a.text == "set") {
                    set = true;
                    if (!param.empty()) d.setter_param = param;
                    parse_brace_block(d.setter);
                } else if (a.text == "willSet") {
                    observers = true;
                    d.has_will_set = true;
                    if (!param.empty()) d.will_set_param = param;
                    parse_brace_block(d.will_set);
                } else {
                    observers = true;
                    d.has_did_set = true;
                    if (!param.empty()) d.did_set_param = param;
                    parse_brace_block(d.did_set);
                }
            }
            if (m_panic || !expect_punct("}")) return false;
            if (observers && (get || set)) {
                if (Diagnostic* e = fail(DiagnosticKind::expected_token, open.span,
                                         "`willSet`/`didSet` cannot be combined with `get`/`set`"))
                    e->notes.emplace_back("swiftc rejects it before running anything");
                return false;
            }
            if (set && !get) {
                if (Diagnostic* e = fail(DiagnosticKind::expected_token, open.span, "a property with a setter needs a getter"))
                    e->notes.emplace_back("swiftc rejects it before running anything");
                return false;
            }
            if (m_in_protocol) d.requirement = true;
            else if (!observers) d.computed = bodies;
        }
        if ((d.computed || d.requirement) && (kw.text != "var" || d.init || d.type_text.empty() || d.is_lazy)) {
            if (Diagnostic* e = fail(DiagnosticKind::expected_token, open.span,
                                     kw.text != "var" ? "a computed property must be declared with `var`"
                                     : d.init ? "a computed property cannot have an initial value"
                                     : d.is_lazy ? "`lazy` cannot be used on a computed property"
                                              : "a computed property needs a type annotation"))
                e->notes.emplace_back("swiftc rejects it before running anything");
            return false;
        }
        if ((d.has_will_set || d.has_did_set) && kw.text != "var") {
            if (Diagnostic* e = fail(DiagnosticKind::expected_token, open.span, "property observers need `var`"))
                e->notes.emplace_back("swiftc rejects it before running anything");
            return false;
        }
        return true;
    }

    /// Sets what `#function` names while a declaration is parsed.
    struct NameScope {
        Parser& p;
        NameScope(Parser& parser, std::string name) : p(parser) { p.m_function_names.push_back(std::move(name)); }
        ~NameScope() { p.m_function_names.pop_back(); }
        NameScope(const NameScope&) = delete;
        NameScope& operator=(const NameScope&) = delete;
    };

    /// `f(a:_:)`: a function's name as `#function` gives it.
    static std::string function_name(const std::string& name, const std::vector<Param>& params) {
        std::string s = name + "(";
        for (const Param& p : params) s += (p.label.empty() ? p.name : p.label) + ":";
        return s + ")";
    }

    /// `async`, `throws`, `rethrows`, `throws(E)`. A declaration's effects may start on a new
    /// line (`newline_ok`: its body must follow, so nothing else can start there).
    void parse_effects(bool& is_async, bool& throws, bool newline_ok = false) {
        while (!m_panic) {
            const Token& t = tok();
            if (is_word(t, "async") && (!t.newline_before || newline_ok)) {
                is_async = true;
                advance();
            } else if ((is_kw(t, "throws") || is_kw(t, "rethrows")) && (!t.newline_before || newline_ok)) {
                throws = true;
                advance();
                if (is_punct(tok(), "(") && !tok().space_before) skip_balanced_here();  // typed throws
            } else {
                break;
            }
        }
    }

    void parse_params(std::vector<Param>& out) {
        if (!expect_punct("(", SameLine::yes)) return;
        TrailingScope scope(*this, TrailingClosures::allowed);
        while (!m_panic && !is_punct(tok(), ")") && !at_eof()) {
            Param p;
            const std::uint32_t pb = tok().span.begin;
            const Token& first = tok();
            if (!is_name_like(first)) {
                expected("a parameter name");
                return;
            }
            advance();
            if (tok().kind == TokenKind::identifier) {
                p.label = std::string(first.text);
                p.name = std::string(tok().text);
                advance();
            } else {
                p.label = p.name = std::string(first.text);
            }
            if (!expect_punct(":")) return;
            while (tok().kind == TokenKind::attribute) advance();  // `@escaping`, `@Sendable`
            if (is_kw(tok(), "inout")) {
                p.is_inout = true;
                advance();
            }
            if (is_word(tok(), "isolated") && peek().kind == TokenKind::identifier && !peek().newline_before) {
                unsupported(tok().span, "`isolated` parameters", Number::plural);
                return;
            }
            p.type_text = skip_type();
            if (m_panic) return;
            if (is_punct(tok(), "...")) {
                if (p.is_inout) {
                    expected("`,` or `)` (an `inout` parameter cannot be variadic)");
                    return;
                }
                p.variadic = true;
                advance();
            }
            if (accept_punct("=")) {
                if (tok().kind == TokenKind::pound && (tok().text == "#line" || tok().text == "#column") &&
                    (is_punct(peek(), ",") || is_punct(peek(), ")")))
                    p.caller_literal = std::string(tok().text);
                p.default_value = parse_expr();
            }
            p.span = from(pb);
            out.push_back(p);
            if (!accept_punct(",")) break;
        }
        if (!m_panic) expect_list_close(")");
    }

    /// A name written as a type is capitalised (`Int`, `Point`); values are not, by convention.
    static bool is_type_name(const std::string& n) { return !n.empty() && n[0] >= 'A' && n[0] <= 'Z'; }

    /// Skips generic parameters `<T, U: P>` of a declaration, noting their names in `names`.
    void skip_generic_params(std::vector<std::string>* names = nullptr) {
        if (!is_punct(tok(), "<")) return;
        int depth = 0;
        bool name_next = true;  // a parameter's name follows `<` and `,` at the outer level
        while (!at_eof()) {
            const Token& t = tok();
            if (names && depth == 1 && name_next && t.kind == TokenKind::identifier) names->push_back(std::string(t.text));
            name_next = depth <= 1 && (is_punct(t, "<") || is_punct(t, ","));
            if (is_punct(t, "<")) ++depth;
            else if (is_punct(t, ">")) --depth;
            else if (is_punct(t, "{") || is_punct(t, "}") || is_punct(t, ";")) break;
            advance();
            if (depth == 0) return;
        }
        expected("`>`");
    }

    void finish_func(FuncDecl* f) {
        if (m_panic) return;
        parse_effects(f->is_async, f->throws, true);
        if (accept_punct("->")) f->return_type_text = skip_type();
        if (m_panic) return;
        if (is_kw(tok(), "where")) {
            unsupported(tok().span, "generic `where` clauses", Number::plural);
            return;
        }
        if (m_in_protocol) {
            // A requirement has no body; a protocol extension's methods do.
            if (is_punct(tok(), "{")) {
                expected("a line break (a protocol's requirements have no body; write it in an `extension`)");
                return;
            }
            f->requirement = true;
            return;
        }
        NameScope name(*this, f->is_init ? function_name("init", f->params) : function_name(f->name, f->params));
        {
            JumpScope body(*this, JumpContext{});  // a function's body starts outside every loop
            parse_brace_block(f->body);
        }
        f->implicit_return = f->body.size() == 1 && f->body[0]->kind == StmtKind::expr;
        if (!m_panic) implicit_branch_return(f);
    }

    /// What `@MainActor` / `nonisolated` before a declaration say.
    static DeclIsolation isolation_of(const Modifiers& mods) {
        if (mods.main_actor) return DeclIsolation::main_actor;
        if (mods.nonisolated) return DeclIsolation::nonisolated;
        return DeclIsolation::unspecified;
    }

    const Stmt* parse_func(std::uint32_t begin, const Modifiers& mods) {
        advance();  // func
        auto* f = m_program.make<FuncDecl>(Span{begin, begin});
        f->is_static = mods.is_static;
        f->is_mutating = mods.is_mutating;
        f->isolation = isolation_of(mods);
        const Token& name = tok();
        if (name.kind == TokenKind::punct && !name.newline_before && name.text != "(" && name.text != "{") {
            unsupported(name.span, "custom operators", Number::plural);
            return nullptr;
        }
        if (name.kind != TokenKind::identifier || name.newline_before) {
            expected("a function name", SameLine::yes);
            return nullptr;
        }
        f->name = std::string(name.text);
        f->name_span = name.span;
        advance();
        skip_generic_params(&f->generic_params);
        if (!m_panic) parse_params(f->params);
        finish_func(f);
        f->span = from(begin);
        return m_panic ? nullptr : f;
    }

    const Stmt* parse_init(std::uint32_t begin, const Modifiers& mods) {
        auto* f = m_program.make<FuncDecl>(Span{begin, begin});
        f->name = "init";
        f->name_span = tok().span;
        f->is_init = true;
        f->is_static = mods.is_static;
        f->isolation = isolation_of(mods);
        advance();
        if ((is_punct(tok(), "?") || is_punct(tok(), "!")) && !tok().space_before) {
            f->failable = true;
            advance();
        }
        skip_generic_params();
        if (!m_panic) parse_params(f->params);
        finish_func(f);
        f->span = from(begin);
        return m_panic ? nullptr : f;
    }

    const Stmt* parse_type_decl(std::uint32_t begin, const Modifiers& mods) {
        const Token& kw = tok();
        auto* td = m_program.make<TypeDecl>(Span{begin, begin});
        td->type_kind = kw.text == "struct" ? TypeKind::struct_
                        : kw.text == "class" ? TypeKind::class_
                        : kw.text == "actor" ? TypeKind::actor_
                                             : TypeKind::enum_;
        td->is_main = mods.is_main;
        td->main_actor = mods.main_actor;
        advance();
        if (tok().kind != TokenKind::identifier || tok().newline_before) {
            expected("a type name", SameLine::yes);
            return nullptr;
        }
        td->name = std::string(tok().text);
        td->name_span = tok().span;
        advance();
        skip_generic_params();
        if (!m_panic && accept_punct(":")) {
            do {
                const std::size_t b = m_i;
                skip_type();
                if (m_panic) return nullptr;
                td->bases.push_back(make_type_expr(b, m_i));
            } while (accept_punct(","));
        }
        if (m_panic) return nullptr;
        if (is_kw(tok(), "where")) {
            unsupported(tok().span, "generic `where` clauses", Number::plural);
            return nullptr;
        }
        if (!expect_punct("{")) return nullptr;
        parse_type_body(*td, false);
        td->span = from(begin);
        return m_panic ? nullptr : td;
    }

    /// `{ members }` of a type, protocol or extension (the `{` already read).
    void parse_type_body(TypeDecl& td, bool protocol) {
        const bool saved = m_in_protocol;
        m_in_protocol = protocol;
        {
            TrailingScope scope(*this, TrailingClosures::allowed);
            JumpScope jumps(*this, JumpContext{});
            parse_items(td.members, BlockEnd::brace, &td);
        }
        m_in_protocol = saved;
        if (!m_stop) expect_punct("}");
    }

    /// `: P, Q` after a type's name: its conformances (or a protocol's inherited protocols).
    bool parse_bases(TypeDecl& td) {
        if (!accept_punct(":")) return true;
        do {
            const std::size_t b = m_i;
            skip_type();
            if (m_panic) return false;
            td.bases.push_back(make_type_expr(b, m_i));
        } while (accept_punct(","));
        if (is_kw(tok(), "where")) {
            unsupported(tok().span, "generic `where` clauses", Number::plural);
            return false;
        }
        return true;
    }

    /// The keyword of a protocol, extension or typealias and the name after it, on one line:
    /// the declaration with that kind and name, or null after a diagnostic.
    TypeDecl* begin_named_type(std::uint32_t begin, TypeKind kind, const std::string& what = "a type name") {
        advance();  // the keyword
        auto* td = m_program.make<TypeDecl>(Span{begin, begin});
        td->type_kind = kind;
        if (tok().kind != TokenKind::identifier || tok().newline_before) {
            expected(what, SameLine::yes);
            return nullptr;
        }
        td->name = std::string(tok().text);
        td->name_span = tok().span;
        advance();
        return td;
    }

    /// The rest of a protocol or extension: its conformances, `{`, its members and `}`.
    const Stmt* finish_named_type(std::uint32_t begin, TypeDecl& td, bool is_protocol) {
        if (!parse_bases(td) || !expect_punct("{")) return nullptr;
        parse_type_body(td, is_protocol);
        td.span = from(begin);
        return m_panic ? nullptr : &td;
    }

    const Stmt* parse_protocol(std::uint32_t begin) {
        TypeDecl* td = begin_named_type(begin, TypeKind::protocol_, "a protocol name");  // after `protocol`
        if (!td) return nullptr;
        if (is_punct(tok(), "<")) {
            unsupported(tok().span, "primary associated types", Number::plural);
            return nullptr;
        }
        return finish_named_type(begin, *td, true);
    }

    const Stmt* parse_extension(std::uint32_t begin) {
        TypeDecl* td = begin_named_type(begin, TypeKind::extension_);  // after `extension`
        if (!td) return nullptr;
        while (is_punct(tok(), ".") && tok().kind == TokenKind::punct && peek().kind == TokenKind::identifier) {
            advance();
            td->name += "." + std::string(tok().text);
            td->name_span.end = tok().span.end;
            advance();
        }
        if (is_punct(tok(), "<") && !tok().space_before) {
            unsupported(tok().span, "generic arguments on an `extension`", Number::plural);
            return nullptr;
        }
        return finish_named_type(begin, *td, false);
    }

    const Stmt* parse_typealias(std::uint32_t begin) {
        TypeDecl* td = begin_named_type(begin, TypeKind::alias_);  // after `typealias`
        if (!td) return nullptr;
        skip_generic_params();
        if (m_panic || !expect_punct("=")) return nullptr;
        const std::size_t b = m_i;
        skip_type();
        if (m_panic) return nullptr;
        td->aliased = make_type_expr(b, m_i);
        td->span = from(begin);
        return td;
    }

    const Stmt* parse_deinit(std::uint32_t begin) {
        auto* f = m_program.make<FuncDecl>(Span{begin, begin});
        f->name = "deinit";
        f->name_span = tok().span;
        f->is_deinit = true;
        advance();
        if (is_punct(tok(), "(")) {
            expected("`{` (`deinit` takes no parameters)");
            return nullptr;
        }
        {
            NameScope name(*this, "deinit");
            JumpScope body(*this, JumpContext{});
            parse_brace_block(f->body);
        }
        f->span = from(begin);
        return m_panic ? nullptr : f;
    }

    const Stmt* parse_subscript(std::uint32_t begin, const Modifiers& mods) {
        auto* f = m_program.make<FuncDecl>(Span{begin, begin});
        f->name = "subscript";
        f->name_span = tok().span;
        f->is_subscript = true;
        f->is_static = mods.is_static;
        advance();
        skip_generic_params();
        if (!m_panic) parse_params(f->params);
        if (m_panic) return nullptr;
        // A subscript's parameters have no argument label unless one is written twice.
        for (Param& p : f->params)
            if (p.label == p.name) p.label = "_";
        if (!expect_punct("->")) return nullptr;
        f->return_type_text = skip_type();
        if (m_panic) return nullptr;
        NameScope name(*this, function_name("subscript", f->params));
        JumpScope body(*this, JumpContext{});
        if (is_punct(tok(), "{") && (is_word(peek(), "get") || is_word(peek(), "set"))) {
            advance();
            if (!is_word(tok(), "get") || !is_punct(peek(), "{")) {
                expected("`get { … }`");
                return nullptr;
            }
            advance();
            parse_brace_block(f->body);
            if (is_word(tok(), "set")) {
                unsupported(tok().span, "subscript setters", Number::plural);
                return nullptr;
            }
            if (!m_panic) expect_punct("}");
        } else {
            parse_brace_block(f->body);
        }
        f->implicit_return = f->body.size() == 1 && f->body[0]->kind == StmtKind::expr;
        f->span = from(begin);
        return m_panic ? nullptr : f;
    }

    [[nodiscard]] bool is_declaration_start() const {
        const Token& t = tok();
        if (t.kind == TokenKind::attribute) return true;
        if (t.kind == TokenKind::keyword) {
            static constexpr std::string_view kws[] = {"let",      "var",      "func",     "init",      "struct",
                                                       "class",    "enum",     "deinit",   "subscript", "typealias",
                                                       "protocol", "extension", "static",  "case",      "associatedtype",
                                                       "operator"};
            return std::find(std::begin(kws), std::end(kws), t.text) != std::end(kws);
        }
        if (t.kind == TokenKind::pound) return t.text == "#if";
        return t.kind == TokenKind::identifier && (is_modifier_word(t.text) || t.text == "actor" || t.text == "async");
    }

    const Stmt* parse_member(TypeDecl& owner) {
        DepthGuard guard(*this);
        if (!guard.ok) return nullptr;
        if (is_word(tok(), "indirect") && is_kw(peek(), "case") && !peek().newline_before) advance();  // `indirect case node(Tree, Tree)`
        if (is_kw(tok(), "case")) {
            if (owner.type_kind != TypeKind::enum_) {
                expected("a declaration in `" + owner.name + "`");
                return nullptr;
            }
            advance();
            for (;;) {
                if (!parse_enum_case(owner)) return nullptr;
                if (!accept_punct(",")) break;
            }
            return nullptr;
        }
        if (!is_declaration_start()) {
            expected("a declaration in `" + owner.name + "`");
            return nullptr;
        }
        if (is_kw(tok(), "associatedtype")) {
            unsupported(tok().span, "`associatedtype`");
            return nullptr;
        }
        const TypeDecl* saved_owner = m_member_owner;
        const std::size_t saved_at = m_member_at;
        m_member_owner = &owner;
        m_member_at = m_i;
        const Stmt* s = parse_statement();
        m_member_owner = saved_owner;
        m_member_at = saved_at;
        return s;
    }

    /// One case of `case a, b(Int), c = 3` in an enum: its name, payload types and raw value.
    bool parse_enum_case(TypeDecl& owner) {
        const Token& name = tok();
        if (name.kind != TokenKind::identifier || name.newline_before) {
            expected("a case name", SameLine::yes);
            return false;
        }
        EnumCaseDecl c;
        c.name = std::string(name.text);
        c.span = name.span;
        advance();
        if (is_punct(tok(), "(") && !tok().newline_before) {
            advance();
            c.has_payload = true;
            while (!m_panic && !at_closer()) {
                std::string label;
                if (is_name_like(tok()) && is_punct(peek(), ":")) {
                    label = std::string(tok().text);
                    advance();
                    advance();
                } else if (is_name_like(tok()) && is_name_like(peek()) && is_punct(peek(2), ":")) {
                    if (tok().text != "_") label = std::string(tok().text);
                    advance();
                    advance();
                    advance();
                }
                skip_type();
                if (m_panic) return false;
                if (is_punct(tok(), "=")) {
                    unsupported(tok().span, "default values of associated values", Number::plural);
                    return false;
                }
                c.payload_labels.push_back(std::move(label));
                if (!accept_punct(",")) break;
            }
            if (!m_panic) expect_list_close(")");
            if (m_panic) return false;
        }
        if (accept_punct("=")) {
            if (c.has_payload) {
                fail(DiagnosticKind::unsupported_construct, found_span(tok()), "an enum case with associated values cannot have a raw value");
                return false;
            }
            c.raw_value = parse_prefix();
            if (m_panic) return false;
            const Expr* v = c.raw_value;
            if (v->kind == ExprKind::unary) v = static_cast<const Unary*>(v)->operand;
            if (v->kind != ExprKind::int_literal && v->kind != ExprKind::double_literal &&
                !(v->kind == ExprKind::string_literal && static_cast<const StringLiteral*>(v)->is_plain()) &&
                v->kind != ExprKind::bool_literal) {
                fail(DiagnosticKind::unsupported_construct, c.raw_value->span, "a raw value must be a literal");
                return false;
            }
        }
        owner.cases.push_back(c.name);
        owner.case_decls.push_back(std::move(c));
        return true;
    }

    /// `if let x = e`, `if let x`, `if a, b` — the comma-separated conditions of if/guard/while.
    void parse_conditions(std::vector<Condition>& out, std::string_view construct, std::uint32_t /*construct_begin*/) {
        TrailingScope scope(*this, TrailingClosures::forbidden);
        do {
            Condition c;
            const std::uint32_t b = tok().span.begin;
            if (is_kw(tok(), "let") || is_kw(tok(), "var")) {
                advance();
                c.is_binding = true;
                const Token& n = tok();
                if (is_punct(n, "(") && !n.newline_before) {
                    // `if let (a, b) = pair`: the pattern `let (a, b)?`
                    const Pattern* tuple = parse_pattern(true);
                    if (m_panic) return;
                    auto* opt = m_program.make<Pattern>(PatternKind::optional, tuple->span);
                    opt->elements.push_back(tuple);
                    c.pattern = opt;
                    c.is_binding = false;
                    if (!expect_punct("=")) return;
                    c.expr = parse_expr();
                    c.span = from(b);
                    out.push_back(c);
                    continue;
                }
                if ((n.kind != TokenKind::identifier && !is_kw(n, "self")) || n.newline_before) {
                    expected("a name", SameLine::yes);
                    return;
                }
                c.name = std::string(n.text);
                advance();
                if (accept_punct(":")) skip_type();
                if (m_panic) return;
                if (accept_punct("=")) c.expr = parse_expr();
                else c.expr = m_program.make<Name>(n.span, c.name);  // `if let x` shorthand
            } else if (is_kw(tok(), "case")) {
                advance();
                c.pattern = parse_pattern(false);
                if (m_panic) return;
                if (!is_punct(tok(), "=")) {
                    if (Diagnostic* d = fail(DiagnosticKind::expected_token, found_span(tok()),
                                             "expected `=` after the pattern of `" + std::string(construct) + " case`, found " + describe(tok())))
                        d->help.emplace_back("write `" + std::string(construct) + " case pattern = value`");
                    return;
                }
                advance();
                c.expr = parse_expr();
            } else {
                c.expr = parse_expr();
            }
            c.span = from(b);
            out.push_back(c);
        } while (!m_panic && accept_punct(","));
    }

    const Stmt* parse_if(std::uint32_t begin) {
        std::vector<If*> chain;
        for (;;) {
            const std::uint32_t b = tok().span.begin;
            advance();  // if
            auto* s = m_program.make<If>(Span{b, b});
            if (!chain.empty()) chain.back()->else_body.push_back(s);
            chain.push_back(s);
            parse_conditions(s->conditions, "if", b);
            parse_brace_block(s->then_body);
            if (m_panic || !is_kw(tok(), "else")) break;
            advance();
            if (is_kw(tok(), "if")) continue;
            parse_brace_block(s->else_body);
            break;
        }
        for (If* s : chain) s->span.end = std::max(s->span.begin, m_prev_end);
        chain.front()->span.begin = begin;
        return m_panic ? nullptr : chain.front();
    }

    const Stmt* parse_guard(std::uint32_t begin) {
        advance();
        auto* g = m_program.make<Guard>(Span{begin, begin});
        parse_conditions(g->conditions, "guard", begin);
        if (m_panic) return nullptr;
        if (!is_kw(tok(), "else")) {
            expected("`else`");
            return nullptr;
        }
        advance();
        parse_brace_block(g->else_body);
        g->span = from(begin);
        return m_panic ? nullptr : g;
    }

    const Stmt* parse_while(std::uint32_t begin) {
        advance();
        auto* w = m_program.make<While>(Span{begin, begin});
        std::vector<Condition> conds;
        parse_conditions(conds, "while", begin);
        if (m_panic) return nullptr;
        const bool binds = std::any_of(conds.begin(), conds.end(), [](const Condition& c) { return c.is_binding || c.pattern; });
        if (binds) w->conditions = std::move(conds);  // `while let x = try await group.next()`
        JumpScope loop(*this, loop_context());
        for (const Condition& c : binds ? std::vector<Condition>{} : conds) {
            w->cond = w->cond ? m_program.make<Binary>(Span::join(w->cond->span, c.expr->span), BinaryOp::logical_and, w->cond,
                                                       c.expr, c.span)
                              : c.expr;
        }
        parse_brace_block(w->body);
        w->span = from(begin);
        return m_panic ? nullptr : w;
    }

    const Stmt* parse_for(std::uint32_t begin) {
        advance();
        auto* f = m_program.make<ForIn>(Span{begin, begin});
        if (is_kw(tok(), "try")) {
            f->is_try = true;
            advance();
        }
        if (is_kw(tok(), "await")) {
            f->is_await = true;
            advance();
        }
        if (is_kw(tok(), "case")) {
            advance();
            TrailingScope scope(*this, TrailingClosures::forbidden);
            f->pattern = parse_pattern(false);
            f->target = m_program.make<Name>(f->pattern->span, "_");
        } else {
            if (is_kw(tok(), "var") || is_kw(tok(), "let")) advance();
            f->target = parse_binding_pattern();
        }
        if (m_panic) return nullptr;
        if (!is_kw(tok(), "in")) {
            expected("`in`");
            return nullptr;
        }
        advance();
        {
            TrailingScope scope(*this, TrailingClosures::forbidden);
            f->iterable = parse_expr();
        }
        if (m_panic) return nullptr;
        if (is_kw(tok(), "where")) {
            advance();
            TrailingScope scope(*this, TrailingClosures::forbidden);
            f->where = parse_expr();
            if (m_panic) return nullptr;
        }
        {
            JumpScope loop(*this, loop_context());
            parse_brace_block(f->body);
        }
        f->span = from(begin);
        return m_panic ? nullptr : f;
    }

    const Stmt* parse_do(std::uint32_t begin) {
        advance();
        auto* t = m_program.make<TryStmt>(Span{begin, begin});
        {
            JumpContext do_context = m_jumps;
            do_context.in_do = true;
            do_context.in_case = false;
            JumpScope body(*this, do_context);
            parse_brace_block(t->body);
        }
        while (!m_panic && is_kw(tok(), "catch")) {
            Handler h;
            const std::uint32_t hb = tok().span.begin;
            advance();
            if (is_punct(tok(), "{")) {
                h.binding = "error";
            } else {
                // `catch let e as T`, `catch is T`, `catch E.x` (a value pattern), and
                // `catch A, B`, `catch E.http(let code) where code > 500` (patterns).
                parse_catch_items(h);
                if (m_panic) return nullptr;
            }
            parse_brace_block(h.body);
            h.span = from(hb);
            t->handlers.push_back(std::move(h));
        }
        t->span = from(begin);
        return m_panic ? nullptr : t;
    }

    // ---------------------------------------------------------------------------------
    // Labels, `switch`, `repeat`, patterns
    // ---------------------------------------------------------------------------------

    /// `outer: for …` (also while/repeat/do/if/switch): the label is in scope in the statement.
    const Stmt* parse_labelled(const Token& name) {
        const std::string label(name.text);
        const Span label_span = name.span;
        for (const auto& l : m_jumps.labels)
            if (l.first == label) {
                fail(DiagnosticKind::unsupported_construct, label_span, "label `" + label + "` is already in use here");
                return nullptr;
            }
        advance();  // the name
        advance();  // :
        const Token& k = tok();
        const bool loop = is_kw(k, "for") || is_kw(k, "while") || is_kw(k, "repeat");
        JumpContext c = m_jumps;
        c.labels.emplace_back(label, loop);
        const Stmt* inner = nullptr;
        {
            JumpScope scope(*this, c);
            inner = parse_statement();
        }
        // The statement was made by this parser and is not shared yet: naming it here is safe.
        if (inner) const_cast<Stmt*>(inner)->label = label;
        return inner;
    }

    /// `break outer` / `continue outer` (the keyword was read).
    const Stmt* parse_labelled_jump(std::uint32_t begin, bool is_break) {
        const Token& name = tok();
        const std::string label(name.text);
        const char* word = is_break ? "break" : "continue";
        const auto found = std::find_if(m_jumps.labels.rbegin(), m_jumps.labels.rend(),
                                        [&](const auto& l) { return l.first == label; });
        if (found == m_jumps.labels.rend()) {
            if (m_jumps.in_defer && m_jumps.loops == 0)
                invalid_jump(name.span, "`" + std::string(word) + "` cannot transfer control out of a `defer` statement");
            else
                invalid_jump(name.span, "cannot find label `" + label + "` in scope");
            return nullptr;
        }
        if (!is_break && !found->second) {
            invalid_jump(name.span, "`continue " + label + "` needs `" + label + "` to label a loop");
            return nullptr;
        }
        advance();
        if (is_break) {
            auto* b = m_program.make<Break>(from(begin));
            b->target = label;
            return b;
        }
        auto* c = m_program.make<Continue>(from(begin));
        c->target = label;
        return c;
    }

    const Stmt* parse_fallthrough(std::uint32_t begin) {
        if (!m_jumps.in_case) {
            invalid_jump(tok().span, "`fallthrough` is only allowed inside a `switch` case");
            return nullptr;
        }
        advance();
        return m_program.make<Fallthrough>(from(begin));
    }

    /// `repeat { body } while cond`
    const Stmt* parse_repeat(std::uint32_t begin) {
        advance();
        auto* w = m_program.make<While>(Span{begin, begin});
        w->repeat = true;
        {
            JumpScope loop(*this, loop_context());
            parse_brace_block(w->body);
        }
        if (m_panic) return nullptr;
        if (!is_kw(tok(), "while")) {
            if (Diagnostic* d = fail(DiagnosticKind::expected_token, found_span(tok()),
                                     "expected `while` after the body of `repeat`, found " + describe(tok())))
                d->help.emplace_back("write `repeat { … } while condition`");
            return nullptr;
        }
        advance();
        w->cond = parse_expr();
        w->span = from(begin);
        return m_panic ? nullptr : w;
    }

    /// `switch subject { case p, q where c: … default: … }`
    const Stmt* parse_switch(std::uint32_t begin) {
        const Span keyword = tok().span;
        advance();
        auto* sw = m_program.make<Switch>(Span{begin, begin});
        {
            TrailingScope scope(*this, TrailingClosures::forbidden);
            sw->subject = parse_expr();
        }
        if (m_panic) return nullptr;
        if (!expect_punct("{")) return nullptr;
        bool seen_default = false;
        while (!m_panic && !m_stop) {
            const Token& t = tok();
            if (is_punct(t, "}") || at_eof()) break;
            SwitchCase c;
            const std::uint32_t cb = t.span.begin;
            if (t.kind == TokenKind::attribute && t.text == "@unknown") advance();  // `@unknown default:`
            if (is_kw(tok(), "default")) {
                advance();
                c.is_default = true;
            } else if (is_kw(tok(), "case")) {
                if (seen_default) {
                    fail(DiagnosticKind::unsupported_construct, tok().span,
                         "additional `case` blocks cannot appear after the `default` block of a `switch`");
                    return nullptr;
                }
                advance();
                parse_case_items(c.items);
                if (m_panic) return nullptr;
            } else {
                if (Diagnostic* d = fail(DiagnosticKind::expected_token, found_span(tok()),
                                         "expected `case` or `default` in a `switch`, found " + describe(tok())))
                    d->notes.emplace_back("every statement inside a `switch` belongs to a `case` or `default` block");
                return nullptr;
            }
            if (!expect_punct(":")) return nullptr;
            c.span = from(cb);
            {
                JumpContext body = m_jumps;
                ++body.switches;
                body.in_case = true;
                JumpScope scope(*this, body);
                TrailingScope trailing(*this, TrailingClosures::allowed);
                parse_items(c.body, BlockEnd::switch_case, nullptr);
            }
            if (m_stop || m_panic) return nullptr;
            if (c.body.empty()) {
                if (Diagnostic* d = fail(DiagnosticKind::expected_token, c.span,
                                         "a `case` label in a `switch` must have at least one statement"))
                    d->help.emplace_back("write `break` to do nothing");
                return nullptr;
            }
            seen_default = seen_default || c.is_default;
            sw->cases.push_back(std::move(c));
        }
        if (m_panic || m_stop) return nullptr;
        if (!expect_punct("}")) return nullptr;
        if (sw->cases.empty()) {
            fail(DiagnosticKind::expected_token, keyword, "a `switch` must have at least one `case` or `default` block");
            return nullptr;
        }
        for (const Stmt* st : sw->cases.back().body)
            if (st->kind == StmtKind::fallthrough) {
                invalid_jump(st->span, "`fallthrough` without a following `case` or `default` block");
                return nullptr;
            }
        sw->span = from(begin);
        return sw;
    }

    /// `p where c, q` up to the `:` of a case.
    void parse_case_items(std::vector<CaseItem>& out) {
        TrailingScope scope(*this, TrailingClosures::forbidden);
        do {
            CaseItem item;
            item.pattern = parse_pattern(false);
            if (m_panic) return;
            if (is_kw(tok(), "where")) {
                advance();
                item.where = parse_expr();
            }
            out.push_back(item);
        } while (!m_panic && accept_punct(","));
    }

    /// A pattern; `bind`: inside `let`/`var`, where a bare name binds.
    const Pattern* parse_pattern(bool bind) {
        DepthGuard guard(*this);
        if (!guard.ok) return m_program.make<Pattern>(PatternKind::wildcard, tok().span);
        const std::uint32_t begin = tok().span.begin;
        const Pattern* p = parse_pattern_primary(bind);
        while (!m_panic) {
            if (is_punct(tok(), "?") && !tok().space_before) {
                advance();
                auto* o = m_program.make<Pattern>(PatternKind::optional, from(begin));
                o->elements.push_back(p);
                p = o;
                continue;
            }
            if (is_kw(tok(), "as") && !tok().newline_before) {
                advance();
                auto* c = m_program.make<Pattern>(PatternKind::cast, Span{begin, begin});
                c->type = parse_type_expr();
                c->elements.push_back(p);
                c->span = from(begin);
                p = c;
                continue;
            }
            break;
        }
        return p;
    }

    const Pattern* parse_pattern_primary(bool bind) {
        const Token& t = tok();
        const std::uint32_t begin = t.span.begin;
        if (is_kw(t, "let") || is_kw(t, "var")) {
            if (bind) {
                fail(DiagnosticKind::expected_token, t.span, "`" + std::string(t.text) + "` cannot appear inside another `let` or `var` pattern");
                return m_program.make<Pattern>(PatternKind::wildcard, t.span);
            }
            const bool is_var = t.text == "var";
            advance();
            const Pattern* inner = parse_pattern(true);
            if (is_var) mark_var(inner);
            return inner;
        }
        if (is_word(t, "_")) {
            advance();
            return m_program.make<Pattern>(PatternKind::wildcard, t.span);
        }
        if (is_kw(t, "is")) {
            advance();
            auto* p = m_program.make<Pattern>(PatternKind::is_type, Span{begin, begin});
            p->type = parse_type_expr();
            p->span = from(begin);
            return p;
        }
        if (is_punct(t, "(")) {
            advance();
            auto* p = m_program.make<Pattern>(PatternKind::tuple, Span{begin, begin});
            bool trailing_comma = false;
            while (!m_panic && !at_closer()) {
                std::string label;
                if (is_name_like(tok()) && is_punct(peek(), ":")) {
                    label = std::string(tok().text);
                    advance();
                    advance();
                }
                p->elements.push_back(parse_pattern(bind));
                p->labels.push_back(std::move(label));
                trailing_comma = false;
                if (!accept_punct(",")) break;
                trailing_comma = true;
            }
            if (!m_panic) expect_list_close(")");
            p->span = from(begin);
            if (p->elements.size() == 1 && p->labels[0].empty() && !trailing_comma) return p->elements[0];
            return p;
        }
        if (is_punct(t, ".") && is_name_like(peek()) && !peek().space_before) {
            advance();
            const Token& n = tok();
            advance();
            auto* p = m_program.make<Pattern>(PatternKind::enum_case, Span{begin, begin});
            p->name = std::string(n.text);
            p->expr = m_program.make<Member>(from(begin), nullptr, p->name, n.span);
            parse_payload_patterns(*p, bind);
            p->span = from(begin);
            return p;
        }
        if (t.kind == TokenKind::identifier && bind && !is_punct(peek(), ".")) {
            advance();
            auto* p = m_program.make<Pattern>(PatternKind::binding, t.span);
            p->name = std::string(t.text);
            return p;
        }
        // `Type.name` / `Type.name(…)`: a case of a named enum (a type name starts upper-case).
        if (t.kind == TokenKind::identifier && !t.text.empty() && t.text[0] >= 'A' && t.text[0] <= 'Z' && is_punct(peek(), ".")) {
            std::size_t j = m_i;
            while (at(j).kind == TokenKind::identifier && is_punct(at(j + 1), ".") && is_name_like(at(j + 2))) j += 2;
            const Token& after = at(j + 1);
            if (j > m_i && !is_punct(after, ".") && !is_punct(after, "[") && !(is_punct(after, "(") && after.newline_before)) {
                const Expr* type = j - 2 > m_i ? make_type_expr(m_i, j - 1) : m_program.make<Name>(t.span, std::string(t.text));
                auto* p = m_program.make<Pattern>(PatternKind::enum_case, Span{begin, begin});
                p->type = type;
                p->name = std::string(at(j).text);
                skip_to(j + 1);
                p->expr = m_program.make<Member>(from(begin), type, p->name, at(j).span);
                parse_payload_patterns(*p, bind);
                p->span = from(begin);
                return p;
            }
        }
        auto* p = m_program.make<Pattern>(PatternKind::expr, Span{begin, begin});
        p->expr = parse_binary(0);
        p->span = from(begin);
        return p;
    }

    /// `(let a, done: let b)` after an enum case name in a pattern.
    void parse_payload_patterns(Pattern& p, bool bind) {
        if (m_panic || !is_punct(tok(), "(") || tok().newline_before) return;
        advance();
        p.has_payload = true;
        while (!m_panic && !at_closer()) {
            std::string label;
            if (is_name_like(tok()) && is_punct(peek(), ":")) {
                label = std::string(tok().text);
                advance();
                advance();
            }
            p.elements.push_back(parse_pattern(bind));
            p.labels.push_back(std::move(label));
            if (!accept_punct(",")) break;
        }
        if (!m_panic) expect_list_close(")");
    }

    /// `var (a, b)`: every name bound under it is a variable.
    static void mark_var(const Pattern* p) {
        if (!p) return;
        // Patterns are owned by the program and not shared yet while parsing.
        auto* q = const_cast<Pattern*>(p);
        q->is_var = true;
        for (const Pattern* e : q->elements) mark_var(e);
    }

    /// A `catch` clause's items, made into the simple Handler fields when they say no more
    /// than those can (`catch let e as T`, `catch is T`, `catch E.x`).
    void parse_catch_items(Handler& h) {
        std::vector<CaseItem> items;
        parse_case_items(items);
        if (m_panic) return;
        if (items.size() == 1) {
            const Pattern* p = items[0].pattern;
            const Pattern* inner = p->kind == PatternKind::cast && !p->elements.empty() ? p->elements[0] : nullptr;
            bool simple = true;
            if (p->kind == PatternKind::binding) h.binding = p->name;
            else if (p->kind == PatternKind::is_type) h.type = p->type;
            else if (inner && inner->kind == PatternKind::binding) {
                h.binding = inner->name;
                h.type = p->type;
            } else if (p->kind == PatternKind::enum_case && !p->has_payload && p->type) h.type = p->expr;
            else if (p->kind == PatternKind::expr) h.type = p->expr;
            else simple = false;
            if (simple) {
                h.where = items[0].where;
                return;
            }
        }
        h.items = std::move(items);
    }

    /// Whether `s`, an `if` or `switch` used as a value, has one expression in every branch;
    /// reports the first branch that does not (with `report`). An `else if` chain is walked
    /// in a loop (it can be long); an `if` nested in a branch went through the parser's depth
    /// limit.
    bool check_value_branches(const Stmt* s, std::string_view what, bool report = true) {
        for (;;) {
            std::vector<const Block*> bodies;
            const Stmt* next = nullptr;  // the `if` of an `else if`, checked on the next turn
            if (s->kind == StmtKind::if_) {
                const auto* i = static_cast<const If*>(s);
                bodies.push_back(&i->then_body);
                if (i->else_body.empty()) {
                    if (!report) return false;
                    if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, Span{s->span.begin, s->span.begin + 2},
                                             "an `if` used as a value must have an `else`"))
                        d->help.emplace_back("add `else { … }` with the value to use when the condition is false");
                    return false;
                }
                if (i->else_body.size() == 1 && i->else_body[0]->kind == StmtKind::if_) next = i->else_body[0];
                else bodies.push_back(&i->else_body);
            } else if (s->kind == StmtKind::switch_) {
                for (const auto& c : static_cast<const Switch*>(s)->cases) bodies.push_back(&c.body);
            } else {
                return false;
            }
            for (const Block* b : bodies) {
                const Stmt* only = b->size() == 1 ? (*b)[0] : nullptr;
                if (only && (only->kind == StmtKind::expr || only->kind == StmtKind::throw_)) continue;
                if (only && (only->kind == StmtKind::if_ || only->kind == StmtKind::switch_)) {
                    if (!check_value_branches(only, what, report)) return false;
                    continue;
                }
                if (!report) return false;
                const Span where = b->empty() ? s->span : (*b)[b->size() == 1 ? 0 : 1]->span;
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, where,
                                         "each branch of " + std::string(what) + " used as a value must be a single expression"))
                    d->notes.emplace_back("Swift takes the value of the one expression in the branch that runs");
                return false;
            }
            if (!next) return true;
            s = next;
        }
    }

    /// `if` / `switch` in expression position (Swift 5.9).
    const Expr* parse_stmt_expr() {
        const std::uint32_t begin = tok().span.begin;
        const bool is_if = is_kw(tok(), "if");
        const Stmt* s = is_if ? parse_if(begin) : parse_switch(begin);
        if (m_panic || !s) return error_expr();
        if (!check_value_branches(s, is_if ? "an `if`" : "a `switch`")) return error_expr();
        return m_program.make<StmtExpr>(s->span, s);
    }

    /// A function body that is one `if`/`switch` with one expression per branch is that
    /// value's implicit return (Swift 5.9): `var name: String { switch self { case .a: "A" … } }`.
    void implicit_branch_return(FuncDecl* f) {
        if (f->return_type_text.empty() || f->body.size() != 1) return;
        const Stmt* s = f->body[0];
        if (s->kind != StmtKind::if_ && s->kind != StmtKind::switch_) return;
        if (!check_value_branches(s, {}, false)) return;
        f->body[0] = m_program.make<ExprStmt>(s->span, m_program.make<StmtExpr>(s->span, s));
        f->implicit_return = true;
    }

    const Stmt* parse_return(std::uint32_t begin) {
        if (m_jumps.in_defer) {
            invalid_jump(tok().span, "`return` cannot transfer control out of a `defer` statement");
            return nullptr;
        }
        advance();
        const Expr* v = nullptr;
        const Token& n = tok();
        if (!(n.kind == TokenKind::eof || is_punct(n, "}") || is_punct(n, ";") || n.newline_before)) v = parse_expr();
        return m_program.make<Return>(from(begin), v);
    }

    static std::optional<AssignOp> assign_op(const Token& t) {
        if (t.kind != TokenKind::punct) return std::nullopt;
        if (t.text == "=") return AssignOp::set;
        if (t.text == "+=") return AssignOp::add;
        if (t.text == "-=") return AssignOp::sub;
        if (t.text == "*=") return AssignOp::mul;
        if (t.text == "/=") return AssignOp::div;
        if (t.text == "%=") return AssignOp::mod;
        if (t.text == "&+=") return AssignOp::wrapping_add;
        if (t.text == "&-=") return AssignOp::wrapping_sub;
        if (t.text == "&*=") return AssignOp::wrapping_mul;
        if (t.text == "&=") return AssignOp::bit_and;
        if (t.text == "|=") return AssignOp::bit_or;
        if (t.text == "^=") return AssignOp::bit_xor;
        if (t.text == "<<=") return AssignOp::shift_left;
        if (t.text == "&<<=") return AssignOp::masking_shift_left;
        if (t.text == "&>>=") return AssignOp::masking_shift_right;
        return std::nullopt;
    }

    /// Why `e` cannot be assigned to, or empty when it can.
    static std::string assignment_problem(const Expr* e) {
        std::vector<const Expr*> stack{e};
        while (!stack.empty()) {
            const Expr* x = stack.back();
            stack.pop_back();
            switch (x->kind) {
                case ExprKind::name:
                case ExprKind::subscript:
                case ExprKind::force_unwrap: break;
                case ExprKind::member:
                    if (!static_cast<const Member*>(x)->base) return "cannot assign to an implicit member";
                    break;
                case ExprKind::tuple:
                    for (const Expr* el : static_cast<const TupleExpr*>(x)->elements) stack.push_back(el);
                    break;
                case ExprKind::call: return "cannot assign to the result of a call";
                case ExprKind::int_literal:
                case ExprKind::double_literal:
                case ExprKind::string_literal:
                case ExprKind::bool_literal:
                case ExprKind::nil_literal:
                case ExprKind::array:
                case ExprKind::dict: return "cannot assign to a literal";
                default: return "cannot assign to this expression";
            }
        }
        return {};
    }

    const Stmt* parse_expression_statement(std::uint32_t begin) {
        const Expr* e = parse_expr();
        if (m_panic) return nullptr;
        // `>>=` is two tokens, `>` then a touching `>=` (see the lexer's operator list).
        const bool shift_assign = touching_pair(">", ">=");
        if (const auto op = shift_assign ? std::optional<AssignOp>(AssignOp::shift_right) : assign_op(tok())) {
            const std::string problem = assignment_problem(e);
            if (!problem.empty()) {
                if (Diagnostic* d = report(DiagnosticKind::invalid_assignment_target, e->span, problem))
                    d->help.emplace_back("the left side of `=` must be a variable, a property, a subscript or `_`");
            }
            advance();
            if (shift_assign) advance();
            auto* a = m_program.make<Assign>(Span{begin, begin});
            a->op = *op;
            a->target = e;
            a->value = parse_expr();
            a->span = from(begin);
            return a;
        }
        return m_program.make<ExprStmt>(from(begin), e);
    }

    // ---------------------------------------------------------------------------------
    // Types
    // ---------------------------------------------------------------------------------

    /// Index just past a type starting at token j (k_npos when there is none). Looks only.
    std::optional<std::size_t> scan_type(std::size_t j, int depth = 0) {
        if (depth > k_max_type_depth) return std::nullopt;
        while (at(j).kind == TokenKind::attribute) {
            ++j;
            if (is_punct(at(j), "(") && !at(j).space_before) {
                const std::size_t e = skip_balanced(j);
                if (e == k_npos) return std::nullopt;
                j = e;
            }
        }
        if (is_kw(at(j), "inout")) {
            m_scan_inout = j;
            return std::nullopt;
        }
        if ((is_word(at(j), "some") || is_word(at(j), "any")) && at(j + 1).kind == TokenKind::identifier) ++j;
        const Token& t = at(j);
        if (t.kind == TokenKind::identifier || is_kw(t, "Self")) {
            ++j;
            for (;;) {
                if (is_punct(at(j), "<") && !at(j).space_before) {
                    const auto e = scan_generic_args(j, depth + 1);
                    if (!e) return std::nullopt;
                    j = *e;
                }
                if (is_punct(at(j), ".") && at(j + 1).kind == TokenKind::identifier && !at(j).space_before) {
                    j += 2;
                    continue;
                }
                break;
            }
        } else if (is_punct(t, "[")) {
            auto e = scan_type(j + 1, depth + 1);
            if (!e) return std::nullopt;
            j = *e;
            if (is_punct(at(j), ":")) {
                e = scan_type(j + 1, depth + 1);
                if (!e) return std::nullopt;
                j = *e;
            }
            if (!is_punct(at(j), "]")) return std::nullopt;
            ++j;
        } else if (is_punct(t, "(")) {
            ++j;
            while (!is_punct(at(j), ")")) {
                // Optional element label: `(name: Int)` or `(_ name: Int)`.
                if (is_name_like(at(j)) && is_punct(at(j + 1), ":")) j += 2;
                else if (is_name_like(at(j)) && is_name_like(at(j + 1)) && is_punct(at(j + 2), ":")) j += 3;
                const auto e = scan_type(j, depth + 1);
                if (!e) return std::nullopt;
                j = *e;
                if (is_punct(at(j), "...")) ++j;
                if (is_punct(at(j), ",")) {
                    ++j;
                    continue;
                }
                if (!is_punct(at(j), ")")) return std::nullopt;
            }
            ++j;
        } else {
            return std::nullopt;
        }
        // Optionals: `T?`, `T!`, `T??`.
        while ((is_punct(at(j), "?") || is_punct(at(j), "!") || is_punct(at(j), "??")) && !at(j).space_before) ++j;
        // Function types: `(A) async throws -> B`.
        std::size_t k = j;
        while (is_word(at(k), "async") || is_kw(at(k), "throws") || is_kw(at(k), "rethrows")) ++k;
        if (is_punct(at(k), "->")) return scan_type(k + 1, depth + 1);
        return j;
    }

    /// Index just past `<T, U>` starting at j (which is `<`).
    std::optional<std::size_t> scan_generic_args(std::size_t j, int depth) {
        if (depth > k_max_type_depth) return std::nullopt;
        ++j;
        for (;;) {
            const auto e = scan_type(j, depth + 1);
            if (!e) return std::nullopt;
            j = *e;
            if (is_punct(at(j), ",")) {
                ++j;
                continue;
            }
            if (is_punct(at(j), ">")) return j + 1;
            return std::nullopt;
        }
    }

    /// Skips a type annotation and returns its text.
    std::string skip_type() {
        if (m_panic) return {};
        m_scan_inout = k_npos;
        const auto e = scan_type(m_i);
        if (!e) {
            if (m_scan_inout != k_npos) unsupported(at(m_scan_inout).span, "`inout`");
            else expected("a type");
            return {};
        }
        const std::uint32_t b = tok().span.begin;
        skip_to(*e);
        return std::string(m_file.slice(Span{b, m_prev_end}));
    }

    /// A Name or Member chain naming the type in tokens [b, e); other types become a Name
    /// holding the type's text (`[String]`).
    const Expr* make_type_expr(std::size_t b, std::size_t e) {
        bool simple = e > b && at(b).kind == TokenKind::identifier;
        for (std::size_t j = b + 1; simple && j < e; j += 2)
            simple = is_punct(at(j), ".") && j + 1 < e && at(j + 1).kind == TokenKind::identifier;
        if (!simple) {
            const Span s{at(b).span.begin, at(e > b ? e - 1 : b).span.end};
            return m_program.make<Name>(s, std::string(m_file.slice(s)));
        }
        const Expr* x = m_program.make<Name>(at(b).span, std::string(at(b).text));
        for (std::size_t j = b + 1; j < e; j += 2)
            x = m_program.make<Member>(Span{at(b).span.begin, at(j + 1).span.end}, x, std::string(at(j + 1).text), at(j + 1).span);
        return x;
    }

    /// The type after `is`, `as`, `catch is`: a Name/Member expression naming it.
    const Expr* parse_type_expr() {
        if (m_panic) return error_expr();
        m_scan_inout = k_npos;
        const std::size_t b = m_i;
        const auto e = scan_type(m_i);
        if (!e) {
            expected("a type");
            return error_expr();
        }
        skip_to(*e);
        return make_type_expr(b, *e);
    }

    // ---------------------------------------------------------------------------------
    // Expressions
    // ---------------------------------------------------------------------------------

    const Expr* parse_expr() {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const Token& t = tok();
        if (is_kw(t, "try")) {
            const std::uint32_t begin = t.span.begin;
            advance();
            TryKind kind = TryKind::plain;
            if (is_punct(tok(), "?") && !tok().space_before) {
                kind = TryKind::optional;
                advance();
            } else if (is_punct(tok(), "!") && !tok().space_before) {
                kind = TryKind::force;
                advance();
            }
            const Expr* operand = parse_expr();
            return m_program.make<Try>(from(begin), kind, operand);
        }
        if (is_kw(t, "await")) {
            const std::uint32_t begin = t.span.begin;
            advance();
            const Expr* operand = parse_expr();
            return m_program.make<Await>(from(begin), operand);
        }
        return parse_ternary();
    }

    const Expr* parse_ternary() {
        const Expr* cond = parse_binary(0);
        if (m_panic || !is_punct(tok(), "?")) return cond;
        advance();
        const Expr* then_expr = parse_expr();
        if (m_panic) return then_expr;
        if (!expect_punct(":")) return error_expr();
        const Expr* else_expr = parse_expr();
        return m_program.make<Ternary>(Span::join(cond->span, else_expr->span), cond, then_expr, else_expr);
    }

    enum class OpClass : std::uint8_t { plain, cast, range };
    struct OpInfo {
        int prec = 0;
        BinaryOp op = BinaryOp::add;
        bool right_assoc = false;
        OpClass cls = OpClass::plain;
        std::size_t tokens = 1;  ///< `>>` is two touching `>` tokens
    };

    /// True when the current token is `a` and the next one is `b` with no space between them.
    [[nodiscard]] bool touching_pair(std::string_view a, std::string_view b) const {
        return is_punct(tok(), a) && is_punct(peek(), b) && !peek().space_before;
    }

    /// The binary operator at the current token, including `>>` (two touching `>`); none
    /// before `>>=`, which ends the expression of an assignment.
    [[nodiscard]] std::optional<OpInfo> binary_info_here() const {
        if (touching_pair(">", ">=")) return std::nullopt;
        if (touching_pair(">", ">")) return OpInfo{10, BinaryOp::shift_right, false, OpClass::plain, 2};
        return binary_info(tok());
    }

    static std::optional<OpInfo> binary_info(const Token& t) {
        if (is_kw(t, "is")) return OpInfo{6, BinaryOp::is_type, false, OpClass::cast};
        if (is_kw(t, "as")) return OpInfo{6, BinaryOp::cast, false, OpClass::cast};
        if (t.kind != TokenKind::punct) return std::nullopt;
        const std::string_view s = t.text;
        // Swift's precedence groups: BitwiseShift above Multiplication (`* / % & &*`), then
        // Addition (`+ - | ^ &+ &-`).
        if (s == "<<") return OpInfo{10, BinaryOp::shift_left};
        if (s == "&<<") return OpInfo{10, BinaryOp::masking_shift_left};
        if (s == "&>>") return OpInfo{10, BinaryOp::masking_shift_right};
        if (s == "&") return OpInfo{9, BinaryOp::bit_and};
        if (s == "&*") return OpInfo{9, BinaryOp::wrapping_mul};
        if (s == "|") return OpInfo{8, BinaryOp::bit_or};
        if (s == "^") return OpInfo{8, BinaryOp::bit_xor};
        if (s == "&+") return OpInfo{8, BinaryOp::wrapping_add};
        if (s == "&-") return OpInfo{8, BinaryOp::wrapping_sub};
        if (s == "*") return OpInfo{9, BinaryOp::mul};
        if (s == "/") return OpInfo{9, BinaryOp::div};
        if (s == "%") return OpInfo{9, BinaryOp::mod};
        if (s == "+") return OpInfo{8, BinaryOp::add};
        if (s == "-") return OpInfo{8, BinaryOp::sub};
        if (s == "..." || s == "..<") return OpInfo{7, BinaryOp::add, false, OpClass::range};
        if (s == "??") return OpInfo{5, BinaryOp::nil_coalesce, true};
        if (s == "==") return OpInfo{4, BinaryOp::eq};
        if (s == "!=") return OpInfo{4, BinaryOp::ne};
        if (s == "<") return OpInfo{4, BinaryOp::lt};
        if (s == "<=") return OpInfo{4, BinaryOp::le};
        if (s == ">") return OpInfo{4, BinaryOp::gt};
        if (s == ">=") return OpInfo{4, BinaryOp::ge};
        if (s == "===") return OpInfo{4, BinaryOp::identical};
        if (s == "!==") return OpInfo{4, BinaryOp::not_identical};
        if (s == "&&") return OpInfo{3, BinaryOp::logical_and};
        if (s == "||") return OpInfo{2, BinaryOp::logical_or};
        return std::nullopt;
    }

    [[nodiscard]] bool can_start_expression(const Token& t) const {
        if (t.kind == TokenKind::eof) return false;
        if (t.kind == TokenKind::punct)
            return t.text == "(" || t.text == "[" || t.text == "." || t.text == "-" || t.text == "!" || t.text == "+" ||
                   t.text == "~" || t.text == "\\";
        if (t.kind == TokenKind::keyword)
            return t.text == "true" || t.text == "false" || t.text == "nil" || t.text == "self" || t.text == "Self" ||
                   t.text == "super" || t.text == "try" || t.text == "await";
        return true;
    }

    const Expr* parse_binary(int min_prec) {
        const Expr* lhs = parse_prefix();
        while (!m_panic) {
            const Token& t = tok();
            const auto info = binary_info_here();
            if (!info) break;
            if (info->prec < min_prec) break;
            // An operator with space before and none after is a prefix operator of the next
            // expression (Swift's rule), e.g. a `-x` statement on the next line.
            if (t.kind == TokenKind::punct && t.space_before && !space_after(m_i + info->tokens - 1)) break;
            const Span op_span{t.span.begin, at(m_i + info->tokens - 1).span.end};
            if (info->tokens == 2) advance();
            if (info->cls == OpClass::cast) {
                BinaryOp op = info->op;
                advance();
                if (op == BinaryOp::cast && !tok().space_before && (is_punct(tok(), "?") || is_punct(tok(), "!"))) {
                    op = is_punct(tok(), "?") ? BinaryOp::cast_optional : BinaryOp::cast_force;
                    advance();
                }
                const Expr* type = parse_type_expr();
                lhs = m_program.make<Binary>(Span::join(lhs->span, type->span), op, lhs, type, Span{op_span.begin, m_prev_end});
                continue;
            }
            if (info->cls == OpClass::range) {
                const bool closed = t.text == "...";
                advance();
                const Expr* upper = nullptr;
                // `a...` is a one-sided range; `..<` always needs its upper bound.
                if (!closed || (can_start_expression(tok()) && !tok().newline_before)) upper = parse_binary(info->prec + 1);
                lhs = m_program.make<RangeExpr>(Span{lhs->span.begin, std::max(lhs->span.end, m_prev_end)}, lhs, upper, closed);
                continue;
            }
            advance();
            // A right-associative chain (`a ?? b ?? c`) recurses once per operator: it counts
            // as nesting. A left-associative one is this loop; its height is checked later.
            std::optional<DepthGuard> chain;
            if (info->right_assoc) {
                chain.emplace(*this);
                if (!chain->ok) return error_expr();
            }
            const Expr* rhs = parse_binary(info->right_assoc ? info->prec : info->prec + 1);
            lhs = m_program.make<Binary>(Span::join(lhs->span, rhs->span), info->op, lhs, rhs, op_span);
        }
        return lhs;
    }

    const Expr* parse_prefix() {
        const Token& t = tok();
        if (touching_pair(">", ">") && (is_punct(peek(2), ")") || is_punct(peek(2), ","))) {
            // `>>` is two `>` tokens (for generics), so it cannot stand alone as a function value.
            unsupported(Span{t.span.begin, peek().span.end}, "`>>` as a function value");
            return error_expr();
        }
        if (t.kind == TokenKind::punct && binary_info(t) && t.text != "..." && t.text != "..<" &&
            (is_punct(peek(), ")") || is_punct(peek(), ","))) {
            // An operator passed as a function: `xs.reduce(0, +)`, `sorted(by: <)`.
            advance();
            return m_program.make<Name>(t.span, std::string(t.text));
        }
        if (t.kind == TokenKind::punct && (t.text == "-" || t.text == "+" || t.text == "!" || t.text == "~")) {
            DepthGuard guard(*this);
            if (!guard.ok) return error_expr();
            const std::uint32_t begin = t.span.begin;
            if (t.text == "-" && peek().kind == TokenKind::integer && !peek().space_before && peek().above_int_max &&
                peek().int_value == std::numeric_limits<std::int64_t>::min()) {
                // `-9223372036854775808` is Int.min: the literal alone would not fit in an Int.
                const Span s{t.span.begin, peek().span.end};
                advance();
                advance();
                return m_program.make<IntLiteral>(s, std::numeric_limits<std::int64_t>::min());
            }
            const UnaryOp op = t.text == "-"   ? UnaryOp::negate
                               : t.text == "+" ? UnaryOp::plus
                               : t.text == "~" ? UnaryOp::bit_not
                                               : UnaryOp::logical_not;
            advance();
            const Expr* operand = parse_prefix();
            return m_program.make<Unary>(from(begin), op, operand);
        }
        if (t.kind == TokenKind::punct && (t.text == "..." || t.text == "..<")) {
            DepthGuard guard(*this);
            if (!guard.ok) return error_expr();
            const std::uint32_t begin = t.span.begin;
            const bool closed = t.text == "...";
            advance();
            const Expr* upper = parse_prefix();
            return m_program.make<RangeExpr>(from(begin), nullptr, upper, closed);
        }
        if (is_punct(t, "&") && !t.newline_before) {
            // `f(&x)`: only a whole argument may be `&place` (an `inout` argument).
            if (m_arg_start != m_i) {
                if (Diagnostic* d = fail(DiagnosticKind::expected_expression, t.span,
                                         "`&` may only be used to pass an argument to an `inout` parameter"))
                    d->notes.emplace_back("swiftc rejects it before running anything");
                return error_expr();
            }
            DepthGuard guard(*this);
            if (!guard.ok) return error_expr();
            const std::uint32_t begin = t.span.begin;
            advance();
            const Expr* operand = parse_postfix(parse_primary());
            if (m_panic) return operand;
            if (!assignment_problem(operand).empty() || operand->kind == ExprKind::tuple) {
                if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, operand->span,
                                         "`&` needs a variable, a property or a subscript"))
                    d->help.emplace_back("an `inout` argument is written back after the call, so it must be assignable");
                return error_expr();
            }
            return m_program.make<Unary>(from(begin), UnaryOp::address_of, operand);
        }
        if (is_kw(t, "try") || is_kw(t, "await")) return parse_expr();
        return parse_postfix(parse_primary());
    }

    const Expr* parse_postfix(const Expr* base) {
        Call* open_call = nullptr;  // a call made by `(…)` just now: trailing closures join it
        while (!m_panic) {
            const Token& t = tok();
            if (is_punct(t, ".")) {
                advance();
                const Token& n = tok();
                if (!(is_name_like(n) || n.kind == TokenKind::integer) || n.space_before) {
                    expected("a member name after `.`", SameLine::yes);
                    return base;
                }
                advance();
                base = m_program.make<Member>(Span{base->span.begin, n.span.end}, base, std::string(n.text), n.span);
                open_call = nullptr;
                continue;
            }
            if (is_punct(t, "(") && !t.newline_before) {
                auto* call = m_program.make<Call>(base->span, base);
                parse_args(call->args, ")");
                call->span = Span{base->span.begin, std::max(base->span.end, m_prev_end)};
                base = call;
                open_call = call;
                continue;
            }
            if (is_punct(t, "[") && !t.newline_before) {
                auto* sub = m_program.make<Subscript>(base->span, base);
                parse_args(sub->index, "]");
                sub->span = Span{base->span.begin, std::max(base->span.end, m_prev_end)};
                base = sub;
                open_call = nullptr;
                continue;
            }
            if (is_punct(t, "!") && !t.space_before) {
                advance();
                base = m_program.make<ForceUnwrap>(Span{base->span.begin, m_prev_end}, base);
                open_call = nullptr;
                continue;
            }
            if (is_punct(t, "?") && !t.space_before) {
                const Token& n = peek();
                if (!n.space_before && (is_punct(n, ".") || is_punct(n, "(") || is_punct(n, "["))) {
                    advance();
                    base = m_program.make<OptionalChain>(Span{base->span.begin, m_prev_end}, base);
                    open_call = nullptr;
                    continue;
                }
                if (is_punct(n, "]") && base->kind == ExprKind::name && is_type_name(static_cast<const Name*>(base)->name)) {
                    // An Optional element type in a typed collection: `[Int?](repeating: nil, count: 3)`.
                    advance();
                    continue;
                }
                break;
            }
            if (is_punct(t, "{") && !t.newline_before && m_trailing_allowed) {
                // `var x = 0 { didSet { … } }` is a property observer, not a trailing closure.
                if (is_word(peek(), "willSet") || is_word(peek(), "didSet")) break;
                base = parse_trailing_closures(base, open_call);
                open_call = nullptr;
                continue;
            }
            if (is_punct(t, "<") && !t.space_before && (base->kind == ExprKind::name || base->kind == ExprKind::member)) {
                // Generic arguments in expression position: `Task<Void, Never> { … }`, `Array<Int>()`.
                const auto e = scan_generic_args(m_i, 0);
                if (e && (is_punct(at(*e), "(") || is_punct(at(*e), "{") || is_punct(at(*e), "."))) {
                    skip_to(*e);
                    continue;
                }
                break;
            }
            break;
        }
        return base;
    }

    const Expr* parse_trailing_closures(const Expr* base, Call* open_call) {
        Call* call = open_call ? open_call : m_program.make<Call>(base->span, base);
        const Expr* first = parse_closure();
        call->args.push_back(Arg{"", first, first->span, true});
        while (!m_panic) {
            const Token& l = tok();
            if (is_name_like(l) && is_punct(peek(1), ":") && is_punct(peek(2), "{")) {
                const std::uint32_t lb = l.span.begin;
                std::string label(l.text);
                advance();
                advance();
                const Expr* c = parse_closure();
                call->args.push_back(Arg{std::move(label), c, from(lb), true});
                continue;
            }
            break;
        }
        call->span = Span{call->span.begin, std::max(call->span.end, m_prev_end)};
        return call;
    }

    /// True at a closing bracket or the end of the file: a list ends here, whatever it wanted.
    [[nodiscard]] bool at_closer() const {
        const Token& t = tok();
        return t.kind == TokenKind::eof || is_punct(t, ")") || is_punct(t, "]") || is_punct(t, "}");
    }

    void parse_args(std::vector<Arg>& out, std::string_view close) {
        advance();  // ( or [
        TrailingScope scope(*this, TrailingClosures::allowed);
        while (!m_panic && !at_closer()) {
            Arg a;
            const std::uint32_t b = tok().span.begin;
            if (is_name_like(tok()) && is_punct(peek(), ":")) {
                a.label = std::string(tok().text);
                advance();
                advance();
            }
            if (close == ")") m_arg_start = m_i;
            a.value = parse_expr();
            a.span = from(b);
            out.push_back(std::move(a));
            if (!accept_punct(",")) break;
        }
        if (!m_panic) expect_list_close(close);
    }

    const Expr* parse_primary() {
        const Token& t = tok();
        const std::uint32_t begin = t.span.begin;
        switch (t.kind) {
            case TokenKind::integer: {
                advance();
                auto* lit = m_program.make<IntLiteral>(t.span, t.int_value);
                lit->above_int_max = t.above_int_max;
                return lit;
            }
            case TokenKind::floating: advance(); return m_program.make<DoubleLiteral>(t.span, t.double_value);
            case TokenKind::string: advance(); return parse_string(t);
            case TokenKind::identifier: {
                advance();
                if (t.text.size() > 1 && t.text[0] == '$' &&
                    std::all_of(t.text.begin() + 1, t.text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
                    int n = 0;
                    for (std::size_t i = 1; i < t.text.size() && n <= k_max_shorthand; ++i) n = n * 10 + (t.text[i] - '0');
                    if (n > k_max_shorthand) {
                        unsupported(t.span, "shorthand arguments past `$" + std::to_string(k_max_shorthand) + "`", Number::plural);
                        return error_expr();
                    }
                    if (!m_closures.empty()) m_closures.back() = std::max(m_closures.back(), n);
                }
                return m_program.make<Name>(t.span, std::string(t.text));
            }
            case TokenKind::keyword: {
                const std::string_view k = t.text;
                if (k == "true" || k == "false") {
                    advance();
                    return m_program.make<BoolLiteral>(t.span, k == "true");
                }
                if (k == "nil") {
                    advance();
                    return m_program.make<NilLiteral>(t.span);
                }
                if (k == "self" || k == "Self" || k == "super") {
                    advance();
                    return m_program.make<Name>(t.span, std::string(k));
                }
                if (k == "if" || k == "switch") return parse_stmt_expr();
                break;
            }
            case TokenKind::punct: {
                if (t.text == ".") {
                    advance();
                    const Token& n = tok();
                    if (!is_name_like(n) || n.space_before) {
                        expected("a member name after `.`", SameLine::yes);
                        return error_expr();
                    }
                    advance();
                    return m_program.make<Member>(from(begin), nullptr, std::string(n.text), n.span);
                }
                if (t.text == "(") return parse_paren();
                if (t.text == "[") return parse_bracket();
                if (t.text == "{") return parse_closure();
                if (t.text == "\\") {
                    unsupported(t.span, "key paths `\\.x`", Number::plural);
                    return error_expr();
                }
                break;
            }
            case TokenKind::pound:
                if (const Expr* lit = parse_pound_literal(t)) return lit;
                unsupported(t.span, "`" + std::string(t.text) + "`");
                return error_expr();
            case TokenKind::invalid:
                advance();
                m_panic = true;  // already reported by the lexer
                m_error_stream = m_toks;
                m_error_at = m_i;
                return error_expr();
            default: break;
        }
        fail(DiagnosticKind::expected_expression, found_span(t), "expected an expression, found " + describe(t));
        return error_expr();
    }

    /// `#function`, `#line`, `#column`, `#fileID`, `#file`, `#filePath`: literals, as swiftc
    /// makes them for a file compiled as `main.swift` in the module `main`.
    const Expr* parse_pound_literal(const Token& t) {
        const std::string_view w = t.text;
        if (w == "#line" || w == "#column") {
            advance();
            const LineCol lc = m_file.locate(t.span.begin);
            return m_program.make<IntLiteral>(t.span, w == "#line" ? lc.line : lc.column);
        }
        std::string text;
        if (w == "#function") text = m_function_names.empty() ? "main" : m_function_names.back();
        else if (w == "#fileID") text = "main/main.swift";
        else if (w == "#file") text = swift6 ? "main/main.swift" : "main.swift";
        else if (w == "#filePath") text = "main.swift";
        else return nullptr;
        advance();
        auto* s = m_program.make<StringLiteral>(t.span);
        s->parts.push_back(StringPart{std::move(text), nullptr, 0, {}});
        return s;
    }

    const Expr* parse_string(const Token& t) {
        auto* s = m_program.make<StringLiteral>(t.span);
        const swift::LexedString& ls = m_lex.strings[t.string_index];
        for (const swift::StringSegment& seg : ls.segments) {
            if (!seg.is_interpolation) {
                s->parts.push_back(StringPart{seg.text, nullptr, 0, {}});
                continue;
            }
            const Expr* e = nullptr;
            {
                StreamScope stream(*this, &seg.tokens);
                TrailingScope trailing(*this, TrailingClosures::allowed);
                e = parse_expr();
                if (!m_panic) expect_punct(")");
            }
            if (m_panic) return error_expr();
            s->parts.push_back(StringPart{{}, e, 0, {}});
        }
        return s;
    }

    const Expr* parse_paren() {
        const std::uint32_t begin = tok().span.begin;
        advance();
        TrailingScope scope(*this, TrailingClosures::allowed);
        auto* tup = m_program.make<TupleExpr>(Span{begin, begin});
        bool trailing_comma = false;
        while (!m_panic && !at_closer()) {
            std::string label;
            if (is_name_like(tok()) && is_punct(peek(), ":")) {
                label = std::string(tok().text);
                advance();
                advance();
            }
            tup->elements.push_back(parse_expr());
            tup->labels.push_back(std::move(label));
            trailing_comma = false;
            if (!accept_punct(",")) break;
            trailing_comma = true;
        }
        if (!m_panic) expect_list_close(")");
        if (m_panic) return error_expr();
        if (tup->elements.size() == 1 && tup->labels[0].empty() && !trailing_comma) return tup->elements[0];
        tup->span = from(begin);
        return tup;
    }

    /// `[T]()` or `[K: V]()`: an empty array or dictionary of a written type.
    const Expr* try_typed_empty_collection() {
        const std::uint32_t begin = tok().span.begin;
        auto e = scan_type(m_i + 1);
        if (!e) return nullptr;
        std::size_t j = *e;
        bool dict = false;
        if (is_punct(at(j), ":")) {
            dict = true;
            e = scan_type(j + 1);
            if (!e) return nullptr;
            j = *e;
        }
        if (!is_punct(at(j), "]") || !is_punct(at(j + 1), "(") || at(j + 1).space_before || !is_punct(at(j + 2), ")"))
            return nullptr;
        skip_to(j + 3);
        if (dict) return m_program.make<DictLiteral>(from(begin));
        return m_program.make<ArrayLiteral>(from(begin));
    }

    const Expr* parse_bracket() {
        const std::uint32_t begin = tok().span.begin;
        if (const Expr* typed = try_typed_empty_collection()) return typed;
        advance();
        TrailingScope scope(*this, TrailingClosures::allowed);
        if (accept_punct("]")) return m_program.make<ArrayLiteral>(from(begin));
        if (is_punct(tok(), ":") && is_punct(peek(), "]")) {
            advance();
            advance();
            return m_program.make<DictLiteral>(from(begin));
        }
        const Expr* first = parse_expr();
        if (m_panic) return error_expr();
        if (accept_punct(":")) {
            auto* dict = m_program.make<DictLiteral>(Span{begin, begin});
            const Expr* v = parse_expr();
            dict->entries.emplace_back(first, v);
            while (!m_panic && accept_punct(",")) {
                if (is_punct(tok(), "]")) break;
                const Expr* k = parse_expr();
                if (m_panic || !expect_punct(":")) break;
                dict->entries.emplace_back(k, parse_expr());
            }
            if (!m_panic) expect_list_close("]");
            dict->span = from(begin);
            return m_panic ? error_expr() : dict;
        }
        auto* arr = m_program.make<ArrayLiteral>(Span{begin, begin});
        arr->elements.push_back(first);
        while (!m_panic && accept_punct(",")) {
            if (is_punct(tok(), "]")) break;
            arr->elements.push_back(parse_expr());
        }
        if (!m_panic) expect_list_close("]");
        arr->span = from(begin);
        return m_panic ? error_expr() : arr;
    }

    /// Whether the closure whose body starts at token j has a signature ending in `in`.
    [[nodiscard]] bool closure_has_signature(std::size_t j) const {
        while (at(j).kind == TokenKind::attribute) {
            ++j;
            if (is_punct(at(j), "(") && !at(j).space_before) {
                j = skip_balanced(j);
                if (j == k_npos) return false;
            }
        }
        if (is_punct(at(j), "[")) {
            j = skip_balanced(j);
            if (j == k_npos) return false;
        }
        if (is_punct(at(j), "(")) {
            j = skip_balanced(j);
            if (j == k_npos) return false;
            while (is_word(at(j), "async") || is_kw(at(j), "throws") || is_kw(at(j), "rethrows")) ++j;
            if (is_punct(at(j), "->")) {
                // The result type runs up to `in`; bail out at anything a type cannot hold.
                for (++j; !is_kw(at(j), "in"); ++j) {
                    const Token& t = at(j);
                    if (t.kind == TokenKind::eof || is_punct(t, "{") || is_punct(t, "}") || is_punct(t, ";") ||
                        t.kind == TokenKind::keyword)
                        return false;
                }
            }
            return is_kw(at(j), "in");
        }
        if (at(j).kind == TokenKind::identifier) {
            ++j;
            while (is_punct(at(j), ",") && at(j + 1).kind == TokenKind::identifier) j += 2;
            while (is_word(at(j), "async") || is_kw(at(j), "throws")) ++j;
            if (is_punct(at(j), "->")) {
                for (++j; !is_kw(at(j), "in"); ++j) {
                    const Token& t = at(j);
                    if (t.kind == TokenKind::eof || is_punct(t, "{") || is_punct(t, "}") || is_punct(t, ";") ||
                        t.kind == TokenKind::keyword)
                        return false;
                }
            }
        }
        return is_kw(at(j), "in");
    }

    void parse_closure_signature(Closure& c) {
        while (tok().kind == TokenKind::attribute) {  // `{ @MainActor in … }`, `{ @Sendable in … }`
            if (tok().text == "@MainActor") c.main_actor = true;
            advance();
            if (is_punct(tok(), "(") && !tok().space_before) skip_balanced_here();
        }
        if (is_punct(tok(), "[")) {
            advance();
            while (!m_panic && !is_punct(tok(), "]") && !at_eof()) {
                if ((is_word(tok(), "weak") || is_word(tok(), "unowned")) && is_name_like(peek())) advance();
                if (is_punct(tok(), "(")) skip_balanced_here();  // unowned(safe)
                if (tok().kind != TokenKind::identifier && !is_kw(tok(), "self")) {
                    expected("a captured name");
                    return;
                }
                c.captures.emplace_back(tok().text);
                advance();
                if (accept_punct("=")) parse_expr();
                if (!accept_punct(",")) break;
            }
            if (!m_panic) expect_list_close("]");
        }
        if (is_punct(tok(), "(")) {
            advance();
            while (!m_panic && !is_punct(tok(), ")") && !at_eof()) {
                const Token& first = tok();
                if (first.kind != TokenKind::identifier) {
                    expected("a parameter name");
                    return;
                }
                Param p;
                p.name = std::string(first.text);
                advance();
                if (tok().kind == TokenKind::identifier) {
                    p.name = std::string(tok().text);
                    advance();
                }
                p.label = p.name;
                p.span = from(first.span.begin);
                if (accept_punct(":")) skip_type();
                c.params.push_back(p);
                if (!accept_punct(",")) break;
            }
            if (!m_panic) expect_list_close(")");
        } else {
            while (!m_panic && tok().kind == TokenKind::identifier && !is_word(tok(), "async")) {
                Param p;
                p.name = p.label = std::string(tok().text);
                p.span = tok().span;
                c.params.push_back(p);
                advance();
                if (!accept_punct(",")) break;
            }
        }
        if (m_panic) return;
        parse_effects(c.is_async, c.throws);
        if (accept_punct("->")) skip_type();
        if (m_panic) return;
        if (!is_kw(tok(), "in")) {
            expected("`in`");
            return;
        }
        advance();
    }

    const Expr* parse_closure() {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const std::uint32_t begin = tok().span.begin;
        advance();  // {
        auto* c = m_program.make<Closure>(Span{begin, begin});
        TrailingScope scope(*this, TrailingClosures::allowed);
        m_closures.push_back(-1);
        if (closure_has_signature(m_i)) parse_closure_signature(*c);
        if (!m_panic) {
            JumpScope body(*this, JumpContext{});  // so does a closure's
            parse_items(c->body, BlockEnd::brace, nullptr);
            if (!m_stop) expect_punct("}");
        }
        const int highest = m_closures.back();
        m_closures.pop_back();
        if (highest >= 0 && c->params.empty()) {
            for (int i = 0; i <= highest; ++i) {
                Param p;
                p.name = p.label = "$" + std::to_string(i);
                p.span = Span{begin, begin};
                c->params.push_back(p);
            }
        }
        c->implicit_return = c->body.size() == 1 && c->body[0]->kind == StmtKind::expr;
        c->span = from(begin);
        return c;
    }
};

/// Re-orders diagnostics by position (lexer, parser and directive errors interleave) and
/// keeps at most k_max_errors of them.
void sort_diagnostics(DiagnosticList& list) {
    std::vector<Diagnostic> items = list.items();
    std::stable_sort(items.begin(), items.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.span.begin < b.span.begin; });
    if (items.size() > k_max_errors) {
        items.resize(k_max_errors);
        auto& notes = items.back().notes;
        if (std::find(notes.begin(), notes.end(), "too many errors; stopping here") == notes.end())
            notes.emplace_back("too many errors; stopping here");
    }
    list.clear();
    for (auto& d : items) {
        Diagnostic& copy = d.severity == Severity::error ? list.error(d.kind, d.span, d.message) : list.warning(d.kind, d.span, d.message);
        copy.severity = d.severity;
        copy.notes = std::move(d.notes);
        copy.help = std::move(d.help);
    }
}

}  // namespace

ParseResult parse_swift(std::shared_ptr<const SourceFile> file) {
    ParseResult result;
    result.program = std::make_shared<Program>();
    result.program->language = Language::swift;
    result.program->file = file;
    if (!file) return result;
    const swift::LexResult lex = swift::lex_swift(*file, result.diagnostics);
    Parser parser(*file, lex, *result.program, result.diagnostics);
    for (const swift::LineComment& c : lex.comments) {
        const std::string_view body = file->slice(c.body);
        if (body.find("tasklab:") != std::string_view::npos && body.find("swift-version 6") != std::string_view::npos)
            parser.swift6 = true;
    }
    parser.run();
    result.parser_work = parser.work();
    check_tree_depth(*result.program, result.diagnostics);
    DirectiveState state;
    for (const swift::LineComment& c : lex.comments)
        collect_directive(file->slice(c.body), c.body, *result.program, result.diagnostics, state);
    attach_notes(*result.program, state, result.diagnostics);
    sort_diagnostics(result.diagnostics);
    return result;
}

}  // namespace tasklab
