# test_tasks.py (test_cancel_yield / test_cancel_inner_future): the task swallows a cancel at its second await and finishes with the third future's value.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    fut1 = loop.create_future()
    fut2 = loop.create_future()
    fut3 = loop.create_future()

    async def body():
        await fut1
        try:
            await fut2
        except asyncio.CancelledError:
            print("fut2's wait cancelled")
        return await fut3

    t = asyncio.create_task(body())
    await asyncio.sleep(0)
    fut1.set_result(None)
    await asyncio.sleep(0)
    t.cancel()
    print("fut2 cancelled by the task's cancel:", fut2.cancelled())
    await asyncio.sleep(0)
    fut3.set_result(42)
    print("result:", await t, "fut3 cancelled:", fut3.cancelled(), "task cancelled:", t.cancelled())


asyncio.run(main())
