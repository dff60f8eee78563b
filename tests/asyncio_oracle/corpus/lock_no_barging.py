# test_locks.py (3.11 Lock fairness, test_lock_doesnt_accept_when_cancelled style): a task that releases and at once re-acquires must queue behind the waiter already woken.
import asyncio


async def main():
    lock = asyncio.Lock()
    order = []

    async def hog():
        for i in range(3):
            async with lock:
                order.append(f"hog {i}")
                await asyncio.sleep(0.1)

    async def waiter():
        await asyncio.sleep(0.05)
        async with lock:
            order.append("waiter")

    await asyncio.gather(hog(), waiter())
    print(order)


asyncio.run(main())
