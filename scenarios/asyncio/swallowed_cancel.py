# tasklab: title 삼켜진 취소 — CancelledError를 잡고 다시 던지지 않으면 태스크는 정상 종료된다
#
# One cancel() delivers exactly one CancelledError. The task catches it and does not
# re-raise: nothing else is pending, its later awaits work normally, it returns a value,
# `await task` gives that value and cancelled() is False. (The seed's anti-pattern 1, in
# five lines.) cancelling() still counts the request: swallowing does not reset it.
import asyncio


async def worker():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("CancelledError을 잡았다 (raise 없음)")
    # tasklab: note Nothing is pending any more: this sleep is not interrupted.
    await asyncio.sleep(1)
    print("worker는 계속 실행된다")
    return "결과"


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(1)
    task.cancel()
    # tasklab: note-at end The task ended normally: await returns its value.
    result = await task
    print(f"await task → {result!r}, cancelled() = {task.cancelled()}, cancelling() = {task.cancelling()}")


asyncio.run(main())

# tasklab: expect CancelledError을 잡았다 (raise 없음)
# tasklab: expect worker는 계속 실행된다
# tasklab: expect await task → '결과', cancelled() = False, cancelling() = 1
