# test_asyncgen.py / test_tasks.py style: a task iterating an async generator is cancelled mid-iteration; the generator's finally runs.
import asyncio


async def ticks(n):
    try:
        for i in range(n):
            await asyncio.sleep(1)
            yield i
    finally:
        print("generator cleanup at", asyncio.get_running_loop().time())


async def consumer():
    async for i in ticks(10):
        print("tick", i)


async def main():
    t = asyncio.create_task(consumer())
    await asyncio.sleep(3.5)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("consumer cancelled")


asyncio.run(main())
