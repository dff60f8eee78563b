# test_timeouts.py (test_timeout_finished, test_timeout_not_entered): reschedule() on a finished or never-entered Timeout.
import asyncio


async def main():
    async with asyncio.timeout(0.01) as cm:
        pass
    try:
        cm.reschedule(0.02)
    except RuntimeError as e:
        print("finished:", e)
    fresh = asyncio.timeout(0.01)
    try:
        fresh.reschedule(0.02)
    except RuntimeError as e:
        print("not entered:", e)


asyncio.run(main())
