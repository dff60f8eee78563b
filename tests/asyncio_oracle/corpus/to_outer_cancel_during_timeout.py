# asyncio-task.rst (timeouts): a task cancelled from outside while inside a timeout block ends cancelled, and the block does not claim it expired.
import asyncio


async def worker(log):
    try:
        async with asyncio.timeout(5) as cm:
            await asyncio.sleep(10)
    finally:
        log.append(f"expired={cm.expired()}")


async def main():
    log = []
    t = asyncio.create_task(worker(log))
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("worker cancelled at", asyncio.get_running_loop().time())
    print(log)


asyncio.run(main())
