# test_tasks.py (test_cancel_with_message_then_future_result, test_cancel_with_message_before_starting_task): the cancel message reaches the awaiting code, started or not.
import asyncio


async def sleeper():
    await asyncio.sleep(10)


async def main():
    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel("stop now")
    try:
        await t
    except asyncio.CancelledError as e:
        print("after start:", e.args)
    t = asyncio.create_task(sleeper())
    t.cancel("before it ran")
    try:
        await t
    except asyncio.CancelledError as e:
        print("before start:", e.args)
    print(t.cancelled(), t.done())


asyncio.run(main())
