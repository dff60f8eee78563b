# asyncio.Barrier (new in 3.11) as locks.py does it: parties meet, each gets its index, the
# barrier drains and fills again; abort() and reset() break the waiters with BrokenBarrierError.
import asyncio


def shown(obj):
    """repr() without the object's address, which changes from run to run."""
    text = repr(obj)
    return text.split(" [")[0].split(" at 0x")[0] + " [" + text.split(" [", 1)[1]


async def party(barrier, name, delay):
    await asyncio.sleep(delay)
    print(name, "arrives; waiting:", barrier.n_waiting)
    index = await barrier.wait()
    print(name, "passes with index", index, "at", asyncio.get_running_loop().time())
    return index


async def breaker(barrier, name):
    try:
        await barrier.wait()
    except asyncio.BrokenBarrierError as e:
        print(name, "BrokenBarrierError:", e)


async def main():
    barrier = asyncio.Barrier(3)
    print(barrier.parties, barrier.n_waiting, barrier.broken, shown(barrier))
    results = await asyncio.gather(*(party(barrier, f"p{i}", 0.1 * i) for i in range(3)))
    print("indices", sorted(results), shown(barrier))
    results = await asyncio.gather(*(party(barrier, f"q{i}", 0.2 - 0.1 * i) for i in range(3)))
    print("second round", sorted(results))

    async with asyncio.Barrier(1) as index:
        print("async with gives index", index)

    b = asyncio.Barrier(3)
    ts = [asyncio.create_task(breaker(b, f"r{i}")) for i in range(2)]
    await asyncio.sleep(0.1)
    print("before reset:", shown(b))
    await b.reset()
    await asyncio.gather(*ts)
    print("after reset:", shown(b), b.broken)

    ts = [asyncio.create_task(breaker(b, f"a{i}")) for i in range(2)]
    await asyncio.sleep(0.1)
    await b.abort()
    await asyncio.gather(*ts)
    print("after abort:", shown(b), b.broken)
    await breaker(b, "late")
    await b.reset()
    print("reset again:", shown(b), b.broken)

    b = asyncio.Barrier(2)
    t = asyncio.create_task(b.wait())
    await asyncio.sleep(0.1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("cancelled waiter; n_waiting:", b.n_waiting, shown(b))
    try:
        asyncio.Barrier(0)
    except ValueError as e:
        print("ValueError:", e)


asyncio.run(main())
