# test_tasks.py (test_cancel_yield style): a cancelled task may await in its finally; it finishes the cleanup before it ends cancelled.
import asyncio


async def worker():
    loop = asyncio.get_running_loop()
    try:
        await asyncio.sleep(10)
    finally:
        print("cleanup starts at", loop.time())
        await asyncio.sleep(0.5)
        print("cleanup ends at", loop.time())


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled at", asyncio.get_running_loop().time())


asyncio.run(main())
