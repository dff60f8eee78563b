# The older way to run asyncio: a loop the program makes (new_event_loop, set_event_loop,
# get_event_loop outside a loop), runs with run_until_complete as often as it likes, and closes;
# a closed loop refuses to run (base_events.py, CPython 3.11.7).
import asyncio


async def main(n):
    loop = asyncio.get_running_loop()
    print("main", n, loop.time(), loop is outer, loop.is_running())
    await asyncio.sleep(1)
    return n * 10


outer = asyncio.new_event_loop()
asyncio.set_event_loop(outer)
print(outer.is_running(), outer.is_closed())
print(outer.run_until_complete(main(1)))
print(outer.run_until_complete(main(2)), outer.time(), outer.is_running())
outer.close()
print(outer.is_closed())
coro = main(3)
try:
    outer.run_until_complete(coro)
except RuntimeError as e:
    print("RuntimeError:", e)
coro.close()
print(asyncio.get_event_loop() is outer)
loop = asyncio.new_event_loop()
print(loop.run_until_complete(main(4)), loop.time())
loop.close()
print(asyncio.run(main(5)))
