# test_tasks.py (test_cancel_with_message_* family): the task answers a cancel by raising its own CancelledError; the awaiter sees that one.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("worker got", e.args)
        raise asyncio.CancelledError("replaced by the worker")


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    t.cancel("from main")
    try:
        await t
    except asyncio.CancelledError as e:
        print("main sees", e.args, t.cancelled())


asyncio.run(main())
