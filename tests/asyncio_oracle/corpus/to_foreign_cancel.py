# test_timeouts.py (test_foreign_cancel_doesnt_timeout_if_not_expired): a cancel from elsewhere stays a CancelledError when the deadline has not passed.
import asyncio


async def main():
    try:
        async with asyncio.timeout(10) as cm:
            asyncio.current_task().cancel()
            await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("CancelledError, expired:", cm.expired())
    except TimeoutError:
        print("TimeoutError")
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
