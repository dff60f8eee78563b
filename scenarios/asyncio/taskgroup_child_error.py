# tasklab: title TaskGroup — 실패한 자식이 형제들을 취소한다
#
# The asyncio twin of seed 003's withThrowingTaskGroup example (implicit propagation): three
# children, the middle one fails after 1 s. In that same moment the group cancels the two
# running downloads, which print "🟡 작업이 취소되었습니다." and re-raise. Only when every
# child has finished does `async with` raise an ExceptionGroup, split here with except*.
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
        print(f"{now()} 🟡 작업이 취소되었습니다. (이미지 {n})")
        raise


async def failing_child():
    await asyncio.sleep(1)
    # tasklab: note The child fails: the group cancels its siblings right away.
    raise DownloadError("이미지 2 다운로드 실패")


async def main():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(download_image(1, 2))
            group.create_task(failing_child())
            group.create_task(download_image(3, 3))
        print("never printed")
    # tasklab: note The ExceptionGroup comes out after the cancelled siblings have finished.
    except* DownloadError as eg:
        print(f"{now()} except* DownloadError: {[str(e) for e in eg.exceptions]}")


asyncio.run(main())

# tasklab: expect [1.0s] 🟡 작업이 취소되었습니다. (이미지 1)
# tasklab: expect [1.0s] 🟡 작업이 취소되었습니다. (이미지 3)
# tasklab: expect [1.0s] except* DownloadError: ['이미지 2 다운로드 실패']
