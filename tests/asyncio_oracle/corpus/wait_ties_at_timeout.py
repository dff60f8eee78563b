# test_tasks.py (test_wait_concurrent_complete): a task due at the very instant of wait()'s timeout; wait's timer was armed before the task first ran, so wait returns first and the task is still pending.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(asyncio.sleep(0.1))
    b = asyncio.create_task(asyncio.sleep(0.15))
    done, pending = await asyncio.wait([b, a], timeout=0.1)
    print(a in done, b in pending, loop.time())
    await b


asyncio.run(main())
