# test_queues.py (test_nonblocking_put with waiting getters): put_nowait hands the item to the oldest waiting getter.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=1)
    got = []

    async def getter(name):
        got.append((name, await q.get()))

    tasks = [asyncio.create_task(getter(n)) for n in ("g1", "g2")]
    await asyncio.sleep(0)
    q.put_nowait("x")
    print("full right after put:", q.full())
    await asyncio.sleep(0)
    q.put_nowait("y")
    await asyncio.gather(*tasks)
    print(got, q.qsize())


asyncio.run(main())
