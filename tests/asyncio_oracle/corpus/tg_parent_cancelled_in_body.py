# test_taskgroups.py (test_taskgroup_07): the body's own sleep sees the cancel too, and the group waits for the children.
import asyncio

count = 0


async def child():
    global count
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        count += 1
        raise


async def runner():
    global count
    async with asyncio.TaskGroup() as g:
        for _ in range(5):
            g.create_task(child())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            count += 10
            print("body cancelled, count so far", count)
            raise


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("runner raised CancelledError")
    print("count:", count)


asyncio.run(main())
