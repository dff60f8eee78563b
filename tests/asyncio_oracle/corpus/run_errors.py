# test_runners.py / asyncio-task.rst: asyncio.run needs a coroutine; the running-loop functions fail outside a loop; a coroutine cannot be awaited twice.
import asyncio


async def once():
    return 1


async def main():
    c = once()
    print(await c)
    try:
        await c
    except RuntimeError as e:
        print("RuntimeError:", e)


try:
    asyncio.run(1)
except ValueError as e:
    print("ValueError:", e)
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    asyncio.current_task()
except RuntimeError as e:
    print("RuntimeError:", e)
asyncio.run(main())
