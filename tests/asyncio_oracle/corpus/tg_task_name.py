# test_taskgroups.py (test_taskgroup_task_name): a child created with a name keeps it.
import asyncio


async def work():
    await asyncio.sleep(0)
    return asyncio.current_task().get_name()


async def main():
    async with asyncio.TaskGroup() as g:
        t = g.create_task(work(), name="yolo")
        print("name:", t.get_name())
    print("seen from inside:", t.result())


asyncio.run(main())
