# tasklab: title cancel()을 두 번 — CancelledError는 한 번, 메시지는 첫 번째 것
#
# Two cancel() calls before the task resumes give ONE CancelledError, carrying the FIRST
# call's message; cancelling() counts both requests (2). The first `await task` raises a
# CancelledError with the same message; a later task.result() raises one without it.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as e:
        print(f"worker: {e!r}, cancelling() = {asyncio.current_task().cancelling()}")
        raise


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    # tasklab: note The first request: the sleep the worker waits on is cancelled with "첫 번째".
    print(f"cancel 1 → {task.cancel('첫 번째')}")
    # tasklab: note The second request is counted, but no second CancelledError will come.
    print(f"cancel 2 → {task.cancel('두 번째')}")
    try:
        await task
    except asyncio.CancelledError as e:
        print(f"main: await task → {e!r}")
    try:
        # tasklab: note Only the first await carries the message: result() raises a bare CancelledError.
        task.result()
    except asyncio.CancelledError as e:
        print(f"main: task.result() → {e!r}")


asyncio.run(main())

# tasklab: expect cancel 1 → True
# tasklab: expect cancel 2 → True
# tasklab: expect worker: CancelledError('첫 번째'), cancelling() = 2
# tasklab: expect main: await task → CancelledError('첫 번째')
# tasklab: expect main: task.result() → CancelledError()
