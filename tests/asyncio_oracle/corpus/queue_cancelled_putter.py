# test_queues.py (test_put_cancelled, test_cancelled_puts_not_being_held_in_self_putters): a cancelled put() does not add its item.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("first")
    p = asyncio.create_task(q.put("second"))
    await asyncio.sleep(0)
    p.cancel()
    try:
        await p
    except asyncio.CancelledError:
        print("put cancelled")
    print(q.get_nowait(), q.empty())
    await q.put("third")
    print(q.get_nowait())


asyncio.run(main())
