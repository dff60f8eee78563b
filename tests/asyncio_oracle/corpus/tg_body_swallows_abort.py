# test_taskgroups.py style: the body catches the cancel caused by a failing child; the group still raises its ExceptionGroup at the end of the block.
import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("child")


async def main():
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.TaskGroup() as g:
            g.create_task(fails())
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                print("body cancelled at", loop.time(), "and swallows it")
            await asyncio.sleep(0.2)
            print("body goes on until", round(loop.time(), 2))
    except ExceptionGroup as eg:
        print("group:", [repr(e) for e in eg.exceptions])
    print("cancelling:", asyncio.current_task().cancelling())


asyncio.run(main())
