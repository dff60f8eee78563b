# tasklab: title server_task.cancel() + await — 서버 취소의 권장 패턴
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, "실제 웹소켓 서버에서의 활용": the server runs in its own task and waits on an
# endless Future. main() drives two client demos, then cancels the server and AWAITS it.
# cancel() only requests; CancelledError arrives at the server's `await asyncio.Future()`,
# the `async with` closes the listening server, cleanup runs, and `raise` lets the
# cancellation reach `await server_task`.
import asyncio

import websockets

HOST, PORT = "localhost", 8765
URI = f"ws://{HOST}:{PORT}"


class WebSocketServer:
    async def handler(self, websocket):
        async for message in websocket:
            await websocket.send(f"echo: {message}")

    async def cleanup_resources(self):
        print("🧹 리소스 정리 시작")
        await asyncio.sleep(0.5)
        print("🧹 리소스 정리 완료")

    async def start_server(self) -> None:
        try:
            async with websockets.serve(self.handler, HOST, PORT):
                print("🚀 서버 시작")
                # tasklab: note The server waits here forever: only a cancel can end this await.
                await asyncio.Future()  # ← 여기서 CancelledError 발생
        except asyncio.CancelledError:
            # tasklab: note The cancel arrived at the Future; `async with` already closed the server.
            print("🛑 CancelledError 수신")
            await self.cleanup_resources()
            # tasklab: note Re-raise: the task ends cancelled, and `await server_task` sees it.
            raise  # ← 핵심: CancelledError 재발생


async def demo_client_interactions():
    async with websockets.connect(URI) as ws:
        for text in ["안녕하세요", "asyncio"]:
            await ws.send(text)
            print(f"클라이언트 ← {await ws.recv()}")


async def demo_multiple_clients():
    async def client(n):
        async with websockets.connect(URI) as ws:
            await ws.send(f"client {n}")
            return await ws.recv()

    replies = await asyncio.gather(client(1), client(2), client(3))
    print(f"동시 클라이언트 응답: {replies}")


async def main():
    server = WebSocketServer()
    server_task = asyncio.create_task(server.start_server())

    try:
        await demo_client_interactions()
        await demo_multiple_clients()
    finally:
        # tasklab: note cancel() only requests cancellation and returns at once.
        server_task.cancel()
        print(f"cancel() 직후: server_task.done() = {server_task.done()}")
        try:
            # tasklab: note-at end `await server_task` returns only now, after the server's cleanup, and raises CancelledError.
            await server_task
        except asyncio.CancelledError:
            print("서버 정상 종료")
        print(f"server_task.cancelled() = {server_task.cancelled()}")


asyncio.run(main())

# tasklab: expect 🚀 서버 시작
# tasklab: expect 클라이언트 ← echo: 안녕하세요
# tasklab: expect 클라이언트 ← echo: asyncio
# tasklab: expect 동시 클라이언트 응답: ['echo: client 1', 'echo: client 2', 'echo: client 3']
# tasklab: expect cancel() 직후: server_task.done() = False
# tasklab: expect 🛑 CancelledError 수신
# tasklab: expect 🧹 리소스 정리 시작
# tasklab: expect 🧹 리소스 정리 완료
# tasklab: expect 서버 정상 종료
# tasklab: expect server_task.cancelled() = True
