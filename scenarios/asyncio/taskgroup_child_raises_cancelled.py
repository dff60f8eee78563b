# tasklab: title TaskGroup 자식이 CancelledError를 던지면 — 실패가 아니라 "취소됨"이다
#
# Seed 003's failing child throws CancellationError() and, in Swift, the group cancels the
# other downloads. The literal asyncio translation raises asyncio.CancelledError() in the
# child, and the lesson flips: a TaskGroup treats a child that ends with CancelledError as
# cancelled, not failed. Nothing is cancelled, both downloads finish, and the group ends
# without any error.
import asyncio


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def download_image(n, seconds):
    try:
        await asyncio.sleep(seconds)
        print(f"{now()} ✅ 이미지 {n} 다운로드 완료")
    except asyncio.CancelledError:
        print(f"{now()} 🟡 작업이 취소되었습니다. (이미지 {n})")  # never printed
        raise


async def failing_child():
    await asyncio.sleep(1)
    # tasklab: note The child ends "cancelled": the group does not treat that as an error.
    raise asyncio.CancelledError()  # Swift: throw CancellationError()


async def main():
    async with asyncio.TaskGroup() as group:
        group.create_task(download_image(1, 2))
        child = group.create_task(failing_child())
        group.create_task(download_image(3, 3))
    print(f"{now()} 그룹 정상 종료, failing_child cancelled() = {child.cancelled()}")


asyncio.run(main())

# tasklab: expect [2.0s] ✅ 이미지 1 다운로드 완료
# tasklab: expect [3.0s] ✅ 이미지 3 다운로드 완료
# tasklab: expect [3.0s] 그룹 정상 종료, failing_child cancelled() = True
