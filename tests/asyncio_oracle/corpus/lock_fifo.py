# test_locks.py (LockTests.test_acquire): waiters get the lock in the order they asked for it.
import asyncio


async def main():
    lock = asyncio.Lock()
    order = []
    await lock.acquire()

    async def worker(n):
        got = await lock.acquire()
        order.append(n)
        print("worker", n, "acquired:", got)
        await asyncio.sleep(0.1)
        lock.release()

    tasks = [asyncio.create_task(worker(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    print("locked:", lock.locked(), "order so far:", order)
    lock.release()
    await asyncio.gather(*tasks)
    print("order:", order, "locked:", lock.locked(), "at", asyncio.get_running_loop().time())


asyncio.run(main())
