# tasklab: title await 시 예외 처리 — CancelledError는 정상, 다른 예외는 기록
# tasklab: latency websockets.connect 100ms
# tasklab: latency websockets.send 50ms
#
# Seed 000, "주의사항 3. 예외 처리 필수": the same shutdown code stops two servers. The first
# ends by cancellation, which is the normal signal (logger.info). The second never started:
# its port was taken, so its task already died with OSError. cancel() on a finished task
# returns False and changes nothing, and `await` re-raises the real error, which must not be
# mistaken for a clean stop (logger.error).
import asyncio
import logging
import sys

import websockets

logging.basicConfig(format="%(levelname)s %(message)s", stream=sys.stdout)
logger = logging.getLogger("server")
logger.setLevel(logging.INFO)

HOST, PORT = "127.0.0.1", 8765


async def handler(websocket):
    async for message in websocket:
        await websocket.send(message)


async def start_server(name):
    async with websockets.serve(handler, HOST, PORT):
        logger.info(f"{name}: 포트 {PORT}에서 대기")
        await asyncio.Future()


async def stop(name, server_task):
    print(f"{name}: cancel() → {server_task.cancel()}")
    try:
        await server_task
    except asyncio.CancelledError:
        # 정상적인 취소
        logger.info(f"{name}: 서버 정상 종료")
    except Exception as e:
        # tasklab: note Not a cancellation: the task's own error comes out of `await`.
        # 예상치 못한 오류
        logger.error(f"{name}: 서버 오류: {e}")


async def main():
    first = asyncio.create_task(start_server("서버 1"))
    second = asyncio.create_task(start_server("서버 2"))  # same port!
    await asyncio.sleep(1)
    await stop("서버 1", first)
    # tasklab: note 서버 2's task already died with OSError: cancel() returns False for a finished task.
    await stop("서버 2", second)


asyncio.run(main())

# tasklab: expect INFO 서버 1: 포트 8765에서 대기
# tasklab: expect 서버 1: cancel() → True
# tasklab: expect INFO 서버 1: 서버 정상 종료
# tasklab: expect 서버 2: cancel() → False
# tasklab: expect ERROR 서버 2: 서버 오류: [Errno 98] error while attempting to bind on address ('127.0.0.1', 8765): address already in use
