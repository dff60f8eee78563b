# asyncio-queue.rst (Examples): three workers share a queue of fixed sleep times; join(), then the workers are cancelled.
import asyncio


async def worker(name, queue, log):
    while True:
        sleep_for = await queue.get()
        await asyncio.sleep(sleep_for)
        queue.task_done()
        log.append((name, sleep_for))


async def main():
    queue = asyncio.Queue()
    total = 0
    for s in (0.5, 0.2, 0.9, 0.4, 0.3, 0.7):
        total += s
        queue.put_nowait(s)
    log = []
    tasks = [asyncio.create_task(worker(f"worker-{i}", queue, log)) for i in range(3)]
    started = asyncio.get_running_loop().time()
    await queue.join()
    elapsed = asyncio.get_running_loop().time() - started
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    for name, s in log:
        print(name, "slept", s)
    print(f"3 workers slept in parallel for {elapsed:.2f} seconds")
    print(f"total expected sleep time: {total:.2f} seconds")


asyncio.run(main())
