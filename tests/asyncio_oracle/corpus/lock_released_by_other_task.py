# test_locks.py (test_release_*): an asyncio Lock has no owner; another task may release it and wake the waiter.
import asyncio


async def main():
    lock = asyncio.Lock()
    await lock.acquire()

    async def waiter():
        async with lock:
            print("waiter got the lock at", asyncio.get_running_loop().time())

    async def releaser():
        await asyncio.sleep(1)
        lock.release()
        print("released by another task")

    await asyncio.gather(waiter(), releaser())
    print("locked:", lock.locked())


asyncio.run(main())
