# test_asyncgen.py style (aclose): breaking out of async for and calling aclose() runs the generator's finally.
import asyncio


async def numbers():
    try:
        n = 0
        while True:
            await asyncio.sleep(0.1)
            yield n
            n += 1
    except GeneratorExit:
        print("GeneratorExit inside the generator")
        raise
    finally:
        print("finally of the generator")


async def main():
    gen = numbers()
    async for n in gen:
        print(n)
        if n == 2:
            break
    await gen.aclose()
    print("closed at", round(asyncio.get_running_loop().time(), 2))


asyncio.run(main())
