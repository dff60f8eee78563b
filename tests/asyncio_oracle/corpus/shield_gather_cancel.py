# test_tasks.py (test_shield_gather, test_gather_shield): a shielded gather survives the cancel of its waiter; shields inside a gather protect each child.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def child(n):
        await asyncio.sleep(0.5)
        return n

    a = asyncio.create_task(child(1))
    b = asyncio.create_task(child(2))
    g = asyncio.gather(a, b)

    async def wait_shielded():
        return await asyncio.shield(g)

    waiter = asyncio.create_task(wait_shielded())
    await asyncio.sleep(0.1)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("waiter cancelled at", loop.time())
    print("gather result:", await g)

    c = asyncio.create_task(child(3))
    d = asyncio.create_task(child(4))
    outer = asyncio.gather(asyncio.shield(c), asyncio.shield(d))
    await asyncio.sleep(0.1)
    outer.cancel()
    try:
        await outer
    except asyncio.CancelledError:
        print("outer gather cancelled")
    print("children:", await c, await d, "at", loop.time())


asyncio.run(main())
