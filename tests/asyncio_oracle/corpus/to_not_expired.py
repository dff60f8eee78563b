# test_timeouts.py (test_timeout_not_called, test_timeout_disabled, test_timeout_at_disabled): a block that ends in time, and blocks with no deadline.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(10) as cm:
        await asyncio.sleep(0.01)
    print("expired:", cm.expired(), "when after now:", cm.when() > loop.time(), "when:", cm.when())
    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print("timeout(None):", cm.expired(), cm.when())
    async with asyncio.timeout_at(None) as cm:
        await asyncio.sleep(0.01)
    print("timeout_at(None):", cm.expired(), cm.when())


asyncio.run(main())
