# asyncio-task.rst (Task groups and Timeouts): a TaskGroup inside a timeout block: at the deadline every child is cancelled and TimeoutError comes out.
import asyncio


async def child(n):
    try:
        await asyncio.sleep(n)
        print("child", n, "finished")
    except asyncio.CancelledError:
        print("child", n, "cancelled at", asyncio.get_running_loop().time())
        raise


async def main():
    try:
        async with asyncio.timeout(2.5):
            async with asyncio.TaskGroup() as g:
                for n in (1, 2, 3, 4):
                    g.create_task(child(n))
    except TimeoutError:
        print("TimeoutError")


asyncio.run(main())
