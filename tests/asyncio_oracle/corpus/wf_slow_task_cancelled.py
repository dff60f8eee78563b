# test_waitfor.py (test_asyncio_wait_for_cancelled): cancelling wait_for waits until the inner task, which ignores cancels, has really finished.
import asyncio
import time


class SlowTask:
    RUN_FOR = 0.2

    def __init__(self):
        self.exited = False

    async def run(self):
        end = time.monotonic() + self.RUN_FOR
        while True:
            left = end - time.monotonic()
            if left <= 0:
                break
            try:
                await asyncio.sleep(left)
            except asyncio.CancelledError:
                print("slow task ignores a cancel")
        self.exited = True


async def main():
    t = SlowTask()
    waiter = asyncio.create_task(asyncio.wait_for(t.run(), t.RUN_FOR * 2))
    await asyncio.sleep(0)
    waiter.cancel()
    done, pending = await asyncio.wait({waiter})
    print("exited:", t.exited, "at", round(time.monotonic(), 3))
    print("waiter cancelled:", waiter.cancelled(), len(done), len(pending))


asyncio.run(main())
