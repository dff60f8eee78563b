# test_tasks.py (test_cancel_inner_future, test_cancel_both_task_and_inner_future): cancelling a task that awaits another task cancels that one too.
import asyncio


async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("inner cancelled")
        raise


async def outer(holder):
    t = asyncio.create_task(inner())
    holder.append(t)
    try:
        await t
    except asyncio.CancelledError:
        print("outer cancelled")
        raise


async def main():
    holder = []
    o = asyncio.create_task(outer(holder))
    await asyncio.sleep(0.1)
    o.cancel()
    try:
        await o
    except asyncio.CancelledError:
        pass
    print("outer cancelled:", o.cancelled(), "inner cancelled:", holder[0].cancelled())


asyncio.run(main())
