# test_tasks.py (test_gather_*): gather takes coroutines, tasks and futures together, including one already done.
import asyncio


async def coro():
    await asyncio.sleep(0.2)
    return "coro"


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    done.set_result("done future")
    later = loop.create_future()
    loop.call_later(0.1, later.set_result, "later future")
    task = asyncio.create_task(asyncio.sleep(0.3, "task"))
    print(await asyncio.gather(coro(), task, done, later), loop.time())


asyncio.run(main())
