# test_tasks.py (test_gather_cancel_with_return_exceptions style): cancelling a gather with return_exceptions=True still raises CancelledError from it.
import asyncio


async def child(n):
    await asyncio.sleep(n)
    return n


async def main():
    g = asyncio.gather(child(1), child(2), return_exceptions=True)
    await asyncio.sleep(0.5)
    g.cancel()
    try:
        r = await g
        print("returned", [type(x).__name__ for x in r])
    except asyncio.CancelledError:
        print("CancelledError; cancelled():", g.cancelled())


asyncio.run(main())
