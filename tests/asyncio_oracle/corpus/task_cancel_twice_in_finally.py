# test_tasks.py (test_cancel_current_task style): a second cancel during the cleanup interrupts the cleanup's own await.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    finally:
        try:
            await asyncio.sleep(5)
            print("cleanup finished")
        except asyncio.CancelledError:
            print("cleanup interrupted at", asyncio.get_running_loop().time())
            raise


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(1)
    t.cancel()
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled; cancelling =", t.cancelling())


asyncio.run(main())
