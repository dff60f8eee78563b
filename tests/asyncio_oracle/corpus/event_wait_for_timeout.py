# asyncio-sync.rst (Event) with wait_for: a timed wait that expires leaves the event usable.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    try:
        await asyncio.wait_for(ev.wait(), 0.5)
    except asyncio.TimeoutError:
        print("no event by", loop.time())
    loop.call_later(0.2, ev.set)
    print(await asyncio.wait_for(ev.wait(), 1), "at", loop.time())


asyncio.run(main())
