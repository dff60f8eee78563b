#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "tests/scenarios/python_parse_support.hpp"

using namespace tasklab;
using python_parse_support::messages;
using python_parse_support::parse;
using python_parse_support::sx;

namespace {

/// The body of `async def f():` wrapped around `body` (indented by four spaces per line).
std::string in_async(const std::string& body) {
    std::string out = "async def f():\n";
    std::size_t b = 0;
    while (b < body.size()) {
        std::size_t e = body.find('\n', b);
        if (e == std::string::npos) e = body.size();
        out += "    " + body.substr(b, e - b) + "\n";
        b = e + 1;
    }
    return out;
}

/// The dump of the statements of `body` run inside `async def f():`.
std::string sx_async(const std::string& body) {
    const std::string dump = sx(in_async(body));
    const std::string prefix = "(func f () async {";
    REQUIRE(dump.substr(0, prefix.size()) == prefix);
    return dump.substr(prefix.size(), dump.size() - prefix.size() - 2);
}

const ast::Stmt* first(const ParseResult& r) {
    REQUIRE(!r.program->body.empty());
    return r.program->body.front();
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Layout: lines, blocks, comments
// ---------------------------------------------------------------------------------------

TEST_CASE("an empty file and a file of comments parse to an empty Python program") {
    const ParseResult r = parse("");
    CHECK(r.ok());
    CHECK(r.program->body.empty());
    CHECK(r.program->language == ast::Language::python);
    CHECK(sx("# only a comment\n\n   \n# another\n") == "");
}

TEST_CASE("parse_scenario picks the Python front end for .py files") {
    const ParseResult r = parse_scenario(std::make_shared<SourceFile>("main.py", "print(1)\n"));
    CHECK(r.ok());
    CHECK(r.program->language == ast::Language::python);
    CHECK(ast::dump(*r.program) == "(call print 1)\n");
}

TEST_CASE("statements end at line breaks and semicolons, with or without a final line break") {
    CHECK(sx("a()\nb(); c()\nd();") == "(call a)\n(call b)\n(call c)\n(call d)");
    CHECK(sx("x = 1") == "(= x 1)");
}

TEST_CASE("blocks are made by indentation with spaces or tabs") {
    CHECK(sx("if a:\n    b()\n    c()\nd()\n") == "(if a {(call b) (call c)})\n(call d)");
    CHECK(sx("if a:\n\tb()\n\tif c:\n\t\td()\ne()\n") == "(if a {(call b) (if c {(call d)})})\n(call e)");
    CHECK(sx("if a:\n  if b:\n        c()\n  d()\n") == "(if a {(if b {(call c)}) (call d)})");
}

TEST_CASE("a body may follow the colon on the same line") {
    CHECK(sx("if a: b(); c()\nd()") == "(if a {(call b) (call c)})\n(call d)");
    CHECK(sx("while x: x -= 1") == "(while x {(-= x 1)})");
}

TEST_CASE("blank lines and comments inside blocks do not end them") {
    CHECK(sx("def f():\n    a()\n\n# at column zero\n        # deeper\n    b()\n") == "(func f () {(call a) (call b)})");
}

TEST_CASE("brackets join lines and a backslash continues a line") {
    CHECK(sx("x = [1,\n  2,\n      3]\ny = f(a,\nb=2)\n") == "(= x (array 1 2 3))\n(= y (call f a b:2))");
    CHECK(sx("x = 1 + \\\n    2\n") == "(= x (+ 1 2))");
    CHECK(sx("if (a and\n        b):\n    pass\n") == "(if (&& a b) {(pass)})");
}

TEST_CASE("dedenting several levels at once closes every block") {
    CHECK(sx("class A:\n    def f(self):\n        if x:\n            return 1\nprint(2)\n") ==
          "(class A {(func f (self) {(if x {(return 1)})})})\n(call print 2)");
}

// ---------------------------------------------------------------------------------------
// Imports, functions, classes
// ---------------------------------------------------------------------------------------

TEST_CASE("imports record modules, aliases and imported names") {
    CHECK(sx("import asyncio\nimport a.b as c\nimport x, y") == "(import asyncio)\n(import a.b as c)\n(import x)\n(import y)");
    CHECK(sx("from asyncio import sleep, gather as g") == "(import asyncio sleep gather:g)");
    CHECK(sx("from a.b import (c,\n    d,\n)") == "(import a.b c d)");
}

TEST_CASE("each module of a plain import is its own statement with its own span") {
    const ParseResult r = parse("a(); import x, y.z as w\n");
    REQUIRE(r.ok());
    REQUIRE(r.program->body.size() == 3);
    CHECK(r.program->file->slice(r.program->body[1]->span) == "import x");
    CHECK(r.program->file->slice(r.program->body[2]->span) == "y.z as w");
}

TEST_CASE("from-imports keep one alias slot per name") {
    const ParseResult r = parse("from a import b as c, d\n");
    REQUIRE(r.ok());
    const auto* imp = static_cast<const ast::Import*>(first(r));
    CHECK(imp->module == "a");
    REQUIRE(imp->names.size() == 2);
    REQUIRE(imp->name_aliases.size() == 2);
    CHECK(imp->names[0] == "b");
    CHECK(imp->name_aliases[0] == "c");
    CHECK(imp->name_aliases[1] == "");
}

TEST_CASE("functions record async, parameters, defaults and the return annotation") {
    CHECK(sx("def f(a, b=2, c: int = 3) -> dict[str, int]:\n    return a") ==
          "(func f (a b=2 c=3) -> dict[str, int] {(return a)})");
    CHECK(sx("async def main():\n    await g()") == "(func main () async {(await (call g))})");
}

TEST_CASE("parameter annotations are kept as text and the label equals the name") {
    const ParseResult r = parse("def f(self, x: int | None = None, y: list[tuple[int, str]]) -> None:\n    pass\n");
    // A parameter without a default after one with a default is an error in Python.
    CHECK(!r.ok());
    const ParseResult ok = parse("def f(self, y: list[tuple[int, str]], x: int | None = None) -> None:\n    pass\n");
    REQUIRE(ok.ok());
    const auto* f = static_cast<const ast::FuncDecl*>(first(ok));
    REQUIRE(f->params.size() == 3);
    CHECK(f->params[0].name == "self");
    CHECK(f->params[0].label == "self");
    CHECK(f->params[1].type_text == "list[tuple[int, str]]");
    CHECK(f->params[2].type_text == "int | None");
    CHECK(f->params[2].default_value != nullptr);
    CHECK(f->return_type_text == "None");
}

TEST_CASE("decorators are kept in order and staticmethod marks a static function") {
    CHECK(sx("@a\n@b.c(1)\ndef f():\n    pass") == "@a @(call (. b c) 1) (func f () {(pass)})");
    CHECK(sx("class C:\n    @staticmethod\n    def make():\n        return C()") ==
          "(class C {@staticmethod (func make () static {(return (call C))})})");
    CHECK(sx("@dataclass\nclass P:\n    x: int = 0") == "@dataclass (class P {(= x : int 0)})");
    CHECK(sx("@retry(3)\nasync def f():\n    pass") == "@(call retry 3) (func f () async {(pass)})");
}

TEST_CASE("classes record bases, methods, class attributes and docstrings") {
    CHECK(sx("class Server(Base, mixins.Logging):\n    \"\"\"A server.\"\"\"\n    port = 8080\n\n"
             "    def __init__(self, host):\n        self.host = host\n        self.clients = {}\n") ==
          "(class Server (: Base (. mixins Logging)) {\"A server.\" (= port 8080) (func __init__ (self host) {(= (. self "
          "host) host) (= (. self clients) (dict))})})");
    CHECK(sx("class E(Exception): pass") == "(class E (: Exception) {(pass)})");
    CHECK(sx("class C():\n    ...") == "(class C {(pass)})");
}

TEST_CASE("function and class name spans point at the name") {
    const std::string text = "class Cache:\n    async def get(self, key):\n        return key\n";
    const ParseResult r = parse(text);
    REQUIRE(r.ok());
    const auto* c = static_cast<const ast::TypeDecl*>(first(r));
    CHECK(r.program->file->slice(c->name_span) == "Cache");
    CHECK(r.program->file->slice(c->span) == text.substr(0, text.size() - 1));
    const auto* f = static_cast<const ast::FuncDecl*>(c->members.at(0));
    CHECK(r.program->file->slice(f->name_span) == "get");
    CHECK(r.program->file->slice(f->span) == "async def get(self, key):\n        return key");
}

// ---------------------------------------------------------------------------------------
// Assignments
// ---------------------------------------------------------------------------------------

TEST_CASE("assignments take names, attributes, subscripts and tuples") {
    CHECK(sx("x = 1\na, b = 1, 2\nself.items[k] = v\n(c, d) = t\n[e, f] = g") ==
          "(= x 1)\n(= (tuple a b) (tuple 1 2))\n(= (sub (. self items) k) v)\n(= (tuple c d) t)\n(= (tuple e f) g)");
}

TEST_CASE("annotated assignments keep the annotation text, with or without a value") {
    CHECK(sx("x: int = 1\ny: dict[str, list[int]] = {}\nz: int") == "(= x : int 1)\n(= y : dict[str, list[int]] (dict))\n(= z : int <null>)");
}

TEST_CASE("augmented assignments map to assignment operators") {
    CHECK(sx("x += 1\nx -= 1\nx *= 2\nx /= 2\nx %= 3\nself.n += 1") ==
          "(+= x 1)\n(-= x 1)\n(*= x 2)\n(/= x 2)\n(%= x 3)\n(+= (. self n) 1)");
}

TEST_CASE("floor-division and power assignments are rewritten as plain assignments") {
    CHECK(sx("x //= 2\ny **= 3") == "(= x (// x 2))\n(= y (** y 3))");
}

TEST_CASE("a chained assignment keeps one value and every target in the order written") {
    CHECK(sx("a = b = []") == "(= a = b (array))");
    CHECK(sx("a = self.x = c = 0") == "(= a = (. self x) = c 0)");
    CHECK(sx("a[i] = a[j] = x") == "(= (sub a i) = (sub a j) x)");
    CHECK(sx("x.a = y.b = v, w") == "(= (. x a) = (. y b) (tuple v w))");
    CHECK(messages("a = f() = 1\n") == "cannot assign to a function call");
}

// ---------------------------------------------------------------------------------------
// Control flow
// ---------------------------------------------------------------------------------------

TEST_CASE("elif becomes an if nested in the else branch") {
    CHECK(sx("if a:\n    x()\nelif b:\n    y()\nelif c:\n    z()\nelse:\n    w()") ==
          "(if a {(call x)} else {(if b {(call y)} else {(if c {(call z)} else {(call w)})})})");
}

TEST_CASE("the span of an elif covers its own branch and the rest of the chain") {
    const std::string text = "if a:\n    x()\nelif b:\n    y()\nelse:\n    z()\n";
    const ParseResult r = parse(text);
    REQUIRE(r.ok());
    const auto* top = static_cast<const ast::If*>(first(r));
    CHECK(r.program->file->slice(top->span) == text.substr(0, text.size() - 1));
    const auto* inner = static_cast<const ast::If*>(top->else_body.at(0));
    CHECK(r.program->file->slice(inner->span) == "elif b:\n    y()\nelse:\n    z()");
}

TEST_CASE("while and for loops take else blocks; break and continue sit inside loops") {
    CHECK(sx("while n > 0:\n    n -= 1\n    if n == 3: break\nelse:\n    done()") ==
          "(while (> n 0) {(-= n 1) (if (== n 3) {(break)})} else {(call done)})");
    CHECK(sx("for i in range(3):\n    continue\nelse:\n    pass") == "(for i (call range 3) {(continue)} else {(pass)})");
}

TEST_CASE("for loops take tuple targets and async for iterates asynchronously") {
    CHECK(sx("for k, v in d.items():\n    pass") == "(for (tuple k v) (call (. d items)) {(pass)})");
    CHECK(sx("for (a, b) in pairs:\n    pass") == "(for (tuple a b) pairs {(pass)})");
    CHECK(sx("for x in 1, 2, 3:\n    pass") == "(for x (tuple 1 2 3) {(pass)})");
    CHECK(sx_async("async for msg in websocket:\n    print(msg)") == "(for await msg websocket {(call print msg)})");
}

TEST_CASE("pass, return, global, nonlocal and ellipsis bodies") {
    CHECK(sx("def f():\n    return\ndef g():\n    return 1, 2\ndef h(): ...") ==
          "(func f () {(return)})\n(func g () {(return (tuple 1 2))})\n(func h () {(pass)})");
    CHECK(sx("def f():\n    global count, total\n    def g():\n        nonlocal x\n        pass") ==
          "(func f () {(global count total) (func g () {(nonlocal x) (pass)})})");
}

TEST_CASE("raise takes nothing, an exception, or an exception and its cause") {
    CHECK(sx("raise\nraise ValueError\nraise RuntimeError(\"m\") from e\nraise X from None") ==
          "(throw)\n(throw ValueError)\n(throw (call RuntimeError \"m\") from e)\n(throw X from nil)");
}

TEST_CASE("assert becomes a test that raises AssertionError, spanning the assert") {
    CHECK(sx("assert x > 0\nassert ok, \"not ok\"") ==
          "(if (not (> x 0)) {(throw (call AssertionError))})\n(if (not ok) {(throw (call AssertionError \"not ok\"))})");
    const ParseResult r = parse("assert ready, 'x'\n");
    REQUIRE(r.ok());
    CHECK(r.program->file->slice(first(r)->span) == "assert ready, 'x'");
}

TEST_CASE("try statements record handlers, bindings, else and finally") {
    CHECK(sx("try:\n    a()\nexcept ValueError:\n    b()\nexcept (KeyError, IndexError) as e:\n    c(e)\n"
             "except Exception as e:\n    d()\nexcept:\n    raise\nelse:\n    f()\nfinally:\n    g()") ==
          "(do {(call a)} (catch is:ValueError {(call b)}) (catch is:(tuple KeyError IndexError) let:e {(call c e)}) "
          "(catch is:Exception let:e {(call d)}) (catch {(throw)}) else {(call f)} finally {(call g)})");
    CHECK(sx("try:\n    a()\nfinally:\n    b()") == "(do {(call a)} finally {(call b)})");
    CHECK(sx("try:\n    a()\nexcept asyncio.CancelledError:\n    pass") ==
          "(do {(call a)} (catch is:(. asyncio CancelledError) {(pass)}))");
}

TEST_CASE("except star marks the try statement") {
    const ParseResult r = parse("try:\n    a()\nexcept* ValueError as eg:\n    b()\nexcept* (TypeError, KeyError):\n    c()\n");
    REQUIRE(r.ok());
    const auto* t = static_cast<const ast::TryStmt*>(first(r));
    CHECK(t->star);
    REQUIRE(t->handlers.size() == 2);
    CHECK(t->handlers[0].binding == "eg");
    CHECK(ast::dump(t) == "(do {(call a)} (catch* is:ValueError let:eg {(call b)}) (catch* is:(tuple TypeError KeyError) {(call c)}))");
}

TEST_CASE("with and async with take several items with optional targets") {
    CHECK(sx("with open(p) as f, lock:\n    pass") == "(with (call open p) as f lock {(pass)})");
    CHECK(sx_async("async with a as b, c as d:\n    pass") == "(async-with a as b c as d {(pass)})");
    CHECK(sx_async("async with (\n    asyncio.TaskGroup() as tg,\n    timeout(1) as t,\n):\n    pass") ==
          "(async-with (call (. asyncio TaskGroup)) as tg (call timeout 1) as t {(pass)})");
    CHECK(sx("with (yield_lock):\n    pass") == "(with yield_lock {(pass)})");
}

TEST_CASE("if __name__ == \"__main__\" parses") {
    CHECK(sx("if __name__ == \"__main__\":\n    asyncio.run(main())") ==
          "(if (== __name__ \"__main__\") {(call (. asyncio run) (call main))})");
}

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

TEST_CASE("arithmetic follows Python's precedence and power is right-associative") {
    CHECK(sx("x = 1 + 2 * 3 - 4 / 5 // 6 % 7") == "(= x (- (+ 1 (* 2 3)) (% (// (/ 4 5) 6) 7)))");
    CHECK(sx("x = -2 ** 2") == "(= x (neg (** 2 2)))");
    CHECK(sx("x = 2 ** 3 ** 2") == "(= x (** 2 (** 3 2)))");
    CHECK(sx("x = 2 ** -1") == "(= x (** 2 (neg 1)))");
    CHECK(sx("x = +a - -b") == "(= x (- (pos a) (neg b)))");
    CHECK(sx("x = (1 + 2) * 3") == "(= x (* (+ 1 2) 3))");
}

TEST_CASE("boolean operators bind looser than comparisons and not sits between them") {
    CHECK(sx("x = a or b and not c == d") == "(= x (|| a (&& b (not (== c d)))))");
    CHECK(sx("x = not a or b") == "(= x (|| (not a) b))");
}

TEST_CASE("comparisons include identity and membership") {
    CHECK(sx("x = a is None\ny = a is not None\nz = k in d\nw = k not in d\nv = a != b") ==
          "(= x (=== a nil))\n(= y (!== a nil))\n(= z (in k d))\n(= w (not-in k d))\n(= v (!= a b))");
}

TEST_CASE("a chained comparison becomes a conjunction of pairs") {
    CHECK(sx("x = 0 <= i < n") == "(= x (&& (<= 0 i) (< i n)))");
    CHECK(sx("x = a < self.b <= c == d") == "(= x (&& (&& (< a (. self b)) (<= (. self b) c)) (== c d)))");
    CHECK(sx("x = a is not None is not y") == "(= x (&& (!== a nil) (!== nil y)))");
    CHECK(sx("x = a in b in c") == "(= x (&& (in a b) (in b c)))");
}

TEST_CASE("a chained comparison with a computed middle operand keeps each operand once") {
    CHECK(sx("x = t0 <= f() <= t1") == "(= x (chain-compare t0 <= (call f) <= t1))");
    CHECK(sx("x = f(a) < g(b) < c") == "(= x (chain-compare (call f a) < (call g b) < c))");
    CHECK(sx("x = 0 < xs[0] == n is not None") == "(= x (chain-compare 0 < (sub xs 0) == n !== nil))");
    CHECK(sx_async("x = 1 <= await g() < 3") == "(= x (chain-compare 1 <= (await (call g)) < 3))");
}

TEST_CASE("set displays and set comprehensions") {
    CHECK(sx("s = {1, 2}") == "(= s (set 1 2))");
    CHECK(sx("s = {x,}") == "(= s (set x))");
    CHECK(sx("s = {type(e) for e in eg.exceptions}") == "(= s (setcomp (call type e) e (. eg exceptions)))");
    CHECK(sx("s = {x for x in xs if x > 1}") == "(= s (setcomp x x xs (> x 1)))");
    CHECK(sx("s = {}") == "(= s (dict))");
    CHECK(messages("s = {1, 2\n") != "");
    CHECK(messages("s = {1: 2, 3}\n") == "expected `:`, found `}`");
}

TEST_CASE("slices take an optional step") {
    CHECK(sx("x = xs[::2]") == "(= x (sub xs (..< _ _ step:2)))");
    CHECK(sx("x = xs[1:-1:-k]") == "(= x (sub xs (..< 1 (neg 1) step:(neg k))))");
    CHECK(sx("x = xs[a:b:]") == "(= x (sub xs (..< a b)))");
    CHECK(sx("x = xs[:]") == "(= x (sub xs (..< _ _)))");
}

TEST_CASE("star unpacking in targets and displays") {
    CHECK(sx("first, *rest = xs") == "(= (tuple first (* rest)) xs)");
    CHECK(sx("*init, last = xs") == "(= (tuple (* init) last) xs)");
    CHECK(sx("[a, *b] = xs") == "(= (tuple a (* b)) xs)");
    CHECK(sx("for h, *t in rows:\n    pass") == "(for (tuple h (* t)) rows {(pass)})");
    CHECK(sx("ys = [*a, *b, 1]") == "(= ys (array (* a) (* b) 1))");
    CHECK(sx("ys = *a, 1") == "(= ys (tuple (* a) 1))");
    CHECK(sx("s = {*a, 2}") == "(= s (set (* a) 2))");
    CHECK(messages("*a = xs\n") == "a starred assignment target must be in a list or tuple");
    CHECK(messages("a, *b, *c = xs\n") == "multiple starred expressions in assignment");
    CHECK(messages("x = *a\n") == "can't use starred expression here");
    CHECK(messages("*a\n") == "can't use starred expression here");
    CHECK(messages("x = (*a)\n") == "can't use starred expression here");
    CHECK(messages("x = 1 + *a\n") == "can't use starred expression here");
    CHECK(messages("d = {*a: 1}\n") == "can't use starred expression here");
}

TEST_CASE("comprehensions take several for clauses, each with its own conditions") {
    CHECK(sx("x = [v for row in m for v in row]") == "(= x (comp v row m (for v row)))");
    CHECK(sx("x = [(a, b) for a in xs if a for b in ys if b if c]") ==
          "(= x (comp (tuple a b) a xs a (for b ys b c)))");
    CHECK(sx("x = {k: v for k, vs in d for v in vs}") == "(= x (dictcomp k v (tuple k vs) d (for v vs)))");
    CHECK(messages("async def f():\n    x = [y for a in b async for y in a]\n") == "");
}

TEST_CASE("await and async for in a list, set or dict comprehension are allowed inside async def only") {
    CHECK(messages("async def f():\n    x = [await q.get() for _ in range(3)]\n") == "");
    CHECK(messages("async def f():\n    x = {k: await g(k) for k in ks}\n") == "");
    CHECK(messages("async def f():\n    x = {await g(k) for k in ks if await ok(k)}\n") == "");
    CHECK(messages("async def f():\n    x = [y async for y in g() if y]\n") == "");
    CHECK(messages("async def f():\n    x = [[await y for y in r] for r in rows]\n") == "");
    CHECK(messages("def f():\n    return [x async for x in y]\n") ==
          "asynchronous comprehension outside of an asynchronous function");
    CHECK(messages("x = {k: v async for k, v in y}\n") == "asynchronous comprehension outside of an asynchronous function");
    CHECK(messages("async def f():\n    def g():\n        return [await x for x in y]\n") ==
          "`await` outside an async function");
    const ParseResult r = parse("async def f():\n    x = [y async for a in b for y in a]\n");
    REQUIRE(r.diagnostics.size() == 0);
    const auto* f = static_cast<const ast::FuncDecl*>(first(r));
    REQUIRE(f->body.size() == 1);
    const auto* a = static_cast<const ast::Assign*>(f->body.front());
    REQUIRE(a->value->kind == ast::ExprKind::comprehension);
    const auto* c = static_cast<const ast::Comprehension*>(a->value);
    CHECK(c->is_async);
    REQUIRE(c->more.size() == 1);
    CHECK_FALSE(c->more[0].is_async);
}

TEST_CASE("a generator expression that awaits is refused as an asynchronous generator expression") {
    CHECK(messages("async def f():\n    return (await x for x in y)\n") ==
          "asynchronous generator expressions are not supported yet");
    CHECK(messages("async def f():\n    return sum(await x for x in y)\n") ==
          "asynchronous generator expressions are not supported yet");
    CHECK(messages("async def f():\n    return (x async for x in y)\n") ==
          "asynchronous generator expressions are not supported yet");
    CHECK(messages("async def f():\n    return ([await x for x in z] for z in y)\n") ==
          "asynchronous generator expressions are not supported yet");
    // Only the first iterable runs in the enclosing scope: awaiting there is a plain generator expression.
    CHECK(messages("async def f():\n    return (x for x in await y)\n") == "");
}

TEST_CASE("bytes literals are one literal, and do not mix with str literals") {
    CHECK(sx("x = b'ab' b\"cd\"") == "(= x b\"abcd\")");
    CHECK(sx("x = rb'\\x41' + B'\\x41'") == "(= x (+ b\"\\\\x41\" b\"A\"))");
    CHECK(sx("x = b''") == "(= x b\"\")");
    CHECK(messages("x = b'a' 'b'\n") == "cannot mix bytes and nonbytes literals");
    CHECK(messages("x = 'a' b'b'\n") == "cannot mix bytes and nonbytes literals");
    CHECK(messages("x = f'a' b'b'\n") == "cannot mix bytes and nonbytes literals");
}

TEST_CASE("assignment expressions bind a name inside an expression") {
    CHECK(sx("if (n := len(xs)) > 3:\n    pass") == "(if (> (:= n (call len xs)) 3) {(pass)})");
    CHECK(sx("while chunk := read():\n    pass") == "(while (:= chunk (call read)) {(pass)})");
    CHECK(sx("ys = [y for x in xs if (y := f(x))]") == "(= ys (comp y x xs (:= y (call f x))))");
    CHECK(sx("print(z := 10, z)") == "(call print (:= z 10) z)");
    CHECK(sx("class C(b := B):\n    pass").find("(:= b B)") != std::string::npos);
    CHECK(messages("x := 1\n") == "an assignment expression `:=` cannot be a statement");
    CHECK(messages("if (a.b := 1):\n    pass\n") == "cannot use an assignment expression with this target");
}

TEST_CASE("parameters take the markers / and *, *args and **kwargs") {
    CHECK(sx("def f(a, *, b):\n    pass") == "(func f (a kw:b) {(pass)})");
    CHECK(sx("def f(*args, b=1, **kwargs):\n    pass") == "(func f (*args kw:b=1 **kwargs) {(pass)})");
    CHECK(sx("def f(a, b=2, /, c=3):\n    pass") == "(func f (a/ b/=2 c=3) {(pass)})");
    CHECK(sx("def f(a, /, b, *args, c, d=4, **rest):\n    pass") == "(func f (a/ b *args kw:c kw:d=4 **rest) {(pass)})");
    CHECK(sx("def f(*args: int, **kw: str):\n    pass") == "(func f (*args **kw) {(pass)})");
    CHECK(sx("f = lambda *xs, **kw: xs") == "(= f (closure (*xs **kw) implicit xs))");
    CHECK(sx("f = lambda a, *, b=2: a") == "(= f (closure (a kw:b=2) implicit a))");
    CHECK(messages("def f(a, *):\n    pass\n") == "named parameters must follow a bare `*`");
    CHECK(messages("def f(*, **kw):\n    pass\n") == "named parameters must follow a bare `*`");
    CHECK(messages("def f(**kw, a):\n    pass\n") == "no parameter may follow `**kw`");
    CHECK(messages("def f(/, a):\n    pass\n") == "at least one parameter must precede `/`");
    CHECK(messages("def f(a, /, b, /):\n    pass\n") == "`/` may appear only once");
    CHECK(messages("def f(*a, /):\n    pass\n") == "`/` must come before `*`");
    CHECK(messages("def f(*a, *b):\n    pass\n") == "`*` may appear only once");
    CHECK(messages("def f(*a=1):\n    pass\n") == "a `*` or `**` parameter cannot have a default value");
    CHECK(messages("def f(a=1, b):\n    pass\n") == "a parameter without a default follows one with a default");
    CHECK(messages("def f(a=1, *, b):\n    pass\n") == "");
}

TEST_CASE("the conditional expression is lowest and right-associative") {
    CHECK(sx("x = a if c else b") == "(= x (?: c a b))");
    CHECK(sx("x = a if c else b if d else e") == "(= x (?: c a (?: d b e)))");
    CHECK(sx("x = 1 + a if c or d else 0") == "(= x (?: (|| c d) (+ 1 a) 0))");
}

TEST_CASE("lambda makes an implicit-return closure") {
    CHECK(sx("f = lambda: 0") == "(= f (closure implicit 0))");
    CHECK(sx("f = lambda x, y=2: x + y") == "(= f (closure (x y=2) implicit (+ x y)))");
    CHECK(sx("xs.sort(key=lambda t: t[1])") == "(call (. xs sort) key:(closure (t) implicit (sub t 1)))");
}

TEST_CASE("await binds to the primary expression after it") {
    CHECK(sx_async("x = await asyncio.sleep(1)\ny = await a + await b\nz = await self.q.get()") ==
          "(= x (await (call (. asyncio sleep) 1))) (= y (+ (await a) (await b))) (= z (await (call (. (. self q) get))))");
    CHECK(sx_async("await asyncio.wait_for(t, timeout=2.5)") == "(await (call (. asyncio wait_for) t timeout:2.5))");
}

TEST_CASE("calls take positional and keyword arguments, and trailing commas") {
    CHECK(sx("f(1, x, name=\"a\", flag=True,)") == "(call f 1 x name:\"a\" flag:true)");
    const ParseResult r = parse("f(a, key=b)\n");
    REQUIRE(r.ok());
    const auto* call = static_cast<const ast::Call*>(static_cast<const ast::ExprStmt*>(first(r))->expr);
    REQUIRE(call->args.size() == 2);
    CHECK(call->args[0].label.empty());
    CHECK(call->args[1].label == "key");
    CHECK(r.program->file->slice(call->args[1].span) == "key=b");
}

TEST_CASE("attributes, subscripts and calls chain left to right") {
    CHECK(sx("x = a.b[c](d).e") == "(= x (. (call (sub (. a b) c) d) e))");
    CHECK(sx("x = d[\"k\"][0]") == "(= x (sub (sub d \"k\") 0))");
    CHECK(sx("x = m[1, 2]") == "(= x (sub m (tuple 1 2)))");
}

TEST_CASE("slices become half-open ranges with optional bounds") {
    CHECK(sx("a = xs[1:]\nb = xs[:-1]\nc = xs[i:j]\nd = xs[:]") ==
          "(= a (sub xs (..< 1 _)))\n(= b (sub xs (..< _ (neg 1))))\n(= c (sub xs (..< i j)))\n(= d (sub xs (..< _ _)))");
}

TEST_CASE("list, dict and tuple literals, empty ones included") {
    CHECK(sx("a = []\nb = [1, 2,]\nc = {}\nd = {\"a\": 1, b: [2]}\ne = ()\nf = (1,)\ng = 1,") ==
          "(= a (array))\n(= b (array 1 2))\n(= c (dict))\n(= d (dict (\"a\" 1) (b (array 2))))\n(= e (tuple))\n(= f (tuple 1))\n(= g (tuple 1))");
}

TEST_CASE("comprehensions of lists, dicts and generators") {
    CHECK(sx("a = [x * 2 for x in xs if x > 0 if x < 9]") == "(= a (comp (* x 2) x xs (> x 0) (< x 9)))");
    CHECK(sx("b = {k: v for k, v in pairs}") == "(= b (dictcomp k v (tuple k v) pairs))");
    CHECK(sx("c = sum(t.size for t in tasks)") == "(= c (call sum (gen (. t size) t tasks)))");
    CHECK(sx("d = (x for x in xs)") == "(= d (gen x x xs))");
    CHECK(sx("e = [t for t in ts if not t.done()]") == "(= e (comp t t ts (not (call (. t done)))))");
    CHECK(sx_async("r = [await t for t in ts]") == "(= r (comp (await t) t ts))");
}

TEST_CASE("comprehension kinds and keys are recorded") {
    const ParseResult r = parse("x = {k: v for k in ks}\n");
    REQUIRE(r.ok());
    const auto* c = static_cast<const ast::Comprehension*>(static_cast<const ast::Assign*>(first(r))->value);
    CHECK(c->comp_kind == ast::ComprehensionKind::dict);
    REQUIRE(c->key != nullptr);
    CHECK(ast::dump(c->key) == "k");
    CHECK(ast::dump(c->element) == "v");
}

TEST_CASE("literals: numbers, booleans, None and Ellipsis") {
    CHECK(sx("x = [1_000, 0x1F, 0o17, 0b101, 1.5, 1e-3, .5, True, False, None, ...]") ==
          "(= x (array 1000 31 15 5 1.5 0.001 0.5 true false nil Ellipsis))");
}

TEST_CASE("strings of every quoting decode escapes and concatenate when adjacent") {
    CHECK(sx("a = 'x\\ty'\nb = \"it's\"\nc = '''l1\nl2'''\nd = \"\"\"q\"\"\"\ne = r'\\d+'\nf = 'a' \"b\" 'c'") ==
          "(= a \"x\\ty\")\n(= b \"it's\")\n(= c \"l1\\nl2\")\n(= d \"q\")\n(= e \"\\\\d+\")\n(= f \"abc\")");
    CHECK(sx("g = '\\x41\\u00e9\\U0001F600\\101\\n'") == "(= g \"Aé😀A\\n\")");
    CHECK(sx("h = ('a'\n     'b')") == "(= h \"ab\")");
}

TEST_CASE("f-strings keep fields with conversions and format specs") {
    CHECK(sx("s = f\"{name} took {t:.2f}s {x!r} {y!s:>10} {{literal}}\"") ==
          "(= s (str (interp name) \" took \" (interp t :.2f) \"s \" (interp x !r) \" \" (interp y !s :>10) \" {literal}\"))");
    CHECK(sx("s = f'{a[\"k\"]} {f(1, 2)}'") == "(= s (str (interp (sub a \"k\")) \" \" (interp (call f 1 2))))");
    CHECK(sx("s = f\"{x=}\"") == "(= s (str \"x=\" (interp x !r)))");
    CHECK(sx("s = f\"{x = :5}\"") == "(= s (str \"x = \" (interp x :5)))");
    CHECK(sx("s = f\"{a + b} {'q'} {c if d else e}\"") ==
          "(= s (str (interp (+ a b)) \" \" (interp \"q\") \" \" (interp (?: d c e))))");
}

TEST_CASE("f-strings nest, concatenate with plain strings and span several lines when triple-quoted") {
    CHECK(sx("s = f\"{f'{x}'}\"") == "(= s (str (interp (str (interp x)))))");
    CHECK(sx("s = 'a' f'{b}' 'c'") == "(= s (str \"a\" (interp b) \"c\"))");
    CHECK(sx("s = f'''\n{a\n + b}\n'''") == "(= s (str \"\\n\" (interp (+ a b)) \"\\n\"))");
    CHECK(sx("s = rf'\\d{n}'") == "(= s (str \"\\\\d\" (interp n)))");
}

TEST_CASE("string part conversions and specs are stored on the parts") {
    const ParseResult r = parse("s = f'{t:.2f}{x!r}'\n");
    REQUIRE(r.ok());
    const auto* s = static_cast<const ast::StringLiteral*>(static_cast<const ast::Assign*>(first(r))->value);
    REQUIRE(s->parts.size() == 2);
    CHECK(s->parts[0].format_spec == ".2f");
    CHECK(s->parts[0].conversion == 0);
    CHECK(s->parts[1].conversion == 'r');
    CHECK(r.program->file->slice(s->parts[0].expr->span) == "t");
}

TEST_CASE("expression and statement spans cover their source text") {
    const ParseResult r = parse("total = -fetch(url, retries=3) + 1  # comment\n");
    REQUIRE(r.ok());
    const auto* a = static_cast<const ast::Assign*>(first(r));
    CHECK(r.program->file->slice(a->span) == "total = -fetch(url, retries=3) + 1");
    CHECK(r.program->file->slice(a->value->span) == "-fetch(url, retries=3) + 1");
}

// ---------------------------------------------------------------------------------------
// Directives
// ---------------------------------------------------------------------------------------

TEST_CASE("hash tasklab comments are directives and notes attach to the next statement") {
    const ParseResult r = parse("# tasklab: title Server shutdown\n# tasklab: seed 7\n"
                                "async def main():\n    # tasklab: note the server starts here\n    task = start()\n");
    INFO(render_all(*r.program->file, r.diagnostics));
    REQUIRE(r.ok());
    CHECK(r.program->title == "Server shutdown");
    CHECK(r.program->seed == 7);
    REQUIRE(r.program->notes.size() == 1);
    CHECK(r.program->notes[0] == "the server starts here");
    CHECK(ast::dump(*r.program) == "(func main () async {[note 1] (= task (call start))})\n");
}

TEST_CASE("an unknown hash directive is reported where it is written") {
    const ParseResult r = parse("x = 1  # tasklab: frobnicate\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::unknown_directive);
    CHECK(r.program->file->slice(r.diagnostics.items()[0].span) == "frobnicate");
}

// ---------------------------------------------------------------------------------------
// Unsupported constructs and errors
// ---------------------------------------------------------------------------------------

TEST_CASE("unsupported constructs are named, with a note on the subset") {
    CHECK(messages("match x:\n    case 1:\n        pass\n") == "`match` statements are not supported yet");
    CHECK(messages("del x\n") == "`del` is not supported yet");
    CHECK(messages("f(*xs, **kw)\n").empty());  // star arguments are labelled "*" and "**"
    CHECK(messages("x = a | b\n") == "bitwise operators are not supported yet");
    CHECK(messages("x = ~a\n") == "bitwise operators are not supported yet");
    CHECK(messages("x = 2j\n") == "complex numbers are not supported yet");
    CHECK(messages("from . import x\n") == "relative imports are not supported yet");
    CHECK(messages("from os import *\n") == "`from … import *` is not supported yet");
    CHECK(messages("type Alias = int\n") == "`type` alias statements are not supported yet");
    CHECK(messages("class C(metaclass=M):\n    pass\n") == "class keyword arguments (`metaclass=…`) are not supported yet");
    CHECK(messages("async def f():\n    x = (y async for y in g())\n") == "asynchronous generator expressions are not supported yet");
    CHECK(messages("x = self.x[0] = 1\n") == "");
    const ParseResult r = parse("del x\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::unsupported_construct);
    CHECK(r.diagnostics.items()[0].notes.at(0) == "tasklab runs a subset of Python; see docs/language.md");
}

TEST_CASE("await and async blocks outside an async function are refused") {
    CHECK(messages("await x\n") == "`await` outside an async function");
    CHECK(messages("def f():\n    await x\n") == "`await` outside an async function");
    CHECK(messages("async def f():\n    g = lambda: await x\n") == "`await` outside an async function");
    CHECK(messages("async def f():\n    class C:\n        x = await y\n") == "`await` outside an async function");
    CHECK(messages("async for x in y:\n    pass\n") == "`async for` outside an async function");
    CHECK(messages("def f():\n    async with a:\n        pass\n") == "`async with` outside an async function");
    CHECK(messages("async def f():\n    def g():\n        pass\n    await g()\n") == "");
}

TEST_CASE("return outside a function and break outside a loop are refused") {
    CHECK(messages("return 1\n") == "`return` outside a function");
    CHECK(messages("class C:\n    return\n") == "`return` outside a function");
    CHECK(messages("break\n") == "`break` outside a loop");
    CHECK(messages("while x:\n    def f():\n        continue\n") == "`continue` outside a loop");
    CHECK(messages("for x in y:\n    pass\nelse:\n    break\n") == "`break` outside a loop");
}

TEST_CASE("return, and break or continue of an outer loop, may not leave an except* block") {
    const std::string head = "async def f():\n    for x in y:\n        try:\n            pass\n        except* E:\n";
    CHECK(messages(head + "            return 1\n") == "`return` inside an `except*` block");
    CHECK(messages(head + "            break\n") == "`break` inside an `except*` block");
    CHECK(messages(head + "            for z in w:\n                continue\n") == "");
    CHECK(messages(head + "            def g():\n                return 2\n") == "");
    CHECK(messages(head.substr(0, head.size() - 11) + "except E:\n            return 1\n") == "");
}

TEST_CASE("the clauses of an abandoned statement are skipped with it") {
    const ParseResult r = parse("try:\n    a()\nexcept asyncio.Ca|ncelledError:\n    pass\nexcept Exception:\n    pass\n"
                                "finally:\n    pass\nb()\nif x y:\n    c()\nelif z:\n    d()\nelse:\n    e()\nf()\n");
    REQUIRE(r.diagnostics.size() == 2);
    CHECK(r.diagnostics.items()[0].message == "bitwise operators are not supported yet");
    CHECK(r.diagnostics.items()[1].message == "expected `:`, found `y`");
    CHECK(ast::dump(*r.program) == "(call b)\n(call f)\n");
}

TEST_CASE("annotations are checked as expressions, where `|` unions are allowed") {
    CHECK(messages("x: int | None = None\n") == "");
    CHECK(messages("def f(a: /int):\n    pass\n") == "expected a type, found `/`");
    CHECK(messages("url: str size: int = 0\n") == "expected end of line, found `size`");
    CHECK(messages("def f() -> :\n    pass\n") == "expected a type, found `:`");
}

TEST_CASE("invalid assignment targets are named") {
    CHECK(messages("f() = 1\n") == "cannot assign to a function call");
    CHECK(messages("1 = x\n") == "cannot assign to a literal");
    CHECK(messages("a + b = c\n") == "cannot assign to an expression");
    CHECK(messages("a, f() = 1, 2\n") == "cannot assign to a function call");
    CHECK(messages("a, b += 1\n") == "a tuple cannot be the target of `+=`");
    CHECK(messages("a, b: int = 1\n") == "only a single target can be annotated");
    CHECK(messages("for f() in xs:\n    pass\n") == "cannot assign to a function call");
}

TEST_CASE("structural errors are explained") {
    CHECK(messages("if x\n    pass\n") == "expected `:`, found end of line");
    CHECK(messages("if x:\npass\n") == "expected an indented block after `if` statement on line 1, found `pass`");
    CHECK(messages("def f():\n") == "expected an indented block after function definition on line 1, found end of file");
    CHECK(messages("try:\n    a()\nb()\n") == "expected `except` or `finally`, found `b`");
    CHECK(messages("else:\n    pass\n") == "expected a statement, found `else`");
    CHECK(messages("x = 1)\n") == "unmatched `)`");
    CHECK(messages("a b\n") == "expected end of line, found `b`");
    CHECK(messages("x = (1,\n") == "expected `)`, found end of file");
    CHECK(messages("f(a=1, b)\n") == "a positional argument cannot follow keyword arguments");
    CHECK(messages("def f(a=1, b):\n    pass\n") == "a parameter without a default follows one with a default");
    CHECK(messages("try:\n    a()\nexcept:\n    b()\nexcept E:\n    c()\n") == "a bare `except:` must be the last handler");
    CHECK(messages("try:\n    a()\nexcept E:\n    b()\nexcept* F:\n    c()\n") == "cannot mix `except` and `except*` in one `try`");
    CHECK(messages("try:\n    a()\nexcept A, B:\n    b()\n") == "expected `:` or `as`, found `,`");
    CHECK(messages("async x\n") == "expected `def`, `for` or `with` after `async`, found `x`");
    CHECK(messages("@dec\nx = 1\n") == "expected `def` or `class` after a decorator, found `x`");
    CHECK(messages("x = !a\n") == "expected an expression, found `!`");
    CHECK(messages("async def f():\n    await await g()\n") == "expected an operand, found `await`");
    CHECK(messages("() = []\n") == "");
    CHECK(messages("f(x for x in xs, 1)\n") == "a generator expression must be the only argument");
    CHECK(messages("def f(a, b, a):\n    pass\n") == "duplicate parameter `a`");
    CHECK(messages("f(a=1, b=2, a=3)\n") == "keyword argument `a` repeated");
    CHECK(messages("nonlocal x\n") == "`nonlocal` outside a function");
}

TEST_CASE("an unexpected indent is an indentation error and the block still parses") {
    const ParseResult r = parse("a()\n    b()\nc()\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::inconsistent_indentation);
    CHECK(r.diagnostics.items()[0].message == "unexpected indent");
    CHECK(ast::dump(*r.program) == "(call a)\n(call b)\n(call c)\n");
}

TEST_CASE("the parser recovers at the next line and reports several errors") {
    const ParseResult r = parse("x = )\ny = 1\nif z\n    w()\nv = (\nprint(v)\n");
    REQUIRE(r.diagnostics.size() == 3);
    CHECK(r.diagnostics.items()[0].message == "expected an expression, found `)`");
    CHECK(r.diagnostics.items()[1].message == "expected `:`, found end of line");
    CHECK(ast::dump(*r.program) == "(= y 1)\n");
}

TEST_CASE("an error inside a function body keeps the statements around it") {
    const ParseResult r = parse("def f():\n    a = )\n    b()\n    if x:\n        c(]\n    d()\ne()\n");
    REQUIRE(r.diagnostics.size() == 2);
    CHECK(ast::dump(*r.program) == "(func f () {(call b) (if x {}) (call d)})\n(call e)\n");
}

TEST_CASE("a broken header skips the block under it") {
    const ParseResult r = parse("def f(a b):\n    a()\n    b()\nc()\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].message == "expected `,` or `)`, found `b`");
    CHECK(ast::dump(*r.program) == "(call c)\n");
}

TEST_CASE("an unclosed bracket ends at a line that starts a statement") {
    const ParseResult r = parse("x = f(1,\n\ndef g():\n    return 2\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].message == "expected `)`, found end of line");
    CHECK(r.diagnostics.items()[0].notes.at(0) == "the `(` on line 1 is never closed");
    CHECK(ast::dump(*r.program) == "(func g () {(return 2)})\n");
}

TEST_CASE("the parser stops after twenty errors") {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "x = )\n";
    const ParseResult r = parse(text);
    CHECK(r.diagnostics.size() == 20);
    CHECK(r.diagnostics.items().back().notes.back() == "too many errors; stopping here");
}

TEST_CASE("deep nesting is reported instead of overflowing the stack") {
    const std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
    const ParseResult r = parse("x = " + deep + "\nprint(2)\n");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].message == "expression too deeply nested (limit 400)");
    CHECK(ast::dump(*r.program) == "(call print 2)\n");
    const std::string nested = std::string(150, '(') + "1" + std::string(150, ')');
    CHECK(sx("x = " + nested) == "(= x 1)");
}

TEST_CASE("deep indentation is capped") {
    std::string text;
    for (int i = 0; i < 150; ++i) text += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    text += std::string(150, ' ') + "pass\n";
    const ParseResult r = parse(text);
    REQUIRE(r.diagnostics.size() >= 1);
    CHECK(r.diagnostics.items()[0].message == "too many levels of indentation");
    std::string ok;
    for (int i = 0; i < 60; ++i) ok += std::string(static_cast<std::size_t>(i), ' ') + "if x:\n";
    ok += std::string(60, ' ') + "pass\n";
    CHECK(parse(ok).ok());
}

// ---------------------------------------------------------------------------------------
// The seed document's examples (asyncio cancellation of a server task)
// ---------------------------------------------------------------------------------------

namespace {

// Each block of the seed's code, completed where it is a fragment: top-level `await` and
// handler-only fragments are wrapped in `async def` functions (as a real program must).
const char* const k_seed_blocks[] = {
    R"py(server_task.cancel()  # 즉시 반환 (논블로킹)
)py",
    R"py(class Server:
    async def start_server(self) -> None:
        try:
            await asyncio.Future()  # ← 여기서 CancelledError 발생
        except asyncio.CancelledError:
            # 정리 작업 수행
            await self.cleanup_resources()
            raise  # ← 핵심: CancelledError 재발생
)py",
    R"py(async def wait_for_server():
    try:
        await server_task  # ← 취소가 완료될 때까지 대기
    except asyncio.CancelledError:
        print("서버가 정상적으로 종료됨")
)py",
    R"py(async def step1():
    server_task = asyncio.create_task(server.start_server())
    # → 백그라운드에서 서버 실행 시작
    await demo_client_interactions()
    await demo_multiple_clients()
    # → 서버가 계속 실행 중
    server_task.cancel()
    # → CancelledError 전송, 서버는 아직 실행 중
    await server_task
    # → 서버에서 CancelledError 발생
)py",
    R"py(async def basic_pattern():
    # 1. 서버 시작
    server_task = asyncio.create_task(server.start_server())

    try:
        # 2. 비즈니스 로직 실행
        await business_logic()

    finally:
        # 3. 안전한 종료
        server_task.cancel()
        try:
            await server_task
        except asyncio.CancelledError:
            logger.info("서버 정상 종료")
)py",
    R"py(async def graceful_shutdown():
    # 1. 새 연결 차단
    # 2. 기존 클라이언트에게 종료 알림
    # 3. 클라이언트 연결 종료
    # 4. 리소스 정리
    pass
)py",
    R"py(class WebSocketServer:
    async def start_server(self):
        try:
            async with websockets.serve(self.handler, host, port):
                await asyncio.Future()  # ← 여기서 대기
        except asyncio.CancelledError:
            await self.cleanup_resources()
            raise  # ← 핵심!
)py",
    R"py(async def main():
    server = WebSocketServer()
    server_task = asyncio.create_task(server.start_server())

    try:
        # 클라이언트 테스트
        await demo_client_interactions()
        await demo_multiple_clients()

    finally:
        # 안전한 종료
        server_task.cancel()
        try:
            await server_task
        except asyncio.CancelledError:
            print("서버 정상 종료")
)py",
    R"py(async def wrong():
    try:
        pass
    # ❌ 잘못된 예시
    except asyncio.CancelledError:
        await cleanup()
        # raise 없음 - 취소가 전파되지 않음!

async def right():
    try:
        pass
    # ✅ 올바른 예시
    except asyncio.CancelledError:
        await cleanup()
        raise  # ← 반드시 필요!
)py",
    R"py(async def no_await():
    # ❌ 잘못된 예시
    server_task.cancel()
    print("서버 종료됨")  # ← 실제로는 아직 실행 중!

    # ✅ 올바른 예시
    server_task.cancel()
    await server_task  # ← 취소 완료 대기
)py",
    R"py(async def handle():
    try:
        await server_task
    except asyncio.CancelledError:
        # 정상적인 취소
        pass
    except Exception as e:
        # 예상치 못한 오류
        logger.error(f"서버 오류: {e}")
)py",
};

// A realistic asyncio program: tasks, a task group, timeouts, except*, f-strings, classes,
// logging and the usual entry point.
const char* const k_realistic = R"py(#!/usr/bin/env python3
"""Download a few pages concurrently and cancel the slow ones."""
# tasklab: title TaskGroup with a timeout
import asyncio
import logging
from dataclasses import dataclass

logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
logger = logging.getLogger(__name__)


@dataclass
class Page:
    url: str
    size: int = 0


class Fetcher:
    """Fetches pages with a per-page delay."""

    retries = 3

    def __init__(self, delays: dict[str, float]) -> None:
        self.delays = delays
        self.done: list[Page] = []

    async def fetch(self, url: str) -> Page:
        delay = self.delays.get(url, 1.0)
        try:
            await asyncio.sleep(delay)
        except asyncio.CancelledError:
            logger.info(f"cancelled {url!r} after {delay:.1f}s")
            raise
        page = Page(url, size=len(url) * 100)
        self.done.append(page)
        return page


async def main() -> int:
    fetcher = Fetcher({"a": 0.5, "b": 2.0, "c": 5.0})
    results = []
    try:
        async with asyncio.timeout(3):
            async with asyncio.TaskGroup() as tg:
                tasks = [tg.create_task(fetcher.fetch(u), name=f"fetch-{u}") for u in "abc"]
    except* TimeoutError as eg:
        logger.warning("timed out: %d error(s)", len(eg.exceptions))
    except* ValueError:
        pass
    else:
        results = [t.result() for t in tasks]
    finally:
        print(f"{len(fetcher.done)} done: {', '.join(p.url for p in fetcher.done)}")

    background = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    background.cancel()
    try:
        await background
    except asyncio.CancelledError:
        print("background cancelled:", background.cancelled())
    total = sum(p.size for p in fetcher.done) if fetcher.done else 0
    assert total >= 0, "sizes are positive"
    return 0 if not results else len(results)


if __name__ == "__main__":
    raise SystemExit(asyncio.run(main()))
)py";

}  // namespace

TEST_CASE("every Python example of the seed document parses without diagnostics") {
    for (const char* block : k_seed_blocks) {
        CAPTURE(block);
        const ParseResult r = parse(block);
        INFO(render_all(*r.program->file, r.diagnostics));
        CHECK(r.diagnostics.size() == 0);
        CHECK(r.program->body.size() >= 1);
    }
}

TEST_CASE("the seed's server example has the documented shape") {
    const std::string dump = sx(k_seed_blocks[6]);
    CHECK(dump ==
          "(class WebSocketServer {(func start_server (self) async {(do {(async-with (call (. websockets serve) (. self "
          "handler) host port) {(await (call (. asyncio Future)))})} (catch is:(. asyncio CancelledError) {(await (call (. "
          "self cleanup_resources))) (throw)}))})})");
    const std::string main_dump = sx(k_seed_blocks[7]);
    CHECK(main_dump.find("(= server_task (call (. asyncio create_task) (call (. server start_server))))") != std::string::npos);
    CHECK(main_dump.find("finally {(call (. server_task cancel)) (do {(await server_task)} (catch is:(. asyncio "
                         "CancelledError) {(call print \"서버 정상 종료\")}))}") != std::string::npos);
}

TEST_CASE("a realistic asyncio program parses into the expected shape") {
    const ParseResult r = parse(k_realistic);
    INFO(render_all(*r.program->file, r.diagnostics));
    REQUIRE(r.diagnostics.size() == 0);
    CHECK(r.program->title == "TaskGroup with a timeout");
    const std::string dump = ast::dump(*r.program);
    CHECK(dump.find("@dataclass (class Page {(= url : str <null>) (= size : int 0)})") != std::string::npos);
    CHECK(dump.find("(async-with (call (. asyncio timeout) 3) {(async-with (call (. asyncio TaskGroup)) as tg {(= tasks "
                    "(comp (call (. tg create_task) (call (. fetcher fetch) u) name:(str \"fetch-\" (interp u))) u \"abc\"))})})") !=
          std::string::npos);
    CHECK(dump.find("(catch* is:TimeoutError let:eg") != std::string::npos);
    CHECK(dump.find("(call (. logger info) (str \"cancelled \" (interp url !r) \" after \" (interp delay :.1f) \"s\"))") !=
          std::string::npos);
    CHECK(dump.find("(interp (call (. \", \" join) (gen (. p url) p (. fetcher done))))") != std::string::npos);
    CHECK(dump.find("(if (== __name__ \"__main__\") {(throw (call SystemExit (call (. asyncio run) (call main))))})") !=
          std::string::npos);
}

// ---------------------------------------------------------------------------------------
// Robustness
// ---------------------------------------------------------------------------------------

namespace {

/// A small fixed-seed generator (xorshift64*) so the robustness inputs are the same every run.
struct Rng {
    std::uint64_t state;
    std::uint64_t next() {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        return state * 0x2545F4914F6CDD1DULL;
    }
    std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

}  // namespace

TEST_CASE("malformed Python inputs never crash and always finish") {
    const char* inputs[] = {
        "(",     ")",        "[[[",       "def",     "def f(",   "class",      "if",          "if x:",   "try:",
        "try:\n  x\nexcept", "\"",  "'''",  "f'{'",    "f'{x!'",   "f'{x:'",     "f'{x:{'",     "@",       "async",
        "lambda", "lambda x", "x = ",     "x[",      "x[1:",     "x.",         "from",        "from a",  "import",
        "with",  "with a as", "for",      "for x in", "while",   "\\",         "\t\n  x",     " x\n\ty", "else:",
        "a if b", "not",     "**",        "*",       "{1:",      "{**",        "x := 1",      "0x",      "1e",
        "1_",    "'\\x'",    "'\\N{'",    "f'{'a'}'", "f\"{x=!r:>{w}}\"", "global", "raise from", "assert",
        "return", "yield",   "match x:\n", "é = 1",  "\xff\xfe", "x = 1 \x01", "$", "?", "`",
    };
    for (const char* text : inputs) {
        CAPTURE(text);
        const ParseResult r = parse(text);
        CHECK(r.program != nullptr);
        CHECK((r.diagnostics.size() >= 1 || std::string(text) == "é = 1"));
    }
    for (const std::string& deep :
         {std::string(10000, '('), std::string(10000, '['), std::string(10000, '{'), "x = " + std::string(5000, '-') + "1",
          "x = " + std::string(3000, '[') + std::string(3000, ']'),
          [] {
              std::string s = "x = ";
              for (int i = 0; i < 3000; ++i) s += "not ";
              return s + "y";
          }(),
          [] {
              std::string s = "x = ";
              for (int i = 0; i < 3000; ++i) s += "lambda: ";
              return s + "y";
          }(),
          [] {
              std::string s = "x = ";
              for (int i = 0; i < 3000; ++i) s += "a if b else ";
              return s + "c";
          }(),
          [] {
              std::string s = "x = f'";
              for (int i = 0; i < 100; ++i) s += i % 2 ? "{f'" : "{f\"";
              return s;
          }()}) {
        const ParseResult r = parse(deep);
        CHECK(r.diagnostics.size() >= 1);
    }
}

TEST_CASE("random bytes never crash the Python front end") {
    Rng rng{0x9E3779B97F4A7C15ULL};
    for (int i = 0; i < 300; ++i) {
        std::string text(rng.below(200), '\0');
        for (char& c : text) c = static_cast<char>(rng.next() & 0xFF);
        const ParseResult r = parse(text);
        CHECK(r.program != nullptr);
    }
}

TEST_CASE("2,000 small mutations of the realistic program never crash the front end") {
    const std::string seed = k_realistic;
    const char* pieces[] = {"(", ")", "[", "]", "{", "}", "\"", "'", "f'{", "\\", ",", ":", ".", "\n", "    ", "\t",
                            "await ", "async ", "def ", "class ", "lambda ", "if ", "else ", "for ", " in ", "#", "=",
                            "*", "**", "@", "except* ", "try:", "\"\"\"", "!r", "{{", "}}"};
    Rng rng{12345};
    std::size_t with_errors = 0;
    for (int i = 0; i < 2000; ++i) {
        std::string text = seed;
        const std::size_t edits = 1 + rng.below(3);
        for (std::size_t k = 0; k < edits; ++k) {
            const std::size_t at = rng.below(text.size());
            switch (rng.below(3)) {
                case 0: text.erase(at, 1 + rng.below(4)); break;
                case 1: text.insert(at, pieces[rng.below(std::size(pieces))]); break;
                default: text[at] = static_cast<char>(rng.next() & 0x7F); break;
            }
        }
        const ParseResult r = parse(text);
        if (!r.ok()) ++with_errors;
        REQUIRE(r.program != nullptr);
        REQUIRE(r.diagnostics.size() <= 20);
    }
    CHECK(with_errors > 0);
}
