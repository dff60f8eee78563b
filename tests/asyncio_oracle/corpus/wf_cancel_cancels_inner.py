# test_waitfor.py (test_cancel_blocking_wait_for, test_cancel_wait_for): cancelling wait_for also cancels the task it waits on, with or without a timeout.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    for timeout in (None, 60.0):
        async def blocking():
            await loop.create_future()

        task = asyncio.create_task(blocking())
        wait = asyncio.create_task(asyncio.wait_for(task, timeout))
        loop.call_soon(wait.cancel)
        try:
            await wait
        except asyncio.CancelledError:
            print(timeout, "wait cancelled; inner cancelled:", task.cancelled())


asyncio.run(main())
