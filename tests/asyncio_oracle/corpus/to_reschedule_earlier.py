# asyncio-task.rst (Timeout.reschedule): a block entered with no deadline gets one later from inside.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(None) as cm:
            await asyncio.sleep(1)
            cm.reschedule(loop.time() + 2)
            print("deadline set to", cm.when())
            await asyncio.sleep(5)
    except TimeoutError:
        print("TimeoutError at", loop.time())
    print("expired:", cm.expired())


asyncio.run(main())
