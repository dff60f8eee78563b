// Actors and the main actor through real Swift source: an actor runs one task at a time, a
// blocking call keeps its actor, every await lets it go, a cancelled waiter keeps waiting, and
// which actor top-level code and `Task {}` start on. The expected lines and instants are what
// the real Swift 6.3 runtime prints (each program has a twin in tests/swift_oracle/corpus/).
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
    std::vector<Event> events;
    std::vector<TaskInfo> tasks;
    std::vector<ActorInfo> actors;
};

Ran run(const std::string& text) {
    Ran r;
    static_cast<swift_run_support::SwiftRun&>(r) = swift_run_support::run_swift(text);
    const Trace& trace = r.controller->trace();
    for (std::uint64_t i = 0; i < trace.size(); ++i) r.events.push_back(trace.at(i));
    r.tasks = trace.tasks();
    r.actors = trace.actors();
    return r;
}

TaskId task_named(const Ran& r, const std::string& name) {
    for (const TaskInfo& t : r.tasks)
        if (t.name == name) return t.id;
    return 0;
}

ActorId actor_named(const Ran& r, const std::string& name) {
    for (const ActorInfo& a : r.actors)
        if (a.name == name) return a.id;
    return 0;
}

constexpr Tick ms(std::int64_t n) { return n * k_millisecond; }
}  // namespace

TEST_CASE("an actor runs one caller at a time: a blocking method holds the others off in arrival order") {
    auto r = run(R"SW(
import Foundation
actor Counter {
    var value = 0
    func slow(_ who: String) {
        usleep(300_000)
        value += 1
        print("\(who) \(value)")
    }
}
let counter = Counter()
let first = Task.detached { await counter.slow("first") }
try await Task.sleep(for: .milliseconds(100))
let second = Task.detached { await counter.slow("second") }
try await Task.sleep(for: .milliseconds(100))
let third = Task.detached { await counter.slow("third") }
await first.value
await second.value
await third.value
)SW");
    CHECK(r.lines == Lines{"first 1", "second 2", "third 3"});
    CHECK(r.times == std::vector<Tick>{ms(300), ms(600), ms(900)});
    const ActorId counter = actor_named(r, "Counter");
    REQUIRE(counter != 0);
    // second and third waited for the actor, each held by the task before it; first's
    // thread-blocking call names the actor it kept.
    int waits = 0;
    bool blocked_holding = false;
    for (const Event& e : r.events) {
        if (e.kind == EventKind::actor_waiting && e.related == counter) {
            ++waits;
            CHECK(e.payload == task_named(r, "first"));
        }
        if (e.kind == EventKind::task_blocked && e.task == task_named(r, "first")) blocked_holding = e.related == counter;
    }
    CHECK(waits == 2);
    CHECK(blocked_holding);
}

TEST_CASE("an actor is free at every await: another caller runs in between (reentrancy)") {
    auto r = run(R"SW(
actor Account {
    var balance = 100
    func withdraw(_ amount: Int, _ who: String) async {
        guard balance >= amount else { print("\(who) declined"); return }
        print("\(who) sees \(balance)")
        try? await Task.sleep(for: .milliseconds(300))
        balance -= amount
        print("\(who) leaves \(balance)")
    }
}
let account = Account()
let a = Task { await account.withdraw(80, "a") }
try await Task.sleep(for: .milliseconds(100))
let b = Task { await account.withdraw(80, "b") }
await a.value
await b.value
)SW");
    CHECK(r.lines == Lines{"a sees 100", "b sees 100", "a leaves 20", "b leaves -60"});
    CHECK(r.times == std::vector<Tick>{0, ms(100), ms(300), ms(400)});
}

TEST_CASE("a cancelled task waiting for a busy actor keeps waiting and then runs cancelled") {
    auto r = run(R"SW(
import Foundation
actor Printer {
    func busy() { usleep(500_000); print("busy done") }
    func job() { print("job cancelled=\(Task.isCancelled)") }
}
let printer = Printer()
let holder = Task.detached { await printer.busy() }
try await Task.sleep(for: .milliseconds(100))
let waiter = Task.detached { await printer.job() }
try await Task.sleep(for: .milliseconds(100))
waiter.cancel()
print("cancelled")
await waiter.value
)SW");
    CHECK(r.lines == Lines{"cancelled", "busy done", "job cancelled=true"});
    CHECK(r.times == std::vector<Tick>{ms(200), ms(500), ms(500)});
    // The wait for the actor is not interruptible: the waiter resumes only when handed the actor.
    const TaskId waiter = task_named(r, "waiter");
    bool handed = false;
    for (const Event& e : r.events)
        if (e.kind == EventKind::actor_acquired && e.task == waiter) handed = e.payload == task_named(r, "holder") && e.time == ms(500);
    CHECK(handed);
}

TEST_CASE("top-level code runs on the main actor when it awaits, and Task {} made there inherits it") {
    auto r = run(R"SW(
import Foundation
let a = Task { print("a start"); usleep(500_000); print("a end") }
let b = Task { print("b start"); usleep(500_000); print("b end") }
await a.value
await b.value
)SW");
    CHECK(r.lines == Lines{"a start", "a end", "b start", "b end"});
    CHECK(r.times == std::vector<Tick>{0, ms(500), ms(500), ms(1000)});
    const ActorId main_actor = actor_named(r, "MainActor");
    CHECK(r.tasks[task_named(r, "main")].actor == main_actor);
    CHECK(r.tasks[task_named(r, "a")].actor == main_actor);
}

TEST_CASE("top-level code that never awaits is on no actor, except in Swift 6 mode") {
    const std::string body = R"SW(
import Foundation
let worker = Task { print("worker"); usleep(500_000) }
sleep(1)
print("main done")
)SW";
    auto plain = run(body);
    CHECK(plain.lines == Lines{"worker", "main done"});
    CHECK(plain.tasks[task_named(plain, "main")].actor == 0);
    CHECK(plain.tasks[task_named(plain, "worker")].actor == 0);

    auto six = run("// tasklab: swift-version 6\n" + body);
    CHECK(six.lines == Lines{"main done"});  // the task waits for the main thread until the end
    CHECK(six.tasks[task_named(six, "worker")].actor == actor_named(six, "MainActor"));
}

TEST_CASE("Task {} in an actor method takes the actor only when its closure uses it") {
    auto r = run(R"SW(
actor Store {
    var items = 0
    func plain() { Task { print("plain") } }
    func usesSelf() { Task { items += 1; print("uses self") } }
    func usesSelfExplicitly() { Task { print(self.items) } }
}
let store = Store()
await store.plain()
await store.usesSelf()
await store.usesSelfExplicitly()
try await Task.sleep(for: .milliseconds(10))
)SW");
    const ActorId store = actor_named(r, "Store");
    REQUIRE(store != 0);
    std::vector<ActorId> started;
    for (const TaskInfo& t : r.tasks)
        if (t.kind == TaskKind::unstructured) started.push_back(t.actor);
    CHECK(started == std::vector<ActorId>{0, store, store});
}

TEST_CASE("a nonisolated async function lets go of the main actor; a synchronous one keeps it") {
    auto r = run(R"SW(
import Foundation
func asyncWork() async { usleep(500_000) }
func syncWork() { usleep(500_000) }
let t1 = Task { try? await Task.sleep(for: .milliseconds(200)); print("t1") }
await asyncWork()
await t1.value
let t2 = Task { try? await Task.sleep(for: .milliseconds(200)); print("t2") }
try await Task.sleep(for: .milliseconds(100))
syncWork()
await t2.value
)SW");
    CHECK(r.lines == Lines{"t1", "t2"});
    CHECK(r.times == std::vector<Tick>{ms(200), ms(1100)});
}

TEST_CASE("MainActor.run and @MainActor functions hop to the main actor and back") {
    auto r = run(R"SW(
import Foundation
@MainActor func onMain() -> String { "on main" }
let worker = Task.detached {
    try? await Task.sleep(for: .milliseconds(100))
    let v = await MainActor.run { () -> Int in
        print("run")
        return 7
    }
    print(await onMain(), v)
}
usleep(300_000)
await worker.value
)SW");
    CHECK(r.lines == Lines{"run", "on main 7"});
    CHECK(r.times == std::vector<Tick>{ms(300), ms(300)});
}

TEST_CASE("a main actor held by a task that never wakes ends as a deadlock naming the holder") {
    auto r = run(R"SW(
import Foundation
let gate = DispatchSemaphore(value: 0)
let stuck = Task { gate.wait() }
let waiting = Task { print("never") }
await stuck.value
)SW");
    CHECK(r.lines.empty());
    CHECK(r.status.state == RunState::deadlock);
    REQUIRE(r.status.diagnostic);
    bool named = false;
    for (const std::string& n : r.status.diagnostic->notes)
        named = named || n.find("waiting waits for the actor MainActor (held by stuck)") != std::string::npos;
    CHECK(named);
}
