# test_tasks.py (test_shield_*): cancelling the outer future after the inner finished changes nothing for the inner; a second shield of the same task works.
import asyncio


async def main():
    inner = asyncio.create_task(asyncio.sleep(0.1, "inner"))
    outer = asyncio.shield(inner)
    await asyncio.sleep(0.2)
    print("outer done:", outer.done(), "cancel:", outer.cancel(), "result:", outer.result())
    print(await asyncio.shield(inner))


asyncio.run(main())
