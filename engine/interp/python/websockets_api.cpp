// The API of the simulated `websockets` package: serve(), connect(), broadcast(), the
// methods and attributes of connections and servers, `async with` on them and `async for`
// over a connection's messages. The simulation itself is in websockets_sim.cpp.
#include <algorithm>

#include "engine/interp/python/websockets_objects.hpp"

namespace tasklab::py {

using namespace ast;
using namespace ws;

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
