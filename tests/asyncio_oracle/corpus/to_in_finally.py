# test_timeouts.py (test_nested_timeout_in_finally): a second timeout inside the finally of a timed-out block also fires.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.01):
            try:
                await asyncio.sleep(1)
            finally:
                try:
                    async with asyncio.timeout(0.01):
                        await asyncio.sleep(10)
                except TimeoutError:
                    print("inner TimeoutError at", round(loop.time(), 3))
    except TimeoutError:
        print("outer TimeoutError at", round(loop.time(), 3))


asyncio.run(main())
