# test_timeouts.py (test_nested_timeouts): two blocks with one deadline; the inner lets the CancelledError through and only the outer raises TimeoutError.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    inner_saw = None
    deadline = loop.time() + 0.01
    try:
        async with asyncio.timeout_at(deadline) as outer:
            try:
                async with asyncio.timeout_at(deadline) as inner:
                    await asyncio.sleep(10)
            except asyncio.CancelledError:
                inner_saw = "CancelledError"
                raise
            except TimeoutError:
                inner_saw = "TimeoutError"
                raise
    except TimeoutError:
        print("outer raised TimeoutError")
    print("the inner block let out:", inner_saw)
    print("expired:", outer.expired(), inner.expired())


asyncio.run(main())
