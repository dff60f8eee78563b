// One test per diagnostic kind of the front ends (categories lex, parse and directive),
// each checking the whole rendered text: position, message, source line, caret, notes.
#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "scenarios/frontend.hpp"
#include "tests/diagnostic_coverage.hpp"

using namespace tasklab;

namespace {

/// Parses `text` as demo.swift and renders every diagnostic.
std::string rendered(const std::string& text) {
    const auto file = std::make_shared<SourceFile>("demo.swift", text);
    const ParseResult r = parse_swift(file);
    return render_all(*file, r.diagnostics);
}

}  // namespace

TASKLAB_COVERS_DIAGNOSTIC(invalid_character);
TEST_CASE("an invalid character is named by its code point") {
    CHECK(rendered("let x = 1 \x01 + 2\n") ==
          "demo.swift:1:11: error: invalid character U+0001 in source\n"
          // The source line shows the control character as its picture, U+2401.
          " 1 | let x = 1 \u2401 + 2\n"
          "   |           ^\n");
    CHECK(rendered("let y = `\n") ==
          "demo.swift:1:9: error: invalid character ``` in source\n"
          " 1 | let y = `\n"
          "   |         ^\n");
    CHECK(rendered("let b = \xFF\xFE\n") ==
          "demo.swift:1:9: error: invalid character byte 0xFF in source\n"
          " 1 | let b = \xFF\xFE\n"
          "   |         ^\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unterminated_string);
TEST_CASE("an unterminated string marks the literal up to the line end") {
    CHECK(rendered("print(\"hello)\nprint(1)\n") ==
          "demo.swift:1:7: error: unterminated string literal\n"
          " 1 | print(\"hello)\n"
          "   |       ^~~~~~~\n"
          "help: close it with `\"` before the end of the line\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unterminated_comment);
TEST_CASE("an unterminated block comment marks its opening") {
    CHECK(rendered("x()\n  /* never closed\n") ==
          "demo.swift:2:3: error: unterminated block comment\n"
          " 2 |   /* never closed\n"
          "   |   ^~\n"
          "note: the comment starts here and is never closed with `*/`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_number);
TEST_CASE("an invalid number marks the whole literal") {
    CHECK(rendered("let n = 12abc\n") ==
          "demo.swift:1:9: error: invalid number literal `12abc`\n"
          " 1 | let n = 12abc\n"
          "   |         ^~~~~\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_escape);
TEST_CASE("an invalid escape marks the backslash and its character") {
    CHECK(rendered("print(\"a\\qb\")\n") ==
          "demo.swift:1:9: error: invalid escape sequence `\\q`\n"
          " 1 | print(\"a\\qb\")\n"
          "   |         ^~\n"
          "help: valid escapes are \\n \\t \\r \\0 \\\" \\' \\\\ \\u{…} and \\( … ) for interpolation\n");
}

TASKLAB_COVERS_DIAGNOSTIC(expected_token);
TEST_CASE("an expected token names what was found") {
    CHECK(rendered("foo(1, 2}\n") ==
          "demo.swift:1:9: error: expected `)`, found `}`\n"
          " 1 | foo(1, 2}\n"
          "   |         ^\n");
    CHECK(rendered("func\nf()\n") ==
          "demo.swift:1:5: error: expected a function name, found end of line\n"
          " 1 | func\n"
          "   |     ^\n");
    CHECK(rendered("Task {\n  work()\n") ==
          "demo.swift:2:9: error: expected `}`, found end of file\n"
          " 2 |   work()\n"
          "   |         ^\n");
    CHECK(rendered("a() b()\n") ==
          "demo.swift:1:5: error: expected `;` or a line break, found `b`\n"
          " 1 | a() b()\n"
          "   |     ^\n"
          "note: consecutive statements on a line must be separated by `;`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(expected_expression);
TEST_CASE("a missing expression names what was found instead") {
    CHECK(rendered("let x = )\n") ==
          "demo.swift:1:9: error: expected an expression, found `)`\n"
          " 1 | let x = )\n"
          "   |         ^\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unsupported_construct);
TEST_CASE("an unsupported construct marks its keyword and points at the language notes") {
    CHECK(rendered("@globalActor struct Cache {\n  var x = 1\n}\n") ==
          "demo.swift:1:1: error: `@globalActor` on declarations is not supported yet\n"
          " 1 | @globalActor struct Cache {\n"
          "   | ^~~~~~~~~~~~\n"
          "note: tasklab runs a subset of Swift; see docs/language.md\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_assignment_target);
TEST_CASE("assigning to a call result marks the call") {
    CHECK(rendered("f() = 3\n") ==
          "demo.swift:1:1: error: cannot assign to the result of a call\n"
          " 1 | f() = 3\n"
          "   | ^~~\n"
          "help: the left side of `=` must be a variable, a property, a subscript or `_`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unknown_directive);
TEST_CASE("an unknown directive lists the known ones") {
    CHECK(rendered("// tasklab: frobnicate 3\n") ==
          "demo.swift:1:13: error: unknown directive `frobnicate`\n"
          " 1 | // tasklab: frobnicate 3\n"
          "   |             ^~~~~~~~~~\n"
          "help: known directives: title, seed, note, note-at, expect, expect-repeat, expect-error, latency, signal, limit, swift-version\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_directive);
TEST_CASE("a directive with bad arguments marks the bad argument") {
    CHECK(rendered("// tasklab: latency URLSession.data soon\n") ==
          "demo.swift:1:37: error: invalid duration `soon`\n"
          " 1 | // tasklab: latency URLSession.data soon\n"
          "   |                                     ^~~~\n"
          "help: durations look like 2s, 1.5s, 500ms, 250us or 10ns\n");
    CHECK(rendered("x()\n// tasklab: note nothing follows\n") ==
          "demo.swift:2:4: error: `note` has no statement after it\n"
          " 2 | // tasklab: note nothing follows\n"
          "   |    ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
          "help: put the note on the line above the statement it explains\n");
}

TEST_CASE("several errors are listed in source order with a count") {
    CHECK(rendered("let = 1\n// tasklab: bogus\nlet y = )\n") ==
          "demo.swift:1:5: error: expected a name, found `=`\n"
          " 1 | let = 1\n"
          "   |     ^\n"
          "demo.swift:2:13: error: unknown directive `bogus`\n"
          " 2 | // tasklab: bogus\n"
          "   |             ^~~~~\n"
          "help: known directives: title, seed, note, note-at, expect, expect-repeat, expect-error, latency, signal, limit, swift-version\n"
          "demo.swift:3:9: error: expected an expression, found `)`\n"
          " 3 | let y = )\n"
          "   |         ^\n"
          "3 errors generated.\n");
}

TEST_CASE("carets under Korean text line up with the display columns") {
    CHECK(rendered("print(\"한글\") oops\n") ==
          "demo.swift:1:13: error: expected `;` or a line break, found `oops`\n"
          " 1 | print(\"한글\") oops\n"
          "   |               ^~~~\n"
          "note: consecutive statements on a line must be separated by `;`\n");
}

TEST_CASE("every lex, parse and directive diagnostic kind has a test") {
    for (const DiagnosticKind kind : all_diagnostic_kinds()) {
        const std::string_view category = diagnostic_kind_category(kind);
        if (category != "lex" && category != "parse" && category != "directive") continue;
        CAPTURE(diagnostic_kind_name(kind));
        CHECK(test::covered_diagnostics().count(kind) == 1);
    }
}
