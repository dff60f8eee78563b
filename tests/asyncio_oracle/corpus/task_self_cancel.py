# test_tasks.py (test_cancel_current_task): a task cancels itself; the CancelledError arrives at its next await.
import asyncio


async def selfish():
    asyncio.current_task().cancel()
    print("still running after cancel()")
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        print("cancelled at the next await")
        raise


async def main():
    t = asyncio.create_task(selfish())
    try:
        await t
    except asyncio.CancelledError:
        print("task cancelled:", t.cancelled())


asyncio.run(main())
