# test_locks.py (SemaphoreTests.test_acquire): at most `value` holders at once; the others wait in order.
import asyncio


async def main():
    sem = asyncio.Semaphore(2)
    loop = asyncio.get_running_loop()

    async def job(n):
        async with sem:
            print(f"{loop.time():.1f} job {n} starts")
            await asyncio.sleep(1)

    await asyncio.gather(*(job(n) for n in range(5)))
    print("locked:", sem.locked(), "at", loop.time())


asyncio.run(main())
