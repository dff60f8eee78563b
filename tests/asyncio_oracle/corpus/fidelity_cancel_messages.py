# Cancel messages are any object (CPython keeps `msg` as given) and travel with the
# CancelledError: through the task, through the future it awaits, and out of result().
import asyncio


async def sleeper():
    await asyncio.sleep(10)


async def catcher(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print(name, "caught", repr(e), "args =", e.args)
        raise


async def main():
    for msg in [(5,), 42, None, "text", ["a", 1], {"k": 2.5}, ("x", None)]:
        t = asyncio.create_task(catcher(repr(msg)))
        await asyncio.sleep(0)
        t.cancel(msg)
        try:
            await t
        except asyncio.CancelledError as e:
            print("  awaited:", e.args, e.args == ((msg,) if msg is not None else ()))

    t = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    t.cancel(msg=(1, 2))
    await asyncio.sleep(0)
    try:
        t.result()
    except asyncio.CancelledError as e:
        print("result():", e.args)

    fut = asyncio.get_running_loop().create_future()
    fut.cancel(msg=3.5)
    try:
        await fut
    except asyncio.CancelledError as e:
        print("future:", e.args)

    t = asyncio.create_task(sleeper())
    t.cancel(7)
    try:
        await t
    except asyncio.CancelledError as e:
        print("cancelled before its first step:", e.args)

    a = asyncio.create_task(sleeper())
    await asyncio.sleep(0)
    a.cancel(("tuple", 1))
    results = await asyncio.gather(a, return_exceptions=True)
    print("gather:", [r.args for r in results])


asyncio.run(main())
