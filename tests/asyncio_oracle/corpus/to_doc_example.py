# asyncio-task.rst (Timeouts): the documentation's pattern: catch TimeoutError outside the block, then check expired().
import asyncio


async def long_running_task():
    await asyncio.sleep(3600)


async def main():
    try:
        async with asyncio.timeout(10) as cm:
            await long_running_task()
    except TimeoutError:
        print("The long operation timed out, but we've handled it.")
    if cm.expired():
        print("Looks like we haven't finished on time.")
    print("This statement will run regardless.", asyncio.get_running_loop().time())


asyncio.run(main())
