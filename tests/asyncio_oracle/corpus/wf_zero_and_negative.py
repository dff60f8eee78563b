# test_waitfor.py (test_wait_for_timeout_less_then_0_or_0): a running task with timeout 0 or -1 is cancelled at once and wait_for raises TimeoutError.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    for timeout in (0, -1):
        state = {}
        started = loop.create_future()

        async def foo():
            state["running"] = True
            started.set_result(None)
            try:
                await asyncio.sleep(10)
            finally:
                state["running"] = False
            return "done"

        fut = asyncio.create_task(foo())
        await started
        t0 = loop.time()
        try:
            await asyncio.wait_for(fut, timeout)
            print(timeout, "no timeout")
        except asyncio.TimeoutError:
            print(timeout, "TimeoutError after", loop.time() - t0)
        print("  done", fut.done(), "cancelled", fut.cancelled(), "running", state["running"])


asyncio.run(main())
