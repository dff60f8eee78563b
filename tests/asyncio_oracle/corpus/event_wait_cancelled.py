# test_locks.py (EventTests.test_wait_cancel): a cancelled wait() raises CancelledError and leaves no waiter behind.
import asyncio


async def main():
    ev = asyncio.Event()
    w = asyncio.create_task(ev.wait())
    asyncio.get_running_loop().call_soon(w.cancel)
    try:
        await w
    except asyncio.CancelledError:
        print("wait cancelled")
    ev.set()
    print("set later:", ev.is_set())
    print("a new wait:", await asyncio.wait_for(ev.wait(), 1))


asyncio.run(main())
