# Nested asyncio.timeout blocks, in the style of CPython 3.11.7's test_timeouts: only the block
# whose deadline fired converts the cancel; a busy loop (time.sleep) lets both deadlines pass;
# other exceptions go through unchanged; another task can reschedule a block.
import asyncio
import time


async def expect_timeout(label, body):
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    try:
        await body()
        print(label, "-> no error")
    except TimeoutError:
        print(label, "-> TimeoutError after", round(loop.time() - t0, 6))
    except Exception as e:
        print(label, "->", type(e).__name__, "after", round(loop.time() - t0, 6))


async def same_deadline():
    loop = asyncio.get_running_loop()
    deadline = loop.time() + 0.01
    async with asyncio.timeout_at(deadline) as outer:
        try:
            async with asyncio.timeout_at(deadline) as inner:
                await asyncio.sleep(10)
        except asyncio.CancelledError:
            print("  inner block let the CancelledError out; expired:", outer.expired(), inner.expired())
            raise


async def busy_inner():
    async with asyncio.timeout(0.002) as outer:
        try:
            async with asyncio.timeout(0.1) as inner:
                time.sleep(0.01)
                await asyncio.sleep(1)
        except TimeoutError:
            print("  inner TimeoutError; expired:", inner.expired(), outer.expired())
            raise


async def busy_outer():
    async with asyncio.timeout(0.1):
        try:
            async with asyncio.timeout(0.01):
                time.sleep(0.1)
                await asyncio.sleep(1)
        except TimeoutError:
            print("  inner timed out first")
        await asyncio.sleep(10)


async def foreign_error():
    async with asyncio.timeout(0.01) as cm:
        try:
            raise KeyError("k")
        finally:
            print("  expired:", cm.expired())


async def error_in_cleanup():
    async def crash():
        try:
            await asyncio.sleep(1)
        finally:
            1 / 0

    async with asyncio.timeout(0.01):
        await crash()


async def timeout_in_finally():
    async with asyncio.timeout(0.01):
        try:
            await asyncio.sleep(1)
        finally:
            try:
                async with asyncio.timeout(0.01):
                    await asyncio.sleep(10)
            except TimeoutError:
                print("  the cleanup's own timeout fired")


async def rescheduled_from_outside():
    loop = asyncio.get_running_loop()
    box = loop.create_future()

    async def worker():
        async with asyncio.timeout(10) as cm:
            box.set_result(cm)
            await asyncio.sleep(50)

    task = asyncio.create_task(worker())
    cm = await box
    print("  when:", cm.when())
    cm.reschedule(loop.time() + 0.5)
    try:
        await task
    except TimeoutError:
        print("  worker timed out at", loop.time(), "cancelled:", task.cancelled())


async def main():
    await expect_timeout("same deadline", same_deadline)
    await expect_timeout("busy loop, outer first", busy_inner)
    await expect_timeout("busy loop, inner first", busy_outer)
    await expect_timeout("foreign error", foreign_error)
    await expect_timeout("error in cleanup", error_in_cleanup)
    await expect_timeout("timeout in finally", timeout_in_finally)
    await expect_timeout("rescheduled", rescheduled_from_outside)


asyncio.run(main())
