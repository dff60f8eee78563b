# test_tasks.py (test_wait_duplicate_coroutines, 3.11 form): wait() no longer accepts bare coroutines.
import asyncio


async def coro(s):
    return s


async def main():
    c = coro("test")
    try:
        await asyncio.wait([c])
    except TypeError as e:
        print("TypeError:", e)
    c.close()
    t = asyncio.create_task(coro("spam"))
    done, pending = await asyncio.wait([t, t])
    print(len(done), len(pending), t.result())


asyncio.run(main())
