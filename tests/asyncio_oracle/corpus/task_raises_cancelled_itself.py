# test_tasks.py style (a coroutine that raises CancelledError on its own): its task ends cancelled, with the message it gave.
import asyncio


async def quitter():
    await asyncio.sleep(0.1)
    raise asyncio.CancelledError("my own")


async def main():
    t = asyncio.create_task(quitter())
    try:
        await t
    except asyncio.CancelledError as e:
        print("CancelledError", e.args)
    print("cancelled:", t.cancelled(), "cancelling:", t.cancelling())


asyncio.run(main())
