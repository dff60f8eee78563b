# test_queues.py (LifoQueueTests.test_order, PriorityQueueTests.test_order): LifoQueue and PriorityQueue orders.
import asyncio


async def main():
    lifo = asyncio.LifoQueue()
    prio = asyncio.PriorityQueue()
    for item in (1, 3, 2):
        lifo.put_nowait(item)
        prio.put_nowait(item)
    print("lifo:", [lifo.get_nowait() for _ in range(3)])
    print("priority:", [prio.get_nowait() for _ in range(3)])
    prio.put_nowait((2, "b"))
    prio.put_nowait((1, "a"))
    prio.put_nowait((3, "c"))
    print("tuples:", [await prio.get() for _ in range(3)])


asyncio.run(main())
