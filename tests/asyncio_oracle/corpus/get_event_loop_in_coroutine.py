# asyncio-eventloop.rst: inside a coroutine get_event_loop() is the running loop; loop.time() starts near 0 on the oracle's clock.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    print(asyncio.get_event_loop() is loop, loop.is_running())
    fut = loop.create_future()
    loop.call_later(0.3, fut.set_result, "late")
    print(await fut, loop.time())


asyncio.run(main())
