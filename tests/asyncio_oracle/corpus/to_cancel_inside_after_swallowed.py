# test_timeouts.py (test_cancel_in_timeout_after_cancellation): after a swallowed cancel, a new cancel inside a timeout block stays a CancelledError.
import asyncio


async def main():
    try:
        asyncio.current_task().cancel()
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass
    finally:
        try:
            async with asyncio.timeout(1.0):
                asyncio.current_task().cancel()
                await asyncio.sleep(2)
        except asyncio.CancelledError:
            print("CancelledError, as expected")
        except TimeoutError:
            print("TimeoutError")
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
