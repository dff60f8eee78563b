// Protocols, extensions, computed properties, observers, lazy and static members, inout and
// variadic parameters, mutating methods, deinit, @main and exit() through real Swift source.
// Expected lines are what the real Swift 6.3 runtime prints for the same programs (several
// have twins in tests/swift_oracle/corpus/).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "swift_run_support.hpp"

using namespace tasklab;

namespace {
using Lines = std::vector<std::string>;

using Ran = swift_run_support::SwiftRun;

Ran run(const std::string& text) {
    Ran r = swift_run_support::run_swift(text);
    if (!r.error.empty()) MESSAGE(r.error);
    return r;
}
}  // namespace

TEST_CASE("a protocol extension's default implementation calls the conforming type's requirement") {
    auto r = run(R"SW(
protocol Shape {
    var name: String { get }
    func area() -> Double
    func describe() -> String
}
extension Shape {
    func describe() -> String { "\(name) of area \(area())" }
    func twice() -> Double { area() * 2 }
}
struct Square: Shape {
    let side: Double
    var name: String { "square" }
    func area() -> Double { side * side }
}
struct Circle: Shape {
    let r: Double
    let name = "circle"
    func area() -> Double { 3 * r * r }
    func describe() -> String { "a circle, its own way" }
}
let shapes: [any Shape] = [Square(side: 2), Circle(r: 1)]
for s in shapes { print(s.describe(), s.twice(), s is Shape, s is Square) }
)SW");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"square of area 4.0 8.0 true true", "a circle, its own way 6.0 true false"});
}

TEST_CASE("an extension adds methods, computed properties, statics, initialisers and conformances") {
    auto r = run(R"SW(
protocol Named { var title: String { get } }
struct Point { var x: Int; var y: Int }
extension Point: Named {
    var title: String { "(\(x), \(y))" }
    static let origin = Point(x: 0, y: 0)
    static func unit() -> Point { Point(x: 1, y: 1) }
    init(both v: Int) { x = v; y = v }
    func moved(by d: Int) -> Point { Point(x: x + d, y: y + d) }
}
let p = Point(x: 1, y: 2)
print(p.title, Point.origin.title, Point.unit().moved(by: 2).title, p is Named, Point(both: 5).title)
)SW");
    CHECK(r.lines == Lines{"(1, 2) (0, 0) (3, 3) true (5, 5)"});
}

TEST_CASE("extensions of built-in types add properties and methods to their values") {
    auto r = run(R"SW(
extension Int {
    var doubled: Int { self * 2 }
    func times(_ body: () -> Void) { for _ in 0..<self { body() } }
}
extension String { func shout() -> String { uppercased() + "!" } }
extension Array { var second: Element? { count > 1 ? self[1] : nil } }
print(21.doubled)
2.times { print("hi") }
print("hey".shout(), [7, 8, 9].second ?? 0)
)SW");
    CHECK(r.lines == Lines{"42", "hi", "hi", "HEY! 8"});
}

TEST_CASE("computed properties with get and set, and observers with newValue and oldValue") {
    auto r = run(R"SW(
struct Temperature {
    var celsius: Double = 0 {
        willSet { print("will set \(newValue)") }
        didSet { print("was \(oldValue)"); changes += 1 }
    }
    var changes = 0
    var fahrenheit: Double {
        get { celsius * 9 / 5 + 32 }
        set { celsius = (newValue - 32) * 5 / 9 }
    }
    init(celsius: Double) { self.celsius = celsius }
}
var t = Temperature(celsius: 10)
t.celsius = 20
t.fahrenheit = 212
print(t.celsius, t.fahrenheit, t.changes)
class Log { var lines: [String] = [] { didSet { print("lines: \(lines.count)") } } }
let log = Log()
log.lines.append("a")
log.lines += ["b", "c"]
)SW");
    CHECK(r.lines == Lines{"will set 20.0", "was 10.0", "will set 100.0", "was 20.0", "100.0 212.0 2", "lines: 1",
                           "lines: 3"});
}

TEST_CASE("a get-only computed property cannot be assigned") {
    auto r = run("struct S { var x: Int { 1 } }\nvar s = S()\ns.x = 2\n");
    CHECK(r.status.state == RunState::runtime_error);
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message == "cannot assign to `x`: it is a get-only property");
}

TEST_CASE("lazy properties are made at the first read; static members are reached unqualified from static methods") {
    auto r = run(R"SW(
final class Cache {
    lazy var table: [String] = { print("building"); return ["a"] }()
}
let c = Cache()
print("made")
print(c.table, c.table.count)
struct Counter {
    static var made = 0
    static var label: String { "made \(made)" }
    static func make() -> Counter { made += 1; return Self() }
    static func twice() -> String { _ = make(); _ = make(); return label }
}
print(Counter.twice(), Counter.made)
)SW");
    CHECK(r.lines == Lines{"made", "building", "[\"a\"] 1", "made 2 2"});
}

TEST_CASE("mutating methods and inout arguments write back to their places") {
    auto r = run(R"SW(
struct Stack {
    var items: [Int] = []
    mutating func push(_ x: Int) { items.append(x) }
    mutating func pushTwice(_ x: Int) { push(x); push(x) }
}
var s = Stack()
s.push(1)
s.pushTwice(2)
print(s.items)
func swapTwo(_ a: inout Int, _ b: inout Int) { (a, b) = (b, a) }
func bump(_ v: inout Int, by d: Int = 1) { v += d }
var x = 1, y = 2
swapTwo(&x, &y)
var xs = [10, 20]
bump(&xs[1], by: 5)
final class Box { var n = 0 }
let box = Box()
bump(&box.n)
var pair = (s, 0)
pair.0.push(9)
print(x, y, xs, box.n, pair.0.items)
)SW");
    CHECK(r.lines == Lines{"[1, 2, 2]", "2 1 [10, 25] 1 [1, 2, 2, 9]"});
}

TEST_CASE("variadic parameters collect their arguments into an array") {
    auto r = run(R"SW(
func sum(_ xs: Int..., scale: Int = 1) -> Int { xs.reduce(0) { $0 + $1 } * scale }
func tag(names: String...) -> String { names.joined(separator: "+") }
print(sum(1, 2, 3), sum(), sum(4, 5, scale: 10), tag(names: "a", "b"))
)SW");
    CHECK(r.lines == Lines{"6 0 90 a+b"});
}

TEST_CASE("deinit runs when the last reference goes: at scope end, on nil, when a task lets go") {
    auto r = run(R"SW(
class Resource {
    let name: String
    init(name: String) { self.name = name }
    deinit { print("close \(name)") }
}
func scoped() { let r = Resource(name: "scoped"); print("use \(r.name)") }
scoped()
print("after scoped")
var maybe: Resource? = Resource(name: "optional")
maybe = nil
print("after nil")
func start() -> Task<Void, Never> {
    let r = Resource(name: "task")
    return Task {
        try? await Task.sleep(for: .milliseconds(100))
        print("task used \(r.name)")
    }
}
let t = start()
print("started")
await t.value
print("end")
let kept = Resource(name: "global")
)SW");
    CHECK(r.lines == Lines{"use scoped", "close scoped", "after scoped", "close optional", "after nil", "started",
                           "task used task", "close task", "end"});
}

TEST_CASE("an @main type's static main is the entry point; exit ends the process with its status") {
    auto r = run(R"SW(
import Foundation
@main
struct App {
    static func main() async throws {
        print(#function)
        Task {
            try await Task.sleep(for: .seconds(1))
            print("never")
        }
        try await Task.sleep(for: .milliseconds(100))
        report()
        exit(3)
    }
    static func report() { print("report") }
}
)SW");
    CHECK(r.lines == Lines{"main()", "report"});
    CHECK(r.status.state == RunState::finished);
    CHECK(r.status.exit_code == 3);
}

TEST_CASE("typealias of a built-in type converts like the type it names") {
    auto r = run("typealias Seconds = Double\nlet t: Seconds = 2\nlet u: Seconds? = 1\nprint(t, u)\n");
    CHECK(r.lines == Lines{"2.0 Optional(1.0)"});
}

TEST_CASE("subscripts of a user type are chosen by their labels") {
    auto r = run(R"SW(
struct Grid {
    var cells: [Int]
    let width: Int
    subscript(row: Int, col: Int) -> Int { cells[row * width + col] }
    subscript(label name: String) -> String { "cell \(name)" }
}
let g = Grid(cells: [1, 2, 3, 4], width: 2)
print(g[1, 0], g[0, 1], g[label: "x"])
)SW");
    CHECK(r.lines == Lines{"3 2 cell x"});
}

TEST_CASE("#line as a default argument is the caller's line") {
    auto r = run("func log(_ m: String, line: Int = #line) { print(line, m) }\nlog(\"a\")\n\nlog(\"b\")\n");
    CHECK(r.lines == Lines{"2 a", "4 b"});
}

TEST_CASE("a requirement the conforming type does not implement is named in the error") {
    auto r = run("protocol P { func f() }\nstruct S: P {}\nS().f()\n");
    CHECK(r.status.state == RunState::runtime_error);
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message == "`S` does not implement `f`, a requirement of `P`");
}

TEST_CASE("a deinit that makes and drops another instance forever stops as a stack overflow") {
    auto r = run("final class C { deinit { _ = C() } }\nvar c: C? = C()\nc = nil\nprint(\"never\")\n");
    CHECK(r.status.state == RunState::runtime_error);
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message == "stack overflow: a `deinit` released another instance 100000 times in a row");
    CHECK(r.lines.empty());
}
