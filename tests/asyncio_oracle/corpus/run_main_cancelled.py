# test_runners.py style: main cancelled by another task: asyncio.run raises CancelledError (exit status 1).
import asyncio


async def main():
    me = asyncio.current_task()
    asyncio.get_running_loop().call_later(1, me.cancel)
    try:
        await asyncio.sleep(5)
    finally:
        print("main's finally at", asyncio.get_running_loop().time())


asyncio.run(main())
