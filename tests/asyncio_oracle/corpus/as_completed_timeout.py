# test_tasks.py (test_as_completed_with_timeout): past the timeout, the next await raises TimeoutError.
import asyncio


async def value_after(d, v):
    await asyncio.sleep(d)
    return v


async def main():
    loop = asyncio.get_running_loop()
    got = []
    try:
        for next_done in asyncio.as_completed([value_after(0.1, "a"), value_after(5, "b")], timeout=1):
            got.append(await next_done)
    except asyncio.TimeoutError:
        print("TimeoutError at", loop.time())
    print(got)


asyncio.run(main())
