# tasklab: title 종료 방법 2 — 강제 종료: 프로세스가 죽으면 정리 코드는 실행되지 않는다
# tasklab: signal SIGKILL at 2.5s
#
# Seed 000, the comparison table's "강제 종료" row (safety ⭐, predictability ⭐). At 2.5 s
# the process receives SIGKILL (as from `kill -9`), which no program can catch. No
# CancelledError is delivered, no `except`/`finally` runs, no cleanup happens, the open
# resources are simply abandoned. (Nothing is printed after the kill; stdout here is written
# line by line, as on a terminal.)
import asyncio


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def server():
    print(f"{now()} 서버: 파일/연결 열기")
    try:
        while True:
            await asyncio.sleep(1)
            print(f"{now()} 서버: 요청 처리 중")
    except asyncio.CancelledError:
        print(f"{now()} 서버: CancelledError — 정리")  # never runs
        raise
    finally:
        print(f"{now()} 서버: finally — 파일/연결 닫기")  # never runs


async def main():
    task = asyncio.create_task(server())
    try:
        # tasklab: note The kill arrives during this wait: nothing after it runs, not even finally blocks.
        await asyncio.sleep(10)
    finally:
        task.cancel()
        print("main: finally")  # never runs


asyncio.run(main())

# tasklab: expect [0.0s] 서버: 파일/연결 열기
# tasklab: expect [1.0s] 서버: 요청 처리 중
# tasklab: expect [2.0s] 서버: 요청 처리 중
# tasklab: expect-error killed by SIGKILL
