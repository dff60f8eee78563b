# tasklab: title 종료 방법 1 — cancel() + await (권장): 정리가 끝날 때까지 기다린다
#
# Seed 000, the comparison table's first row. cancel() returns at once; the worker receives
# CancelledError at its next await, cleans up for 0.5 s and re-raises. `await task` returns
# (by raising CancelledError) only when all of that is done: the end is predictable.
import asyncio


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def worker():
    try:
        while True:
            await asyncio.sleep(1)
            print(f"{now()} worker: 작업 중")
    except asyncio.CancelledError:
        print(f"{now()} worker: CancelledError 수신, 정리 시작")
        await asyncio.sleep(0.5)
        print(f"{now()} worker: 정리 완료")
        raise


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(2.5)
    # tasklab: note cancel() only requests: it returns True at once and the task is not done yet.
    print(f"{now()} main: cancel() → {task.cancel()}, done() = {task.done()}")
    try:
        # tasklab: note main waits through the worker's whole cleanup.
        await task
    except asyncio.CancelledError:
        print(f"{now()} main: 서버가 정상적으로 종료됨, cancelled() = {task.cancelled()}")


asyncio.run(main())

# tasklab: expect [1.0s] worker: 작업 중
# tasklab: expect [2.0s] worker: 작업 중
# tasklab: expect [2.5s] main: cancel() → True, done() = False
# tasklab: expect [2.5s] worker: CancelledError 수신, 정리 시작
# tasklab: expect [3.0s] worker: 정리 완료
# tasklab: expect [3.0s] main: 서버가 정상적으로 종료됨, cancelled() = True
