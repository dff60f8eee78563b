# asyncio.wait_for's races, in the style of CPython 3.11.7's test_waitfor: a result that beats
# the deadline, a task that turns the cancel into a value, waiting for the task's cleanup, an
# error raised during cleanup, and cancelling the waiter itself (with and without a timeout).
import asyncio

EPSILON = 0.0001


async def main():
    loop = asyncio.get_running_loop()

    fut = loop.create_future()
    loop.call_later(0.1, fut.set_result, "ok")
    print("result before the deadline:", await asyncio.wait_for(fut, timeout=0.2), loop.time())

    async def turns_cancel_into_value():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print("  inner caught the cancel")
        return 1

    print("cancel turned into a value:", await asyncio.wait_for(turns_cancel_into_value(), timeout=0.01))

    state = []

    async def slow_cleanup():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            await asyncio.sleep(EPSILON)
            raise
        finally:
            state.append(round(loop.time(), 6))

    for timeout in (EPSILON, 0):
        task = asyncio.create_task(slow_cleanup())
        await asyncio.sleep(EPSILON)
        try:
            await asyncio.wait_for(task, timeout=timeout)
        except TimeoutError as e:
            print(f"timeout={timeout}: cleanup done at", state[-1], "context:", type(e.__context__).__name__)

    class CleanupError(Exception):
        pass

    async def fails_in_cleanup():
        try:
            await asyncio.sleep(0.2)
        finally:
            raise CleanupError("during cancel")

    try:
        await asyncio.wait_for(asyncio.create_task(fails_in_cleanup()), timeout=EPSILON)
    except CleanupError as e:
        print("error during cancellation wins:", repr(e))

    async def stubborn():
        try:
            await asyncio.sleep(0.3)
        except asyncio.CancelledError:
            try:
                await asyncio.sleep(0.3)
            except asyncio.CancelledError:
                await asyncio.sleep(0.3)
        return 42

    inner = asyncio.create_task(stubborn())
    waiter = asyncio.create_task(asyncio.wait_for(inner, timeout=0.1))
    await asyncio.sleep(0.2)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print("the waiter is cancellable; inner gives", await inner, "at", round(loop.time(), 6))

    for timeout in (None, 60.0):
        async def blocked():
            await loop.create_future()

        task = asyncio.create_task(blocked())
        waiter = asyncio.create_task(asyncio.wait_for(task, timeout))
        loop.call_soon(waiter.cancel)
        try:
            await waiter
        except asyncio.CancelledError:
            print(f"timeout={timeout}: cancelling the wait cancels the task:", task.cancelled())


asyncio.run(main())
