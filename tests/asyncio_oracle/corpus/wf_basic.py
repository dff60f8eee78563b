# test_waitfor.py (test_wait_for): a task that takes too long is cancelled and wait_for raises TimeoutError at the deadline.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    state = {"running": None}

    async def foo():
        state["running"] = True
        try:
            await asyncio.sleep(10)
        finally:
            state["running"] = False
            print("foo's finally at", loop.time())
        return "done"

    fut = asyncio.create_task(foo())
    t0 = loop.time()
    try:
        await asyncio.wait_for(fut, 0.1)
    except asyncio.TimeoutError:
        print("TimeoutError after", round(loop.time() - t0, 3))
    print("done", fut.done(), "cancelled", fut.cancelled(), "running", state["running"])


asyncio.run(main())
