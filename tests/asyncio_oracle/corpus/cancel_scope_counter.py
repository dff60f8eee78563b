# test_tasks.py style (nonlocal and global state shared by tasks): counters updated by tasks that are cancelled at different points.
import asyncio

finished = 0


async def main():
    started = 0

    async def step(n):
        nonlocal started
        global finished
        started += 1
        await asyncio.sleep(n)
        finished += 1

    tasks = [asyncio.create_task(step(n)) for n in range(1, 6)]
    await asyncio.sleep(2.5)
    for t in tasks:
        t.cancel()
    outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    print(started, finished, [type(o).__name__ for o in outcomes])


asyncio.run(main())
