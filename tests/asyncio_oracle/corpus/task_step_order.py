# test_tasks.py (test_step_result style): tasks created in one step start in creation order, one step each, interleaving at every await.
import asyncio


async def stepper(name, n):
    for i in range(n):
        print(name, i)
        await asyncio.sleep(0)


async def main():
    a = asyncio.create_task(stepper("a", 3))
    b = asyncio.create_task(stepper("b", 2))
    print("main before await")
    await a
    await b
    print("main done")


asyncio.run(main())
