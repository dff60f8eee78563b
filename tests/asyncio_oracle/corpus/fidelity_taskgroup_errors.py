# The RuntimeError texts of asyncio.TaskGroup, word for word as taskgroups.py writes them,
# and its repr() while it runs.
import asyncio


async def nap(d):
    await asyncio.sleep(d)


async def crash():
    await asyncio.sleep(0.1)
    raise ValueError("crash")


async def main():
    tg = asyncio.TaskGroup()
    print(repr(tg))
    coro = nap(0)
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print("RuntimeError:", e)
    coro.close()
    async with tg:
        print(repr(tg))
        tg.create_task(nap(0.5))
        tg.create_task(nap(0.5))
        print(repr(tg))
        try:
            async with tg:
                pass
        except RuntimeError as e:
            print("RuntimeError:", e)
    print(repr(tg))
    coro = nap(0)
    try:
        tg.create_task(coro)
    except RuntimeError as e:
        print("RuntimeError:", e)
    coro.close()
    try:
        async with tg:
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)

    tg2 = asyncio.TaskGroup()
    try:
        async with tg2:
            tg2.create_task(crash())
            tg2.create_task(nap(5))
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("body cancelled:", repr(tg2))
                coro = nap(0)
                try:
                    tg2.create_task(coro)
                except RuntimeError as e:
                    print("RuntimeError:", e)
                coro.close()
                raise
    except* ValueError as eg:
        print("ExceptionGroup:", eg.exceptions)
    print(repr(tg2))


asyncio.run(main())
