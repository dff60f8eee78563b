# test_futures.py (test_future_callbacks_*): a callback added to a done future runs soon, not at once; callbacks run in order with call_soon's.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    f = loop.create_future()
    f.add_done_callback(lambda fut: print("callback 1 sees", fut.result()))
    loop.call_soon(print, "call_soon A")
    f.set_result("r")
    f.add_done_callback(lambda fut: print("callback 2 added after"))
    loop.call_soon(print, "call_soon B")
    print("before yielding")
    await asyncio.sleep(0)
    print("after one pass")


asyncio.run(main())
