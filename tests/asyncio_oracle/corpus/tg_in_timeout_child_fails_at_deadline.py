# test_taskgroups.py / test_timeouts.py: a TaskGroup inside a timeout whose child fails at the very deadline (the timeout's timer was armed first): only TimeoutError comes out.
import asyncio


async def fails_at(t):
    await asyncio.sleep(t)
    raise ValueError("at the deadline")


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1):
            async with asyncio.TaskGroup() as g:
                g.create_task(fails_at(1))
                g.create_task(asyncio.sleep(5))
    except TimeoutError:
        print("TimeoutError at", loop.time())
    except ExceptionGroup as eg:
        print("ExceptionGroup at", loop.time(), [str(e) for e in eg.exceptions])
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
