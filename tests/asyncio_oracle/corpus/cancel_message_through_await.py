# test_tasks.py (test_cancel_with_message_before_starting_task / nested awaits): the message of a cancel reaches the task being awaited and comes back up.
import asyncio


async def inner():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print("inner got", e.args)
        raise


async def outer():
    try:
        await asyncio.create_task(inner())
    except asyncio.CancelledError as e:
        print("outer got", e.args)
        raise


async def main():
    t = asyncio.create_task(outer())
    await asyncio.sleep(0.1)
    t.cancel("stop")
    try:
        await t
    except asyncio.CancelledError as e:
        print("main got", e.args)


asyncio.run(main())
