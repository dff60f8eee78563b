# test_tasks.py (test_cancel_task_catching): cancelling a task that waits on a plain future cancels the future too.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()

    async def waiter():
        return await fut

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("task cancelled:", t.cancelled())
    print("future cancelled:", fut.cancelled())


asyncio.run(main())
