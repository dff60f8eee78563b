# test_taskgroups.py (test_taskgroup_15 and _16): the body cleans up slowly after a cancel and a child fails during that cleanup; the failure cuts the cleanup short and the task ends with an ExceptionGroup.
import asyncio


async def crash_soon():
    await asyncio.sleep(0.3)
    print("child fails at 0.3")
    1 / 0


async def nested_runner():
    async with asyncio.TaskGroup() as g:
        g.create_task(crash_soon())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("body cleans up")
            await asyncio.sleep(0.5)
            print("cleanup done at", asyncio.get_running_loop().time())
            raise


async def via_task():
    await asyncio.create_task(nested_runner())


async def main():
    for make in (nested_runner, via_task):
        start = asyncio.get_running_loop().time()
        r = asyncio.create_task(make())
        await asyncio.sleep(0.1)
        r.cancel()
        try:
            await r
            print("no error")
        except asyncio.CancelledError:
            print(make.__name__, "ends cancelled")
        except BaseExceptionGroup as eg:
            print(make.__name__, "ends with", repr(eg))
        print("elapsed", round(asyncio.get_running_loop().time() - start, 3))


asyncio.run(main())
