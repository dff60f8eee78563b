# test_taskgroups.py style: the body raises CancelledError on its own (no one cancelled the task); the group cancels its children and lets the CancelledError out.
import asyncio


async def child():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("child cancelled")
        raise


async def main():
    t = None
    try:
        async with asyncio.TaskGroup() as g:
            t = g.create_task(child())
            await asyncio.sleep(0.1)
            raise asyncio.CancelledError("from the body")
    except asyncio.CancelledError as e:
        print("CancelledError", e.args, "child cancelled:", t.cancelled())
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
