# tasklab: title to_thread는 취소되지 않는다 — 기다리던 태스크가 취소되어도 스레드는 끝까지 돈다
#
# A download runs in a worker thread (asyncio.to_thread) because it blocks: time.sleep stands
# for a blocking read. The task that awaits it gives up after 1.5 s (asyncio.timeout). The
# cancel reaches the task and its await, but a thread cannot be interrupted: the download
# runs on to the end, its result is thrown away, and asyncio.run does not return before the
# thread is done (loop.shutdown_default_executor waits for it). Meanwhile the loop is free:
# the heartbeat keeps ticking while the thread blocks.
#
# 스레드에서 돌아가는 블로킹 다운로드를 1.5초 만에 포기(취소)해도 스레드는 멈추지 않는다.
# 결과는 버려지고, asyncio.run은 스레드가 끝날 때까지 기다린다.
import asyncio
import time


def blocking_download(name, chunks):
    print(f"🧵 {name}: 스레드에서 다운로드 시작")
    for k in range(chunks):
        # tasklab: note time.sleep blocks only this worker thread; the event loop keeps running.
        time.sleep(1)
        print(f"🧵 {name}: {k + 1}/{chunks} 조각 받음 (t={time.monotonic():g}s)")
    print(f"🧵 {name}: 다운로드 완료 — 하지만 결과를 기다리는 사람이 없다")
    return f"{name} ({chunks} MB)"


async def heartbeat():
    for k in range(3):
        await asyncio.sleep(0.4)
        print(f"💓 이벤트 루프는 살아 있다 (t={asyncio.get_running_loop().time():g}s)")


async def main():
    beat = asyncio.create_task(heartbeat())
    try:
        # tasklab: note-at observed The timeout cancels the task's await; the thread itself cannot be cancelled.
        async with asyncio.timeout(1.5):
            data = await asyncio.to_thread(blocking_download, "movie.mp4", 3)
            print(f"받은 데이터: {data}")
    except TimeoutError:
        print(f"⏰ 1.5초 초과: main은 포기했다 (t={time.monotonic():g}s)")
    await beat
    print("main 끝 — asyncio.run은 스레드를 기다린다")


asyncio.run(main())
# tasklab: note asyncio.run returned only after the thread finished (shutdown_default_executor).
print(f"🏁 프로그램 종료 (t={time.monotonic():g}s)")

# tasklab: expect 🧵 movie.mp4: 스레드에서 다운로드 시작
# tasklab: expect 💓 이벤트 루프는 살아 있다 (t=0.4s)
# tasklab: expect 💓 이벤트 루프는 살아 있다 (t=0.8s)
# tasklab: expect 🧵 movie.mp4: 1/3 조각 받음 (t=1s)
# tasklab: expect 💓 이벤트 루프는 살아 있다 (t=1.2s)
# tasklab: expect ⏰ 1.5초 초과: main은 포기했다 (t=1.5s)
# tasklab: expect main 끝 — asyncio.run은 스레드를 기다린다
# tasklab: expect 🧵 movie.mp4: 2/3 조각 받음 (t=2s)
# tasklab: expect 🧵 movie.mp4: 3/3 조각 받음 (t=3s)
# tasklab: expect 🧵 movie.mp4: 다운로드 완료 — 하지만 결과를 기다리는 사람이 없다
# tasklab: expect 🏁 프로그램 종료 (t=3s)
