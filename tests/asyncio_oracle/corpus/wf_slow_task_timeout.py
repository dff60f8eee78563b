# test_waitfor.py (test_asyncio_wait_for_timeout): on timeout wait_for waits for the inner task; when it ignored the cancel and returned, wait_for returns its result.
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
                pass
        self.exited = True
        return "slow result"


async def main():
    t = SlowTask()
    try:
        r = await asyncio.wait_for(t.run(), t.RUN_FOR / 2)
        print("returned", r)
    except asyncio.TimeoutError:
        print("TimeoutError")
    print("exited:", t.exited, "at", round(time.monotonic(), 3))


asyncio.run(main())
