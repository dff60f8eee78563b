# Where a cancel message (any object) travels: through gather, wait_for and shield, into a task
# that cancels itself, and not into later result()/exception() calls (CPython 3.11.7).
import asyncio

async def sleeper(d):
    await asyncio.sleep(d)
    return d

async def main():
    t = asyncio.create_task(sleeper(1))
    g = asyncio.gather(t)
    await asyncio.sleep(0)
    g.cancel(msg=("gather", 1))
    try:
        await g
    except asyncio.CancelledError as e:
        print("gather:", e.args, t.cancelled())
    try:
        await t
    except asyncio.CancelledError as e:
        print("task:", e.args)
    inner = asyncio.create_task(sleeper(1))
    outer = asyncio.create_task(asyncio.wait_for(inner, 5))
    await asyncio.sleep(0)
    outer.cancel(["w"])
    try:
        await outer
    except asyncio.CancelledError as e:
        print("wait_for:", e.args, inner.cancelled())
    try:
        await inner
    except asyncio.CancelledError as e:
        print("inner:", e.args)
    s = asyncio.create_task(sleeper(0.5))
    sh = asyncio.shield(s)
    sh.cancel(3)
    try:
        await sh
    except asyncio.CancelledError as e:
        print("shield:", e.args, await s)
    async def self_cancel():
        asyncio.current_task().cancel({"self": True})
        await asyncio.sleep(0)
    t = asyncio.create_task(self_cancel())
    try:
        await t
    except asyncio.CancelledError as e:
        print("self:", e.args)
    try:
        t.result()
    except asyncio.CancelledError as e:
        print("again:", e.args)
    try:
        t.exception()
    except asyncio.CancelledError as e:
        print("exception():", e.args)

asyncio.run(main())
