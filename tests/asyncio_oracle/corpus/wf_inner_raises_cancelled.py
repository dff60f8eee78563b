# test_waitfor.py style: the awaited coroutine raises CancelledError on its own before the deadline; wait_for lets it out as a CancelledError, not a TimeoutError.
import asyncio


async def quits():
    await asyncio.sleep(0.1)
    raise asyncio.CancelledError("inner gave up")


async def main():
    try:
        await asyncio.wait_for(quits(), timeout=5)
    except asyncio.TimeoutError:
        print("TimeoutError")
    except asyncio.CancelledError as e:
        print("CancelledError", e.args, "cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
