# test_timeouts.py style: an external cancel at the very instant of the deadline; the cancel was requested first, so it is not turned into TimeoutError.
import asyncio


async def worker():
    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(5)


async def main():
    loop = asyncio.get_running_loop()
    t = asyncio.create_task(worker())
    loop.call_later(1, t.cancel)
    try:
        await t
        print("no error")
    except asyncio.CancelledError:
        print("CancelledError at", loop.time())
    except TimeoutError:
        print("TimeoutError at", loop.time())


asyncio.run(main())
