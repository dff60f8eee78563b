# test_locks.py (test_acquire_cancel, test_cancel_release_race): a waiter cancelled in acquire() does not get the lock; the next waiter does.
import asyncio


async def main():
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter(name):
        async with lock:
            print(name, "has the lock")
            await asyncio.sleep(0.1)

    b = asyncio.create_task(waiter("b"))
    c = asyncio.create_task(waiter("c"))
    await asyncio.sleep(0)
    b.cancel()
    lock.release()
    await asyncio.gather(b, c, return_exceptions=True)
    print("b cancelled:", b.cancelled(), "c done:", c.done(), "locked:", lock.locked())


asyncio.run(main())
