# test_base_events.py (test_default_exc_handler_callback): an exception in a call_soon or call_later callback is logged (on stderr) and the loop goes on.
import asyncio


def bad_callback(n):
    print("callback", n, "raises")
    raise ZeroDivisionError("in callback")


async def main():
    loop = asyncio.get_running_loop()
    loop.call_soon(bad_callback, 1)
    loop.call_later(0.1, bad_callback, 2)
    await asyncio.sleep(0.2)
    print("main goes on at", loop.time())


asyncio.run(main())
