# test_timeouts.py (test_waiter_cancelled): inside the block the sleeping code sees a CancelledError, outside it is a TimeoutError.
import asyncio


async def main():
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError as e:
                print("inside:", type(e).__name__)
                raise
    except TimeoutError as e:
        print("outside:", type(e).__name__)


asyncio.run(main())
