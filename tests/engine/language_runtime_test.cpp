// The language as a seam: the Controller builds the runtime of the program's language and no
// other, and ends a run of either language by one ladder with one exit-status table
// (engine/run_types.hpp, engine/interp/language_runtime.hpp, README.md "Exit status").
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "engine/interp/language_runtime.hpp"
#include "engine/interp/python/interpreter.hpp"
#include "engine/interp/swift/interpreter.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

std::shared_ptr<const ast::Program> parse(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

RunStatus run(const std::string& name, const std::string& text, RunOptions options = {}) {
    Controller c(parse(name, text), options);
    c.run_until_idle();
    return c.status();
}

/// Main waits for a task that waits for main: nothing can ever run again.
const char* const k_swift_deadlock = R"SW(
var t2: Task<Int, Never>? = nil
let t1 = Task { () -> Int in
    try? await Task.sleep(for: .seconds(1))
    return await t2!.value
}
t2 = Task { () -> Int in await t1.value }
print(await t1.value)
)SW";

/// Main awaits a future nobody resolves.
const char* const k_python_deadlock = R"PY(import asyncio
async def main():
    await asyncio.get_running_loop().create_future()
asyncio.run(main())
)PY";

/// Endless loops that give the scheduler its turn back on every round.
const char* const k_swift_endless = R"SW(
while true {
    try await Task.sleep(for: .seconds(1))
}
)SW";
const char* const k_python_endless = R"PY(import asyncio
async def main():
    while True:
        await asyncio.sleep(1)
asyncio.run(main())
)PY";

}  // namespace

TEST_CASE("a Python and a Swift program that deadlock end in the same state with the same exit status") {
    const RunStatus swift = run("dead.swift", k_swift_deadlock);
    const RunStatus python = run("dead.py", k_python_deadlock);
    CHECK(swift.state == RunState::deadlock);
    CHECK(python.state == RunState::deadlock);
    CHECK(swift.exit_code == python.exit_code);
    CHECK(swift.exit_code == exit_status(RunState::deadlock, 0));
    CHECK(swift.exit_code == 4);
    // Both name what main waits for.
    REQUIRE(swift.diagnostic);
    REQUIRE(python.diagnostic);
    CHECK(swift.diagnostic->kind == DiagnosticKind::deadlock);
    CHECK(python.diagnostic->kind == DiagnosticKind::deadlock);
    CHECK(swift.message.find("main waits for t1.value at dead.swift:8:13") != std::string::npos);
    CHECK(python.message.find(" waits for ") != std::string::npos);
}

TEST_CASE("a Python and a Swift program stopped by the step limit end in the same state with the same exit status") {
    RunOptions options;
    options.limits.max_steps = 12;
    const RunStatus swift = run("endless.swift", k_swift_endless, options);
    const RunStatus python = run("endless.py", k_python_endless, options);
    CHECK(swift.state == RunState::step_limit);
    CHECK(python.state == RunState::step_limit);
    CHECK(swift.exit_code == python.exit_code);
    CHECK(swift.exit_code == exit_status(RunState::step_limit, 0));
    CHECK(swift.exit_code == 4);
    // Each message suggests the directive in its own language's comment syntax.
    CHECK(swift.message.find("`// tasklab: limit steps N`") != std::string::npos);
    CHECK(python.message.find("`# tasklab: limit steps N`") != std::string::npos);
}

TEST_CASE("a Python and a Swift program stopped by the time limit end in the same state with the same exit status") {
    RunOptions options;
    options.limits.max_time = 5 * k_second;
    const RunStatus swift = run("endless.swift", k_swift_endless, options);
    const RunStatus python = run("endless.py", k_python_endless, options);
    CHECK(swift.state == RunState::time_limit);
    CHECK(python.state == RunState::time_limit);
    CHECK(swift.exit_code == python.exit_code);
    CHECK(swift.exit_code == 4);
}

TEST_CASE("a runtime error ends a Python and a Swift run in the same state with the same exit status") {
    const RunStatus swift = run("trap.swift", "let a = [1, 2]\nprint(a[5])\n");
    const RunStatus python = run("unsupported.py", R"PY(import asyncio
async def main():
    await asyncio.get_running_loop().run_in_executor(object(), print, "x")
asyncio.run(main())
)PY");
    CHECK(swift.state == RunState::runtime_error);
    CHECK(python.state == RunState::runtime_error);
    CHECK(swift.exit_code == 4);
    CHECK(python.exit_code == 4);
    // The Swift runtime traps with a line of its own; tasklab's own errors print none.
    CHECK(swift.stderr_text.rfind("Fatal error: ", 0) == 0);
    CHECK(python.stderr_text.empty());
}

TEST_CASE("the program's own exit status passes through in both languages") {
    const RunStatus swift = run("exit.swift", "import Foundation\nprint(\"bye\")\nexit(3)\n");
    const RunStatus python = run("exit.py", "import sys\nprint(\"bye\")\nsys.exit(3)\n");
    CHECK(swift.state == RunState::finished);
    CHECK(python.state == RunState::finished);
    CHECK(swift.exit_code == 3);
    CHECK(python.exit_code == 3);
    const RunStatus swift_throw = run("throw.swift", "struct Boom: Error {}\nthrow Boom()\n");
    const RunStatus python_raise = run("raise.py", "raise ValueError('boom')\n");
    CHECK(swift_throw.state == RunState::uncaught_error);
    CHECK(python_raise.state == RunState::uncaught_error);
    CHECK(swift_throw.exit_code == 1);
    CHECK(python_raise.exit_code == 1);
    const RunStatus interrupted = run("interrupt.py", "raise KeyboardInterrupt\n");
    CHECK(interrupted.state == RunState::uncaught_error);
    CHECK(interrupted.exit_code == 130);
}

TEST_CASE("the exit-status table gives every way a run ends one status") {
    CHECK(exit_status(RunState::finished, 0) == 0);
    CHECK(exit_status(RunState::finished, 3) == 3);
    CHECK(exit_status(RunState::uncaught_error, 0) == 1);
    CHECK(exit_status(RunState::uncaught_error, 1) == 1);
    CHECK(exit_status(RunState::uncaught_error, 130) == 130);
    CHECK(exit_status(RunState::uncaught_error, 137) == 137);
    for (const RunState s : {RunState::runtime_error, RunState::deadlock, RunState::step_limit, RunState::time_limit,
                             RunState::stopped}) {
        CHECK(exit_status(s, 0) == 4);
        CHECK(exit_status(s, 9) == 4);  // the program's status counts only when it ended the run itself
    }
    CHECK(exit_status(RunState::internal_error, 0) == 70);
}

TEST_CASE("a Python run builds the Python interpreter and no Swift interpreter") {
    const std::uint64_t swift_before = interp::Interpreter::constructed();
    const std::uint64_t python_before = py::Interpreter::constructed();
    Controller c(parse("hello.py", "print('hello')\n"));
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(c.runtime_language() == ast::Language::python);
    CHECK(py::Interpreter::constructed() == python_before + 1);
    CHECK(interp::Interpreter::constructed() == swift_before);
    c.replay_to(1);  // a replay builds the run afresh: again the one interpreter
    CHECK(py::Interpreter::constructed() == python_before + 2);
    CHECK(interp::Interpreter::constructed() == swift_before);
}

TEST_CASE("a Swift run builds the Swift interpreter and no Python interpreter") {
    const std::uint64_t swift_before = interp::Interpreter::constructed();
    const std::uint64_t python_before = py::Interpreter::constructed();
    Controller c(parse("hello.swift", "print(\"hello\")\n"));
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(c.runtime_language() == ast::Language::swift);
    CHECK(interp::Interpreter::constructed() == swift_before + 1);
    CHECK(py::Interpreter::constructed() == python_before);
}

TEST_CASE("the factory builds the runtime of the program's language") {
    Trace trace;
    Scheduler sched(trace, Limits{});
    const auto python = make_language_runtime(parse("a.py", "print('a')\n"), sched, RunOptions{});
    REQUIRE(python);
    CHECK(python->language() == ast::Language::python);
    CHECK(python->comment_marker() == "#");
    Trace trace2;
    Scheduler sched2(trace2, Limits{});
    const auto swift = make_language_runtime(parse("a.swift", "print(\"a\")\n"), sched2, RunOptions{});
    REQUIRE(swift);
    CHECK(swift->language() == ast::Language::swift);
    CHECK(swift->comment_marker() == "//");
}

TEST_CASE("the host's native stack size leaves a run on the engine's own stack unchanged") {
    const char* const deep = R"PY(def f(n):
    return 0 if n == 0 else 1 + f(n - 1)
print(f(500))
)PY";
    RunOptions host;
    host.native_stack_size = std::uint64_t{8} << 20;
    Controller a(parse("deep.py", deep));
    Controller b(parse("deep.py", deep), host);
    a.run_until_idle();
    b.run_until_idle();
    CHECK(a.status().state == RunState::finished);
    CHECK(b.status().state == RunState::finished);
    CHECK(a.trace().digest() == b.trace().digest());
}
