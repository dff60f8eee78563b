# test_taskgroups.py / taskgroups.py: the RuntimeError texts for a group entered twice, used before entering, and used after it finished.
import asyncio


async def noop():
    return 1


async def main():
    g = asyncio.TaskGroup()
    coro = noop()
    try:
        g.create_task(coro)
    except RuntimeError as e:
        print("before entering:", str(e).endswith("has not been entered"))
    coro.close()
    async with g:
        try:
            async with g:
                pass
        except RuntimeError as e:
            print("entered twice:", str(e).endswith("has already been entered"))
    coro = noop()
    try:
        g.create_task(coro)
    except RuntimeError as e:
        print("after the end:", str(e).endswith("is finished"))
    coro.close()


asyncio.run(main())
