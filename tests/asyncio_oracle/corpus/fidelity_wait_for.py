# asyncio.wait_for with zero and negative timeouts (CPython checks `timeout <= 0`), with an
# awaitable that is already done, and the TimeoutError's __cause__.
import asyncio


async def work(label, delay):
    try:
        await asyncio.sleep(delay)
        return label
    except asyncio.CancelledError:
        print("  work", label, "cancelled")
        raise


async def attempt(what, aw, timeout):
    loop = asyncio.get_running_loop()
    try:
        result = await asyncio.wait_for(aw, timeout=timeout)
        print(what, "->", result, "at", loop.time())
    except TimeoutError as e:
        print(what, "-> TimeoutError at", loop.time(), "cause:", type(e.__cause__).__name__,
              "context is cause:", e.__context__ is e.__cause__)


async def main():
    loop = asyncio.get_running_loop()
    await attempt("negative timeout", work("a", 1), -1)
    await attempt("zero timeout", work("b", 1), 0)
    await attempt("zero float timeout", work("c", 1), 0.0)
    done = loop.create_future()
    done.set_result("ready")
    await attempt("done future, timeout 0", done, 0)
    await attempt("done future, timeout -5", done, -5)
    task = asyncio.create_task(work("d", 0))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("task done before wait_for:", task.done())
    await attempt("done task, timeout -1", task, -1)
    await attempt("positive timeout", work("e", 2), 1)
    await attempt("in time", work("f", 1), 2)
    await attempt("no timeout", work("g", 0.5), None)

    failed = loop.create_future()
    failed.set_exception(ValueError("bad"))
    try:
        await asyncio.wait_for(failed, timeout=0)
    except ValueError as e:
        print("done future with an error, timeout 0 ->", repr(e))

    async def cancelled_outside():
        await asyncio.wait_for(work("h", 5), timeout=3)

    t = asyncio.create_task(cancelled_outside())
    await asyncio.sleep(1)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        print("outer cancel ->", repr(e), "at", loop.time())


asyncio.run(main())
