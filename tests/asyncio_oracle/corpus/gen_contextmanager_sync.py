# test_contextlib.py style (contextmanager in a coroutine): a plain generator-based context manager sees the exception thrown at its yield.
import asyncio
import contextlib


@contextlib.contextmanager
def tracing(name):
    print("start", name)
    try:
        yield name.upper()
    except ValueError as e:
        print("saw", repr(e))
    finally:
        print("end", name)


async def main():
    with tracing("one") as label:
        await asyncio.sleep(0.1)
        print("label", label)
    with tracing("two"):
        raise ValueError("handled by the manager")
    print("after both")


asyncio.run(main())
