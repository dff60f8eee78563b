# test_timeouts.py (test_nested_timeouts_concurrent): a blocking pause lets both deadlines pass; what each block lets out.
import asyncio
import time


async def main():
    try:
        async with asyncio.timeout(0.002):
            try:
                async with asyncio.timeout(0.1):
                    time.sleep(0.01)
                    await asyncio.sleep(1)
            except TimeoutError:
                print("inner: TimeoutError")
                raise
            except asyncio.CancelledError:
                print("inner: CancelledError")
                raise
    except TimeoutError:
        print("outer: TimeoutError")
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
