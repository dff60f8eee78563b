# test_tasks.py (test_gather_cancel_*): cancel() of a gather whose children are all done returns False; after a cancel its children's CancelledError carries the message.
import asyncio


async def main():
    a = asyncio.create_task(asyncio.sleep(0, "a"))
    g = asyncio.gather(a)
    print("awaited:", await g)
    print("done:", g.done(), "cancel:", g.cancel(), "result:", g.result())
    b = asyncio.create_task(asyncio.sleep(10))
    g2 = asyncio.gather(b)
    await asyncio.sleep(0)
    print("cancel:", g2.cancel("halt"))
    try:
        await g2
    except asyncio.CancelledError as e:
        print("gather raised", e.args, "child cancelled:", b.cancelled())


asyncio.run(main())
