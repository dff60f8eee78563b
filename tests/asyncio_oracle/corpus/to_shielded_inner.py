# asyncio-task.rst (shield + timeout): a shielded task keeps running after the timeout cancels the wait for it.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def save():
        await asyncio.sleep(2)
        print("saved at", loop.time())
        return "saved"

    t = asyncio.create_task(save())
    try:
        async with asyncio.timeout(1):
            await asyncio.shield(t)
    except TimeoutError:
        print("gave up waiting at", loop.time(), "task done:", t.done())
    print(await t)


asyncio.run(main())
