# test_waitfor.py (test_wait_for_waits_for_task_cancellation): wait_for does not return until the cancelled task has finished its cleanup; the TimeoutError chains the CancelledError.
import asyncio

EPS = 0.0001


async def main():
    loop = asyncio.get_running_loop()
    state = {"done": False}

    async def inner():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await asyncio.sleep(EPS)
            raise
        finally:
            state["done"] = True

    inner_task = asyncio.create_task(inner())
    try:
        await asyncio.wait_for(inner_task, timeout=EPS)
    except asyncio.TimeoutError as e:
        print("TimeoutError at", round(loop.time(), 6))
        print("context:", type(e.__context__).__name__)
    print("inner done:", state["done"])


asyncio.run(main())
