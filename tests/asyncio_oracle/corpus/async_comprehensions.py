# Asynchronous comprehensions: `await` in the element, the condition and a later clause of
# list, set and dict comprehensions, and `async for` clauses over an async generator and an
# object with __aiter__/__anext__.
import asyncio


async def double(k):
    await asyncio.sleep(0.01 * k)
    return k * 2


async def is_even(k):
    await asyncio.sleep(0)
    return k % 2 == 0


async def countdown(n):
    while n > 0:
        await asyncio.sleep(0.01)
        yield n
        n -= 1


class Ticker:
    def __init__(self, n):
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.n == 0:
            raise StopAsyncIteration
        self.n -= 1
        await asyncio.sleep(0)
        return "tick%d" % self.n


async def main():
    q = asyncio.Queue()
    for word in ("하나", "둘", "셋"):
        q.put_nowait(word)
    print("queue:", [await q.get() for _ in range(3)])
    print("dict:", {k: await double(k) for k in (3, 1, 2)})
    print("set:", sorted({await double(k) % 4 for k in range(5)}))
    print("filtered:", [k for k in range(8) if await is_even(k)])
    print("nested:", [(a, b) for a in range(2) for b in [await double(a), a]])
    print("agen:", [n async for n in countdown(4)])
    print("agen filtered:", [n * 10 async for n in countdown(5) if await is_even(n)])
    print("ticker:", {t: len(t) async for t in Ticker(2)})
    print("mixed:", [(x, y) for x in "ab" async for y in countdown(2)])
    loop = asyncio.get_running_loop()
    print("time:", round(loop.time(), 2))
    try:
        print([await double(1) for _ in Ticker(1)])
    except TypeError as e:
        print("TypeError:", e)
    plain = [1, 2]
    try:
        print([x async for x in plain])
    except TypeError as e:
        print("TypeError:", e)


asyncio.run(main())
