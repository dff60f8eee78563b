# test_tasks.py (test_shield_effect): cancelling the task that awaits shield() cancels only the outer wait; the shielded work finishes.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def work():
        await asyncio.sleep(1)
        print("shielded work finished at", loop.time())
        return "work result"

    inner = asyncio.create_task(work())

    async def caller():
        return await asyncio.shield(inner)

    c = asyncio.create_task(caller())
    await asyncio.sleep(0.2)
    c.cancel()
    try:
        await c
    except asyncio.CancelledError:
        print("caller cancelled at", loop.time(), "inner done:", inner.done())
    print(await inner)


asyncio.run(main())
