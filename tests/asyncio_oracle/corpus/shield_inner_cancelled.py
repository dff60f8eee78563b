# test_tasks.py (test_shield_cancel_inner): when the shielded task itself is cancelled, the outer await is cancelled too.
import asyncio


async def main():
    inner = asyncio.create_task(asyncio.sleep(10))
    outer = asyncio.shield(inner)
    await asyncio.sleep(0)
    inner.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer raised CancelledError; outer cancelled:", outer.cancelled())


asyncio.run(main())
