# test_locks.py (EventTests.test_clear_with_waiters): set twice wakes each waiter once; clear between waits makes the next wait block.
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    ev = asyncio.Event()
    hits = []

    async def watcher():
        for _ in range(2):
            await ev.wait()
            hits.append(loop.time())
            ev.clear()

    w = asyncio.create_task(watcher())
    await asyncio.sleep(1)
    ev.set()
    ev.set()
    await asyncio.sleep(1)
    ev.set()
    await w
    print(hits, ev.is_set())


asyncio.run(main())
