# tasklab: title create_task는 자식이 아니다 — 만든 태스크가 취소되어도 살아남는다
#
# The asyncio twin of seed 003's unstructured Task example: task1 starts task2 with
# create_task and is cancelled at once. task1 reports the cancellation, yet task2 finishes:
# a task created with create_task has no parent and does not inherit the cancel. Only a
# task that task1 was AWAITING (task3) is cancelled along with it: the cancel travels into
# the task being awaited.
import asyncio

background = set()  # keep references to tasks nobody awaits


async def task2():
    await asyncio.sleep(1)
    print("➡️ Task2 작업이 완료되었습니다.")


async def task3():
    try:
        await asyncio.sleep(1)
        print("➡️ Task3 작업이 완료되었습니다.")
    except asyncio.CancelledError:
        print("🟡 Task3: 작업이 취소되었습니다.")
        raise


async def task1():
    # tasklab: note create_task: task2 is scheduled on the loop, not attached to task1.
    t2 = asyncio.create_task(task2())
    background.add(t2)
    try:
        # tasklab: note task1 awaits task3: a cancel of task1 is forwarded to task3.
        await asyncio.create_task(task3())
    except asyncio.CancelledError:
        print("🟡 Task1: 작업이 취소되었습니다.")
        raise


async def main():
    t1 = asyncio.create_task(task1())
    await asyncio.sleep(0.1)
    t1.cancel()
    await asyncio.sleep(2)
    print(f"task1 cancelled: {t1.cancelled()}")


asyncio.run(main())

# tasklab: expect 🟡 Task3: 작업이 취소되었습니다.
# tasklab: expect 🟡 Task1: 작업이 취소되었습니다.
# tasklab: expect ➡️ Task2 작업이 완료되었습니다.
# tasklab: expect task1 cancelled: True
