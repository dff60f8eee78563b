# test_locks.py (EventTests.test_wait): every waiter wakes when the event is set, in the order they started waiting.
import asyncio


async def main():
    ev = asyncio.Event()
    result = []

    async def waiter(n):
        if await ev.wait():
            result.append(n)

    t1 = asyncio.create_task(waiter(1))
    t2 = asyncio.create_task(waiter(2))
    await asyncio.sleep(0)
    print("is_set:", ev.is_set(), result)
    t3 = asyncio.create_task(waiter(3))
    ev.set()
    await asyncio.sleep(0)
    print(result)
    await asyncio.gather(t1, t2, t3)
    print(result, "results:", t1.result(), t2.result(), t3.result())


asyncio.run(main())
