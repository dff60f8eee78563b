# test_tasks.py (test_cancel_task_before_start style): a task cancelled before it ran never executes a line of its coroutine.
import asyncio

ran = []


async def body():
    ran.append("started")
    await asyncio.sleep(1)


async def main():
    t = asyncio.create_task(body())
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("CancelledError")
    print("ran:", ran, "cancelled:", t.cancelled())


asyncio.run(main())
