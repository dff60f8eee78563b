# asyncio-queue.rst style: a consumer loop written with `:=` that stops at a None sentinel.
import asyncio


async def consumer(q, out):
    while (item := await q.get()) is not None:
        out.append(item * 2)
        await asyncio.sleep(0.1)


async def main():
    q = asyncio.Queue()
    out = []
    c = asyncio.create_task(consumer(q, out))
    for i in range(3):
        await q.put(i)
    await q.put(None)
    await c
    print(out, round(asyncio.get_running_loop().time(), 2))
    if (n := len(out)) > 2:
        print("more than two:", n)


asyncio.run(main())
