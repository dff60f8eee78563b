# test_tasks.py (test_exception_chaining_after_await style): an exception raised in a task comes out of the await, with its traceback context.
import asyncio


async def inner():
    await asyncio.sleep(0.1)
    try:
        raise KeyError("first")
    except KeyError:
        raise ValueError("second")


async def main():
    t = asyncio.create_task(inner())
    try:
        await t
    except ValueError as e:
        print("caught", repr(e))
        print("context", repr(e.__context__))
    print("done:", t.done(), "cancelled:", t.cancelled())


asyncio.run(main())
