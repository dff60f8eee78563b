// The parser of tasklab's Python (asyncio) subset: tokens from lexer_python.hpp in, the
// shared AST out.
//
// A hand-written recursive-descent parser over CPython 3.11's grammar. A simple statement
// ends with a NEWLINE token (or `;`); a compound statement's header ends with `:` and its body
// is either the rest of the line or an INDENT … DEDENT block. Error recovery works by logical
// line: the first error in a statement is reported, the parser enters "panic" (no more
// reports), unwinds to the nearest statement list, skips the broken line and the block
// indented under it, and carries on; after 20 errors it stops (stopping also abandons the
// statement, so every loop guarded by "no error yet" ends). Every loop consumes a token or
// stops, and nesting is capped (k_max_depth, `**` chains and prefix operators included) so no
// input can overflow the C++ stack; the finished tree's height is checked without recursion
// (front_end_limits.hpp). Every token read is counted (ParseResult::parser_work); past
// k_parser_work_per_token reads per token the parser sees only the end of the file, a safety
// net that tests check is never needed.
//
// A few constructs are rewritten into nodes the interpreter already knows (each keeps the
// span of what was written):
//   assert c, m        →  if not c: raise AssertionError(m)
//   a < b < c          →  a < b and b < c        (when b is a name, literal or attribute;
//                          otherwise a CompareChain that evaluates each operand once)
//   x //= y, x **= y   →  x = x // y, x = x ** y
//   a[lo:hi:st]        →  a subscript whose index is a half-open RangeExpr (either bound and
//                          the step may be null)
//   ...                →  `pass` as a statement, the name `Ellipsis` as a value
//
// Some code CPython refuses before running anything is refused here too, so a scenario that
// parses stays runnable by python3: `await`/`async for`/`async with` outside `async def`,
// `return` outside a function, `break`/`continue` outside a loop, jumps out of an `except*`
// block, `nonlocal` at module level (these as unsupported_construct, with a note saying so),
// duplicate parameters and repeated keyword arguments (expected_token).
#include <algorithm>

#include "directives.hpp"
#include "front_end_limits.hpp"
#include "frontend.hpp"
#include "lexer_python.hpp"

namespace tasklab {

namespace {

using namespace ast;
using python::Token;
using python::TokenKind;

constexpr int k_max_depth = 400;  // about 200 nested brackets, as in CPython
constexpr std::size_t k_max_errors = 20;
constexpr const char* k_subset_note = "tasklab runs a subset of Python; see docs/language.md";
constexpr const char* k_too_many = "too many errors; stopping here";

/// Grammatical number of an unsupported construct's name ("`match` is", "slices are").
enum class Number : std::uint8_t { singular, plural };
/// Where a statement list ends.
enum class BlockEnd : std::uint8_t { dedent, eof };
/// What encloses the code being parsed (for `await`, `return`, `break` checks).
enum class Scope : std::uint8_t { module, function, async_function, class_body, lambda };
/// Whether an expression list may form a tuple without parentheses.
enum class Tuples : std::uint8_t { allowed, forbidden };

bool is_target_kind(const Expr* e) {
    return e->kind == ExprKind::name || e->kind == ExprKind::member || e->kind == ExprKind::subscript;
}

class Parser {
public:
    Parser(const SourceFile& file, const python::LexResult& lex, Program& program, DiagnosticList& diags)
        : m_file(file), m_lex(lex), m_program(program), m_diags(diags), m_toks(&lex.tokens) {
        std::uint64_t tokens = lex.tokens.size();
        for (const python::LexedString& ls : lex.strings)
            for (const python::StringSegment& seg : ls.segments) tokens += seg.tokens.size();
        m_work_budget = k_parser_work_per_token * (tokens + 1);
        m_eof.kind = TokenKind::eof;
        m_eof.span = Span{static_cast<std::uint32_t>(file.text().size()), static_cast<std::uint32_t>(file.text().size())};
    }

    void run() {
        parse_items(m_program.body, BlockEnd::eof);
        if (m_over_budget)
            m_diags.error(DiagnosticKind::front_end_limit, Span{m_prev_end, m_prev_end},
                          "the parser gave up: this input needs more than " + std::to_string(k_parser_work_per_token) +
                              " steps per token");
    }
    /// Tokens read so far (every tok(), peek() and at()).
    [[nodiscard]] std::uint64_t work() const { return m_work; }

private:
    const SourceFile& m_file;
    const python::LexResult& m_lex;
    Program& m_program;
    DiagnosticList& m_diags;

    const std::vector<Token>* m_toks;
    std::size_t m_i = 0;
    mutable std::uint64_t m_work = 0;   // tokens read
    mutable bool m_over_budget = false;
    std::uint64_t m_work_budget = 0;
    Token m_eof;                        // what every read returns once over budget
    std::uint32_t m_prev_end = 0;

    bool m_panic = false;  // an error was reported in the current statement
    bool m_stop = false;   // too many errors: stop parsing
    bool m_too_deep_reported = false;
    std::uint32_t m_last_error_pos = static_cast<std::uint32_t>(-1);
    const std::vector<Token>* m_error_stream = nullptr;
    std::size_t m_error_at = 0;
    int m_depth = 0;
    std::vector<Scope> m_scopes{Scope::module};
    int m_loops = 0;  // loops around the current statement inside the current function
    int m_star_loops = -1;  // m_loops where the innermost `except*` body began (-1: not in one)
    bool m_annotation = false;  // inside a type annotation: `|` unions are allowed
    /// What the `def` being parsed holds that decides what it is: its `yield`s (a generator)
    /// and its first `return value` (refused in an async generator).
    struct FunctionBody {
        std::vector<Span> yields;
        std::vector<Span> awaits;  ///< to tell an asynchronous comprehension from a synchronous one
        Span return_value{};
        bool has_return_value = false;
    };
    std::vector<FunctionBody> m_function_bodies;

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
        if (tok().kind == TokenKind::eof) return;
        // Layout tokens do not move the end of the last real token (spans end at code).
        if (tok().kind != TokenKind::newline && tok().kind != TokenKind::indent && tok().kind != TokenKind::dedent)
            m_prev_end = tok().span.end;
        ++m_i;
    }
    void skip_to(std::size_t j) {
        while (m_i < j && tok().kind != TokenKind::eof) advance();
    }
    static bool is_op(const Token& t, std::string_view p) { return t.kind == TokenKind::op && t.text == p; }
    static bool is_kw(const Token& t, std::string_view k) { return t.kind == TokenKind::keyword && t.text == k; }
    static bool is_name(const Token& t, std::string_view n) { return t.kind == TokenKind::name && t.text == n; }
    [[nodiscard]] bool at_eof() const { return tok().kind == TokenKind::eof; }
    [[nodiscard]] bool at_line_end() const { return tok().kind == TokenKind::newline || tok().kind == TokenKind::eof; }
    bool accept_op(std::string_view p) {
        if (!is_op(tok(), p)) return false;
        advance();
        return true;
    }
    bool accept_kw(std::string_view k) {
        if (!is_kw(tok(), k)) return false;
        advance();
        return true;
    }
    [[nodiscard]] Span from(std::uint32_t begin) const { return {begin, std::max(begin, m_prev_end)}; }
    [[nodiscard]] std::string text_of(Span s) const { return std::string(m_file.slice(s)); }

    // ---------------------------------------------------------------------------------
    // Diagnostics
    // ---------------------------------------------------------------------------------

    /// The first token at or after j that is not a DEDENT (what a reader sees next).
    [[nodiscard]] const Token& visible(std::size_t j) const {
        while (at(j).kind == TokenKind::dedent) ++j;
        return at(j);
    }

    /// How a found token reads in "expected X, found Y".
    [[nodiscard]] std::string describe(const Token& t0) const {
        const Token& t = t0.kind == TokenKind::dedent ? visible(static_cast<std::size_t>(&t0 - m_toks->data())) : t0;
        switch (t.kind) {
            case TokenKind::eof: return "end of file";
            case TokenKind::newline: return "end of line";
            case TokenKind::indent: return "an indented block";
            case TokenKind::string: return "a string literal";
            case TokenKind::invalid: return "an invalid token";
            default: return "`" + std::string(t.text) + "`";
        }
    }
    [[nodiscard]] Span found_span(const Token& t0) const {
        const Token& t = t0.kind == TokenKind::dedent ? visible(static_cast<std::size_t>(&t0 - m_toks->data())) : t0;
        if (t.kind == TokenKind::eof || t.kind == TokenKind::newline) return {m_prev_end, m_prev_end};
        return t.span;
    }

    Diagnostic* report(DiagnosticKind kind, Span span, std::string message) {
        if (m_panic || m_stop) return nullptr;
        if (span.begin == m_last_error_pos) return nullptr;
        m_last_error_pos = span.begin;
        if (m_diags.size() >= k_max_errors) {
            m_stop = m_panic = true;
            return nullptr;
        }
        Diagnostic& d = m_diags.error(kind, span, std::move(message));
        if (m_diags.size() >= k_max_errors) {
            d.notes.emplace_back(k_too_many);
            // Stopping abandons the statement too: loops that run while there is no error
            // yet must end, whatever the caller does with this report.
            m_stop = m_panic = true;
        }
        return &d;
    }
    Diagnostic* fail(DiagnosticKind kind, Span span, std::string message) {
        Diagnostic* d = report(kind, span, std::move(message));
        if (!m_panic) {
            m_error_stream = m_toks;
            m_error_at = m_i;
        }
        m_panic = true;
        return d;
    }
    /// The current token is an invalid one the lexer already reported: give up quietly.
    void quiet_fail() {
        if (!m_panic) {
            m_error_stream = m_toks;
            m_error_at = m_i;
        }
        m_panic = true;
    }
    void unsupported(Span span, const std::string& what, Number number = Number::singular) {
        const char* verb = number == Number::singular ? " is not supported yet" : " are not supported yet";
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, span, what + verb)) d->notes.emplace_back(k_subset_note);
    }
    Diagnostic* expected(const std::string& what) {
        if (tok().kind == TokenKind::invalid) {
            quiet_fail();
            return nullptr;
        }
        return fail(DiagnosticKind::expected_token, found_span(tok()), "expected " + what + ", found " + describe(tok()));
    }
    bool expect_op(std::string_view p) {
        if (accept_op(p)) return true;
        expected("`" + std::string(p) + "`");
        return false;
    }
    /// Expects the closer of a bracket opened by token `open`; names the opener when the
    /// line or file ends first.
    void expect_close(std::string_view close, const Token& open) {
        if (accept_op(close)) return;
        const Token& t = tok();
        const bool closer = is_op(t, ")") || is_op(t, "]") || is_op(t, "}") || at_line_end();
        Diagnostic* d = expected(closer ? "`" + std::string(close) + "`" : "`,` or `" + std::string(close) + "`");
        if (d && at_line_end())
            d->notes.push_back("the `" + std::string(open.text) + "` on line " + std::to_string(m_file.locate(open.span.begin).line) +
                               " is never closed");
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
            d->notes.push_back("a bracket counts two levels (so about 200 nested brackets, CPython's own limit); blocks, "
                               "`not`, `-` and `**` count too");
    }

    /// Parses from another token stream (an f-string replacement field), then comes back.
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

    /// Enters a function, class or lambda body: a new scope, no enclosing loop.
    struct ScopeGuard {
        Parser& p;
        int loops;
        int star_loops;
        ScopeGuard(Parser& parser, Scope s) : p(parser), loops(parser.m_loops), star_loops(parser.m_star_loops) {
            p.m_scopes.push_back(s);
            p.m_loops = 0;
            p.m_star_loops = -1;
        }
        ~ScopeGuard() {
            p.m_scopes.pop_back();
            p.m_loops = loops;
            p.m_star_loops = star_loops;
        }
        ScopeGuard(const ScopeGuard&) = delete;
        ScopeGuard& operator=(const ScopeGuard&) = delete;
    };

    [[nodiscard]] bool in_async_function() const { return m_scopes.back() == Scope::async_function; }
    [[nodiscard]] bool in_function() const {
        return m_scopes.back() == Scope::function || m_scopes.back() == Scope::async_function;
    }

    /// `await`, `async for` and `async with` need an `async def` around them.
    void check_async_context(Span span, const std::string& what) {
        if (in_async_function()) return;
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, span, what + " outside an async function")) {
            d->notes.emplace_back("Python allows it only inside `async def` (and in the asyncio REPL)");
            d->help.emplace_back("put the code in `async def main():` and run it with `asyncio.run(main())`");
        }
    }

    const Expr* error_expr() { return m_program.make<Name>(tok().span, "<error>"); }

    // ---------------------------------------------------------------------------------
    // Recovery
    // ---------------------------------------------------------------------------------

    /// Skips an INDENT … DEDENT block (the current token is the INDENT).
    void skip_block() {
        int depth = 0;
        do {
            if (tok().kind == TokenKind::indent) ++depth;
            if (tok().kind == TokenKind::dedent) --depth;
            advance();
        } while (depth > 0 && !at_eof());
    }

    /// Skips the rest of a logical line and the block indented under it.
    void skip_logical_line() {
        if (tok().kind == TokenKind::indent) {
            skip_block();
            return;
        }
        while (!at_eof() && tok().kind != TokenKind::newline && tok().kind != TokenKind::dedent &&
               tok().kind != TokenKind::indent)
            advance();
        if (tok().kind == TokenKind::newline) advance();
        if (tok().kind == TokenKind::indent) skip_block();
    }

    /// Abandons the statement that began at token `start` and moves past it.
    void recover(std::size_t start) {
        const bool same_stream = m_error_stream == m_toks;
        const std::size_t error_at = m_error_at;
        m_i = start;
        m_prev_end = m_i > 0 ? at(m_i - 1).span.end : 0;
        skip_logical_line();
        if (same_stream && m_i < error_at) {
            // The error lies past this line (after a block of the same statement): skip to
            // it, but never out of the current block.
            int depth = 0;
            bool ok = true;
            for (std::size_t j = m_i; j < error_at && ok; ++j) {
                if (at(j).kind == TokenKind::indent) ++depth;
                if (at(j).kind == TokenKind::dedent && --depth < 0) ok = false;
            }
            if (ok && depth == 0) {
                skip_to(error_at);
                if (tok().kind != TokenKind::dedent) skip_logical_line();
            }
        }
        // The clauses that continue the abandoned statement go with it.
        while (!at_eof() && (is_kw(tok(), "elif") || is_kw(tok(), "else") || is_kw(tok(), "except") || is_kw(tok(), "finally")))
            skip_logical_line();
        if (!m_stop) m_panic = false;
    }

    // ---------------------------------------------------------------------------------
    // Statement lists
    // ---------------------------------------------------------------------------------

    void parse_items(Block& out, BlockEnd end) {
        while (!m_stop) {
            const Token& t = tok();
            if (t.kind == TokenKind::eof) break;
            if (t.kind == TokenKind::dedent) {
                if (end == BlockEnd::dedent) break;
                advance();
                continue;
            }
            if (t.kind == TokenKind::newline) {
                advance();
                continue;
            }
            if (t.kind == TokenKind::indent) {
                if (Diagnostic* d = report(DiagnosticKind::inconsistent_indentation, t.span, "unexpected indent"))
                    d->notes.emplace_back("only the line after a `:` that ends a line starts a deeper block");
                advance();
                DepthGuard guard(*this);
                if (!guard.ok) {
                    m_panic = false;
                    return;
                }
                parse_items(out, BlockEnd::dedent);
                if (tok().kind == TokenKind::dedent) advance();
                continue;
            }
            const std::size_t start = m_i;
            const std::size_t size_before = out.size();
            parse_statement(out);
            if (m_stop) break;
            if (m_panic) {
                out.resize(size_before);
                recover(start);
            }
            if (m_i == start && !at_eof() && tok().kind != TokenKind::dedent) advance();
        }
    }

    /// `: NEWLINE INDENT statements DEDENT`, or `: simple statements` on the same line.
    void parse_suite(Block& out, const std::string& after) {
        if (m_panic) return;
        if (!accept_op(":")) {
            expected("`:`");
            return;
        }
        if (tok().kind != TokenKind::newline) {
            if (at_eof()) {
                expected("a statement");
                return;
            }
            parse_simple_statements(out);
            return;
        }
        advance();
        if (tok().kind != TokenKind::indent) {
            fail(DiagnosticKind::expected_token, found_span(tok()),
                 "expected an indented block after " + after + ", found " + describe(tok()));
            return;
        }
        advance();
        DepthGuard guard(*this);
        if (!guard.ok) return;
        parse_items(out, BlockEnd::dedent);
        if (tok().kind == TokenKind::dedent) advance();
    }

    // ---------------------------------------------------------------------------------
    // Statements
    // ---------------------------------------------------------------------------------

    void parse_statement(Block& out) {
        DepthGuard guard(*this);
        if (!guard.ok) return;
        const std::uint32_t begin = tok().span.begin;
        const Token& t = tok();
        if (t.kind == TokenKind::keyword) {
            const std::string_view k = t.text;
            const Stmt* s = nullptr;
            if (k == "if") s = parse_if(begin);
            else if (k == "while") s = parse_while(begin);
            else if (k == "for") s = parse_for(begin, false);
            else if (k == "try") s = parse_try(begin);
            else if (k == "with") s = parse_with(begin, false);
            else if (k == "def") s = parse_def(begin, {}, false);
            else if (k == "class") s = parse_class(begin, {});
            else if (k == "async") s = parse_async(begin, {});
            else if (k == "else" || k == "elif" || k == "except" || k == "finally") {
                if (Diagnostic* d = fail(DiagnosticKind::expected_token, t.span, "expected a statement, found `" + std::string(k) + "`")) {
                    const char* owner = k == "elif" ? "an `if`" : k == "else" ? "an `if`, `for`, `while` or `try` block" : "a `try` block";
                    d->notes.push_back("`" + std::string(k) + "` must follow " + owner + " at the same indentation");
                }
                return;
            } else {
                parse_simple_statements(out);
                return;
            }
            if (s && !m_panic) out.push_back(s);
            return;
        }
        if (is_op(t, "@")) {
            const Stmt* s = parse_decorated(begin);
            if (s && !m_panic) out.push_back(s);
            return;
        }
        if (t.kind == TokenKind::name) {
            if (t.text == "match" && looks_like_compound_header()) {
                unsupported(t.span, "`match` statements", Number::plural);
                return;
            }
            if (t.text == "type" && peek().kind == TokenKind::name && (is_op(peek(2), "=") || is_op(peek(2), "["))) {
                unsupported(t.span, "`type` alias statements", Number::plural);
                return;
            }
        }
        parse_simple_statements(out);
    }

    /// True when the logical line from here ends with `:` and a block follows (a soft
    /// keyword like `match` starts a statement, not an expression).
    [[nodiscard]] bool looks_like_compound_header() const {
        const Token& n = peek();
        if (n.kind == TokenKind::op && n.text != "(" && n.text != "[" && n.text != "{" && n.text != "-" && n.text != "+")
            return false;
        if (n.kind == TokenKind::newline || n.kind == TokenKind::eof) return false;
        std::size_t j = m_i;
        while (at(j).kind != TokenKind::newline && at(j).kind != TokenKind::eof) ++j;
        return j > m_i && is_op(at(j - 1), ":") && at(j + 1).kind == TokenKind::indent;
    }

    /// Simple statements separated by `;` up to the end of the logical line.
    void parse_simple_statements(Block& out) {
        for (;;) {
            parse_small_statement(out);
            if (m_panic) return;
            if (accept_op(";")) {
                if (at_line_end()) break;
                continue;
            }
            break;
        }
        if (tok().kind == TokenKind::newline) {
            advance();
            return;
        }
        if (at_eof()) return;
        const Token& n = tok();
        if (n.kind == TokenKind::invalid) {
            quiet_fail();
        } else if (is_op(n, ")") || is_op(n, "]") || is_op(n, "}")) {
            fail(DiagnosticKind::expected_token, n.span, "unmatched `" + std::string(n.text) + "`");
        } else if (Diagnostic* d = fail(DiagnosticKind::expected_token, n.span, "expected end of line, found " + describe(n))) {
            if (is_op(n, "!")) d->help.emplace_back("Python writes `not x` where other languages write `!x`");
            else d->notes.emplace_back("statements on one line must be separated by `;`");
        }
    }

    void parse_small_statement(Block& out) {
        const std::uint32_t begin = tok().span.begin;
        const Token& t = tok();
        if (t.kind == TokenKind::keyword) {
            const std::string_view k = t.text;
            if (k == "pass") {
                advance();
                out.push_back(m_program.make<Pass>(from(begin)));
                return;
            }
            if (k == "break" || k == "continue") {
                advance();
                if (m_loops == 0) {
                    if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, t.span, "`" + std::string(k) + "` outside a loop"))
                        d->notes.emplace_back("Python rejects it before running anything");
                    return;
                }
                if (m_loops == m_star_loops) {
                    leaves_except_star(t);
                    return;
                }
                if (k == "break") out.push_back(m_program.make<Break>(from(begin)));
                else out.push_back(m_program.make<Continue>(from(begin)));
                return;
            }
            if (k == "return") {
                advance();
                if (!in_function()) {
                    if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, t.span, "`return` outside a function"))
                        d->notes.emplace_back("Python rejects it before running anything");
                    return;
                }
                if (m_star_loops >= 0) {
                    leaves_except_star(t);
                    return;
                }
                const Expr* v = starts_expression(tok()) ? parse_expr_list(Tuples::allowed) : nullptr;
                out.push_back(m_program.make<Return>(from(begin), v));
                if (v && !m_function_bodies.empty() && !m_function_bodies.back().has_return_value) {
                    m_function_bodies.back().has_return_value = true;
                    m_function_bodies.back().return_value = from(begin);
                }
                return;
            }
            if (k == "raise") {
                advance();
                const Expr* v = nullptr;
                const Expr* cause = nullptr;
                if (starts_expression(tok())) {
                    v = parse_expression();
                    if (accept_kw("from")) cause = parse_expression();
                }
                auto* r = m_program.make<Throw>(from(begin), v);
                r->cause = cause;
                out.push_back(r);
                return;
            }
            if (k == "global" || k == "nonlocal") {
                if (k == "nonlocal" && !in_function()) {
                    if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, t.span, "`nonlocal` outside a function"))
                        d->notes.emplace_back("Python rejects it before running anything");
                    return;
                }
                advance();
                auto* g = m_program.make<Global>(Span{begin, begin});
                g->nonlocal = k == "nonlocal";
                do {
                    if (tok().kind != TokenKind::name) {
                        expected("a name");
                        return;
                    }
                    g->names.emplace_back(tok().text);
                    advance();
                } while (accept_op(","));
                g->span = from(begin);
                out.push_back(g);
                return;
            }
            if (k == "import") {
                parse_import(begin, out);
                return;
            }
            if (k == "from") {
                parse_from_import(begin, out);
                return;
            }
            if (k == "assert") {
                parse_assert(begin, out);
                return;
            }
            if (k == "del") {
                unsupported(t.span, "`del`");
                return;
            }
        }
        parse_expression_statement(begin, out);
    }

    /// `return`, and `break`/`continue` of an outer loop, may not leave an `except*` body.
    void leaves_except_star(const Token& t) {
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, t.span, "`" + std::string(t.text) + "` inside an `except*` block")) {
            d->notes.emplace_back("Python rejects it before running anything: an `except*` block may not jump out of itself");
        }
    }

    void parse_import(std::uint32_t begin, Block& out) {
        advance();  // import
        bool first = true;
        do {
            const std::uint32_t item_begin = tok().span.begin;
            std::string module = parse_dotted_name();
            if (m_panic) return;
            auto* imp = m_program.make<Import>(Span{begin, begin});
            imp->module = std::move(module);
            if (accept_kw("as")) {
                if (tok().kind != TokenKind::name) {
                    expected("a name");
                    return;
                }
                imp->alias = std::string(tok().text);
                advance();
            }
            imp->span = from(first ? begin : item_begin);
            first = false;
            out.push_back(imp);
        } while (accept_op(","));
    }

    std::string parse_dotted_name() {
        if (tok().kind != TokenKind::name) {
            expected("a module name");
            return {};
        }
        std::string name(tok().text);
        advance();
        while (is_op(tok(), ".")) {
            advance();
            if (tok().kind != TokenKind::name) {
                expected("a name");
                return {};
            }
            name += "." + std::string(tok().text);
            advance();
        }
        return name;
    }

    void parse_from_import(std::uint32_t begin, Block& out) {
        advance();  // from
        if (is_op(tok(), ".") || is_op(tok(), "...")) {
            unsupported(tok().span, "relative imports", Number::plural);
            return;
        }
        auto* imp = m_program.make<Import>(Span{begin, begin});
        imp->module = parse_dotted_name();
        if (m_panic) return;
        if (!accept_kw("import")) {
            expected("`import`");
            return;
        }
        if (is_op(tok(), "*")) {
            unsupported(tok().span, "`from … import *`");
            return;
        }
        const Token& open = tok();
        const bool parens = accept_op("(");
        do {
            if (parens && (is_op(tok(), ")") || at_line_end())) break;
            if (tok().kind != TokenKind::name) {
                expected("a name");
                return;
            }
            imp->names.emplace_back(tok().text);
            advance();
            std::string alias;
            if (accept_kw("as")) {
                if (tok().kind != TokenKind::name) {
                    expected("a name");
                    return;
                }
                alias = std::string(tok().text);
                advance();
            }
            imp->name_aliases.push_back(std::move(alias));
        } while (accept_op(","));
        if (parens) expect_close(")", open);
        if (m_panic) return;
        if (imp->names.empty()) {
            expected("a name");
            return;
        }
        imp->span = from(begin);
        out.push_back(imp);
    }

    // assert cond, msg  →  if not cond: raise AssertionError(msg)
    void parse_assert(std::uint32_t begin, Block& out) {
        advance();
        const Expr* cond = parse_expression();
        const Expr* msg = nullptr;
        if (accept_op(",")) msg = parse_expression();
        if (m_panic) return;
        const Span s = from(begin);
        auto* err = m_program.make<Call>(s, m_program.make<Name>(Span{begin, begin + 6}, "AssertionError"));
        if (msg) err->args.push_back(Arg{"", msg, msg->span, false});
        auto* raise = m_program.make<Throw>(s, err);
        auto* test = m_program.make<If>(s);
        test->conditions.push_back(Condition{m_program.make<Unary>(cond->span, UnaryOp::logical_not, cond), false, "", cond->span});
        test->then_body.push_back(raise);
        out.push_back(test);
    }

    void parse_expression_statement(std::uint32_t begin, Block& out) {
        const std::size_t first = m_i;
        const Expr* e = parse_expr_list_or_yield();
        if (m_panic) return;
        const Token& t = tok();
        if (is_op(t, "=")) {
            parse_assignment(begin, e, out);
            return;
        }
        if (is_op(t, ":")) {
            parse_annotated(begin, e, out);
            return;
        }
        if (t.kind == TokenKind::op && t.text.size() >= 2 && t.text.back() == '=' && t.text != "==" && t.text != "!=" &&
            t.text != "<=" && t.text != ">=") {
            parse_augmented(begin, e, out);
            return;
        }
        if (m_i == first + 1 && is_op(at(first), "...")) {
            out.push_back(m_program.make<Pass>(from(begin)));
            return;
        }
        if (e->kind == ExprKind::starred) {
            starred_here(e->span);
            return;
        }
        if (e->kind == ExprKind::named) {
            // Python allows `(x := v)` as a statement only in parentheses.
            if (Diagnostic* d = fail(DiagnosticKind::expected_token, e->span, "an assignment expression `:=` cannot be a statement"))
                d->help.emplace_back("write `x = value`");
            return;
        }
        out.push_back(m_program.make<ExprStmt>(from(begin), e));
    }

    /// Checks an assignment target; a list target `[a, b]` becomes a tuple. Null on error.
    const Expr* check_target(const Expr* e, std::string_view op) {
        if (!e) return nullptr;
        if (is_target_kind(e)) return e;
        if (e->kind == ExprKind::starred) {
            if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, e->span, "a starred assignment target must be in a list or tuple"))
                d->help.emplace_back("write `*rest, = xs` or `first, *rest = xs`");
            return nullptr;
        }
        if (e->kind == ExprKind::tuple || e->kind == ExprKind::array) {
            const auto& elements = e->kind == ExprKind::tuple ? static_cast<const TupleExpr*>(e)->elements
                                                              : static_cast<const ArrayLiteral*>(e)->elements;
            auto* t = m_program.make<TupleExpr>(e->span);
            bool seen_star = false;
            for (const Expr* x : elements) {
                const Expr* c = nullptr;
                if (x->kind == ExprKind::starred) {
                    if (seen_star) {
                        fail(DiagnosticKind::invalid_assignment_target, x->span, "multiple starred expressions in assignment");
                        return nullptr;
                    }
                    seen_star = true;
                    const Expr* inner = check_target(static_cast<const Starred*>(x)->operand, op);
                    if (!inner) return nullptr;
                    c = m_program.make<Starred>(x->span, inner);
                } else {
                    c = check_target(x, op);
                }
                if (!c) return nullptr;
                t->elements.push_back(c);
                t->labels.emplace_back();
            }
            return t;  // `() = []` is valid Python: it unpacks nothing
        }
        switch (e->kind) {
            case ExprKind::call: return bad_target(e, op, "a function call");
            case ExprKind::int_literal:
            case ExprKind::double_literal:
            case ExprKind::string_literal:
            case ExprKind::bool_literal:
            case ExprKind::nil_literal: return bad_target(e, op, "a literal");
            case ExprKind::await_: return bad_target(e, op, "an `await` expression");
            case ExprKind::comprehension: return bad_target(e, op, "a comprehension");
            case ExprKind::dict: return bad_target(e, op, "a dict literal");
            default: return bad_target(e, op, "an expression");
        }
    }
    const Expr* bad_target(const Expr* e, std::string_view op, const std::string& what) {
        if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, e->span, "cannot assign to " + what)) {
            d->help.push_back("the left side of `" + std::string(op) + "` must be a name, an attribute, a subscript or a tuple of those");
            if (op == "=" && e->kind == ExprKind::call) d->notes.emplace_back("to compare values, write `==`");
        }
        return nullptr;
    }

    void parse_assignment(std::uint32_t begin, const Expr* first, Block& out) {
        std::vector<const Expr*> parts{first};
        while (is_op(tok(), "=")) {
            advance();
            parts.push_back(parse_expr_list_or_yield());
            if (m_panic) return;
        }
        const Expr* value = parts.back();
        parts.pop_back();
        if (value->kind == ExprKind::starred) {
            starred_here(value->span);
            return;
        }
        for (const Expr*& target : parts) {
            target = check_target(target, "=");
            if (!target) return;
        }
        const Span s = from(begin);
        auto* a = m_program.make<Assign>(s);
        a->target = parts[0];
        // a = b = v: the value once, then each target from left to right (as CPython does)
        a->more_targets.assign(parts.begin() + 1, parts.end());
        a->value = value;
        out.push_back(a);
    }

    void parse_annotated(std::uint32_t begin, const Expr* target, Block& out) {
        if (target->kind == ExprKind::tuple) {
            if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, target->span, "only a single target can be annotated"))
                d->help.emplace_back("annotate a name, an attribute or a subscript");
            return;
        }
        if (!is_target_kind(target)) {
            check_target(target, ":");
            return;
        }
        advance();  // :
        auto* a = m_program.make<Assign>(Span{begin, begin});
        a->target = target;
        a->type_text = parse_annotation();
        if (m_panic) return;
        if (accept_op("=")) a->value = parse_expr_list_or_yield();
        a->span = from(begin);
        out.push_back(a);
    }

    void parse_augmented(std::uint32_t begin, const Expr* target, Block& out) {
        const Token& op = tok();
        const std::string_view o = op.text;
        AssignOp kind = AssignOp::set;
        BinaryOp desugar = BinaryOp::add;
        bool rewrite = false;
        if (o == "+=") kind = AssignOp::add;
        else if (o == "-=") kind = AssignOp::sub;
        else if (o == "*=") kind = AssignOp::mul;
        else if (o == "/=") kind = AssignOp::div;
        else if (o == "%=") kind = AssignOp::mod;
        else if (o == "//=") rewrite = true, desugar = BinaryOp::floor_div;
        else if (o == "**=") rewrite = true, desugar = BinaryOp::pow;
        else if (o == ":=") {
            if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, target->span, "cannot use an assignment expression with this target"))
                d->help.emplace_back("the left side of `:=` must be a plain name");
            return;
        } else if (o == "->") {
            expected("end of line");
            return;
        } else {
            unsupported(op.span, "the `" + std::string(o) + "` operator");
            return;
        }
        if (!is_target_kind(target)) {
            if (target->kind == ExprKind::tuple) {
                if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, target->span,
                                         "a tuple cannot be the target of `" + std::string(o) + "`"))
                    d->help.push_back("the left side of `" + std::string(o) + "` must be a name, an attribute or a subscript");
            } else {
                check_target(target, o);
            }
            return;
        }
        const Span op_span = op.span;
        advance();
        const Expr* value = parse_expr_list_or_yield();
        if (m_panic) return;
        auto* a = m_program.make<Assign>(from(begin));
        a->target = target;
        if (rewrite) {
            // x //= y  →  x = x // y (the target is evaluated twice)
            a->value = m_program.make<Binary>(Span::join(target->span, value->span), desugar, target, value, op_span);
        } else {
            a->op = kind;
            a->value = value;
        }
        out.push_back(a);
    }

    /// A type annotation: parsed as an expression (where `int | None` is allowed), kept as
    /// the text written, and otherwise ignored.
    std::string parse_annotation() {
        const std::uint32_t begin = tok().span.begin;
        if (!starts_expression(tok()) || is_op(tok(), "*")) {
            expected("a type");
            return {};
        }
        const bool saved = m_annotation;
        m_annotation = true;
        parse_expression();
        m_annotation = saved;
        if (m_panic) return {};
        return text_of(Span{begin, m_prev_end});
    }

    // ---------------------------------------------------------------------------------
    // Compound statements
    // ---------------------------------------------------------------------------------

    const Stmt* parse_if(std::uint32_t begin) {
        advance();  // if
        auto* top = m_program.make<If>(Span{begin, begin});
        std::vector<std::pair<If*, std::uint32_t>> chain{{top, begin}};
        const Expr* cond = parse_named_expression();
        if (m_panic) return nullptr;
        top->conditions.push_back(Condition{cond, false, "", cond->span});
        parse_suite(top->then_body, "`if` statement on line " + line_of(begin));
        If* cur = top;
        while (!m_panic && is_kw(tok(), "elif")) {
            const std::uint32_t b = tok().span.begin;
            advance();
            auto* next = m_program.make<If>(Span{b, b});
            const Expr* c = parse_named_expression();
            if (m_panic) return nullptr;
            next->conditions.push_back(Condition{c, false, "", c->span});
            parse_suite(next->then_body, "`elif` statement on line " + line_of(b));
            cur->else_body.push_back(next);
            chain.emplace_back(next, b);
            cur = next;
        }
        if (!m_panic && is_kw(tok(), "else")) {
            const std::uint32_t b = tok().span.begin;
            advance();
            parse_suite(cur->else_body, "`else` on line " + line_of(b));
        }
        if (m_panic) return nullptr;
        for (auto& [node, b] : chain) node->span = from(b);
        return top;
    }

    [[nodiscard]] std::string line_of(std::uint32_t offset) const { return std::to_string(m_file.locate(offset).line); }

    void parse_loop_body(Block& out, const std::string& after) {
        ++m_loops;
        parse_suite(out, after);
        --m_loops;
    }

    const Stmt* parse_while(std::uint32_t begin) {
        advance();
        auto* w = m_program.make<While>(Span{begin, begin});
        w->cond = parse_named_expression();
        parse_loop_body(w->body, "`while` statement on line " + line_of(begin));
        if (!m_panic && is_kw(tok(), "else")) {
            const std::uint32_t b = tok().span.begin;
            advance();
            parse_suite(w->else_body, "`else` on line " + line_of(b));
        }
        if (m_panic) return nullptr;
        w->span = from(begin);
        return w;
    }

    const Stmt* parse_for(std::uint32_t begin, bool is_async) {
        advance();  // for
        auto* f = m_program.make<ForIn>(Span{begin, begin});
        f->is_await = is_async;
        f->target = check_target(parse_target_list(), "for");
        if (m_panic) return nullptr;
        if (!accept_kw("in")) {
            expected("`in`");
            return nullptr;
        }
        f->iterable = parse_expr_list(Tuples::allowed);
        parse_loop_body(f->body, "`for` statement on line " + line_of(begin));
        if (!m_panic && is_kw(tok(), "else")) {
            const std::uint32_t b = tok().span.begin;
            advance();
            parse_suite(f->else_body, "`else` on line " + line_of(b));
        }
        if (m_panic) return nullptr;
        f->span = from(begin);
        return f;
    }

    /// Targets of `for` and comprehensions: `x`, `a, b`, `(a, b)`, `self.x` — parsed above
    /// the comparison level so `in` is left for the caller.
    const Expr* parse_target_list() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* first = nullptr;
        if (is_op(tok(), "*")) {
            advance();
            const Expr* operand = parse_arith();
            first = m_program.make<Starred>(from(begin), operand);
            if (!is_op(tok(), ",")) return first;  // check_target refuses a lone starred target
        } else {
            first = parse_arith();
        }
        if (!is_op(tok(), ",")) return first;
        auto* t = m_program.make<TupleExpr>(Span{begin, begin});
        t->elements.push_back(first);
        t->labels.emplace_back();
        while (accept_op(",")) {
            if (is_kw(tok(), "in") || !starts_expression(tok())) break;
            if (is_op(tok(), "*")) {
                const std::uint32_t star = tok().span.begin;
                advance();
                const Expr* operand = parse_arith();
                t->elements.push_back(m_program.make<Starred>(from(star), operand));
                t->labels.emplace_back();
                if (m_panic) break;
                continue;
            }
            t->elements.push_back(parse_arith());
            t->labels.emplace_back();
            if (m_panic) break;
        }
        t->span = from(begin);
        return t;
    }

    const Stmt* parse_try(std::uint32_t begin) {
        advance();  // try
        auto* t = m_program.make<TryStmt>(Span{begin, begin});
        parse_suite(t->body, "`try` statement on line " + line_of(begin));
        bool seen_plain = false;
        bool seen_star = false;
        bool seen_bare = false;
        while (!m_panic && is_kw(tok(), "except")) {
            const Token& kw = tok();
            const std::uint32_t hb = kw.span.begin;
            advance();
            const bool star = accept_op("*");
            if (seen_bare) {
                fail(DiagnosticKind::expected_token, kw.span, "a bare `except:` must be the last handler");
                return nullptr;
            }
            if ((star && seen_plain) || (!star && seen_star)) {
                fail(DiagnosticKind::expected_token, kw.span, "cannot mix `except` and `except*` in one `try`");
                return nullptr;
            }
            (star ? seen_star : seen_plain) = true;
            Handler h;
            if (!is_op(tok(), ":") || star) {
                h.type = parse_expression();
                if (m_panic) return nullptr;
                if (is_op(tok(), ",")) {
                    if (Diagnostic* d = fail(DiagnosticKind::expected_token, tok().span, "expected `:` or `as`, found `,`"))
                        d->help.emplace_back("catch several types with a tuple: `except (A, B) as e:`");
                    return nullptr;
                }
                if (accept_kw("as")) {
                    if (tok().kind != TokenKind::name) {
                        expected("a name");
                        return nullptr;
                    }
                    h.binding = std::string(tok().text);
                    advance();
                }
            } else {
                seen_bare = true;
            }
            const int saved_star_loops = m_star_loops;
            if (star) m_star_loops = m_loops;
            parse_suite(h.body, std::string(star ? "`except*`" : "`except`") + " on line " + line_of(hb));
            m_star_loops = saved_star_loops;
            h.span = from(hb);
            t->handlers.push_back(std::move(h));
            t->star = t->star || star;
        }
        if (!m_panic && is_kw(tok(), "else")) {
            const std::uint32_t b = tok().span.begin;
            if (t->handlers.empty()) {
                fail(DiagnosticKind::expected_token, tok().span, "expected `except` or `finally`, found `else`");
                return nullptr;
            }
            advance();
            parse_suite(t->else_body, "`else` on line " + line_of(b));
        }
        if (!m_panic && is_kw(tok(), "finally")) {
            const std::uint32_t b = tok().span.begin;
            advance();
            t->has_finally = true;
            parse_suite(t->finally_body, "`finally` on line " + line_of(b));
        }
        if (m_panic) return nullptr;
        if (t->handlers.empty() && !t->has_finally) {
            if (Diagnostic* d = fail(DiagnosticKind::expected_token, found_span(tok()), "expected `except` or `finally`, found " + describe(tok())))
                d->notes.push_back("the `try` on line " + line_of(begin) + " needs at least one handler or a `finally` block");
            return nullptr;
        }
        t->span = from(begin);
        return t;
    }

    const Stmt* parse_with(std::uint32_t begin, bool is_async) {
        advance();  // with
        auto* w = m_program.make<With>(Span{begin, begin});
        w->is_async = is_async;
        if (is_op(tok(), "(") && parenthesized_with_items()) {
            const Token& open = tok();
            advance();
            while (!m_panic && !is_op(tok(), ")") && !at_line_end()) {
                parse_with_item(*w);
                if (!accept_op(",") || at_line_end()) break;
            }
            if (!m_panic) expect_close(")", open);
        } else {
            do parse_with_item(*w);
            while (!m_panic && accept_op(","));
        }
        parse_suite(w->body, std::string(is_async ? "`async with`" : "`with`") + " statement on line " + line_of(begin));
        if (m_panic) return nullptr;
        w->span = from(begin);
        return w;
    }

    /// `with (a as b, c as d):` — the parentheses group items, not a tuple expression.
    [[nodiscard]] bool parenthesized_with_items() const {
        int depth = 0;
        bool has_as = false;
        for (std::size_t j = m_i; j < m_toks->size(); ++j) {
            const Token& t = at(j);
            if (t.kind == TokenKind::newline || t.kind == TokenKind::eof) return false;
            if (t.kind == TokenKind::op && (t.text == "(" || t.text == "[" || t.text == "{")) ++depth;
            if (t.kind == TokenKind::op && (t.text == ")" || t.text == "]" || t.text == "}")) {
                if (--depth == 0) return has_as && is_op(at(j + 1), ":");
            }
            if (depth == 1 && is_kw(t, "as")) has_as = true;
        }
        return false;
    }

    void parse_with_item(With& w) {
        WithItem item;
        item.context = parse_expression();
        if (m_panic) return;
        if (accept_kw("as")) {
            item.target = check_target(parse_target_list_single(), "as");
            if (m_panic) return;
        }
        w.items.push_back(item);
    }

    /// One target after `as`: a name, attribute, subscript or a parenthesised tuple.
    const Expr* parse_target_list_single() { return parse_arith(); }

    const Stmt* parse_async(std::uint32_t begin, std::vector<const Expr*> decorators) {
        const Token& kw = tok();
        const Token& n = peek();
        if (is_kw(n, "def")) {
            advance();
            return parse_def(begin, std::move(decorators), true);
        }
        if (!decorators.empty()) {
            advance();
            expected("`def`");
            return nullptr;
        }
        if (is_kw(n, "for") || is_kw(n, "with")) {
            check_async_context(Span{kw.span.begin, n.span.end}, "`async " + std::string(n.text) + "`");
            if (m_panic) return nullptr;
            advance();
            return is_kw(n, "for") ? parse_for(begin, true) : parse_with(begin, true);
        }
        advance();
        expected("`def`, `for` or `with` after `async`");
        return nullptr;
    }

    const Stmt* parse_decorated(std::uint32_t begin) {
        std::vector<const Expr*> decorators;
        while (is_op(tok(), "@")) {
            advance();
            const Expr* d = parse_named_expression();
            if (m_panic) return nullptr;
            decorators.push_back(d);
            if (tok().kind != TokenKind::newline) {
                expected("end of line");
                return nullptr;
            }
            advance();
        }
        if (is_kw(tok(), "def")) return parse_def(begin, std::move(decorators), false);
        if (is_kw(tok(), "async")) return parse_async(begin, std::move(decorators));
        if (is_kw(tok(), "class")) return parse_class(begin, std::move(decorators));
        expected("`def` or `class` after a decorator");
        return nullptr;
    }

    const Stmt* parse_def(std::uint32_t begin, std::vector<const Expr*> decorators, bool is_async) {
        advance();  // def
        if (tok().kind != TokenKind::name) {
            expected("a function name");
            return nullptr;
        }
        auto* f = m_program.make<FuncDecl>(Span{begin, begin});
        f->name = std::string(tok().text);
        f->name_span = tok().span;
        f->is_async = is_async;
        f->decorators = std::move(decorators);
        for (const Expr* d : f->decorators)
            if (d->kind == ExprKind::name && static_cast<const Name*>(d)->name == "staticmethod") f->is_static = true;
        advance();
        if (is_op(tok(), "[")) {
            unsupported(tok().span, "generic type parameters `def f[T]()`", Number::plural);
            return nullptr;
        }
        const Token& open = tok();
        if (!expect_op("(")) return nullptr;
        parse_params(f->params, ")");
        if (m_panic) return nullptr;
        expect_close(")", open);
        if (m_panic) return nullptr;
        if (accept_op("->")) f->return_type_text = parse_annotation();
        {
            ScopeGuard scope(*this, is_async ? Scope::async_function : Scope::function);
            m_function_bodies.emplace_back();
            parse_suite(f->body, "function definition on line " + line_of(begin));
            const FunctionBody body = std::move(m_function_bodies.back());
            m_function_bodies.pop_back();
            f->is_generator = !body.yields.empty();
            if (!m_panic && f->is_generator && is_async && body.has_return_value) {
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, body.return_value, "'return' with value in async generator"))
                    d->notes.emplace_back("Python rejects it before running anything: an async generator ends with a bare `return`");
            }
        }
        if (m_panic) return nullptr;
        f->span = from(begin);
        return f;
    }

    /// Parameters up to `close` (`)` for def, `:` for lambda): names, annotations, defaults,
    /// the markers `/` and `*`, `*args` and `**kwargs`.
    void parse_params(std::vector<Param>& params, std::string_view close) {
        bool seen_default = false;
        bool keyword_only = false;   // after `*` or `*args`
        bool seen_slash = false;
        Span bare_star{};             // a `*` still waiting for a named parameter
        bool has_bare_star = false;
        while (!m_panic && !is_op(tok(), close) && !at_line_end()) {
            const Token& t = tok();
            if (!params.empty() && params.back().kind == ParamKind::var_keyword) {
                fail(DiagnosticKind::expected_token, t.span, "no parameter may follow `**" + params.back().name + "`");
                return;
            }
            ParamKind kind = keyword_only ? ParamKind::keyword_only : ParamKind::normal;
            if (is_op(t, "/")) {
                if (params.empty() || seen_slash || keyword_only) {
                    fail(DiagnosticKind::expected_token, t.span,
                         params.empty() ? "at least one parameter must precede `/`" : seen_slash ? "`/` may appear only once" : "`/` must come before `*`");
                    return;
                }
                seen_slash = true;
                for (Param& q : params) q.kind = ParamKind::positional_only;
                advance();
                if (!accept_op(",") || at_line_end()) break;
                continue;
            }
            if (is_op(t, "*") || is_op(t, "**")) {
                const bool double_star = is_op(t, "**");
                if (!double_star && keyword_only) {
                    fail(DiagnosticKind::expected_token, t.span, "`*` may appear only once");
                    return;
                }
                if (!double_star && (is_op(peek(), ",") || is_op(peek(), close))) {
                    bare_star = t.span;
                    has_bare_star = true;
                    keyword_only = true;
                    advance();
                    if (is_op(tok(), close)) break;
                    if (!accept_op(",") || at_line_end()) break;
                    continue;
                }
                advance();
                kind = double_star ? ParamKind::var_keyword : ParamKind::var_positional;
                if (!double_star) keyword_only = true;
                if (tok().kind != TokenKind::name) {
                    expected("a parameter name");
                    return;
                }
            }
            if (tok().kind != TokenKind::name) {
                expected("a parameter name");
                return;
            }
            const Token& nt = tok();
            if (kind == ParamKind::keyword_only) has_bare_star = false;
            Param p;
            p.kind = kind;
            p.name = p.label = std::string(nt.text);
            if (std::any_of(params.begin(), params.end(), [&](const Param& q) { return q.name == p.name; })) {
                fail(DiagnosticKind::expected_token, nt.span, "duplicate parameter `" + p.name + "`");
                return;
            }
            p.span = t.span;
            advance();
            if (close == ")" && accept_op(":")) p.type_text = parse_annotation();
            if (m_panic) return;
            const bool starred = kind == ParamKind::var_positional || kind == ParamKind::var_keyword;
            if (is_op(tok(), "=") && starred) {
                fail(DiagnosticKind::expected_token, tok().span, "a `*` or `**` parameter cannot have a default value");
                return;
            }
            if (accept_op("=")) {
                p.default_value = parse_expression();
                if (!keyword_only) seen_default = true;
            } else if (seen_default && !keyword_only && !starred) {
                fail(DiagnosticKind::expected_token, p.span, "a parameter without a default follows one with a default");
                return;
            }
            p.span = from(p.span.begin);
            params.push_back(std::move(p));
            if (!accept_op(",") || at_line_end()) break;
        }
        if (!m_panic && has_bare_star) fail(DiagnosticKind::expected_token, bare_star, "named parameters must follow a bare `*`");
    }

    const Stmt* parse_class(std::uint32_t begin, std::vector<const Expr*> decorators) {
        advance();  // class
        if (tok().kind != TokenKind::name) {
            expected("a class name");
            return nullptr;
        }
        auto* c = m_program.make<TypeDecl>(Span{begin, begin});
        c->type_kind = TypeKind::class_;
        c->name = std::string(tok().text);
        c->name_span = tok().span;
        c->decorators = std::move(decorators);
        advance();
        if (is_op(tok(), "[")) {
            unsupported(tok().span, "generic type parameters `class C[T]`", Number::plural);
            return nullptr;
        }
        if (is_op(tok(), "(")) {
            const Token& open = tok();
            advance();
            while (!m_panic && !is_op(tok(), ")") && !at_line_end()) {
                if (tok().kind == TokenKind::name && is_op(peek(), "=")) {
                    unsupported(tok().span, "class keyword arguments (`metaclass=…`)", Number::plural);
                    return nullptr;
                }
                if (is_op(tok(), "*") || is_op(tok(), "**")) {
                    unsupported(tok().span, "star arguments in a class's bases", Number::plural);
                    return nullptr;
                }
                c->bases.push_back(parse_named_expression());
                if (!accept_op(",") || at_line_end()) break;
            }
            if (!m_panic) expect_close(")", open);
        }
        {
            ScopeGuard scope(*this, Scope::class_body);
            parse_suite(c->members, "class definition on line " + line_of(begin));
        }
        if (m_panic) return nullptr;
        c->span = from(begin);
        return c;
    }

    // ---------------------------------------------------------------------------------
    // Expressions
    // ---------------------------------------------------------------------------------

    [[nodiscard]] static bool starts_expression(const Token& t) {
        switch (t.kind) {
            case TokenKind::name:
            case TokenKind::integer:
            case TokenKind::floating:
            case TokenKind::string:
            case TokenKind::invalid: return true;
            case TokenKind::keyword:
                return t.text == "not" || t.text == "lambda" || t.text == "await" || t.text == "True" || t.text == "False" ||
                       t.text == "None" || t.text == "yield";
            case TokenKind::op:
                return t.text == "(" || t.text == "[" || t.text == "{" || t.text == "-" || t.text == "+" || t.text == "~" ||
                       t.text == "..." || t.text == "*";
            default: return false;
        }
    }

    /// Expressions separated by commas; with Tuples::allowed, more than one (or a trailing
    /// comma) makes a TupleExpr.
    const Expr* parse_expr_list(Tuples tuples) {
        const std::uint32_t begin = tok().span.begin;
        const Expr* first = parse_star_item();
        if (m_panic || !is_op(tok(), ",") || tuples == Tuples::forbidden) return first;
        auto* t = m_program.make<TupleExpr>(Span{begin, begin});
        t->elements.push_back(first);
        t->labels.emplace_back();
        while (accept_op(",")) {
            if (!starts_expression(tok())) break;
            t->elements.push_back(parse_star_item());
            t->labels.emplace_back();
            if (m_panic) break;
        }
        t->span = from(begin);
        return t;
    }

    const Expr* parse_star_item() {
        if (is_op(tok(), "*")) {
            const std::uint32_t begin = tok().span.begin;
            advance();
            const Expr* operand = parse_bitwise();
            if (m_panic) return error_expr();
            return m_program.make<Starred>(from(begin), operand);
        }
        return parse_named_expression();
    }

    /// Where Python allows a bare `yield` (a statement, the right side of an assignment): the
    /// yield expression, or else an expression list.
    const Expr* parse_expr_list_or_yield() {
        if (is_kw(tok(), "yield")) return parse_yield();
        return parse_expr_list(Tuples::allowed);
    }

    /// `yield`, `yield x`, `yield a, b`, `yield from it`: makes the enclosing `def` a generator.
    const Expr* parse_yield() {
        const Token& kw = tok();
        const Span kw_span = kw.span;
        const std::uint32_t begin = kw_span.begin;
        const bool is_from = is_kw(peek(), "from");
        const Scope scope = m_scopes.back();
        if (scope == Scope::lambda) {
            unsupported(kw_span, "`yield` inside a lambda");
            return error_expr();
        }
        if (scope != Scope::function && scope != Scope::async_function) {
            if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, kw_span, "'yield' outside function"))
                d->notes.emplace_back("Python rejects it before running anything");
            return error_expr();
        }
        advance();  // yield
        const Expr* operand = nullptr;
        if (is_from) {
            advance();  // from
            operand = parse_expression();
            if (!m_panic && scope == Scope::async_function) {
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, from(begin), "'yield from' inside async function"))
                    d->notes.emplace_back("Python rejects it before running anything: an async generator delegates with `async for`");
                return error_expr();
            }
        } else if (starts_expression(tok()) && !is_op(tok(), "*")) {
            operand = parse_expr_list(Tuples::allowed);
        }
        if (m_panic) return error_expr();
        auto* y = m_program.make<Yield>(from(begin), operand, is_from);
        if (!m_function_bodies.empty()) m_function_bodies.back().yields.push_back(y->span);
        return y;
    }

    /// `*x` where Python does not allow it (alone, as a value, or inside an operation).
    void starred_here(Span span) {
        if (Diagnostic* d = fail(DiagnosticKind::expected_expression, span, "can't use starred expression here"))
            d->help.emplace_back("`*x` unpacks into a list, tuple or set display, a call's arguments, or an assignment's targets");
    }

    /// An expression where Python also allows `name := value`.
    const Expr* parse_named_expression() {
        const Expr* e = parse_expression();
        if (m_panic || !is_op(tok(), ":=")) return e;
        if (e->kind != ExprKind::name) {
            if (Diagnostic* d = fail(DiagnosticKind::invalid_assignment_target, e->span, "cannot use an assignment expression with this target"))
                d->help.emplace_back("the left side of `:=` must be a plain name");
            return error_expr();
        }
        advance();  // :=
        const Expr* value = parse_expression();
        if (m_panic) return error_expr();
        return m_program.make<NamedExpr>(Span::join(e->span, value->span), static_cast<const Name*>(e), value);
    }

    const Expr* parse_expression() {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        if (is_kw(tok(), "lambda")) return parse_lambda();
        if (is_kw(tok(), "yield")) {
            if (Diagnostic* d = fail(DiagnosticKind::expected_expression, tok().span, "a `yield` expression needs parentheses here"))
                d->help.emplace_back("write `(yield …)`");
            return error_expr();
        }
        const std::uint32_t begin = tok().span.begin;
        const Expr* e = parse_or();
        if (m_panic || !is_kw(tok(), "if")) return e;
        advance();
        const Expr* cond = parse_or();
        if (m_panic) return e;
        if (!accept_kw("else")) {
            expected("`else`");
            return e;
        }
        const Expr* other = parse_expression();
        return m_program.make<Ternary>(from(begin), cond, e, other);
    }

    const Expr* parse_lambda() {
        const std::uint32_t begin = tok().span.begin;
        advance();
        auto* c = m_program.make<Closure>(Span{begin, begin});
        parse_params(c->params, ":");
        if (m_panic) return c;
        if (!expect_op(":")) return c;
        const Expr* body = nullptr;
        {
            ScopeGuard scope(*this, Scope::lambda);
            body = parse_expression();
        }
        c->body.push_back(m_program.make<ExprStmt>(body->span, body));
        c->implicit_return = true;
        c->span = from(begin);
        return c;
    }

    const Expr* parse_or() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lhs = parse_and();
        while (!m_panic && is_kw(tok(), "or")) {
            const Span op = tok().span;
            advance();
            const Expr* rhs = parse_and();
            lhs = m_program.make<Binary>(from(begin), BinaryOp::logical_or, lhs, rhs, op);
        }
        return lhs;
    }

    const Expr* parse_and() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lhs = parse_not();
        while (!m_panic && is_kw(tok(), "and")) {
            const Span op = tok().span;
            advance();
            const Expr* rhs = parse_not();
            lhs = m_program.make<Binary>(from(begin), BinaryOp::logical_and, lhs, rhs, op);
        }
        return lhs;
    }

    const Expr* parse_not() {
        if (is_kw(tok(), "not")) {
            DepthGuard guard(*this);
            if (!guard.ok) return error_expr();
            const std::uint32_t begin = tok().span.begin;
            advance();
            const Expr* operand = parse_not();
            return m_program.make<Unary>(from(begin), UnaryOp::logical_not, operand);
        }
        return parse_comparison();
    }

    /// The comparison operator at the current token (consumed), or false.
    bool comparison_op(BinaryOp& op, Span& span) {
        const Token& t = tok();
        span = t.span;
        if (t.kind == TokenKind::op) {
            const std::string_view s = t.text;
            if (s == "==") op = BinaryOp::eq;
            else if (s == "!=") op = BinaryOp::ne;
            else if (s == "<") op = BinaryOp::lt;
            else if (s == "<=") op = BinaryOp::le;
            else if (s == ">") op = BinaryOp::gt;
            else if (s == ">=") op = BinaryOp::ge;
            else return false;
            advance();
            return true;
        }
        if (is_kw(t, "in")) {
            op = BinaryOp::contains;
            advance();
            return true;
        }
        if (is_kw(t, "not") && is_kw(peek(), "in")) {
            span = Span::join(t.span, peek().span);
            op = BinaryOp::not_contains;
            advance();
            advance();
            return true;
        }
        if (is_kw(t, "is")) {
            op = BinaryOp::identical;
            advance();
            if (is_kw(tok(), "not")) {
                span = Span::join(span, tok().span);
                op = BinaryOp::not_identical;
                advance();
            }
            return true;
        }
        return false;
    }

    /// True for operands that may be evaluated twice without visible effects.
    [[nodiscard]] static bool is_simple_operand(const Expr* e) {
        for (int guard = 0; guard < 64; ++guard) {
            switch (e->kind) {
                case ExprKind::name:
                case ExprKind::int_literal:
                case ExprKind::double_literal:
                case ExprKind::bool_literal:
                case ExprKind::nil_literal: return true;
                case ExprKind::string_literal: return static_cast<const StringLiteral*>(e)->is_plain();
                case ExprKind::unary: e = static_cast<const Unary*>(e)->operand; continue;
                case ExprKind::member: e = static_cast<const Member*>(e)->base; continue;
                default: return false;
            }
        }
        return false;
    }

    const Expr* parse_comparison() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lhs = parse_bitwise();
        BinaryOp op{};
        Span op_span{};
        if (m_panic || !comparison_op(op, op_span)) return lhs;
        const Expr* rhs = parse_bitwise();
        const Expr* result = m_program.make<Binary>(from(begin), op, lhs, rhs, op_span);
        std::vector<const Binary*> links{static_cast<const Binary*>(result)};
        // a < b < c  →  a < b and b < c while the middle operands are plain names and literals;
        // otherwise a CompareChain, which evaluates each operand once.
        bool simple = true;
        while (!m_panic) {
            BinaryOp next{};
            Span next_span{};
            const Span middle_span = rhs->span;
            if (!comparison_op(next, next_span)) break;
            simple = simple && is_simple_operand(rhs);
            const std::uint32_t mid_begin = middle_span.begin;
            const Expr* middle = rhs;
            rhs = parse_bitwise();
            auto* part = m_program.make<Binary>(from(mid_begin), next, middle, rhs, next_span);
            links.push_back(part);
            result = m_program.make<Binary>(from(begin), BinaryOp::logical_and, result, part, next_span);
        }
        if (simple || m_panic) return result;
        auto* chain = m_program.make<CompareChain>(from(begin));
        chain->operands.push_back(links.front()->lhs);
        for (const Binary* b : links) chain->operands.push_back(b->rhs);
        chain->links = std::move(links);
        return chain;
    }

    const Expr* parse_bitwise() {
        const Expr* e = parse_arith();
        while (m_annotation && !m_panic && is_op(tok(), "|")) {
            advance();  // `int | None`: only the annotation's text is kept
            parse_arith();
        }
        const Token& t = tok();
        if (!m_panic && t.kind == TokenKind::op &&
            (t.text == "|" || t.text == "&" || t.text == "^" || t.text == "<<" || t.text == ">>"))
            unsupported(t.span, "bitwise operators", Number::plural);
        return e;
    }

    const Expr* parse_arith() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lhs = parse_term();
        while (!m_panic && (is_op(tok(), "+") || is_op(tok(), "-"))) {
            const Span op = tok().span;
            const BinaryOp kind = tok().text == "+" ? BinaryOp::add : BinaryOp::sub;
            advance();
            const Expr* rhs = parse_term();
            lhs = m_program.make<Binary>(from(begin), kind, lhs, rhs, op);
        }
        return lhs;
    }

    const Expr* parse_term() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lhs = parse_factor();
        while (!m_panic && tok().kind == TokenKind::op) {
            const std::string_view s = tok().text;
            BinaryOp kind{};
            if (s == "*") kind = BinaryOp::mul;
            else if (s == "/") kind = BinaryOp::div;
            else if (s == "//") kind = BinaryOp::floor_div;
            else if (s == "%") kind = BinaryOp::mod;
            else if (s == "@") {
                unsupported(tok().span, "matrix multiplication `@`");
                return lhs;
            } else break;
            const Span op = tok().span;
            advance();
            const Expr* rhs = parse_factor();
            lhs = m_program.make<Binary>(from(begin), kind, lhs, rhs, op);
        }
        return lhs;
    }

    const Expr* parse_factor() {
        const Token& t = tok();
        if (is_op(t, "-") || is_op(t, "+")) {
            DepthGuard guard(*this);
            if (!guard.ok) return error_expr();
            const std::uint32_t begin = t.span.begin;
            const UnaryOp op = t.text == "-" ? UnaryOp::negate : UnaryOp::plus;
            advance();
            const Expr* operand = parse_factor();
            return m_program.make<Unary>(from(begin), op, operand);
        }
        if (is_op(t, "~")) {
            unsupported(t.span, "bitwise operators", Number::plural);
            return error_expr();
        }
        return parse_power();
    }

    const Expr* parse_power() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* base = parse_await();
        if (m_panic || !is_op(tok(), "**")) return base;
        const Span op = tok().span;
        advance();
        // Right-associative: a chain `a ** b ** c` recurses once per operator, so it counts
        // as nesting.
        DepthGuard chain(*this);
        if (!chain.ok) return error_expr();
        const Expr* exponent = parse_factor();  // right-associative, and `2 ** -1` is allowed
        return m_program.make<Binary>(from(begin), BinaryOp::pow, base, exponent, op);
    }

    const Expr* parse_await() {
        if (!is_kw(tok(), "await")) return parse_primary();
        const Token& kw = tok();
        const std::uint32_t begin = kw.span.begin;
        check_async_context(kw.span, "`await`");
        if (m_panic) return error_expr();
        advance();
        const Expr* operand = parse_primary();
        const Expr* a = m_program.make<Await>(from(begin), operand);
        if (!m_function_bodies.empty()) m_function_bodies.back().awaits.push_back(a->span);
        return a;
    }

    const Expr* parse_primary() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* e = parse_atom();
        while (!m_panic) {
            const Token& t = tok();
            if (is_op(t, ".")) {
                advance();
                if (tok().kind != TokenKind::name) {
                    expected("an attribute name");
                    return e;
                }
                const Token& name = tok();
                advance();
                e = m_program.make<Member>(from(begin), e, std::string(name.text), name.span);
            } else if (is_op(t, "(")) {
                e = parse_call(begin, e);
            } else if (is_op(t, "[")) {
                e = parse_subscript(begin, e);
            } else {
                break;
            }
        }
        return e;
    }

    const Expr* parse_call(std::uint32_t begin, const Expr* callee) {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const Token& open = tok();
        advance();
        auto* call = m_program.make<Call>(Span{begin, begin}, callee);
        bool seen_keyword = false;
        while (!m_panic && !is_op(tok(), ")") && !at_line_end()) {
            const Token& t = tok();
            Arg a;
            const std::uint32_t ab = t.span.begin;
            if (is_op(t, "*") || is_op(t, "**")) {
                // f(*xs) / f(**kw): an argument labelled "*" or "**"; the evaluator unpacks it.
                a.label = is_op(t, "*") ? "*" : "**";
                advance();
                a.value = parse_expression();
            } else if (t.kind == TokenKind::name && is_op(peek(), "=")) {
                a.label = std::string(t.text);
                if (std::any_of(call->args.begin(), call->args.end(), [&](const Arg& b) { return b.label == a.label; })) {
                    fail(DiagnosticKind::expected_token, t.span, "keyword argument `" + a.label + "` repeated");
                    return call;
                }
                advance();
                advance();
                a.value = parse_expression();
                seen_keyword = true;
            } else {
                if (seen_keyword) {
                    fail(DiagnosticKind::expected_token, t.span, "a positional argument cannot follow keyword arguments");
                    return call;
                }
                a.value = parse_named_expression();
                if (!m_panic && (is_kw(tok(), "for") || (is_kw(tok(), "async") && is_kw(peek(), "for")))) {
                    // f(x for x in xs): a generator expression as the only argument.
                    a.value = parse_comprehension(ab, ComprehensionKind::generator, nullptr, a.value);
                    if (!m_panic && (!call->args.empty() || !is_op(tok(), ")"))) {
                        if (Diagnostic* d = fail(DiagnosticKind::expected_token, a.value->span, "a generator expression must be the only argument"))
                            d->help.emplace_back("put it in parentheses");
                        return call;
                    }
                }
            }
            if (m_panic) return call;
            a.span = from(ab);
            call->args.push_back(a);
            if (!accept_op(",") || at_line_end()) break;
        }
        if (!m_panic) expect_close(")", open);
        call->span = from(begin);
        return call;
    }

    const Expr* parse_subscript(std::uint32_t begin, const Expr* base) {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const Token& open = tok();
        advance();
        auto* sub = m_program.make<Subscript>(Span{begin, begin}, base);
        const std::uint32_t ib = tok().span.begin;
        std::vector<const Expr*> items;
        do {
            if ((is_op(tok(), "]") || at_line_end()) && !items.empty()) break;
            const Expr* item = parse_slice_or_expr();
            if (m_panic) return sub;
            items.push_back(item);
        } while (accept_op(","));
        if (!m_panic) expect_close("]", open);
        if (m_panic) return sub;
        const Expr* index = items.front();
        if (items.size() > 1 || is_op(at(m_i - 2), ",")) {
            auto* t = m_program.make<TupleExpr>(Span{ib, ib});
            for (const Expr* x : items) {
                if (x->kind == ExprKind::range) {
                    unsupported(x->span, "slices inside a tuple index", Number::plural);
                    return sub;
                }
                t->elements.push_back(x);
                t->labels.emplace_back();
            }
            t->span = Span::join(items.front()->span, items.back()->span);
            index = t;
        }
        sub->index.push_back(Arg{"", index, index->span, false});
        sub->span = from(begin);
        return sub;
    }

    /// `e`, or a slice `lo:hi` (either bound optional) as a half-open RangeExpr.
    const Expr* parse_slice_or_expr() {
        const std::uint32_t begin = tok().span.begin;
        const Expr* lower = nullptr;
        if (!is_op(tok(), ":")) {
            lower = parse_named_expression();
            if (m_panic || !is_op(tok(), ":")) return lower;
        }
        advance();  // :
        const Expr* upper = nullptr;
        if (!is_op(tok(), "]") && !is_op(tok(), ",") && !is_op(tok(), ":")) upper = parse_expression();
        if (m_panic) return error_expr();
        const Expr* step = nullptr;
        if (accept_op(":") && !is_op(tok(), "]") && !is_op(tok(), ",")) {
            step = parse_expression();
            if (m_panic) return error_expr();
        }
        auto* r = m_program.make<RangeExpr>(from(begin), lower, upper, false);
        r->step = step;
        return r;
    }

    const Expr* parse_atom() {
        DepthGuard guard(*this);
        if (!guard.ok) return error_expr();
        const Token& t = tok();
        const std::uint32_t begin = t.span.begin;
        switch (t.kind) {
            case TokenKind::name: advance(); return m_program.make<Name>(t.span, std::string(t.text));
            case TokenKind::integer: advance(); return m_program.make<IntLiteral>(t.span, t.int_value);
            case TokenKind::floating: advance(); return m_program.make<DoubleLiteral>(t.span, t.double_value);
            case TokenKind::string: return parse_strings();
            case TokenKind::invalid: quiet_fail(); return error_expr();
            case TokenKind::keyword:
                if (t.text == "True" || t.text == "False") {
                    advance();
                    return m_program.make<BoolLiteral>(t.span, t.text == "True");
                }
                if (t.text == "None") {
                    advance();
                    return m_program.make<NilLiteral>(t.span);
                }
                if (t.text == "lambda" || t.text == "not" || t.text == "yield" || t.text == "await") {
                    // Only where a full expression is allowed; e.g. `x + lambda: 1` or `await await x`.
                    if (Diagnostic* d = fail(DiagnosticKind::expected_expression, t.span,
                                             "expected an operand, found `" + std::string(t.text) + "`"))
                        d->help.emplace_back("put the expression in parentheses");
                    return error_expr();
                }
                break;
            case TokenKind::op:
                if (t.text == "...") {
                    advance();
                    return m_program.make<Name>(t.span, "Ellipsis");
                }
                if (t.text == "(") return parse_paren(begin);
                if (t.text == "[") return parse_list(begin);
                if (t.text == "{") return parse_brace(begin);
                if (t.text == "*") {
                    starred_here(t.span);
                    return error_expr();
                }
                break;
            default: break;
        }
        if (Diagnostic* d = fail(DiagnosticKind::expected_expression, found_span(t), "expected an expression, found " + describe(t))) {
            if (is_op(t, "!")) d->help.emplace_back("Python writes `not x` where other languages write `!x`");
        }
        return error_expr();
    }

    const Expr* parse_paren(std::uint32_t begin) {
        const Token& open = tok();
        advance();
        if (accept_op(")")) {
            auto* empty = m_program.make<TupleExpr>(from(begin));
            return empty;
        }
        if (is_kw(tok(), "yield")) {
            const Expr* y = parse_yield();
            if (!m_panic) expect_close(")", open);
            return y;
        }
        const std::uint32_t inner = tok().span.begin;
        const Expr* first = parse_star_item();
        if (m_panic) return first;
        if (is_kw(tok(), "for") || (is_kw(tok(), "async") && is_kw(peek(), "for"))) {
            Comprehension* gen = parse_comprehension(inner, ComprehensionKind::generator, nullptr, first);
            if (!m_panic) expect_close(")", open);
            gen->span = from(begin);
            return gen;
        }
        if (!is_op(tok(), ",")) {
            if (first->kind == ExprKind::starred) {
                starred_here(first->span);
                return error_expr();
            }
            expect_close(")", open);
            return first;  // parentheses only group
        }
        auto* t = m_program.make<TupleExpr>(Span{begin, begin});
        t->elements.push_back(first);
        t->labels.emplace_back();
        while (accept_op(",")) {
            if (at_line_end() || is_op(tok(), ")")) break;
            t->elements.push_back(parse_star_item());
            t->labels.emplace_back();
            if (m_panic) return t;
        }
        expect_close(")", open);
        t->span = from(begin);
        return t;
    }

    const Expr* parse_list(std::uint32_t begin) {
        const Token& open = tok();
        advance();
        auto* a = m_program.make<ArrayLiteral>(Span{begin, begin});
        if (accept_op("]")) {
            a->span = from(begin);
            return a;
        }
        const std::uint32_t inner = tok().span.begin;
        const Expr* first = parse_star_item();
        if (m_panic) return a;
        if (is_kw(tok(), "for") || (is_kw(tok(), "async") && is_kw(peek(), "for"))) {
            Comprehension* comp = parse_comprehension(inner, ComprehensionKind::list, nullptr, first);
            if (!m_panic) expect_close("]", open);
            comp->span = from(begin);
            return comp;
        }
        a->elements.push_back(first);
        while (accept_op(",")) {
            if (at_line_end() || is_op(tok(), "]")) break;
            a->elements.push_back(parse_star_item());
            if (m_panic) return a;
        }
        expect_close("]", open);
        a->span = from(begin);
        return a;
    }

    const Expr* parse_brace(std::uint32_t begin) {
        const Token& open = tok();
        advance();
        auto* d = m_program.make<DictLiteral>(Span{begin, begin});
        if (accept_op("}")) {
            d->span = from(begin);
            return d;
        }
        if (is_op(tok(), "**")) {
            unsupported(tok().span, "dict unpacking `**d`", Number::plural);
            return d;
        }
        const Expr* key = parse_star_item();
        if (m_panic) return d;
        if (!is_op(tok(), ":")) return parse_set(begin, open, key);
        if (key->kind == ExprKind::starred) {
            starred_here(key->span);
            return d;
        }
        advance();
        const Expr* value = parse_expression();
        if (m_panic) return d;
        if (is_kw(tok(), "for") || (is_kw(tok(), "async") && is_kw(peek(), "for"))) {
            Comprehension* comp = parse_comprehension(key->span.begin, ComprehensionKind::dict, key, value);
            if (!m_panic) expect_close("}", open);
            comp->span = from(begin);
            return comp;
        }
        d->entries.emplace_back(key, value);
        while (accept_op(",")) {
            if (at_line_end() || is_op(tok(), "}")) break;
            if (is_op(tok(), "**")) {
                unsupported(tok().span, "dict unpacking `**d`", Number::plural);
                return d;
            }
            const Expr* k = parse_expression();
            if (m_panic) return d;
            if (!expect_op(":")) return d;
            const Expr* v = parse_expression();
            if (m_panic) return d;
            d->entries.emplace_back(k, v);
        }
        expect_close("}", open);
        d->span = from(begin);
        return d;
    }

    /// `{a, b}` or `{x for x in xs}` after its first element.
    const Expr* parse_set(std::uint32_t begin, const Token& open, const Expr* first) {
        if (is_kw(tok(), "for") || (is_kw(tok(), "async") && is_kw(peek(), "for"))) {
            Comprehension* comp = parse_comprehension(first->span.begin, ComprehensionKind::set, nullptr, first);
            if (!m_panic) expect_close("}", open);
            comp->span = from(begin);
            return comp;
        }
        auto* set = m_program.make<SetLiteral>(Span{begin, begin});
        set->elements.push_back(first);
        while (accept_op(",")) {
            if (at_line_end() || is_op(tok(), "}")) break;
            set->elements.push_back(parse_star_item());
            if (m_panic) return set;
        }
        expect_close("}", open);
        set->span = from(begin);
        return set;
    }

    /// `for target in iterable [if cond]*` after the element (and key) of a comprehension.
    Comprehension* parse_comprehension(std::uint32_t begin, ComprehensionKind kind, const Expr* key, const Expr* element) {
        auto* c = m_program.make<Comprehension>(Span{begin, begin});
        c->comp_kind = kind;
        c->key = key;
        c->element = element;
        if (is_kw(tok(), "async")) {
            if (!check_async_for_clause(c)) return c;
            c->is_async = true;
            advance();  // async
        }
        advance();  // for
        c->target = check_target(parse_target_list(), "for");
        if (m_panic) return c;
        if (!accept_kw("in")) {
            expected("`in`");
            return c;
        }
        c->iterable = parse_or();
        while (!m_panic && accept_kw("if")) c->conditions.push_back(parse_or());
        while (!m_panic && (is_kw(tok(), "for") || is_kw(tok(), "async"))) {
            ComprehensionFor f;
            if (is_kw(tok(), "async")) {
                if (!check_async_for_clause(c)) return c;
                f.is_async = true;
                advance();  // async
                if (!is_kw(tok(), "for")) {
                    expected("`for`");
                    return c;
                }
            }
            advance();  // for
            f.target = check_target(parse_target_list(), "for");
            if (m_panic) return c;
            if (!accept_kw("in")) {
                expected("`in`");
                return c;
            }
            f.iterable = parse_or();
            while (!m_panic && accept_kw("if")) f.conditions.push_back(parse_or());
            c->more.push_back(std::move(f));
        }
        c->span = from(begin);
        refuse_yield_in(c);
        refuse_async_generator_expression(c);
        return c;
    }

    /// `async for` in a comprehension: a list, set or dict comprehension directly inside an
    /// `async def` runs as an asynchronous comprehension; elsewhere CPython refuses it.
    bool check_async_for_clause(const Comprehension* c) {
        if (c->comp_kind == ComprehensionKind::generator) {
            unsupported(tok().span, "asynchronous generator expressions", Number::plural);
            return false;
        }
        if (in_async_function()) return true;
        if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, tok().span,
                                 "asynchronous comprehension outside of an asynchronous function")) {
            d->notes.emplace_back("Python rejects it before running anything: `async for` needs an `async def` around it");
            d->help.emplace_back("put the code in `async def main():` and run it with `asyncio.run(main())`");
        }
        return false;
    }

    /// A generator expression with `await` outside its first iterable is an asynchronous
    /// generator expression in CPython; tasklab does not run those yet.
    void refuse_async_generator_expression(const Comprehension* c) {
        if (c->comp_kind != ComprehensionKind::generator || m_function_bodies.empty() || m_panic) return;
        for (const Span& a : m_function_bodies.back().awaits) {
            const bool inside = a.begin >= c->span.begin && a.end <= c->span.end;
            const bool in_iterable = c->iterable && a.begin >= c->iterable->span.begin && a.end <= c->iterable->span.end;
            if (inside && !in_iterable) {
                unsupported(a, "asynchronous generator expressions", Number::plural);
                return;
            }
        }
    }

    /// CPython refuses `yield` in the part of a comprehension that runs in its own scope
    /// (everything but the first iterable).
    void refuse_yield_in(const Comprehension* c) {
        if (m_function_bodies.empty() || m_panic) return;
        const char* what = c->comp_kind == ComprehensionKind::list ? "list comprehension"
                           : c->comp_kind == ComprehensionKind::dict ? "dict comprehension"
                                                                     : "generator expression";
        for (const Span& y : m_function_bodies.back().yields) {
            const bool inside = y.begin >= c->span.begin && y.end <= c->span.end;
            const bool in_iterable = c->iterable && y.begin >= c->iterable->span.begin && y.end <= c->iterable->span.end;
            if (inside && !in_iterable) {
                if (Diagnostic* d = fail(DiagnosticKind::unsupported_construct, y, std::string("'yield' inside ") + what))
                    d->notes.emplace_back("Python rejects it before running anything");
                return;
            }
        }
    }

    /// One or more adjacent string literals, concatenated; f-string fields are parsed here.
    const Expr* parse_strings() {
        const std::uint32_t begin = tok().span.begin;
        auto* s = m_program.make<StringLiteral>(Span{begin, begin});
        while (tok().kind == TokenKind::string || tok().kind == TokenKind::invalid) {
            if (tok().kind == TokenKind::invalid) {
                quiet_fail();
                return s;
            }
            const python::LexedString& lexed = m_lex.strings[tok().string_index];
            if (s->parts.empty() && s->span.begin == tok().span.begin) s->is_bytes = lexed.is_bytes;
            if (lexed.is_bytes != s->is_bytes) {
                fail(DiagnosticKind::expected_token, tok().span, "cannot mix bytes and nonbytes literals");
                return s;
            }
            advance();
            for (const python::StringSegment& seg : lexed.segments) {
                if (!seg.is_interpolation) {
                    if (!s->parts.empty() && !s->parts.back().expr) s->parts.back().text += seg.text;
                    else s->parts.push_back(StringPart{seg.text, nullptr, 0, {}});
                    continue;
                }
                StringPart part;
                part.conversion = seg.conversion;
                part.format_spec = seg.format_spec;
                {
                    StreamScope stream(*this, &seg.tokens);
                    part.expr = parse_expr_list(Tuples::allowed);
                    if (!m_panic && !at_eof()) {
                        if (tok().kind == TokenKind::invalid) quiet_fail();
                        else fail(DiagnosticKind::expected_token, tok().span, "expected `}` in f-string, found " + describe(tok()));
                    }
                }
                if (m_panic) return s;
                s->parts.push_back(std::move(part));
            }
        }
        // Keep a single empty part out of plain literals so `""` stays is_plain().
        if (s->parts.size() == 1 && !s->parts[0].expr && s->parts[0].text.empty() && !s->is_bytes) s->parts.clear();
        s->span = from(begin);
        return s;
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
        if (std::find(notes.begin(), notes.end(), k_too_many) == notes.end()) notes.emplace_back(k_too_many);
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

ParseResult parse_python(std::shared_ptr<const SourceFile> file) {
    ParseResult result;
    result.program = std::make_shared<Program>();
    result.program->language = Language::python;
    result.program->file = file;
    if (!file) return result;
    const python::LexResult lex = python::lex_python(*file, result.diagnostics);
    Parser parser(*file, lex, *result.program, result.diagnostics);
    parser.run();
    result.parser_work = parser.work();
    check_tree_depth(*result.program, result.diagnostics);
    DirectiveState state;
    for (const python::Comment& c : lex.comments)
        collect_directive(file->slice(c.body), c.body, *result.program, result.diagnostics, state);
    attach_notes(*result.program, state, result.diagnostics);
    sort_diagnostics(result.diagnostics);
    return result;
}

}  // namespace tasklab
