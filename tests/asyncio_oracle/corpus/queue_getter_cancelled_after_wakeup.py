# test_queues.py (test_cancelled_getters_not_being_held_in_self_getters, test_get_cancelled_race): a getter woken by put but cancelled before it ran leaves the item for the next getter.
import asyncio


async def main():
    q = asyncio.Queue()
    a = asyncio.create_task(q.get())
    b = asyncio.create_task(q.get())
    await asyncio.sleep(0)
    q.put_nowait("item")
    a.cancel()
    res = await asyncio.gather(a, b, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in res], q.qsize())


asyncio.run(main())
