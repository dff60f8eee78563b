# tasklab: title 안티패턴 1 — 정리 후 raise 없음: 취소가 전파되지 않는다
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, "주의사항 1. CancelledError 재발생 필수": the server catches CancelledError,
# cleans up, and forgets `raise`. The cancel is swallowed (one cancel() delivers exactly one
# CancelledError): start_server() simply returns, the task ends NORMALLY, and the caller's
# `except asyncio.CancelledError` never runs.
import asyncio

import websockets

HOST, PORT = "localhost", 8765


class WebSocketServer:
    async def handler(self, websocket):
        async for message in websocket:
            await websocket.send(f"echo: {message}")

    async def cleanup_resources(self):
        await asyncio.sleep(0.5)
        print("🧹 리소스 정리 완료")

    async def start_server(self) -> None:
        try:
            async with websockets.serve(self.handler, HOST, PORT):
                await asyncio.Future()
        except asyncio.CancelledError:
            # tasklab: note ❌ Cleanup runs, and then no `raise`: the CancelledError is swallowed.
            await self.cleanup_resources()
            # raise 없음 - 취소가 전파되지 않음!
        # tasklab: note The function carries on as if nothing had happened.
        print("start_server()가 정상적으로 반환됩니다")
        return None


async def main():
    server = WebSocketServer()
    server_task = asyncio.create_task(server.start_server())

    async with websockets.connect(f"ws://{HOST}:{PORT}") as ws:
        await ws.send("ping")
        print(f"클라이언트 ← {await ws.recv()}")

    server_task.cancel()
    try:
        # tasklab: note-at end The task ended normally: `await` returns its value and raises nothing.
        result = await server_task
        print(f"⚠️ await server_task 반환값: {result} — CancelledError가 오지 않음")
    except asyncio.CancelledError:
        print("서버 정상 종료")  # never printed
    print(f"server_task.cancelled() = {server_task.cancelled()}")


asyncio.run(main())

# tasklab: expect 클라이언트 ← echo: ping
# tasklab: expect 🧹 리소스 정리 완료
# tasklab: expect start_server()가 정상적으로 반환됩니다
# tasklab: expect ⚠️ await server_task 반환값: None — CancelledError가 오지 않음
# tasklab: expect server_task.cancelled() = False
