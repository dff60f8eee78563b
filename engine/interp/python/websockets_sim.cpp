// The simulated `websockets` package (the legacy asyncio API of websockets 10–13) for
// Python scenarios. It follows tests/asyncio_oracle/README.md ("The simulated websockets")
// exactly, because the oracle's CPython run is the reference: there are no sockets, a
// connection is a pair of in-memory endpoints, and every frame is a loop timer armed at
// +`websockets.send` (the opening handshake at +`websockets.connect`), set with
// `# tasklab: latency websockets.send 50ms`. This file holds the simulation (frames, closing
// handshakes, servers, the handler tasks); the package's API is in websockets_api.cpp.
#include <algorithm>
#include <deque>
#include <map>

#include "engine/interp/python/websockets_objects.hpp"

namespace tasklab::py::ws {

using namespace ast;

namespace {

std::string explanation(std::int64_t code) {
    switch (code) {
    case 1000: return "OK";
    case 1001: return "going away";
    case 1002: return "protocol error";
    case 1003: return "unsupported data";
    case 1005: return "no status received [internal]";
    case 1006: return "connection closed abnormally [internal]";
    case 1007: return "invalid frame payload data";
    case 1008: return "policy violation";
    case 1009: return "message too big";
    case 1010: return "extension required";
    case 1011: return "unexpected error";
    case 1012: return "service restart";
    case 1013: return "try again later";
    case 1014: return "bad gateway";
    default: break;
    }
    if (code >= 3000 && code < 4000) return "registered";
    if (code >= 4000 && code < 5000) return "private use";
    return "unknown";
}

std::string frame_text(const Frame& f) {
    std::string s = std::to_string(f.code) + " (" + explanation(f.code) + ")";
    if (!f.reason.empty()) s += " " + f.reason;
    return s;
}

}  // namespace

Value frame_value(Machine& m, const std::optional<Frame>& f) {
    if (!f) return Value::none();
    auto o = std::make_shared<FrameObj>();
    o->cls = m.cls("websockets.Close");
    o->frame = *f;
    return Value::of(std::move(o));
}

/// The ConnectionClosed exception of a side: OK when it both received and sent a close frame
/// and both codes are 1000 or 1001, Error otherwise.
Value closed_exception(Machine& m, const ConnObj& c) {
    const bool ok = c.rcvd && c.sent && (c.rcvd->code == 1000 || c.rcvd->code == 1001) && (c.sent->code == 1000 || c.sent->code == 1001);
    Value e = m.new_exception(m.cls(ok ? "websockets.exceptions.ConnectionClosedOK" : "websockets.exceptions.ConnectionClosedError"), {});
    auto& inst = as<Instance>(e);
    std::string text;
    if (c.rcvd && c.sent) {
        text = c.rcvd_then_sent ? "received " + frame_text(*c.rcvd) + "; then sent " + frame_text(*c.sent)
                                : "sent " + frame_text(*c.sent) + "; then received " + frame_text(*c.rcvd);
    } else if (c.rcvd) {
        text = "received " + frame_text(*c.rcvd) + "; no close frame sent";
    } else if (c.sent) {
        text = "sent " + frame_text(*c.sent) + "; no close frame received";
    } else {
        text = "no close frame received or sent";
    }
    inst.payload = std::make_shared<Str>(text);
    inst.exc->args = {frame_value(m, c.rcvd), frame_value(m, c.sent), Value::boolean(c.rcvd_then_sent)};
    inst.attrs.set("rcvd", frame_value(m, c.rcvd));
    inst.attrs.set("sent", frame_value(m, c.sent));
    inst.attrs.set("rcvd_then_sent", c.rcvd && c.sent ? Value::boolean(c.rcvd_then_sent) : Value::none());
    inst.attrs.set("code", Value::integer(c.rcvd ? c.rcvd->code : 1006));
    inst.attrs.set("reason", make_str(c.rcvd ? c.rcvd->reason : ""));
    return e;
}

void become_closed(Machine& m, const Value& conn) {
    ConnObj& c = conn_of(conn);
    if (c.state == WsState::closed) return;
    c.state = WsState::closed;
    // A waiting recv() first, then every wait_closed()/close() waiter in order.
    if (c.recv_waiter && !m.m_model.done(c.recv_waiter)) m.m_model.set_result(c.recv_waiter, Value::none());
    const auto waiters = c.closed_waiters;
    c.closed_waiters.clear();
    for (auto f : waiters)
        if (!m.m_model.done(f)) m.m_model.set_result(f, Value::none());
}

void deliver_close(Machine& m, Value receiver, Frame frame);

/// Arms the timer that carries a close frame from `sender` to its peer.
void send_close_frame(Machine& m, const Value& sender, const Frame& frame) {
    auto peer = conn_of(sender).peer.lock();
    if (!peer) return;
    Value pv = Value::of(peer);
    m.m_model.call_later(m.m_ws->send_latency, [&m, pv, frame] { deliver_close(m, pv, frame); });
}

void deliver_close(Machine& m, Value receiver, Frame frame) {
    ConnObj& c = conn_of(receiver);
    if (c.state == WsState::closed) return;
    c.rcvd = frame;
    if (c.state == WsState::open) {
        c.sent = frame;
        c.rcvd_then_sent = true;
        send_close_frame(m, receiver, frame);
    } else {
        c.rcvd_then_sent = false;
    }
    become_closed(m, receiver);
}

void start_close(Machine& m, const Value& conn, Frame frame) {
    ConnObj& c = conn_of(conn);
    if (c.state != WsState::open) return;
    c.state = WsState::closing;
    c.sent = frame;
    send_close_frame(m, conn, frame);
}

void abort_conn(Machine& m, const Value& conn) {
    ConnObj& c = conn_of(conn);
    if (c.state == WsState::closed) return;
    become_closed(m, conn);
    auto peer = c.peer.lock();
    if (!peer) return;
    Value pv = Value::of(peer);
    m.m_model.call_later(m.m_ws->send_latency, [&m, pv] { become_closed(m, pv); });
}

void deliver_message(Machine& m, Value receiver, Value msg) {
    ConnObj& c = conn_of(receiver);
    if (c.state == WsState::closed) return;
    c.queue.push_back(std::move(msg));
    if (c.recv_waiter && !m.m_model.done(c.recv_waiter)) m.m_model.set_result(c.recv_waiter, Value::none());
}

void send_message(Machine& m, const Value& conn, const Value& msg) {
    auto peer = conn_of(conn).peer.lock();
    if (!peer) return;
    Value pv = Value::of(peer);
    m.m_model.call_later(m.m_ws->send_latency, [&m, pv, msg] { deliver_message(m, pv, msg); });
}

/// server.wait_closed() resolves once close() was called and every handler has finished.
void check_server_closed(Machine& m, const Value& server) {
    ServerObj& s = static_cast<ServerObj&>(*server.obj);
    if (!s.close_called || s.handlers_running > 0) return;
    const auto waiters = s.closed_waiters;
    s.closed_waiters.clear();
    for (auto f : waiters)
        if (!m.m_model.done(f)) m.m_model.set_result(f, Value::none());
}

void server_close(Machine& m, const Value& server) {
    ServerObj& s = static_cast<ServerObj&>(*server.obj);
    if (!s.close_called) {
        s.close_called = true;
        s.serving = false;
        auto it = m.m_ws->listening.find(s.port);
        if (it != m.m_ws->listening.end() && it->second.obj == server.obj) m.m_ws->listening.erase(it);
        const auto conns = s.websockets;
        for (const Value& c : conns)
            if (conn_of(c).state == WsState::open) start_close(m, c, Frame{1001, ""});
    }
    check_server_closed(m, server);
}

Flow<Res> wait_on(Machine& m, asyncio::FutureId f) {
    asyncio::Result r = co_await interp::lift(m.m_model.await_future(f));
    co_return m.from_result(std::move(r));
}

Flow<Res> wait_closed_co(Machine& m, Value conn) {
    if (conn_of(conn).state == WsState::closed) co_return Res::of();
    const asyncio::FutureId f = m.m_model.create_future();
    m.m_model.set_wait_label(f, WaitReason::network, "websocket wait_closed()");
    conn_of(conn).closed_waiters.push_back(f);
    Res r = co_await wait_on(m, f);
    co_return r;
}

Flow<Res> close_co(Machine& m, Value conn, std::int64_t code, std::string reason) {
    start_close(m, conn, Frame{code, std::move(reason)});
    Res r = co_await wait_closed_co(m, conn);
    co_return r;
}

Flow<Res> recv_co(Machine& m, Value conn) {
    for (;;) {
        ConnObj& c = conn_of(conn);
        if (!c.queue.empty()) {
            Value msg = c.queue.front();
            c.queue.pop_front();
            co_return Res::of(msg);
        }
        if (c.state == WsState::closed) co_return Res::raised(closed_exception(m, c));
        if (c.recv_waiter != 0)
            co_return m.raise_error("RuntimeError", "cannot call recv while another coroutine is already waiting for the next message");
        const asyncio::FutureId f = m.m_model.create_future();
        m.m_model.set_wait_label(f, WaitReason::network, "websocket recv()");
        c.recv_waiter = f;
        Res r = co_await wait_on(m, f);
        if (conn_of(conn).recv_waiter == f) conn_of(conn).recv_waiter = 0;
        if (!r.ok()) co_return r;
    }
}

Flow<Res> send_co(Machine& m, Value conn, Value msg) {
    ConnObj& c = conn_of(conn);
    if (c.state != WsState::open) co_return Res::raised(closed_exception(m, c));
    send_message(m, conn, msg);
    co_return Res::of();
}

Flow<Res> server_wait_closed_co(Machine& m, Value server) {
    ServerObj& s = static_cast<ServerObj&>(*server.obj);
    if (s.close_called && s.handlers_running == 0) co_return Res::of();
    const asyncio::FutureId f = m.m_model.create_future();
    m.m_model.set_wait_label(f, WaitReason::network, "server wait_closed()");
    s.closed_waiters.push_back(f);
    Res r = co_await wait_on(m, f);
    co_return r;
}

/// The handler task of one server-side connection.
Flow<Res> handler_task_co(Machine& m, Value server, Value conn) {
    ServerObj& s = static_cast<ServerObj&>(*server.obj);
    // handler(ws), or handler(ws, path) when the handler cannot take one argument.
    Args args;
    args.pos.push_back(conn);
    const Value& h = s.handler;
    const Function* f = nullptr;
    bool bound = false;
    if (is_kind(h, OKind::function)) f = &as<Function>(h);
    if (is_kind(h, OKind::bound_method) && is_kind(as<BoundMethod>(h).func, OKind::function)) {
        f = &as<Function>(as<BoundMethod>(h).func);
        bound = true;
    }
    if (f && f->decl) {
        const std::size_t first = bound ? 1 : 0;
        if (f->decl->params.size() >= first + 2 && !f->has_default[first + 1]) args.pos.push_back(make_str(conn_of(conn).path));
    }
    Res r = m.call(h, args, {});
    if (r.ok()) r = co_await m.await_value(r.value, {});
    Value removed = conn;
    auto finish = [&] {
        auto& ws = static_cast<ServerObj&>(*server.obj).websockets;
        ws.erase(std::remove_if(ws.begin(), ws.end(), [&](const Value& v) { return v.obj == removed.obj; }), ws.end());
    };
    if (r.ok()) {
        Res c = co_await close_co(m, conn, 1000, "");
        if (c.ctl == Ctl::raise && m.isinstance(c.value, m.cls("CancelledError").get())) abort_conn(m, conn);
        finish();
        if (!c.ok()) co_return c;
        co_return Res::of();
    }
    if (r.ctl == Ctl::raise && m.isinstance(r.value, m.cls("CancelledError").get())) {
        abort_conn(m, conn);
        finish();
        co_return r;
    }
    if (r.ctl == Ctl::raise && m.isinstance(r.value, m.cls("Exception").get())) {
        Args largs;
        largs.pos.push_back(make_str("connection handler failed"));
        Value logger;
        {
            Args g;
            g.pos.push_back(make_str("websockets.server"));
            bool handled = false;
            Res lg = m.logging_call("getLogger", Value::none(), g, {}, handled);
            if (lg.ok()) logger = lg.value;
        }
        bool handled = false;
        Res lr = m.logging_call("error", logger, largs, {}, handled);
        if (lr.ctl == Ctl::fatal) co_return lr;
        if (conn_of(conn).state == WsState::open) start_close(m, conn, Frame{1011, ""});
        finish();
        co_return Res::of();
    }
    finish();
    co_return r;
}

Flow<Res> connect_co(Machine& m, Value connect) {
    auto& c = static_cast<ConnectObj&>(*connect.obj);
    const asyncio::FutureId f = m.m_model.create_future();
    m.m_model.set_wait_label(f, WaitReason::network, "connect " + c.uri);
    Value cv = connect;
    m.m_model.call_later(
        m.m_ws->connect_latency,
        [&m, f, cv] {
            if (m.m_model.done(f)) return;  // the connecting task was cancelled
            auto& co = static_cast<ConnectObj&>(*cv.obj);
            auto it = m.m_ws->listening.find(co.port);
            if (it == m.m_ws->listening.end()) {
                const std::string text = "Connect call failed (" + str_repr(co.host) + ", " + std::to_string(co.port) + ")";
                Value e = m.new_exception(m.cls("ConnectionRefusedError"), {Value::integer(111), make_str(text)});
                m.m_model.set_exception(f, m.to_exc(e));
                return;
            }
            Value server = it->second;
            auto& s = static_cast<ServerObj&>(*server.obj);
            const std::int64_t n = ++m.m_ws->connections;
            auto server_side = std::make_shared<ConnObj>();
            server_side->cls = m.cls("websockets.WebSocketServerProtocol");
            server_side->server_side = true;
            server_side->path = co.path;
            server_side->remote_port = 50000 + n;
            server_side->local_port = co.port;
            auto client_side = std::make_shared<ConnObj>();
            client_side->cls = m.cls("websockets.WebSocketClientProtocol");
            client_side->path = co.path;
            client_side->remote_port = co.port;
            client_side->local_port = 50000 + n;
            server_side->peer = client_side;
            client_side->peer = server_side;
            Value sv = Value::of(server_side);
            Value clv = Value::of(client_side);
            s.websockets.push_back(sv);
            ++s.handlers_running;
            // The handler task first, so its first step runs before the client resumes.
            std::string lane = "handler";
            if (is_kind(s.handler, OKind::function)) lane = as<Function>(s.handler).name;
            if (is_kind(s.handler, OKind::bound_method) && is_kind(as<BoundMethod>(s.handler).func, OKind::function))
                lane = as<Function>(as<BoundMethod>(s.handler).func).name;
            lane += "(ws #" + std::to_string(n) + ")";
            // The coroutine's __qualname__ is the simulated server's method, as in the oracle.
            Value coro = m.make_native_coroutine("WebSocketServer._run_handler", [&m, server, sv] { return handler_task_co(m, server, sv); });
            as<Coroutine>(coro).label = lane;
            asyncio::FutureId task = 0;
            Res made = m.create_task(coro, nullptr, {}, task);
            if (made.ok()) {
                m.m_model.add_done_callback(task, [&m, server](asyncio::FutureId) {
                    auto& srv = static_cast<ServerObj&>(*server.obj);
                    if (srv.handlers_running > 0) --srv.handlers_running;
                    check_server_closed(m, server);
                });
            }
            m.m_model.set_result(f, clv);
        },
        m.m_sched.current());
    Res r = co_await wait_on(m, f);
    if (r.ok()) c.conn = r.value;
    co_return r;
}

Res start_serving(Machine& m, const Value& serve) {
    auto& sv = static_cast<ServeObj&>(*serve.obj);
    if (!sv.server.is_none()) return Res::of(sv.server);
    if (m.m_ws->listening.count(sv.port)) {
        const std::string text = "error while attempting to bind on address (" + str_repr(sv.host) + ", " + std::to_string(sv.port) +
                                 "): address already in use";
        return Res::raised(m.new_exception(m.cls("OSError"), {Value::integer(98), make_str(text)}));
    }
    auto s = std::make_shared<ServerObj>();
    s->cls = m.cls("websockets.WebSocketServer");
    s->handler = sv.handler;
    s->host = sv.host;
    s->port = sv.port;
    Value server = Value::of(std::move(s));
    m.m_ws->listening[sv.port] = server;
    sv.server = server;
    return Res::of(server);
}

}  // namespace tasklab::py::ws
