# test_waitfor.py (test_wait_for_blocking, test_wait_for_race_condition): timeout=None just awaits; a future resolved before the deadline gives its result.
import asyncio


async def coro():
    return "done"


async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.wait_for(coro(), timeout=None))
    fut = loop.create_future()
    waiting = asyncio.wait_for(fut, timeout=0.2)
    loop.call_later(0.1, fut.set_result, "ok")
    print(await waiting, "at", loop.time())


asyncio.run(main())
