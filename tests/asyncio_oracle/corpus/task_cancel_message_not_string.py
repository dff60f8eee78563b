# test_tasks.py (test_cancel_with_message_then_future_exception): a cancel message that is not a string keeps its type.
import asyncio


async def sleeper():
    await asyncio.sleep(10)


async def main():
    for msg in ((5,), 7, None):
        t = asyncio.create_task(sleeper())
        await asyncio.sleep(0)
        t.cancel(msg)
        try:
            await t
        except asyncio.CancelledError as e:
            print(repr(msg), "->", e.args)


asyncio.run(main())
