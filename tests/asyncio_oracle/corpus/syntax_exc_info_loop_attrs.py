# sys.exc_info() inside handlers and tasks; attributes set on the loop and on a Task; set_debug/get_debug.
import sys, asyncio
print(sys.exc_info())
try:
    raise KeyError("k")
except KeyError:
    t, v, tb = sys.exc_info()
    print(t, repr(v), t is type(v))
    try:
        raise ValueError("inner")
    except ValueError:
        print(sys.exc_info()[0].__name__)
    print(sys.exc_info()[1])
print(sys.exc_info())
async def worker():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("cancelled:", sys.exc_info()[0].__name__)
        raise
async def main():
    t = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(sys.exc_info()[0] is asyncio.CancelledError)
    loop = asyncio.get_running_loop()
    print(loop.slow_callback_duration, loop.get_debug())
    loop.slow_callback_duration = 0.25
    loop.set_debug(True)
    print(loop.slow_callback_duration, loop.get_debug())
    t.tag = "worker"
    print(t.tag)
asyncio.run(main())
