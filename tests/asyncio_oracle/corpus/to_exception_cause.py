# test_timeouts.py (test_timeout_exception_cause): the TimeoutError's __cause__ is the CancelledError it replaced.
import asyncio


async def main():
    try:
        async with asyncio.timeout(0):
            await asyncio.sleep(1)
    except asyncio.TimeoutError as e:
        print("caught", type(e).__name__, "is TimeoutError:", asyncio.TimeoutError is TimeoutError)
        print("cause:", type(e.__cause__).__name__)
        print("cause is a CancelledError:", isinstance(e.__cause__, asyncio.CancelledError))


asyncio.run(main())
