#include <doctest/doctest.h>

#include <cstdint>
#include <string>

#include "scenarios/ast_dump.hpp"
#include "scenarios/frontend.hpp"
#include "swift_parse_support.hpp"

using namespace tasklab;

namespace {

using swift_parse_support::parse;
using swift_parse_support::sx;
using swift_parse_support::messages;

const ast::Stmt* first(const ParseResult& r) {
    REQUIRE(!r.program->body.empty());
    return r.program->body.front();
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Statements and declarations
// ---------------------------------------------------------------------------------------

TEST_CASE("statements are separated by line breaks or semicolons") {
    CHECK(sx("a()\nb(); c()\n;;d()") == "(call a)\n(call b)\n(call c)\n(call d)");
}

TEST_CASE("parse_scenario picks the front end by the file extension") {
    const ParseResult swift = parse_scenario(std::make_shared<SourceFile>("a.swift", "print(1)"));
    CHECK(swift.ok());
    CHECK(swift.program->language == ast::Language::swift);
    CHECK(swift.program->body.size() == 1);
    const ParseResult other = parse_scenario(std::make_shared<SourceFile>("notes.txt", "print(1)"));
    REQUIRE(other.diagnostics.size() == 1);
    CHECK(other.diagnostics.items()[0].message == "cannot tell the scenario language from the file extension `.txt`");
    CHECK(other.program != nullptr);
}

TEST_CASE("an empty file parses to an empty program") {
    const ParseResult r = parse("");
    CHECK(r.ok());
    CHECK(r.program->body.empty());
    CHECK(r.program->language == ast::Language::swift);
}

TEST_CASE("top-level code may await and try await") {
    CHECK(sx("await demo()\ntry await Task.sleep(for: .seconds(3))") ==
          "(await (call demo))\n(try (await (call (. Task sleep) for:(call (. seconds) 3))))");
}

TEST_CASE("imports record the module name") {
    CHECK(sx("import Foundation\nimport Dispatch.Queue") == "(import Foundation)\n(import Dispatch.Queue)");
}

TEST_CASE("functions record effects, labels, defaults and the return type text") {
    CHECK(sx("func f(_ x: Int, from url: String, y: Int = 3) async throws -> [String: Int] { return [:] }") ==
          "(func f (_:x from:url y=3) async throws -> [String: Int] {(return (dict))})");
    CHECK(sx("func g(a: Int) rethrows {}") == "(func g (a) throws {})");
}

TEST_CASE("a parameter label equals its name when only one name is written") {
    const ParseResult r = parse("func f(x: Int, _ y: Int, _: Int) {}");
    REQUIRE(r.ok());
    const auto* f = static_cast<const ast::FuncDecl*>(first(r));
    REQUIRE(f->params.size() == 3);
    CHECK(f->params[0].label == "x");
    CHECK(f->params[0].name == "x");
    CHECK(f->params[1].label == "_");
    CHECK(f->params[1].name == "y");
    CHECK(f->params[2].label == "_");
    CHECK(f->params[2].name == "_");
}

TEST_CASE("a single-expression function body is an implicit return") {
    CHECK(sx("func two() -> Int { 2 }") == "(func two () implicit -> Int {2})");
    CHECK(sx("func two() -> Int { let x = 2; return x }") == "(func two () -> Int {(let x = 2) (return x)})");
}

TEST_CASE("generic parameters are skipped and static functions are marked") {
    CHECK(sx("struct S { static func make<T: Sendable>(_ v: T) -> T { v } }") ==
          "(struct S {(func make (_:v) static implicit -> T {v})})");
    CHECK(sx("class C { class func f() {} }") == "(class C {(func f () static {})})");
}

TEST_CASE("initialisers are functions named init, failable with a question mark") {
    CHECK(sx("struct UIImage {\n let size: Int\n init?(data: Data) {\n  if data.count == 0 { return nil }\n  size = data.count\n }\n}") ==
          "(struct UIImage {(let size : Int) (func init (data) init failable {(if (== (. data count) 0) {(return nil)}) (= size (. data count))})})");
    CHECK(sx("struct P { init(x: Int) { self.x = x } }") == "(struct P {(func init (x) init {(= (. self x) x)})})");
}

TEST_CASE("let and var keep their type annotation text") {
    CHECK(sx("var images: [UIImage] = []") == "(var images : [UIImage] = (array))");
    CHECK(sx("let d: [String: Int] = [:]") == "(let d : [String: Int] = (dict))");
    CHECK(sx("var x: Int?") == "(var x : Int?)");
    CHECK(sx("var t: Task<Void, Never>? = nil") == "(var t : Task<Void, Never>? = nil)");
    CHECK(sx("let f: (Int, String) -> Bool = g") == "(let f : (Int, String) -> Bool = g)");
    CHECK(sx("let f: () async throws -> Void = g") == "(let f : () async throws -> Void = g)");
    CHECK(sx("let p: some Sendable = 1") == "(let p : some Sendable = 1)");
    CHECK(sx("let p: any Error = e") == "(let p : any Error = e)");
    CHECK(sx("let h: @Sendable () -> Void = g") == "(let h : @Sendable () -> Void = g)");
    CHECK(sx("let t: (a: Int, b: String) = x") == "(let t : (a: Int, b: String) = x)");
    CHECK(sx("let n: Task<Task<Int, Never>, Never> = x") == "(let n : Task<Task<Int, Never>, Never> = x)");
}

TEST_CASE("tuple destructuring binds several names") {
    CHECK(sx("let (data, _) = try await URLSession.shared.data(from: url)") ==
          "(let (tuple data _) = (try (await (call (. (. URLSession shared) data) from:url))))");
}

TEST_CASE("async let is a binding kind, with or without a type") {
    CHECK(sx("async let x = f()\nasync let image1: UIImage = downloadImage(from: url)") ==
          "(async-let x = (call f))\n(async-let image1 : UIImage = (call downloadImage from:url))");
}

TEST_CASE("an implicitly unwrapped var may be assigned later") {
    CHECK(sx("var outerItem: DispatchWorkItem!\nouterItem = DispatchWorkItem { print(1) }") ==
          "(var outerItem : DispatchWorkItem!)\n(= outerItem (call DispatchWorkItem ^(closure implicit (call print 1))))");
}

TEST_CASE("assignments support compound operators and the discard target") {
    CHECK(sx("x = 1\nx += 2\nx -= 3\nx *= 4\nx /= 5\nx %= 6\n_ = f()\na.b[0] = 1\n(a, b) = (1, 2)") ==
          "(= x 1)\n(+= x 2)\n(-= x 3)\n(*= x 4)\n(/= x 5)\n(%= x 6)\n(= _ (call f))\n(= (sub (. a b) 0) 1)\n(= (tuple a b) (tuple 1 2))");
}

TEST_CASE("the discard assignment target is a Name called underscore") {
    const ParseResult r = parse("_ = try await downloadImages()");
    REQUIRE(r.ok());
    const auto* a = static_cast<const ast::Assign*>(first(r));
    REQUIRE(a->kind == ast::StmtKind::assign);
    REQUIRE(a->target->kind == ast::ExprKind::name);
    CHECK(static_cast<const ast::Name*>(a->target)->name == "_");
}

// ---------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------

TEST_CASE("binary operators follow Swift's precedence") {
    CHECK(sx("a + b * c - d / e % f") == "(- (+ a (* b c)) (% (/ d e) f))");
    CHECK(sx("a || b && c == d + 1") == "(|| a (&& b (== c (+ d 1))))");
    CHECK(sx("a ?? b ?? c") == "(?? a (?? b c))");
    CHECK(sx("x ?? 0 + 1") == "(?? x (+ 0 1))");
    CHECK(sx("a < b && c == d") == "(&& (< a b) (== c d))");
    CHECK(sx("a === b || a !== c") == "(|| (=== a b) (!== a c))");
    CHECK(sx("0..<n + 1") == "(..< 0 (+ n 1))");
    CHECK(sx("1...10") == "(... 1 10)");
    CHECK(sx("a <= b && c >= d != e") == "(&& (<= a b) (!= (>= c d) e))");
}

TEST_CASE("casts take a type on the right") {
    CHECK(sx("e is CancellationError") == "(is e CancellationError)");
    CHECK(sx("e as? URLError") == "(as? e URLError)");
    CHECK(sx("e as! URLError") == "(as! e URLError)");
    CHECK(sx("x as Int") == "(as x Int)");
    CHECK(sx("x as? [String]") == "(as? x [String])");
    CHECK(sx("e as? Foo.Bar ?? d") == "(?? (as? e (. Foo Bar)) d)");
}

TEST_CASE("prefix operators bind tighter than binary ones") {
    CHECK(sx("-a + !b") == "(+ (neg a) (not b))");
    CHECK(sx("!Task.isCancelled") == "(not (. Task isCancelled))");
    CHECK(sx("x = -1") == "(= x (neg 1))");
}

TEST_CASE("postfix bang force-unwraps and question mark chains") {
    CHECK(sx("URL(string: url)!") == "(force (call URL string:url))");
    CHECK(sx("item?.cancel()") == "(call (. (chain item) cancel))");
    CHECK(sx("a?[0]?.b!") == "(force (. (chain (sub (chain a) 0)) b))");
    CHECK(sx("f?(1)") == "(call (chain f) 1)");
}

TEST_CASE("the ternary operator is right associative and lowest") {
    CHECK(sx("a ? b : c ? d : e") == "(?: a b (?: c d e))");
    CHECK(sx("x == 1 ? \"one\" : \"many\"") == "(?: (== x 1) \"one\" \"many\")");
}

TEST_CASE("try and await prefix everything to their right, in any order") {
    CHECK(sx("try await f() + g()") == "(try (await (+ (call f) (call g))))");
    CHECK(sx("await try f()") == "(await (try (call f)))");
    CHECK(sx("try? await f()") == "(try? (await (call f)))");
    CHECK(sx("try! f()") == "(try! (call f))");
    CHECK(sx("let v = try await t.value") == "(let v = (try (await (. t value))))");
}

TEST_CASE("integer and double literals") {
    CHECK(sx("1_000") == "1000");
    CHECK(sx("0x10") == "16");
    CHECK(sx("1.5") == "1.5");
    CHECK(sx("1e9") == "1e+09");
}

TEST_CASE("string literals decode escapes and interpolations") {
    CHECK(sx(R"(print("a\tb \(x) c"))") == R"((call print (str "a\tb " (interp x) " c")))");
    CHECK(sx(R"x(print("\(a)\(b)"))x") == R"x((call print (str (interp a) (interp b))))x");
    CHECK(sx(R"("")") == R"("")");
    CHECK(sx(R"("\u{1F600}")") == "\"\xF0\x9F\x98\x80\"");
}

TEST_CASE("interpolations may hold calls, nested parentheses and nested strings") {
    CHECK(sx(R"x(print("n = \(f(g(1), "in \(y)")) end"))x") ==
          R"((call print (str "n = " (interp (call f (call g 1) (str "in " (interp y)))) " end")))");
    CHECK(sx(R"x(print("flag: \(Task.isCancelled ? "yes" : "no")"))x") ==
          R"x((call print (str "flag: " (interp (?: (. Task isCancelled) "yes" "no")))))x");
}

TEST_CASE("multi-line strings strip the closing indentation") {
    CHECK(sx("let s = \"\"\"\n    Hello\n      \\(name)\n    \"\"\"") == "(let s = (str \"Hello\\n  \" (interp name)))");
}

TEST_CASE("boolean and nil literals") {
    CHECK(sx("(true, false, nil)") == "(tuple true false nil)");
}

TEST_CASE("array and dictionary literals, empty ones included") {
    CHECK(sx("[1, 2, 3]") == "(array 1 2 3)");
    CHECK(sx("[1, 2,]") == "(array 1 2)");
    CHECK(sx("[]") == "(array)");
    CHECK(sx("[\"a\": 1, \"b\": 2]") == "(dict (\"a\" 1) (\"b\" 2))");
    CHECK(sx("[:]") == "(dict)");
}

TEST_CASE("typed empty collections parse as empty literals") {
    CHECK(sx("var a = [UIImage]()") == "(var a = (array))");
    CHECK(sx("var d = [String: [Int]]()") == "(var d = (dict))");
    CHECK(sx("var o = [Int?]()") == "(var o = (array))");
}

TEST_CASE("tuples may be labelled and parentheses group") {
    CHECK(sx("(a, b)") == "(tuple a b)");
    CHECK(sx("(x: 1, y: 2)") == "(tuple x:1 y:2)");
    CHECK(sx("()") == "(tuple)");
    CHECK(sx("(a + b) * c") == "(* (+ a b) c)");
}

TEST_CASE("member names may be keywords, and implicit members have no base") {
    CHECK(sx("DispatchQueue.global(qos: .default)") == "(call (. DispatchQueue global) qos:(. default))");
    CHECK(sx("UIImage.self") == "(. UIImage self)");
    CHECK(sx("[UIImage].self") == "(. (array UIImage) self)");
    CHECK(sx("x.init(1)") == "(call (. x init) 1)");
    CHECK(sx("a.for") == "(. a for)");
    CHECK(sx(".seconds(1)") == "(call (. seconds) 1)");
    CHECK(sx("f(.cancelled)") == "(call f (. cancelled))");
    CHECK(sx("pair.0") == "(. pair 0)");
}

TEST_CASE("an implicit member has a null base") {
    const ParseResult r = parse(".now()");
    REQUIRE(r.ok());
    const auto* call = static_cast<const ast::Call*>(static_cast<const ast::ExprStmt*>(first(r))->expr);
    REQUIRE(call->callee->kind == ast::ExprKind::member);
    CHECK(static_cast<const ast::Member*>(call->callee)->base == nullptr);
}

TEST_CASE("a member access may continue on the next line") {
    CHECK(sx("a\n  .b()\n  .c") == "(. (call (. a b)) c)");
}

TEST_CASE("call labels may be keywords") {
    CHECK(sx("f(for: 1, in: 2, of: 3, default: 4, repeat: 5)") == "(call f for:1 in:2 of:3 default:4 repeat:5)");
}

TEST_CASE("trailing closures are appended as trailing arguments") {
    CHECK(sx("Task { print(1) }") == "(call Task ^(closure implicit (call print 1)))");
    CHECK(sx("group.addTask { try await f() }") == "(call (. group addTask) ^(closure implicit (try (await (call f)))))");
    CHECK(sx("q.asyncAfter(deadline: .now() + 3) { x.cancel() }") ==
          "(call (. q asyncAfter) deadline:(+ (call (. now)) 3) ^(closure implicit (call (. x cancel))))");
    CHECK(sx("DispatchWorkItem {\n}") == "(call DispatchWorkItem ^(closure))");
}

TEST_CASE("multiple trailing closures carry their labels") {
    CHECK(sx("await withTaskCancellationHandler {\n  await work()\n} onCancel: {\n  print(\"bye\")\n}") ==
          "(await (call withTaskCancellationHandler ^(closure implicit (await (call work))) ^onCancel:(closure implicit (call print \"bye\"))))");
}

TEST_CASE("trailing closure arguments record their flag and label") {
    const ParseResult r = parse("f(1) { } g: { }");
    REQUIRE(r.ok());
    const auto* call = static_cast<const ast::Call*>(static_cast<const ast::ExprStmt*>(first(r))->expr);
    REQUIRE(call->args.size() == 3);
    CHECK_FALSE(call->args[0].trailing);
    CHECK(call->args[1].trailing);
    CHECK(call->args[1].label.empty());
    CHECK(call->args[2].trailing);
    CHECK(call->args[2].label == "g");
}

TEST_CASE("a brace after a condition is the body, not a trailing closure") {
    CHECK(sx("if ready { go() }") == "(if ready {(call go)})");
    CHECK(sx("while x.isEmpty { x.fill() }") == "(while (. x isEmpty) {(call (. x fill))})");
    CHECK(sx("for x in xs.reversed() { use(x) }") == "(for x (call (. xs reversed)) {(call use x)})");
    CHECK(sx("guard ok else { return }") == "(guard ok else {(return)})");
}

TEST_CASE("inside parentheses a condition may still use trailing closures") {
    CHECK(sx("if (xs.contains { $0 > 1 }) { go() }") ==
          "(if (call (. xs contains) ^(closure ($0) implicit (> $0 1))) {(call go)})");
}

TEST_CASE("a brace on the next line is not a trailing closure") {
    CHECK(sx("f()\n{ print(1) }") == "(call f)\n(closure implicit (call print 1))");
}

TEST_CASE("generic arguments after a type name are skipped in expressions") {
    CHECK(sx("let t = Task<Void, Never> { print(1) }") == "(let t = (call Task ^(closure implicit (call print 1))))");
    CHECK(sx("Array<Int>()") == "(call Array)");
    CHECK(sx("a < b") == "(< a b)");
    CHECK(sx("if a<b { }") == "(if (< a b) {})");
}

TEST_CASE("closures take names, typed lists, capture lists and effects") {
    CHECK(sx("f { group in g(group) }") == "(call f ^(closure (group) implicit (call g group)))");
    CHECK(sx("f { (a, b) in a }") == "(call f ^(closure (a b) implicit a))");
    CHECK(sx("f { a, b in a }") == "(call f ^(closure (a b) implicit a))");
    CHECK(sx("f { [group] in g() }") == "(call f ^(closure [group] implicit (call g)))");
    CHECK(sx("f { [weak self] in g() }") == "(call f ^(closure [self] implicit (call g)))");
    CHECK(sx("f { () async throws -> Int in 1 }") == "(call f ^(closure async throws implicit 1))");
    CHECK(sx("f { (x: Int) -> Int in x }") == "(call f ^(closure (x) implicit x))");
    CHECK(sx("f { _ in 1 }") == "(call f ^(closure (_) implicit 1))");
    CHECK(sx("f { @MainActor in g() }") == "(call f ^(closure @MainActor implicit (call g)))");
    CHECK(sx("f { @Sendable in g() }") == "(call f ^(closure implicit (call g)))");
    CHECK(sx("f { }") == "(call f ^(closure))");
}

TEST_CASE("shorthand closure arguments define parameters up to the highest used") {
    CHECK(sx("xs.map { $1 + $0 }") == "(call (. xs map) ^(closure ($0 $1) implicit (+ $1 $0)))");
    CHECK(sx("f { g { $0 } }") == "(call f ^(closure implicit (call g ^(closure ($0) implicit $0))))");
    CHECK(sx("f { $2 }") == "(call f ^(closure ($0 $1 $2) implicit $2))");
}

TEST_CASE("a closure with several statements is not an implicit return") {
    CHECK(sx("f {\n  a()\n  b()\n}") == "(call f ^(closure (call a) (call b)))");
}

TEST_CASE("operators may be passed as functions") {
    CHECK(sx("xs.reduce(0, +)") == "(call (. xs reduce) 0 +)");
    CHECK(sx("xs.sorted(by: <)") == "(call (. xs sorted) by:<)");
}

TEST_CASE("calls with arguments may still take a trailing closure, and chains continue after it") {
    CHECK(sx("Task.detached(priority: .high) { await work() }") ==
          "(call (. Task detached) priority:(. high) ^(closure implicit (await (call work))))");
    CHECK(sx("xs.map { $0 * 2 }.filter { $0 > 2 }") ==
          "(call (. (call (. xs map) ^(closure ($0) implicit (* $0 2))) filter) ^(closure ($0) implicit (> $0 2)))");
    CHECK(sx("let v = { () -> Int in 1 }()") == "(let v = (call (closure implicit 1)))");
    CHECK(sx("Task { }.cancel()") == "(call (. (call Task ^(closure)) cancel))");
}

TEST_CASE("a prefix operator at the start of a line begins a new statement") {
    CHECK(sx("let a = b\n-c.d()") == "(let a = b)\n(neg (call (. c d)))");
    CHECK(sx("let a = b\n  - c") == "(let a = (- b c))");
}

// ---------------------------------------------------------------------------------------
// Control flow
// ---------------------------------------------------------------------------------------

TEST_CASE("if statements take condition lists and else-if chains") {
    CHECK(sx("if a, let b = c, d { x() } else if e { y() } else { z() }") ==
          "(if a (let b c) d {(call x)} else {(if e {(call y)} else {(call z)})})");
}

TEST_CASE("else may sit on the line after the closing brace") {
    CHECK(sx("if a {\n}\nelse {\n  b()\n}") == "(if a {} else {(call b)})");
}

TEST_CASE("if let shorthand binds the name to itself") {
    const ParseResult r = parse("if let x { use(x) }");
    REQUIRE(r.ok());
    const auto* s = static_cast<const ast::If*>(first(r));
    REQUIRE(s->conditions.size() == 1);
    CHECK(s->conditions[0].is_binding);
    CHECK(s->conditions[0].name == "x");
    REQUIRE(s->conditions[0].expr->kind == ast::ExprKind::name);
    CHECK(static_cast<const ast::Name*>(s->conditions[0].expr)->name == "x");
}

TEST_CASE("guard let self unwraps a weak capture") {
    CHECK(sx("let h = Task { [weak self] in guard let self else { return }; self.go() }") ==
          "(let h = (call Task ^(closure [self] (guard (let self self) else {(return)}) (call (. self go)))))");
}

TEST_CASE("guard statements bind and require else") {
    CHECK(sx("guard let image = UIImage(data: data) else {\n  throw URLError(.cannotDecodeContentData)\n}") ==
          "(guard (let image (call UIImage data:data)) else {(throw (call URLError (. cannotDecodeContentData)))})");
    CHECK(sx("guard var n: Int = f(), n > 0 else { return }") == "(guard (let n (call f)) (> n 0) else {(return)})");
}

TEST_CASE("while loops join several conditions with and") {
    CHECK(sx("while a, b { }") == "(while (&& a b) {})");
}

TEST_CASE("while let keeps its conditions, as if does, when one of them binds") {
    CHECK(sx("while let value = try await group.next() { sum += value }") ==
          "(while (let value (try (await (call (. group next))))) {(+= sum value)})");
    CHECK(sx("while let x = q.popLast(), x > 0, var y = f(x) { }") ==
          "(while (let x (call (. q popLast))) (> x 0) (let y (call f x)) {})");
}

TEST_CASE("for loops take names, underscores and tuples") {
    CHECK(sx("for i in 0...10 { }") == "(for i (... 0 10) {})");
    CHECK(sx("for _ in 0..<1_000 { }") == "(for _ (..< 0 1000) {})");
    CHECK(sx("for (i, x) in xs.enumerated() { }") == "(for (tuple i x) (call (. xs enumerated)) {})");
}

TEST_CASE("for try await and for await iterate asynchronously") {
    const ParseResult r = parse("for try await image in group { images.append(image) }\nfor await x in s { }");
    REQUIRE(r.ok());
    const auto* a = static_cast<const ast::ForIn*>(r.program->body[0]);
    CHECK(a->is_try);
    CHECK(a->is_await);
    const auto* b = static_cast<const ast::ForIn*>(r.program->body[1]);
    CHECK_FALSE(b->is_try);
    CHECK(b->is_await);
    CHECK(sx("for try await image in group { }") == "(for try await image group {})");
}

TEST_CASE("jumps: break, continue, return with and without a value, throw") {
    CHECK(sx("for x in xs {\n if a { break }\n if b { continue }\n}") == "(for x xs {(if a {(break)}) (if b {(continue)})})");
    CHECK(sx("func f() {\n  return\n}") == "(func f () {(return)})");
    CHECK(sx("func f() -> Int {\n  return 1 + 2\n}") == "(func f () -> Int {(return (+ 1 2))})");
    CHECK(sx("throw CancellationError()") == "(throw (call CancellationError))");
}

TEST_CASE("a return at the end of a line does not take the next line as its value") {
    CHECK(sx("func f() {\n  return\n  g()\n}") == "(func f () {(return) (call g)})");
}

TEST_CASE("defer takes a block") {
    CHECK(sx("defer { cleanup() }") == "(defer {(call cleanup)})");
}

TEST_CASE("do-catch clauses record the pattern type, the binding and where") {
    CHECK(sx("do { try f() } catch is CancellationError { a() } catch let e as URLError { b(e) } "
             "catch URLError.cancelled { c() } catch let e where e is Foo { d() } catch { print(error) }") ==
          "(do {(try (call f))} (catch is:CancellationError {(call a)}) (catch is:URLError let:e {(call b e)}) "
          "(catch is:(. URLError cancelled) {(call c)}) (catch let:e where:(is e Foo) {(call d)}) "
          "(catch let:error {(call print error)}))");
}

TEST_CASE("catch clauses may start on the line after the closing brace") {
    CHECK(sx("do {\n  try f()\n}\ncatch {\n}") == "(do {(try (call f))} (catch let:error {}))");
}

TEST_CASE("do without catch is a try statement without handlers") {
    const ParseResult r = parse("do { a() }");
    REQUIRE(r.ok());
    const auto* t = static_cast<const ast::TryStmt*>(first(r));
    REQUIRE(t->kind == ast::StmtKind::try_);
    CHECK(t->handlers.empty());
    CHECK(t->body.size() == 1);
}

// ---------------------------------------------------------------------------------------
// Types and attributes
// ---------------------------------------------------------------------------------------

TEST_CASE("structs record conformances and members") {
    CHECK(sx("struct Boom: Error {}") == "(struct Boom (: Error) {})");
    CHECK(sx("struct P { let x: Int; var y = 2; func f() { }; init(x: Int) { self.x = x } }") ==
          "(struct P {(let x : Int) (var y = 2) (func f () {}) (func init (x) init {(= (. self x) x)})})");
}

TEST_CASE("enums record their cases") {
    CHECK(sx("enum E: Error { case a, b; case c }") == "(enum E (: Error) (cases a b c) {})");
    CHECK(sx("enum E {\n  case a\n  func f() {}\n}") == "(enum E (cases a) {(func f () {})})");
}

TEST_CASE("classes, final classes and nested types") {
    CHECK(sx("final class Box: Base, P { var v = 0\n struct Inner {} }") ==
          "(class Box (: Base P) {(var v = 0) (struct Inner {})})");
}

TEST_CASE("harmless attributes and modifiers are skipped") {
    CHECK(sx("@discardableResult\nfunc f() -> Int { 1 }") == "(func f () implicit -> Int {1})");
    CHECK(sx("@available(macOS 13, *)\nprivate func f() {}") == "(func f () {})");
    CHECK(sx("func f(_ g: @escaping @Sendable () -> Void) {}") == "(func f (_:g) {})");
    CHECK(sx("struct S { private(set) var x = 1; public static let y = 2 }") == "(struct S {(var x = 1) (let y = 2 static)})");
}

TEST_CASE("comments of every form are ignored") {
    CHECK(sx("// one\n/* two /* nested */ */ a() /// three\n/**/b()") == "(call a)\n(call b)");
}

// ---------------------------------------------------------------------------------------
// Spans
// ---------------------------------------------------------------------------------------

TEST_CASE("statement and expression spans cover their source text") {
    const ParseResult r = parse("let x = foo(1)\n  group.addTask { }");
    REQUIRE(r.ok());
    const SourceFile& f = *r.program->file;
    CHECK(f.slice(r.program->body[0]->span) == "let x = foo(1)");
    CHECK(f.slice(static_cast<const ast::VarDecl*>(r.program->body[0])->init->span) == "foo(1)");
    CHECK(f.slice(r.program->body[1]->span) == "group.addTask { }");
}

TEST_CASE("function and type name spans point at the name") {
    const ParseResult r = parse("func work() {}\nstruct Box {}");
    REQUIRE(r.ok());
    const SourceFile& f = *r.program->file;
    CHECK(f.slice(static_cast<const ast::FuncDecl*>(r.program->body[0])->name_span) == "work");
    CHECK(f.slice(static_cast<const ast::TypeDecl*>(r.program->body[1])->name_span) == "Box");
}

// ---------------------------------------------------------------------------------------
// Unsupported constructs and recovery
// ---------------------------------------------------------------------------------------

TEST_CASE("unsupported constructs are named, with a note on the subset") {
    struct Case {
        const char* source;
        const char* message;
    };
    const Case cases[] = {
        {"protocol P { associatedtype Item }", "`associatedtype` is not supported yet"},
        {"extension Array<Int> { }", "generic arguments on an `extension` are not supported yet"},
        {"struct S { subscript(i: Int) -> Int { get { i } set { } } }", "subscript setters are not supported yet"},
        {"infix operator +++", "custom operators are not supported yet"},
        {"#if DEBUG\nx()\n#endif", "`#if` is not supported yet"},
        {"let k = \\.x", "key paths `\\.x` are not supported yet"},
        {"@globalActor struct A {}", "`@globalActor` on declarations is not supported yet"},
        {"struct S { var x: Int { get async { 1 } } }", "`async` property getters are not supported yet"},
        {"protocol P<T> { }", "primary associated types are not supported yet"},
        {"func f(_ c: isolated C) {}", "`isolated` parameters are not supported yet"},
    };
    for (const Case& c : cases) {
        CAPTURE(c.source);
        const ParseResult r = parse(c.source);
        REQUIRE(r.diagnostics.size() >= 1);
        const Diagnostic& d = r.diagnostics.items()[0];
        CHECK(d.kind == DiagnosticKind::unsupported_construct);
        CHECK(d.message == c.message);
        REQUIRE(d.notes.size() == 1);
        CHECK(d.notes[0] == "tasklab runs a subset of Swift; see docs/language.md");
    }
}

TEST_CASE("an actor declares a type with stored state, an init, methods and nonisolated members") {
    const ParseResult r = parse("actor Counter {\n  var n = 0\n  init(start: Int) { n = start }\n"
                                "  func bump() { n += 1 }\n  nonisolated func name() -> String { \"c\" }\n}\n");
    REQUIRE(r.diagnostics.size() == 0);
    CHECK(ast::dump(*r.program) ==
          "(actor Counter {(var n = 0) (func init (start) init {(= n start)}) (func bump () {(+= n 1)}) "
          "(func name () nonisolated implicit -> String {\"c\"})})\n");
}

TEST_CASE("@MainActor marks functions, types and closures; on a property it is accepted") {
    CHECK(sx("@MainActor func f() {}") == "(func f () @MainActor {})");
    CHECK(sx("@MainActor\nfinal class Model { @MainActor var x = 1 }") == "(class @MainActor Model {(var x = 1)})");
    CHECK(sx("Task { @MainActor in print(1) }") == "(call Task ^(closure @MainActor implicit (call print 1)))");
    CHECK(sx("struct S { nonisolated func g() async {} }") == "(struct S {(func g () async nonisolated {})})");
}

TEST_CASE("an unsupported construct is skipped as a whole and parsing continues") {
    const ParseResult r = parse("@globalActor struct Cache {\n  var x = 1\n  func f() { }\n}\nprint(1)");
    CHECK(r.diagnostics.size() == 1);
    CHECK(ast::dump(*r.program) == "(call print 1)\n");
}

TEST_CASE("lexer errors count toward the limit of twenty") {
    std::string text;
    for (int i = 0; i < 40; ++i) text += "let s = \"open\n";
    const ParseResult r = parse(text);
    CHECK(r.diagnostics.size() == 20);
    CHECK(r.diagnostics.items().back().notes.back() == "too many errors; stopping here");
}

TEST_CASE("the unsupported span is the keyword") {
    const ParseResult r = parse("  associatedtype T");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.program->file->slice(r.diagnostics.items()[0].span) == "associatedtype");
}

TEST_CASE("the parser recovers at the next statement and reports several errors") {
    const ParseResult r = parse("let = 1\nfoo(1 2)\nprint(\"ok\")\nlet y = )\nbar()");
    CHECK(messages("let = 1\nfoo(1 2)\nprint(\"ok\")\nlet y = )\nbar()") ==
          "expected a name, found `=` | expected `,` or `)`, found `2` | expected an expression, found `)`");
    CHECK(ast::dump(*r.program) == "(call print \"ok\")\n(call bar)\n");
}

TEST_CASE("an error inside a closure keeps the statements around it") {
    const ParseResult r = parse("Task {\n  a()\n  let = 2\n  b()\n}\nc()");
    CHECK(r.diagnostics.size() == 1);
    CHECK(ast::dump(*r.program) == "(call Task ^(closure (call a) (call b)))\n(call c)\n");
}

TEST_CASE("an unclosed call stops at the next line that starts a statement") {
    const ParseResult r = parse("print(\"a\"\nlet x = 1");
    CHECK(messages("print(\"a\"\nlet x = 1") == "expected `)`, found `let`");
    CHECK(ast::dump(*r.program) == "(let x = 1)\n");
}

TEST_CASE("a call cut short by a closing brace names the missing parenthesis") {
    CHECK(messages("func a() {\n    foo(\n}\nfunc b() { }") == "expected `)`, found `}`");
    const ParseResult r = parse("func a() {\n    foo(\n}\nfunc b() { }");
    CHECK(ast::dump(*r.program) == "(func a () {})\n(func b () {})\n");
}

TEST_CASE("the parser stops after twenty errors") {
    std::string text;
    for (int i = 0; i < 50; ++i) text += "let = 1\n";
    const ParseResult r = parse(text);
    CHECK(r.diagnostics.size() == 20);
    CHECK(r.diagnostics.items().back().notes.back() == "too many errors; stopping here");
}

TEST_CASE("deep nesting is reported instead of overflowing the stack") {
    const std::string deep = std::string(10000, '(') + "1" + std::string(10000, ')');
    const ParseResult r = parse("let x = " + deep + "\nprint(2)");
    REQUIRE(r.diagnostics.size() == 1);
    CHECK(r.diagnostics.items()[0].kind == DiagnosticKind::front_end_limit);
    CHECK(r.diagnostics.items()[0].message == "expression too deeply nested (limit 256)");
    CHECK(ast::dump(*r.program) == "(call print 2)\n");
}

TEST_CASE("nesting below the limit parses") {
    const std::string nested = std::string(100, '(') + "1" + std::string(100, ')');
    CHECK(sx("let x = " + nested) == "(let x = 1)");
}

// ---------------------------------------------------------------------------------------
// The seed examples (Swift Concurrency cancellation), UIKit replaced by a small struct
// ---------------------------------------------------------------------------------------

namespace {

const char* const k_uiimage = R"swift(struct UIImage {
    let size: Int
    init?(data: Data) { size = data.count }
}
)swift";

const char* const k_seed_gcd = R"swift(let globalQueue = DispatchQueue.global()

var outerItem = DispatchWorkItem {
    for i in 0...10 {
        if outerItem.isCancelled { break }
        sleep(1)
        print("➡️ 외부 작업 수행 완료: \(i)")
    }
    
    let innerItem = DispatchWorkItem { 
        for j in 0...10 {
            print("✨ 내부 작업 수행 완료: \(j)")
        }
    }
    globalQueue.async(execute: innerItem)
}
globalQueue.async(execute: outerItem)

globalQueue.asyncAfter(deadline: .now() + 3) {
    outerItem.cancel()
}
)swift";

const char* const k_seed_implicit = R"swift(let url = "https://picsum.photos/200/300"

func downloadImage(from url: String) async throws -> UIImage {
    do {
        try Task.checkCancellation()  // 👈 네트워크 전에 취소 상태 확인
        let url = URL(string: url)!
        let (data, _) = try await URLSession.shared.data(from: url)
        guard let image = UIImage(data: data) else {
            throw URLError(.cannotDecodeContentData)
        }
        return image
    } catch {
        print("🟡 작업이 취소되었습니다.")
        throw error
    }
}

func faileDownloadImage() async throws -> UIImage {
    try await Task.sleep(for: .seconds(1))
    throw CancellationError()
}

func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in
        group.addTask { 
            try await downloadImage(from: url)
        }
        group.addTask { 
            try await faileDownloadImage() // 2️⃣ 예외 발생 및 상위 작업으로 throw
        }
        group.addTask { // 3️⃣ (실행 중인) 하위 작업에 취소 전파
            try await downloadImage(from: url)
        }
        
        var images: [UIImage] = []
        for try await image in group { // 1️⃣ 하위 작업이 던진 예외 받음
            images.append(image)
        }
        return images
    }
}
Task { try? await downloadImages() }
)swift";

const char* const k_seed_async_let = R"swift(func downloadImages() async throws -> [UIImage] {  // 2️⃣ 작업 취소 전파 수신 및 하위 작업에 다시 전파
    async let image1: UIImage = downloadImage(from: url) 
    async let image2: UIImage = downloadImage(from: url)
    async let image3: UIImage = downloadImage(from: url)
    
    return try await [image1, image2, image3] // 3️⃣ 작업 취소 및 예외 throw
}

Task {
    let task = Task {
        do {
            _ = try await downloadImages()
        } catch {
            print("🟡 Task: 작업이 취소되었습니다.")
        }
    }

    try await Task.sleep(for: .seconds(1))
    task.cancel() // 1️⃣ `cancel()` 호출 및 작업 취소 전파
}
)swift";

const char* const k_seed_cancel_all = R"swift(func downloadImages() async throws -> [UIImage] {
    try await withThrowingTaskGroup(of: UIImage.self) { group in // // 2️⃣ 작업 취소 전파 수신 및 하위 작업에 다시 전파
        for _ in 0..<1_000 {
            group.addTask { 
                try await downloadImage(from: url) // // 3️⃣ 작업 취소 및 예외 throw
            }
        }
        
        var images: [UIImage] = []
        

        for try await image in group {
            if images.count == 10 {
                group.cancelAll()  // 1️⃣ `cancelAll()` 호출 및 작업 취소 전파
            }
            
            images.append(image)
        }
        return images
    }
}
Task { try? await downloadImages() }
)swift";

// The seed's last block ends with two lines of expected output (`Print "…"`), which are
// prose rather than Swift; the code above them is copied unchanged.
const char* const k_seed_unstructured = R"swift(let task1 = Task {
    sleep(1)
    
    if Task.isCancelled {
        print("🟡 Task1: 작업이 취소되었습니다.")
    }
    
    let task2 = Task {
        if Task.isCancelled {
            print("🟡 Task2: 작업이 취소되었습니다.")
            return
        }
        
        print("➡️ Task2 작업이 완료되었습니다.")
    }
}
task1.cancel()
)swift";

}  // namespace

TEST_CASE("every Swift example of the seed document parses without diagnostics") {
    for (const char* block : {k_seed_gcd, k_seed_implicit, k_seed_async_let, k_seed_cancel_all, k_seed_unstructured}) {
        const ParseResult r = parse(std::string(k_uiimage) + block);
        INFO(render_all(*r.program->file, r.diagnostics));
        CHECK(r.diagnostics.size() == 0);
        CHECK(r.program->body.size() >= 2);
    }
}

TEST_CASE("the seed's task group example has the documented shape") {
    const std::string dump = sx(k_seed_implicit);
    CHECK(dump.find("(func downloadImages () async throws implicit -> [UIImage] {(try (await (call withThrowingTaskGroup "
                    "of:(. UIImage self) ^(closure (group) (call (. group addTask) ^(closure implicit (try (await "
                    "(call downloadImage from:url)))))") != std::string::npos);
    CHECK(dump.find("(for try await image group {(call (. images append) image)}) (return images)") != std::string::npos);
    CHECK(dump.find("(call Task ^(closure implicit (try? (await (call downloadImages)))))") != std::string::npos);
}

TEST_CASE("the seed's GCD example has the documented shape") {
    const std::string dump = sx(k_seed_gcd);
    CHECK(dump.find("(var outerItem = (call DispatchWorkItem ^(closure (for i (... 0 10) {(if (. outerItem isCancelled) "
                    "{(break)}) (call sleep 1) (call print (str \"➡️ 외부 작업 수행 완료: \" (interp i)))})") !=
          std::string::npos);
    CHECK(dump.find("(call (. globalQueue asyncAfter) deadline:(+ (call (. now)) 3) ^(closure implicit (call (. outerItem cancel))))") !=
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

TEST_CASE("malformed inputs never crash and always finish") {
    const char* inputs[] = {
        "",
        "}",
        "{",
        ")))]]]}}}",
        "(((([[[[{{{{",
        "func",
        "func f(",
        "let",
        "if",
        "do { } catch",
        "Task { group in",
        "\"",
        "\"\"\"",
        "\"\\(",
        "/*",
        "x.",
        "a ? b",
        "f { [",
        "f { (a, b",
        "struct S { case }",
        "enum E { case",
        "#if",
        "@",
        "$",
        "`",
        "...",
        "1..<",
        "let x: [Int: = 1",
        "let x: Task<Int = 1",
        "for in {}",
        "catch { }",
        "else { }",
        "} else {",
        "try",
        "await",
        "f(a:",
        "[1: 2, 3]",
        "{ $99999999999999999999 }",
    };
    for (const char* text : inputs) {
        CAPTURE(text);
        const ParseResult r = parse(text);
        CHECK(r.program != nullptr);
        if (std::string(text).empty() || std::string(text) == "...") continue;
        CHECK(r.diagnostics.size() >= 1);
    }
    // Deep nesting of every bracket kind and of prefix operators.
    for (const std::string& deep :
         {std::string(10000, '('), std::string(10000, '['), std::string(10000, '{'), std::string(10000, '!') + "x",
          std::string(5000, '-') + "1", "let x = " + std::string(3000, '{') + std::string(3000, '}'),
          [] {
              std::string s;
              for (int i = 0; i < 3000; ++i) s += "try await ";
              return s + "f()";
          }(),
          [] {
              std::string s;
              for (int i = 0; i < 2000; ++i) s += "if a {";
              return s;
          }(),
          [] {
              std::string s = "\"";
              for (int i = 0; i < 200; ++i) s += "\\(\"";
              return s;
          }()}) {
        const ParseResult r = parse(deep);
        CHECK(r.diagnostics.size() >= 1);
    }
}

TEST_CASE("random bytes never crash the front end") {
    Rng rng{0x9E3779B97F4A7C15ULL};
    for (int i = 0; i < 300; ++i) {
        std::string text(rng.below(200), '\0');
        for (char& c : text) c = static_cast<char>(rng.next() & 0xFF);
        const ParseResult r = parse(text);
        CHECK(r.program != nullptr);
    }
}

TEST_CASE("small mutations of a seed example never crash the front end") {
    const std::string seed = std::string(k_uiimage) + k_seed_implicit;
    const char* pieces[] = {"{", "}", "(", ")", "[", "]", "\"", "\\(", ",", ":", ".", "?", "!", "\n", "try ",
                            "await ", "in ", "let ", "func ", "{ x in ", "$0", "/*", "#if", "@", "`"};
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
    }
    CHECK(with_errors > 0);
}

TEST_CASE("break and continue need a loop of their own function, and nothing jumps out of a defer body, as swiftc checks") {
    CHECK(messages("break") == "`break` is only allowed inside a loop or `switch`");
    CHECK(messages("if true { continue }") == "`continue` is only allowed inside a loop");
    // A function or closure inside a loop starts outside it.
    CHECK(messages("for x in xs { func f() { break } }") == "`break` is only allowed inside a loop or `switch`");
    CHECK(messages("while true { let f = { continue } }") == "`continue` is only allowed inside a loop");
    CHECK(messages("func f() -> Int { defer { return } ; return 1 }") ==
          "`return` cannot transfer control out of a `defer` statement");
    CHECK(messages("for x in xs { defer { break } }") == "`break` cannot transfer control out of a `defer` statement");
    CHECK(messages("func f() throws { defer { throw E() } }") == "errors cannot be thrown out of a `defer` body");
    // What swiftc accepts: loops inside a defer, a return inside a closure or function inside one.
    CHECK(messages("for x in xs { if x { continue } ; while true { break } }").empty());
    CHECK(messages("func f() { defer { for x in xs { if x { break } } } }").empty());
    CHECK(messages("func f() { defer { let g = { () -> Int in return 1 }; print(g()) } }").empty());
    CHECK(messages("func f() { defer { do { throw E() } catch { } } }").empty());
}

TEST_CASE("a loop inside a defer body still cannot return out of the defer") {
    CHECK(messages("func f() { defer { while true { return } } }") ==
          "`return` cannot transfer control out of a `defer` statement");
}
