# test_locks.py (test_wait_unacquired, test_wait_for_unacquired, test_notify_unacquired): wait and notify need the lock.
import asyncio


async def main():
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as e:
        print("wait:", e)
    try:
        cond.notify()
    except RuntimeError as e:
        print("notify:", e)
    print("wait_for with a true predicate:", await cond.wait_for(lambda: [1, 2, 3]))
    try:
        await cond.wait_for(lambda: False)
    except RuntimeError as e:
        print("wait_for:", e)


asyncio.run(main())
