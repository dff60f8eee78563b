// GCD blocking through real Swift source: a serial queue's `sync` waiting for the blocks
// before it, DispatchWorkItem.wait(timeout:), DispatchGroup and DispatchSemaphore on the
// virtual clock. Expected lines and instants are what the real Swift 6.3 runtime prints
// (each program here has a twin in tests/swift_oracle/corpus/ checked by the real toolchain).
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
    std::vector<WaitingTask> suspensions;  ///< every task_suspended: reason, related, what
};

Ran run(const std::string& text) {
    Ran r;
    static_cast<swift_run_support::SwiftRun&>(r) = swift_run_support::run_swift(text);
    const Trace& trace = r.controller->trace();
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const Event e = trace.at(i);
        if (e.kind != EventKind::task_suspended) continue;
        r.suspensions.push_back(WaitingTask{e.task, TaskState::suspended, static_cast<WaitReason>(e.detail), e.related,
                                            std::string(trace.payload_text(e))});
    }
    return r;
}

constexpr Tick ms(std::int64_t n) { return n * k_millisecond; }
}  // namespace

TEST_CASE("a serial queue's sync waits for the async block running there, then runs on the caller") {
    auto r = run(R"SW(
import Foundation
let queue = DispatchQueue(label: "serial")
queue.async {
    print("async block: start")
    Thread.sleep(forTimeInterval: 0.5)
    print("async block: end")
}
Thread.sleep(forTimeInterval: 0.1)
queue.sync {
    print("sync block")
}
print("main: sync returned")
)SW");
    CHECK(r.lines == Lines{"async block: start", "async block: end", "sync block", "main: sync returned"});
    CHECK(r.times == std::vector<Tick>{0, ms(500), ms(500), ms(500)});
    // The main task waited for the queue's slot, in the trace as queue_slot on that queue.
    bool waited = false;
    for (const auto& s : r.suspensions) waited |= s.reason == WaitReason::queue_slot && s.what == "sync on serial";
    CHECK(waited);
}

TEST_CASE("sync queues behind every earlier block, returns its value, and holds the queue while it runs") {
    auto r = run(R"SW(
import Foundation
let queue = DispatchQueue(label: "serial")
queue.async {
    Thread.sleep(forTimeInterval: 0.3)
    print("first: done")
}
queue.async {
    Thread.sleep(forTimeInterval: 0.3)
    print("second: done")
}
let answer = queue.sync { () -> Int in
    print("sync block: start")
    Thread.sleep(forTimeInterval: 0.2)
    print("sync block: end")
    return 42
}
print("main: sync returned \(answer)")
queue.async {
    print("third: runs")
}
Thread.sleep(forTimeInterval: 0.2)
print("main: end")
)SW");
    CHECK(r.lines == Lines{"first: done", "second: done", "sync block: start", "sync block: end", "main: sync returned 42",
                           "third: runs", "main: end"});
    CHECK(r.times == std::vector<Tick>{ms(300), ms(600), ms(600), ms(800), ms(800), ms(800), ms(1000)});
}

TEST_CASE("an async block submitted while a sync block runs waits for it; a concurrent queue's sync runs at once") {
    auto r = run(R"SW(
import Foundation
let serial = DispatchQueue(label: "serial")
let wide = DispatchQueue(label: "wide", attributes: .concurrent)
wide.async {
    Thread.sleep(forTimeInterval: 0.5)
    print("wide: async done")
}
wide.sync { print("wide: sync runs at once") }
serial.sync {
    serial.async { print("serial: async after the sync") }
    Thread.sleep(forTimeInterval: 0.2)
    print("serial: sync done")
}
Thread.sleep(forTimeInterval: 1)
)SW");
    CHECK(r.lines == Lines{"wide: sync runs at once", "serial: sync done", "serial: async after the sync", "wide: async done"});
    CHECK(r.times == std::vector<Tick>{0, ms(200), ms(200), ms(500)});
}

TEST_CASE("sync on the serial queue the code already runs on is reported as the deadlock that crashes the real program") {
    auto r = run(R"SW(
import Foundation
let queue = DispatchQueue(label: "serial")
queue.sync {
    print("outer")
    queue.sync { print("inner") }
}
print("unreached")
)SW");
    CHECK(r.lines == Lines{"outer"});
    CHECK(r.status.state == RunState::runtime_error);
    CHECK(r.error.find("test.swift:6:5: error: `sync` on the serial queue \"serial\" is called from code already running on it") !=
          std::string::npos);
}

TEST_CASE("item.wait(timeout:) returns .timedOut at its deadline while the item still runs, and .success when it finishes first") {
    auto r = run(R"SW(
import Foundation
let slow = DispatchWorkItem {
    print("slow: start")
    Thread.sleep(forTimeInterval: 0.6)
    print("slow: end")
}
let quick = DispatchWorkItem {
    Thread.sleep(forTimeInterval: 0.2)
    print("quick: end")
}
DispatchQueue.global().async(execute: slow)
DispatchQueue.global().async(execute: quick)
let first = slow.wait(timeout: .now() + 0.3)
print("main: slow.wait -> \(first)")
let second = quick.wait(timeout: .now() + 1)
print("main: quick.wait -> \(second == .success ? "success" : "timedOut")")
Thread.sleep(forTimeInterval: 0.5)
print("main: end")
)SW");
    CHECK(r.lines == Lines{"slow: start", "quick: end", "main: slow.wait -> timedOut", "main: quick.wait -> success", "slow: end",
                           "main: end"});
    CHECK(r.times == std::vector<Tick>{0, ms(200), ms(300), ms(300), ms(600), ms(800)});
    bool waited = false;
    for (const auto& s : r.suspensions) waited |= s.reason == WaitReason::work_item && s.what == "wait(timeout:) for slow";
    CHECK(waited);
}

TEST_CASE("an item that already ran, or a wait without a deadline (.distantFuture), returns .success") {
    auto r = run(R"SW(
import Foundation
let item = DispatchWorkItem { print("item") }
item.perform()
print(item.wait(timeout: .now()))
let later = DispatchWorkItem { Thread.sleep(forTimeInterval: 2) }
DispatchQueue.global().async(execute: later)
print(later.wait(timeout: .distantFuture), "at 2 s")
)SW");
    CHECK(r.lines == Lines{"item", "success", "success at 2 s"});
    CHECK(r.times.back() == ms(2000));
}

TEST_CASE("DispatchGroup counts async(group:) and enter/leave: wait(timeout:) gives up, notify and wait() follow the last leave") {
    auto r = run(R"SW(
import Foundation
let group = DispatchGroup()
let queue = DispatchQueue.global()
queue.async(group: group) {
    Thread.sleep(forTimeInterval: 0.2)
    print("task 1: done")
}
queue.async(group: group) {
    Thread.sleep(forTimeInterval: 0.4)
    print("task 2: done")
}
group.enter()
queue.asyncAfter(deadline: .now() + 0.6) {
    print("manual: leave")
    group.leave()
}
group.notify(queue: queue) {
    print("notify: all done")
}
if group.wait(timeout: .now() + 0.3) == .timedOut {
    print("main: timed out at 0.3 s")
}
group.wait()
print("main: wait() returned")
Thread.sleep(forTimeInterval: 0.2)
print("main: end")
)SW");
    CHECK(r.lines == Lines{"task 1: done", "main: timed out at 0.3 s", "task 2: done", "manual: leave", "notify: all done",
                           "main: wait() returned", "main: end"});
    CHECK(r.times == std::vector<Tick>{ms(200), ms(300), ms(400), ms(600), ms(600), ms(600), ms(800)});
    int group_waits = 0;
    for (const auto& s : r.suspensions)
        group_waits += s.reason == WaitReason::work_item && (s.what == "wait(timeout:) for group" || s.what == "wait() for group");
    CHECK(group_waits == 2);
}

TEST_CASE("a group with nothing outstanding runs notify at once and wait() returns at once; it can be used again") {
    auto r = run(R"SW(
import Foundation
let group = DispatchGroup()
group.notify(queue: .global()) { print("notify 1") }
group.wait()
print("main: empty group waited")
Thread.sleep(forTimeInterval: 0.1)
DispatchQueue.global().async(group: group) {
    Thread.sleep(forTimeInterval: 0.5)
    print("second round: done")
}
group.notify(queue: .global()) { print("notify 2") }
print(group.wait(timeout: .now() + 1))
)SW");
    CHECK(r.lines == Lines{"main: empty group waited", "notify 1", "second round: done", "notify 2", "success"});
    CHECK(r.times == std::vector<Tick>{0, 0, ms(600), ms(600), ms(600)});
}

TEST_CASE("leave() without a matching enter() is reported as the real program's crash") {
    auto r = run(R"SW(
import Foundation
let group = DispatchGroup()
group.enter()
group.leave()
group.leave()
)SW");
    CHECK(r.status.state == RunState::runtime_error);
    CHECK(r.error.find("test.swift:6:1: error: `group.leave()` is called more often than `enter()`") != std::string::npos);
}

TEST_CASE("DispatchSemaphore: wait takes a unit or blocks until a signal, wait(timeout:) gives it back, signal says whether it woke someone") {
    auto r = run(R"SW(
import Foundation
let semaphore = DispatchSemaphore(value: 1)
let queue = DispatchQueue.global()
queue.async {
    semaphore.wait()
    print("worker A: in")
    Thread.sleep(forTimeInterval: 0.4)
    print("worker A: out")
    semaphore.signal()
}
Thread.sleep(forTimeInterval: 0.1)
queue.async {
    semaphore.wait()
    print("worker B: in")
    Thread.sleep(forTimeInterval: 0.3)
    let woke = semaphore.signal()
    print("worker B: out, woke a waiter: \(woke != 0)")
}
Thread.sleep(forTimeInterval: 0.1)
let result = semaphore.wait(timeout: .now() + 0.1)
print("main: first try \(result == .timedOut ? "timed out" : "succeeded")")
Thread.sleep(forTimeInterval: 0.2)
semaphore.wait()
print("main: in")
let woke = semaphore.signal()
print("main: out, woke a waiter: \(woke != 0)")
Thread.sleep(forTimeInterval: 0.2)
print("main: end")
)SW");
    CHECK(r.lines == Lines{"worker A: in", "main: first try timed out", "worker A: out", "worker B: in",
                           "worker B: out, woke a waiter: true", "main: in", "main: out, woke a waiter: false", "main: end"});
    CHECK(r.times == std::vector<Tick>{0, ms(300), ms(400), ms(400), ms(700), ms(700), ms(700), ms(900)});
    int semaphore_waits = 0;
    for (const auto& s : r.suspensions) semaphore_waits += s.reason == WaitReason::event && s.what.find("on semaphore") != std::string::npos;
    CHECK(semaphore_waits == 3);  // worker B, main's timed wait, main's wait()
}

TEST_CASE("a semaphore made with value 0 orders two threads: the waiter runs after the signal") {
    auto r = run(R"SW(
import Foundation
let done = DispatchSemaphore(value: 0)
DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) {
    print("worker: signal")
    done.signal()
}
done.wait()
print("main: after the signal")
)SW");
    CHECK(r.lines == Lines{"worker: signal", "main: after the signal"});
    CHECK(r.times == std::vector<Tick>{ms(500), ms(500)});
}
