# test_tasks.py (test_cancel_gather_1 style): cancelling an outer gather that contains an inner gather cancels everything below it.
import asyncio


async def leaf(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("leaf", name, "cancelled")
        raise


async def main():
    inner = asyncio.gather(leaf("a"), leaf("b"))
    outer = asyncio.gather(inner, leaf("c"))
    await asyncio.sleep(0.1)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer raised CancelledError")
    print("inner done:", inner.done())


asyncio.run(main())
