# test_tasks.py style: a failed task keeps its exception; awaiting it twice raises the same exception object twice.
import asyncio


async def bad():
    raise KeyError("missing")


async def main():
    t = asyncio.create_task(bad())
    await asyncio.sleep(0.1)
    print("done:", t.done())
    first = second = None
    try:
        await t
    except KeyError as e:
        first = e
    try:
        await t
    except KeyError as e:
        second = e
    print(repr(first), first is second, t.exception() is first)


asyncio.run(main())
