# test_timeouts.py (test_outer_task_is_not_cancelled): a task that caught its own timeout ends normally, not cancelled.
import asyncio


async def outer():
    try:
        async with asyncio.timeout(0.001):
            await asyncio.sleep(10)
    except TimeoutError:
        print("outer caught TimeoutError")
    return "finished"


async def main():
    task = asyncio.create_task(outer())
    print(await task)
    print("cancelled:", task.cancelled(), "done:", task.done(), "cancelling:", task.cancelling())


asyncio.run(main())
