# test_queues.py (test_get_cancelled, test_cancelled_getters_not_being_held_in_self_getters): a cancelled getter loses nothing; the item goes to the next getter.
import asyncio


async def main():
    q = asyncio.Queue()
    a = asyncio.create_task(q.get())
    b = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    a.cancel()
    q.put_nowait("item")
    try:
        await a
    except asyncio.CancelledError:
        print("a cancelled")
    print("b got", await b, "qsize", q.qsize())


asyncio.run(main())
