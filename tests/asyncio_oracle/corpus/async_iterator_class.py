# compound_stmts.rst (async for) as asyncio code uses it: an async iterator class ends with StopAsyncIteration; cancelled mid-iteration.
import asyncio


class Ticker:
    def __init__(self, n, delay):
        self.i = 0
        self.n = n
        self.delay = delay

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        await asyncio.sleep(self.delay)
        self.i += 1
        return self.i


async def main():
    loop = asyncio.get_running_loop()
    async for i in Ticker(3, 0.5):
        print(i, loop.time())

    async def consume():
        async for i in Ticker(10, 1):
            print("tick", i)

    t = asyncio.create_task(consume())
    await asyncio.sleep(2.5)
    t.cancel()
    await asyncio.gather(t, return_exceptions=True)
    print("cancelled:", t.cancelled(), loop.time())


asyncio.run(main())
