# test_tasks.py (test_cancel_inner_future style): two tasks await the same task; cancelling one waiter cancels the shared task, and the other waiter sees that.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    shared = asyncio.create_task(asyncio.sleep(5, "shared result"))

    async def waiter(name):
        try:
            r = await shared
            print(name, "got", r)
        except asyncio.CancelledError:
            print(name, "saw CancelledError at", loop.time())
            raise

    a = asyncio.create_task(waiter("a"))
    b = asyncio.create_task(waiter("b"))
    await asyncio.sleep(1)
    a.cancel()
    await asyncio.gather(a, b, return_exceptions=True)
    print("shared cancelled:", shared.cancelled(), "b cancelled:", b.cancelled())


asyncio.run(main())
