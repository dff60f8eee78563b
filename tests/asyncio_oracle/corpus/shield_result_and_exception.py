# test_tasks.py (test_shield_result, test_shield_exception, test_shield_shortcut): shield passes results and errors through; a done future comes back at once.
import asyncio


async def fail():
    await asyncio.sleep(0.1)
    raise KeyError("k")


async def main():
    loop = asyncio.get_running_loop()
    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, 42)
    print(await asyncio.shield(fut))
    try:
        await asyncio.shield(fail())
    except KeyError as e:
        print("KeyError", e)
    done = loop.create_future()
    done.set_result("ready")
    print("shortcut returns the future itself:", asyncio.shield(done) is done)


asyncio.run(main())
