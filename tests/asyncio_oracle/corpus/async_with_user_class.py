# compound_stmts.rst (async with) as asyncio code uses it: a class with __aenter__/__aexit__ that awaits, sees the exception, and suppresses one kind.
import asyncio


class Connection:
    def __init__(self, name):
        self.name = name
        self.open = False

    async def __aenter__(self):
        await asyncio.sleep(0.1)
        self.open = True
        print(f"{self.name}: open")
        return self

    async def __aexit__(self, exc_type, exc, tb):
        await asyncio.sleep(0.1)
        self.open = False
        print(f"{self.name}: closed, saw {exc_type.__name__ if exc_type else None}")
        return exc_type is KeyError


async def main():
    async with Connection("a") as c:
        print("inside, open:", c.open)
    async with Connection("b"):
        raise KeyError("swallowed")
    try:
        async with Connection("c"):
            raise ValueError("passes")
    except ValueError as e:
        print("ValueError:", e)
    t = asyncio.create_task(Connection("d").__aenter__())
    await asyncio.sleep(0)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("enter cancelled at", asyncio.get_running_loop().time())


asyncio.run(main())
