# test_queues.py (test_why_are_putters_waiting, test_blocking_put_wait): several blocked putters are let in one at a time, in order, as gets make room.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue(maxsize=1)
    q.put_nowait("start")

    async def putter(x):
        await q.put(x)
        print(f"{loop.time():.1f} put {x} (qsize {q.qsize()})")

    tasks = [asyncio.create_task(putter(x)) for x in ("p1", "p2", "p3")]
    for _ in range(4):
        await asyncio.sleep(0.5)
        print(f"{loop.time():.1f} got {q.get_nowait()}")
    await asyncio.gather(*tasks)


asyncio.run(main())
