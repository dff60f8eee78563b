# test_timeouts.py (test_repr_active, _expired, _finished, _disabled): the repr of a Timeout in each state.
import asyncio


async def main():
    await asyncio.sleep(1)
    async with asyncio.timeout(10) as cm:
        print(repr(cm))
    print(repr(cm))
    try:
        async with asyncio.timeout(0.01) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print(repr(cm))
    async with asyncio.timeout(None) as cm:
        print(repr(cm))


asyncio.run(main())
