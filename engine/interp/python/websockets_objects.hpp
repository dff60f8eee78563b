// The objects of the simulated `websockets` package (websockets_sim.cpp): a connection's
// two endpoints, a server, the awaitables serve() and connect() return, and a received
// frame; and the operations on them that the package's API (websockets_api.cpp) calls.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py::ws {

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

inline ConnObj& conn_of(const Value& v) { return static_cast<ConnObj&>(*v.obj); }
inline Value address(const std::string& host, std::int64_t port) { return make_tuple({make_str(host), Value::integer(port)}); }

/// Sends a message frame from `conn` to its peer.
void send_message(Machine& m, const Value& conn, const Value& msg);
/// Server.close(): stops listening and closes every connection (1001).
void server_close(Machine& m, const Value& server);
Flow<Res> wait_closed_co(Machine& m, Value conn);
Flow<Res> close_co(Machine& m, Value conn, std::int64_t code, std::string reason);
Flow<Res> recv_co(Machine& m, Value conn);
Flow<Res> send_co(Machine& m, Value conn, Value msg);
Flow<Res> server_wait_closed_co(Machine& m, Value server);
Flow<Res> connect_co(Machine& m, Value connect);
/// serve(): starts listening on the port, or fails when it is taken.
Res start_serving(Machine& m, const Value& serve);

}  // namespace tasklab::py::ws
