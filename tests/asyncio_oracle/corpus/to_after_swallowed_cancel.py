# test_timeouts.py (test_timeout_after_cancellation): the task swallowed a cancel, then a zero timeout in its finally must still give TimeoutError (3.11.7 compares with the cancel count at entry).
import asyncio


async def main():
    try:
        asyncio.current_task().cancel()
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed the cancel, cancelling =", asyncio.current_task().cancelling())
    finally:
        try:
            async with asyncio.timeout(0.0):
                await asyncio.sleep(1)
        except TimeoutError:
            print("cleanup timed out: TimeoutError")
        except asyncio.CancelledError:
            print("cleanup: CancelledError")


asyncio.run(main())
