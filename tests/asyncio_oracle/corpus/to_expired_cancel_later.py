# test_timeouts.py style: after a timeout was handled, a later external cancel of the same task is a plain CancelledError.
import asyncio


async def worker():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(1)
    except TimeoutError:
        print("timed out at", loop.time())
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("external cancel at", loop.time(), "cancelling", asyncio.current_task().cancelling())
        raise


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(2)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("worker cancelled")


asyncio.run(main())
