# test_locks.py (BarrierTests.test_wait_repeat): the same barrier is used for several rounds.
import asyncio


async def main():
    barrier = asyncio.Barrier(2)
    loop = asyncio.get_running_loop()

    async def runner(name, step):
        for rnd in range(3):
            await asyncio.sleep(step)
            await barrier.wait()
            print(f"{loop.time():.1f} {name} round {rnd}")

    await asyncio.gather(runner("fast", 0.1), runner("slow", 0.3))


asyncio.run(main())
