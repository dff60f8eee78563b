# asyncio.Semaphore and BoundedSemaphore as locks.py does them: at most `value` holders, waiters
# woken in FIFO order, a cancelled waiter passing its wake-up on, and the bounded release check.
import asyncio


def shown(obj):
    """repr() without the object's address, which changes from run to run."""
    text = repr(obj)
    return text.split(" [")[0].split(" at 0x")[0] + " [" + text.split(" [", 1)[1]


async def worker(sem, name, hold):
    async with sem:
        print(name, "in at", asyncio.get_running_loop().time(), shown(sem))
        await asyncio.sleep(hold)
    print(name, "out")


async def main():
    sem = asyncio.Semaphore(2)
    print(shown(sem), sem.locked())
    await asyncio.gather(*(worker(sem, f"w{i}", 0.1 * (i + 1)) for i in range(5)))
    print(shown(sem), sem.locked())

    sem = asyncio.Semaphore(1)
    await sem.acquire()
    waiters = [asyncio.create_task(worker(sem, f"x{i}", 0.1)) for i in range(3)]
    await asyncio.sleep(0)
    print("waiting:", shown(sem))
    sem.release()
    waiters[0].cancel()
    await asyncio.gather(*waiters, return_exceptions=True)
    print("after:", shown(sem), [t.cancelled() for t in waiters])

    b = asyncio.BoundedSemaphore(1)
    async with b:
        print("bounded held:", b.locked())
    try:
        b.release()
    except ValueError as e:
        print("ValueError:", e)
    try:
        asyncio.Semaphore(-1)
    except ValueError as e:
        print("ValueError:", e)
    print(isinstance(b, asyncio.Semaphore))


asyncio.run(main())
