# test_locks.py (test_acquire_cancel): a cancelled acquire() does not take the semaphore; the next waiter gets it.
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
    a.cancel()
    sem.release()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print("got:", got, "a cancelled:", a.cancelled(), "locked:", sem.locked())
    await b


asyncio.run(main())
