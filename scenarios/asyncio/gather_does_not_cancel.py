# tasklab: title gather는 구조적이지 않다 — 실패해도 형제들은 계속 실행된다
#
# The same three children as the TaskGroup lesson, with asyncio.gather instead. When the
# middle one fails at 1 s, `await gather(...)` raises that error at once, but nothing is
# cancelled: the two downloads keep running and complete at 2 s and 3 s, after main has already
# moved on. (Contrast the TaskGroup, which cancels them and waits for them.)
import asyncio


class DownloadError(Exception):
    pass


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def download_image(n, seconds):
    try:
        await asyncio.sleep(seconds)
        print(f"{now()} ✅ 이미지 {n} 다운로드 완료")
        return n
    except asyncio.CancelledError:
        print(f"{now()} 🟡 작업이 취소되었습니다. (이미지 {n})")  # never printed
        raise


async def failing_child():
    await asyncio.sleep(1)
    raise DownloadError("이미지 2 다운로드 실패")


async def main():
    try:
        # tasklab: note-at end gather raises the first error at once and leaves the other children running.
        await asyncio.gather(download_image(1, 2), failing_child(), download_image(3, 3))
    except DownloadError as e:
        print(f"{now()} gather가 예외를 전달: {e}")
    # tasklab: note The siblings were never cancelled: they finish on their own.
    await asyncio.sleep(3)
    print(f"{now()} main 끝")


asyncio.run(main())

# tasklab: expect [1.0s] gather가 예외를 전달: 이미지 2 다운로드 실패
# tasklab: expect [2.0s] ✅ 이미지 1 다운로드 완료
# tasklab: expect [3.0s] ✅ 이미지 3 다운로드 완료
# tasklab: expect [4.0s] main 끝
