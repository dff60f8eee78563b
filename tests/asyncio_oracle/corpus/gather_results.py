# test_tasks.py (test_gather_*): gather returns results in argument order, not completion order; duplicates and plain values.
import asyncio


async def value_after(d, v):
    await asyncio.sleep(d)
    print("finished", v)
    return v


async def main():
    results = await asyncio.gather(value_after(0.3, "a"), value_after(0.1, "b"), value_after(0.2, "c"))
    print(results)
    t = asyncio.create_task(value_after(0.1, "same"))
    print(await asyncio.gather(t, t))
    print(await asyncio.gather())


asyncio.run(main())
