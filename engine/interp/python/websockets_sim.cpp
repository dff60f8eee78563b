// The simulated `websockets` package (the legacy asyncio API of websockets 10–13) for
// Python scenarios. It follows tests/asyncio_oracle/README.md ("The simulated websockets")
// exactly, because the oracle's CPython run is the reference: there are no sockets, a
// connection is a pair of in-memory endpoints, and every frame is a loop timer armed at
// +`websockets.send` (the opening handshake at +`websockets.connect`), set with
// `# tasklab: latency websockets.send 50ms`.
#include <algorithm>
#include <deque>
#include <map>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

enum class WsState : std::uint8_t { open, closing, closed };

struct Frame {
    std::int64_t code = 0;
    std::string reason;
};

struct ServerObj;

struct ConnObj : NativeObj {
    bool server_side = false;
    WsState state = WsState::open;
    std::deque<Value> queue;
    std::optional<Frame> sent;
    std::optional<Frame> rcvd;
    bool rcvd_then_sent = false;
    asyncio::FutureId recv_waiter = 0;
    std::vector<asyncio::FutureId> closed_waiters;
    std::weak_ptr<ConnObj> peer;
    std::string path = "/";
    std::string peer_host = "127.0.0.1";
    std::int64_t remote_port = 0;
    std::int64_t local_port = 0;
    ConnObj() : NativeObj(NKind::ws_conn) {}
};

struct ServerObj : NativeObj {
    Value handler;
    std::string host;
    std::int64_t port = 0;
    bool serving = true;
    bool close_called = false;
    std::vector<Value> websockets;  // server-side connections whose handler has not finished
    std::size_t handlers_running = 0;
    std::vector<asyncio::FutureId> closed_waiters;
    ServerObj() : NativeObj(NKind::ws_server) {}
};

struct ServeObj : NativeObj {
    Value handler;
    std::string host;
    std::int64_t port = 0;
    Value server;
    ServeObj() : NativeObj(NKind::ws_serve) {}
};

struct ConnectObj : NativeObj {
    std::string uri;
    std::string host;
    std::int64_t port = 0;
    std::string path = "/";
    Value conn;
    ConnectObj() : NativeObj(NKind::ws_connect) {}
};

struct FrameObj : NativeObj {
    Frame frame;
    FrameObj() : NativeObj(NKind::ws_frame) {}
};

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


namespace {

Value address(const std::string& host, std::int64_t port) { return make_tuple({make_str(host), Value::integer(port)}); }

ConnObj& conn_of(const Value& v) { return static_cast<ConnObj&>(*v.obj); }

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

}  // namespace

void Machine::ws_setup() {
    m_ws = std::make_unique<Websockets>();
    for (const auto& l : m_program.latencies) {
        if (l.api == "websockets.connect") m_ws->connect_latency = l.min;
        if (l.api == "websockets.send") m_ws->send_latency = l.min;
    }
}

Res Machine::ws_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    auto arg = [&](std::size_t k, const char* kw) -> const Value* {
        if (k < args.pos.size()) return &args.pos[k];
        return args.kwarg(kw);
    };
    if (name == "websockets.serve") {
        const Value* h = arg(0, "handler");
        if (!h) return raise_error("TypeError", "serve() missing 1 required positional argument: 'handler'");
        auto s = std::make_shared<ServeObj>();
        s->cls = cls("websockets.Serve");
        s->handler = *h;
        const Value* host = arg(1, "host");
        const Value* port = arg(2, "port");
        s->host = host && is_str(*host) ? as_str(*host) : "localhost";
        s->port = port && port->kind == VKind::integer ? port->i : 0;
        return Res::of(Value::of(std::move(s)));
    }
    if (name == "websockets.connect") {
        const Value* uri = arg(0, "uri");
        if (!uri || !is_str(*uri)) return raise_error("TypeError", "connect() missing 1 required positional argument: 'uri'");
        const std::string& u = as_str(*uri);
        auto c = std::make_shared<ConnectObj>();
        c->cls = cls("websockets.Connect");
        c->uri = u;
        std::string rest;
        std::int64_t default_port = 80;
        if (u.rfind("ws://", 0) == 0) rest = u.substr(5);
        else if (u.rfind("wss://", 0) == 0) {
            rest = u.substr(6);
            default_port = 443;
        } else {
            return raise_error_value("websockets.exceptions.InvalidURI", make_str(u + " isn't a valid URI: scheme isn't ws or wss"));
        }
        const auto slash = rest.find('/');
        std::string hostport = rest.substr(0, slash);
        c->path = slash == std::string::npos ? "/" : rest.substr(slash);
        const auto colon = hostport.rfind(':');
        if (colon != std::string::npos) {
            c->host = hostport.substr(0, colon);
            c->port = std::atoll(hostport.c_str() + colon + 1);
        } else {
            c->host = hostport;
            c->port = default_port;
        }
        return Res::of(Value::of(std::move(c)));
    }
    if (name == "websockets.broadcast") {
        const Value* conns = arg(0, "websockets");
        const Value* msg = arg(1, "message");
        if (!conns || !msg) return raise_error("TypeError", "broadcast() missing required arguments");
        if (!is_str(*msg)) return raise_error("TypeError", "data must be str or bytes-like");
        std::vector<Value> xs;
        Res it = iterate(*conns, xs, span);
        if (!it.ok()) return it;
        for (const Value& c : xs)
            if (is_kind(c, OKind::native) && as<NativeObj>(c).nkind == NKind::ws_conn && conn_of(c).state == WsState::open) send_message(*this, c, *msg);
        return Res::of();
    }
    const std::string m = name.substr(name.find('.') + 1);
    if (name.rfind("ws.conn.", 0) == 0) {
        const std::string op = name.substr(8);
        Value conn = self;
        if (op == "send") {
            const Value* msg = arg(0, "message");
            if (!msg) return raise_error("TypeError", "send() missing 1 required positional argument: 'message'");
            if (!is_str(*msg)) return raise_error("TypeError", "data must be str or bytes-like");
            Value mv = *msg;
            return Res::of(make_native_coroutine("send", [this, conn, mv] { return send_co(*this, conn, mv); }));
        }
        if (op == "recv") return Res::of(make_native_coroutine("recv", [this, conn] { return recv_co(*this, conn); }));
        if (op == "close") {
            std::int64_t code = 1000;
            std::string reason;
            if (const Value* c = arg(0, "code"); c && c->kind == VKind::integer) code = c->i;
            if (const Value* r = arg(1, "reason"); r && is_str(*r)) reason = as_str(*r);
            return Res::of(make_native_coroutine("close", [this, conn, code, reason] { return close_co(*this, conn, code, reason); }));
        }
        if (op == "wait_closed") return Res::of(make_native_coroutine("wait_closed", [this, conn] { return wait_closed_co(*this, conn); }));
        if (op == "ping" || op == "pong") return fail(DiagnosticKind::unknown_member, span, "websocket pings are not simulated by tasklab");
    }
    if (name.rfind("ws.server.", 0) == 0) {
        const std::string op = name.substr(10);
        Value server = self;
        if (op == "close") {
            server_close(*this, server);
            return Res::of();
        }
        if (op == "wait_closed") return Res::of(make_native_coroutine("wait_closed", [this, server] { return server_wait_closed_co(*this, server); }));
        if (op == "is_serving") return Res::of(Value::boolean(static_cast<const ServerObj&>(*server.obj).serving));
        if (op == "serve_forever") return fail(DiagnosticKind::unknown_member, span, "serve_forever() is not simulated by tasklab");
    }
    (void)m;
    handled = false;
    return Res::of();
}

Res Machine::ws_attr(const Value& obj, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto& n = static_cast<const NativeObj&>(*obj.obj);
    switch (n.nkind) {
    case NKind::ws_conn: {
        const auto& c = static_cast<const ConnObj&>(n);
        if (name == "send" || name == "recv" || name == "close" || name == "wait_closed" || name == "ping" || name == "pong")
            return Res::of(builtin("ws.conn." + name, obj));
        if (name == "open") return Res::of(Value::boolean(c.state == WsState::open));
        if (name == "closed") return Res::of(Value::boolean(c.state == WsState::closed));
        if (name == "state") return Res::of(make_str(c.state == WsState::open ? "OPEN" : c.state == WsState::closing ? "CLOSING" : "CLOSED"));
        if (name == "close_code") {
            if (c.state != WsState::closed) return Res::of();
            return Res::of(Value::integer(c.rcvd ? c.rcvd->code : 1006));
        }
        if (name == "close_reason") {
            if (c.state != WsState::closed) return Res::of();
            return Res::of(make_str(c.rcvd ? c.rcvd->reason : ""));
        }
        if (name == "path") return Res::of(make_str(c.path));
        if (name == "remote_address") return Res::of(address("127.0.0.1", c.remote_port));
        if (name == "local_address") return Res::of(address("127.0.0.1", c.local_port));
        if (name == "__repr__") return Res::of(make_str(std::string("<") + (c.server_side ? "WebSocketServerProtocol" : "WebSocketClientProtocol") + ">"));
        break;
    }
    case NKind::ws_server: {
        const auto& s = static_cast<const ServerObj&>(n);
        if (name == "close" || name == "wait_closed" || name == "is_serving" || name == "serve_forever") return Res::of(builtin("ws.server." + name, obj));
        if (name == "websockets") return Res::of(py::make_list(s.websockets));
        if (name == "sockets") return Res::of(py::make_list({}));
        if (name == "__repr__") return Res::of(make_str("<websockets.legacy.server.WebSocketServer>"));
        break;
    }
    case NKind::ws_frame: {
        const auto& f = static_cast<const FrameObj&>(n).frame;
        if (name == "code") return Res::of(Value::integer(f.code));
        if (name == "reason") return Res::of(make_str(f.reason));
        if (name == "__repr__") return Res::of(make_str("Close(code=" + std::to_string(f.code) + ", reason=" + str_repr(f.reason) + ")"));
        break;
    }
    case NKind::ws_serve:
        if (name == "__repr__") return Res::of(make_str("<websockets.legacy.server.Serve>"));
        if (name == "ws_server") return Res::of(static_cast<const ServeObj&>(n).server);
        break;
    case NKind::ws_connect:
        if (name == "__repr__") return Res::of(make_str("<websockets.legacy.client.Connect>"));
        break;
    default: break;
    }
    (void)span;
    handled = false;
    return Res::of();
}

Flow<Res> Machine::ws_aenter(Value obj, Span span) {
    auto& n = static_cast<NativeObj&>(*obj.obj);
    switch (n.nkind) {
    case NKind::ws_serve: co_return start_serving(*this, obj);
    case NKind::ws_connect: {
        Res r = co_await connect_co(*this, obj);
        co_return r;
    }
    case NKind::ws_server:
    case NKind::ws_conn: co_return Res::of(obj);
    default: break;
    }
    co_return fail(DiagnosticKind::unknown_member, span, "this object is not an asynchronous context manager in tasklab");
}

Flow<Res> Machine::ws_aexit(Value obj, Value exc, Span span) {
    (void)exc;
    auto& n = static_cast<NativeObj&>(*obj.obj);
    Value server;
    Value conn;
    if (n.nkind == NKind::ws_serve) server = static_cast<ServeObj&>(n).server;
    if (n.nkind == NKind::ws_server) server = obj;
    if (n.nkind == NKind::ws_connect) conn = static_cast<ConnectObj&>(n).conn;
    if (n.nkind == NKind::ws_conn) conn = obj;
    if (!server.is_none()) {
        server_close(*this, server);
        Res r = co_await server_wait_closed_co(*this, server);
        if (!r.ok()) co_return r;
        co_return Res::of(Value::boolean(false));
    }
    if (!conn.is_none()) {
        Res r = co_await close_co(*this, conn, 1000, "");
        if (!r.ok()) co_return r;
        co_return Res::of(Value::boolean(false));
    }
    (void)span;
    co_return Res::of(Value::boolean(false));
}

Flow<Res> Machine::ws_async_for(const ForIn* f, EnvPtr env, Value conn) {
    for (;;) {
        Res item = co_await recv_co(*this, conn);
        if (item.ctl == Ctl::raise && isinstance(item.value, cls("websockets.exceptions.ConnectionClosedOK").get())) break;
        if (!item.ok()) co_return item;
        Res b = assign_target(f->target, item.value, env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

}  // namespace tasklab::py
