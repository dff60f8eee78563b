# tasklab: title 안티패턴 2 — cancel()만 하고 await 없음: "서버 종료됨"은 거짓말
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, "주의사항 2. await 없이 사용 금지": main() calls cancel(), prints "server
# stopped", and never awaits the task. The server is still running: its cleanup has only
# just begun when main() returns. asyncio.run() then cancels every task that is still
# running (a second cancel) and the cleanup is cut short: "리소스 정리 완료" never appears.
import asyncio

import websockets

HOST, PORT = "localhost", 8765


class WebSocketServer:
    async def handler(self, websocket):
        async for message in websocket:
            await websocket.send(f"echo: {message}")

    async def cleanup_resources(self):
        print("🧹 리소스 정리 시작 (0.5초 걸림)")
        await asyncio.sleep(0.5)
        print("🧹 리소스 정리 완료")

    async def start_server(self) -> None:
        try:
            async with websockets.serve(self.handler, HOST, PORT):
                await asyncio.Future()
        except asyncio.CancelledError:
            # tasklab: note-at cancel The second cancel (from asyncio.run) lands in this cleanup's sleep.
            await self.cleanup_resources()
            raise
        finally:
            print("start_server() 종료")


async def main():
    server_task = asyncio.create_task(WebSocketServer().start_server())

    async with websockets.connect(f"ws://{HOST}:{PORT}") as ws:
        await ws.send("ping")
        print(f"클라이언트 ← {await ws.recv()}")

    # tasklab: note ❌ cancel() only sends the request …
    server_task.cancel()
    # tasklab: note … so this line is false: the server has not even seen the cancel yet.
    print("서버 종료됨")  # ← 실제로는 아직 실행 중!
    print(f"server_task.done() = {server_task.done()}")
    await asyncio.sleep(0.1)  # main()이 다른 일을 잠깐 한다
    print(f"0.1초 후 server_task.done() = {server_task.done()}")
    # tasklab: note main() returns: asyncio.run() cancels the still-running server task again.
    print("main() 끝")


asyncio.run(main())

# tasklab: expect 클라이언트 ← echo: ping
# tasklab: expect 서버 종료됨
# tasklab: expect server_task.done() = False
# tasklab: expect 🧹 리소스 정리 시작 (0.5초 걸림)
# tasklab: expect 0.1초 후 server_task.done() = False
# tasklab: expect main() 끝
# tasklab: expect start_server() 종료
