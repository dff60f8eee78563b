# asyncio.Condition as locks.py does it: wait() releases the lock and re-acquires it before
# returning (also when the wait is cancelled), notify(n) wakes the first n waiters in order,
# wait_for returns the predicate's value, and misuse raises RuntimeError.
import asyncio


def shown(obj):
    """repr() without the object's address, which changes from run to run."""
    text = repr(obj)
    return text.split(" [")[0].split(" at 0x")[0] + " [" + text.split(" [", 1)[1]


async def consumer(cond, name, items):
    async with cond:
        print(name, "waits; locked:", cond.locked())
        got = await cond.wait_for(lambda: items and items[0])
        print(name, "woke with", got, "at", asyncio.get_running_loop().time())
        items.pop(0)


async def waiter(cond, name):
    async with cond:
        try:
            await cond.wait()
            print(name, "notified")
        except asyncio.CancelledError:
            print(name, "cancelled; holds the lock again:", cond.locked())
            raise


async def main():
    cond = asyncio.Condition()
    items = []
    tasks = [asyncio.create_task(consumer(cond, f"c{i}", items)) for i in range(3)]
    await asyncio.sleep(0.1)
    for k in range(3):
        async with cond:
            items.append(f"item{k}")
            cond.notify()
        await asyncio.sleep(0.1)
    await asyncio.gather(*tasks)

    lock = asyncio.Lock()
    cond = asyncio.Condition(lock)
    ws = [asyncio.create_task(waiter(cond, f"w{i}")) for i in range(4)]
    await asyncio.sleep(0)
    print(shown(cond))
    async with cond:
        cond.notify(2)
        print("notified 2 while holding the lock:", lock.locked())
    await asyncio.sleep(0)
    ws[2].cancel()
    await asyncio.sleep(0)
    async with cond:
        cond.notify_all()
    results = await asyncio.gather(*ws, return_exceptions=True)
    print([type(r).__name__ for r in results])

    # A waiter cancelled while the lock is held elsewhere must wait for the lock first.
    cond = asyncio.Condition()
    w = asyncio.create_task(waiter(cond, "late"))
    await asyncio.sleep(0)
    async with cond:
        w.cancel()
        await asyncio.sleep(0.5)
        print("main still holds the lock; waiter done:", w.done())
    try:
        await w
    except asyncio.CancelledError:
        print("late waiter ended cancelled")

    try:
        await cond.wait()
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        cond.notify()
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        cond.release()
    except RuntimeError as e:
        print("RuntimeError:", e)
    await cond.acquire()
    print("acquired directly:", cond.locked())
    cond.release()


asyncio.run(main())
