# test_taskgroups.py (test_taskgroup_20a and _21a): a BaseException that is not KeyboardInterrupt or SystemExit joins the others in a BaseExceptionGroup.
import asyncio


class MyBaseExc(BaseException):
    pass


async def crash_soon(exc):
    await asyncio.sleep(0.1)
    raise exc


async def nested(exc):
    try:
        await asyncio.sleep(10)
    finally:
        raise exc


async def runner(child_exc, body_exc):
    async with asyncio.TaskGroup() as g:
        g.create_task(crash_soon(child_exc))
        await nested(body_exc)


async def main():
    for child_exc, body_exc in ((ZeroDivisionError, MyBaseExc), (MyBaseExc, TypeError)):
        try:
            await runner(child_exc, body_exc)
        except ExceptionGroup as eg:
            print("ExceptionGroup", sorted(type(e).__name__ for e in eg.exceptions))
        except BaseExceptionGroup as eg:
            print("BaseExceptionGroup", sorted(type(e).__name__ for e in eg.exceptions))


asyncio.run(main())
