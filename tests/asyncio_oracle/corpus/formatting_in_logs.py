# asyncio-task.rst style (progress lines as people print them): f-string format specs, !r, alignment, thousands.
import asyncio


async def job(name, size):
    await asyncio.sleep(size / 1000)
    return name, size


async def main():
    loop = asyncio.get_running_loop()
    results = await asyncio.gather(job("alpha", 1500), job("b", 250), job("gamma", 12345))
    for name, size in sorted(results, key=lambda r: r[1]):
        print(f"[{loop.time():8.3f}] {name!r:>9} {size:>7,} bytes {size / 1000:.1%}")
    widths = {name: len(name) for name, _ in results}
    print(widths, max(widths, key=widths.get))


asyncio.run(main())
