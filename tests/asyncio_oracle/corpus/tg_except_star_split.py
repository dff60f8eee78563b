# test_taskgroups.py / asyncio-task.rst (Task Groups): errors of several types handled with except*, and the group's message.
import asyncio


async def fail(exc, d):
    await asyncio.sleep(d)
    raise exc


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail(ValueError("v1"), 0.1))
            g.create_task(fail(TypeError("t1"), 0.1))
            g.create_task(fail(ValueError("v2"), 0.1))
    except* ValueError as eg:
        print("ValueErrors:", [str(e) for e in eg.exceptions], eg.message)
    except* TypeError as eg:
        print("TypeErrors:", [str(e) for e in eg.exceptions])
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fail(ValueError("a"), 0.1))
            g.create_task(fail(KeyError("b"), 0.1))
    except ExceptionGroup as eg:
        print(str(eg))


asyncio.run(main())
