# asyncio-sync.rst (Lock): the read-modify-write of a shared counter, with and without the lock.
import asyncio

counter = 0


async def bump(lock):
    global counter
    if lock is None:
        value = counter
        await asyncio.sleep(0.01)
        counter = value + 1
    else:
        async with lock:
            value = counter
            await asyncio.sleep(0.01)
            counter = value + 1


async def main():
    global counter
    await asyncio.gather(*(bump(None) for _ in range(5)))
    print("without a lock:", counter)
    counter = 0
    lock = asyncio.Lock()
    await asyncio.gather(*(bump(lock) for _ in range(5)))
    print("with a lock:", counter, "at", round(asyncio.get_running_loop().time(), 3))


asyncio.run(main())
