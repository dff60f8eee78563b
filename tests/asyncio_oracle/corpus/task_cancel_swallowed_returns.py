# test_tasks.py (test_cancel_yield style): a task that catches the CancelledError and returns is not cancelled; its result is the return value.
import asyncio


async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("caught the cancel")
    return "finished anyway"


async def main():
    t = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    t.cancel()
    print(await t)
    print("cancelled:", t.cancelled(), "cancelling:", t.cancelling())


asyncio.run(main())
