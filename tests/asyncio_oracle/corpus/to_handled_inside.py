# asyncio-task.rst (Timeouts): the TimeoutError can only be caught outside the block; a try inside sees the CancelledError.
import asyncio


async def main():
    caught_inside = []
    try:
        async with asyncio.timeout(1):
            try:
                await asyncio.sleep(5)
            except TimeoutError:
                caught_inside.append("TimeoutError")
            except asyncio.CancelledError:
                caught_inside.append("CancelledError")
                raise
    except TimeoutError:
        print("outside: TimeoutError")
    print("inside saw:", caught_inside)


asyncio.run(main())
