# test_taskgroups.py (test_taskgroup_13): the outer group's child fails first; the inner group is cancelled and only the ValueError is reported.
import asyncio


async def crash_after(t):
    await asyncio.sleep(t)
    raise ValueError(t)


async def runner():
    async with asyncio.TaskGroup() as g1:
        g1.create_task(crash_after(0.1))
        async with asyncio.TaskGroup() as g2:
            g2.create_task(crash_after(10))


async def main():
    try:
        await asyncio.create_task(runner())
    except ExceptionGroup as eg:
        print(repr(eg))
        print(f"at {asyncio.get_running_loop().time():.2f}")


asyncio.run(main())
