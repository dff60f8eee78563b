# test_waitfor.py (test_wait_for_timeout_less_then_0_or_0_coroutine_do_not_started): with timeout 0 the coroutine never starts.
import asyncio

started = False


async def foo():
    global started
    started = True


async def main():
    loop = asyncio.get_running_loop()
    t0 = loop.time()
    try:
        await asyncio.wait_for(foo(), 0)
        print("no timeout")
    except asyncio.TimeoutError:
        print("TimeoutError after", loop.time() - t0)
    print("started:", started)


asyncio.run(main())
