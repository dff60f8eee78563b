# test_locks.py (test_acquire_cancel_after_release style): a waiter woken by release() but cancelled before it ran passes the permit on.
import asyncio


async def main():
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    got = []

    async def waiter(name):
        await sem.acquire()
        got.append(name)

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(0)
    sem.release()
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    print(got, a.cancelled(), sem.locked())


asyncio.run(main())
