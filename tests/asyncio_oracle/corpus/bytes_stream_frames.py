# asyncio-stream.rst style, without sockets: a producer sends bytes frames through a queue; the consumer decodes them.
import asyncio


async def producer(q):
    for chunk in (b"hel", b"lo ", b"\xed\x95\x9c\xea\xb8\x80", b""):
        await asyncio.sleep(0.1)
        await q.put(chunk)


async def consumer(q):
    buf = b""
    while chunk := await q.get():
        buf += chunk
    print(len(buf), buf[:5], buf.decode("utf-8"))
    print("\N{CHECK MARK} done", "\N{GREEK SMALL LETTER ALPHA}")


async def main():
    q = asyncio.Queue()
    await asyncio.gather(producer(q), consumer(q))


asyncio.run(main())
