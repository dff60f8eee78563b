# test_locks.py (test_semaphore, test_initial_value_zero, test_release_no_waiters): locked() and acquire/release by hand.
import asyncio


async def main():
    sem = asyncio.Semaphore()
    print("locked:", sem.locked())
    print("acquire:", await sem.acquire(), "locked:", sem.locked())
    sem.release()
    print("released, locked:", sem.locked())
    zero = asyncio.Semaphore(0)
    print("Semaphore(0) locked:", zero.locked())
    zero.release()
    zero.release()
    print("after two releases:", await zero.acquire(), await zero.acquire(), zero.locked())
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
