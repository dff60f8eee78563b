# test_runners.py (test_asyncio_run_cancels_hanging_tasks): when main returns, asyncio.run cancels the tasks left and waits for their cleanup.
import asyncio


async def leftover(name):
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        print(name, "cancelled at", asyncio.get_running_loop().time())
        await asyncio.sleep(0.5)
        print(name, "cleanup done at", asyncio.get_running_loop().time())
        raise


async def main():
    asyncio.create_task(leftover("first"))
    asyncio.create_task(leftover("second"))
    await asyncio.sleep(1)
    print("main returns")
    return 5


print("run returned", asyncio.run(main()))
