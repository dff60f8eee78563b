# test_tasks.py (test_wait_with_exception): wait() does not raise; the failed task sits in done with its exception.
import asyncio


async def sleeper():
    await asyncio.sleep(0.15)
    raise ZeroDivisionError("really")


async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(asyncio.sleep(0.1))
    b = asyncio.create_task(sleeper())
    done, pending = await asyncio.wait([b, a])
    errors = [f for f in done if f.exception() is not None]
    print(len(done), len(pending), len(errors), repr(errors[0].exception()), loop.time())
    done, pending = await asyncio.wait([b, a])
    print("again at", loop.time(), len(done))


asyncio.run(main())
