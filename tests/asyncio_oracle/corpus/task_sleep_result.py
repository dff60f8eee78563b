# test_tasks.py (test_sleep, test_sleep_cancel): sleep() returns its result argument; a cancelled sleep raises.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    print(await asyncio.sleep(0.1, result="slept"), loop.time())
    print(await asyncio.sleep(0, "zero"))
    t = asyncio.create_task(asyncio.sleep(10, "never"))
    loop.call_later(0.5, t.cancel)
    try:
        await t
    except asyncio.CancelledError:
        print("sleep cancelled at", loop.time())


asyncio.run(main())
