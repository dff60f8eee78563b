# test_taskgroups.py (test_taskgroup_18): the body answers a cancel with its own exception; the group wraps it.
import asyncio


class MyExc(Exception):
    pass


async def runner():
    async with asyncio.TaskGroup():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("body turns the cancel into MyExc")
            raise MyExc


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    r.cancel()
    try:
        await r
    except ExceptionGroup as eg:
        print("ExceptionGroup:", [type(e).__name__ for e in eg.exceptions])
    except asyncio.CancelledError:
        print("CancelledError")
    print("task cancelled:", r.cancelled())


asyncio.run(main())
