# test_tasks.py style: task bookkeeping with chained assignment, chained comparisons and a set of finished names.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    started = finished = 0
    names = {"a", "b"}
    seen = set()

    async def work(name):
        nonlocal started, finished
        started += 1
        await asyncio.sleep(0.5)
        finished += 1
        seen.add(name)

    t0 = loop.time()
    await asyncio.gather(*(work(n) for n in sorted(names)))
    t1 = loop.time()
    print(started, finished, seen == names, t0 < t1 <= t0 + 0.5)
    first = second = asyncio.create_task(asyncio.sleep(0, "shared"))
    print(first is second, await first)


asyncio.run(main())
