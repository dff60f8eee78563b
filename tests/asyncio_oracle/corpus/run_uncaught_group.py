# test_taskgroups.py style: an ExceptionGroup that nobody catches ends the program with status 1.
import asyncio


async def fail():
    await asyncio.sleep(0.1)
    raise KeyError("k")


async def main():
    async with asyncio.TaskGroup() as g:
        g.create_task(fail())
        print("body done")


asyncio.run(main())
