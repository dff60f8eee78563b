# test_locks.py (EventTests style): a waiter woken by set() but cancelled before it ran raises CancelledError; others still return True.
import asyncio


async def main():
    ev = asyncio.Event()
    a = asyncio.create_task(ev.wait())
    b = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    ev.set()
    a.cancel()
    res = await asyncio.gather(a, b, return_exceptions=True)
    print([type(r).__name__ if isinstance(r, BaseException) else r for r in res])


asyncio.run(main())
