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

using namespace tasklab;

namespace {
using Lines = std::vector<std::string>;

struct Ran {
    Lines lines;
    std::vector<Tick> times;
    RunStatus status;
    std::string error;  ///< the rendered runtime error, if the run ended with one
    std::vector<WaitingTask> suspensions;  ///< every task_suspended: reason, related, what
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) {
        r.lines.push_back(l.text);
        r.times.push_back(l.time);
    }
    r.status = c.status();
    if (r.status.diagnostic) r.error = render(*file, *r.status.diagnostic);
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) {
        const Event e = c.trace().at(i);
        if (e.kind != EventKind::task_suspended) continue;
        r.suspensions.push_back(WaitingTask{e.task, TaskState::suspended, static_cast<WaitReason>(e.detail), e.related,
                                            std::string(c.trace().payload_text(e))});
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
