# test_tasks.py (test_exception_chaining_after_await): __context__ and __cause__ of errors raised inside handlers in a task, and `from None`.
import asyncio


class AppError(Exception):
    pass


async def low():
    await asyncio.sleep(0.1)
    raise ConnectionError("reset")


async def mid(mode):
    try:
        await low()
    except ConnectionError as e:
        if mode == "from":
            raise AppError("wrapped") from e
        if mode == "none":
            raise AppError("hidden") from None
        raise AppError("implicit")


async def main():
    for mode in ("from", "none", "implicit"):
        try:
            await asyncio.create_task(mid(mode))
        except AppError as e:
            print(mode, repr(e), repr(e.__cause__), repr(e.__context__), e.__suppress_context__)


asyncio.run(main())
