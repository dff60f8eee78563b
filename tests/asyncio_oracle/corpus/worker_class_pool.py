# asyncio-queue.rst style: a worker pool as a class with a queue, a stop sentinel, and results collected in order of completion.
import asyncio


class Pool:
    def __init__(self, size):
        self.queue = asyncio.Queue()
        self.size = size
        self.done = []

    async def worker(self, wid):
        while True:
            job = await self.queue.get()
            if job is None:
                self.queue.task_done()
                return wid
            await asyncio.sleep(job)
            self.done.append((wid, job))
            self.queue.task_done()

    async def run(self, jobs):
        workers = [asyncio.create_task(self.worker(i)) for i in range(self.size)]
        for j in jobs:
            await self.queue.put(j)
        for _ in workers:
            await self.queue.put(None)
        await self.queue.join()
        return await asyncio.gather(*workers)


async def main():
    pool = Pool(2)
    ids = await pool.run([0.3, 0.1, 0.2, 0.4])
    print(ids, pool.done, asyncio.get_running_loop().time())


asyncio.run(main())
