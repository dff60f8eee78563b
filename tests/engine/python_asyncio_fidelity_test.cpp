// asyncio as CPython 3.11.7's Lib/asyncio does it, checked through real Python source: the
// timeouts.py rules (a timeout entered while the task carries a cancel, past deadlines, repr,
// misuse), wait_for's `timeout <= 0`, cancel messages of any type, TaskGroup's error texts, and
// the synchronisation primitives (queues.py, locks.py) and runners.py. Every expected line is
// what CPython 3.11.7 prints for the same program on the virtual-time oracle
// (tests/asyncio_oracle/run_oracle.py).
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
    RunStatus status;
    std::string error;  ///< the message of a runtime diagnostic, if the run stopped on one
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) r.lines.push_back(l.text);
    r.status = c.status();
    if (r.status.state == RunState::runtime_error && r.status.diagnostic) {
        r.error = r.status.diagnostic->message;
        MESSAGE(render(*file, *r.status.diagnostic));
    }
    return r;
}
}  // namespace

TEST_SUITE("python asyncio fidelity: timeouts and cancellation") {

TEST_CASE("a timeout entered after a swallowed cancel still turns its own expiry into TimeoutError") {
    // 3.11.7 compares uncancel() with the cancelling() count seen on entry (1 here), not with 0.
    const Ran r = run(R"py(import asyncio
async def main():
    task = asyncio.current_task()
    task.cancel()
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed", task.cancelling())
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(2)
    except TimeoutError as e:
        print("timeout", type(e.__cause__).__name__, e.__context__ is e.__cause__, task.cancelling())
    try:
        async with asyncio.timeout(1.0):
            task.cancel()
            await asyncio.sleep(2)
    except asyncio.CancelledError:
        print("a new cancel stays CancelledError", task.cancelling())
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"swallowed 1", "timeout CancelledError True 1", "a new cancel stays CancelledError 2"});
    CHECK(r.status.state == RunState::finished);
}

TEST_CASE("a timeout whose deadline is already past expires in the next pass and when() keeps it") {
    const Ran r = run(R"py(import asyncio
async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1.5)
    t = asyncio.timeout(-11)
    print(t.when(), repr(t))
    try:
        async with t:
            print("inside", t.expired(), repr(t))
            await asyncio.sleep(0.1)
    except TimeoutError:
        print("expired at", loop.time(), t.expired(), repr(t))
    t = asyncio.timeout(0)
    try:
        async with t:
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("timeout(0)", t.when(), repr(t))
    t = asyncio.timeout_at(7)
    print(t.when())
    async with asyncio.timeout(None) as t:
        print(repr(t))
    print(repr(t))
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"-9.5 <Timeout [created]>", "inside False <Timeout [active] when=-9.5>", "expired at 1.5 True <Timeout [expired]>",
                           "timeout(0) 1.5 <Timeout [expired]>", "7", "<Timeout [active] when=None>", "<Timeout [finished]>"});
}

TEST_CASE("a Timeout refuses reschedule before it is entered, a second entry and changes once finished") {
    const Ran r = run(R"py(import asyncio
async def main():
    t = asyncio.timeout(1)
    for action in ("reschedule", "enter twice", "reschedule after", "enter after"):
        try:
            if action == "reschedule":
                t.reschedule(5)
            elif action == "enter twice":
                async with t:
                    print(repr(t))
                    async with t:
                        pass
            elif action == "reschedule after":
                t.reschedule(3)
            else:
                async with t:
                    pass
        except RuntimeError as e:
            print(action, "->", e)
    async with asyncio.timeout(1) as t:
        t.reschedule(4.56789)
        print(t.when(), repr(t))
        t.reschedule(None)
        await asyncio.sleep(5)
        print(t.when(), t.expired())
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"reschedule -> Timeout has not been entered", "<Timeout [active] when=1.0>",
                           "enter twice -> Timeout has already been entered", "reschedule after -> Cannot change state of finished Timeout",
                           "enter after -> Timeout has already been entered", "4.56789 <Timeout [active] when=4.568>", "None False"});
}

TEST_CASE("wait_for with a zero or negative timeout cancels at once unless the awaitable is already done") {
    const Ran r = run(R"py(import asyncio
async def work(x):
    try:
        await asyncio.sleep(1)
        return x
    except asyncio.CancelledError:
        print("cancelled", x)
        raise
async def main():
    loop = asyncio.get_running_loop()
    for timeout in (-1, 0, 0.0, -0.5):
        try:
            await asyncio.wait_for(work(timeout), timeout=timeout)
        except TimeoutError as e:
            print("TimeoutError", timeout, loop.time(), type(e.__cause__).__name__)
    done = loop.create_future()
    done.set_result("ready")
    print(await asyncio.wait_for(done, timeout=-1), await asyncio.wait_for(done, 0))
    print(await asyncio.wait_for(work("late"), timeout=None), loop.time())
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"TimeoutError -1 0.0 CancelledError", "TimeoutError 0 0.0 CancelledError", "TimeoutError 0.0 0.0 CancelledError",
                           "TimeoutError -0.5 0.0 CancelledError", "ready ready", "late 1.0"});
}

TEST_CASE("a cancel message that is not a string reaches the CancelledError as the same object") {
    const Ran r = run(R"py(import asyncio
async def catcher():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("caught", repr(e), e.args)
        raise
async def main():
    for msg in [(5,), 42, None, "text", ["a", 1]]:
        t = asyncio.create_task(catcher())
        await asyncio.sleep(0)
        t.cancel(msg)
        try:
            await t
        except asyncio.CancelledError as e:
            print("awaited", e.args == ((msg,) if msg is not None else ()))
    fut = asyncio.get_running_loop().create_future()
    fut.cancel(msg={"k": 1.5})
    try:
        fut.result()
    except asyncio.CancelledError as e:
        print("future", e.args)
    t = asyncio.create_task(catcher())
    t.cancel(msg=(1, 2))
    try:
        await t
    except asyncio.CancelledError as e:
        print("before its first step", e.args)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"caught CancelledError((5,)) ((5,),)", "awaited True", "caught CancelledError(42) (42,)", "awaited True",
                           "caught CancelledError() ()", "awaited True", "caught CancelledError('text') ('text',)", "awaited True",
                           "caught CancelledError(['a', 1]) (['a', 1],)", "awaited True", "future ({'k': 1.5},)",
                           "before its first step ((1, 2),)"});
}

TEST_CASE("TaskGroup errors quote the group's repr word for word as taskgroups.py writes them") {
    const Ran r = run(R"py(import asyncio
async def nap(d):
    await asyncio.sleep(d)
async def crash():
    await asyncio.sleep(0.1)
    raise ValueError("crash")
async def main():
    tg = asyncio.TaskGroup()
    c = nap(0)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print(e)
    c.close()
    async with tg:
        tg.create_task(nap(0.5))
        try:
            async with tg:
                pass
        except RuntimeError as e:
            print(e)
    c = nap(0)
    try:
        tg.create_task(c)
    except RuntimeError as e:
        print(e)
    c.close()
    tg2 = asyncio.TaskGroup()
    try:
        async with tg2:
            tg2.create_task(crash())
            tg2.create_task(nap(5))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                c = nap(0)
                try:
                    tg2.create_task(c)
                except RuntimeError as e:
                    print(e)
                c.close()
                raise
    except* ValueError as eg:
        print(repr(tg2), eg.exceptions)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"TaskGroup <TaskGroup> has not been entered", "TaskGroup <TaskGroup tasks=1 entered> has already been entered",
                           "TaskGroup <TaskGroup entered> is finished", "TaskGroup <TaskGroup tasks=1 errors=1 cancelling> is shutting down",
                           "<TaskGroup cancelling> (ValueError('crash'),)"});
}

}  // TEST_SUITE
