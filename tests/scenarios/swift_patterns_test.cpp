// The Swift front end on patterns and the control flow built on them: `switch`, enum cases
// with associated and raw values, `if case` / `guard case` / `while case`, `for case … where`,
// `repeat … while`, labelled statements, `catch` with several patterns, `if` and `switch`
// used as values; and the diagnostics for their malformed forms.
#include <doctest/doctest.h>

#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"
#include "swift_parse_support.hpp"

using namespace tasklab;

namespace {

using swift_parse_support::parse;
using swift_parse_support::sx;

/// The first diagnostic's message ("" when there is none).
std::string first_error(const std::string& text) {
    const ParseResult r = parse(text);
    return r.diagnostics.size() == 0 ? std::string() : r.diagnostics.items()[0].message;
}

}  // namespace

TEST_CASE("a switch keeps its cases, several values per case and a default") {
    CHECK(sx("switch x {\ncase 1, 2: f()\ncase 3...5: g()\ndefault: break\n}") ==
          "(switch x (case (~= 1) (~= 2) {(call f)}) (case (~= (... 3 5)) {(call g)}) (default {(break)}))");
}

TEST_CASE("cases may share a line with their statements and follow one another on it") {
    CHECK(sx("switch x { case 1: f() case 2: g() default: h() }") ==
          "(switch x (case (~= 1) {(call f)}) (case (~= 2) {(call g)}) (default {(call h)}))");
}

TEST_CASE("case let binds, and where guards each item") {
    CHECK(sx("switch x {\ncase let y where y > 3: f(y)\ndefault: break\n}") ==
          "(switch x (case (let y) where:(> y 3) {(call f y)}) (default {(break)}))");
}

TEST_CASE("enum case patterns take their associated values apart") {
    CHECK(sx("switch o {\ncase .failed(let e): f(e)\ncase let .ok(v): g(v)\ncase .progress(done: let d, of: _): h(d)\n"
             "case .idle: break\n}") ==
          "(switch o (case (case .failed ((let e))) {(call f e)}) (case (case .ok ((let v))) {(call g v)}) "
          "(case (case .progress (done:(let d) of:_)) {(call h d)}) (case (case .idle) {(break)}))");
}

TEST_CASE("a qualified enum case pattern keeps its type") {
    CHECK(sx("switch e {\ncase MyError.http(let code): f(code)\ncase MyError.boom: break\ndefault: break\n}") ==
          "(switch e (case (case MyError.http ((let code))) {(call f code)}) (case (case MyError.boom) {(break)}) "
          "(default {(break)}))");
}

TEST_CASE("tuple, type, cast, optional and nil patterns") {
    CHECK(sx("switch p {\ncase (0, _): a()\ncase (let x, let y): b(x, y)\ncase let (x, y): c(x, y)\ndefault: break\n}") ==
          "(switch p (case (tuple (~= 0) _) {(call a)}) (case (tuple (let x) (let y)) {(call b x y)}) "
          "(case (tuple (let x) (let y)) {(call c x y)}) (default {(break)}))");
    CHECK(sx("switch e {\ncase is CancellationError: a()\ncase let u as URLError: b(u)\ndefault: break\n}") ==
          "(switch e (case (is CancellationError) {(call a)}) (case (as (let u) URLError) {(call b u)}) (default {(break)}))");
    CHECK(sx("switch v {\ncase .some(let x): a(x)\ncase let y?: b(y)\ncase nil: c()\n}") ==
          "(switch v (case (case .some ((let x))) {(call a x)}) (case (? (let y)) {(call b y)}) (case (~= nil) {(call c)}))");
}

TEST_CASE("fallthrough and @unknown default are accepted inside a switch") {
    CHECK(sx("switch x {\ncase 1: f(); fallthrough\n@unknown default: g()\n}") ==
          "(switch x (case (~= 1) {(call f) (fallthrough)}) (default {(call g)}))");
}

TEST_CASE("break inside a switch needs no loop") {
    CHECK(sx("switch x {\ncase 1: break\ndefault: f()\n}") == "(switch x (case (~= 1) {(break)}) (default {(call f)}))");
}

TEST_CASE("enum cases record associated value labels and raw values") {
    CHECK(sx("enum E { case failed(Error), progress(done: Int, of: Int)\ncase idle }") ==
          "(enum E (cases failed(_) progress(done of) idle) {})");
    CHECK(sx("enum Code: Int { case a = 1, b, c = -3 }") == "(enum Code (: Int) (cases a=1 b c=(neg 3)) {})");
    CHECK(sx("enum Dir: String { case north = \"N\", south }") == "(enum Dir (: String) (cases north=\"N\" south) {})");
}

TEST_CASE("if case, guard case and while case match a pattern against a value") {
    CHECK(sx("if case .ok(let v) = r { f(v) }") == "(if (case (case .ok ((let v))) r) {(call f v)})");
    CHECK(sx("func g() { guard case let x? = y else { return }\nf(x) }") ==
          "(func g () {(guard (case (? (let x)) y) else {(return)}) (call f x)})");
    CHECK(sx("while case let x? = next() { f(x) }") == "(while (case (? (let x)) (call next)) {(call f x)})");
    CHECK(sx("if case 1...3 = n, n != 2 { f() }") == "(if (case (~= (... 1 3)) n) (!= n 2) {(call f)})");
}

TEST_CASE("if let with a tuple binds both halves of an Optional pair") {
    CHECK(sx("if let (a, b) = pair { f(a, b) }") == "(if (case (? (tuple (let a) (let b))) pair) {(call f a b)})");
}

TEST_CASE("for case binds matching elements and where filters them") {
    CHECK(sx("for case let x? in xs { f(x) }") == "(for case (? (let x)) xs {(call f x)})");
    CHECK(sx("for i in 0..<10 where i % 2 == 0 { f(i) }") == "(for i (..< 0 10) where:(== (% i 2) 0) {(call f i)})");
    CHECK(sx("for case .failed(let e) in outcomes where e is URLError { f(e) }") ==
          "(for case (case .failed ((let e))) outcomes where:(is e URLError) {(call f e)})");
}

TEST_CASE("repeat while runs its body before the condition") {
    CHECK(sx("repeat {\n  f()\n} while x < 3") == "(repeat {(call f)} while (< x 3))");
}

TEST_CASE("labelled loops, ifs, dos and switches keep their label; break and continue name it") {
    CHECK(sx("outer: for i in xs {\n  for j in ys {\n    if j { continue outer }\n    break outer\n  }\n}") ==
          "outer: (for i xs {(for j ys {(if j {(continue outer)}) (break outer)})})");
    CHECK(sx("scan: while true { break scan }") == "scan: (while true {(break scan)})");
    CHECK(sx("body: do { break body }") == "body: (do {(break body)})");
    CHECK(sx("check: if a { break check }") == "check: (if a {(break check)})");
    CHECK(sx("pick: switch x {\ncase 1: break pick\ndefault: break\n}") == "pick: (switch x (case (~= 1) {(break pick)}) (default {(break)}))");
    CHECK(sx("loop: repeat { continue loop } while false") == "loop: (repeat {(continue loop)} while false)");
}

TEST_CASE("catch takes several patterns and enum payload patterns with where") {
    CHECK(sx("do { try f() } catch MyError.http(let code) where code > 500 { g(code) }") ==
          "(do {(try (call f))} (catch items: (case MyError.http ((let code))) where:(> code 500) {(call g code)}))");
    CHECK(sx("do { try f() } catch is CancellationError, is URLError { g() }") ==
          "(do {(try (call f))} (catch items: (is CancellationError) (is URLError) {(call g)}))");
}

TEST_CASE("the simple catch forms keep their simple shape") {
    CHECK(sx("do { try f() } catch let e as URLError { g(e) } catch is CancellationError { h() } catch MyError.boom { k() }") ==
          "(do {(try (call f))} (catch is:URLError let:e {(call g e)}) (catch is:CancellationError {(call h)}) "
          "(catch is:(. MyError boom) {(call k)}))");
}

TEST_CASE("if and switch are expressions when used as values") {
    CHECK(sx("let x = if c { 1 } else { 2 }") == "(let x = (value (if c {1} else {2})))");
    CHECK(sx("let s = switch v { case 1: \"one\" default: \"many\" }") ==
          "(let s = (value (switch v (case (~= 1) {\"one\"}) (default {\"many\"}))))");
    CHECK(sx("let y = if a { 1 } else if b { 2 } else { throw E.x }") ==
          "(let y = (value (if a {1} else {(if b {2} else {(throw (. E x))})})))");
}

TEST_CASE("a function whose body is one value switch returns its value") {
    CHECK(sx("func name() -> String {\n  switch self {\n  case .a: \"A\"\n  case .b: \"B\"\n  }\n}") ==
          "(func name () implicit -> String {(value (switch self (case (case .a) {\"A\"}) (case (case .b) {\"B\"})))})");
    // Without a result type the switch stays a statement.
    CHECK(sx("func show() {\n  switch self {\n  case .a: print(1)\n  default: break\n  }\n}") ==
          "(func show () {(switch self (case (case .a) {(call print 1)}) (default {(break)}))})");
}

// ---------------------------------------------------------------------------------------
// Diagnostics
// ---------------------------------------------------------------------------------------

TEST_CASE("malformed switches are refused with clear messages") {
    CHECK(first_error("switch x { }") == "a `switch` must have at least one `case` or `default` block");
    CHECK(first_error("switch x {\ncase 1:\ncase 2: f()\n}") == "a `case` label in a `switch` must have at least one statement");
    CHECK(first_error("switch x {\nf()\ncase 1: g()\n}") == "expected `case` or `default` in a `switch`, found `f`");
    CHECK(first_error("switch x {\ndefault: f()\ncase 1: g()\n}") ==
          "additional `case` blocks cannot appear after the `default` block of a `switch`");
    CHECK(first_error("switch x {\ncase 1 f()\n}") == "expected `:`, found `f`");
}

TEST_CASE("fallthrough must be inside a case with a case after it") {
    CHECK(first_error("fallthrough") == "`fallthrough` is only allowed inside a `switch` case");
    CHECK(first_error("switch x {\ncase 1: f()\ndefault: fallthrough\n}") == "`fallthrough` without a following `case` or `default` block");
}

TEST_CASE("labels must be in scope, continue must name a loop, and a label is not reused") {
    CHECK(first_error("for x in xs { break nowhere }") == "cannot find label `nowhere` in scope");
    CHECK(first_error("check: if a { for x in xs { continue check } }") == "`continue check` needs `check` to label a loop");
    CHECK(first_error("a: for x in xs { a: for y in ys { } }") == "label `a` is already in use here");
    // A label does not reach into a function declared inside the loop.
    CHECK(first_error("outer: for x in xs { func f() { break outer } }") == "cannot find label `outer` in scope");
}

TEST_CASE("if and switch used as values need one expression per branch and an else") {
    CHECK(first_error("let x = if a { 1 }") == "an `if` used as a value must have an `else`");
    CHECK(first_error("let x = if a { f(); 1 } else { 2 }") == "each branch of an `if` used as a value must be a single expression");
    CHECK(first_error("let s = switch v { case 1: print(1); \"a\" default: \"b\" }") ==
          "each branch of a `switch` used as a value must be a single expression");
}

TEST_CASE("repeat needs its while, and if case needs its equals sign") {
    CHECK(first_error("repeat { f() } until x") == "expected `while` after the body of `repeat`, found `until`");
    CHECK(first_error("if case .a x { }") == "expected `=` after the pattern of `if case`, found `x`");
}

TEST_CASE("enum raw values are literals and exclude associated values") {
    CHECK(first_error("enum E: Int { case a(Int) = 1 }") == "an enum case with associated values cannot have a raw value");
    CHECK(first_error("enum E: Int { case a = f() }") == "a raw value must be a literal");
    CHECK(first_error("enum E { case a(x: Int = 1) }") == "default values of associated values are not supported yet");
}

TEST_CASE("a pattern error is rendered with its file, line, column and caret") {
    const ParseResult r = parse("let v = 1\nswitch v {\ncase 1:\ndefault: f()\n}\n");
    REQUIRE(r.diagnostics.size() == 1);
    const std::string text = render_all(*r.program->file, r.diagnostics);
    CHECK(text.find("t.swift:3:1: error: a `case` label in a `switch` must have at least one statement") != std::string::npos);
    CHECK(text.find("^~~~~~") != std::string::npos);
    CHECK(text.find("help: write `break` to do nothing") != std::string::npos);
}

TEST_CASE("a broken case does not stop the statements after the switch") {
    const ParseResult r = parse("switch x {\ncase 1 f()\n}\nprint(2)\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(ast::dump(*r.program) == "(call print 2)\n");
}

TEST_CASE("a long else-if chain used as a value is checked without deep recursion") {
    std::string text = "let x = if a == 0 { 0 }";
    for (int i = 1; i < 50000; ++i) text += " else if a == " + std::to_string(i) + " { " + std::to_string(i) + " }";
    text += " else { -1 }\nprint(2)\n";
    const ParseResult r = parse(text);
    // The chain is far taller than the tree height limit: one limit diagnostic, and the
    // statement after it survives.
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::front_end_limit);
    CHECK(ast::dump(*r.program).find("(call print 2)") != std::string::npos);
}

TEST_CASE("indirect enums and indirect cases parse like other enums") {
    CHECK(sx("indirect enum Tree { case leaf(Int), node(Tree, Tree) }") == "(enum Tree (cases leaf(_) node(_ _)) {})");
    CHECK(sx("enum List { case end\nindirect case cons(Int, List) }") == "(enum List (cases end cons(_ _)) {})");
}
