// `while let` through real Swift source: the group loop `while let x = try await group.next()`,
// mixed conditions, and a binding made afresh on every turn. Expected lines are what the real
// Swift 6.3 runtime prints (the group programs have twins in tests/swift_oracle/corpus/).
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

constexpr Tick ms(std::int64_t n) { return n * k_millisecond; }
}  // namespace

TEST_CASE("while let x = try await group.next() takes each child's result as it finishes, then ends at nil") {
    auto r = run(R"SW(
func fetch(_ n: Int) async throws -> Int {
    try await Task.sleep(for: .milliseconds(200 * n))
    return n * n
}
let total = try await withThrowingTaskGroup(of: Int.self) { group in
    for n in [3, 1, 4, 2] {
        group.addTask { try await fetch(n) }
    }
    var sum = 0
    while let value = try await group.next() {
        print("got \(value)")
        sum += value
    }
    return sum
}
print("total \(total)")
)SW");
    CHECK(r.lines == Lines{"got 1", "got 4", "got 9", "got 16", "total 30"});
    CHECK(r.times == std::vector<Tick>{ms(200), ms(400), ms(600), ms(800), ms(800)});
    CHECK(r.status.state == RunState::finished);
}

TEST_CASE("a child's error thrown by next() inside while let leaves the loop and the group") {
    auto r = run(R"SW(
struct Boom: Error {}
do {
    try await withThrowingTaskGroup(of: Int.self) { group in
        group.addTask { try await Task.sleep(for: .milliseconds(100)); return 1 }
        group.addTask { try await Task.sleep(for: .milliseconds(200)); throw Boom() }
        while let value = try await group.next() {
            print("got \(value)")
        }
        print("not reached")
    }
} catch {
    print("caught \(error)")
}
)SW");
    CHECK(r.lines == Lines{"got 1", "caught Boom()"});
    CHECK(r.times == std::vector<Tick>{ms(100), ms(200)});
}

TEST_CASE("while with a Boolean condition before the binding stops early; waitForAll waits for the rest") {
    auto r = run(R"SW(
func work(_ n: Int) async -> Int {
    try? await Task.sleep(for: .milliseconds(200 * n))
    print("child \(n): done")
    return n * 10
}
await withTaskGroup(of: Int.self) { group in
    for n in 1...4 {
        group.addTask { await work(n) }
    }
    var seen = 0
    while seen < 2, let value = await group.next() {
        print("got \(value)")
        seen += 1
    }
    print("stopped after \(seen)")
    await group.waitForAll()
    print("waitForAll returned")
}
)SW");
    CHECK(r.lines == Lines{"child 1: done", "got 10", "child 2: done", "got 20", "stopped after 2", "child 3: done",
                           "child 4: done", "waitForAll returned"});
    CHECK(r.times.back() == ms(800));
}

TEST_CASE("while let binds afresh on every turn: closures keep their own value, continue and break work, the name is gone after") {
    auto r = run(R"SW(
var stack = [1, 2, 3, 4, 5]
var kept: [() -> Int] = []
while let top = stack.popLast(), top > 1 {
    if top == 4 { continue }
    kept.append { top }
    if top == 3 { break }
}
print(kept.map { $0() }, stack)
let top = "outer"
print(top)
)SW");
    CHECK(r.lines == Lines{"[5, 3] [1, 2]", "outer"});
}

TEST_CASE("while let outside an async context runs synchronously too") {
    auto r = run(R"SW(
func drain(_ xs: [Int]) -> Int {
    var xs = xs
    var n = 0
    while let x = xs.first {
        n += x
        xs.removeFirst()
    }
    return n
}
print(drain([1, 2, 3]))
)SW");
    CHECK(r.lines == Lines{"6"});
}
