# test_timeouts.py (test_timeout_zero, test_timeout_zero_sleep_zero): a zero timeout expires at the first await, even a sleep(0).
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    for pause in (10, 0):
        t0 = loop.time()
        try:
            async with asyncio.timeout(0) as cm:
                await asyncio.sleep(pause)
            print("no timeout")
        except TimeoutError:
            t1 = loop.time()
            print(f"sleep({pause}): expired {cm.expired()}, when within [t0, t1]: {t0 <= cm.when() <= t1}")


asyncio.run(main())
