# asyncio-task.rst (Coroutines): asyncio.run returns main's value; the doc's say_after example runs sequentially then concurrently.
import asyncio
import time


async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)


async def main():
    print(f"started at {time.time():.0f}")
    await say_after(1, "hello")
    await say_after(2, "world")
    print(f"finished at {time.time():.0f}")
    task1 = asyncio.create_task(say_after(1, "hello"))
    task2 = asyncio.create_task(say_after(2, "world"))
    await task1
    await task2
    print(f"finished at {time.time():.0f}")
    return "main's value"


print(asyncio.run(main()))
