# test_timeouts.py (test_foreign_exception_passed, test_foreign_exception_on_timeout): exceptions that are not the timeout pass through the block unchanged.
import asyncio


async def crash():
    try:
        await asyncio.sleep(1)
    finally:
        1 / 0


async def main():
    try:
        async with asyncio.timeout(0.01) as cm:
            raise KeyError("k")
    except KeyError as e:
        print("KeyError passes:", repr(e), "expired:", cm.expired())
    try:
        async with asyncio.timeout(0.01) as cm:
            await crash()
    except ZeroDivisionError as e:
        print("the finally's error wins over the timeout:", repr(e), "expired:", cm.expired())
    except TimeoutError:
        print("TimeoutError")


asyncio.run(main())
