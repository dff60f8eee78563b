# test_locks.py (test_release_not_acquired for BoundedSemaphore): releasing a BoundedSemaphore past its start value raises.
import asyncio


async def main():
    sem = asyncio.BoundedSemaphore(1)
    await sem.acquire()
    sem.release()
    try:
        sem.release()
    except ValueError as e:
        print("ValueError:", e)
    plain = asyncio.Semaphore(1)
    plain.release()
    print("a plain Semaphore accepts it; two acquires:", await plain.acquire(), await plain.acquire())


asyncio.run(main())
