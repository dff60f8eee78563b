# test_tasks.py (test_task_default_name style): tasks without a name get Task-N with a counter shared by the run.
import asyncio


async def nothing():
    pass


async def main():
    print(asyncio.current_task().get_name())
    a = asyncio.create_task(nothing())
    b = asyncio.create_task(nothing(), name="named")
    c = asyncio.create_task(nothing())
    print(a.get_name(), b.get_name(), c.get_name())
    await asyncio.gather(a, b, c)


asyncio.run(main())
