# test_taskgroups.py (test_taskgroup_10): the body raises before the children ever ran; they are cancelled before their first step.
import asyncio

started = []


async def child(delay, value):
    started.append(value)
    await asyncio.sleep(delay)
    return value


async def main():
    tasks = []
    try:
        async with asyncio.TaskGroup() as g:
            tasks.append(g.create_task(child(1, 42)))
            tasks.append(g.create_task(child(2, 11)))
            1 / 0
    except ExceptionGroup as eg:
        print("group message:", eg.args[0])
        print("inside:", [type(e).__name__ for e in eg.exceptions])
    print("cancelled:", [t.cancelled() for t in tasks])
    print("children that started:", started)


asyncio.run(main())
