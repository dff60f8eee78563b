# asyncio-sync.rst (Condition): consumers wait for items a producer adds under the condition.
import asyncio


async def main():
    cond = asyncio.Condition()
    items = []

    async def consumer(name):
        async with cond:
            await cond.wait_for(lambda: len(items) > 0)
            item = items.pop(0)
            print(name, "took", item, "at", asyncio.get_running_loop().time())

    consumers = [asyncio.create_task(consumer(f"c{n}")) for n in range(3)]
    for i in range(3):
        await asyncio.sleep(0.5)
        async with cond:
            items.append(i)
            cond.notify()
    await asyncio.gather(*consumers)


asyncio.run(main())
