# not yet: tasklab's loop.run_until_complete() takes only a coroutine; this program passes it a Task.
# test_tasks.py (the tests' own style): new_event_loop and run_until_complete instead of asyncio.run.
import asyncio


async def compute(x):
    await asyncio.sleep(0.5)
    return x * 2


loop = asyncio.new_event_loop()
try:
    print(loop.run_until_complete(compute(21)))
    t = loop.create_task(compute(5))
    print(loop.run_until_complete(t), t.done())
    print("running:", loop.is_running(), "closed:", loop.is_closed())
finally:
    loop.close()
print("closed:", loop.is_closed())
