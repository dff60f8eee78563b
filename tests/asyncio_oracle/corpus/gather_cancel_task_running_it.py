# test_tasks.py (test_cancel_gather_2 style): cancelling the task that awaits a gather cancels the gather's children.
import asyncio


async def child(n):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("child", n, "cancelled")
        raise


async def parent():
    await asyncio.gather(child(1), child(2))


async def main():
    p = asyncio.create_task(parent())
    await asyncio.sleep(0.1)
    p.cancel("from main")
    try:
        await p
    except asyncio.CancelledError as e:
        print("parent cancelled", e.args)


asyncio.run(main())
