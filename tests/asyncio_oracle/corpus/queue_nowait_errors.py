# test_queues.py (test_nonblocking_get_exception, test_nonblocking_put_exception): QueueEmpty and QueueFull.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=1)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("QueueEmpty", repr(str(asyncio.QueueEmpty())))
    q.put_nowait("x")
    try:
        q.put_nowait("y")
    except asyncio.QueueFull:
        print("QueueFull")
    print(q.get_nowait(), q.empty())


asyncio.run(main())
