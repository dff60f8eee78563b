# test_tasks.py / asyncio-exceptions.rst: CancelledError is a BaseException, not an Exception; asyncio.TimeoutError is the builtin; `except Exception` does not catch a cancel.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except Exception:
        print("caught by except Exception")
    return "swallowed?"


async def main():
    print(issubclass(asyncio.CancelledError, BaseException), issubclass(asyncio.CancelledError, Exception))
    print(asyncio.TimeoutError is TimeoutError, issubclass(asyncio.InvalidStateError, Exception))
    t = asyncio.create_task(worker())
    await asyncio.sleep(0)
    t.cancel()
    try:
        print(await t)
    except asyncio.CancelledError:
        print("the cancel went through except Exception")


asyncio.run(main())
