# test_waitfor.py (test_wait_for_timeout_less_then_0_or_0_future_done): a future already done is returned even with timeout 0.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    fut.set_result("done")
    t0 = loop.time()
    print(await asyncio.wait_for(fut, 0))
    print("took", loop.time() - t0)


asyncio.run(main())
