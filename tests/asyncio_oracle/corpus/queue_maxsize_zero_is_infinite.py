# test_queues.py (test_maxsize): maxsize 0 or negative means unbounded; full() is never true.
import asyncio


async def main():
    for size in (0, -1):
        q = asyncio.Queue(maxsize=size)
        for i in range(100):
            q.put_nowait(i)
        print(size, "qsize", q.qsize(), "full", q.full())


asyncio.run(main())
