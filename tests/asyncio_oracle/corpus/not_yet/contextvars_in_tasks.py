# not yet: `contextvars` is refused ("module `contextvars` is not available in tasklab").
# test_tasks.py (test_context_1, test_context_3): a task runs in a copy of its creator's context; its changes do not leak back.
import asyncio
import contextvars

request_id = contextvars.ContextVar("request_id", default="none")


async def child(n):
    print("child", n, "starts with", request_id.get())
    request_id.set(f"child-{n}")
    await asyncio.sleep(0.1)
    print("child", n, "ends with", request_id.get())


async def main():
    request_id.set("main")
    t1 = asyncio.create_task(child(1))
    request_id.set("main-2")
    t2 = asyncio.create_task(child(2))
    await asyncio.gather(t1, t2)
    print("main still has", request_id.get())


asyncio.run(main())
