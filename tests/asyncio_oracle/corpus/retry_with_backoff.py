# asyncio-task.rst style (wait_for in a retry loop): each attempt has a timeout, the delay doubles, the last error is raised.
import asyncio

attempts = []


async def flaky(n):
    attempts.append(n)
    await asyncio.sleep(2 if n < 3 else 0.2)
    return f"ok on attempt {n}"


async def retry(times, timeout):
    delay = 0.1
    for n in range(1, times + 1):
        try:
            return await asyncio.wait_for(flaky(n), timeout)
        except asyncio.TimeoutError:
            print(f"attempt {n} timed out at {asyncio.get_running_loop().time():.2f}; waiting {delay}")
            await asyncio.sleep(delay)
            delay *= 2
    raise RuntimeError("gave up")


async def main():
    print(await retry(4, 1))
    attempts.clear()
    try:
        await retry(2, 1)
    except RuntimeError as e:
        print(e, attempts)


asyncio.run(main())
