# tasklab: title 비동기 제너레이터 취소 — CancelledError는 제너레이터 안의 await에서 터지고 finally가 실행된다
#
# An async generator runs in its consumer's task: while `async for` waits for the next
# item, the consumer's task is parked at the generator's own `await`. Cancelling the
# consumer therefore raises CancelledError *inside the generator*, at that await. The
# generator's `finally` runs (and may itself await), then the error leaves the generator,
# ends the `async for`, and cancels the consumer. Nothing is yielded after the cancel.
import asyncio


async def sensor_readings():
    n = 0
    try:
        while True:
            # tasklab: note-at cancel The consumer's cancel lands here: inside the generator, at its await.
            await asyncio.sleep(1)
            n += 1
            print(f"sensor: reading {n}")
            yield n
    finally:
        # tasklab: note The generator's finally runs before the consumer sees anything.
        print(f"sensor: finally after {n} readings (closing the device)")
        await asyncio.sleep(0.2)
        print("sensor: device closed")


async def consumer():
    try:
        async for value in sensor_readings():
            print(f"consumer: got {value}")
    except asyncio.CancelledError:
        # tasklab: note The same CancelledError comes out of the `async for`.
        print("consumer: CancelledError came out of the async for")
        raise
    finally:
        print("consumer: finally")


async def main():
    task = asyncio.create_task(consumer())
    await asyncio.sleep(2.5)
    print("main: cancel()")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"main: consumer cancelled() = {task.cancelled()}")


asyncio.run(main())

# tasklab: expect sensor: reading 1
# tasklab: expect consumer: got 1
# tasklab: expect sensor: reading 2
# tasklab: expect consumer: got 2
# tasklab: expect main: cancel()
# tasklab: expect sensor: finally after 2 readings (closing the device)
# tasklab: expect sensor: device closed
# tasklab: expect consumer: CancelledError came out of the async for
# tasklab: expect consumer: finally
# tasklab: expect main: consumer cancelled() = True
