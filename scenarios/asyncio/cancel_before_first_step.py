# tasklab: title 시작 전에 취소된 태스크 — 본문은 한 줄도 실행되지 않는다 (finally조차)
#
# A task cancelled before its first step never enters its coroutine: it prints nothing, not
# even its `finally`, and still ends cancelled. Contrast Swift, where a Task cancelled
# before it starts still runs its body (with isCancelled == true).
import asyncio


async def body():
    try:
        print("본문 시작")  # never printed
        await asyncio.sleep(1)
    finally:
        print("finally")  # never printed either


async def main():
    task = asyncio.create_task(body())
    # tasklab: note The task is scheduled but has not run yet: cancel() lands before its first step.
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"await task → CancelledError, cancelled() = {task.cancelled()}")


asyncio.run(main())

# tasklab: expect await task → CancelledError, cancelled() = True
