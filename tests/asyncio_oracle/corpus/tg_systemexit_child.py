# test_taskgroups.py (_test_taskgroup_21 / 21a, the SystemExit case): a child that raises SystemExit stops the loop; asyncio.run ends with it.
import asyncio


async def exits():
    await asyncio.sleep(0.1)
    print("child exits")
    raise SystemExit(3)


async def main():
    async with asyncio.TaskGroup() as g:
        g.create_task(exits())
        await asyncio.sleep(1)
    print("not reached")


asyncio.run(main())
