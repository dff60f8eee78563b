# test_tasks.py / futures: result() and exception() on a pending, a failed and a cancelled task.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("oops")


async def main():
    t = asyncio.create_task(fails())
    try:
        t.result()
    except asyncio.InvalidStateError as e:
        print("pending result():", e)
    try:
        await t
    except ValueError:
        pass
    print("exception():", repr(t.exception()))
    try:
        t.result()
    except ValueError as e:
        print("result() raises", repr(e))
    c = asyncio.create_task(fails())
    c.cancel()
    await asyncio.sleep(0)
    try:
        c.exception()
    except asyncio.CancelledError:
        print("exception() of a cancelled task raises CancelledError")


asyncio.run(main())
