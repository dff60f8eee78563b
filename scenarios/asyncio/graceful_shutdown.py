# tasklab: title 우아한 종료 — 새 연결 차단, 종료 알림, 연결 종료, 리소스 정리
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, "우아한 종료 패턴": three clients are connected when the server task is
# cancelled at 1 s. Inside the `async with serve(...)` block the server shuts down in four
# steps: 1. refuse new connections (a late client is turned away with close code 1013),
# 2. tell the connected clients, 3. close their connections (1001, going away) and wait for
# the closing handshakes, 4. clean up resources; then it re-raises the CancelledError.
import asyncio

import websockets

HOST, PORT = "localhost", 8765
URI = f"ws://{HOST}:{PORT}"


def now():
    return f"[{asyncio.get_running_loop().time():.2f}s]"


class WebSocketServer:
    def __init__(self):
        self.accepting = True
        self.clients = []

    async def handler(self, websocket):
        if not self.accepting:
            await websocket.close(1013, "shutting down")
            return
        self.clients.append(websocket)
        try:
            async for message in websocket:
                await websocket.send(f"echo: {message}")
        finally:
            self.clients.remove(websocket)

    async def graceful_shutdown(self):
        # tasklab: note 1. 새 연결 차단: new handlers close at once with 1013 (try again later).
        self.accepting = False
        print(f"{now()} 1. 새 연결 차단")
        # tasklab: note 2. 기존 클라이언트에게 종료 알림: one message to each connected client.
        websockets.broadcast(self.clients, "서버가 곧 종료됩니다")
        print(f"{now()} 2. 종료 알림 ({len(self.clients)}명)")
        await asyncio.sleep(0.2)  # 클라이언트가 마무리할 시간
        # tasklab: note 3. 클라이언트 연결 종료: close every connection and wait for the handshakes.
        await asyncio.gather(*(ws.close(1001, "server shutdown") for ws in list(self.clients)))
        print(f"{now()} 3. 연결 종료 완료")
        # tasklab: note 4. 리소스 정리.
        await asyncio.sleep(0.1)
        print(f"{now()} 4. 리소스 정리 완료")

    async def start_server(self):
        async with websockets.serve(self.handler, HOST, PORT):
            try:
                await asyncio.Future()
            except asyncio.CancelledError:
                await self.graceful_shutdown()
                raise


async def client(n, delay=0):
    await asyncio.sleep(delay)
    async with websockets.connect(URI) as ws:
        print(f"{now()} 클라이언트 {n}: 연결됨")
        try:
            async for message in ws:
                print(f"{now()} 클라이언트 {n} ← {message}")
            print(f"{now()} 클라이언트 {n}: 연결 종료 ({ws.close_code} {ws.close_reason})")
        except websockets.exceptions.ConnectionClosedError as e:
            # tasklab: note Close code 1013 is not a normal closure: `async for` raises instead of ending.
            print(f"{now()} 클라이언트 {n}: 거절됨 ({e.code} {e.reason})")


async def main():
    server_task = asyncio.create_task(WebSocketServer().start_server())
    clients = [asyncio.create_task(client(n)) for n in (1, 2, 3)]
    late = asyncio.create_task(client(4, delay=1.02))
    await asyncio.sleep(1)
    server_task.cancel()
    try:
        await server_task
    except asyncio.CancelledError:
        print(f"{now()} 서버 정상 종료")
    await asyncio.gather(*clients, late)


asyncio.run(main())

# tasklab: expect [0.10s] 클라이언트 1: 연결됨
# tasklab: expect [0.10s] 클라이언트 2: 연결됨
# tasklab: expect [0.10s] 클라이언트 3: 연결됨
# tasklab: expect [1.00s] 1. 새 연결 차단
# tasklab: expect [1.00s] 2. 종료 알림 (3명)
# tasklab: expect [1.05s] 클라이언트 1 ← 서버가 곧 종료됩니다
# tasklab: expect [1.05s] 클라이언트 2 ← 서버가 곧 종료됩니다
# tasklab: expect [1.05s] 클라이언트 3 ← 서버가 곧 종료됩니다
# tasklab: expect [1.12s] 클라이언트 4: 연결됨
# tasklab: expect [1.17s] 클라이언트 4: 거절됨 (1013 shutting down)
# tasklab: expect [1.25s] 클라이언트 1: 연결 종료 (1001 server shutdown)
# tasklab: expect [1.25s] 클라이언트 2: 연결 종료 (1001 server shutdown)
# tasklab: expect [1.25s] 클라이언트 3: 연결 종료 (1001 server shutdown)
# tasklab: expect [1.30s] 3. 연결 종료 완료
# tasklab: expect [1.40s] 4. 리소스 정리 완료
# tasklab: expect [1.40s] 서버 정상 종료
