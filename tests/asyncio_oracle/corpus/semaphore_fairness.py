# test_locks.py (SemaphoreTests.test_acquire_fifo_order style): released permits go to the waiters in FIFO order, not to a task that arrives later.
import asyncio


async def main():
    sem = asyncio.Semaphore(1)
    order = []

    async def user(name, start, hold):
        await asyncio.sleep(start)
        async with sem:
            order.append(name)
            await asyncio.sleep(hold)

    await asyncio.gather(user("a", 0, 0.3), user("b", 0.1, 0.1), user("c", 0.2, 0.1), user("late", 0.3, 0.1))
    print(order, asyncio.get_running_loop().time())


asyncio.run(main())
