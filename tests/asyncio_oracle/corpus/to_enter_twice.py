# test_timeouts.py (test_timeout_already_entered, test_timeout_double_enter): a Timeout cannot be entered a second time.
import asyncio


async def main():
    async with asyncio.timeout(0.01) as cm:
        try:
            async with cm:
                pass
        except RuntimeError as e:
            print("while inside:", e)
    try:
        async with cm:
            pass
    except RuntimeError as e:
        print("after leaving:", e)


asyncio.run(main())
