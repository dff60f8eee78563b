# test_runners.py style: an exception out of main ends asyncio.run with it (exit status 1), after the lines printed so far.
import asyncio


async def main():
    print("about to fail")
    await asyncio.sleep(0.5)
    raise ValueError("main failed")


asyncio.run(main())
print("not reached")
