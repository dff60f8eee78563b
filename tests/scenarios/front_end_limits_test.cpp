// The front ends' limits (scenarios/front_end_limits.hpp): deep expressions of every shape are
// refused with a diagnostic instead of overflowing a stack later, and the parsers' work stays
// linear in their input whatever the input is (stray braces, twenty errors in a closure,
// generated garbage), counted by ParseResult::parser_work rather than timed.
#include <doctest/doctest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "scenarios/ast_dump.hpp"
#include "scenarios/front_end_limits.hpp"
#include "scenarios/frontend.hpp"
#include "tests/diagnostic_coverage.hpp"

using namespace tasklab;

namespace {

ParseResult parse_as(const std::string& name, const std::string& text) {
    return parse_scenario(std::make_shared<SourceFile>(name, text));
}

std::string repeat(const std::string& s, int n) {
    std::string out;
    out.reserve(s.size() * static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) out += s;
    return out;
}

std::string joined(const std::string& item, const std::string& sep, int n) {
    std::string out = item;
    for (int i = 1; i < n; ++i) out += sep + item;
    return out;
}

/// A small deterministic generator (no std:: distributions: their output differs by library).
struct Lcg {
    std::uint64_t state;
    std::uint32_t next(std::uint32_t bound) {
        state = state * 6364136223846793005ULL + 1442695040888963407ULL;
        return static_cast<std::uint32_t>(state >> 33) % bound;
    }
};

/// `n` pieces of Swift or Python picked at random: brackets, keywords, strings with
/// interpolations, operators, line breaks, most of them unbalanced.
std::string garbage(bool swift, int n, std::uint64_t seed) {
    static const std::vector<std::string> swift_pieces = {
        "{", "}", "(", ")", "[", "]", "\n", " ", "let", "var", "x", "=", "1", "+", "??", ".", "!", "?", ":", ",", ";",
        "func", "f", "->", "in", "{ $0 }", "\"a\\(", "\"", "if", "else", "for", "while", "Task", "await", "try", "do",
        "catch", "return", "class", "struct", "enum", "case", "#if", "@MainActor", "<", ">", "as?", "is", "...", "\\"};
    static const std::vector<std::string> python_pieces = {
        "(", ")", "[", "]", "{", "}", "\n", "    ", " ", "def", "f", "x", "=", "1", "+", "**", ".", ":", ",", ";",
        "async", "await", "lambda", "if", "else", "for", "in", "while", "with", "try", "except", "return", "class",
        "f\"{", "\"", "not", "and", "or", "@", "*", "->", "import", "from", "yield", "\\\n", "#", "pass", "global"};
    const auto& pieces = swift ? swift_pieces : python_pieces;
    Lcg rng{seed};
    std::string out;
    for (int i = 0; i < n; ++i) {
        out += pieces[rng.next(static_cast<std::uint32_t>(pieces.size()))];
        if (rng.next(3) == 0) out += ' ';
    }
    return out;
}

/// Parser work per input byte: what the linearity checks bound.
double work_per_byte(const std::string& name, const std::string& text) {
    const ParseResult r = parse_as(name, text);
    for (const Diagnostic& d : r.diagnostics.items()) CHECK(d.message.find("the parser gave up") == std::string::npos);
    return static_cast<double>(r.parser_work) / static_cast<double>(text.size() + 1);
}

/// Bound on work per byte; the parsers read each token a handful of times, lookahead
/// scans included. Stated as a constant so a regression to quadratic work cannot hide.
constexpr double k_linear_bound = 64;

}  // namespace

TASKLAB_COVERS_DIAGNOSTIC(front_end_limit);
TEST_CASE("a chain deeper than the limit is refused at the operator where it passed the limit") {
    auto file = std::make_shared<SourceFile>("demo.swift", "let x = 1 - 2 - 3 - 4 - 5\nprint(x)\n");
    ParseResult r = parse_swift(file);
    REQUIRE(r.ok());
    DiagnosticList diags;
    check_tree_depth(*r.program, diags, 3);
    CHECK(render_all(*file, diags) ==
          "demo.swift:1:23: error: expression too deeply nested (limit 3)\n"
          " 1 | let x = 1 - 2 - 3 - 4 - 5\n"
          "   |                       ^\n"
          "note: each operator of a chain, and each member access, subscript or call applied to a value, adds a level\n"
          "help: split the expression over several statements with intermediate variables\n");
    // The refused statement is gone, so nothing later walks it.
    CHECK(ast::dump(*r.program) == "(call print x)\n");
}

TEST_CASE("nesting past the parser's limit names the limit") {
    auto file = std::make_shared<SourceFile>("demo.swift", "let x = " + std::string(300, '[') + "1" + std::string(300, ']') + "\n");
    const ParseResult r = parse_swift(file);
    REQUIRE(r.diagnostics.size() == 1);
    const Diagnostic& d = r.diagnostics.items()[0];
    CHECK(d.kind == DiagnosticKind::front_end_limit);
    CHECK(d.message == "expression too deeply nested (limit 256)");
    // The statement is the first level, so the 256th bracket is one too many.
    CHECK(file->locate(d.span.begin).column == 9 + 255);
}

TEST_CASE("long chains of every shape are refused with one diagnostic, in both languages") {
    struct Case {
        const char* name;
        std::string text;
        const char* limit;
    };
    const std::vector<Case> cases = {
        {"sub.swift", "let x = 1" + repeat(" - 1", 40000) + "\nprint(2)\n", "1000"},
        {"postfix.swift", "let x = [1]" + repeat(".first!", 20000) + "\nprint(2)\n", "1000"},
        {"call.swift", "let x = f" + repeat("()", 20000) + "\nprint(2)\n", "1000"},
        {"coalesce.swift", "let x = " + joined("a", " ?? ", 100000) + "\nprint(2)\n", "256"},
        {"negate.swift", "let x = " + std::string(100000, '-') + "1\nprint(2)\n", "256"},
        {"not.swift", "let x = " + std::string(100000, '!') + "true\nprint(2)\n", "256"},
        {"ternary.swift", "let x = " + repeat("c ? 1 : ", 50000) + "0\nprint(2)\n", "256"},
        {"array.swift", "let x = " + std::string(30000, '[') + "1" + std::string(30000, ']') + "\nprint(2)\n", "256"},
        {"sub.py", "x = 1" + repeat(" - 1", 40000) + "\nprint(2)\n", "1000"},
        {"subscript.py", "x = 1\ny = x" + repeat("[0]", 100000) + "\nprint(2)\n", "1000"},
        {"attr.py", "y = x" + repeat(".a", 100000) + "\nprint(2)\n", "1000"},
        {"pow.py", "x = " + joined("1", "**", 100000) + "\nprint(2)\n", "400"},
        {"not.py", "x = " + repeat("not ", 100000) + "True\nprint(2)\n", "400"},
        {"list.py", "x = " + std::string(30000, '[') + "1" + std::string(30000, ']') + "\nprint(2)\n", "400"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.name);
        const ParseResult r = parse_as(c.name, c.text);
        REQUIRE(r.diagnostics.size() == 1);
        CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::front_end_limit);
        CHECK(r.diagnostics.items()[0].message == std::string("expression too deeply nested (limit ") + c.limit + ")");
        // Only the broken statement is dropped: the print after it survives.
        const std::string dump = ast::dump(*r.program);
        CHECK(dump.find("(call print 2)") != std::string::npos);
    }
}

TEST_CASE("chains just below the limit parse") {
    CHECK(parse_as("a.swift", "let x = 1" + repeat(" - 1", 990) + "\n").ok());
    CHECK(parse_as("a.swift", "let x = [[1]]" + repeat(".first!", 490) + "\n").ok());
    CHECK(parse_as("a.swift", "let x = " + joined("a", " ?? ", 200) + "\n").ok());
    CHECK(parse_as("a.py", "x = 1" + repeat(" - 1", 990) + "\n").ok());
    CHECK(parse_as("a.py", "x = y" + repeat("[0]", 990) + "\n").ok());
    CHECK(parse_as("a.py", "x = " + joined("1", "**", 300) + "\n").ok());
}

TEST_CASE("stray braces and twenty errors in a closure end the parse after the twentieth error") {
    const ParseResult braces = parse_as("b.swift", repeat("}\n", 19) + "{\n!k={\n");
    CHECK(braces.diagnostics.size() == 20);
    std::string closure = "let f = {\n" + repeat("  1 = 1\n", 19) + "  1 = {}\n}\n";
    const ParseResult errors = parse_as("c.swift", closure);
    CHECK(errors.diagnostics.size() == 20);
    CHECK(errors.diagnostics.items().back().notes.back() == "too many errors; stopping here");
    // The same with more errors after the twentieth: still linear work.
    CHECK(work_per_byte("d.swift", repeat("}\n", 5000) + repeat("{\n!k={\n", 5000)) < k_linear_bound);
    CHECK(work_per_byte("e.swift", "let f = {\n" + repeat("  1 = {}\n", 5000) + "}\n") < k_linear_bound);
}

TEST_CASE("nested interpolations that never close are lexed once per line") {
    // Each line used to be lexed again by every enclosing interpolation: 2^lines work.
    const ParseResult r = parse_as("i.swift", repeat("\"a\\(b(\"c\\(d\n", 200));
    REQUIRE(r.diagnostics.size() == 20);
    // One error per line, in line order.
    for (std::size_t i = 0; i < r.diagnostics.size(); ++i)
        CHECK(r.program->file->locate(r.diagnostics.items()[i].span.begin).line == i + 1);
}

TEST_CASE("the parsers' work stays linear in the input on generated garbage") {
    for (const bool swift : {true, false}) {
        const std::string name = swift ? "g.swift" : "g.py";
        for (std::uint64_t seed = 1; seed <= 300; ++seed) {
            CAPTURE(seed);
            CHECK(work_per_byte(name, garbage(swift, 60 + static_cast<int>(seed % 7) * 40, seed)) < k_linear_bound);
        }
        // Growing sizes of the same kind of input: work per byte does not grow with size.
        for (const int n : {1000, 4000, 16000, 64000}) {
            CAPTURE(n);
            CHECK(work_per_byte(name, garbage(swift, n, 42)) < k_linear_bound);
        }
    }
}

TEST_CASE("the parsers' work stays linear on the deepest nesting they accept") {
    CHECK(work_per_byte("n.swift", "let x = " + std::string(250, '(') + "1" + std::string(250, ')') + "\n") < k_linear_bound);
    CHECK(work_per_byte("n.swift", repeat("Task { ", 80) + repeat("} ", 80) + "\n") < k_linear_bound);
    CHECK(work_per_byte("n.swift", repeat("f { (a: Int) -> Int in ", 60) + repeat("} ", 60) + "\n") < k_linear_bound);
    CHECK(work_per_byte("n.py", "x = " + std::string(190, '(') + "1" + std::string(190, ')') + "\n") < k_linear_bound);
}

TEST_CASE("control characters in tasklab's own output are shown as pictures, not obeyed") {
    CHECK(escape_control_characters("a\x1b[2J\x07 b\tc\x7f") == "a\u241b[2J\u2407 b\tc\u2421");
    CHECK(escape_control_characters("\xc2\x9b" "31m") == "\ufffd31m");  // C1 CSI
    CHECK(escape_control_characters("안녕 👋") == "안녕 👋");
    // A diagnostic's file name, source line and quoted text: the caret stays under the token.
    auto file = std::make_shared<SourceFile>("t\x1b.swift", "let s = 1 \x1b]0;x\x07\n");
    const ParseResult r = parse_swift(file);
    const std::string text = render_all(*file, r.diagnostics);
    CHECK(text.find('\x1b') == std::string::npos);
    CHECK(text.find('\x07') == std::string::npos);
    CHECK(text.rfind("t\u241b.swift:1:11: error: invalid character U+001B in source\n"
                     " 1 | let s = 1 \u241b]0;x\u2407\n"
                     "   |           ^\n",
                     0) == 0);
}

TEST_CASE("expected output past a million lines or 16 MiB is refused with a diagnostic") {
    const ParseResult ok = parse_as("e.swift", "// tasklab: expect-repeat 1000000 x\n");
    CHECK(ok.ok());
    CHECK(ok.program->expect.size() == 1'000'000);
    const ParseResult lines = parse_as("e.swift", "// tasklab: expect-repeat 1000000 x\n// tasklab: expect y\n");
    REQUIRE(lines.diagnostics.size() == 1);
    CHECK(lines.diagnostics.items()[0].kind == DiagnosticKind::invalid_directive);
    CHECK(lines.diagnostics.items()[0].message == "the expected output of this file would pass 1000000 lines or 16 MiB");
    CHECK(lines.program->expect.size() == 1'000'000);
    // Bytes count too: 1,000 lines of 20,000 characters are 20 MB.
    const ParseResult bytes = parse_as("e.py", "# tasklab: expect-repeat 1000 " + std::string(20000, 'z') + "\n");
    REQUIRE(bytes.diagnostics.size() == 1);
    CHECK(bytes.program->expect.empty());
    // A thousand such directives (the memory bomb) cost one accepted directive and errors.
    const ParseResult bomb = parse_as("b.swift", repeat("// tasklab: expect-repeat 1000000 x\n", 1000));
    CHECK(bomb.diagnostics.size() == 20);
    CHECK(bomb.program->expect.size() == 1'000'000);
}

TEST_CASE("lone carriage returns end lines, as in CPython and swiftc") {
    // Old Mac line endings: the same program as with line feeds, errors on the right line.
    const ParseResult swift = parse_as("cr.swift", "let x = 1\rprint(x)\rprint(x +)\r");
    REQUIRE(swift.diagnostics.size() == 1);
    CHECK(swift.program->file->locate(swift.diagnostics.items()[0].span.begin).line == 3);
    CHECK(ast::dump(*swift.program) == ast::dump(*parse_as("lf.swift", "let x = 1\nprint(x)\n").program));
    const ParseResult py = parse_as("cr.py", "x = 1\rprint(x)\r");
    CHECK(py.ok());
    CHECK(ast::dump(*py.program) == ast::dump(*parse_as("lf.py", "x = 1\nprint(x)\n").program));
    // CRLF is unchanged, and a CR before LF is not doubled into two lines.
    const auto crlf = std::make_shared<SourceFile>("crlf.swift", "a\r\nb\r\n");
    CHECK(crlf->text() == "a\r\nb\r\n");
    CHECK(crlf->line_count() == 3);
}
