# test_locks.py (ConditionTests.test_wait, test_notify): notify(n) wakes n waiters, each once it gets the lock back.
import asyncio


async def main():
    cond = asyncio.Condition()
    result = []

    async def waiter(n):
        async with cond:
            await cond.wait()
            result.append(n)

    tasks = [asyncio.create_task(waiter(n)) for n in (1, 2, 3)]
    await asyncio.sleep(0)
    print("locked:", cond.locked())
    async with cond:
        cond.notify(1)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(result)
    async with cond:
        cond.notify(2)
    await asyncio.gather(*tasks)
    print(result)


asyncio.run(main())
