# test_queues.py (test_blocking_get_wait, test_get_with_putters): get() waits for an item; several getters are served in order.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    q = asyncio.Queue()

    async def getter(name):
        item = await q.get()
        print(f"{loop.time():.1f} {name} got {item}")

    tasks = [asyncio.create_task(getter(f"g{n}")) for n in range(3)]
    for item in "abc":
        await asyncio.sleep(0.5)
        await q.put(item)
    await asyncio.gather(*tasks)


asyncio.run(main())
