# test_taskgroups.py (test_taskgroup_11 and _12): cancelling a task that sits in two nested groups ends in CancelledError, not in an error group, even though the inner children were about to fail.
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
