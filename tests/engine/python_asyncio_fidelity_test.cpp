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

TEST_SUITE("python asyncio fidelity: queues, conditions, barriers and the rest of tasks.py") {

TEST_CASE("a bounded Queue makes producers wait, raises QueueFull and QueueEmpty, and join waits for task_done") {
    const Ran r = run(R"py(import asyncio
async def consumer(q, name):
    while True:
        item = await q.get()
        print(name, "got", item, asyncio.get_running_loop().time())
        await asyncio.sleep(0.1)
        q.task_done()
async def main():
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("a")
    for action in (lambda: q.put_nowait("b"), q.get_nowait, q.get_nowait, q.task_done, q.task_done):
        try:
            print("->", action(), q.qsize(), q.empty(), q.full())
        except (asyncio.QueueFull, asyncio.QueueEmpty, ValueError) as e:
            print(type(e).__name__, e)
    c = asyncio.create_task(consumer(q, "c"))
    for k in range(3):
        await q.put(k)
        print("put", k, str(q))
    await q.join()
    print("joined", asyncio.get_running_loop().time(), str(q))
    c.cancel()
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"QueueFull ", "-> a 0 True False", "QueueEmpty ", "-> None 0 True False",
                           "ValueError task_done() called too many times", "put 0 <Queue maxsize=1 _queue=[0] tasks=1>",
                           "c got 0 0.0", "put 1 <Queue maxsize=1 _queue=[1] tasks=2>", "c got 1 0.1",
                           "put 2 <Queue maxsize=1 _queue=[2] tasks=2>", "c got 2 0.2", "joined 0.3 <Queue maxsize=1 _getters[1]>"});
}

TEST_CASE("PriorityQueue takes the smallest item in heapq's order and LifoQueue the last one") {
    const Ran r = run(R"py(import asyncio
async def main():
    pq = asyncio.PriorityQueue()
    for item in [(3, "c"), (1, "a"), (2, "b"), (1, "aa"), (5, "e"), (0, "z"), (2, "a")]:
        pq.put_nowait(item)
    print(str(pq))
    print([pq.get_nowait() for _ in range(pq.qsize())])
    lq = asyncio.LifoQueue()
    for x in "xyz":
        lq.put_nowait(x)
    print(lq.get_nowait(), lq.get_nowait(), isinstance(lq, asyncio.Queue), type(pq).__name__)
    bad = asyncio.PriorityQueue()
    bad.put_nowait(1)
    try:
        bad.put_nowait("one")
    except TypeError as e:
        print("TypeError:", e)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"<PriorityQueue maxsize=0 _queue=[(0, 'z'), (1, 'aa'), (1, 'a'), (3, 'c'), (5, 'e'), (2, 'b'), (2, 'a')] tasks=7>",
                           "[(0, 'z'), (1, 'a'), (1, 'aa'), (2, 'a'), (2, 'b'), (3, 'c'), (5, 'e')]", "z y True PriorityQueue",
                           "TypeError: '<' not supported between instances of 'str' and 'int'"});
}

TEST_CASE("Condition.wait releases the lock and takes it back before returning, even when cancelled") {
    const Ran r = run(R"py(import asyncio
async def waiter(cond, name):
    async with cond:
        try:
            print(name, "waits", await cond.wait_for(lambda: name in woken and name))
        except asyncio.CancelledError:
            print(name, "cancelled, holds the lock:", cond.locked())
            raise
woken = []
async def main():
    cond = asyncio.Condition(asyncio.Lock())
    ts = [asyncio.create_task(waiter(cond, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    async with cond:
        woken.extend(["w0", "w2"])
        cond.notify(2)
    await asyncio.sleep(0)
    async with cond:
        ts[1].cancel()
        await asyncio.sleep(0.5)
        print("w1 done while main holds the lock:", ts[1].done())
    async with cond:
        cond.notify_all()
    results = await asyncio.gather(*ts, return_exceptions=True)
    print([type(x).__name__ for x in results])
    for act in (cond.notify, cond.release):
        try:
            act()
        except RuntimeError as e:
            print("RuntimeError:", e)
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"w0 waits w0", "w1 done while main holds the lock: False", "w1 cancelled, holds the lock: True",
                           "w2 waits w2", "['NoneType', 'CancelledError', 'NoneType']", "RuntimeError: cannot notify on un-acquired lock",
                           "RuntimeError: Lock is not acquired."});
}

TEST_CASE("a Barrier lets its parties through together and breaks its waiters on reset and abort") {
    const Ran r = run(R"py(import asyncio
async def party(b, name, delay):
    await asyncio.sleep(delay)
    try:
        index = await b.wait()
        print(name, "passes", index, asyncio.get_running_loop().time())
    except asyncio.BrokenBarrierError as e:
        print(name, "broken:", e)
async def main():
    b = asyncio.Barrier(2)
    await asyncio.gather(party(b, "a", 0.1), party(b, "b", 0.2))
    t = asyncio.create_task(party(b, "c", 0))
    await asyncio.sleep(0.1)
    print(b.n_waiting, b.parties, b.broken)
    await b.reset()
    await t
    t = asyncio.create_task(party(b, "d", 0))
    await asyncio.sleep(0.1)
    await b.abort()
    await t
    await party(b, "e", 0)
    print(b.n_waiting, b.broken, isinstance(asyncio.BrokenBarrierError(), RuntimeError))
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"b passes 1 0.2", "a passes 0 0.2", "1 2 False", "c broken: Abort or reset of barrier",
                           "d broken: Abort or reset of barrier", "e broken: Barrier aborted", "0 True True"});
}

TEST_CASE("wait() honours return_when, and a done Future refuses a second result with CPython's texts") {
    const Ran r = run(R"py(import asyncio
async def job(d, fail=False):
    await asyncio.sleep(d)
    if fail:
        raise ValueError(d)
    return d
async def main():
    loop = asyncio.get_running_loop()
    ts = [asyncio.create_task(job(0.3), name="slow"), asyncio.create_task(job(0.1), name="fast"), asyncio.create_task(job(0.2, True), name="bad")]
    for when in (asyncio.FIRST_COMPLETED, asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
        done, pending = await asyncio.wait(ts, return_when=when)
        print(when, sorted(t.get_name() for t in done), len(pending), loop.time())
    fut = loop.create_future()
    try:
        fut.result()
    except asyncio.InvalidStateError as e:
        print(e)
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        print(e)
    t = asyncio.create_task(job(0))
    print(t.get_name(), asyncio.iscoroutine(t.get_coro()), asyncio.current_task() in asyncio.all_tasks())
    await t
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"FIRST_COMPLETED ['fast'] 2 0.1", "FIRST_EXCEPTION ['bad', 'fast'] 1 0.2", "ALL_COMPLETED ['bad', 'fast', 'slow'] 0 0.3",
                           "Result is not set.", "invalid state", "Task-5 True True"});
}

TEST_CASE("time.time, monotonic and perf_counter follow the virtual clock as loop.time does") {
    const Ran r = run(R"py(import asyncio, time
async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1.5)
    print(time.time(), time.monotonic(), time.perf_counter(), loop.time(), time.monotonic_ns())
    time.sleep(0.25)
    print(time.time(), loop.time())
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"1.5 1.5 1.5 1.5 1500000000", "1.75 1.75"});
}

TEST_CASE("Semaphore and Lock reprs count their waiters, and a cancelled waiter passes its wake-up on") {
    const Ran r = run(R"py(import asyncio
async def worker(sem, name):
    async with sem:
        print(name, "in", repr(sem))
        await asyncio.sleep(0.1)
async def main():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    ts = [asyncio.create_task(worker(sem, f"w{i}")) for i in range(3)]
    await asyncio.sleep(0)
    print(repr(sem))
    sem.release()
    ts[0].cancel()
    await asyncio.gather(*ts, return_exceptions=True)
    try:
        sem.release()
    except ValueError as e:
        print("ValueError:", e)
    lock = asyncio.Lock()
    await lock.acquire()
    t = asyncio.create_task(lock.acquire())
    await asyncio.sleep(0)
    print(repr(lock))
    lock.release()
    await t
    print(repr(lock))
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"<asyncio.locks.BoundedSemaphore object [locked, waiters:3]>",
                           "w1 in <asyncio.locks.BoundedSemaphore object [locked, waiters:1]>",
                           "w2 in <asyncio.locks.BoundedSemaphore object [locked]>", "ValueError: BoundedSemaphore released too many times",
                           "<asyncio.locks.Lock object [locked, waiters:1]>", "<asyncio.locks.Lock object [locked]>"});
}

}  // TEST_SUITE

TEST_SUITE("python asyncio fidelity: asyncio.Runner") {

TEST_CASE("a Runner keeps its loop across run() calls and cancels what is left when the with block ends") {
    const Ran r = run(R"py(import asyncio
async def ticker():
    try:
        while True:
            print("tick", asyncio.get_running_loop().time())
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("ticker cancelled at", asyncio.get_running_loop().time())
        raise
async def start():
    t = asyncio.create_task(ticker())
    await asyncio.sleep(1.5)
    return t
async def inner(runner):
    c = asyncio.sleep(0)
    try:
        runner.run(c)
    except RuntimeError as e:
        print(e)
    c.close()
with asyncio.Runner() as runner:
    t = runner.run(start())
    print("between runs", t.done(), runner.get_loop().time())
    print(runner.run(asyncio.sleep(1, result="second")))
    runner.run(inner(runner))
print(t.cancelled())
c = asyncio.sleep(0)
try:
    runner.run(c)
except RuntimeError as e:
    print(e)
c.close()
)py");
    CHECK(r.lines == Lines{"tick 0.0", "tick 1.0", "between runs False 1.5", "tick 2.0", "second",
                           "Runner.run() cannot be called from a running event loop", "ticker cancelled at 2.5", "True", "Runner is closed"});
    CHECK(r.status.state == RunState::finished);
}

TEST_CASE("closing a Runner with unfinished tasks outside its with block is refused with a diagnostic") {
    const Ran r = run(R"py(import asyncio
async def forever():
    await asyncio.sleep(100)
async def start():
    return asyncio.create_task(forever())
runner = asyncio.Runner()
runner.close()
t = runner.run(start())
print("ran", t.done())
runner.close()
print("not reached")
)py");
    CHECK(r.lines == Lines{"ran False"});
    CHECK(r.status.state == RunState::runtime_error);
    CHECK(r.error.find("closes a Runner that has unfinished tasks only at the end of `with asyncio.Runner()`") != std::string::npos);
}

TEST_CASE("a loop made with new_event_loop runs coroutines with run_until_complete until it is closed") {
    const Ran r = run(R"py(import asyncio
async def main(n):
    loop = asyncio.get_running_loop()
    print("main", n, loop is outer, loop.is_running())
    await asyncio.sleep(1)
    return n * 10
outer = asyncio.new_event_loop()
asyncio.set_event_loop(outer)
print(outer.run_until_complete(main(1)), outer.is_running(), outer.is_closed())
print(outer.run_until_complete(main(2)), outer.time())
outer.close()
coro = main(3)
try:
    outer.run_until_complete(coro)
except RuntimeError as e:
    print(e, outer.is_closed(), asyncio.get_event_loop() is outer)
coro.close()
print(asyncio.run(main(4)))
)py");
    CHECK(r.lines == Lines{"main 1 True True", "10 False False", "main 2 True True", "20 2.0", "Event loop is closed True True", "main 4 False True",
                           "40"});
}

}  // TEST_SUITE
