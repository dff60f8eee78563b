# test_queues.py (test_task_done): join() returns only when the count of unfinished items is zero, also for items added while it waits.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()
    q.put_nowait("a")

    async def worker():
        while True:
            item = await q.get()
            if item == "a":
                q.put_nowait("b")
            await asyncio.sleep(0.5)
            print(f"{loop.time():.1f} finished {item}")
            q.task_done()

    w = asyncio.create_task(worker())
    await q.join()
    print(f"{loop.time():.1f} join returned")
    w.cancel()
    await asyncio.gather(w, return_exceptions=True)


asyncio.run(main())
