# not yet: `TimerHandle.when()` is missing: AttributeError: 'Handle' object has no attribute 'when' (call_later/call_at return a plain Handle).
# test_events.py (TimerHandle tests): when() of a timer handle is its deadline on the loop's clock; cancelled() after cancel().
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    await asyncio.sleep(1)
    h = loop.call_later(0.5, print, "never")
    g = loop.call_at(7, print, "at seven")
    print("when:", h.when(), g.when())
    print("cancelled:", h.cancelled())
    h.cancel()
    print("cancelled:", h.cancelled())
    await asyncio.sleep(6)


asyncio.run(main())
