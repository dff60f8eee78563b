# test_futures.py (test_future_cancel_message_getter style): a future cancelled with a message: result() and exception() raise a CancelledError carrying it.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    g = loop.create_future()
    print("cancel:", g.cancel(msg="bye"), g.cancelled(), g.done())
    print("cancel again:", g.cancel())
    try:
        g.result()
    except asyncio.CancelledError as e:
        print("result() raises CancelledError", e.args)
    try:
        g.exception()
    except asyncio.CancelledError as e:
        print("exception() raises CancelledError", e.args)


asyncio.run(main())
