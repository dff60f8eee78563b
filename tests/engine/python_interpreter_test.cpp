// The Python interpreter, driven through real Python source: parse_python -> Controller ->
// the lines the program prints, its exit status and its trace. Expected lines are what
// CPython 3.11 prints for the same program (tests/asyncio_oracle/run_oracle.py).
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
    std::vector<std::string> tasks;  ///< the lane that printed each line
    RunStatus status;
    std::uint64_t digest = 0;
    std::vector<Event> events;
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) {
        r.lines.push_back(l.text);
        r.times.push_back(l.time);
        r.tasks.push_back(c.trace().task(l.task).name);
    }
    r.status = c.status();
    r.digest = c.trace().digest();
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) r.events.push_back(c.trace().at(i));
    if (r.status.state == RunState::runtime_error && r.status.diagnostic) MESSAGE(render(*file, *r.status.diagnostic));
    return r;
}

std::size_t count(const Ran& r, EventKind k) {
    std::size_t n = 0;
    for (const Event& e : r.events)
        if (e.kind == k) ++n;
    return n;
}
}  // namespace

TEST_SUITE("python interpreter: values and printing") {

TEST_CASE("str and repr print numbers, strings, containers and exceptions as CPython does") {
    const Ran r = run(R"py(print(0.1, 1.0, 1e16, 1e-05, 2.5e-3, -0.0, 1/3, 10/4, 7//2, -7//2, -7 % 3, 2**62)
print('it\'s', "say \"hi\"", repr("it's"), repr('a"b'), repr("both ' \""), [1, 'x', None, True], (1,), {'k': [1.5]}, set())
print(repr(ValueError("boom")), repr(TimeoutError()), str(KeyError("k")), repr(ExceptionGroup("eg", [ValueError(1)])))
)py");
    CHECK(r.lines == Lines{"0.1 1.0 1e+16 1e-05 0.0025 -0.0 0.3333333333333333 2.5 3 -4 2 4611686018427387904",
                           "it's say \"hi\" \"it's\" 'a\"b' 'both \\' \"' [1, 'x', None, True] (1,) {'k': [1.5]} set()",
                           "ValueError('boom') TimeoutError() 'k' ExceptionGroup('eg', [ValueError(1)])"});
}

TEST_CASE("f-strings apply conversions and format specs; print takes sep and end") {
    const Ran r = run(R"py(x = 3.14159
print(f"{x:.2f}|{'ab':^6}|{42:05d}|{1234567:,}|{0.25:.1%}|{'s'!r}|{-1.5:+.1f}|{7:x}|{1e20:.3g}|{12.0:g}")
print("a", "b", sep="-", end="!\n")
print(f"{[1, 2]!s:>8}|{None}|{True:>6}|{'é':*<4}|")
)py");
    CHECK(r.lines == Lines{"3.14|  ab  |00042|1,234,567|25.0%|'s'|-1.5|7|1e+20|12", "a-b!", "  [1, 2]|None|     1|é***|"});
}

TEST_CASE("every module's table of built-ins answers with CPython's results and error texts") {
    // One call (or one wrong call) per table: builtins, int(), str, list, tuple, dict, set,
    // time, logging, contextlib, generators, asyncio's functions and its objects' methods.
    const Ran r = run(R"py(import asyncio
import contextlib
import logging
import time


def attempt(label, fn):
    try:
        print(label, repr(fn()))
    except Exception as e:
        print(label, type(e).__name__, e)


attempt("len", lambda: len())
attempt("abs", lambda: abs("x"))
attempt("min", lambda: min([]))
attempt("int", lambda: int("4x"))
attempt("strip", lambda: " a ".strip())
attempt("split", lambda: "a,b".split(","))
attempt("append", lambda: [].append())
attempt("pop", lambda: {}.pop("k"))
attempt("popitem", lambda: {}.popitem())
attempt("union", lambda: sorted({1}.union([2, 1])))
attempt("time.sleep", lambda: time.sleep("1"))
attempt("getLogger", lambda: logging.getLogger("a.b").getEffectiveLevel())
attempt("suppress", lambda: type(contextlib.suppress(KeyError)).__name__)


def gen():
    yield 1


attempt("send", lambda: gen().send(1))
attempt("next", lambda: next(iter([])))


async def main():
    try:
        await asyncio.sleep()
    except TypeError as e:
        print("sleep", e)
    f = asyncio.get_running_loop().create_future()
    attempt("result", lambda: f.result())
    q = asyncio.Queue(maxsize=1)
    q.put_nowait(1)
    attempt("put_nowait", lambda: q.put_nowait(2))
    attempt("get_nowait", lambda: q.get_nowait())
    attempt("qsize", lambda: q.qsize())
    attempt("release", lambda: asyncio.Lock().release())
    t = asyncio.Timeout(None)
    attempt("when", lambda: t.when())


asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"len TypeError len() takes exactly one argument (0 given)",
                           "abs TypeError bad operand type for abs(): 'str'",
                           "min ValueError min() arg is an empty sequence",
                           "int ValueError invalid literal for int() with base 10: '4x'",
                           "strip 'a'",
                           "split ['a', 'b']",
                           "append TypeError list.append() takes exactly one argument (0 given)",
                           "pop KeyError 'k'",
                           "popitem KeyError 'popitem(): dictionary is empty'",
                           "union [1, 2]",
                           "time.sleep TypeError 'str' object cannot be interpreted as an integer",
                           "getLogger 30",
                           "suppress 'suppress'",
                           "send TypeError can't send non-None value to a just-started generator",
                           "next StopIteration ",
                           "sleep sleep() missing 1 required positional argument: 'delay'",
                           "result InvalidStateError Result is not set.",
                           "put_nowait QueueFull ",
                           "get_nowait 1",
                           "qsize 0",
                           "release RuntimeError Lock is not acquired.",
                           "when None"});
}

TEST_CASE("a name assigned in a function is local to it unless declared global or nonlocal") {
    const Ran r = run(R"py(count = 0
def bump():
    count += 1
try:
    bump()
except UnboundLocalError as e:
    print(type(e).__name__, e)
def outer():
    n = 1
    def inner():
        nonlocal n
        n += 1
    inner()
    return n
print(outer())
)py");
    CHECK(r.lines == Lines{"UnboundLocalError cannot access local variable 'count' where it is not associated with a value", "2"});
}

TEST_CASE("classes: inheritance, super().__init__, properties, static methods and bound methods") {
    const Ran r = run(R"py(class Animal:
    kind = "animal"
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} makes a sound"
class Dog(Animal):
    def __init__(self, name):
        super().__init__(name)
    def speak(self):
        return super().speak() + " (woof)"
    @property
    def label(self):
        return self.name.upper()
    @staticmethod
    def info():
        return "dogs"
d = Dog("Rex")
m = d.speak
print(m(), d.kind, d.label, Dog.info(), isinstance(d, Animal), type(d).__name__)
)py");
    CHECK(r.lines == Lines{"Rex makes a sound (woof) animal REX dogs True Dog"});
}

}  // TEST_SUITE

TEST_SUITE("python interpreter: exceptions") {

TEST_CASE("try/except/else/finally, raise from, bare raise and except* follow CPython") {
    const Ran r = run(R"py(try:
    try:
        1 / 0
    except ZeroDivisionError as e:
        raise ValueError("bad") from e
except ValueError as e:
    print(e, repr(e.__cause__))
def f():
    try:
        return "try"
    finally:
        print("finally runs")
print(f())
try:
    pass
except Exception:
    print("no")
else:
    print("else")
try:
    try:
        {}["k"]
    except KeyError:
        raise
except KeyError as e:
    print("re-raised", repr(e))
try:
    raise ExceptionGroup("many", [ValueError("v"), TypeError("t")])
except* ValueError as g:
    print("value part", repr(g))
except* TypeError as g:
    print("type part", repr(g))
)py");
    CHECK(r.lines == Lines{"bad ZeroDivisionError('division by zero')", "finally runs", "try", "else", "re-raised KeyError('k')",
                           "value part ExceptionGroup('many', [ValueError('v')])", "type part ExceptionGroup('many', [TypeError('t')])"});
}

TEST_CASE("an uncaught exception ends the run with its last traceback line on stderr and exit status 1") {
    const Ran r = run(R"py(class AppError(Exception):
    pass
print("before")
raise AppError("disk full")
)py");
    CHECK(r.lines == Lines{"before"});
    CHECK(r.status.state == RunState::uncaught_error);
    CHECK(r.status.exit_code == 1);
    CHECK(r.status.stderr_text == "AppError: disk full\n");
}

TEST_CASE("asyncio's own exceptions are named with their module on stderr") {
    const Ran r = run(R"py(import asyncio
async def main():
    asyncio.current_task().cancel()
    await asyncio.sleep(1)
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::uncaught_error);
    CHECK(r.status.stderr_text == "asyncio.exceptions.CancelledError\n");
}

}  // TEST_SUITE

TEST_SUITE("python interpreter: the event loop") {

TEST_CASE("time.sleep blocks the whole loop: the clock jumps and nothing else runs meanwhile") {
    const Ran r = run(R"py(import asyncio, time
async def ticker():
    for i in range(3):
        print("tick", i, asyncio.get_running_loop().time())
        await asyncio.sleep(0.5)
async def main():
    t = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    time.sleep(2)
    print("main blocked until", time.time())
    await t
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"tick 0 0.0", "main blocked until 2.0", "tick 1 2.0", "tick 2 2.5"});
    CHECK(count(r, EventKind::loop_blocked) == 1);
}

TEST_CASE("SIGINT without a handler cancels the main task and asyncio.run raises KeyboardInterrupt (exit 130)") {
    const Ran r = run(R"py(# tasklab: signal SIGINT at 1.5s
import asyncio
async def main():
    try:
        while True:
            await asyncio.sleep(1)
            print("tick")
    finally:
        print("main finally")
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"tick", "main finally"});
    CHECK(r.status.exit_code == 130);
    CHECK(r.status.stderr_text == "KeyboardInterrupt\n");
}

TEST_CASE("a signal whose default action terminates ends the process at once: no finally runs, exit 128 + N") {
    const Ran r = run(R"py(# tasklab: signal SIGTERM at 1s
import asyncio
async def main():
    try:
        await asyncio.sleep(5)
    finally:
        print("never")
print("start")
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"start"});
    CHECK(r.status.exit_code == 143);
    CHECK(r.status.stderr_text == "killed by SIGTERM at 1s\n");
}

TEST_CASE("a program awaiting a future nobody resolves is a deadlock") {
    const Ran r = run(R"py(import asyncio
async def main():
    await asyncio.get_running_loop().create_future()
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::deadlock);
    CHECK(r.status.exit_code == 4);
}

TEST_CASE("logging prints records to stdout with the format basicConfig sets, filtered by level") {
    const Ran r = run(R"py(import asyncio, logging, sys
logging.basicConfig(format="%(asctime)s %(name)s %(levelname)-8s| %(message)s", stream=sys.stdout)
log = logging.getLogger("app")
log.setLevel(logging.INFO)
async def main():
    log.debug("hidden")
    await asyncio.sleep(1.25)
    log.info("info %s", "x")
    logging.info("root info is below WARNING")
    logging.getLogger("app.sub").warning("child")
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"1970-01-01 00:00:01,250 app INFO    | info x", "1970-01-01 00:00:01,250 app.sub WARNING | child"});
}

TEST_CASE("the simulated websockets take one latency per frame and refuse a connection nobody listens for") {
    const Ran r = run(R"py(# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
import asyncio
import websockets
async def echo(ws):
    async for m in ws:
        await ws.send(m.upper())
async def main():
    async with websockets.serve(echo, "localhost", 9000):
        async with websockets.connect("ws://localhost:9000/chat") as ws:
            print(asyncio.get_running_loop().time(), ws.remote_address, ws.local_address)
            await ws.send("hi")
            print(asyncio.get_running_loop().time(), await ws.recv())
        print(asyncio.get_running_loop().time(), ws.closed, ws.close_code)
    try:
        await websockets.connect("ws://localhost:9000")
    except OSError as e:
        print(asyncio.get_running_loop().time(), type(e).__name__, e)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"0.1 ('127.0.0.1', 9000) ('127.0.0.1', 50001)", "0.1 HI", "0.3 True 1000",
                           "0.4 ConnectionRefusedError [Errno 111] Connect call failed ('localhost', 9000)"});
}

TEST_CASE("tasks are lanes named after the call that made their coroutine; the module's code is a lane of its own") {
    const Ran r = run(R"py(import asyncio
async def worker(n):
    print("worker", n)
async def main():
    await asyncio.create_task(worker(1))
asyncio.run(main())
print("after")
)py");
    CHECK(r.lines == Lines{"worker 1", "after"});
    CHECK(r.tasks == std::vector<std::string>{"worker(1)", "<module>"});
}

TEST_CASE("thousands of tasks suspended in coroutines are not a recursion; deep recursion is") {
    const Ran r = run(R"py(import asyncio
async def leaf(i):
    await asyncio.sleep(1)
    return i
async def w(i):
    return await leaf(i)
def deep(n):
    return deep(n + 1)
async def main():
    tasks = [asyncio.create_task(w(i)) for i in range(3000)]
    total = 0
    for t in tasks:
        total += await t
    print(total)
    try:
        deep(0)
    except RecursionError as e:
        print(e)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"4498500", "maximum recursion depth exceeded"});
}

TEST_CASE("a Python run is deterministic: two runs give the same trace") {
    const std::string text = R"py(import asyncio
async def w(d):
    await asyncio.sleep(d)
    return d
async def main():
    print(await asyncio.gather(w(0.2), w(0.1), w(0.1)))
asyncio.run(main())
)py";
    const Ran a = run(text);
    const Ran b = run(text);
    CHECK(a.lines == Lines{"[0.2, 0.1, 0.1]"});
    CHECK(a.digest == b.digest);
}

TEST_CASE("an API tasklab does not model stops the run with a diagnostic instead of guessing") {
    const Ran r = run(R"py(import asyncio
async def main():
    await asyncio.get_running_loop().run_in_executor(object(), print, "x")
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::runtime_error);
    REQUIRE(r.status.diagnostic);
    CHECK(r.status.diagnostic->message.find("only the loop's default executor") != std::string::npos);
}

}  // TEST_SUITE
