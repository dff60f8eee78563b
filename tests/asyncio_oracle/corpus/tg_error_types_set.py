# test_taskgroups.py (the get_error_types helper): the set of exception types in a group, built with a set comprehension.
import asyncio


def error_types(eg):
    return {type(exc) for exc in eg.exceptions}


async def fail_with(exc, delay):
    await asyncio.sleep(delay)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail_with(ValueError("v"), 0.1))
            g.create_task(fail_with(KeyError("k"), 0.1))
    except ExceptionGroup as eg:
        types = error_types(eg)
        print(types == {ValueError, KeyError}, len(types))
        print(ValueError in types, TypeError in types)


asyncio.run(main())
