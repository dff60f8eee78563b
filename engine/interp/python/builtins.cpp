// Python built-ins: the attributes of the modules a scenario imports, the dispatch of a
// call of a built-in to its module (Machine::call_builtin), print(), sorting, and
// BaseException's methods. The methods of list, tuple, dict and set are in
// container_methods.cpp, the functions of `builtins` are in
// builtin_functions.cpp, the type constructors in builtin_types.cpp, str's methods in
// str_methods.cpp, logging in logging.cpp, time, sys, signal and random in stdlib.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "engine/interp/python/native_objects.hpp"

namespace tasklab::py {

using namespace ast;


Value Machine::builtin(const std::string& name, Value self) {
    auto b = std::make_shared<Builtin>();
    b->name = name;
    b->self = std::move(self);
    return Value::of(std::move(b));
}

// =========================================================================================
// Modules
// =========================================================================================

Res Machine::module_attr(const Module& m, const std::string& name, Span span) {
    if (const Value* v = m.attrs.find(name)) return Res::of(*v);
    const std::string& mod = m.name;
    auto fn = [&](std::initializer_list<const char*> names) {
        for (const char* n : names)
            if (name == n) return true;
        return false;
    };
    if (mod == "asyncio") {
        if (fn({"run", "sleep", "create_task", "gather", "wait_for", "wait", "shield", "current_task", "all_tasks", "get_running_loop",
                "get_event_loop", "timeout", "timeout_at", "ensure_future", "iscoroutine", "iscoroutinefunction", "new_event_loop", "set_event_loop",
                "as_completed", "to_thread"}))
            return Res::of(builtin("asyncio." + name));
        if (fn({"CancelledError", "InvalidStateError", "Future", "Task", "TaskGroup", "Timeout", "Event", "Queue", "Lock", "QueueEmpty",
                "QueueFull", "Semaphore", "BoundedSemaphore", "PriorityQueue", "LifoQueue", "Condition", "Barrier", "BrokenBarrierError", "Runner"}))
            return Res::of(Value::of(cls(name)));
        if (name == "TimeoutError") return Res::of(Value::of(cls("TimeoutError")));
        if (name == "ALL_COMPLETED" || name == "FIRST_COMPLETED" || name == "FIRST_EXCEPTION") return Res::of(make_str(name));
        if (name == "exceptions" || name == "tasks" || name == "events") return Res::of(m_modules.at("asyncio"));
    } else if (mod == "websockets" || mod == "websockets.exceptions") {
        if (mod == "websockets" && fn({"serve", "connect", "broadcast"})) return Res::of(builtin("websockets." + name));
        if (mod == "websockets" && name == "exceptions") return Res::of(m_modules.at("websockets.exceptions"));
        if (fn({"WebSocketException", "ConnectionClosed", "ConnectionClosedOK", "ConnectionClosedError", "InvalidURI", "InvalidHandshake"}))
            return Res::of(Value::of(cls("websockets.exceptions." + name)));
        if (mod == "websockets" && fn({"WebSocketServerProtocol", "WebSocketClientProtocol", "WebSocketServer"}))
            return Res::of(Value::of(cls("websockets." + name)));
    } else if (mod == "logging") {
        if (fn({"basicConfig", "getLogger", "info", "warning", "warn", "error", "exception", "debug", "critical"}))
            return Res::of(builtin("logging." + name));
        static const std::pair<const char*, int> levels[] = {{"DEBUG", 10}, {"INFO", 20},     {"WARNING", 30}, {"WARN", 30},
                                                            {"ERROR", 40}, {"CRITICAL", 50}, {"FATAL", 50},   {"NOTSET", 0}};
        for (const auto& [n, l] : levels)
            if (name == n) return Res::of(Value::integer(l));
        if (name == "Logger") return Res::of(Value::of(cls("logging.Logger")));
    } else if (mod == "time") {
        if (fn({"time", "monotonic", "perf_counter", "sleep", "time_ns", "monotonic_ns", "perf_counter_ns", "process_time"}))
            return Res::of(builtin("time." + name));
    } else if (mod == "sys") {
        if (name == "stdout" || name == "stderr") {
            auto s = std::make_shared<StreamObj>();
            s->cls = cls("io.TextIOWrapper");
            s->is_stdout = name == "stdout";
            return Res::of(Value::of(std::move(s)));
        }
        if (name == "exit") return Res::of(builtin("sys.exit"));
        if (name == "exc_info" || name == "exception") return Res::of(builtin("sys." + name));
        if (name == "argv") return Res::of(py::make_list({make_str(m_program.file ? m_program.file->name() : "scenario.py")}));
        if (name == "version") return Res::of(make_str("3.11.7 (tasklab)"));
        if (name == "version_info") return Res::of(make_tuple({Value::integer(3), Value::integer(11), Value::integer(7)}));
        if (name == "platform") return Res::of(make_str("linux"));
        if (name == "maxsize") return Res::of(Value::integer(INT64_MAX));
    } else if (mod == "signal") {
        const int n = asyncio::Model::signal_number(name);
        if (n != 0) return Res::of(Value::integer(n));
        if (name == "SIG_DFL") return Res::of(Value::integer(0));
        if (name == "SIG_IGN") return Res::of(Value::integer(1));
        if (fn({"signal", "getsignal", "default_int_handler", "raise_signal"})) return Res::of(builtin("signal." + name));
    } else if (mod == "random") {
        if (fn({"random", "randint", "uniform", "choice", "shuffle", "seed", "randrange", "sample"})) return Res::of(builtin("random." + name));
    } else if (mod == "functools") {
        if (fn({"partial", "wraps"})) return Res::of(builtin("functools." + name));
    } else if (mod == "contextlib") {
        bool handled = false;
        Res r = contextlib_attr(m, name, span, handled);
        if (handled) return r;
    }
    (void)span;
    return raise_error("AttributeError", "module '" + mod + "' has no attribute '" + name + "'");
}

// =========================================================================================
// Dispatch
// =========================================================================================

Res Machine::call_builtin(const Builtin& b, Args& args, Span span) {
    const std::string& name = b.name;
    const auto dot = name.find('.');
    const std::string prefix = dot == std::string::npos ? std::string() : name.substr(0, dot);
    const std::string rest = dot == std::string::npos ? name : name.substr(dot + 1);
    bool handled = false;
    Res r;
    if (prefix == "str") r = str_method(rest, b.self, args, span, handled);
    else if (prefix == "list") r = list_method(rest, b.self, args, span, handled);
    else if (prefix == "dict") r = dict_method(rest, b.self, args, span, handled);
    else if (prefix == "set") r = set_method(rest, b.self, args, span, handled);
    else if (prefix == "bytes") r = bytes_method(rest, b.self, args, span, handled);
    else if (prefix == "tuple") {
        if (b.self.is_none()) return fail(DiagnosticKind::unknown_member, span, "tasklab does not support tuple." + rest + " unbound");
        r = list_method(rest, b.self, args, span, handled);
    } else if (prefix == "BaseException" || prefix == "object") r = exception_method(rest, b.self, args, span, handled);
    else if (prefix == "logging" || prefix == "Logger") r = logging_call(rest, b.self, args, span, handled);
    else if (prefix == "Stream") {
        handled = true;
        const bool to_stdout = is_kind(b.self, OKind::native) && static_cast<const StreamObj&>(*b.self.obj).is_stdout;
        if (rest == "write") {
            if (args.pos.size() != 1 || !is_str(args.pos[0])) return raise_error("TypeError", "write() argument must be str");
            if (to_stdout) print_text(as_str(args.pos[0]));
            return Res::of(Value::integer(static_cast<std::int64_t>(as_str(args.pos[0]).size())));
        }
        if (rest == "flush") return Res::of();
        return fail(DiagnosticKind::unknown_member, span, "`sys.stdout." + rest + "` is not supported by tasklab");
    }
    else if (prefix == "websockets" || prefix == "ws") r = ws_call(name, b.self, args, span, handled);
    else if (prefix == "generator" || name == "next" || name == "iter" || name == "anext" || name == "aiter")
        r = generator_call(name, b.self, args, span, handled);
    else if ((name == "enumerate" || name == "zip" || name == "map" || name == "filter") &&
             std::any_of(args.pos.begin(), args.pos.end(), [this](const Value& v) { return is_lazy_iterator(v); }))
        r = generator_call(name, b.self, args, span, handled);  // lazy over a generator, as CPython
    else if (prefix == "contextlib") r = contextlib_call(name, b.self, args, span, handled);
    else r = builtin_function(name, args, span, handled);
    if (!handled) r = asyncio_call(name, b.self, args, span, handled);
    if (!handled) return fail(DiagnosticKind::unknown_member, span, "`" + name + "` is not supported by tasklab yet");
    // A list, dict or set method may have grown its receiver in place: charge it now.
    if (prefix == "list" || prefix == "dict" || prefix == "set") {
        recharge(b.self);
        if (r.ctl != Ctl::fatal && !check_memory(span)) return Res::make(Ctl::fatal);
    }
    return r;
}

Res Machine::print_call(Args& args, Span span) {
    std::string sep = " ", end = "\n";
    bool to_stdout = true;
    for (auto& [k, v] : args.kw) {
        if (k == "sep") {
            if (!v.is_none() && !is_str(v)) return raise_error("TypeError", "sep must be None or a string, not " + type_name(v));
            if (is_str(v)) sep = as_str(v);
        } else if (k == "end") {
            if (!v.is_none() && !is_str(v)) return raise_error("TypeError", "end must be None or a string, not " + type_name(v));
            if (is_str(v)) end = as_str(v);
        } else if (k == "file") {
            if (is_kind(v, OKind::native) && as<NativeObj>(v).nkind == NKind::stream) to_stdout = static_cast<const StreamObj&>(*v.obj).is_stdout;
        } else if (k != "flush") {
            return raise_error("TypeError", "'" + k + "' is an invalid keyword argument for print()");
        }
    }
    std::string out;
    for (std::size_t k = 0; k < args.pos.size(); ++k) {
        Res s = py_str(args.pos[k]);
        if (!s.ok()) return s;
        if (k) out += sep;
        out += as_str(s.value);
    }
    out += end;
    if (to_stdout) print_text(out);
    (void)span;
    return Res::of();
}

Res Machine::sort_values(std::vector<Value>& xs, const Value* key, bool reverse, Span span) {
    std::vector<Value> keys;
    if (key && !key->is_none()) {
        for (const auto& x : xs) {
            Args a;
            a.pos.push_back(x);
            Res k = call(*key, a, span);
            if (!k.ok()) return k;
            keys.push_back(k.value);
        }
    } else {
        keys = xs;
    }
    if (!count_work(static_cast<std::uint64_t>(xs.size()), span, "this list is too long to sort in one step")) return Res::make(Ctl::fatal);
    std::vector<std::size_t> order(xs.size());
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
    Res err = Res::of();
    auto less = [&](std::size_t a, std::size_t b) {
        if (!err.ok()) return false;
        Res lt = compare(BinaryOp::lt, reverse ? keys[b] : keys[a], reverse ? keys[a] : keys[b], span);
        if (!lt.ok()) {
            err = lt;
            return false;
        }
        return lt.value.kind == VKind::boolean && lt.value.b;
    };
    // A stable bottom-up merge sort of our own, as CPython's list.sort is a merge sort: a
    // comparison that contradicts itself (`__lt__` returning at random) gives some order,
    // never undefined behaviour (std::stable_sort requires a strict weak ordering).
    std::vector<std::size_t> tmp(order.size());
    for (std::size_t width = 1; width < order.size() && err.ok(); width *= 2) {
        for (std::size_t lo = 0; lo < order.size(); lo += 2 * width) {
            const std::size_t mid = std::min(lo + width, order.size());
            const std::size_t hi = std::min(lo + 2 * width, order.size());
            std::size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) tmp[k++] = less(order[j], order[i]) ? order[j++] : order[i++];
            while (i < mid) tmp[k++] = order[i++];
            while (j < hi) tmp[k++] = order[j++];
        }
        order.swap(tmp);
    }
    if (!err.ok()) return err;
    std::vector<Value> out;
    for (std::size_t k : order) out.push_back(xs[k]);
    xs = std::move(out);
    return Res::of();
}

// =========================================================================================
// Methods of built-in types
// =========================================================================================

Res Machine::exception_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (name == "__init__") {
        if (is_kind(self, OKind::instance) && as<Instance>(self).exc) as<Instance>(self).exc->args = args.pos;
        return Res::of();
    }
    if (name == "with_traceback") return Res::of(self);
    if (name == "add_note") return Res::of();
    return fail(DiagnosticKind::unknown_member, span, "`BaseException." + name + "` is not supported by tasklab yet");
}

}  // namespace tasklab::py
