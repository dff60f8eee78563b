# test_taskgroups.py (test_taskgroup_09): the body raises after a sleep; both children are cancelled and the error comes out in a group.
import asyncio


async def child(delay, value):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(f"child {value} cancelled at {asyncio.get_running_loop().time():.2f}")
        raise
    return value


async def main():
    tasks = []
    try:
        async with asyncio.TaskGroup() as g:
            tasks.append(g.create_task(child(1, 42)))
            tasks.append(g.create_task(child(2, 11)))
            await asyncio.sleep(0.1)
            1 / 0
    except ExceptionGroup as eg:
        print("group of", [type(e).__name__ for e in eg.exceptions])
    print("cancelled:", [t.cancelled() for t in tasks])


asyncio.run(main())
