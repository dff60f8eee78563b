# test_tasks.py (test_one_cancellation): one child cancelled from outside makes the gather raise CancelledError, while the other children go on.
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def child(n):
        await asyncio.sleep(n)
        print("child", n, "finished at", loop.time())
        return n

    a = asyncio.create_task(child(1))
    b = asyncio.create_task(child(2))
    loop.call_later(0.5, a.cancel)
    try:
        await asyncio.gather(a, b)
    except asyncio.CancelledError:
        print("gather raised CancelledError at", loop.time())
    print("b result:", await b)


asyncio.run(main())
