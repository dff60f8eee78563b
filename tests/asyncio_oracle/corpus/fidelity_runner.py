# asyncio.Runner (new in 3.11) as runners.py does it: one loop for several run() calls, so a task
# left pending by one run goes on in the next; close() at the end of `with` cancels what is left
# and waits for it; misuse raises RuntimeError or ValueError.
import asyncio


async def background(log):
    try:
        while True:
            log.append(asyncio.get_running_loop().time())
            await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("background cancelled after", len(log), "ticks")
        raise


async def start(log):
    task = asyncio.create_task(background(log), name="background")
    await asyncio.sleep(2.5)
    return task


async def more(task):
    print("background still running:", not task.done())
    await asyncio.sleep(2)
    return asyncio.get_running_loop().time()


async def nested(runner):
    coro = asyncio.sleep(0)
    try:
        runner.run(coro)
    except RuntimeError as e:
        print("RuntimeError:", e)
    coro.close()


log = []
with asyncio.Runner() as runner:
    loop = runner.get_loop()
    task = runner.run(start(log))
    print("first run returned at", loop.time(), "ticks:", log)
    print("second run returned", runner.run(more(task)), "ticks:", log)
    runner.run(nested(runner))
    try:
        runner.run(42)
    except ValueError as e:
        print("ValueError:", e)
print("after with: task cancelled:", task.cancelled())
coro = asyncio.sleep(0)
try:
    runner.run(coro)
except RuntimeError as e:
    print("RuntimeError:", e)
coro.close()

runner = asyncio.Runner()
runner.close()
print(runner.run(more(task)))
runner.close()
