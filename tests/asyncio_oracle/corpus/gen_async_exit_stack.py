# test_contextlib_async.py style (AsyncExitStack): callbacks and context managers are unwound in reverse order, also when a timeout ends the block.
import asyncio
import contextlib


@contextlib.asynccontextmanager
async def step(name):
    print("enter", name)
    try:
        yield
    finally:
        print("exit", name)


async def main():
    try:
        async with asyncio.timeout(0.5):
            async with contextlib.AsyncExitStack() as stack:
                for name in ("a", "b", "c"):
                    await stack.enter_async_context(step(name))
                stack.callback(print, "plain callback")
                await asyncio.sleep(10)
    except TimeoutError:
        print("TimeoutError at", asyncio.get_running_loop().time())


asyncio.run(main())
