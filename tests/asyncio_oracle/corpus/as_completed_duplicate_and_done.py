# test_tasks.py (test_as_completed_duplicate_coroutines, test_as_completed_with_unused_timeout): a task given twice is yielded once; a timeout that never fires changes nothing.
import asyncio


async def main():
    t = asyncio.create_task(asyncio.sleep(0.1, "t"))
    u = asyncio.create_task(asyncio.sleep(0.2, "u"))
    results = []
    for f in asyncio.as_completed([t, t, u], timeout=10):
        results.append(await f)
    print(results, asyncio.get_running_loop().time())


asyncio.run(main())
