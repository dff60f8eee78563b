# test_taskgroups.py (test_taskgroup_03): cancelling one child by hand does not abort the group.
import asyncio


async def child(delay, value):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"child {value} cancelled")
        raise
    return value


async def main():
    async with asyncio.TaskGroup() as g:
        slow = g.create_task(child(1, 42))
        await asyncio.sleep(0.15)
        print("cancel() returns", slow.cancel())
        fast = g.create_task(child(0.2, 11))
    print("slow cancelled:", slow.cancelled())
    print("fast result:", fast.result())
    print(f"ended at {asyncio.get_running_loop().time():.2f}")


asyncio.run(main())
