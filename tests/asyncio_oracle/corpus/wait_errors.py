# test_tasks.py (test_wait_errors): wait() refuses an empty set and a bad return_when.
import asyncio


async def main():
    try:
        await asyncio.wait(set())
    except ValueError as e:
        print("empty:", e)
    t = asyncio.create_task(asyncio.sleep(0))
    try:
        await asyncio.wait([t], return_when=-1)
    except ValueError as e:
        print("bad return_when:", e)
    await t


asyncio.run(main())
