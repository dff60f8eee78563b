# test_queues.py (test_nonblocking_get with putters): get_nowait() on a full queue lets the oldest blocked putter in.
import asyncio


async def main():
    q = asyncio.Queue(maxsize=1)
    q.put_nowait(1)
    done = []

    async def putter(x):
        await q.put(x)
        done.append(x)

    tasks = [asyncio.create_task(putter(x)) for x in (2, 3)]
    await asyncio.sleep(0)
    print(q.get_nowait(), done)
    await asyncio.sleep(0)
    print(done, q.qsize(), q.get_nowait())
    await asyncio.sleep(0)
    print(done, q.get_nowait(), q.empty())
    await asyncio.gather(*tasks)


asyncio.run(main())
