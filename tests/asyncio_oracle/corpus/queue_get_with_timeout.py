# test_queues.py (test_get_cancelled_race style): a get() under wait_for that times out leaves the queue usable.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    try:
        await asyncio.wait_for(q.get(), timeout=0.5)
    except asyncio.TimeoutError:
        print("get timed out at", loop.time())
    loop.call_later(0.2, q.put_nowait, "late item")
    print(await asyncio.wait_for(q.get(), timeout=1), "at", loop.time())


asyncio.run(main())
