# test_queues.py (QueueBasicTests: test_empty, test_full, test_order, test_maxsize): FIFO order, qsize, empty, full.
import asyncio


async def main():
    q = asyncio.Queue()
    print("empty:", q.empty(), "full:", q.full(), "maxsize:", q.maxsize)
    for i in (1, 3, 2):
        q.put_nowait(i)
    print("qsize:", q.qsize())
    print([q.get_nowait() for _ in range(3)])
    small = asyncio.Queue(maxsize=2)
    small.put_nowait(1)
    small.put_nowait(2)
    print("full:", small.full(), "qsize:", small.qsize())


asyncio.run(main())
