# test_taskgroups.py (test_taskgroup_24): a child adds more children to its own group; the block waits for them all.
import asyncio


async def leaf(name, delay):
    await asyncio.sleep(delay)
    print(f"{asyncio.get_running_loop().time():.2f} leaf {name}")


async def root(g):
    await asyncio.sleep(0.1)
    g.create_task(leaf("a", 0.1))
    g.create_task(leaf("b", 0.2))
    print("root done")


async def main():
    async with asyncio.TaskGroup() as g:
        g.create_task(root(g))
    print(f"{asyncio.get_running_loop().time():.2f} group closed")


asyncio.run(main())
