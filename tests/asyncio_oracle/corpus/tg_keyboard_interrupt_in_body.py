# test_taskgroups.py (test_taskgroup_20): a KeyboardInterrupt raised by the body while the group aborts is not wrapped: it comes out as itself.
import asyncio


async def crash_soon():
    await asyncio.sleep(0.1)
    1 / 0


async def nested():
    try:
        await asyncio.sleep(10)
    finally:
        raise KeyboardInterrupt


async def runner():
    async with asyncio.TaskGroup() as g:
        g.create_task(crash_soon())
        await nested()


async def main():
    try:
        await runner()
    except KeyboardInterrupt:
        print("KeyboardInterrupt came out of the group")
    except BaseExceptionGroup as eg:
        print("wrapped:", eg)


asyncio.run(main())
