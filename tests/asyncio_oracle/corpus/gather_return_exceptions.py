# test_tasks.py (test_gather_return_exceptions, test_exception_marking): with return_exceptions errors and cancellations are results in the list.
import asyncio


async def ok():
    await asyncio.sleep(0.1)
    return "ok"


async def bad():
    await asyncio.sleep(0.2)
    raise ValueError("bad")


async def slow():
    await asyncio.sleep(10)


async def main():
    s = asyncio.create_task(slow())
    asyncio.get_running_loop().call_later(0.3, s.cancel)
    results = await asyncio.gather(ok(), bad(), s, return_exceptions=True)
    for r in results:
        print(type(r).__name__, repr(r))


asyncio.run(main())
