# test_base_events.py / asyncio-eventloop.rst: call_soon, call_later and call_at order, and cancelling a handle.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    loop.call_later(0.2, print, "later 0.2")
    loop.call_at(loop.time() + 0.1, print, "at 0.1")
    h = loop.call_later(0.15, print, "cancelled timer")
    h.cancel()
    print("handle cancelled:", h.cancelled())
    loop.call_soon(print, "soon 1")
    loop.call_soon(print, "soon 2", "with", "args")
    loop.call_later(0.3, done.set_result, None)
    loop.call_later(0.3, print, "same deadline, armed second")
    await done
    print("main resumes at", loop.time())
    await asyncio.sleep(0)


asyncio.run(main())
