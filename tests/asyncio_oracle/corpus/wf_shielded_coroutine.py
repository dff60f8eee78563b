# asyncio-task.rst (wait_for + shield): the timeout cancels only the shield; the work underneath finishes later.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def work():
        await asyncio.sleep(2)
        print("work finished at", loop.time())
        return 7

    t = asyncio.create_task(work())
    try:
        await asyncio.wait_for(asyncio.shield(t), timeout=1)
    except asyncio.TimeoutError:
        print("TimeoutError at", loop.time(), "work cancelled:", t.cancelled())
    print("result:", await t)


asyncio.run(main())
