# test_tasks.py (test_wait_first_completed): wait() with FIRST_COMPLETED returns when one finishes.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    a = asyncio.create_task(asyncio.sleep(0.1, "a"))
    b = asyncio.create_task(asyncio.sleep(0.3, "b"))
    done, pending = await asyncio.wait({a, b}, return_when=asyncio.FIRST_COMPLETED)
    print("at", loop.time(), len(done), len(pending), a in done, b in pending)
    b.cancel()
    done, pending = await asyncio.wait({b})
    print("b cancelled:", b.cancelled(), len(done), len(pending))


asyncio.run(main())
