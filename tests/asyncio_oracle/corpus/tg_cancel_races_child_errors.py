# test_taskgroups.py (test_cancellation_in_body): the parent is cancelled at the very instant its children fail (main's timer was armed first); the children's errors still come out as an ExceptionGroup.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    1 / 0


async def runner():
    async with asyncio.TaskGroup() as g:
        for _ in range(5):
            g.create_task(fails())
        await asyncio.sleep(10)


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    print("runner done:", r.done())
    r.cancel("test")
    try:
        await r
    except asyncio.CancelledError as e:
        print("CancelledError", e.args)
    except ExceptionGroup as eg:
        print("ExceptionGroup with", len(eg.exceptions))


asyncio.run(main())
