# test_tasks.py (test_current_task): current_task() inside a task, and the task names given by create_task.
import asyncio


async def who():
    me = asyncio.current_task()
    await asyncio.sleep(0)
    return me.get_name()


async def main():
    a = asyncio.create_task(who(), name="alpha")
    b = asyncio.create_task(who())
    b.set_name("beta")
    print(await a, await b)
    print("main is a task:", asyncio.current_task() is not None)
    print("all tasks now:", len(asyncio.all_tasks()))


asyncio.run(main())
