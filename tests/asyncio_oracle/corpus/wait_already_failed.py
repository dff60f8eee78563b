# test_tasks.py (test_wait_first_exception, test_wait_really_done): a task that already failed makes FIRST_EXCEPTION return without waiting; tasks done in one pass are all in done.
import asyncio


async def boom():
    raise ZeroDivisionError("err")


async def one_step():
    await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(asyncio.sleep(10))
    b = asyncio.create_task(boom())
    done, pending = await asyncio.wait([b, a], return_when=asyncio.FIRST_EXCEPTION)
    print("at", loop.time(), b in done, a in pending, repr(b.exception()))
    a.cancel()
    x = asyncio.create_task(one_step())
    y = asyncio.create_task(one_step())
    done, pending = await asyncio.wait([x, y], return_when=asyncio.FIRST_COMPLETED)
    print("done", len(done), "pending", len(pending))


asyncio.run(main())
