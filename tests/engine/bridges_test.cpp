// Continuations, AsyncStream, Mutex, NSLock and Result through real Swift source. Expected
// lines are what the real Swift 6.3 runtime prints; the runtime behaviours have twins in
// tests/swift_oracle/corpus/ (continuation_*, stream_*, mutex_nslock, group_next_result).
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

struct Ran : swift_run_support::SwiftRun {
    std::vector<std::string> suspended_on;  ///< the wait text of every task_suspended event
    std::vector<std::string> lints;         ///< continuation_leaked lint texts
    std::size_t handler_runs = 0;
};

Ran run(const std::string& text) {
    Ran r;
    static_cast<swift_run_support::SwiftRun&>(r) = swift_run_support::run_swift(text);
    const Trace& trace = r.controller->trace();
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const Event e = trace.at(i);
        if (e.kind == EventKind::task_suspended && e.payload != 0) r.suspended_on.push_back(trace.string(e.payload));
        if (e.kind == EventKind::lint && e.detail == static_cast<std::uint8_t>(LintKind::continuation_leaked))
            r.lints.push_back(trace.string(e.payload));
        if (e.kind == EventKind::handler_ran) ++r.handler_runs;
    }
    return r;
}

bool contains(const std::vector<std::string>& xs, const std::string& x) {
    for (const auto& s : xs)
        if (s == x) return true;
    return false;
}

constexpr Tick ms(std::int64_t n) { return n * k_millisecond; }
}  // namespace

// ---------------------------------------------------------------------------------------
// Continuations
// ---------------------------------------------------------------------------------------

TEST_CASE("a continuation resumed from a GCD block wakes its task at the block's instant") {
    auto r = run(R"SW(
import Foundation
func score(for name: String) async -> Int {
    await withCheckedContinuation { continuation in
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            continuation.resume(returning: name.count * 10)
        }
        print("body returned")
    }
}
let a = await score(for: "ada")
print("ada: \(a)")
)SW");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"body returned", "ada: 30"});
    CHECK(r.times == std::vector<Tick>{0, ms(300)});
    CHECK(contains(r.suspended_on, "withCheckedContinuation in score(for:)"));
}

TEST_CASE("a continuation resumed inside its body lets the task go on without waiting") {
    auto r = run(R"SW(
let v: Int = await withUnsafeContinuation { c in
    c.resume(returning: 5)
    print("resumed in the body")
}
print(v)
await withCheckedContinuation { c in c.resume() }
print("void resume")
)SW");
    CHECK(r.lines == Lines{"resumed in the body", "5", "void resume"});
    CHECK(r.suspended_on.empty());
}

TEST_CASE("a throwing continuation rethrows resume(throwing:) and resume(with:) carries a Result") {
    auto r = run(R"SW(
struct NotFound: Error {}
func find(_ ok: Bool) async throws -> String {
    try await withCheckedThrowingContinuation { c in
        Task {
            try? await Task.sleep(for: .milliseconds(100))
            if ok { c.resume(returning: "found") } else { c.resume(throwing: NotFound()) }
        }
    }
}
func viaResult(_ ok: Bool) async throws -> Int {
    try await withCheckedThrowingContinuation { c in
        let r: Result<Int, Error> = ok ? .success(1) : .failure(NotFound())
        c.resume(with: r)
    }
}
print(try await find(true))
do { _ = try await find(false) } catch { print("caught \(error)") }
print(try await viaResult(true))
do { _ = try await viaResult(false) } catch { print("caught \(error)") }
)SW");
    CHECK(r.lines == Lines{"found", "caught NotFound()", "1", "caught NotFound()"});
}

TEST_CASE("resuming a checked continuation twice is the runtime's trap at the second resume") {
    auto r = run(R"SW(
func twice() async -> Int {
    await withCheckedContinuation { c in
        c.resume(returning: 1)
        print("once")
        c.resume(returning: 2)
        print("never")
    }
}
_ = await twice()
)SW");
    CHECK(r.lines == Lines{"once"});
    REQUIRE(r.status.state == RunState::runtime_error);
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message ==
          "SWIFT TASK CONTINUATION MISUSE: twice() tried to resume its continuation more than once, returning 2!");
    CHECK(r.status.stderr_text.find("Fatal error: SWIFT TASK CONTINUATION MISUSE") == 0);
}

TEST_CASE("a checked continuation dropped unresumed warns on stderr and its task waits forever") {
    auto r = run(R"SW(
func forgetful() async -> Int {
    await withCheckedContinuation { (c: CheckedContinuation<Int, Never>) in print("forgot") }
}
let t = Task {
    _ = await forgetful()
    print("never")
}
try await Task.sleep(for: .milliseconds(300))
t.cancel()
try await Task.sleep(for: .milliseconds(300))
print("main ends")
)SW");
    CHECK(r.lines == Lines{"forgot", "main ends"});
    CHECK(r.status.state == RunState::finished);
    const std::string warning =
        "SWIFT TASK CONTINUATION MISUSE: forgetful() leaked its continuation without resuming it. This may cause tasks "
        "waiting on it to remain suspended forever.";
    CHECK(r.status.warnings == warning + "\n");
    CHECK(r.lints == std::vector<std::string>{warning});
}

TEST_CASE("a continuation kept in a variable is not leaked, and main waiting on it forever is a deadlock") {
    auto r = run(R"SW(
var saved: CheckedContinuation<Int, Never>? = nil
let v = await withCheckedContinuation { c in saved = c }
print(v)
)SW");
    CHECK(r.lines.empty());
    CHECK(r.status.state == RunState::deadlock);
    CHECK(r.status.warnings.empty());
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message.find("deadlock") == 0);
    REQUIRE(r.status.diagnostic->notes.size() == 1);
    CHECK(r.status.diagnostic->notes[0].find("main waits for withCheckedContinuation in main") == 0);
}

TEST_CASE("top-level code names its continuation after the module, and the function: argument overrides it") {
    auto r = run(R"SW(
await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in }
)SW");
    CHECK(r.status.warnings.find("SWIFT TASK CONTINUATION MISUSE: main leaked") == 0);
    auto named = run(R"SW(
await withCheckedContinuation(function: "custom") { (c: CheckedContinuation<Void, Never>) in }
)SW");
    CHECK(named.status.warnings.find("SWIFT TASK CONTINUATION MISUSE: custom leaked") == 0);
}

TEST_CASE("cancelling a task does not resume its continuation; a cancellation handler around it can") {
    auto r = run(R"SW(
final class Box { var c: CheckedContinuation<String, Never>? = nil }
let box = Box()
let waiter = Task {
    let answer = await withTaskCancellationHandler {
        await withCheckedContinuation { c in box.c = c }
    } onCancel: {
        box.c?.resume(returning: "cancelled")
        box.c = nil
    }
    print("got \(answer)")
}
try await Task.sleep(for: .milliseconds(300))
waiter.cancel()
await waiter.value
print("done")
)SW");
    CHECK(r.lines == Lines{"got cancelled", "done"});
    CHECK(r.times == std::vector<Tick>{ms(300), ms(300)});
}

// ---------------------------------------------------------------------------------------
// AsyncStream
// ---------------------------------------------------------------------------------------

TEST_CASE("an AsyncStream hands values to for await and ends it at finish, calling onTermination inside finish") {
    auto r = run(R"SW(
let s = AsyncStream<Int> { c in
    c.onTermination = { reason in print("terminated \(reason)") }
    Task {
        for n in 1...2 {
            try? await Task.sleep(for: .milliseconds(100))
            c.yield(n)
        }
        c.finish()
        print("after finish \(c.yield(3))")
    }
}
for await n in s { print("got \(n)") }
print("loop ended")
)SW");
    CHECK(r.lines == Lines{"got 1", "terminated finished", "after finish terminated", "got 2", "loop ended"});
    CHECK(contains(r.suspended_on, "next() on s"));
}

TEST_CASE("cancelling the consumer calls onTermination(.cancelled) inside cancel() and its next() returns nil") {
    auto r = run(R"SW(
let (ticks, continuation) = AsyncStream.makeStream(of: Int.self)
continuation.onTermination = { reason in print("onTermination: \(reason)") }
let consumer = Task {
    for await t in ticks { print("tick \(t)") }
    print("loop ended, isCancelled = \(Task.isCancelled)")
}
try await Task.sleep(for: .milliseconds(100))
continuation.yield(1)
try await Task.sleep(for: .milliseconds(100))
consumer.cancel()
print("cancel returned")
await consumer.value
print(continuation.yield(2))
)SW");
    CHECK(r.lines == Lines{"tick 1", "onTermination: cancelled", "cancel returned", "loop ended, isCancelled = true", "terminated"});
    CHECK(r.handler_runs >= 1);
}

TEST_CASE("yield answers enqueued, dropped or terminated under each buffering policy") {
    auto r = run(R"SW(
let newest = AsyncStream<Int>(bufferingPolicy: .bufferingNewest(1)) { c in
    print(c.yield(1), c.yield(2))
    c.finish()
}
for await n in newest { print("newest \(n)") }
let oldest = AsyncStream<Int>(bufferingPolicy: .bufferingOldest(1)) { c in
    print(c.yield(1), c.yield(2))
    c.finish()
}
for await n in oldest { print("oldest \(n)") }
let all = AsyncStream<Int> { c in print(c.yield(1)) }
)SW");
    CHECK(r.lines == Lines{"enqueued(remaining: 0) dropped(1)", "newest 2", "enqueued(remaining: 0) dropped(2)", "oldest 1",
                           "enqueued(remaining: 9223372036854775807)"});
}

TEST_CASE("an AsyncThrowingStream gives its buffered values, then the finish error once, then nil") {
    auto r = run(R"SW(
struct Broken: Error {}
let s = AsyncThrowingStream<Int, Error> { c in
    c.onTermination = { reason in print("terminated \(reason)") }
    c.yield(1)
    c.finish(throwing: Broken())
}
var it = s.makeAsyncIterator()
print(try await it.next() as Any)
do {
    for try await x in s { print("never \(x)") }
} catch {
    print("caught \(error)")
}
print(try await it.next() as Any)
)SW");
    CHECK(r.lines == Lines{"terminated finished(Optional(Broken()))", "Optional(1)", "caught Broken()", "nil"});
}

TEST_CASE("a second task awaiting next() on one stream is the runtime's fatal error") {
    auto r = run(R"SW(
let (s, c) = AsyncStream.makeStream(of: Int.self)
let a = Task { for await x in s { print(x) } }
let b = Task { for await x in s { print(x) } }
try await Task.sleep(for: .milliseconds(100))
)SW");
    REQUIRE(r.status.state == RunState::runtime_error);
    CHECK(r.status.diagnostic->message == "attempt to await next() on more than one task");
}

// ---------------------------------------------------------------------------------------
// Mutex, NSLock, Result, task-group extras
// ---------------------------------------------------------------------------------------

TEST_CASE("Mutex.withLock passes its state inout and returns the body's value") {
    auto r = run(R"SW(
import Synchronization
let m = Mutex(0)
for _ in 0..<3 { m.withLock { $0 += 1 } }
let doubled = m.withLock { value -> Int in
    value *= 2
    return value
}
print(doubled, m.withLock { $0 })
)SW");
    CHECK(r.lines == Lines{"6 6"});
}

TEST_CASE("NSLock blocks a second task in lock() until the holder unlocks") {
    auto r = run(R"SW(
import Foundation
let lock = NSLock()
// Detached: a plain Task {} would share the main actor with the top-level code, and main's
// blocking lock() would then keep the holder from ever running again (a real deadlock).
let holder = Task.detached {
    lock.lock()
    print("holder locked")
    try? await Task.sleep(for: .milliseconds(200))
    lock.unlock()
    print("holder unlocked")
}
try await Task.sleep(for: .milliseconds(100))
print("try: \(lock.try())")
lock.lock()
print("main locked")
lock.unlock()
print(lock.withLock { "inside" })
await holder.value
)SW");
    CHECK(r.lines == Lines{"holder locked", "try: false", "holder unlocked", "main locked", "inside"});
    CHECK(r.times[3] == ms(200));
    CHECK(contains(r.suspended_on, "lock() on lock"));
}

TEST_CASE("Result prints its case, get() returns or throws, and Result { } catches") {
    auto r = run(R"SW(
struct Boom: Error {}
func risky(_ ok: Bool) throws -> Int { if ok { return 3 }; throw Boom() }
let a: Result<Int, Error> = .success(1)
let b = Result<Int, Error>.failure(Boom())
print(a, b)
print(try a.get())
do { _ = try b.get() } catch { print("get threw \(error)") }
let c = Result { try risky(true) }
let d = Result { try risky(false) }
print(c, d)
)SW");
    CHECK(r.lines == Lines{"success(1) failure(Boom())", "1", "get threw Boom()", "success(3) failure(Boom())"});
}

TEST_CASE("group.contains takes children in the order they finish until one matches, and rethrows a child's error") {
    auto r = run(R"SW(
struct Flaky: Error {}
let found = await withTaskGroup(of: Int.self) { group in
    for n in [3, 1, 2] { group.addTask { try? await Task.sleep(for: .milliseconds(100 * n)); return n * 10 } }
    print(await group.contains(20))
    print(await group.contains { $0 > 99 })
    return group.isEmpty
}
print("drained: \(found)")
do {
    _ = try await withThrowingTaskGroup(of: Int.self) { group in
        group.addTask { try await Task.sleep(for: .milliseconds(100)); throw Flaky() }
        group.addTask { try await Task.sleep(for: .milliseconds(300)); return 7 }
        return try await group.contains(7)
    }
} catch {
    print("caught \(error)")
}
)SW");
    CHECK(r.lines == Lines{"true", "false", "drained: true", "caught Flaky()"});
    CHECK(r.times[0] == ms(200));  // the 20 came second; the 30 was still running
    CHECK(r.times[1] == ms(300));
    CHECK(r.times[3] == ms(400));  // the error of the first child, 100 ms into the second group
}

TEST_CASE("nextResult() wraps each child's outcome in a Result and a group iterator's next() drains it") {
    auto r = run(R"SW(
struct Failed: Error {}
try await withThrowingTaskGroup(of: Int.self) { group in
    group.addTask { throw Failed() }
    print(await group.nextResult() as Any)
    group.addTask { 2 }
    print(await group.nextResult() as Any)
    print(await group.nextResult() as Any)
}
await withTaskGroup(of: Int.self) { group in
    group.addTask { 1 }
    var it = group.makeAsyncIterator()
    while let n = await it.next() { print("iterator \(n)") }
    print(group.isEmpty)
}
)SW");
    CHECK(r.lines == Lines{"Optional(Swift.Result<Swift.Int, Swift.Error>.failure(Failed()))",
                           "Optional(Swift.Result<Swift.Int, Swift.Error>.success(2))", "nil", "iterator 1", "true"});
}

// ---------------------------------------------------------------------------------------
// Signatures and generic code from real programs
// ---------------------------------------------------------------------------------------

TEST_CASE("a generic parameter is a type value in the body: withTaskGroup(of: (Int, B).self)") {
    auto r = run(R"SW(
func collect<B: Sendable>(_ items: [B]) async -> [B?] {
    await withTaskGroup(of: (Int, B).self) { group in
        for (i, x) in items.enumerated() {
            group.addTask { (i, x) }
        }
        var out = [B?](repeating: nil, count: items.count)
        for await (i, x) in group { out[i] = x }
        return out
    }
}
let got = await collect(["a", "b"])
print(got.compactMap { $0 })
)SW");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"[\"a\", \"b\"]"});
}

TEST_CASE("a static method calls its type's other static methods unqualified, and self is the type") {
    auto r = run(R"SW(
struct Util {
    static func double(_ x: Int) -> Int { x * 2 }
    static func quad(_ x: Int) -> Int { double(double(x)) }
    static func viaSelf(_ x: Int) -> Int { self.double(x) + 1 }
}
print(Util.quad(3), Util.viaSelf(1))
)SW");
    CHECK(r.lines == Lines{"12 3"});
}

TEST_CASE("a function whose effects start on a new line runs as an async function") {
    auto r = run("func work(\n    _ n: Int\n)\n    async -> Int\n{\n    try? await Task.sleep(for: .milliseconds(100))\n    return n + 1\n}\nprint(await work(1))\n");
    CHECK(r.lines == Lines{"2"});
    CHECK(r.times == std::vector<Tick>{ms(100)});
}
