# test_tasks.py (test_as_completed_with_timeout): when as_completed times out, the tasks it did not yield keep running.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    slow = asyncio.create_task(asyncio.sleep(2, "slow"))
    fast = asyncio.create_task(asyncio.sleep(0.5, "fast"))
    try:
        for f in asyncio.as_completed([slow, fast], timeout=1):
            print(await f, loop.time())
    except asyncio.TimeoutError:
        print("TimeoutError at", loop.time(), "slow cancelled:", slow.cancelled())
    print(await slow, loop.time())


asyncio.run(main())
