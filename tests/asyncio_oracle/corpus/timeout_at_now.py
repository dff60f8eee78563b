# test_timeouts.py (test_timeout_at / zero cases): timeout_at(loop.time()) is already due: the first await raises TimeoutError.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(3)
    try:
        async with asyncio.timeout_at(loop.time()) as cm:
            print("entered, when:", cm.when())
            await asyncio.sleep(0)
            print("not reached")
    except TimeoutError:
        print("TimeoutError at", loop.time(), cm.expired())


asyncio.run(main())
