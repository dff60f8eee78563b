# test_taskgroups.py / taskgroups.py (3.11.7): create_task on a group that is aborting is refused; the coroutine is closed.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("first")


async def late():
    print("late child ran")


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fails())
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                coro = late()
                try:
                    g.create_task(coro)
                    print("accepted")
                except RuntimeError as e:
                    print("refused:", str(e).endswith("is shutting down"))
                    coro.close()
                raise
    except ExceptionGroup as eg:
        print([str(e) for e in eg.exceptions])


asyncio.run(main())
