# not yet: `Task.remove_done_callback` is refused ("not supported by tasklab yet").
# test_tasks.py / futures (add_done_callback): callbacks run in the order added, soon after the task finishes, with the task as argument.
import asyncio


async def work():
    await asyncio.sleep(0.2)
    return "w"


async def main():
    t = asyncio.create_task(work(), name="worker")
    t.add_done_callback(lambda task: print("first callback:", task.get_name(), task.result()))
    t.add_done_callback(lambda task: print("second callback"))
    t.add_done_callback(print)
    print("remove:", t.remove_done_callback(print))
    await t
    print("after await")
    await asyncio.sleep(0)
    print("after one more step")


asyncio.run(main())
