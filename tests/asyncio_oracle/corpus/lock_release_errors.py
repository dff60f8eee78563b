# test_locks.py (test_release_not_acquired, test_context_manager): releasing an unlocked lock is an error; async with releases on every exit.
import asyncio


async def main():
    lock = asyncio.Lock()
    try:
        lock.release()
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        async with lock:
            print("inside, locked:", lock.locked())
            raise ValueError("boom")
    except ValueError:
        print("after error, locked:", lock.locked())
    print("acquire returns", await lock.acquire())
    lock.release()


asyncio.run(main())
