# The helper a TaskGroup test reaches for: the set of exception types a group collected,
# compared with a set display; a walrus keeps the group's result; keyword-only parameters.
import asyncio


async def fail_after(delay, exc_type, *, message="boom"):
    await asyncio.sleep(delay)
    raise exc_type(message)


async def steady(delay, *, value):
    await asyncio.sleep(delay)
    return value


async def main():
    t0 = asyncio.get_running_loop().time()
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(fail_after(0.1, ValueError))
            tg.create_task(fail_after(0.1, TypeError, message="bad type"))
            tg.create_task(steady(1, value="never"))
    except* (ValueError, TypeError) as eg:
        kinds = {type(e) for e in eg.exceptions}
        print(kinds == {ValueError, TypeError}, sorted(str(e) for e in eg.exceptions))
    t1 = asyncio.get_running_loop().time()
    print(t0 <= t0 + 0.1 <= t1 <= t0 + 0.2)
    if (n := len({1, 2, 2, 3})) == 3:
        print("distinct", n)
    a = b = await steady(0.1, value=[0, 0])
    a[0] = a[1] = 9
    print(a, b, a is b)


asyncio.run(main())
