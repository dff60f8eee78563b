# test_taskgroups.py (test_taskgroup_11 and _12): a task in two nested groups is cancelled at the instant the inner children fail; with or without an outer child, what comes out is an error group.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    1 / 0


async def runner(with_outer_child):
    async with asyncio.TaskGroup() as outer:
        if with_outer_child:
            outer.create_task(asyncio.sleep(10))
        async with asyncio.TaskGroup() as inner:
            for _ in range(5):
                inner.create_task(fails())
            await asyncio.sleep(10)


async def main():
    for with_outer_child in (False, True):
        r = asyncio.create_task(runner(with_outer_child))
        await asyncio.sleep(0.1)
        print("done before cancel:", r.done())
        r.cancel()
        try:
            await r
        except asyncio.CancelledError:
            print("outer child", with_outer_child, "-> CancelledError")
        except BaseExceptionGroup as eg:
            print("outer child", with_outer_child, "-> group", eg)


asyncio.run(main())
