# test_tasks.py style (return in finally): a return inside finally swallows the CancelledError; the task is not cancelled.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    finally:
        return "finally wins"


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    t.cancel()
    print(await t, t.cancelled())


asyncio.run(main())
