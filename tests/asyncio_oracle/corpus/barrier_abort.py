# test_locks.py (BarrierTests.test_abort): abort() breaks the barrier; waiting and later parties get BrokenBarrierError.
import asyncio


async def main():
    barrier = asyncio.Barrier(3)

    async def party(n):
        try:
            await barrier.wait()
            print("party", n, "passed")
        except asyncio.BrokenBarrierError:
            print("party", n, "BrokenBarrierError")

    tasks = [asyncio.create_task(party(n)) for n in range(2)]
    await asyncio.sleep(0.1)
    await barrier.abort()
    await asyncio.gather(*tasks)
    print("broken:", barrier.broken)
    await party(9)
    await barrier.reset()
    print("after reset, broken:", barrier.broken)


asyncio.run(main())
