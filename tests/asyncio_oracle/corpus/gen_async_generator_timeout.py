# test_asyncgen.py / test_timeouts.py style (an async generator consumed under asyncio.timeout): the timeout interrupts the generator's await and its finally runs before TimeoutError comes out.
import asyncio


async def slow_source():
    try:
        i = 0
        while True:
            await asyncio.sleep(0.4)
            yield i
            i += 1
    finally:
        print("source closed")


async def main():
    seen = []
    gen = slow_source()
    try:
        async with asyncio.timeout(1):
            async for item in gen:
                seen.append(item)
    except TimeoutError:
        print("TimeoutError; seen", seen)
    await gen.aclose()
    print("done at", asyncio.get_running_loop().time())


asyncio.run(main())
