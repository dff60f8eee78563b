# test_timeouts.py (test_nested_timeouts family): the inner timeout expires and is handled; later the outer one expires too.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(3) as outer:
            try:
                async with asyncio.timeout(1) as inner:
                    await asyncio.sleep(10)
            except TimeoutError:
                print("inner TimeoutError at", loop.time(), "outer expired:", outer.expired())
            await asyncio.sleep(10)
    except TimeoutError:
        print("outer TimeoutError at", loop.time(), inner.expired(), outer.expired())


asyncio.run(main())
