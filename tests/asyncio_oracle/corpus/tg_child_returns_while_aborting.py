# test_taskgroups.py style: a child that swallows the group's cancel and returns still counts as done; the group reports only the real error.
import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("stubborn child swallows the cancel and finishes its work")
        await asyncio.sleep(0.5)
    return "stubborn result"


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("boom")


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as g:
            s = g.create_task(stubborn())
            g.create_task(fails())
    except ExceptionGroup as eg:
        print("group:", [repr(e) for e in eg.exceptions], "at", loop.time())
    print("stubborn:", s.result(), "cancelled:", s.cancelled())


asyncio.run(main())
