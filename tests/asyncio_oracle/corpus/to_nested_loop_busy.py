# test_timeouts.py (test_nested_timeouts_loop_busy): a blocking pause lets both deadlines pass; in 3.11.7 the inner block lets the CancelledError through and only the outer raises TimeoutError.
import asyncio
import time


async def main():
    loop = asyncio.get_running_loop()
    loop.slow_callback_duration = 10
    t0 = loop.time()
    try:
        async with asyncio.timeout(0.1):
            try:
                async with asyncio.timeout(0.01):
                    time.sleep(0.1)
                    await asyncio.sleep(1)
            except TimeoutError:
                print("inner TimeoutError at", round(loop.time() - t0, 3))
            await asyncio.sleep(10)
            print("not reached")
    except TimeoutError:
        print("outer TimeoutError at", round(loop.time() - t0, 3))


asyncio.run(main())
