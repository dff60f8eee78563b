# test_waitfor.py (test_wait_for_reraises_exception_during_cancellation): an error raised while the task handles the timeout's cancel replaces the TimeoutError.
import asyncio


class FooException(Exception):
    pass


async def main():
    async def inner():
        try:
            await asyncio.sleep(0.2)
        finally:
            raise FooException("from finally")

    async def foo():
        inner_task = asyncio.create_task(inner())
        await asyncio.wait_for(inner_task, timeout=0.0001)

    try:
        await foo()
    except FooException as e:
        print("FooException:", e)
    except asyncio.TimeoutError:
        print("TimeoutError")


asyncio.run(main())
