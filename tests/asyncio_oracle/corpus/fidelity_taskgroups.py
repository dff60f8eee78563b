# asyncio.TaskGroup edge cases in the style of CPython 3.11.7's test_taskgroups: BaseException
# subclasses give a BaseExceptionGroup, KeyboardInterrupt wins over the group, a cancelled owner
# gets CancelledError, and children may add children while the group is alive.
import asyncio


class MyBaseExc(BaseException):
    pass


def error_types(group):
    return sorted(type(e).__name__ for e in group.exceptions)


async def crash_soon(exc):
    await asyncio.sleep(0.1)
    raise exc


async def nested(exc):
    try:
        await asyncio.sleep(10)
    finally:
        raise exc


async def owner(child_exc, body_exc):
    async with asyncio.TaskGroup() as g:
        g.create_task(crash_soon(child_exc))
        await nested(body_exc)


async def main():
    for child_exc, body_exc in [(ZeroDivisionError("z"), MyBaseExc()), (MyBaseExc(), TypeError("t")),
                                (ZeroDivisionError("z"), ValueError("v"))]:
        try:
            await owner(child_exc, body_exc)
        except BaseExceptionGroup as eg:
            print(type(eg).__name__, eg.args[0], error_types(eg))

    try:
        await owner(ZeroDivisionError("z"), KeyboardInterrupt())
    except KeyboardInterrupt:
        print("KeyboardInterrupt wins over the group")

    async def two_sleepers():
        async with asyncio.TaskGroup() as g:
            g.create_task(asyncio.sleep(1))
            g.create_task(asyncio.sleep(2))

    r = asyncio.create_task(two_sleepers())
    await asyncio.sleep(0.05)
    r.cancel()
    try:
        await r
    except asyncio.CancelledError:
        print("cancelled owner:", r.cancelled(), "at", asyncio.get_running_loop().time())

    spawned = []

    async def hydra(g, depth):
        spawned.append(depth)
        await asyncio.sleep(0.01)
        if depth < 4:
            g.create_task(hydra(g, depth + 1))
            g.create_task(hydra(g, depth + 1))

    async with asyncio.TaskGroup() as g:
        g.create_task(hydra(g, 0))
    print("hydra heads:", len(spawned), "deepest:", max(spawned), "at", round(asyncio.get_running_loop().time(), 6))

    results = []
    async with asyncio.TaskGroup() as g:
        tasks = [g.create_task(crash_soon(ValueError(i)), name=f"c{i}") for i in range(0)]
        tasks.append(g.create_task(asyncio.sleep(0.1, result="r1"), name="first"))
        tasks.append(g.create_task(asyncio.sleep(0.2, result="r2")))
    for t in tasks:
        results.append((t.get_name().startswith("Task-") or t.get_name(), t.result()))
    print(results)


asyncio.run(main())
