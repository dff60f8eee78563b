// The inspector through the Controller's public API (Controller::inspect): a task's local
// variables per frame, its cancel flag or cancelling() count, what it waits on and its result,
// at a step and again after stepping back (replay is exact).
#include <doctest/doctest.h>

#include <functional>
#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

std::shared_ptr<const ast::Program> parse_sw(const std::string& text) {
    auto file = std::make_shared<SourceFile>("inspect.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

std::shared_ptr<const ast::Program> parse_py(const std::string& text) {
    auto file = std::make_shared<SourceFile>("inspect.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

/// The task whose lane name starts with `prefix` (0 when none exists yet).
TaskId task_named(const Controller& c, const std::string& prefix) {
    const auto& tasks = c.trace().tasks();
    for (TaskId t = 1; t < tasks.size(); ++t)
        if (tasks[t].name.rfind(prefix, 0) == 0) return t;
    return 0;
}

/// The value of `name` in the innermost frame that has it ("" when none does).
std::string value_of(const TaskInspection& in, const std::string& name) {
    for (const InspectedScope& s : in.scopes)
        for (const InspectedVariable& v : s.variables)
            if (v.name == name) return v.value;
    return "";
}

/// Steps until `pred` holds after a step; fails the test when the run ends first.
void step_until(Controller& c, const std::function<bool()>& pred) {
    while (!pred()) REQUIRE_MESSAGE(c.step(), "the run ended before the condition held");
}

/// A task whose locals change at every await, and a cancel from main at 2.5 s.
const char* const k_swift_counter = R"SW(
func work(limit: Int) async -> Int {
    var total = 0
    var names: [String] = []
    for i in 1...limit {
        total += i
        names.append("n\(i)")
        try? await Task.sleep(for: .seconds(1))
    }
    return total
}
let t = Task { await work(limit: 3) }
try await Task.sleep(for: .milliseconds(2500))
t.cancel()
let v = await t.value
print(v)
)SW";

}  // namespace

TEST_CASE("the inspector shows a Swift task's locals per frame, innermost first, as Swift prints them") {
    Controller c(parse_sw(k_swift_counter));
    TaskId t = 0;
    step_until(c, [&] {
        t = task_named(c, "t");
        return t != 0 && value_of(c.inspect(t), "total") == "1";
    });
    const TaskInspection in = c.inspect(t);
    CHECK(in.task == t);
    CHECK(in.state == TaskState::suspended);
    CHECK(in.started);
    REQUIRE(in.scopes.size() == 2);
    CHECK(in.scopes[0].name == "work(limit:)");
    CHECK(in.scopes[0].line == 8);  // the sleep it waits in
    CHECK(in.scopes[1].name.rfind("closure", 0) == 0);
    CHECK(in.scopes[1].line == 12);  // the call of work(limit:)
    const auto& vars = in.scopes[0].variables;
    REQUIRE(vars.size() == 4);
    CHECK(vars[0].name == "limit");
    CHECK(vars[0].value == "3");
    CHECK(vars[0].type == "Int");
    CHECK(vars[1].name == "total");
    CHECK(vars[2].name == "names");
    CHECK(vars[2].value == "[\"n1\"]");
    CHECK(vars[3].name == "i");
    CHECK(vars[3].value == "1");
    // It waits on a timer that wakes it at 1 s.
    CHECK(in.waiting);
    CHECK(in.wait_reason == WaitReason::sleep);
    CHECK(in.deadline == 1 * k_second);
    CHECK(in.cancel_label == "Task.isCancelled");
    REQUIRE(in.is_cancelled.has_value());
    CHECK_FALSE(*in.is_cancelled);
    CHECK(in.result.empty());

    // The main task's frame is the top-level code with its globals (functions left out).
    const TaskInspection main = c.inspect(1);
    REQUIRE(main.scopes.size() == 1);
    CHECK(main.scopes[0].name == "top level");
    CHECK(value_of(main, "t") != "");
    CHECK(value_of(main, "work") == "");
}

TEST_CASE("stepping back shows the values a task had at that step again") {
    Controller c(parse_sw(k_swift_counter));
    const TaskId t = 2;
    step_until(c, [&] { return c.trace().tasks().size() > t && value_of(c.inspect(t), "total") == "3"; });
    const std::uint64_t at_three = c.step_index();
    CHECK(value_of(c.inspect(t), "names") == "[\"n1\", \"n2\"]");
    step_until(c, [&] { return value_of(c.inspect(t), "total") == "6"; });
    CHECK(value_of(c.inspect(t), "names") == "[\"n1\", \"n2\", \"n3\"]");
    c.replay_to(at_three);
    CHECK(c.step_index() == at_three);
    CHECK(value_of(c.inspect(t), "total") == "3");
    CHECK(value_of(c.inspect(t), "names") == "[\"n1\", \"n2\"]");
    CHECK(value_of(c.inspect(t), "i") == "2");
}

TEST_CASE("Task.isCancelled turns true in the inspector at the step that cancels the task, and the result shows at the end") {
    Controller c(parse_sw(k_swift_counter));
    const TaskId t = 2;
    step_until(c, [&] { return c.trace().tasks().size() > t && c.inspect(t).cancel_requests > 0; });
    const TaskInspection cancelled = c.inspect(t);
    REQUIRE(cancelled.is_cancelled.has_value());
    CHECK(*cancelled.is_cancelled);
    CHECK(cancelled.state == TaskState::ready);  // the cancel woke its sleep
    CHECK_FALSE(cancelled.outcome.has_value());
    // One step earlier the flag was still false.
    c.replay_to(c.step_index() - 1);
    CHECK_FALSE(*c.inspect(t).is_cancelled);

    c.run_until_idle();
    const TaskInspection done = c.inspect(t);
    CHECK(done.state == TaskState::finished);
    REQUIRE(done.outcome.has_value());
    CHECK(*done.outcome == Outcome::returned);
    CHECK(done.result == "6");
    CHECK_FALSE(done.result_is_error);
    CHECK(done.scopes.empty());
    CHECK(*done.is_cancelled);  // sticky
}

TEST_CASE("a Swift task that threw shows its error, and a task waiting on another names it") {
    Controller c(parse_sw(R"SW(
enum Failure: Error { case boom }
func fail() async throws -> Int {
    try await Task.sleep(for: .seconds(1))
    throw Failure.boom
}
let t = Task { try await fail() }
let r = try? await t.value
print(r as Any)
)SW"));
    step_until(c, [&] { return c.inspect(1).waiting && c.inspect(1).wait_reason == WaitReason::task; });
    CHECK(c.inspect(1).awaited_task == 2);
    c.run_until_idle();
    const TaskInspection in = c.inspect(2);
    REQUIRE(in.outcome.has_value());
    CHECK(*in.outcome == Outcome::threw);
    CHECK(in.result_is_error);
    CHECK(in.result == "main.Failure.boom");  // the debug form, as debugPrint shows an enum error
    // main finished too: its frames are gone with it.
    CHECK(c.inspect(1).outcome.has_value());
    CHECK(c.inspect(1).scopes.empty());
}

TEST_CASE("a GCD work item shows its closure's locals and its isCancelled flag") {
    Controller c(parse_sw(R"SW(
import Foundation
let queue = DispatchQueue(label: "work")
var item: DispatchWorkItem!
item = DispatchWorkItem {
    var done = 0
    for k in 1...3 {
        sleep(1)
        done += k
    }
    print(done)
}
queue.async(execute: item)
DispatchQueue.global().asyncAfter(deadline: .now() + 1.5) {
    item.cancel()
}
sleep(5)
)SW"));
    const TaskId item = 2;
    step_until(c, [&] { return c.trace().tasks().size() > item && value_of(c.inspect(item), "done") == "1"; });
    TaskInspection in = c.inspect(item);
    CHECK(in.kind == TaskKind::work_item);
    CHECK(in.cancel_label == "item.isCancelled");
    REQUIRE(in.is_cancelled.has_value());
    CHECK_FALSE(*in.is_cancelled);
    REQUIRE_FALSE(in.scopes.empty());
    CHECK(in.scopes[0].name.rfind("closure", 0) == 0);
    CHECK(value_of(in, "k") == "2");
    // The cancel at 1.5 s sets the flag; the item keeps running (GCD cancel is only a flag).
    step_until(c, [&] { return *c.inspect(item).is_cancelled; });
    in = c.inspect(item);
    CHECK(in.state != TaskState::finished);
    c.run_until_idle();
    CHECK(c.inspect(item).state == TaskState::finished);
    CHECK(c.inspect(item).result.empty());  // a work item returns nothing
}

namespace {

const char* const k_python_uncancel = R"PY(
import asyncio

async def worker():
    items = []
    for i in range(3):
        items.append(i * 10)
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            asyncio.current_task().uncancel()
            items.append("cancelled")
    return items

async def main():
    loop = [1]
    loop.append(loop)
    task = asyncio.create_task(worker())
    await asyncio.sleep(1.5)
    task.cancel()
    result = await task
    print(result)

asyncio.run(main())
)PY";

}  // namespace

TEST_CASE("an asyncio task's cancelling() count goes 0, 1, 0 with uncancel, and its local list grows") {
    Controller c(parse_py(k_python_uncancel));
    TaskId w = 0;
    step_until(c, [&] {
        w = task_named(c, "worker");
        return w != 0 && value_of(c.inspect(w), "items") == "[0]";
    });
    TaskInspection in = c.inspect(w);
    CHECK(in.cancel_label == "cancelling()");
    REQUIRE(in.cancelling.has_value());
    CHECK(*in.cancelling == 0);
    CHECK_FALSE(in.is_cancelled.has_value());
    REQUIRE(in.scopes.size() == 1);
    CHECK(in.scopes[0].name == "worker()");
    CHECK(in.scopes[0].line == 9);
    CHECK(value_of(in, "i") == "0");
    CHECK(in.scopes[0].variables[0].type == "list");

    step_until(c, [&] { return *c.inspect(w).cancelling == 1; });
    const std::uint64_t cancelled_at = c.step_index();
    CHECK(value_of(c.inspect(w), "items") == "[0, 10]");
    CHECK(c.inspect(w).cancel_requests == 1);

    step_until(c, [&] { return value_of(c.inspect(w), "items") == "[0, 10, 'cancelled', 20]"; });
    CHECK(*c.inspect(w).cancelling == 0);  // uncancel() took the request back
    CHECK(c.inspect(w).cancel_requests == 1);

    c.replay_to(cancelled_at);
    CHECK(*c.inspect(w).cancelling == 1);
    CHECK(value_of(c.inspect(w), "items") == "[0, 10]");

    c.run_until_idle();
    const TaskInspection done = c.inspect(w);
    REQUIRE(done.outcome.has_value());
    CHECK(*done.outcome == Outcome::returned);
    CHECK(done.result == "[0, 10, 'cancelled', 20]");
    CHECK(done.scopes.empty());
}

TEST_CASE("a Python list that contains itself is shown as CPython prints it, and main waits on the task it awaits") {
    Controller c(parse_py(k_python_uncancel));
    const TaskId main = 2;  // 1 is the module's code
    step_until(c, [&] {
        const TaskInspection in = c.inspect(main);
        return in.waiting && in.wait_reason == WaitReason::task;
    });
    const TaskInspection in = c.inspect(main);
    CHECK(in.name.rfind("main", 0) == 0);
    CHECK(value_of(in, "loop") == "[1, [...]]");
    CHECK(value_of(in, "task").rfind("<Task pending name=", 0) == 0);
    CHECK(in.awaited_task == task_named(c, "worker"));
    // The module task waits in asyncio.run; its frame lists no functions or modules.
    const TaskInspection module = c.inspect(1);
    REQUIRE(module.scopes.size() == 1);
    CHECK(module.scopes[0].name == "<module>");
    CHECK(value_of(module, "asyncio") == "");
    CHECK(value_of(module, "worker") == "");
}

TEST_CASE("an asyncio task that raised shows its exception, and long values are cut with an ellipsis") {
    Controller c(parse_py(R"PY(
import asyncio

async def boom():
    big = list(range(1000))
    text = "x" * 500
    await asyncio.sleep(1)
    raise ValueError("bad")

async def main():
    t = asyncio.create_task(boom())
    try:
        await t
    except ValueError:
        pass

asyncio.run(main())
)PY"));
    TaskId b = 0;
    step_until(c, [&] {
        b = task_named(c, "boom");
        return b != 0 && !c.inspect(b).scopes.empty();
    });
    const TaskInspection running = c.inspect(b);
    const std::string big = value_of(running, "big");
    CHECK(big.rfind("[0, 1, 2, ", 0) == 0);
    CHECK(big.find("\xE2\x80\xA6") != std::string::npos);
    CHECK(big.size() < 200);
    const std::string text = value_of(running, "text");
    CHECK(text.size() < 120);
    CHECK(text.find("\xE2\x80\xA6") != std::string::npos);

    c.run_until_idle();
    const TaskInspection done = c.inspect(b);
    REQUIRE(done.outcome.has_value());
    CHECK(*done.outcome == Outcome::threw);
    CHECK(done.result_is_error);
    CHECK(done.result == "ValueError('bad')");
}

TEST_CASE("inspecting an unknown task gives an empty inspection and changes nothing") {
    Controller c(parse_sw(k_swift_counter));
    c.step();
    const std::uint64_t digest = c.trace().digest();
    CHECK(c.inspect(0).task == 0);
    CHECK(c.inspect(999).task == 0);
    (void)c.inspect(1);
    (void)c.inspect(2);
    CHECK(c.trace().digest() == digest);
}

TEST_CASE("the frames of a chain of awaits read innermost first, each at its own line, in both languages") {
    Controller py(parse_py(R"PY(
import asyncio

async def inner(n):
    doubled = n * 2
    await asyncio.sleep(1)
    return doubled

async def outer():
    label = "outer"
    value = await inner(21)
    return value

async def main():
    print(await outer())

asyncio.run(main())
)PY"));
    const TaskId main = 2;
    step_until(py, [&] { return py.inspect(main).scopes.size() == 3; });
    const TaskInspection in = py.inspect(main);
    CHECK(in.scopes[0].name == "inner()");
    CHECK(in.scopes[0].line == 6);
    CHECK(value_of(in, "doubled") == "42");
    CHECK(in.scopes[1].name == "outer()");
    CHECK(in.scopes[1].line == 11);
    REQUIRE(in.scopes[1].variables.size() == 1);  // `value` is not assigned yet
    CHECK(in.scopes[1].variables[0].value == "'outer'");
    CHECK(in.scopes[2].name == "main()");
    CHECK(in.scopes[2].line == 15);

    Controller sw(parse_sw(R"SW(
struct Worker {
    let name: String
    func run(times n: Int) async -> Int {
        let doubled = n * 2
        try? await Task.sleep(for: .seconds(1))
        return doubled
    }
}
let w = Worker(name: "한")
let r = await w.run(times: 21)
print(r)
)SW"));
    step_until(sw, [&] { return sw.inspect(1).scopes.size() == 2; });
    const TaskInspection m = sw.inspect(1);
    CHECK(m.scopes[0].name == "Worker.run(times:)");
    CHECK(m.scopes[0].line == 6);
    CHECK(value_of(m, "doubled") == "42");
    CHECK(value_of(m, "self") == "Worker(name: \"한\")");
    CHECK(m.scopes[1].name == "top level");
    CHECK(m.scopes[1].line == 11);
    CHECK(value_of(m, "w") == "Worker(name: \"한\")");
}

TEST_CASE("a task woken by a cancel is ready with no deadline, though its old timer is still armed") {
    Controller c(parse_py(R"PY(
import asyncio

async def worker():
    await asyncio.sleep(10)

async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    task.cancel()
    await asyncio.sleep(0)

asyncio.run(main())
)PY"));
    TaskId w = 0;
    step_until(c, [&] {
        w = task_named(c, "worker");
        return w != 0 && c.inspect(w).waiting;
    });
    CHECK(c.inspect(w).deadline == 10 * k_second);
    step_until(c, [&] { return c.inspect(w).cancel_requests == 1; });
    const TaskInspection in = c.inspect(w);
    CHECK_FALSE(in.waiting);
    CHECK(in.deadline == -1);
    CHECK(*in.cancelling == 1);
}
