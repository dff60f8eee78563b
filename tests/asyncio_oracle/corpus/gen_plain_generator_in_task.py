# test_generators.py style (generators in asyncio code): a plain generator feeds delays to a task; yield from chains two of them.
import asyncio


def delays():
    yield 0.1
    yield 0.2


def all_delays():
    yield from delays()
    yield from [0.3]
    return "unused"


async def main():
    loop = asyncio.get_running_loop()
    for d in all_delays():
        await asyncio.sleep(d)
        print(f"{loop.time():.1f}")
    g = delays()
    print(next(g), next(g))
    try:
        next(g)
    except StopIteration:
        print("exhausted")


asyncio.run(main())
