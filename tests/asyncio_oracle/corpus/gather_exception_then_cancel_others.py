# asyncio-task.rst (gather): after the first error, the caller cancels the remaining children itself.
import asyncio


async def child(name, d, fail=False):
    try:
        await asyncio.sleep(d)
    except asyncio.CancelledError:
        print(name, "cancelled")
        raise
    if fail:
        raise RuntimeError(name)
    return name


async def main():
    tasks = [asyncio.create_task(child("a", 1)), asyncio.create_task(child("b", 0.5, True)), asyncio.create_task(child("c", 2))]
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as e:
        print("first error:", e)
        for t in tasks:
            if not t.done():
                t.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    print([type(r).__name__ for r in results])


asyncio.run(main())
