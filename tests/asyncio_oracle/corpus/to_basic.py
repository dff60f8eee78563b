# test_timeouts.py (test_timeout_basic, test_timeout_at_basic): the block raises TimeoutError at its deadline and says it expired.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(0.01) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print(f"TimeoutError at {loop.time():.3f}, expired: {cm.expired()}")
    deadline = loop.time() + 0.5
    try:
        async with asyncio.timeout_at(deadline) as cm:
            await asyncio.sleep(10)
    except TimeoutError:
        print(f"timeout_at: at {loop.time():.3f}, expired: {cm.expired()}, when is the deadline: {cm.when() == deadline}")


asyncio.run(main())
