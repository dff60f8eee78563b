# not yet: `loop.set_exception_handler` is missing (AttributeError: '_UnixSelectorEventLoop' object has no attribute 'set_exception_handler'); the default handler already works (callback_exception_default.py).
# test_base_events.py (test_default_exc_handler_callback, set_exception_handler): an exception in a callback goes to the loop's handler; the loop goes on.
import asyncio


def bad_callback():
    raise ZeroDivisionError("in callback")


async def main():
    loop = asyncio.get_running_loop()
    seen = []
    loop.set_exception_handler(lambda lp, ctx: seen.append(repr(ctx.get("exception"))))
    loop.call_soon(bad_callback)
    loop.call_later(0.1, bad_callback)
    await asyncio.sleep(0.2)
    print(seen)
    print("handler set:", loop.get_exception_handler() is not None)


asyncio.run(main())
