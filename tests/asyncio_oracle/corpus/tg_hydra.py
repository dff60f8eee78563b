# test_taskgroups.py (test_taskgroup_25): every hydra head spawns two more until Hercules fails and the group cancels the heads.
import asyncio

heads = 0


async def hydra(g):
    global heads
    heads += 1
    await asyncio.sleep(0.01)
    g.create_task(hydra(g))
    g.create_task(hydra(g))


async def hercules():
    while heads < 10:
        await asyncio.sleep(0.015)
    1 / 0


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(hydra(g))
            g.create_task(hercules())
    except ExceptionGroup as eg:
        print([type(e).__name__ for e in eg.exceptions])
    print("heads:", heads)
    print(f"at {asyncio.get_running_loop().time():.3f}")


asyncio.run(main())
