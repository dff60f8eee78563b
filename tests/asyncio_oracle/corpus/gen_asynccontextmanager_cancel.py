# test_contextlib_async.py style (asynccontextmanager under cancel): the cleanup after yield runs, in order, when the body is cancelled.
import asyncio
import contextlib


@contextlib.asynccontextmanager
async def resource(name):
    print("open", name)
    try:
        yield name
    finally:
        await asyncio.sleep(0.1)
        print("close", name, "at", round(asyncio.get_running_loop().time(), 2))


async def worker():
    async with resource("outer"):
        async with resource("inner"):
            await asyncio.sleep(10)


async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("worker cancelled")


asyncio.run(main())
