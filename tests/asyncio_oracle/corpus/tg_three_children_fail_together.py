# test_taskgroups.py (test_cancel_children_on_child_error): three children fail at the same instant; all three raise before the group aborts, so the group holds three errors.
import asyncio

log = []


async def fails(n):
    try:
        await asyncio.sleep(0.1)
    except asyncio.CancelledError:
        log.append(f"failer {n} cancelled")
        raise
    log.append(f"failer {n} raises")
    1 / 0


async def long_sleeper():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        log.append("sleeper cancelled")
        raise


async def runner():
    async with asyncio.TaskGroup() as g:
        for n in range(3):
            g.create_task(fails(n))
        g.create_task(long_sleeper())
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            log.append("body cancelled")
            raise
    log.append("after block")


async def main():
    try:
        await asyncio.create_task(runner())
    except ExceptionGroup as eg:
        print("errors in the group:", len(eg.exceptions), type(eg.exceptions[0]).__name__)
    for line in log:
        print(line)


asyncio.run(main())
