# test_locks.py (BarrierTests.test_wait_more / test_barrier): three parties pass together; wait() returns distinct indexes.
import asyncio


async def main():
    barrier = asyncio.Barrier(3)
    loop = asyncio.get_running_loop()
    indexes = []

    async def party(n):
        await asyncio.sleep(n * 0.1)
        print(f"{loop.time():.1f} party {n} waits; n_waiting={barrier.n_waiting}")
        i = await barrier.wait()
        indexes.append(i)
        print(f"{loop.time():.1f} party {n} passes")

    await asyncio.gather(*(party(n) for n in range(3)))
    print("indexes:", sorted(indexes), "parties:", barrier.parties, "broken:", barrier.broken)


asyncio.run(main())
