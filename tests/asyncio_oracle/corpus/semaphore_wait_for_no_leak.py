# test_locks.py (test_acquire_cancel style): an acquire() that times out under wait_for does not keep a permit.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    sem = asyncio.Semaphore(1)
    await sem.acquire()
    try:
        await asyncio.wait_for(sem.acquire(), 0.5)
    except asyncio.TimeoutError:
        print("timed out at", loop.time())
    sem.release()
    print("locked after release:", sem.locked())
    print("acquire:", await asyncio.wait_for(sem.acquire(), 0.5), "locked:", sem.locked())


asyncio.run(main())
