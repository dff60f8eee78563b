# test_waitfor.py style: wait_for inside wait_for; the inner, shorter timeout fires first and its TimeoutError passes the outer one.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def inner():
        return await asyncio.wait_for(asyncio.sleep(10), timeout=1)

    try:
        await asyncio.wait_for(inner(), timeout=5)
    except asyncio.TimeoutError:
        print("TimeoutError at", loop.time())

    async def inner_long():
        return await asyncio.wait_for(asyncio.sleep(10, "late"), timeout=8)

    try:
        await asyncio.wait_for(inner_long(), timeout=2)
    except asyncio.TimeoutError:
        print("outer TimeoutError at", loop.time())


asyncio.run(main())
