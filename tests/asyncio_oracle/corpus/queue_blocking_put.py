# test_queues.py (test_maxsize, test_why_are_putters_waiting): put() waits while the queue is full and resumes when a get makes room.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue(maxsize=2)

    async def producer():
        for i in range(5):
            await q.put(i)
            print(f"{loop.time():.1f} put {i}")

    async def consumer():
        for _ in range(5):
            await asyncio.sleep(1)
            print(f"{loop.time():.1f} got {await q.get()}")

    await asyncio.gather(producer(), consumer())


asyncio.run(main())
