# test_taskgroups.py (test_taskgroup_14): the inner group's child fails first; the outer group reports the inner group as one nested ExceptionGroup.
import asyncio


async def crash_after(t):
    await asyncio.sleep(t)
    raise ValueError(t)


async def runner():
    async with asyncio.TaskGroup() as g1:
        g1.create_task(crash_after(10))
        async with asyncio.TaskGroup() as g2:
            g2.create_task(crash_after(0.1))


async def main():
    try:
        await asyncio.create_task(runner())
    except ExceptionGroup as eg:
        print("outer:", type(eg.exceptions[0]).__name__, len(eg.exceptions))
        inner = eg.exceptions[0]
        print("inner:", repr(inner.exceptions[0]))
        print(f"at {asyncio.get_running_loop().time():.2f}")


asyncio.run(main())
