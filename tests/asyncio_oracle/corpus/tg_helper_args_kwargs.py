# test_taskgroups.py style: a helper that starts children with *args and **kwargs and keyword-only options.
import asyncio


async def child(name, delay, *, fail=False, result=None):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return result if result is not None else name


def start_all(group, *specs, **common):
    return [group.create_task(child(*spec, **common)) for spec in specs]


async def main():
    async with asyncio.TaskGroup() as g:
        tasks = start_all(g, ("a", 0.1), ("b", 0.2), result="same")
    print([t.result() for t in tasks])
    try:
        async with asyncio.TaskGroup() as g:
            start_all(g, ("x", 0.1), ("y", 0.2), fail=True)
    except ExceptionGroup as eg:
        print([str(e) for e in eg.exceptions])


asyncio.run(main())
