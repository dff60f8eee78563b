# asyncio.Queue as queues.py does it: maxsize, put/get waiting in FIFO order, the _nowait forms
# with QueueFull and QueueEmpty, task_done/join, and the PriorityQueue and LifoQueue orders.
import asyncio


async def producer(q, name, items):
    for item in items:
        await q.put(item)
        print(f"{name} put {item!r} qsize={q.qsize()} full={q.full()}")


async def consumer(q, name, n):
    for _ in range(n):
        item = await q.get()
        print(f"{name} got {item!r}")
        await asyncio.sleep(0.1)
        q.task_done()


async def main():
    q = asyncio.Queue(maxsize=2)
    print("maxsize", q.maxsize, "empty", q.empty(), "full", q.full(), "qsize", q.qsize())
    try:
        q.get_nowait()
    except asyncio.QueueEmpty as e:
        print("QueueEmpty", repr(e))
    q.put_nowait("a")
    q.put_nowait("b")
    print(str(q))
    try:
        q.put_nowait("c")
    except asyncio.QueueFull as e:
        print("QueueFull", repr(e))
    print(q.get_nowait(), q.get_nowait())
    q.task_done()
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)

    workers = [asyncio.create_task(consumer(q, f"c{i}", 3)) for i in range(2)]
    await asyncio.gather(producer(q, "p1", [1, 2, 3]), producer(q, "p2", ["x", "y", "z"]))
    await q.join()
    print("joined at", asyncio.get_running_loop().time(), "unfinished none:", q.empty())
    await asyncio.gather(*workers)

    pq = asyncio.PriorityQueue()
    for item in [(3, "c"), (1, "a"), (2, "b"), (1, "aa"), (5, "e"), (0, "z"), (2, "a")]:
        pq.put_nowait(item)
    print(str(pq))
    print("priority:", [pq.get_nowait() for _ in range(pq.qsize())])
    lq = asyncio.LifoQueue(maxsize=3)
    for item in "xyz":
        await lq.put(item)
    taken = []
    for _ in range(3):
        taken.append(await lq.get())
    print("lifo full before:", lq.full() or len(taken) == 3, taken, str(lq))

    q = asyncio.Queue()
    getter = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    getter.cancel()
    await asyncio.sleep(0)
    print("cancelled getter:", getter.cancelled(), "qsize", q.qsize())
    q.put_nowait(10)
    late = asyncio.create_task(q.get())
    print("late getter:", await late)

    q = asyncio.Queue(1)
    await q.put(1)
    try:
        await asyncio.wait_for(q.put(2), timeout=0.5)
    except TimeoutError:
        print("put timed out; qsize", q.qsize())
    print(isinstance(pq, asyncio.Queue), isinstance(lq, asyncio.Queue), type(pq).__name__, type(lq).__name__)


asyncio.run(main())
