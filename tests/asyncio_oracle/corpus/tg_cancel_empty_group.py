# test_taskgroups.py (test_taskgroup_17): a group without children, its body cancelled.
import asyncio

count = 0


async def runner():
    global count
    async with asyncio.TaskGroup():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            count += 10
            raise


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("CancelledError")
    print("count", count, "cancelled", r.cancelled())


asyncio.run(main())
