# test_waitfor.py style: wait_for on a task that was already cancelled, and on a task that already finished.
import asyncio


async def main():
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0)
    t.cancel()
    try:
        await asyncio.wait_for(t, 5)
    except asyncio.CancelledError:
        print("CancelledError from the awaited task")
    except asyncio.TimeoutError:
        print("TimeoutError")
    d = asyncio.create_task(asyncio.sleep(0, "ready"))
    await d
    print(await asyncio.wait_for(d, 0), await asyncio.wait_for(d, -3))


asyncio.run(main())
