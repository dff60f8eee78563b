# tasklab: title 종료 방법 4 — 시그널 핸들러: Ctrl-C(SIGINT)가 우아한 종료를 시작한다
# tasklab: signal SIGINT at 2.5s
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, the table's "시그널 핸들러 (외부 신호용)" row. The loop's SIGINT handler does not
# stop anything by itself: it only calls server_task.cancel(), and from there it is the
# recommended cancel + await path, with the server's cleanup. At 2.5 s the user presses Ctrl-C.
import asyncio
import signal

import websockets

HOST, PORT = "localhost", 8765


def now():
    return f"[{asyncio.get_running_loop().time():.1f}s]"


async def handler(websocket):
    async for message in websocket:
        await websocket.send(f"echo: {message}")


async def start_server():
    try:
        async with websockets.serve(handler, HOST, PORT):
            print(f"{now()} 서버 시작 (Ctrl-C로 종료)")
            await asyncio.Future()
    except asyncio.CancelledError:
        print(f"{now()} 서버: CancelledError — 정리 시작")
        await asyncio.sleep(0.5)
        print(f"{now()} 서버: 정리 완료")
        raise


async def client():
    async with websockets.connect(f"ws://{HOST}:{PORT}") as ws:
        for i in range(1, 4):
            await ws.send(f"요청 {i}")
            reply = await ws.recv()
            print(f"{now()} 클라이언트 ← {reply}")
            await asyncio.sleep(0.4)


def on_sigint(task):
    # tasklab: note The signal handler runs on the event loop; it only requests the cancel.
    print(f"{now()} SIGINT 수신 → server_task.cancel()")
    task.cancel()


async def main():
    server_task = asyncio.create_task(start_server())
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGINT, on_sigint, server_task)

    await client()
    try:
        # tasklab: note main waits for the server; only the signal will end it.
        await server_task
    except asyncio.CancelledError:
        print(f"{now()} 서버 정상 종료")


asyncio.run(main())

# tasklab: expect [0.0s] 서버 시작 (Ctrl-C로 종료)
# tasklab: expect [0.2s] 클라이언트 ← echo: 요청 1
# tasklab: expect [0.7s] 클라이언트 ← echo: 요청 2
# tasklab: expect [1.2s] 클라이언트 ← echo: 요청 3
# tasklab: expect [2.5s] SIGINT 수신 → server_task.cancel()
# tasklab: expect [2.5s] 서버: CancelledError — 정리 시작
# tasklab: expect [3.0s] 서버: 정리 완료
# tasklab: expect [3.0s] 서버 정상 종료
