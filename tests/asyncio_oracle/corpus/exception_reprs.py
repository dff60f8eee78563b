# test_tasks.py / asyncio-exceptions.rst: what the asyncio exceptions look like when printed.
import asyncio


async def main():
    for e in (asyncio.CancelledError(), asyncio.CancelledError("why"), asyncio.TimeoutError(), asyncio.InvalidStateError("s")):
        print(repr(e), "|", str(e), "|", type(e).__name__)
    print(asyncio.CancelledError.__module__, asyncio.InvalidStateError.__module__)
    eg = ExceptionGroup("several", [ValueError(1), ExceptionGroup("inner", [KeyError(2)])])
    print(repr(eg))
    print(str(eg))


asyncio.run(main())
