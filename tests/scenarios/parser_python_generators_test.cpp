// The Python front end on generators: where `yield` and `yield from` may be written, which
// functions become generators, and the SyntaxErrors CPython reports before running anything.
#include <doctest/doctest.h>

#include <string>

#include "tests/scenarios/python_parse_support.hpp"

using namespace tasklab;
using python_parse_support::messages;
using python_parse_support::parse;
using python_parse_support::sx;

namespace {

/// The source text under the first diagnostic's span.
std::string first_span(const std::string& text) {
    const ParseResult r = parse(text);
    REQUIRE(r.diagnostics.size() >= 1);
    return std::string(r.program->file->slice(r.diagnostics.items()[0].span));
}

}  // namespace

TEST_SUITE("python parser: generators") {

TEST_CASE("a def whose body yields is a generator, and an async def that yields an async generator") {
    CHECK(sx("def g():\n    yield 1\n") == "(func g () generator {(yield 1)})");
    CHECK(sx("async def g():\n    yield 1\n") == "(func g () async generator {(yield 1)})");
    CHECK(sx("def f():\n    return 1\n") == "(func f () {(return 1)})");
    // Only the function that contains the yield: an outer function stays a plain one.
    CHECK(sx("def outer():\n    def inner():\n        yield\n    return inner\n") ==
          "(func outer () {(func inner () generator {(yield)}) (return inner)})");
}

TEST_CASE("yield takes nothing, one value, a bare tuple, or delegates with yield from") {
    CHECK(sx("def g():\n    yield\n") == "(func g () generator {(yield)})");
    CHECK(sx("def g():\n    yield a, b\n") == "(func g () generator {(yield (tuple a b))})");
    CHECK(sx("def g():\n    yield from h()\n") == "(func g () generator {(yield-from (call h))})");
}

TEST_CASE("yield is an expression on the right of an assignment and inside parentheses") {
    CHECK(sx("def g():\n    x = yield 1\n") == "(func g () generator {(= x (yield 1))})");
    CHECK(sx("def g():\n    x = yield\n") == "(func g () generator {(= x (yield))})");
    CHECK(sx("def g():\n    x += yield\n") == "(func g () generator {(+= x (yield))})");
    CHECK(sx("def g():\n    r = yield from h()\n") == "(func g () generator {(= r (yield-from (call h)))})");
    CHECK(sx("def g():\n    print((yield 2))\n") == "(func g () generator {(call print (yield 2))})");
    CHECK(sx("def g():\n    return (yield)\n") == "(func g () generator {(return (yield))})");
}

TEST_CASE("yield outside a function, in a class body or inside a comprehension is CPython's SyntaxError") {
    CHECK(messages("yield 1\n") == "'yield' outside function");
    CHECK(messages("class A:\n    yield 1\n") == "'yield' outside function");
    CHECK(messages("def f():\n    xs = [(yield) for i in y]\n") == "'yield' inside list comprehension");
    CHECK(first_span("def f():\n    xs = [(yield) for i in y]\n") == "yield");
    CHECK(messages("def f():\n    d = {k: (yield) for k in y}\n") == "'yield' inside dict comprehension");
    // The first iterable runs in the enclosing function: a yield there is allowed.
    CHECK(sx("def f():\n    xs = [i for i in (yield)]\n") == "(func f () generator {(= xs (comp i i (yield)))})");
}

TEST_CASE("an async generator may not use yield from or return a value, as CPython rules") {
    CHECK(messages("async def g():\n    yield from h()\n") == "'yield from' inside async function");
    CHECK(first_span("async def g():\n    yield from h()\n") == "yield from h()");
    CHECK(messages("async def g():\n    yield 1\n    return 2\n") == "'return' with value in async generator");
    CHECK(first_span("async def g():\n    yield 1\n    return 2\n") == "return 2");
    // The return may come before the yield that makes the function a generator.
    CHECK(messages("async def g():\n    return 2\n    yield 1\n") == "'return' with value in async generator");
    // A bare return ends an async generator; a value return is fine in a sync generator.
    CHECK(messages("async def g():\n    yield 1\n    return\n").empty());
    CHECK(messages("def g():\n    yield 1\n    return 2\n").empty());
}

TEST_CASE("a yield where only an expression may stand asks for parentheses, and a lambda that yields is refused") {
    CHECK(messages("def g():\n    f(yield)\n") == "a `yield` expression needs parentheses here");
    CHECK(messages("def g():\n    return yield\n") == "a `yield` expression needs parentheses here");
    CHECK(messages("def g():\n    x = 1 + yield\n") == "expected an operand, found `yield`");
    CHECK(messages("f = lambda: (yield)\n") == "`yield` inside a lambda is not supported yet");
}

}  // TEST_SUITE
