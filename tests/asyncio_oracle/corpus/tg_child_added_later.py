# test_taskgroups.py (test_taskgroup_02): a child created after the body slept still belongs to the group.
import asyncio


async def child(delay, value):
    await asyncio.sleep(delay)
    print(f"{asyncio.get_running_loop().time():.2f} child {value} returns")
    return value


async def main():
    async with asyncio.TaskGroup() as g:
        first = g.create_task(child(0.1, 42))
        await asyncio.sleep(0.15)
        print("first done while the body sleeps:", first.done())
        second = g.create_task(child(0.2, 11))
    print(f"{asyncio.get_running_loop().time():.2f} results:", first.result(), second.result())


asyncio.run(main())
