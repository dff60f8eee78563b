# test_tasks.py (test_wait_with_timeout): wait() returns at its timeout with the done and pending sets; nothing is cancelled.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fast = asyncio.create_task(asyncio.sleep(0.1, "fast"))
    slow = asyncio.create_task(asyncio.sleep(0.5, "slow"))
    done, pending = await asyncio.wait([fast, slow], timeout=0.2)
    print("at", loop.time(), "done has fast:", fast in done, "pending has slow:", slow in pending)
    print("slow cancelled:", slow.cancelled())
    print(await slow, loop.time())


asyncio.run(main())
