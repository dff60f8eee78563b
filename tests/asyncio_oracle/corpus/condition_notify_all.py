# test_locks.py (test_notify_all): notify_all wakes every waiter.
import asyncio


async def main():
    cond = asyncio.Condition()
    woke = []

    async def waiter(n):
        async with cond:
            ok = await cond.wait()
            woke.append((n, ok))

    tasks = [asyncio.create_task(waiter(n)) for n in range(4)]
    await asyncio.sleep(0.1)
    async with cond:
        cond.notify_all()
        print("notified; woke so far:", woke)
    await asyncio.gather(*tasks)
    print(woke)


asyncio.run(main())
