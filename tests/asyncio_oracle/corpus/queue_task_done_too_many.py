# test_queues.py (test_task_done_underflow): task_done() more often than items is a ValueError.
import asyncio


async def main():
    q = asyncio.Queue()
    try:
        q.task_done()
    except ValueError as e:
        print("ValueError:", e)
    q.put_nowait(1)
    q.get_nowait()
    q.task_done()
    try:
        q.task_done()
    except ValueError as e:
        print("again:", e)


asyncio.run(main())
