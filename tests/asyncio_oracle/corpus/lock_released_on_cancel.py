# test_locks.py (test_context_manager style): a task cancelled while it holds the lock in `async with` releases it; the next waiter gets it.
import asyncio


async def main():
    lock = asyncio.Lock()

    async def holder():
        async with lock:
            print("holder has the lock")
            await asyncio.sleep(10)

    async def next_in_line():
        async with lock:
            print("next got the lock at", asyncio.get_running_loop().time())

    h = asyncio.create_task(holder())
    n = asyncio.create_task(next_in_line())
    await asyncio.sleep(1)
    h.cancel()
    await asyncio.gather(h, n, return_exceptions=True)
    print("locked:", lock.locked(), "holder cancelled:", h.cancelled())


asyncio.run(main())
