# test_tasks.py (test_wait_first_exception, test_wait_first_exception_in_wait): FIRST_EXCEPTION returns at the first error, or when all are done if none fails.
import asyncio


async def bad(d):
    await asyncio.sleep(d)
    raise ZeroDivisionError("boom")


async def main():
    loop = asyncio.get_running_loop()
    ok = asyncio.create_task(asyncio.sleep(1, "ok"))
    err = asyncio.create_task(bad(0.2))
    done, pending = await asyncio.wait([ok, err], return_when=asyncio.FIRST_EXCEPTION)
    print("at", loop.time(), err in done, ok in pending)
    x = asyncio.create_task(asyncio.sleep(0.1))
    y = asyncio.create_task(asyncio.sleep(0.2))
    done, pending = await asyncio.wait([x, y], return_when=asyncio.FIRST_EXCEPTION)
    print("no error: at", round(loop.time(), 3), len(done), len(pending))
    await ok


asyncio.run(main())
