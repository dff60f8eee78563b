# test_taskgroups.py (test_cancellation): cancelling the task that runs the group cancels all five children and keeps the message.
import asyncio

cancelled_children = 0


async def child():
    global cancelled_children
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        cancelled_children += 1
        raise


async def runner():
    async with asyncio.TaskGroup() as g:
        for _ in range(5):
            g.create_task(child())


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.1)
    print("runner done before cancel:", r.done())
    r.cancel("test")
    try:
        await r
    except asyncio.CancelledError as e:
        print("CancelledError args:", e.args)
    print("children cancelled:", cancelled_children)
    print("runner cancelled:", r.cancelled())


asyncio.run(main())
