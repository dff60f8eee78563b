# test_locks.py (test_wait_on_set, test_clear, test_clear_with_waiters): wait() on a set event returns at once; set then clear still wakes the waiter.
import asyncio


async def main():
    ev = asyncio.Event()
    ev.set()
    print("wait on a set event:", await ev.wait())
    ev.clear()
    print("cleared:", ev.is_set())

    woke = []

    async def waiter():
        woke.append(await ev.wait())

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    ev.set()
    ev.clear()
    print("after set+clear:", ev.is_set())
    await t
    print("waiter woke with", woke)


asyncio.run(main())
