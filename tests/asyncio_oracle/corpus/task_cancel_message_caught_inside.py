# test_tasks.py (test_cancel_with_message_in_coroutine style): the coroutine sees the message in the CancelledError raised at its await.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("worker sees", e.args)
        raise


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.5)
    print("cancel:", t.cancel(msg="shutting down"))
    try:
        await t
    except asyncio.CancelledError as e:
        print("awaiter sees", e.args)
    print("cancel again:", t.cancel())


asyncio.run(main())
