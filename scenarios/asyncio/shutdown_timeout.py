# tasklab: title 종료 방법 3 — 타임아웃 취소: wait_for와 asyncio.timeout
#
# Seed 000, the table's "타임아웃 취소" row (⚠️ 상황에 따라). A deadline cancels the server
# for you. The cancel arrives at the deadline, but TimeoutError comes out only AFTER the
# server's own cleanup has finished (here 0.5 s later), with the CancelledError as its cause.
import asyncio


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def start_server(name):
    try:
        print(f"{now()} {name}: 시작")
        await asyncio.Future()  # runs until cancelled
    except asyncio.CancelledError:
        print(f"{now()} {name}: CancelledError — 정리 시작")
        await asyncio.sleep(0.5)
        print(f"{now()} {name}: 정리 완료")
        raise


async def main():
    # tasklab: note wait_for cancels the server at 1 s, then waits for its cleanup.
    try:
        await asyncio.wait_for(start_server("서버 A"), timeout=1)
    except TimeoutError as e:
        print(f"{now()} wait_for: TimeoutError (cause: {type(e.__cause__).__name__})")

    # tasklab: note The same with a timeout block: the deadline is 1 s after entering it.
    try:
        async with asyncio.timeout(1) as deadline:
            await start_server("서버 B")
    except TimeoutError:
        print(f"{now()} timeout 블록: TimeoutError, expired() = {deadline.expired()}")


asyncio.run(main())

# tasklab: expect [0.0s] 서버 A: 시작
# tasklab: expect [1.0s] 서버 A: CancelledError — 정리 시작
# tasklab: expect [1.5s] 서버 A: 정리 완료
# tasklab: expect [1.5s] wait_for: TimeoutError (cause: CancelledError)
# tasklab: expect [1.5s] 서버 B: 시작
# tasklab: expect [2.5s] 서버 B: CancelledError — 정리 시작
# tasklab: expect [3.0s] 서버 B: 정리 완료
# tasklab: expect [3.0s] timeout 블록: TimeoutError, expired() = True
