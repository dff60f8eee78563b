# test_locks.py (test_cancel_release_race, test_lock_by_with_statement): a waiter woken by release() but cancelled before it ran hands the lock to the next waiter.
import asyncio


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    got = []

    async def waiter(name):
        async with lock:
            got.append(name)

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    lock.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    print(got, a.cancelled(), lock.locked())


asyncio.run(main())
