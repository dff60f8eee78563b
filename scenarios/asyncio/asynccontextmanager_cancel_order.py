# tasklab: title asynccontextmanager 정리 순서 — 취소되면 중첩된 매니저가 안쪽부터(LIFO) 정리된다
#
# Two `async with` blocks, each an @asynccontextmanager generator, around a long sleep.
# When the task is cancelled, the CancelledError leaves the body and is thrown into the
# inner manager's generator at its `yield`; its cleanup runs (it awaits, and still gets to
# finish: the cancel was delivered once), it re-raises, and only then is the error thrown
# into the outer manager. Cleanup runs innermost first, like nested try/finally. A manager
# that does not re-raise would swallow the cancel: the task would end normally.
import asyncio
from contextlib import asynccontextmanager


@asynccontextmanager
async def connection(name):
    print(f"open {name}")
    try:
        yield name
    except asyncio.CancelledError:
        # tasklab: note The CancelledError from the body is thrown in here, at the yield.
        print(f"{name}: CancelledError thrown in at the yield")
        raise
    finally:
        await asyncio.sleep(0.1)
        print(f"close {name}")


async def job():
    async with connection("db") as db:
        async with connection("cache") as cache:
            print(f"job: working with {db} and {cache}")
            # tasklab: note-at cancel The cancel lands in the body's sleep.
            await asyncio.sleep(10)
            print("job: never printed")


async def main():
    task = asyncio.create_task(job())
    await asyncio.sleep(1)
    print("main: cancel()")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"main: job cancelled() = {task.cancelled()}")


asyncio.run(main())

# tasklab: expect open db
# tasklab: expect open cache
# tasklab: expect job: working with db and cache
# tasklab: expect main: cancel()
# tasklab: expect cache: CancelledError thrown in at the yield
# tasklab: expect close cache
# tasklab: expect db: CancelledError thrown in at the yield
# tasklab: expect close db
# tasklab: expect main: job cancelled() = True
