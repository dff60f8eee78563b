# test_waitfor.py / test_timeouts.py: wait_for nested in a timeout block; whichever deadline is first decides what comes out.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(1):
            await asyncio.wait_for(asyncio.sleep(10), timeout=5)
    except TimeoutError:
        print("outer deadline first: TimeoutError at", loop.time())
    try:
        async with asyncio.timeout(5) as cm:
            await asyncio.wait_for(asyncio.sleep(10), timeout=1)
    except TimeoutError:
        print("wait_for first: TimeoutError at", loop.time(), "block expired:", cm.expired())


asyncio.run(main())
