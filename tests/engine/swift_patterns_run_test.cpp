// Patterns and the control flow built on them, run through real Swift source: `switch` (with
// ranges, `where`, enum payloads, tuples, types, Optionals, `fallthrough`, `break`), enum
// cases with associated and raw values, `if case` / `guard case` / `while case`, `for case …
// where`, `repeat … while`, labelled statements, `catch` with patterns, `if`/`switch` values.
// Expected lines are what the real Swift 6.3 runtime prints (several programs have twins in
// tests/swift_oracle/corpus/).
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
    return r;
}

constexpr Tick ms(std::int64_t n) { return n * k_millisecond; }
}  // namespace

TEST_CASE("a switch picks the first matching case: values, ranges, where clauses and default") {
    auto r = run(R"SW(
for x in [0, 1, 5, 12, -3] {
    switch x {
    case 0: print("zero")
    case 1, 2: print("one or two")
    case 3...5: print("three to five")
    case let y where y > 10: print("big \(y)")
    default: print("other \(x)")
    }
}
)SW");
    CHECK(r.lines == Lines{"zero", "one or two", "three to five", "big 12", "other -3"});
}

TEST_CASE("enum cases carry associated values that patterns bind, and print as Swift prints them") {
    auto r = run(R"SW(
enum MyError: Error { case boom, http(Int) }
enum Outcome {
    case ok(Int)
    case failed(Error)
    case progress(done: Int, of: Int)
}
func describe(_ o: Outcome) -> String {
    switch o {
    case .ok(let v): return "ok \(v)"
    case .failed(let e as MyError): return "mine \(e)"
    case .failed: return "other failure"
    case let .progress(done, total) where done == total: return "complete"
    case .progress(done: let d, of: let t): return "\(d) of \(t)"
    }
}
print(describe(.ok(3)), describe(.failed(MyError.http(500))), describe(.failed(CancellationError())))
print(describe(.progress(done: 2, of: 2)), describe(Outcome.progress(done: 1, of: 4)))
print(Outcome.failed(MyError.boom))
print(Outcome.progress(done: 1, of: 3))
print(String(reflecting: Outcome.ok(5)))
let maybe: MyError? = .http(404)
print([MyError.boom], maybe as Any)
)SW");
    CHECK(r.lines == Lines{"ok 3 mine http(500) other failure", "complete 1 of 4", "failed(main.MyError.boom)",
                           "progress(done: 1, of: 3)", "main.Outcome.ok(5)",
                           "[main.MyError.boom] Optional(main.MyError.http(404))"});
}

TEST_CASE("enums compare with == by case and associated values") {
    auto r = run(R"SW(
enum Step: Equatable { case idle, moved(Int) }
print(Step.moved(1) == .moved(1), Step.moved(1) == .moved(2), Step.idle == .idle, Step.idle != .moved(0))
)SW");
    CHECK(r.lines == Lines{"true false true true"});
}

TEST_CASE("raw values: Int counting on from the last written one, String defaulting to the case name") {
    auto r = run(R"SW(
enum Code: Int { case a = 1, b, c = 10, d }
enum Dir: String, CaseIterable { case north, south = "S" }
print(Code.b.rawValue, Code.d.rawValue, Code(rawValue: 10) as Any, Code(rawValue: 7) as Any)
print(Dir.allCases, Dir.south.rawValue, Dir.north.rawValue)
if let d = Dir(rawValue: "S") { print("found \(d)") }
)SW");
    CHECK(r.lines == Lines{"2 11 Optional(main.Code.c) nil", "[main.Dir.north, main.Dir.south] S north", "found south"});
}

TEST_CASE("an enum method switches over self, with and without an explicit return") {
    auto r = run(R"SW(
enum Phase {
    case waiting, running(Int), done
    func label() -> String {
        switch self {
        case .waiting: "waiting"
        case .running(let n): "running \(n)"
        case .done: "done"
        }
    }
    func isActive() -> Bool {
        if case .running = self { return true }
        return false
    }
}
for p in [Phase.waiting, .running(2), .done] { print(p.label(), p.isActive()) }
)SW");
    CHECK(r.lines == Lines{"waiting false", "running 2 true", "done false"});
}

TEST_CASE("tuple, type, cast and Optional patterns") {
    auto r = run(R"SW(
import Foundation
for p in [(0, 1), (2, 0), (3, 4)] {
    switch p {
    case (0, _): print("on the y axis")
    case (let x, 0): print("on the x axis at \(x)")
    case let (x, y): print("at \(x), \(y)")
    }
}
let errors: [Error] = [CancellationError(), URLError(.timedOut)]
for e in errors {
    switch e {
    case is CancellationError: print("cancelled")
    case let u as URLError: print("url error \(u.code == .timedOut)")
    default: print("other")
    }
}
let maybe: [Int?] = [4, nil]
for m in maybe {
    switch m {
    case .some(let x) where x > 3: print("big \(x)")
    case let x?: print("small \(x)")
    case nil: print("nothing")
    }
}
)SW");
    CHECK(r.lines == Lines{"on the y axis", "on the x axis at 2", "at 3, 4", "cancelled", "url error true", "big 4", "nothing"});
}

TEST_CASE("fallthrough runs the next case body, and break leaves the switch but not the loop") {
    auto r = run(R"SW(
for n in 1...3 {
    switch n {
    case 1:
        print("one")
        fallthrough
    case 2:
        print("one or two")
    default:
        if n == 3 { break }
        print("never")
    }
    print("after \(n)")
}
)SW");
    CHECK(r.lines == Lines{"one", "one or two", "after 1", "one or two", "after 2", "after 3"});
}

TEST_CASE("a switch that matches nothing is a runtime error, not a skipped statement") {
    auto r = run(R"SW(
let n = 7
switch n {
case 1: print("one")
case 2: print("two")
}
print("unreachable")
)SW");
    CHECK(r.lines.empty());
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message == "no case of this `switch` matches 7");
    CHECK(r.status.diagnostic->kind == DiagnosticKind::misuse);
}

TEST_CASE("if case, guard case, while case and for case … where") {
    auto r = run(R"SW(
enum Job { case queued, finished(String) }
let jobs = [Job.finished("a"), .queued, .finished("b")]
if case .finished(let name) = jobs[0] { print("first finished \(name)") }
func firstName(_ j: Job) -> String {
    guard case .finished(let n) = j else { return "-" }
    return n
}
print(firstName(jobs[1]), firstName(jobs[2]))
for case .finished(let n) in jobs where n != "a" { print("later \(n)") }
let xs: [Int?] = [1, nil, 3]
for case let x? in xs { print("got \(x)") }
for i in 0..<6 where i % 3 == 0 { print("third \(i)") }
var stack = [1, 2]
while case let top? = stack.popLast() { print("pop \(top)") }
let pair: (Int, Int)? = (1, 2)
if let (a, b) = pair { print(a + b) }
)SW");
    CHECK(r.lines == Lines{"first finished a", "- b", "later b", "got 1", "got 3", "third 0", "third 3", "pop 2", "pop 1", "3"});
}

TEST_CASE("repeat while runs the body once before testing, and continue goes to the test") {
    auto r = run(R"SW(
var n = 10
repeat {
    print("body \(n)")
    n += 1
} while n < 3
var k = 0
repeat {
    k += 1
    if k == 2 { continue }
    print("k \(k)")
} while k < 3
)SW");
    CHECK(r.lines == Lines{"body 10", "k 1", "k 3"});
}

TEST_CASE("labelled break and continue reach the named loop, if, do or switch") {
    auto r = run(R"SW(
outer: for i in 0..<3 {
    for j in 0..<3 {
        if j == 2 { continue outer }
        if i == 2 { break outer }
        print(i, j)
    }
}
check: if true {
    print("in if")
    break check
}
block: do {
    print("in do")
    break block
}
var turns = 0
spin: while true {
    turns += 1
    switch turns {
    case 3: break spin
    default: continue spin
    }
}
print("turns \(turns)")
)SW");
    CHECK(r.lines == Lines{"0 0", "0 1", "1 0", "1 1", "in if", "in do", "turns 3"});
}

TEST_CASE("catch with several patterns and an enum payload pattern with where") {
    auto r = run(R"SW(
enum NetError: Error { case http(Int), offline, timeout }
func attempt(_ e: NetError) {
    do {
        throw e
    } catch NetError.http(let code) where code >= 500 {
        print("server \(code)")
    } catch NetError.offline, NetError.timeout {
        print("no network")
    } catch {
        print("other \(error)")
    }
}
attempt(.http(503))
attempt(.timeout)
attempt(.http(404))
)SW");
    CHECK(r.lines == Lines{"server 503", "no network", "other http(404)"});
}

TEST_CASE("if and switch used as values") {
    auto r = run(R"SW(
let n = 3
let size = if n > 2 { "big" } else { "small" }
let word = switch n { case 1: "one" case 2, 3: "a few" default: "many" }
func grade(_ s: Int) -> String {
    if s >= 90 { "A" } else if s >= 80 { "B" } else { "C" }
}
print(size, word, grade(95), grade(85), grade(10))
)SW");
    CHECK(r.lines == Lines{"big a few A B C"});
}

TEST_CASE("a switch on await group.next() takes results as children finish") {
    auto r = run(R"SW(
enum Download { case done(String, bytes: Int), failed(String) }
await withTaskGroup(of: Download.self) { group in
    for (name, delay) in [("b", 200), ("a", 100), ("c", 300)] {
        group.addTask {
            try? await Task.sleep(for: .milliseconds(delay))
            return name == "c" ? .failed(name) : .done(name, bytes: delay * 10)
        }
    }
    while true {
        switch await group.next() {
        case .done(let name, let bytes)?: print("\(name): \(bytes) bytes")
        case .failed(let name)?: print("\(name) failed")
        case nil: print("all done"); return
        }
    }
}
)SW");
    CHECK(r.lines == Lines{"a: 1000 bytes", "b: 2000 bytes", "c failed", "all done"});
    CHECK(r.times == std::vector<Tick>{ms(100), ms(200), ms(300), ms(300)});
}

TEST_CASE("a labelled loop in a task stops at Task.isCancelled") {
    auto r = run(R"SW(
let worker = Task {
    var rounds = 0
    work: while true {
        for step in 1...2 {
            if Task.isCancelled { break work }
            try? await Task.sleep(for: .milliseconds(100))
            if step == 2 { rounds += 1 }
        }
    }
    print("stopped after \(rounds) rounds")
}
try? await Task.sleep(for: .milliseconds(450))
worker.cancel()
await worker.value
)SW");
    CHECK(r.lines == Lines{"stopped after 2 rounds"});
    CHECK(r.times == std::vector<Tick>{ms(450)});
}

TEST_CASE("a nested enum's cases are found from an implicit member, and .some takes an Optional apart") {
    auto r = run(R"SW(
struct Job {
    enum State: Equatable { case waiting, running(Int) }
    var state: State
}
let job = Job(state: .running(3))
print(job.state == .running(3))
let maybe: Job.State? = .running(1)
if case .some(.running(let v)) = maybe { print("running \(v)") }
let none: Job.State? = nil
switch none {
case .none: print("no state")
case .some: print("a state")
}
)SW");
    CHECK(r.lines == Lines{"true", "running 1", "no state"});
}

TEST_CASE("an if or switch value whose branch or subject awaits suspends the task") {
    auto r = run(R"SW(
func slow(_ x: Int) async -> Int {
    try? await Task.sleep(for: .milliseconds(100))
    return x * 2
}
let value = if true { await slow(21) } else { 0 }
print(value)
let kind = switch await slow(1) {
case 2: "two"
default: "other"
}
print(kind)
)SW");
    CHECK(r.lines == Lines{"42", "two"});
    CHECK(r.times == std::vector<Tick>{ms(100), ms(200)});
}

TEST_CASE("an indirect enum is evaluated by a recursive switch and prints its nested payloads") {
    auto r = run(R"SW(
indirect enum Expr {
    case number(Int)
    case add(Expr, Expr)
    case mul(Expr, Expr)
}
func eval(_ e: Expr) -> Int {
    switch e {
    case .number(let n): return n
    case let .add(a, b): return eval(a) + eval(b)
    case let .mul(a, b): return eval(a) * eval(b)
    }
}
let e = Expr.add(.number(2), .mul(.number(3), .number(4)))
print(eval(e))
print(e)
)SW");
    CHECK(r.lines == Lines{"14", "add(main.Expr.number(2), main.Expr.mul(main.Expr.number(3), main.Expr.number(4)))"});
}
