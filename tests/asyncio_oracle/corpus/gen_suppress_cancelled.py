# test_tasks.py / contextlib.suppress: awaiting a cancelled task inside suppress(CancelledError) goes on quietly.
import asyncio
import contextlib


async def main():
    t = asyncio.create_task(asyncio.sleep(10))
    await asyncio.sleep(0.1)
    t.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await t
    print("suppressed; cancelled:", t.cancelled())
    with contextlib.suppress(KeyError, ValueError):
        raise ValueError("ignored")
    print("after suppress")


asyncio.run(main())
