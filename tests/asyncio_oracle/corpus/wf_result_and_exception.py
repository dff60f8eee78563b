# asyncio-task.rst (wait_for): a result in time is returned, an exception in time is raised as itself.
import asyncio


async def value_after(d, v):
    await asyncio.sleep(d)
    return v


async def error_after(d):
    await asyncio.sleep(d)
    raise ValueError("bad value")


async def main():
    print(await asyncio.wait_for(value_after(0.5, "ok"), timeout=1))
    try:
        await asyncio.wait_for(error_after(0.5), timeout=1)
    except ValueError as e:
        print("ValueError:", e)
    print("at", asyncio.get_running_loop().time())


asyncio.run(main())
