# test_tasks.py (test_gather_exception): without return_exceptions the first error comes out at once and the others keep running.
import asyncio


async def ok(d):
    await asyncio.sleep(d)
    print("ok finished at", d)
    return d


async def bad(d):
    await asyncio.sleep(d)
    raise RuntimeError(f"bad at {d}")


async def main():
    loop = asyncio.get_running_loop()
    others = [asyncio.create_task(ok(0.5)), asyncio.create_task(bad(0.3))]
    try:
        await asyncio.gather(bad(0.1), *others)
    except RuntimeError as e:
        print("gather raised", e, "at", loop.time())
    print("others cancelled:", [t.cancelled() for t in others])
    await asyncio.sleep(1)
    print("ok result:", others[0].result(), "bad exception:", others[1].exception())


asyncio.run(main())
