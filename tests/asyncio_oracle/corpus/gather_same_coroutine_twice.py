# test_tasks.py (test_gather_duplicate_coroutines style): the same coroutine object given twice runs once and fills both places.
import asyncio

runs = 0


async def once():
    global runs
    runs += 1
    await asyncio.sleep(0.1)
    return "v"


async def main():
    c = once()
    print(await asyncio.gather(c, c), runs)


asyncio.run(main())
