# The rest of tasks.py and futures.py that lessons reach for: wait() with each return_when,
# as_completed, all_tasks, task names and coroutines, sleep(0), iscoroutine, the Future's
# InvalidStateError texts, and loop.call_at.
import asyncio


async def job(name, delay, fail=False):
    await asyncio.sleep(delay)
    if fail:
        raise ValueError(name)
    return name


def names(tasks):
    return sorted(t.get_name() for t in tasks)


async def main():
    loop = asyncio.get_running_loop()
    ts = [asyncio.create_task(job(f"j{i}", 0.1 * (3 - i)), name=f"j{i}") for i in range(3)]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_COMPLETED)
    print("FIRST_COMPLETED", names(done), names(pending), loop.time())
    done, pending = await asyncio.wait(ts, return_when=asyncio.ALL_COMPLETED)
    print("ALL_COMPLETED", names(done), names(pending), round(loop.time(), 6))

    ts = [asyncio.create_task(job("ok", 0.1), name="ok"), asyncio.create_task(job("bad", 0.2, True), name="bad"),
          asyncio.create_task(job("slow", 1), name="slow")]
    done, pending = await asyncio.wait(ts, return_when=asyncio.FIRST_EXCEPTION)
    print("FIRST_EXCEPTION", names(done), names(pending), round(loop.time(), 6))
    done, pending = await asyncio.wait(pending, timeout=0.1)
    print("timeout", names(done), names(pending))
    for t in pending:
        t.cancel()
    await asyncio.wait(pending)
    print("cancelled:", [t.cancelled() for t in pending], ts[1].exception())

    for coro in asyncio.as_completed([job("x", 0.3), job("y", 0.1), job("z", 0.2)]):
        print("as_completed ->", await coro)
    try:
        for coro in asyncio.as_completed([job("fast", 0.1), job("never", 5)], timeout=0.5):
            print("as_completed ->", await coro)
    except TimeoutError:
        print("as_completed timed out at", round(loop.time(), 6))

    print("all_tasks:", len(asyncio.all_tasks()), asyncio.current_task() in asyncio.all_tasks())
    t = asyncio.create_task(job("named", 0))
    print(t.get_name().startswith("Task-"), asyncio.iscoroutine(t.get_coro()), t.get_coro().__name__ if hasattr(t.get_coro(), "__name__") else "job")
    t.set_name("renamed")
    print("renamed in all_tasks:", "renamed" in names(asyncio.all_tasks()))
    print(await t, t.get_name(), asyncio.current_task().get_name())

    c = job("c", 0)
    print(asyncio.iscoroutine(c), asyncio.iscoroutine(job), asyncio.iscoroutinefunction(job), asyncio.iscoroutinefunction(print))
    c.close()

    order = []

    async def ticker(name):
        for k in range(3):
            order.append(f"{name}{k}")
            await asyncio.sleep(0)

    await asyncio.gather(ticker("a"), ticker("b"))
    print("sleep(0) interleaves:", order)

    fut = loop.create_future()
    for call in (fut.result, fut.exception):
        try:
            call()
        except asyncio.InvalidStateError as e:
            print("InvalidStateError:", e)
    fut.set_result(1)
    try:
        fut.set_result(2)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", str(e).split(" ")[0])
    try:
        fut.set_exception(ValueError())
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", str(e).split(" ")[0])
    fut2 = loop.create_future()
    fut2.cancel()
    try:
        fut2.set_result(3)
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", str(e).split(" ")[0])
    print(fut.done(), fut.cancelled(), fut2.cancelled(), fut.cancel(), fut2.cancel())

    seen = []
    start = loop.time()
    loop.call_at(start + 0.3, seen.append, "at+0.3")
    loop.call_at(start + 0.1, seen.append, "at+0.1")
    loop.call_later(0.2, seen.append, "later+0.2")
    loop.call_soon(seen.append, "soon")
    await asyncio.sleep(0.5)
    print("callbacks:", seen)


asyncio.run(main())
