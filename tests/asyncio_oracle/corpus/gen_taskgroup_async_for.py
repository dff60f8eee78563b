# test_taskgroups.py / test_asyncgen.py style (TaskGroup children fed by an async generator): one failure cancels the rest, and the generator is closed.
import asyncio


async def jobs():
    try:
        for n in range(5):
            yield n
            await asyncio.sleep(0.1)
    finally:
        print("job source finished")


async def run_job(n):
    await asyncio.sleep(0.25)
    if n == 1:
        raise ValueError(f"job {n} failed")
    print("job", n, "ok")


async def main():
    try:
        async with asyncio.TaskGroup() as g:
            async for n in jobs():
                g.create_task(run_job(n))
    except* ValueError as eg:
        print("errors:", [str(e) for e in eg.exceptions])


asyncio.run(main())
