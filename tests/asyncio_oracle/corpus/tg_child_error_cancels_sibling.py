# test_taskgroups.py (test_taskgroup_04): a failing child cancels its sibling; the code after the block never runs.
import asyncio

counter = 0
sibling_saw_cancel = False


def kinds(group_error):
    names = []
    for e in group_error.exceptions:
        names.append(type(e).__name__)
    return sorted(names)


async def fails():
    await asyncio.sleep(0.1)
    1 / 0


async def sleeper():
    global counter, sibling_saw_cancel
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        sibling_saw_cancel = True
        raise
    counter += 1


async def runner(holder):
    global counter
    async with asyncio.TaskGroup() as g:
        g.create_task(fails())
        holder.append(g.create_task(sleeper()))
    counter += 10


async def main():
    holder = []
    try:
        await asyncio.create_task(runner(holder))
    except ExceptionGroup as eg:
        print("ExceptionGroup:", kinds(eg))
    print("counter:", counter)
    print("sibling saw cancel:", sibling_saw_cancel)
    print("sibling cancelled:", holder[0].cancelled())


asyncio.run(main())
