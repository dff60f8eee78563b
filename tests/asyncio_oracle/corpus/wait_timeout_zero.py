# test_tasks.py (test_wait_with_timeout style): wait(timeout=0) is a poll: it returns at once with what is already done.
import asyncio


async def main():
    a = asyncio.create_task(asyncio.sleep(0))
    b = asyncio.create_task(asyncio.sleep(1))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    done, pending = await asyncio.wait([a, b], timeout=0)
    print(a in done, b in pending, asyncio.get_running_loop().time())
    b.cancel()
    await asyncio.wait([b])


asyncio.run(main())
