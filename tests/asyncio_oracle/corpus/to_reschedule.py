# test_timeouts.py (test_reschedule): another task moves the deadline later, then removes it; a cancel then is not a timeout.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    deadline1 = loop.time() + 10
    deadline2 = deadline1 + 20

    async def f():
        async with asyncio.timeout_at(deadline1) as cm:
            fut.set_result(cm)
            await asyncio.sleep(50)

    task = asyncio.create_task(f())
    cm = await fut
    print("when:", cm.when())
    cm.reschedule(deadline2)
    print("after reschedule:", cm.when())
    cm.reschedule(None)
    print("after reschedule(None):", cm.when())
    await asyncio.sleep(40)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("CancelledError at", loop.time(), "expired:", cm.expired())


asyncio.run(main())
