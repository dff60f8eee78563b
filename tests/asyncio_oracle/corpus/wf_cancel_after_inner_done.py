# test_waitfor.py (test_wait_for_issue86296): a cancel that arrives while wait_for's inner coroutine has just finished is lost in 3.11 (fixed in 3.12): the task runs to its end.
import asyncio

reached_end = False


async def inner():
    return


async def wait_for_coro():
    global reached_end
    await asyncio.wait_for(inner(), timeout=100)
    await asyncio.sleep(1)
    reached_end = True


async def main():
    task = asyncio.create_task(wait_for_coro())
    await asyncio.sleep(0)
    print("done after one step:", task.done())
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("CancelledError")
    print("reached end:", reached_end)


asyncio.run(main())
