# test_taskgroups.py / tasks.py (uncancel): the task running a group that aborted is not left cancelling afterwards.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise RuntimeError("x")


async def main():
    me = asyncio.current_task()
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fails())
            await asyncio.sleep(1)
    except* RuntimeError:
        print("handled; cancelling:", me.cancelling())
    await asyncio.sleep(0.1)
    print("next sleep works at", round(asyncio.get_running_loop().time(), 2))


asyncio.run(main())
