# test_locks.py (test_cancel_race): A holds the lock, B and C wait; B is cancelled just as A releases; C must still get the lock.
import asyncio


async def main():
    lock = asyncio.Lock()
    log = []

    async def lockit(name, blocker):
        await lock.acquire()
        log.append(name + " acquired")
        try:
            if blocker is not None:
                await blocker
        finally:
            lock.release()
            log.append(name + " released")

    fa = asyncio.get_running_loop().create_future()
    ta = asyncio.create_task(lockit("A", fa))
    await asyncio.sleep(0)
    tb = asyncio.create_task(lockit("B", None))
    await asyncio.sleep(0)
    tc = asyncio.create_task(lockit("C", None))
    await asyncio.sleep(0)
    fa.set_result(None)
    tb.cancel()
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(log)
    print("A done:", ta.done(), "B cancelled:", tb.cancelled(), "C done:", tc.done(), "locked:", lock.locked())


asyncio.run(main())
