// One test per diagnostic kind the Python front end produces (categories lex, parse and
// directive), each checking the whole rendered text: position, message, source line, caret,
// notes and help.
#include <doctest/doctest.h>

#include <string>

#include "scenarios/frontend.hpp"
#include "tests/diagnostic_coverage.hpp"

using namespace tasklab;

namespace {

/// Parses `text` as demo.py and renders every diagnostic.
std::string rendered(const std::string& text) {
    const auto file = std::make_shared<SourceFile>("demo.py", text);
    const ParseResult r = parse_python(file);
    return render_all(*file, r.diagnostics);
}

}  // namespace

TASKLAB_COVERS_DIAGNOSTIC(invalid_character);
TEST_CASE("Python: an invalid character is named by its code point") {
    CHECK(rendered("x = 1 \x01 + 2\n") ==
          "demo.py:1:7: error: invalid character U+0001 in source\n"
          " 1 | x = 1 \u2401 + 2\n"
          "   |       ^\n");
    CHECK(rendered("total = a ? b\n") ==
          "demo.py:1:11: error: invalid character `?` in source\n"
          " 1 | total = a ? b\n"
          "   |           ^\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unterminated_string);
TEST_CASE("Python: an unterminated string marks the literal up to the line end") {
    CHECK(rendered("print(\"hello)\nprint(1)\n") ==
          "demo.py:1:7: error: unterminated string literal\n"
          " 1 | print(\"hello)\n"
          "   |       ^~~~~~~\n"
          "help: close it with `\"` before the end of the line\n");
    CHECK(rendered("doc = '''never\nclosed\n") ==
          "demo.py:1:7: error: unterminated triple-quoted string literal\n"
          " 1 | doc = '''never\n"
          "   |       ^~~\n"
          "help: close it with `'''`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_number);
TEST_CASE("Python: an invalid number marks the whole literal") {
    CHECK(rendered("n = 12abc\n") ==
          "demo.py:1:5: error: invalid number literal `12abc`\n"
          " 1 | n = 12abc\n"
          "   |     ^~~~~\n");
    CHECK(rendered("mode = 0755\n") ==
          "demo.py:1:8: error: leading zeros in decimal integer literals are not permitted\n"
          " 1 | mode = 0755\n"
          "   |        ^~~~\n"
          "help: write an octal number as `0o755`\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_escape);
TEST_CASE("Python: a truncated escape is an error, an unknown one a warning") {
    CHECK(rendered("print(\"a\\x4g\")\n") ==
          "demo.py:1:9: error: truncated `\\xXX` escape\n"
          " 1 | print(\"a\\x4g\")\n"
          "   |         ^~~\n"
          "help: write `\\x` then exactly 2 hex digits\n");
    CHECK(rendered("pattern = \"\\d+\"\n") ==
          "demo.py:1:12: warning: invalid escape sequence `\\d`\n"
          " 1 | pattern = \"\\d+\"\n"
          "   |            ^~\n"
          "help: write `\\\\` for a backslash, or use a raw string r\"…\"\n");
}

TASKLAB_COVERS_DIAGNOSTIC(inconsistent_indentation);
TEST_CASE("Python: a dedent to a column no block uses is an indentation error") {
    CHECK(rendered("async def main():\n    if ready:\n        await go()\n  print(\"done\")\n") ==
          "demo.py:4:1: error: unindent does not match any outer indentation level\n"
          " 4 |   print(\"done\")\n"
          "   | ^~\n"
          "note: this line is indented by 2 columns; the open blocks by 0, 4, and 8\n");
    CHECK(rendered("x = 1\n    y = 2\n") ==
          "demo.py:2:1: error: unexpected indent\n"
          " 2 |     y = 2\n"
          "   | ^~~~\n"
          "note: only the line after a `:` that ends a line starts a deeper block\n");
    CHECK(rendered("if a:\n    b()\n\tc()\n") ==
          "demo.py:3:1: error: inconsistent use of tabs and spaces in indentation\n"
          " 3 | \tc()\n"
          "   | ^~~~\n"
          "help: indent with spaces only; Python counts a tab as up to 8 columns\n");
}

TASKLAB_COVERS_DIAGNOSTIC(expected_token);
TEST_CASE("Python: an expected token names what was found") {
    CHECK(rendered("if ready\n    go()\n") ==
          "demo.py:1:9: error: expected `:`, found end of line\n"
          " 1 | if ready\n"
          "   |         ^\n");
    CHECK(rendered("def main():\nreturn 1\n") ==
          "demo.py:2:1: error: expected an indented block after function definition on line 1, found `return`\n"
          " 2 | return 1\n"
          "   | ^~~~~~\n");
    CHECK(rendered("x = f(1,\n      2\nprint(x)\n") ==
          "demo.py:3:1: error: expected `,` or `)`, found `print`\n"
          " 3 | print(x)\n"
          "   | ^~~~~\n");
    CHECK(rendered("results = gather(a, b\n\ndef later():\n    pass\n") ==
          "demo.py:1:22: error: expected `)`, found end of line\n"
          " 1 | results = gather(a, b\n"
          "   |                      ^\n"
          "note: the `(` on line 1 is never closed\n");
    CHECK(rendered("a() b()\n") ==
          "demo.py:1:5: error: expected end of line, found `b`\n"
          " 1 | a() b()\n"
          "   |     ^\n"
          "note: statements on one line must be separated by `;`\n");
    CHECK(rendered("try:\n    work()\nprint(1)\n") ==
          "demo.py:3:1: error: expected `except` or `finally`, found `print`\n"
          " 3 | print(1)\n"
          "   | ^~~~~\n"
          "note: the `try` on line 1 needs at least one handler or a `finally` block\n");
}

TASKLAB_COVERS_DIAGNOSTIC(expected_expression);
TEST_CASE("Python: a missing expression names what was found instead") {
    CHECK(rendered("x = )\n") ==
          "demo.py:1:5: error: expected an expression, found `)`\n"
          " 1 | x = )\n"
          "   |     ^\n");
    CHECK(rendered("ok = !done\n") ==
          "demo.py:1:6: error: expected an expression, found `!`\n"
          " 1 | ok = !done\n"
          "   |      ^\n"
          "help: Python writes `not x` where other languages write `!x`\n");
    CHECK(rendered("print(f\"{}\")\n") ==
          "demo.py:1:9: error: f-string: empty expression not allowed\n"
          " 1 | print(f\"{}\")\n"
          "   |         ^~\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unsupported_construct);
TEST_CASE("Python: an unsupported construct marks its keyword and points at the language notes") {
    CHECK(rendered("match command:\n    case \"stop\":\n        pass\n") ==
          "demo.py:1:1: error: `match` statements are not supported yet\n"
          " 1 | match command:\n"
          "   | ^~~~~\n"
          "note: tasklab runs a subset of Python; see docs/language.md\n");
    CHECK(rendered("async def main():\n    pass\n\nawait main()\n") ==
          "demo.py:4:1: error: `await` outside an async function\n"
          " 4 | await main()\n"
          "   | ^~~~~\n"
          "note: Python allows it only inside `async def` (and in the asyncio REPL)\n"
          "help: put the code in `async def main():` and run it with `asyncio.run(main())`\n");
    CHECK(rendered("x = a @ b\n") ==
          "demo.py:1:7: error: matrix multiplication `@` is not supported yet\n"
          " 1 | x = a @ b\n"
          "   |       ^\n"
          "note: tasklab runs a subset of Python; see docs/language.md\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_assignment_target);
TEST_CASE("Python: assigning to a call result marks the call") {
    CHECK(rendered("f() = 3\n") ==
          "demo.py:1:1: error: cannot assign to a function call\n"
          " 1 | f() = 3\n"
          "   | ^~~\n"
          "note: to compare values, write `==`\n"
          "help: the left side of `=` must be a name, an attribute, a subscript or a tuple of those\n");
}

TASKLAB_COVERS_DIAGNOSTIC(unknown_directive);
TEST_CASE("Python: an unknown hash directive lists the known ones") {
    CHECK(rendered("# tasklab: frobnicate 3\n") ==
          "demo.py:1:12: error: unknown directive `frobnicate`\n"
          " 1 | # tasklab: frobnicate 3\n"
          "   |            ^~~~~~~~~~\n"
          "help: known directives: title, seed, note, note-at, expect, expect-repeat, expect-error, latency, signal, limit, swift-version\n");
}

TASKLAB_COVERS_DIAGNOSTIC(invalid_directive);
TEST_CASE("Python: a hash directive with bad arguments marks the bad argument") {
    CHECK(rendered("# tasklab: latency websockets.connect soon\n") ==
          "demo.py:1:39: error: invalid duration `soon`\n"
          " 1 | # tasklab: latency websockets.connect soon\n"
          "   |                                       ^~~~\n"
          "help: durations look like 2s, 1.5s, 500ms, 250us or 10ns\n");
    CHECK(rendered("x = 1\n# tasklab: note nothing follows\n") ==
          "demo.py:2:3: error: `note` has no statement after it\n"
          " 2 | # tasklab: note nothing follows\n"
          "   |   ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~\n"
          "help: put the note on the line above the statement it explains\n");
}

TEST_CASE("Python: several errors are listed in source order with a count") {
    CHECK(rendered("x = )\n# tasklab: bogus\nif y\n    pass\n") ==
          "demo.py:1:5: error: expected an expression, found `)`\n"
          " 1 | x = )\n"
          "   |     ^\n"
          "demo.py:2:12: error: unknown directive `bogus`\n"
          " 2 | # tasklab: bogus\n"
          "   |            ^~~~~\n"
          "help: known directives: title, seed, note, note-at, expect, expect-repeat, expect-error, latency, signal, limit, swift-version\n"
          "demo.py:3:5: error: expected `:`, found end of line\n"
          " 3 | if y\n"
          "   |     ^\n"
          "3 errors generated.\n");
}

TEST_CASE("Python: carets under Korean text line up with the display columns") {
    CHECK(rendered("print(\"한글\") oops\n") ==
          "demo.py:1:13: error: expected end of line, found `oops`\n"
          " 1 | print(\"한글\") oops\n"
          "   |               ^~~~\n"
          "note: statements on one line must be separated by `;`\n");
}
