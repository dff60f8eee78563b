# test_taskgroups.py (test_taskgroup_01): the block waits for both children; their results are read afterwards.
import asyncio


async def child(delay, value):
    await asyncio.sleep(delay)
    print(f"{asyncio.get_running_loop().time():.2f} child {value} returns")
    return value


async def main():
    async with asyncio.TaskGroup() as g:
        first = g.create_task(child(0.1, 42))
        second = g.create_task(child(0.2, 11))
        print("body ends before the children")
    print(f"{asyncio.get_running_loop().time():.2f} after the block:", first.result(), second.result())


asyncio.run(main())
