# test_timeouts.py / timeouts.py (reschedule's state check): reschedule() after the deadline fired, while the block still runs, is refused.
import asyncio


async def main():
    try:
        async with asyncio.timeout(1) as cm:
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                try:
                    cm.reschedule(None)
                except RuntimeError as e:
                    print("RuntimeError:", e)
                raise
    except TimeoutError:
        print("TimeoutError; expired:", cm.expired())


asyncio.run(main())
