// The Swift front end's declarations beyond plain types: protocols, extensions, typealias,
// computed properties and observers, lazy and static properties, deinit, subscripts, @main,
// `#function` and friends, inout and variadic parameters, several names in one let/var.
#include <doctest/doctest.h>

#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"
#include "swift_parse_support.hpp"

using namespace tasklab;

namespace {

using swift_parse_support::parse;
using swift_parse_support::sx;
using swift_parse_support::messages;

/// The first diagnostic rendered as the user sees it.
std::string first_error(const std::string& text) {
    const ParseResult r = parse(text);
    REQUIRE(r.diagnostics.size() >= 1);
    return render(*r.program->file, r.diagnostics.items()[0]);
}

}  // namespace

TEST_CASE("a protocol keeps its requirements without bodies and its inherited protocols") {
    CHECK(sx("protocol Downloader: Sendable {\n"
             "    var name: String { get }\n"
             "    var count: Int { get set }\n"
             "    func download(_ id: Int) async throws -> String\n"
             "    static func make() -> Self\n"
             "    mutating func reset()\n"
             "    init(name: String)\n"
             "}") ==
          "(protocol Downloader (: Sendable) {(var name : String requirement) (var count : Int requirement) "
          "(func download (_:id) async throws requirement) (func make () static requirement) "
          "(func reset () mutating requirement) (func init (name) init requirement)})");
}

TEST_CASE("an extension names the extended type, the conformances it adds and its members") {
    CHECK(sx("extension Point: CustomStringConvertible, Equatable {\n"
             "    var description: String { \"(\\(x), \\(y))\" }\n"
             "    static let origin = Point(x: 0, y: 0)\n"
             "    func moved() -> Point { self }\n"
             "}") ==
          "(extension Point (: CustomStringConvertible Equatable) {(var description : String get {(str \"(\" (interp x) \", \" "
          "(interp y) \")\")}) (let origin = (call Point x:0 y:0) static) (func moved () implicit -> Point {self})})");
    CHECK(sx("extension Outer.Inner { }") == "(extension Outer.Inner {})");
}

TEST_CASE("a protocol requirement with a body and a method body in a protocol are refused clearly") {
    CHECK(messages("protocol P { func f() { } }") ==
          "expected a line break (a protocol's requirements have no body; write it in an `extension`), found `{`");
    CHECK(messages("protocol P { var x: Int }") ==
          "expected `{ get }` or `{ get set }` (a protocol's property requirement), found `}`");
    CHECK(messages("protocol P { var x: Int { get { 1 } } }") ==
          "expected `get` or `set` without a body in a protocol's property requirement, found `{`");
}

TEST_CASE("typealias names a type") {
    CHECK(sx("typealias Seconds = Double\ntypealias Table = [String: Int]") ==
          "(typealias Seconds = Double)\n(typealias Table = [String: Int])");
    CHECK(messages("typealias = Int") == "expected a type name, found `=`");
}

TEST_CASE("computed properties, accessors and observers are parsed with their parameter names") {
    CHECK(sx("struct T {\n"
             "    var c: Double = 0 {\n"
             "        willSet { print(newValue) }\n"
             "        didSet(old) { print(old) }\n"
             "    }\n"
             "    var f: Double {\n"
             "        get { c * 2 }\n"
             "        set(v) { c = v / 2 }\n"
             "    }\n"
             "    var short: Int { 1 }\n"
             "    static var unit: String { \"C\" }\n"
             "    lazy var label = \"x\"\n"
             "}") ==
          "(struct T {(var c : Double = 0 willSet(newValue) {(call print newValue)} didSet(old) {(call print old)}) "
          "(var f : Double get {(* c 2)} set(v) {(= c (/ v 2))}) (var short : Int get {1}) "
          "(var unit : String static get {\"C\"}) (var label = \"x\" lazy)})");
}

TEST_CASE("bad property declarations get swiftc's reasons") {
    CHECK(messages("let x: Int { 1 }") == "a computed property must be declared with `var`");
    CHECK(messages("var x { 1 }") == "a computed property needs a type annotation");
    CHECK(messages("var x: Int { set { } }") == "a property with a setter needs a getter");
    CHECK(messages("var x: Int { get { 1 } didSet { } }") == "`willSet`/`didSet` cannot be combined with `get`/`set`");
    CHECK(messages("struct S { lazy let x = 1 }") == "`lazy` needs `var`");
    CHECK(messages("struct S { lazy var x: Int }") == "a `lazy` property needs an initial value");
    CHECK(messages("var x: Int { get { 1 } fetch { } }") == "expected `get`, `set`, `willSet` or `didSet`, found `fetch`");
}

TEST_CASE("several names in one let or var become one declaration each") {
    CHECK(sx("let a = 1, b: String = \"two\", c: Double") ==
          "(let a = 1)\n(let b : String = \"two\")\n(let c : Double)");
    CHECK(sx("struct S { var x = 0, y = 1 }") == "(struct S {(var x = 0) (var y = 1)})");
    CHECK(messages("let a = 1, = 2") == "expected a name, found `=`");
}

TEST_CASE("inout and variadic parameters, and & arguments") {
    CHECK(sx("func f(_ a: inout Int, xs: Int..., g: @escaping () -> Void) { }") ==
          "(func f (_:a:inout xs... g) {})");
    CHECK(sx("swap(&a, &xs[1])\nbump(&box.count)") == "(call swap (inout a) (inout (sub xs 1)))\n(call bump (inout (. box count)))");
}

TEST_CASE("& outside an argument, or before something not assignable, is refused") {
    CHECK(messages("let y = &x") == "`&` may only be used to pass an argument to an `inout` parameter");
    CHECK(messages("f(1 + &x)") == "`&` may only be used to pass an argument to an `inout` parameter");
    CHECK(messages("f(&g())") == "`&` needs a variable, a property or a subscript");
    CHECK(messages("func f(a: inout Int...) { }") ==
          "expected `,` or `)` (an `inout` parameter cannot be variadic), found `...`");
}

TEST_CASE("deinit belongs in a class, subscript in a type") {
    CHECK(sx("class C { deinit { print(\"bye\") } }") == "(class C {(func deinit () deinit {(call print \"bye\")})})");
    CHECK(sx("struct Grid { subscript(row: Int, col: Int) -> Int { row * col } }") ==
          "(struct Grid {(func subscript (_:row _:col) subscript implicit -> Int {(* row col)})})");
    CHECK(messages("deinit { }") == "`deinit` may only be declared in a class or an actor");
    CHECK(messages("struct S { deinit { } }") == "`deinit` may only be declared in a class or an actor");
    CHECK(messages("subscript(i: Int) -> Int { i }") == "`subscript` may only be declared in a type or an extension");
}

TEST_CASE("@main marks a type as the entry point and nothing else") {
    CHECK(sx("@main struct App { static func main() async throws { } }") ==
          "@main (struct App {(func main () async throws static {})})");
    CHECK(messages("@main func run() { }") == "`@main` may only be used on a struct, class or enum");
}

TEST_CASE("#function, #line, #column and the file literals are filled in by the parser") {
    CHECK(sx("func f(a: Int, _ b: Int) { print(#function) }") == "(func f (a _:b) implicit {(call print \"f(a:_:)\")})");
    CHECK(sx("print(#function)") == "(call print \"main\")");
    CHECK(sx("struct S { init() { print(#function) }\n var p: Int { print(#function); return 1 } }") ==
          "(struct S {(func init () init implicit {(call print \"init()\")}) (var p : Int get {(call print \"p\") (return 1)})})");
    CHECK(sx("\n  print(#line, #column)") == "(call print 2 16)");
    CHECK(sx("print(#fileID, #file, #filePath)") ==
          "(call print \"main/main.swift\" \"main.swift\" \"main.swift\")");
    CHECK(sx("// tasklab: swift-version 6\nprint(#file)") == "(call print \"main/main.swift\")");
    CHECK(messages("print(#dsohandle)") == "`#dsohandle` is not supported yet");
}

TEST_CASE("a declaration error is shown with its line and a caret") {
    CHECK(first_error("struct S {\n    let total: Int { 1 }\n}") ==
          "t.swift:2:20: error: a computed property must be declared with `var`\n"
          " 2 |     let total: Int { 1 }\n"
          "   |                    ^\n"
          "note: swiftc rejects it before running anything\n");
}
