# test_tasks.py (test_ensure_future_coroutine, test_ensure_future_task): ensure_future wraps a coroutine in a task and returns a task unchanged.
import asyncio


async def coro():
    return "value"


async def main():
    t = asyncio.ensure_future(coro())
    print(type(t).__name__, await t)
    same = asyncio.ensure_future(t)
    print("same task:", same is t)


asyncio.run(main())
