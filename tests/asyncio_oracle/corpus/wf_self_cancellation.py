# test_waitfor.py (test_wait_for_self_cancellation): wait_for is cancelled while the inner task holds off its cancel; wait_for waits for the inner task to finish (42) and then raises CancelledError.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def inner():
        try:
            await asyncio.sleep(0.3)
        except asyncio.CancelledError:
            print("inner: first cancel at", loop.time())
            try:
                await asyncio.sleep(0.3)
            except asyncio.CancelledError:
                print("inner: second cancel at", loop.time())
                await asyncio.sleep(0.3)
        return 42

    inner_task = asyncio.create_task(inner())
    task = asyncio.create_task(asyncio.wait_for(inner_task, timeout=0.1))
    await asyncio.sleep(0.05)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("wait_for task cancelled at", loop.time())
    print("inner result:", await inner_task, "at", round(loop.time(), 3))


asyncio.run(main())
