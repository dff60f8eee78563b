# test_tasks.py (test_sleep_zero style): a negative sleep behaves like sleep(0): one pass, no time.
import asyncio


async def other():
    print("other runs")


async def main():
    loop = asyncio.get_running_loop()
    asyncio.create_task(other())
    await asyncio.sleep(-5)
    print("after sleep(-5) at", loop.time())
    await asyncio.sleep(0.25)
    await asyncio.sleep(-0.1)
    print("at", loop.time())


asyncio.run(main())
