# test_timeouts.py (test_reschedule style): moving the deadline into the past expires the block at once.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(5)
    try:
        async with asyncio.timeout(10) as cm:
            await asyncio.sleep(1)
            cm.reschedule(loop.time() - 3)
            print("when now:", cm.when())
            await asyncio.sleep(10)
    except TimeoutError:
        print("TimeoutError at", loop.time(), "expired:", cm.expired())


asyncio.run(main())
