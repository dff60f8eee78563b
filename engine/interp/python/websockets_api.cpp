// The API of the simulated `websockets` package: serve(), connect(), broadcast() and the
// methods of connections and servers (a table of name → handler), their attributes,
// `async with` on them and `async for` over a connection's messages. The simulation itself
// is in websockets_sim.cpp.
#include <algorithm>

#include "engine/interp/python/builtin_table.hpp"
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

namespace {

/// Argument `k` of a call, or the keyword `kw` when fewer were passed by position.
const Value* call_arg(const BuiltinCall& bc, std::size_t k, const char* kw) {
    if (k < bc.args.pos.size()) return &bc.args.pos[k];
    return bc.args.kwarg(kw);
}

// ---- the package's functions ----

Res ws_serve(Machine& vm, BuiltinCall& bc) {
    const Value* h = call_arg(bc, 0, "handler");
    if (!h) return vm.raise_error("TypeError", "serve() missing 1 required positional argument: 'handler'");
    auto s = std::make_shared<ServeObj>();
    s->cls = vm.cls("websockets.Serve");
    s->handler = *h;
    const Value* host = call_arg(bc, 1, "host");
    const Value* port = call_arg(bc, 2, "port");
    s->host = host && is_str(*host) ? as_str(*host) : "localhost";
    s->port = port && port->kind == VKind::integer ? port->i : 0;
    return Res::of(Value::of(std::move(s)));
}

Res ws_connect(Machine& vm, BuiltinCall& bc) {
    const Value* uri = call_arg(bc, 0, "uri");
    if (!uri || !is_str(*uri)) return vm.raise_error("TypeError", "connect() missing 1 required positional argument: 'uri'");
    const std::string& u = as_str(*uri);
    auto c = std::make_shared<ConnectObj>();
    c->cls = vm.cls("websockets.Connect");
    c->uri = u;
    std::string rest;
    std::int64_t default_port = 80;
    if (u.rfind("ws://", 0) == 0) rest = u.substr(5);
    else if (u.rfind("wss://", 0) == 0) {
        rest = u.substr(6);
        default_port = 443;
    } else {
        return vm.raise_error_value("websockets.exceptions.InvalidURI", make_str(u + " isn't a valid URI: scheme isn't ws or wss"));
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

Res ws_broadcast(Machine& vm, BuiltinCall& bc) {
    const Value* conns = call_arg(bc, 0, "websockets");
    const Value* msg = call_arg(bc, 1, "message");
    if (!conns || !msg) return vm.raise_error("TypeError", "broadcast() missing required arguments");
    if (!is_str(*msg)) return vm.raise_error("TypeError", "data must be str or bytes-like");
    std::vector<Value> xs;
    Res it = vm.iterate(*conns, xs, bc.span);
    if (!it.ok()) return it;
    for (const Value& c : xs)
        if (is_kind(c, OKind::native) && as<NativeObj>(c).nkind == NKind::ws_conn && conn_of(c).state == WsState::open) send_message(vm, c, *msg);
    return Res::of();
}

// ---- a connection's methods ----

Res conn_send(Machine& vm, BuiltinCall& bc) {
    const Value* msg = call_arg(bc, 0, "message");
    if (!msg) return vm.raise_error("TypeError", "send() missing 1 required positional argument: 'message'");
    if (!is_str(*msg)) return vm.raise_error("TypeError", "data must be str or bytes-like");
    const Value conn = bc.self;
    const Value mv = *msg;
    return Res::of(vm.make_native_coroutine("send", [&vm, conn, mv] { return send_co(vm, conn, mv); }));
}

Res conn_recv(Machine& vm, BuiltinCall& bc) {
    const Value conn = bc.self;
    return Res::of(vm.make_native_coroutine("recv", [&vm, conn] { return recv_co(vm, conn); }));
}

Res conn_close(Machine& vm, BuiltinCall& bc) {
    std::int64_t code = 1000;
    std::string reason;
    if (const Value* c = call_arg(bc, 0, "code"); c && c->kind == VKind::integer) code = c->i;
    if (const Value* r = call_arg(bc, 1, "reason"); r && is_str(*r)) reason = as_str(*r);
    const Value conn = bc.self;
    return Res::of(vm.make_native_coroutine("close", [&vm, conn, code, reason] { return close_co(vm, conn, code, reason); }));
}

Res conn_wait_closed(Machine& vm, BuiltinCall& bc) {
    const Value conn = bc.self;
    return Res::of(vm.make_native_coroutine("wait_closed", [&vm, conn] { return wait_closed_co(vm, conn); }));
}

Res conn_ping(Machine& vm, BuiltinCall& bc) {
    return vm.fail(DiagnosticKind::unknown_member, bc.span, "websocket pings are not simulated by tasklab");
}

// ---- a server's methods ----

Res server_close_method(Machine& vm, BuiltinCall& bc) {
    server_close(vm, bc.self);
    return Res::of();
}

Res server_wait_closed(Machine& vm, BuiltinCall& bc) {
    const Value server = bc.self;
    return Res::of(vm.make_native_coroutine("wait_closed", [&vm, server] { return server_wait_closed_co(vm, server); }));
}

Res server_is_serving(Machine& /*vm*/, BuiltinCall& bc) { return Res::of(Value::boolean(static_cast<const ServerObj&>(*bc.self.obj).serving)); }

Res server_serve_forever(Machine& vm, BuiltinCall& bc) {
    return vm.fail(DiagnosticKind::unknown_member, bc.span, "serve_forever() is not simulated by tasklab");
}

const BuiltinTable& websockets_table() {
    static const BuiltinTable table{
        {"websockets.serve", ws_serve},
        {"websockets.connect", ws_connect},
        {"websockets.broadcast", ws_broadcast},
        {"ws.conn.send", conn_send},
        {"ws.conn.recv", conn_recv},
        {"ws.conn.close", conn_close},
        {"ws.conn.wait_closed", conn_wait_closed},
        {"ws.conn.ping", conn_ping},
        {"ws.conn.pong", conn_ping},
        {"ws.server.close", server_close_method},
        {"ws.server.wait_closed", server_wait_closed},
        {"ws.server.is_serving", server_is_serving},
        {"ws.server.serve_forever", server_serve_forever},
    };
    return table;
}

}  // namespace

Res Machine::ws_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = websockets_table().find(name)) return h(*this, bc);
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
