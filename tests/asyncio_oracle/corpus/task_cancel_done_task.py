# test_tasks.py (test_cancel_done_future style): cancel() on a finished task returns False and changes nothing.
import asyncio


async def quick():
    return 7


async def main():
    t = asyncio.create_task(quick())
    await t
    print("cancel a done task:", t.cancel(), "result:", t.result(), "cancelled:", t.cancelled())
    t2 = asyncio.create_task(quick())
    print("cancel a fresh task:", t2.cancel(), "twice:", t2.cancel())
    await asyncio.sleep(0)
    print("cancelled:", t2.cancelled(), "cancel once more:", t2.cancel())


asyncio.run(main())
