"""A simulated `websockets` package (the legacy asyncio API) that runs in virtual time.

`install(latencies)` puts modules named `websockets` and `websockets.exceptions` into
`sys.modules` before the scenario imports them. There is no socket: a connection is a pair of
in-memory endpoints, and every frame travels as a loop timer. The exact behaviour (states,
latencies, which pass wakes whom, what `close()` does to the peer) is specified in README.md,
section "The simulated websockets"; tasklab's own simulation must follow the same text, so
change both together.
"""

from __future__ import annotations

import asyncio
import collections
import inspect
import logging
import sys
import types
from urllib.parse import urlsplit

NS_PER_S = 1_000_000_000

# Default latencies in nanoseconds (README: "Latencies").
DEFAULT_LATENCIES = {
    "websockets.connect": 10_000_000,  # the whole opening handshake: 10 ms
    "websockets.send": 5_000_000,  # one frame, one way (data and close frames alike): 5 ms
}

OPEN, CLOSING, CLOSED = "OPEN", "CLOSING", "CLOSED"

# Close codes and their explanations, as websockets writes them in exception messages.
_CLOSE_CODE_EXPLANATIONS = {
    1000: "OK",
    1001: "going away",
    1002: "protocol error",
    1003: "unsupported data",
    1005: "no status received [internal]",
    1006: "connection closed abnormally [internal]",
    1007: "invalid frame payload data",
    1008: "policy violation",
    1009: "message too big",
    1010: "extension required",
    1011: "unexpected error",
    1012: "service restart",
    1013: "try again later",
    1014: "bad gateway",
}
_OK_CLOSE_CODES = (1000, 1001)


class Close:
    """A close frame's code and reason; str() is `1000 (OK)` or `1001 (going away) bye`."""

    def __init__(self, code: int, reason: str = "") -> None:
        self.code = code
        self.reason = reason

    def __str__(self) -> str:
        if 3000 <= self.code < 4000:
            explanation = "registered"
        elif 4000 <= self.code < 5000:
            explanation = "private use"
        else:
            explanation = _CLOSE_CODE_EXPLANATIONS.get(self.code, "unknown")
        text = f"{self.code} ({explanation})"
        return f"{text} {self.reason}" if self.reason else text

    def __repr__(self) -> str:
        return f"Close(code={self.code}, reason={self.reason!r})"


# --- websockets.exceptions ------------------------------------------------------------------


class WebSocketException(Exception):
    """Base class of the simulated websockets exceptions."""


class ConnectionClosed(WebSocketException):
    """Raised by recv()/send() on a closed connection; str() as in websockets 10 and later."""

    def __init__(self, rcvd, sent, rcvd_then_sent=None) -> None:
        super().__init__(rcvd, sent, rcvd_then_sent)
        self.rcvd = rcvd
        self.sent = sent
        self.rcvd_then_sent = rcvd_then_sent

    def __str__(self) -> str:
        if self.rcvd is None:
            if self.sent is None:
                return "no close frame received or sent"
            return f"sent {self.sent}; no close frame received"
        if self.sent is None:
            return f"received {self.rcvd}; no close frame sent"
        if self.rcvd_then_sent:
            return f"received {self.rcvd}; then sent {self.sent}"
        return f"sent {self.sent}; then received {self.rcvd}"

    @property
    def code(self) -> int:
        return 1006 if self.rcvd is None else self.rcvd.code

    @property
    def reason(self) -> str:
        return "" if self.rcvd is None else self.rcvd.reason


class ConnectionClosedOK(ConnectionClosed):
    """The connection closed properly: codes 1000 or 1001 both sent and received."""


class ConnectionClosedError(ConnectionClosed):
    """The connection closed with another code, or without a complete closing handshake."""


class InvalidURI(WebSocketException):
    """connect() got a URI that is not ws:// or wss://."""

    def __init__(self, uri: str, msg: str) -> None:
        super().__init__(uri, msg)
        self.uri = uri
        self.msg = msg

    def __str__(self) -> str:
        return f"{self.uri} isn't a valid URI: {self.msg}"


class InvalidHandshake(WebSocketException):
    """The opening handshake failed (not raised by the simulation; there for `except`)."""


for _cls in (WebSocketException, ConnectionClosed, ConnectionClosedOK, ConnectionClosedError, InvalidURI, InvalidHandshake):
    _cls.__module__ = "websockets.exceptions"


# --- the simulated network ------------------------------------------------------------------


class _Network:
    """Listening servers by port, the connection counter and the latencies."""

    def __init__(self) -> None:
        self.latencies = dict(DEFAULT_LATENCIES)
        self.servers: dict[int, WebSocketServer] = {}
        self.connections = 0

    def latency_s(self, api: str) -> float:
        return self.latencies[api] / NS_PER_S


NETWORK = _Network()


def _after(delay_s: float, callback, *args) -> None:
    asyncio.get_running_loop().call_later(delay_s, callback, *args)


class WebSocketCommonProtocol:
    """One side of a connection: what `connect()` gives a client and a handler receives."""

    is_client = False
    side = "server"

    def __init__(self, *, path: str, local_address, remote_address) -> None:
        self.state = OPEN
        self.path = path
        self.local_address = local_address
        self.remote_address = remote_address
        self.peer: WebSocketCommonProtocol | None = None
        self.close_sent: Close | None = None
        self.close_rcvd: Close | None = None
        self.close_rcvd_then_sent: bool | None = None
        self._messages: collections.deque = collections.deque()
        self._recv_waiter: asyncio.Future | None = None
        self._closed_waiters: list[asyncio.Future] = []

    # Properties as in websockets' legacy protocol.
    @property
    def open(self) -> bool:
        return self.state == OPEN

    @property
    def closed(self) -> bool:
        return self.state == CLOSED

    @property
    def close_code(self):
        if self.state != CLOSED:
            return None
        return 1006 if self.close_rcvd is None else self.close_rcvd.code

    @property
    def close_reason(self):
        if self.state != CLOSED:
            return None
        return "" if self.close_rcvd is None else self.close_rcvd.reason

    def connection_closed_exc(self) -> ConnectionClosed:
        rcvd, sent = self.close_rcvd, self.close_sent
        if rcvd is not None and sent is not None and rcvd.code in _OK_CLOSE_CODES and sent.code in _OK_CLOSE_CODES:
            return ConnectionClosedOK(rcvd, sent, self.close_rcvd_then_sent)
        return ConnectionClosedError(rcvd, sent, self.close_rcvd_then_sent if rcvd is not None and sent is not None else None)

    # --- the application's API ---

    async def send(self, message) -> None:
        """Queues one frame to the peer (arrives after `websockets.send`); never suspends."""
        if self.state != OPEN:
            raise self.connection_closed_exc()
        if not isinstance(message, (str, bytes, bytearray, memoryview)):
            raise TypeError("data must be str or bytes-like")
        if isinstance(message, (bytearray, memoryview)):
            message = bytes(message)
        _after(NETWORK.latency_s("websockets.send"), self.peer._receive_data, message)

    async def recv(self):
        """The next message; suspends while none has arrived; raises once the connection is CLOSED."""
        if self._recv_waiter is not None:
            raise RuntimeError("cannot call recv while another coroutine is already waiting for the next message")
        while not self._messages:
            if self.state == CLOSED:
                raise self.connection_closed_exc()
            waiter = asyncio.get_running_loop().create_future()
            self._recv_waiter = waiter
            try:
                await waiter
            finally:
                self._recv_waiter = None
        return self._messages.popleft()

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Starts the closing handshake (if OPEN) and waits until the connection is CLOSED."""
        self._send_close(Close(code, reason))
        await self.wait_closed()

    async def wait_closed(self) -> None:
        """Returns at once if CLOSED, else suspends until the connection is CLOSED."""
        if self.state == CLOSED:
            return
        waiter = asyncio.get_running_loop().create_future()
        self._closed_waiters.append(waiter)
        await waiter

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.recv()
        except ConnectionClosedOK:
            raise StopAsyncIteration from None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.state} {self.remote_address[0]}:{self.remote_address[1]}>"

    # --- frames ---

    def _send_close(self, frame: Close) -> None:
        if self.state != OPEN:
            return
        self.state = CLOSING
        self.close_sent = frame
        _after(NETWORK.latency_s("websockets.send"), self.peer._receive_close, frame)

    def _receive_data(self, message) -> None:
        if self.state == CLOSED:
            return  # arrived after this side closed: dropped
        self._messages.append(message)
        self._wake_recv()

    def _receive_close(self, frame: Close) -> None:
        if self.state == CLOSED:
            return
        self.close_rcvd = frame
        if self.state == OPEN:
            # Reply with the same code and reason, at once.
            self.close_sent = frame
            self.close_rcvd_then_sent = True
            _after(NETWORK.latency_s("websockets.send"), self.peer._receive_close, frame)
        else:
            self.close_rcvd_then_sent = False
        self._become_closed()

    def _abort(self) -> None:
        """Drops the connection without a closing handshake (the peer learns it one latency later)."""
        if self.state == CLOSED:
            return
        self._become_closed()
        _after(NETWORK.latency_s("websockets.send"), self.peer._receive_abort)

    def _receive_abort(self) -> None:
        if self.state == CLOSED:
            return
        self._become_closed()

    def _become_closed(self) -> None:
        self.state = CLOSED
        self._wake_recv()
        waiters, self._closed_waiters = self._closed_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _wake_recv(self) -> None:
        if self._recv_waiter is not None and not self._recv_waiter.done():
            self._recv_waiter.set_result(None)


class WebSocketServerProtocol(WebSocketCommonProtocol):
    """The server side of a connection (what the handler receives)."""

    is_client = False
    side = "server"


class WebSocketClientProtocol(WebSocketCommonProtocol):
    """The client side of a connection (what `connect()` gives)."""

    is_client = True
    side = "client"


def _handler_takes_path(handler) -> bool:
    try:
        inspect.signature(handler).bind(None)
    except TypeError:
        return True
    except ValueError:
        return False
    return False


class WebSocketServer:
    """A listening server: `close()`, `wait_closed()`, `is_serving()`, `websockets`."""

    def __init__(self, handler, host, port) -> None:
        self._handler = handler
        self._handler_takes_path = _handler_takes_path(handler)
        self.host = host
        self.port = port
        self.websockets: list[WebSocketServerProtocol] = []  # open connections, in connection order
        self._handler_tasks: list[asyncio.Task] = []
        self._serving = False
        self._closing = False
        self._closed_waiters: list[asyncio.Future] = []
        self.logger = logging.getLogger("websockets.server")

    def _listen(self) -> None:
        if self.port in NETWORK.servers:
            raise OSError(98, f"error while attempting to bind on address ('{self.host}', {self.port}): address already in use")
        NETWORK.servers[self.port] = self
        self._serving = True

    def is_serving(self) -> bool:
        return self._serving

    @property
    def sockets(self):
        return []

    def close(self) -> None:
        """Stops listening now and starts a 1001 (going away) close on every OPEN connection."""
        if self._closing:
            return
        self._closing = True
        self._serving = False
        if NETWORK.servers.get(self.port) is self:
            del NETWORK.servers[self.port]
        for ws in list(self.websockets):
            ws._send_close(Close(1001))
        self._check_closed()

    async def wait_closed(self) -> None:
        """Returns once close() was called and every handler task has finished."""
        if self._is_closed():
            return
        waiter = asyncio.get_running_loop().create_future()
        self._closed_waiters.append(waiter)
        await waiter

    def _is_closed(self) -> bool:
        return self._closing and all(task.done() for task in self._handler_tasks)

    def _check_closed(self) -> None:
        if not self._is_closed():
            return
        waiters, self._closed_waiters = self._closed_waiters, []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    def _accept(self, client: WebSocketClientProtocol, path: str) -> WebSocketServerProtocol:
        NETWORK.connections += 1
        client_port = 50000 + NETWORK.connections
        ws = WebSocketServerProtocol(path=path, local_address=("127.0.0.1", self.port), remote_address=("127.0.0.1", client_port))
        client.local_address = ("127.0.0.1", client_port)
        ws.peer, client.peer = client, ws
        self.websockets.append(ws)
        task = asyncio.get_running_loop().create_task(self._run_handler(ws))
        self._handler_tasks.append(task)
        task.add_done_callback(lambda _t: self._check_closed())
        return ws

    async def _run_handler(self, ws: WebSocketServerProtocol) -> None:
        try:
            try:
                if self._handler_takes_path:
                    await self._handler(ws, ws.path)
                else:
                    await self._handler(ws)
            except Exception:
                self.logger.error("connection handler failed")
                ws._send_close(Close(1011))
                return
            await ws.close()
        except asyncio.CancelledError:
            ws._abort()
            raise
        finally:
            if ws in self.websockets:
                self.websockets.remove(ws)

    async def __aenter__(self):
        return self

    async def __aexit__(self, exc_type, exc, tb) -> None:
        self.close()
        await self.wait_closed()


class Serve:
    """`websockets.serve(handler, host, port)`: awaitable (gives the server) and async context manager."""

    def __init__(self, handler, host=None, port=None, **_ignored) -> None:
        if port is None:
            raise TypeError("serve() needs a port in the simulation")
        self.ws_server = WebSocketServer(handler, host, port)

    async def _start(self) -> WebSocketServer:
        self.ws_server._listen()
        return self.ws_server

    def __await__(self):
        return self._start().__await__()

    async def __aenter__(self) -> WebSocketServer:
        return await self._start()

    async def __aexit__(self, exc_type, exc, tb) -> None:
        self.ws_server.close()
        await self.ws_server.wait_closed()


serve = Serve


def _parse_uri(uri: str):
    parts = urlsplit(uri)
    if parts.scheme not in ("ws", "wss"):
        raise InvalidURI(uri, "scheme isn't ws or wss")
    if not parts.hostname:
        raise InvalidURI(uri, "hostname isn't provided")
    port = parts.port or (443 if parts.scheme == "wss" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.hostname, port, path


class Connect:
    """`websockets.connect(uri)`: awaitable (gives the client connection) and async context manager."""

    def __init__(self, uri: str, **_ignored) -> None:
        self.uri = uri
        self.host, self.port, self.path = _parse_uri(uri)
        self._ws: WebSocketClientProtocol | None = None

    async def _open(self) -> WebSocketClientProtocol:
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        _after(NETWORK.latency_s("websockets.connect"), self._arrive, future)
        self._ws = await future
        return self._ws

    def _arrive(self, future: asyncio.Future) -> None:
        if future.done():
            return  # the connecting task was cancelled: no connection is made
        server = NETWORK.servers.get(self.port)
        if server is None:
            future.set_exception(ConnectionRefusedError(111, f"Connect call failed ('{self.host}', {self.port})"))
            return
        client = WebSocketClientProtocol(path=self.path, local_address=None, remote_address=("127.0.0.1", self.port))
        server._accept(client, self.path)
        future.set_result(client)

    def __await__(self):
        return self._open().__await__()

    async def __aenter__(self) -> WebSocketClientProtocol:
        return await self._open()

    async def __aexit__(self, exc_type, exc, tb) -> None:
        await self._ws.close()


connect = Connect


def broadcast(websockets, message) -> None:
    """Sends `message` to every OPEN connection in `websockets`, in iteration order, without waiting."""
    for ws in websockets:
        if ws.state == OPEN:
            _after(NETWORK.latency_s("websockets.send"), ws.peer._receive_data, message)


def install(latencies: dict[str, int] | None = None) -> None:
    """Registers the simulated `websockets` and `websockets.exceptions` in sys.modules."""
    NETWORK.__init__()
    if latencies:
        NETWORK.latencies.update({k: v for k, v in latencies.items() if k in DEFAULT_LATENCIES})
    exceptions = types.ModuleType("websockets.exceptions", "Simulated websockets.exceptions (tasklab oracle).")
    for cls in (WebSocketException, ConnectionClosed, ConnectionClosedOK, ConnectionClosedError, InvalidURI, InvalidHandshake):
        setattr(exceptions, cls.__name__, cls)
    package = types.ModuleType("websockets", "Simulated websockets (tasklab oracle): virtual-time, in-memory.")
    package.__path__ = []  # a package, so `import websockets.exceptions` works
    package.__version__ = "simulated"
    package.exceptions = exceptions
    for name, value in {
        "serve": serve,
        "connect": connect,
        "broadcast": broadcast,
        "Serve": Serve,
        "Connect": Connect,
        "WebSocketServer": WebSocketServer,
        "WebSocketServerProtocol": WebSocketServerProtocol,
        "WebSocketClientProtocol": WebSocketClientProtocol,
        "WebSocketCommonProtocol": WebSocketCommonProtocol,
        "ConnectionClosed": ConnectionClosed,
        "ConnectionClosedOK": ConnectionClosedOK,
        "ConnectionClosedError": ConnectionClosedError,
        "InvalidURI": InvalidURI,
        "InvalidHandshake": InvalidHandshake,
        "WebSocketException": WebSocketException,
    }.items():
        setattr(package, name, value)
    sys.modules["websockets"] = package
    sys.modules["websockets.exceptions"] = exceptions
