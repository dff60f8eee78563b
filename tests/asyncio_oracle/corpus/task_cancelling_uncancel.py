# test_tasks.py (test_cancelling, test_uncancel_basic): cancelling() counts cancel requests, uncancel() takes one back.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def victim():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            me = asyncio.current_task()
            print("inside, cancelling =", me.cancelling())
            print("uncancel ->", me.uncancel())
            print("uncancel ->", me.uncancel())
            await asyncio.sleep(0.1)
            return "recovered"

    t = asyncio.create_task(victim())
    await asyncio.sleep(0)
    print("before:", t.cancelling())
    t.cancel()
    t.cancel()
    print("after two cancels:", t.cancelling())
    print(await t, "cancelled:", t.cancelled(), "at", loop.time())


asyncio.run(main())
