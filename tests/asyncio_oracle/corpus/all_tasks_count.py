# test_tasks.py (test_all_tasks style): all_tasks() holds the unfinished tasks, main included.
import asyncio


async def main():
    print(len(asyncio.all_tasks()))
    ts = [asyncio.create_task(asyncio.sleep(d)) for d in (0.1, 0.2)]
    print(len(asyncio.all_tasks()))
    await ts[0]
    print(len(asyncio.all_tasks()))
    await ts[1]
    print(len(asyncio.all_tasks()), asyncio.current_task() in asyncio.all_tasks())


asyncio.run(main())
