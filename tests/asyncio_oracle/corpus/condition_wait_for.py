# test_locks.py (test_wait_for): wait_for(predicate) keeps waiting through notifications until the predicate is true.
import asyncio


async def main():
    cond = asyncio.Condition()
    state = {"ready": False, "checks": 0}

    def predicate():
        state["checks"] += 1
        return state["ready"]

    async def consumer():
        async with cond:
            r = await cond.wait_for(predicate)
            print("predicate became", r, "after", state["checks"], "checks")

    t = asyncio.create_task(consumer())
    await asyncio.sleep(0.1)
    async with cond:
        cond.notify()
    await asyncio.sleep(0.1)
    print("still waiting:", not t.done())
    state["ready"] = True
    async with cond:
        cond.notify()
    await t


asyncio.run(main())
