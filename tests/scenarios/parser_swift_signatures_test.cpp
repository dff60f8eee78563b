// Function signatures and type literals the way people write them: effects on their own line,
// generic parameters the body uses as values, and Optional element types in typed
// collections (`[Int?](repeating: nil, count: 3)`).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "scenarios/frontend.hpp"
#include "swift_parse_support.hpp"

using namespace tasklab;

namespace {

using swift_parse_support::parse;

const ast::FuncDecl* first_func(const ParseResult& r) {
    REQUIRE(!r.program->body.empty());
    REQUIRE(r.program->body.front()->kind == ast::StmtKind::func_decl);
    return static_cast<const ast::FuncDecl*>(r.program->body.front());
}

}  // namespace

TEST_CASE("a function's async and throws may start on the line after its parameters") {
    const ParseResult r = parse("func work(\n    _ n: Int\n)\n    async throws -> Int\n{\n    return n\n}\n");
    INFO(render_all(*r.program->file, r.diagnostics));
    REQUIRE(r.diagnostics.size() == 0);
    const ast::FuncDecl* f = first_func(r);
    CHECK(f->is_async);
    CHECK(f->throws);
    CHECK(f->return_type_text == "Int");
}

TEST_CASE("async on its own line after a call statement still starts an async let") {
    const ParseResult r = parse("func f() async -> Int { 1 }\nprint(1)\nasync let x = f()\nprint(await x)\n");
    INFO(render_all(*r.program->file, r.diagnostics));
    CHECK(r.diagnostics.size() == 0);
    CHECK(r.program->body.size() == 4);
}

TEST_CASE("a function records the names of its generic parameters, not their constraints") {
    const ParseResult r = parse("func pair<A, B: Sendable, C: Collection<Int>>(_ a: A, _ b: B) -> (A, B) { (a, b) }\n");
    INFO(render_all(*r.program->file, r.diagnostics));
    REQUIRE(r.diagnostics.size() == 0);
    CHECK(first_func(r)->generic_params == std::vector<std::string>{"A", "B", "C"});
}

TEST_CASE("an Optional element type in a typed collection literal parses as that type") {
    const ParseResult r = parse("var slots = [Int?](repeating: nil, count: 3)\nlet names = [String?]()\n");
    INFO(render_all(*r.program->file, r.diagnostics));
    CHECK(r.diagnostics.size() == 0);
    CHECK(r.program->body.size() == 2);
}

TEST_CASE("a question mark before a closing bracket after a value is still an error") {
    const ParseResult r = parse("let x: Int? = 1\nlet ys = [x?]\n");
    CHECK(r.diagnostics.size() > 0);
}
