# test_queues.py (test_task_done, test_join_empty_queue): join() waits until every item got a task_done().
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    await q.join()
    print("join on an empty queue returns at once")
    for i in range(6):
        q.put_nowait(i)
    total = 0

    async def worker():
        nonlocal total
        while True:
            item = await q.get()
            await asyncio.sleep(0.1)
            total += item
            q.task_done()

    workers = [asyncio.create_task(worker()) for _ in range(2)]
    await q.join()
    print(f"joined at {loop.time():.1f}, total {total}")
    for w in workers:
        w.cancel()
    results = await asyncio.gather(*workers, return_exceptions=True)
    print([type(r).__name__ for r in results])


asyncio.run(main())
