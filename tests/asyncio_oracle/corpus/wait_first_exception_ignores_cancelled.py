# test_tasks.py (test_wait_first_exception) and tasks.py's _wait: a cancelled task does not count as an exception for FIRST_EXCEPTION.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(asyncio.sleep(1, "a"))
    b = asyncio.create_task(asyncio.sleep(10))
    loop.call_later(0.5, b.cancel)
    done, pending = await asyncio.wait([a, b], return_when=asyncio.FIRST_EXCEPTION)
    print("returned at", loop.time(), len(done), len(pending), b.cancelled())


asyncio.run(main())
