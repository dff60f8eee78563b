# test_tasks.py (test_as_completed): as_completed yields in completion order.
import asyncio


async def value_after(d, v):
    await asyncio.sleep(d)
    return v


async def main():
    loop = asyncio.get_running_loop()
    aws = [value_after(0.3, "c"), value_after(0.1, "a"), value_after(0.2, "b")]
    for next_done in asyncio.as_completed(aws):
        print(await next_done, "at", loop.time())


asyncio.run(main())
