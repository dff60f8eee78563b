#!/usr/bin/env python3
"""Checks the oracle itself: the virtual clock, signals, stops, and the simulated websockets.

    python3 selftest.py        # prints one line per case, exit 1 if any fails

Each case is a small program run through run_oracle.py in a child process; its stdout and
exit status must equal the expected ones exactly. The websockets cases pin down the
behaviour README.md specifies, so tasklab's own simulation can be held to the same lines.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import textwrap

HERE = os.path.dirname(os.path.abspath(__file__))
RUN_ORACLE = os.path.join(HERE, "run_oracle.py")

CASES: list[tuple[str, str, str, int]] = []  # (name, program, expected stdout, expected status)


def case(name: str, program: str, expected: str, status: int = 0) -> None:
    CASES.append((name, textwrap.dedent(program).lstrip("\n"), textwrap.dedent(expected).lstrip("\n"), status))


case(
    "timers that share an instant fire in arming order, whatever float sum armed them",
    """
    import asyncio
    async def main():
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, print, "a: call_later(0.3)")
        loop.call_at(loop.time() + 0.1 + 0.2, print, "b: call_at(0.1 + 0.2)")
        loop.call_later(0.3, print, "c: call_later(0.3)")
        await asyncio.sleep(0.3)
        print(f"main at {loop.time()}")
    asyncio.run(main())
    """,
    """
    a: call_later(0.3)
    b: call_at(0.1 + 0.2)
    c: call_later(0.3)
    main at 0.3
    """,
)

case(
    "time.sleep blocks the loop and advances the clock; due timers fire afterwards in order",
    """
    import asyncio, time
    async def ticker(name, d):
        await asyncio.sleep(d)
        print(f"{name} woke at {asyncio.get_running_loop().time()}")
    async def main():
        a = asyncio.create_task(ticker("a", 0.5))
        b = asyncio.create_task(ticker("b", 0.2))
        await asyncio.sleep(0)
        time.sleep(1)
        print(f"blocking sleep over at {time.monotonic()}")
        await asyncio.gather(a, b)
    asyncio.run(main())
    """,
    """
    blocking sleep over at 1.0
    b woke at 1.0
    a woke at 1.0
    """,
)

case(
    "a loop signal handler runs in the pass after the signal arrives",
    """
    # tasklab: signal SIGINT at 5s
    import asyncio, signal
    async def main():
        loop = asyncio.get_running_loop()
        done = asyncio.Event()
        loop.add_signal_handler(signal.SIGINT, lambda: (print(f"SIGINT handler at {loop.time()}"), done.set()))
        loop.call_later(5, print, "timer due at 5 s")
        await done.wait()
        print("main resumes")
    asyncio.run(main())
    """,
    """
    timer due at 5 s
    SIGINT handler at 5.0
    main resumes
    """,
)

case(
    "SIGINT without a loop handler: asyncio.run cancels main, then raises KeyboardInterrupt",
    """
    # tasklab: signal SIGINT at 2s
    import asyncio
    async def main():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print(f"main cancelled at {asyncio.get_running_loop().time()}")
            raise
    asyncio.run(main())
    """,
    """
    main cancelled at 2.0
    """,
    130,
)

case(
    "a signal whose default action terminates ends the process with no cleanup",
    """
    # tasklab: signal SIGTERM at 1500ms
    import asyncio
    async def main():
        try:
            await asyncio.sleep(10)
        finally:
            print("finally")
    print("start")
    asyncio.run(main())
    """,
    """
    start
    """,
    128 + 15,
)

case(
    "waiting forever with nothing scheduled is reported as a deadlock",
    """
    import asyncio
    async def main():
        print("waiting")
        await asyncio.Future()
    asyncio.run(main())
    """,
    """
    waiting
    """,
    4,
)

case(
    "the time limit stops an endless program",
    """
    # tasklab: limit time 3s
    import asyncio
    async def main():
        while True:
            await asyncio.sleep(1)
            print(f"tick {asyncio.get_running_loop().time()}")
    asyncio.run(main())
    """,
    """
    tick 1.0
    tick 2.0
    tick 3.0
    """,
    4,
)

case(
    "an uncaught exception exits 1; output printed before it stays",
    """
    import asyncio
    async def main():
        print("before")
        raise ValueError("boom")
    asyncio.run(main())
    """,
    """
    before
    """,
    1,
)

case(
    "a TaskGroup cancels its children in creation order; asyncio.run cancels leftovers in creation order",
    """
    import asyncio
    async def child(n, log):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append(n)
            raise
    async def bad():
        await asyncio.sleep(1)
        raise RuntimeError("x")
    async def leftover(n):
        try:
            await asyncio.sleep(10)
        finally:
            print(f"leftover {n} cancelled at exit")
    async def main():
        log = []
        try:
            async with asyncio.TaskGroup() as g:
                for n in range(12):
                    g.create_task(child(n, log))
                g.create_task(bad())
        except* RuntimeError:
            print(f"cancelled in order: {log == sorted(log)} ({len(log)})")
        for n in range(3):
            asyncio.create_task(leftover(n))
        await asyncio.sleep(0)
    asyncio.run(main())
    """,
    """
    cancelled in order: True (12)
    leftover 0 cancelled at exit
    leftover 1 cancelled at exit
    leftover 2 cancelled at exit
    """,
)

case(
    "websockets: default latencies, echo, close handshake from the client, handler close",
    """
    import asyncio, websockets
    def t():
        return f"{asyncio.get_running_loop().time() * 1000:.0f}ms"
    async def handler(ws):
        print(t(), "handler starts", ws.remote_address, ws.path)
        async for msg in ws:
            print(t(), "server got", msg)
            await ws.send(f"echo {msg}")
        print(t(), "handler loop ends", ws.close_code, repr(ws.close_reason))
    async def main():
        async with websockets.serve(handler, "localhost", 8765):
            async with websockets.connect("ws://localhost:8765/chat") as ws:
                print(t(), "client connected", ws.open)
                await ws.send("hi")
                reply = await ws.recv()
                print(t(), "client got", reply)
            print(t(), "client closed", ws.closed, ws.close_code)
    asyncio.run(main())
    """,
    """
    10ms handler starts ('127.0.0.1', 50001) /chat
    10ms client connected True
    15ms server got hi
    20ms client got echo hi
    25ms handler loop ends 1000 ''
    30ms client closed True 1000
    """,
)

case(
    "websockets: the handler returning closes with 1000; recv then raises ConnectionClosedOK",
    """
    # tasklab: latency websockets.connect 100ms
    # tasklab: latency websockets.send 50ms
    import asyncio, websockets
    from websockets.exceptions import ConnectionClosedOK
    def t():
        return f"{asyncio.get_running_loop().time() * 1000:.0f}ms"
    async def handler(ws):
        await ws.send("hello")
    async def main():
        async with websockets.serve(handler, "localhost", 9000):
            ws = await websockets.connect("ws://localhost:9000")
            print(t(), "connected")
            msg = await ws.recv()
            print(t(), "got", msg)
            try:
                await ws.recv()
            except ConnectionClosedOK as e:
                print(t(), type(e).__name__, e, e.code)
            try:
                await ws.send("late")
            except ConnectionClosedOK as e:
                print(t(), "send after close:", e)
            await ws.close()
            print(t(), "close() on a closed connection returns at once")
    asyncio.run(main())
    """,
    """
    100ms connected
    150ms got hello
    150ms ConnectionClosedOK received 1000 (OK); then sent 1000 (OK) 1000
    150ms send after close: received 1000 (OK); then sent 1000 (OK)
    150ms close() on a closed connection returns at once
    """,
)

case(
    "websockets: server close sends 1001, waits for handlers, then refuses connections",
    """
    import asyncio, websockets
    from websockets.exceptions import ConnectionClosed
    def t():
        return f"{asyncio.get_running_loop().time() * 1000:.0f}ms"
    async def handler(ws):
        try:
            await ws.recv()
        except ConnectionClosed as e:
            print(t(), "handler:", type(e).__name__, e)
    async def main():
        server = await websockets.serve(handler, "localhost", 8765)
        ws = await websockets.connect("ws://localhost:8765")
        server.close()
        print(t(), "is_serving", server.is_serving())
        try:
            await ws.recv()
        except ConnectionClosed as e:
            print(t(), "client:", type(e).__name__, e)
        await server.wait_closed()
        print(t(), "server closed")
        try:
            await websockets.connect("ws://localhost:8765")
        except OSError as e:
            print(t(), type(e).__name__, e)
    asyncio.run(main())
    """,
    """
    10ms is_serving False
    15ms client: ConnectionClosedOK received 1001 (going away); then sent 1001 (going away)
    20ms handler: ConnectionClosedOK sent 1001 (going away); then received 1001 (going away)
    20ms server closed
    30ms ConnectionRefusedError [Errno 111] Connect call failed ('localhost', 8765)
    """,
)

case(
    "websockets: a failing handler logs and closes with 1011; broadcast; a cancelled handler aborts",
    """
    import asyncio, logging, sys, websockets
    from websockets.exceptions import ConnectionClosedError
    logging.basicConfig(format="%(levelname)s %(name)s %(message)s", stream=sys.stdout)
    def t():
        return f"{asyncio.get_running_loop().time() * 1000:.0f}ms"
    conns = []
    async def handler(ws):
        conns.append(ws)
        msg = await ws.recv()
        if msg == "fail":
            raise RuntimeError("bad")
        await asyncio.sleep(1)
    async def main():
        async with websockets.serve(handler, "localhost", 8765):
            a = await websockets.connect("ws://localhost:8765")
            b = await websockets.connect("ws://localhost:8765")
            websockets.broadcast(conns, "to all")
            got = (await a.recv(), await b.recv())
            print(t(), "a and b got", got)
            await a.send("fail")
            try:
                await a.recv()
            except ConnectionClosedError as e:
                print(t(), "a:", e)
            await b.send("wait")
            await asyncio.sleep(0.01)
            for task in asyncio.all_tasks():
                if task.get_coro().__qualname__.endswith("_run_handler"):
                    task.cancel()
            try:
                await b.recv()
            except ConnectionClosedError as e:
                print(t(), "b:", e, e.code)
    asyncio.run(main())
    """,
    """
    25ms a and b got ('to all', 'to all')
    ERROR websockets.server connection handler failed
    35ms a: received 1011 (unexpected error); then sent 1011 (unexpected error)
    50ms b: no close frame received or sent 1006
    """,
)


case(
    "a worker thread starts after the current batch; its time.sleep waits in virtual time while the loop runs",
    """
    import asyncio, time
    def work(name, d):
        print(f"{name} starts at {time.monotonic()}")
        time.sleep(d)
        print(f"{name} wakes at {time.monotonic()}")
        return name * 2
    async def ticker():
        for k in range(3):
            print(f"tick {k} at {asyncio.get_running_loop().time()}")
            await asyncio.sleep(0.5)
    async def main():
        t = asyncio.create_task(ticker())
        print("main:", await asyncio.to_thread(work, "ab", 1))
        await t
    asyncio.run(main())
    """,
    """
    tick 0 at 0.0
    ab starts at 0.0
    tick 1 at 0.5
    ab wakes at 1.0
    tick 2 at 1.0
    main: abab
    """,
)

case(
    "cancelling the task that awaits a thread leaves the thread running; asyncio.run waits for it",
    """
    import asyncio, time
    def work():
        for k in range(3):
            time.sleep(1)
            print(f"thread: step {k + 1} at {time.monotonic()}")
        return "result nobody reads"
    async def main():
        try:
            await asyncio.wait_for(asyncio.to_thread(work), timeout=1.5)
        except TimeoutError:
            print(f"main: timed out at {time.monotonic()}")
        print("main returns")
    asyncio.run(main())
    print(f"asyncio.run returned at {time.monotonic()}")
    """,
    """
    thread: step 1 at 1.0
    main: timed out at 1.5
    main returns
    thread: step 2 at 2.0
    thread: step 3 at 3.0
    asyncio.run returned at 3.0
    """,
)

case(
    "an exception in the thread is raised at the await; run_in_executor submits before it is awaited",
    """
    import asyncio, time
    def fails():
        time.sleep(0.25)
        raise ValueError("disk full")
    def note(text):
        print(text, "at", time.monotonic())
        return len(text)
    async def main():
        loop = asyncio.get_running_loop()
        fut = loop.run_in_executor(None, note, "submitted")
        print("future made")
        await asyncio.sleep(0.1)
        print("awaited:", await fut)
        try:
            await asyncio.to_thread(fails)
        except ValueError as e:
            print("caught", repr(e), "at", loop.time())
    asyncio.run(main())
    """,
    """
    future made
    submitted at 0.0
    awaited: 9
    caught ValueError('disk full') at 0.35
    """,
)

case(
    "five worker threads: a sixth call waits for a free one, and a cancelled waiting call never runs",
    """
    import asyncio, time
    def work(n):
        print(f"job {n} starts at {time.monotonic()}")
        time.sleep(1)
        return n
    async def main():
        jobs = [asyncio.create_task(asyncio.to_thread(work, n)) for n in range(7)]
        await asyncio.sleep(0.5)
        jobs[6].cancel()
        print(await asyncio.gather(*jobs[:6]), jobs[6].cancelled())
    asyncio.run(main())
    """,
    """
    job 0 starts at 0.0
    job 1 starts at 0.0
    job 2 starts at 0.0
    job 3 starts at 0.0
    job 4 starts at 0.0
    job 5 starts at 1.0
    [0, 1, 2, 3, 4, 5] True
    """,
)

case(
    "time.sleep on the loop's thread holds the workers too: a worker due meanwhile runs at the next pass",
    """
    import asyncio, time
    def work():
        time.sleep(0.5)
        print(f"worker wakes at {time.monotonic()}")
    async def main():
        fut = asyncio.get_running_loop().run_in_executor(None, work)
        await asyncio.sleep(0)
        time.sleep(2)
        print(f"loop thread wakes at {time.monotonic()}")
        await fut
    asyncio.run(main())
    """,
    """
    loop thread wakes at 2.0
    worker wakes at 2.0
    """,
)


case(
    "to_thread runs builtins, lambdas and bound methods; a cancelled to_thread task still holds asyncio.run",
    """
    import asyncio, time
    class Store:
        def __init__(self):
            self.saved = []
        def save(self, item, delay=0):
            time.sleep(delay)
            self.saved.append(item)
            return len(self.saved)
    async def main():
        loop = asyncio.get_running_loop()
        await asyncio.to_thread(time.sleep, 1)
        print("slept in a thread", loop.time())
        print(await asyncio.to_thread(lambda x: x * 3, "ab"))
        s = Store()
        print(await asyncio.gather(asyncio.to_thread(s.save, "a", delay=0.3), asyncio.to_thread(s.save, "b", delay=0.1)))
        print(s.saved, await loop.run_in_executor(None, sum, [1, 2, 3]))
        t = asyncio.create_task(asyncio.to_thread(time.sleep, 2))
        await asyncio.sleep(0.5)
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            print("cancelled at", loop.time(), t.cancelled())
    asyncio.run(main())
    print("asyncio.run returned at", time.monotonic())
    """,
    """
    slept in a thread 1.0
    ababab
    [2, 1]
    ['b', 'a'] 6
    cancelled at 1.8 True
    asyncio.run returned at 3.3
    """,
)


def main() -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, program, expected, status) in enumerate(CASES):
            path = os.path.join(tmp, f"case_{i}.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(program)
            run = subprocess.run([sys.executable, RUN_ORACLE, path], capture_output=True, text=True, timeout=120)
            if run.stdout == expected and run.returncode == status:
                print(f"ok   {name}")
                continue
            failures += 1
            print(f"FAIL {name}")
            print(f"  status: expected {status}, got {run.returncode}")
            print("  expected stdout:\n" + textwrap.indent(expected, "    | "))
            print("  got stdout:\n" + textwrap.indent(run.stdout, "    | "))
            if run.stderr:
                print("  stderr:\n" + textwrap.indent(run.stderr, "    | "))
    print(f"{len(CASES) - failures} of {len(CASES)} cases pass")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
