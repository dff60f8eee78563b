# asyncio.timeout as CPython 3.11.7's timeouts.py does it: a timeout entered while the task
# already carries a cancel, negative and zero delays, the states shown by repr(), and misuse.
import asyncio


async def swallowed_then_timeout():
    task = asyncio.current_task()
    task.cancel()
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed, cancelling =", task.cancelling())
    try:
        async with asyncio.timeout(0.5):
            await asyncio.sleep(2)
    except TimeoutError as e:
        print("TimeoutError, cause:", type(e.__cause__).__name__, "cancelling =", task.cancelling())


async def zero_timeout_in_finally():
    try:
        asyncio.current_task().cancel()
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("work cancelled")
    finally:
        try:
            async with asyncio.timeout(0.0):
                await asyncio.sleep(1)
        except TimeoutError:
            print("cleanup timed out")


async def cancel_inside_timeout_after_cancellation():
    try:
        asyncio.current_task().cancel()
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        pass
    finally:
        try:
            async with asyncio.timeout(1.0):
                asyncio.current_task().cancel()
                await asyncio.sleep(2)
        except asyncio.CancelledError:
            print("a new cancel inside the block stays a CancelledError")


async def negative_delays():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    t = asyncio.timeout(-11)
    print("when:", t.when(), "now:", loop.time())
    try:
        async with t:
            print("inside:", t.expired())
            await asyncio.sleep(0.1)
        print("not reached")
    except TimeoutError:
        print("timeout(-11) expired at", loop.time(), t.expired())
    t2 = asyncio.timeout_at(loop.time() - 3)
    try:
        async with t2:
            await asyncio.sleep(5)
    except TimeoutError:
        print("timeout_at(past) expired at", loop.time(), repr(t2))


async def reprs():
    t = asyncio.timeout(1.25)
    print(repr(t).replace("1.25", "W").replace("2.35", "W"))
    async with t:
        print(repr(t))
    print(repr(t))
    t = asyncio.timeout(None)
    async with t:
        print(repr(t))
    t = asyncio.timeout(0.1)
    try:
        async with t:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("inside, cancelled:", repr(t))
                raise
    except TimeoutError:
        print("after:", repr(t), t.expired())


async def misuse():
    t = asyncio.timeout(1)
    try:
        t.reschedule(5)
    except RuntimeError as e:
        print("RuntimeError:", e)
    async with t:
        try:
            async with t:
                pass
        except RuntimeError as e:
            print("RuntimeError:", e)
    try:
        t.reschedule(3)
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        async with t:
            pass
    except RuntimeError as e:
        print("RuntimeError:", e)


async def reschedule_later():
    loop = asyncio.get_running_loop()
    start = loop.time()
    try:
        async with asyncio.timeout(1) as t:
            t.reschedule(loop.time() + 3)
            print("rescheduled to", round(t.when() - start, 6))
            await asyncio.sleep(10)
    except TimeoutError:
        print("timed out after", round(loop.time() - start, 6))
    async with asyncio.timeout(1) as t:
        t.reschedule(None)
        await asyncio.sleep(2)
        print("no deadline:", t.when(), t.expired())


async def main():
    for step in (swallowed_then_timeout, zero_timeout_in_finally, cancel_inside_timeout_after_cancellation,
                 negative_delays, reprs, misuse, reschedule_later):
        print("--", step.__name__)
        await asyncio.create_task(step())


asyncio.run(main())
