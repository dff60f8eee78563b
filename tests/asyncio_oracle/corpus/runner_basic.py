# asyncio-runner.rst / test_runners.py (test_run_several_times): asyncio.Runner runs several coroutines on one loop, then closes it.
import asyncio


async def step(n):
    await asyncio.sleep(n)
    return asyncio.get_running_loop().time()


with asyncio.Runner() as runner:
    print(runner.run(step(1)))
    print(runner.run(step(2)))
    loop = runner.get_loop()
    print("loop closed inside:", loop.is_closed())
print("loop closed after:", loop.is_closed())
