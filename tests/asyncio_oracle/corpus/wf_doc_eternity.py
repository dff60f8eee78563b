# asyncio-task.rst (Timeouts, wait_for example): a coroutine that would sleep an hour is cut off after one second.
import asyncio


async def eternity():
    await asyncio.sleep(3600)
    print("yay!")


async def main():
    try:
        await asyncio.wait_for(eternity(), timeout=1.0)
    except TimeoutError:
        print("timeout!")
    print("at", asyncio.get_running_loop().time())


asyncio.run(main())
