# tasklab: title 종료 방법 5 — 예외 기반 종료: except CancelledError의 정리는 건너뛴다
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, the table's "예외 기반 (특수한 경우)" row. An admin client sends "shutdown"; the
# handler turns it into an exception that ends the server task. The exception travels out of
# `await` like a cancellation would, but it is NOT a CancelledError: the seed's
# `except asyncio.CancelledError:` cleanup is skipped, only `finally` runs, and main receives
# the error itself from `await server_task`.
import asyncio

import websockets

HOST, PORT = "localhost", 8765


class ShutdownRequested(Exception):
    pass


class WebSocketServer:
    def __init__(self):
        self.stop = None

    async def handler(self, websocket):
        async for message in websocket:
            if message == "shutdown":
                # tasklab: note The handler fails the server's waiting future with an exception.
                self.stop.set_exception(ShutdownRequested("관리자 요청"))
                await websocket.send("bye")
            else:
                await websocket.send(f"echo: {message}")

    async def start_server(self):
        self.stop = asyncio.get_running_loop().create_future()
        try:
            async with websockets.serve(self.handler, HOST, PORT):
                # tasklab: note-at end ShutdownRequested is raised here, where CancelledError would be.
                await self.stop
        except asyncio.CancelledError:
            print("🧹 CancelledError 정리")  # skipped: this is not a cancellation
            raise
        finally:
            print("🧹 finally 정리")


async def main():
    server = WebSocketServer()
    server_task = asyncio.create_task(server.start_server())

    async with websockets.connect(f"ws://{HOST}:{PORT}") as admin:
        await admin.send("hello")
        print(f"관리자 ← {await admin.recv()}")
        await admin.send("shutdown")
        print(f"관리자 ← {await admin.recv()}")

    try:
        await server_task
    except asyncio.CancelledError:
        print("서버 정상 종료")  # not this one
    except ShutdownRequested as e:
        print(f"예외로 종료: {e!r}")
    print(f"cancelled() = {server_task.cancelled()}, exception() = {server_task.exception()!r}")


asyncio.run(main())

# tasklab: expect 관리자 ← echo: hello
# tasklab: expect 관리자 ← bye
# tasklab: expect 🧹 finally 정리
# tasklab: expect 예외로 종료: ShutdownRequested('관리자 요청')
# tasklab: expect cancelled() = False, exception() = ShutdownRequested('관리자 요청')
