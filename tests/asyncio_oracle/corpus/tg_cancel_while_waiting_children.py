# test_taskgroups.py (test_taskgroup_22): the runner is cancelled while `async with` waits for its children at the end of the block.
import asyncio


async def child(delay, value):
    try:
        await asyncio.sleep(delay)
        return value
    finally:
        print(f"child {value} leaves at {asyncio.get_running_loop().time():.2f}")


async def runner():
    async with asyncio.TaskGroup() as g:
        g.create_task(child(1, 42))
        g.create_task(child(2, 11))
    print("not reached")


async def main():
    r = asyncio.create_task(runner())
    await asyncio.sleep(0.05)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("runner cancelled:", r.cancelled())


asyncio.run(main())
