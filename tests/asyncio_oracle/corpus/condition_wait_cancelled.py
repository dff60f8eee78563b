# test_locks.py (ConditionTests.test_wait_cancel): a cancelled wait() reacquires the lock before raising.
import asyncio


async def main():
    cond = asyncio.Condition()
    seen = []

    async def waiter():
        async with cond:
            try:
                await cond.wait()
            except asyncio.CancelledError:
                seen.append(cond.locked())
                raise

    t = asyncio.create_task(waiter())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled; held the lock while handling it:", seen)
    print("locked now:", cond.locked())


asyncio.run(main())
