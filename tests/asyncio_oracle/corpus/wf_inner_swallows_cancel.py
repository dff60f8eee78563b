# test_waitfor.py (test_wait_for_cancellation_race_condition, test_wait_for_cancel_suppressed): the inner coroutine swallows the timeout's cancel and returns; wait_for returns that value.
import asyncio


async def returns_one():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("inner swallowed the cancel")
    return 1


async def returns_42():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        return 42


async def main():
    print("result:", await asyncio.wait_for(returns_one(), timeout=0.01))
    print("result:", await asyncio.wait_for(returns_42(), timeout=0.1))
    print("at", asyncio.get_running_loop().time())


asyncio.run(main())
