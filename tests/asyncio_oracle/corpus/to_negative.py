# test_timeouts.py (test_timeout_in_the_past_sleep_zero): a negative delay is a deadline in the past: expired at once, when() is now minus 11.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(20)
    t0 = loop.time()
    try:
        async with asyncio.timeout(-11) as cm:
            print("when:", cm.when())
            await asyncio.sleep(0)
        print("no timeout")
    except TimeoutError:
        print("TimeoutError, expired:", cm.expired(), "when:", cm.when(), "t0:", t0)


asyncio.run(main())
