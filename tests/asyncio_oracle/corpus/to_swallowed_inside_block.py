# test_timeouts.py style (timeouts.py's __aexit__): code inside the block that swallows the CancelledError keeps running; the block then ends without a TimeoutError but expired() is true.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    async with asyncio.timeout(1) as cm:
        try:
            await asyncio.sleep(5)
        except asyncio.CancelledError:
            print("swallowed at", loop.time())
        await asyncio.sleep(1)
        print("still inside at", loop.time())
    print("left the block; expired:", cm.expired(), "cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
