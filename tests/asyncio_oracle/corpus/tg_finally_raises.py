# test_taskgroups.py (test_taskgroup_19): the body's await is cancelled by a failing child and its finally raises; both errors end up in the group.
import asyncio


class MyExc(Exception):
    pass


async def crash_soon():
    await asyncio.sleep(0.1)
    1 / 0


async def nested():
    try:
        await asyncio.sleep(10)
    finally:
        raise MyExc


async def runner():
    async with asyncio.TaskGroup() as g:
        g.create_task(crash_soon())
        await nested()


async def main():
    try:
        await asyncio.create_task(runner())
    except ExceptionGroup as eg:
        names = sorted(type(e).__name__ for e in eg.exceptions)
        print("group holds", names)


asyncio.run(main())
