# test_runners.py (test_asyncio_run_from_running_loop style): asyncio.run() inside a running loop is refused.
import asyncio


async def inner():
    return 1


async def main():
    coro = inner()
    try:
        asyncio.run(coro)
    except RuntimeError as e:
        print("RuntimeError:", e)
    coro.close()
    print("main goes on")


asyncio.run(main())
