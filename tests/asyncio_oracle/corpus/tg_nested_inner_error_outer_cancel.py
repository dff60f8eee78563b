# test_taskgroups.py (test_taskgroup_12 family): the inner group's child fails while the task is handling a cancel from outside; the error comes out as a nested group, not as CancelledError.
import asyncio


async def fails():
    await asyncio.sleep(0.2)
    raise ValueError("inner child")


async def runner():
    async with asyncio.TaskGroup() as outer:
        outer.create_task(asyncio.sleep(10))
        async with asyncio.TaskGroup() as inner:
            inner.create_task(fails())
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print("inner body cancelled at", asyncio.get_running_loop().time())
                await asyncio.sleep(0.5)
                raise


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
        print("no error")
    except asyncio.CancelledError:
        print("CancelledError at", asyncio.get_running_loop().time())
    except BaseExceptionGroup as eg:
        print("group at", asyncio.get_running_loop().time(), repr(eg))


asyncio.run(main())
