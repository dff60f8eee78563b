// Python built-ins: the functions of `builtins` (print, len, range, sorted, …), the methods
// of str, list, dict, set and tuple, BaseException's methods, and the small modules a
// scenario imports besides asyncio and websockets: logging (records printed with the format
// basicConfig sets, to stdout when the scenario asks for it), time (virtual clocks;
// time.sleep blocks the whole loop), sys, signal and random (seeded by `# tasklab: seed`).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;


namespace {

struct LoggerObj : NativeObj {
    std::string name;
    LoggerObj() : NativeObj(NKind::logger) {}
};

struct StreamObj : NativeObj {
    bool is_stdout = true;
    StreamObj() : NativeObj(NKind::stream) {}
};

const char* level_name(int level) {
    switch (level) {
    case 10: return "DEBUG";
    case 20: return "INFO";
    case 30: return "WARNING";
    case 40: return "ERROR";
    case 50: return "CRITICAL";
    default: return "NOTSET";
    }
}

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }
bool is_intlike(const Value& v) { return v.kind == VKind::integer || v.kind == VKind::boolean; }

std::string strip_chars(const std::string& s, const std::string& chars, bool left, bool right) {
    std::size_t a = 0, b = s.size();
    auto strip_set = [&](char c) { return chars.empty() ? std::isspace(static_cast<unsigned char>(c)) != 0 : chars.find(c) != std::string::npos; };
    if (left)
        while (a < b && strip_set(s[a])) ++a;
    if (right)
        while (b > a && strip_set(s[b - 1])) --b;
    return s.substr(a, b - a);
}

}  // namespace

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

Res Machine::convert(const std::string& type, Args& args, Span span) {
    const Value* x = args.pos.empty() ? nullptr : &args.pos[0];
    if (type == "bytes") return bytes_convert(args, span);
    if (type == "int") {
        if (!x) return Res::of(Value::integer(0));
        if (is_intlike(*x)) return Res::of(Value::integer(int_of(*x)));
        if (x->kind == VKind::real) {
            if (!std::isfinite(x->d)) return raise_error(std::isnan(x->d) ? "ValueError" : "OverflowError", "cannot convert float to integer");
            return Res::of(Value::integer(static_cast<std::int64_t>(std::trunc(x->d))));
        }
        if (is_str(*x)) {
            std::string s = strip_chars(as_str(*x), "", true, true);
            int base = 10;
            if (args.pos.size() > 1 && is_intlike(args.pos[1])) base = static_cast<int>(int_of(args.pos[1]));
            s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
            char* endp = nullptr;
            errno = 0;
            const long long v = std::strtoll(s.c_str(), &endp, base);
            if (s.empty() || *endp != '\0' || errno == ERANGE)
                return raise_error("ValueError", "invalid literal for int() with base " + std::to_string(base) + ": " + str_repr(as_str(*x)));
            return Res::of(Value::integer(v));
        }
        return raise_error("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '" + type_name(*x) + "'");
    }
    if (type == "float") {
        if (!x) return Res::of(Value::real(0));
        if (x->is_number()) return Res::of(Value::real(x->as_double()));
        if (is_str(*x)) {
            std::string s = strip_chars(as_str(*x), "", true, true);
            std::string low = s;
            std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            if (low == "inf" || low == "+inf" || low == "infinity") return Res::of(Value::real(INFINITY));
            if (low == "-inf" || low == "-infinity") return Res::of(Value::real(-INFINITY));
            if (low == "nan") return Res::of(Value::real(NAN));
            char* endp = nullptr;
            const double d = std::strtod(s.c_str(), &endp);
            if (s.empty() || *endp != '\0') return raise_error("ValueError", "could not convert string to float: " + str_repr(as_str(*x)));
            return Res::of(Value::real(d));
        }
        return raise_error("TypeError", "float() argument must be a string or a real number, not '" + type_name(*x) + "'");
    }
    if (type == "str") {
        if (!x) return Res::of(make_str(""));
        return py_str(*x);
    }
    if (type == "bool") {
        if (!x) return Res::of(Value::boolean(false));
        bool t = false;
        Res r = truthy(*x, t);
        if (!r.ok()) return r;
        return Res::of(Value::boolean(t));
    }
    if (type == "list" || type == "tuple" || type == "set") {
        std::vector<Value> xs;
        if (x) {
            Res it = iterate(*x, xs, span);
            if (!it.ok()) return it;
        }
        if (type == "list") return Res::of(py::make_list(std::move(xs)));
        if (type == "tuple") return Res::of(make_tuple(std::move(xs)));
        auto s = std::make_shared<Set>();
        for (auto& v : xs) {
            bool dup = false;
            for (const auto& w : s->items)
                if (py_equal(v, w)) dup = true;
            if (!dup) s->items.push_back(std::move(v));
        }
        return Res::of(Value::of(std::move(s)));
    }
    if (type == "dict") {
        auto d = std::make_shared<Dict>();
        if (x) {
            if (is_kind(*x, OKind::dict)) {
                d->entries = as<Dict>(*x).entries;
            } else {
                std::vector<Value> xs;
                Res it = iterate(*x, xs, span);
                if (!it.ok()) return it;
                for (const auto& p : xs) {
                    std::vector<Value> kv;
                    Res pi = iterate(p, kv, span);
                    if (!pi.ok()) return pi;
                    if (kv.size() != 2) return raise_error("ValueError", "dictionary update sequence element has length " + std::to_string(kv.size()) + "; 2 is required");
                    dict_set(*d, kv[0], kv[1]);
                }
            }
        }
        for (auto& [k, v] : args.kw) dict_set(*d, make_str(k), v);
        return Res::of(Value::of(std::move(d)));
    }
    if (type == "range") {
        auto r = std::make_shared<Range>();
        for (const auto& a : args.pos)
            if (!is_intlike(a)) return raise_error("TypeError", "'" + type_name(a) + "' object cannot be interpreted as an integer");
        if (args.pos.size() == 1) r->stop = int_of(args.pos[0]);
        else if (args.pos.size() >= 2) {
            r->start = int_of(args.pos[0]);
            r->stop = int_of(args.pos[1]);
            if (args.pos.size() > 2) r->step = int_of(args.pos[2]);
            if (r->step == 0) return raise_error("ValueError", "range() arg 3 must not be zero");
        } else {
            return raise_error("TypeError", "range expected at least 1 argument, got 0");
        }
        return Res::of(Value::of(std::move(r)));
    }
    if (type == "type") {
        if (args.pos.size() == 1) return Res::of(Value::of(type_of(*x)));
        return fail(DiagnosticKind::unknown_member, span, "tasklab does not support type() with three arguments");
    }
    if (type == "object") {
        auto o = std::make_shared<Instance>();
        o->cls = cls("object");
        return Res::of(Value::of(std::move(o)));
    }
    if (type == "NoneType") return Res::of();
    // Classes of asyncio, websockets and logging objects.
    for (const char* mod : {"asyncio", "websockets", "logging"}) {
        auto it = m_classes.find(std::string(mod) + "." + type);
        if (it != m_classes.end()) {
            bool handled = false;
            Res r = asyncio_call(std::string(mod) + "." + type, Value::none(), args, span, handled);
            if (handled) return r;
        }
    }
    return raise_error("TypeError", "cannot create '" + type + "' instances");
}

// =========================================================================================
// builtins
// =========================================================================================

Res Machine::builtin_function(const std::string& name, Args& args, Span span, bool& handled) {
    handled = true;
    auto need = [&](std::size_t n) -> bool { return args.pos.size() >= n; };
    auto arity = [&](std::size_t lo, std::size_t hi) -> Res {
        if (args.pos.size() < lo || args.pos.size() > hi) {
            const std::string short_name = name.substr(name.rfind('.') + 1);
            if (lo == hi)
                return raise_error("TypeError", short_name + "() takes exactly " + (lo == 1 ? std::string("one argument") : std::to_string(lo) + " arguments") +
                                                    " (" + std::to_string(args.pos.size()) + " given)");
            return raise_error("TypeError", short_name + " expected at least " + std::to_string(lo) + " argument" + (lo == 1 ? "" : "s") + ", got " +
                                                std::to_string(args.pos.size()));
        }
        return Res::of();
    };
    if (name == "print") return print_call(args, span);
    if (name == "len") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const Value& x = args.pos[0];
        if (x.kind == VKind::object) {
            switch (x.obj->okind) {
            case OKind::str: {
                std::int64_t n = 0;
                for (unsigned char c : as<Str>(x).s)
                    if ((c & 0xC0) != 0x80) ++n;
                return Res::of(Value::integer(n));
            }
            case OKind::bytes: return Res::of(Value::integer(static_cast<std::int64_t>(as<Bytes>(x).b.size())));
            case OKind::list: return Res::of(Value::integer(static_cast<std::int64_t>(as<List>(x).items.size())));
            case OKind::tuple: return Res::of(Value::integer(static_cast<std::int64_t>(as<Tuple>(x).items.size())));
            case OKind::dict: return Res::of(Value::integer(static_cast<std::int64_t>(as<Dict>(x).entries.size())));
            case OKind::set: return Res::of(Value::integer(static_cast<std::int64_t>(as<Set>(x).items.size())));
            case OKind::range: return Res::of(Value::integer(as<Range>(x).size()));
            case OKind::instance: {
                Args none;
                return call_method(x, "__len__", none, span);
            }
            case OKind::native: {
                bool h = false;
                Res r = native_attr(x, "__len__", span, h);
                if (h) return r;
                break;
            }
            default: break;
            }
        }
        return raise_error("TypeError", "object of type '" + type_name(x) + "' has no len()");
    }
    if (name == "repr") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        return py_repr(args.pos[0]);
    }
    if (name == "ascii") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        return py_repr(args.pos[0]);
    }
    if (name == "format") {
        if (Res a = arity(1, 2); !a.ok()) return a;
        return format_value(args.pos[0], args.pos.size() > 1 ? as_str(args.pos[1]) : "", span);
    }
    if (name == "isinstance") {
        if (Res a = arity(2, 2); !a.ok()) return a;
        bool out = false;
        Res r = isinstance_check(args.pos[0], args.pos[1], out, span);
        if (!r.ok()) return r;
        return Res::of(Value::boolean(out));
    }
    if (name == "issubclass") {
        if (Res a = arity(2, 2); !a.ok()) return a;
        if (!is_kind(args.pos[0], OKind::cls)) return raise_error("TypeError", "issubclass() arg 1 must be a class");
        std::vector<Value> cs;
        if (is_kind(args.pos[1], OKind::tuple)) cs = as<Tuple>(args.pos[1]).items;
        else cs.push_back(args.pos[1]);
        for (const auto& c : cs) {
            if (!is_kind(c, OKind::cls)) return raise_error("TypeError", "issubclass() arg 2 must be a class, a tuple of classes, or a union");
            if (as<Class>(args.pos[0]).is_subclass_of(&as<Class>(c)) || as<Class>(c).builtin == BuiltinType::object)
                return Res::of(Value::boolean(true));
        }
        return Res::of(Value::boolean(false));
    }
    if (name == "sorted") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        const Value* rev = args.kwarg("reverse");
        bool reverse = false;
        if (rev) truthy(*rev, reverse);
        Res s = sort_values(xs, args.kwarg("key"), reverse, span);
        if (!s.ok()) return s;
        return Res::of(py::make_list(std::move(xs)));
    }
    if (name == "reversed") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        std::reverse(xs.begin(), xs.end());
        return Res::of(py::make_list(std::move(xs)));
    }
    if (name == "enumerate") {
        if (Res a = arity(1, 2); !a.ok()) return a;
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        std::int64_t start = 0;
        if (args.pos.size() > 1) start = int_of(args.pos[1]);
        if (const Value* s = args.kwarg("start")) start = int_of(*s);
        std::vector<Value> out;
        for (std::size_t k = 0; k < xs.size(); ++k) out.push_back(make_tuple({Value::integer(start + static_cast<std::int64_t>(k)), xs[k]}));
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "zip") {
        std::vector<std::vector<Value>> seqs(args.pos.size());
        std::size_t n = SIZE_MAX;
        for (std::size_t k = 0; k < args.pos.size(); ++k) {
            Res it = iterate(args.pos[k], seqs[k], span);
            if (!it.ok()) return it;
            n = std::min(n, seqs[k].size());
        }
        if (args.pos.empty()) n = 0;
        std::vector<Value> out;
        for (std::size_t i = 0; i < n; ++i) {
            std::vector<Value> t;
            for (auto& s : seqs) t.push_back(s[i]);
            out.push_back(make_tuple(std::move(t)));
        }
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "min" || name == "max") {
        std::vector<Value> xs;
        if (args.pos.size() == 1) {
            Res it = iterate(args.pos[0], xs, span);
            if (!it.ok()) return it;
        } else {
            xs = args.pos;
        }
        if (xs.empty()) {
            if (const Value* d = args.kwarg("default")) return Res::of(*d);
            return raise_error("ValueError", name + "() arg is an empty sequence");
        }
        const Value* key = args.kwarg("key");
        Value best = xs[0];
        Value best_key = best;
        if (key) {
            Args a;
            a.pos.push_back(best);
            Res k = call(*key, a, span);
            if (!k.ok()) return k;
            best_key = k.value;
        }
        for (std::size_t i = 1; i < xs.size(); ++i) {
            Value k = xs[i];
            if (key) {
                Args a;
                a.pos.push_back(xs[i]);
                Res kr = call(*key, a, span);
                if (!kr.ok()) return kr;
                k = kr.value;
            }
            Res better = compare(name == "min" ? BinaryOp::lt : BinaryOp::gt, k, best_key, span);
            if (!better.ok()) return better;
            if (better.value.b) {
                best = xs[i];
                best_key = k;
            }
        }
        return Res::of(best);
    }
    if (name == "sum") {
        if (Res a = arity(1, 2); !a.ok()) return a;
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        Value acc = args.pos.size() > 1 ? args.pos[1] : Value::integer(0);
        if (const Value* s = args.kwarg("start")) acc = *s;
        for (const auto& x : xs) {
            Res r = arith(BinaryOp::add, acc, x, span);
            if (!r.ok()) return r;
            acc = r.value;
        }
        return Res::of(acc);
    }
    if (name == "abs") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const Value& x = args.pos[0];
        if (is_intlike(x)) {
            if (int_of(x) == INT64_MIN)
                return fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
                            "CPython's ints grow without limit; keep the numbers of a scenario below 2**63");
            return Res::of(Value::integer(std::llabs(int_of(x))));
        }
        if (x.kind == VKind::real) return Res::of(Value::real(std::fabs(x.d)));
        return raise_error("TypeError", "bad operand type for abs(): '" + type_name(x) + "'");
    }
    if (name == "round") {
        if (Res a = arity(1, 2); !a.ok()) return a;
        const Value& x = args.pos[0];
        const bool ndigits = args.pos.size() > 1 && !args.pos[1].is_none();
        if (is_intlike(x)) return Res::of(Value::integer(int_of(x)));
        if (x.kind != VKind::real) return raise_error("TypeError", "type " + type_name(x) + " doesn't define __round__ method");
        if (!ndigits) {
            if (std::isnan(x.d)) return raise_error("ValueError", "cannot convert float NaN to integer");
            if (std::isinf(x.d)) return raise_error("OverflowError", "cannot convert float infinity to integer");
            const double r = std::nearbyint(x.d);  // round half to even
            if (r >= 9223372036854775808.0 || r < -9223372036854775808.0)
                return fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
                            "CPython's ints grow without limit; keep the numbers of a scenario below 2**63");
            return Res::of(Value::integer(static_cast<std::int64_t>(r)));
        }
        const auto n = static_cast<int>(int_of(args.pos[1]));
        if (n < 0) {
            const double p = std::pow(10.0, -n);
            return Res::of(Value::real(std::nearbyint(x.d / p) * p));
        }
        char buf[512];
        std::snprintf(buf, sizeof buf, "%.*f", n, x.d);
        return Res::of(Value::real(std::strtod(buf, nullptr)));
    }
    if (name == "any" || name == "all") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        for (const auto& x : xs) {
            bool t = false;
            Res tr = truthy(x, t);
            if (!tr.ok()) return tr;
            if (name == "any" && t) return Res::of(Value::boolean(true));
            if (name == "all" && !t) return Res::of(Value::boolean(false));
        }
        return Res::of(Value::boolean(name == "all"));
    }
    if (name == "map" || name == "filter") {
        if (!need(2)) return raise_error("TypeError", name + "() must have at least two arguments.");
        std::vector<Value> xs;
        Res it = iterate(args.pos[1], xs, span);
        if (!it.ok()) return it;
        std::vector<Value> out;
        for (const auto& x : xs) {
            if (name == "filter" && args.pos[0].is_none()) {
                bool t = false;
                truthy(x, t);
                if (t) out.push_back(x);
                continue;
            }
            Args a;
            a.pos.push_back(x);
            Res r = call(args.pos[0], a, span);
            if (!r.ok()) return r;
            if (name == "map") {
                out.push_back(r.value);
            } else {
                bool t = false;
                Res tr = truthy(r.value, t);
                if (!tr.ok()) return tr;
                if (t) out.push_back(x);
            }
        }
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "hasattr") {
        if (Res a = arity(2, 2); !a.ok()) return a;
        Res r = get_attr(args.pos[0], as_str(args.pos[1]), span);
        if (r.ctl == Ctl::raise && isinstance(r.value, cls("AttributeError").get())) return Res::of(Value::boolean(false));
        if (!r.ok()) return r;
        return Res::of(Value::boolean(true));
    }
    if (name == "getattr") {
        if (Res a = arity(2, 3); !a.ok()) return a;
        if (!is_str(args.pos[1])) return raise_error("TypeError", "attribute name must be string, not '" + type_name(args.pos[1]) + "'");
        Res r = get_attr(args.pos[0], as_str(args.pos[1]), span);
        if (r.ctl == Ctl::raise && args.pos.size() == 3 && isinstance(r.value, cls("AttributeError").get())) return Res::of(args.pos[2]);
        return r;
    }
    if (name == "setattr") {
        if (Res a = arity(3, 3); !a.ok()) return a;
        Res r = set_attr(args.pos[0], as_str(args.pos[1]), args.pos[2], span);
        if (!r.ok()) return r;
        return Res::of();
    }
    if (name == "callable") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const Value& x = args.pos[0];
        bool c = is_kind(x, OKind::function) || is_kind(x, OKind::bound_method) || is_kind(x, OKind::builtin) || is_kind(x, OKind::cls);
        if (is_kind(x, OKind::instance)) c = as<Instance>(x).cls->lookup("__call__") != nullptr;
        return Res::of(Value::boolean(c));
    }
    if (name == "id") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        // Stable, deterministic numbers in first-use order (CPython prints addresses).
        static thread_local std::vector<const void*> seen;
        const void* p = args.pos[0].obj ? static_cast<const void*>(args.pos[0].obj.get()) : nullptr;
        auto it = std::find(seen.begin(), seen.end(), p);
        if (it == seen.end()) {
            seen.push_back(p);
            it = seen.end() - 1;
        }
        return Res::of(Value::integer(140000000000000 + 16 * static_cast<std::int64_t>(it - seen.begin())));
    }
    if (name == "divmod") {
        if (Res a = arity(2, 2); !a.ok()) return a;
        Res q = arith(BinaryOp::floor_div, args.pos[0], args.pos[1], span);
        if (!q.ok()) return q;
        Res m = arith(BinaryOp::mod, args.pos[0], args.pos[1], span);
        if (!m.ok()) return m;
        return Res::of(make_tuple({q.value, m.value}));
    }
    if (name == "chr") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const auto cp = static_cast<std::uint32_t>(int_of(args.pos[0]));
        std::string s;
        if (cp < 0x80) s += static_cast<char>(cp);
        else if (cp < 0x800) {
            s += static_cast<char>(0xC0 | (cp >> 6));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            s += static_cast<char>(0xE0 | (cp >> 12));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            s += static_cast<char>(0xF0 | (cp >> 18));
            s += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            s += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            s += static_cast<char>(0x80 | (cp & 0x3F));
        }
        return Res::of(make_str(s));
    }
    if (name == "ord") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const std::string& s = as_str(args.pos[0]);
        if (s.empty()) return raise_error("TypeError", "ord() expected a character, but string of length 0 found");
        const auto c0 = static_cast<unsigned char>(s[0]);
        std::uint32_t cp = c0;
        std::size_t len = 1;
        if (c0 >= 0xF0) { cp = c0 & 0x07; len = 4; }
        else if (c0 >= 0xE0) { cp = c0 & 0x0F; len = 3; }
        else if (c0 >= 0xC0) { cp = c0 & 0x1F; len = 2; }
        for (std::size_t k = 1; k < len && k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
        return Res::of(Value::integer(cp));
    }
    if (name == "hash") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        const Value& x = args.pos[0];
        if (is_intlike(x)) return Res::of(Value::integer(int_of(x)));
        std::uint64_t h = 1469598103934665603ull;
        for (unsigned char c : repr_of(x)) h = (h ^ c) * 1099511628211ull;
        return Res::of(Value::integer(static_cast<std::int64_t>(h >> 1)));
    }
    if (name == "staticmethod" || name == "classmethod" || name == "property") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        if (is_kind(args.pos[0], OKind::function)) {
            auto& f = as<Function>(args.pos[0]);
            f.is_static = name == "staticmethod";
            f.is_classmethod = name == "classmethod";
            f.is_property = name == "property";
        }
        return Res::of(args.pos[0]);
    }
    if (name == "input" || name == "open" || name == "exec" || name == "eval" || name == "globals" || name == "locals" || name == "vars")
        return fail(DiagnosticKind::unknown_member, span, "`" + name + "()` is not supported by tasklab");
    // time
    if (name == "time.time" || name == "time.monotonic" || name == "time.perf_counter" || name == "time.process_time")
        return Res::of(Value::real(static_cast<double>(m_sched.now()) / 1e9));
    if (name == "time.time_ns" || name == "time.monotonic_ns" || name == "time.perf_counter_ns") return Res::of(Value::integer(m_sched.now()));
    if (name == "time.sleep") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        bool ok = false;
        const Tick d = seconds_arg(args.pos[0], ok);
        if (!ok) return raise_error("TypeError", "'" + type_name(args.pos[0]) + "' object cannot be interpreted as an integer");
        // CPython converts the length to a time_t first: infinity or more than 2**63 s overflows.
        if (args.pos[0].kind == VKind::real && (std::isnan(args.pos[0].d) || std::fabs(args.pos[0].d) >= 9.2233720368547758e18)) {
            if (std::isnan(args.pos[0].d)) return raise_error("ValueError", "Invalid value NaN (not a number)");
            return raise_error("OverflowError", "timestamp out of range for platform time_t");
        }
        if (d < 0) return raise_error("ValueError", "sleep length must be non-negative");
        if (in_worker_thread()) return worker_sleep(d);  // semantics: T4 — only that worker waits
        // semantics: §5 — blocking work stops the whole loop; nothing else runs meanwhile.
        switch (m_model.block_loop(d)) {
        case asyncio::BlockEnd::completed: return Res::of();
        case asyncio::BlockEnd::keyboard_interrupt: return Res::raised(new_exception(cls("KeyboardInterrupt"), {}));
        case asyncio::BlockEnd::killed: return Res::make(Ctl::fatal);  // the process is gone: nothing more runs
        }
        return Res::of();
    }
    // sys
    if (name == "sys.exc_info" || name == "sys.exception") return sys_exc_info(name == "sys.exception");
    if (name == "sys.exit") {
        std::vector<Value> a;
        if (!args.pos.empty()) a.push_back(args.pos[0]);
        return Res::raised(new_exception(cls("SystemExit"), std::move(a)));
    }
    // signal
    if (name == "signal.signal" || name == "signal.getsignal" || name == "signal.raise_signal" || name == "signal.default_int_handler")
        return fail(DiagnosticKind::unknown_member, span, "`" + name + "()` is not supported by tasklab yet",
                    "use loop.add_signal_handler() and `# tasklab: signal SIGINT at 5s`");
    // random (deterministic: splitmix64 seeded by `# tasklab: seed N`)
    if (name.rfind("random.", 0) == 0) {
        auto next = [&]() {
            std::uint64_t z = (m_logging->rng += 0x9e3779b97f4a7c15ull);
            z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
            z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
            return z ^ (z >> 31);
        };
        auto unit = [&]() { return static_cast<double>(next() >> 11) / 9007199254740992.0; };
        const std::string f = name.substr(7);
        if (f == "seed") {
            m_logging->rng = args.pos.empty() ? m_program.seed : static_cast<std::uint64_t>(int_of(args.pos[0]));
            return Res::of();
        }
        if (f == "random") return Res::of(Value::real(unit()));
        if (f == "uniform" && need(2)) {
            const double a = args.pos[0].as_double(), b = args.pos[1].as_double();
            return Res::of(Value::real(a + (b - a) * unit()));
        }
        if ((f == "randint" || f == "randrange") && need(1)) {
            std::int64_t lo = 0, hi = 0;
            if (f == "randint") {
                if (!need(2)) return raise_error("TypeError", "randint() missing 1 required positional argument: 'b'");
                lo = int_of(args.pos[0]);
                hi = int_of(args.pos[1]);
            } else {
                if (args.pos.size() == 1) hi = int_of(args.pos[0]) - 1;
                else {
                    lo = int_of(args.pos[0]);
                    hi = int_of(args.pos[1]) - 1;
                }
            }
            if (hi < lo) return raise_error("ValueError", "empty range for randrange()");
            return Res::of(Value::integer(lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1))));
        }
        if (f == "choice" && need(1)) {
            std::vector<Value> xs;
            Res it = iterate(args.pos[0], xs, span);
            if (!it.ok()) return it;
            if (xs.empty()) return raise_error("IndexError", "Cannot choose from an empty sequence");
            return Res::of(xs[next() % xs.size()]);
        }
        if (f == "shuffle" && need(1) && is_kind(args.pos[0], OKind::list)) {
            auto& xs = as<List>(args.pos[0]).items;
            for (std::size_t k = xs.size(); k > 1; --k) std::swap(xs[k - 1], xs[next() % k]);
            return Res::of();
        }
        if (f == "sample" && need(2)) {
            std::vector<Value> xs;
            Res it = iterate(args.pos[0], xs, span);
            if (!it.ok()) return it;
            const auto n = static_cast<std::size_t>(int_of(args.pos[1]));
            if (n > xs.size()) return raise_error("ValueError", "Sample larger than population or is negative");
            for (std::size_t k = 0; k < n; ++k) std::swap(xs[k], xs[k + next() % (xs.size() - k)]);
            xs.resize(n);
            return Res::of(py::make_list(std::move(xs)));
        }
        return fail(DiagnosticKind::unknown_member, span, "`" + name + "` is not supported by tasklab");
    }
    if (name == "functools.partial" || name == "functools.wraps")
        return fail(DiagnosticKind::unknown_member, span, "`" + name + "` is not supported by tasklab yet", "use a lambda or a nested function");
    handled = false;
    return Res::of();
}

// =========================================================================================
// Methods of built-in types
// =========================================================================================

Res Machine::str_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_str(self)) return raise_error("TypeError", "descriptor '" + name + "' for 'str' objects doesn't apply to a '" + type_name(self) + "' object");
    const std::string& s = as_str(self);
    auto arg_str = [&](std::size_t k, std::string& out) -> Res {
        if (k >= args.pos.size()) return raise_error("TypeError", name + "() takes at least " + std::to_string(k + 1) + " argument");
        if (!is_str(args.pos[k])) return raise_error("TypeError", "must be str, not " + type_name(args.pos[k]));
        out = as_str(args.pos[k]);
        return Res::of();
    };
    if (name == "upper" || name == "lower" || name == "casefold" || name == "swapcase") {
        std::string out = s;
        for (auto& c : out) {
            const auto u = static_cast<unsigned char>(c);
            if (name == "upper") c = static_cast<char>(std::toupper(u));
            else if (name == "swapcase") c = static_cast<char>(std::isupper(u) ? std::tolower(u) : std::toupper(u));
            else c = static_cast<char>(std::tolower(u));
        }
        return Res::of(make_str(out));
    }
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        std::string chars;
        if (!args.pos.empty() && !args.pos[0].is_none()) chars = as_str(args.pos[0]);
        return Res::of(make_str(strip_chars(s, chars, name != "rstrip", name != "lstrip")));
    }
    if (name == "split" || name == "rsplit") {
        std::vector<Value> out;
        const Value* sepv = !args.pos.empty() ? &args.pos[0] : args.kwarg("sep");
        std::int64_t maxsplit = -1;
        if (args.pos.size() > 1) maxsplit = int_of(args.pos[1]);
        if (const Value* m = args.kwarg("maxsplit")) maxsplit = int_of(*m);
        if (!sepv || sepv->is_none()) {
            std::size_t k = 0;
            while (k < s.size()) {
                while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
                if (k >= s.size()) break;
                if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
                    out.push_back(make_str(strip_chars(s.substr(k), "", false, true)));
                    break;
                }
                std::size_t j = k;
                while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
                out.push_back(make_str(s.substr(k, j - k)));
                k = j;
            }
            return Res::of(py::make_list(std::move(out)));
        }
        const std::string& sep = as_str(*sepv);
        if (sep.empty()) return raise_error("ValueError", "empty separator");
        std::size_t k = 0;
        for (;;) {
            if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) break;
            const auto j = s.find(sep, k);
            if (j == std::string::npos) break;
            out.push_back(make_str(s.substr(k, j - k)));
            k = j + sep.size();
        }
        out.push_back(make_str(s.substr(k)));
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "splitlines") {
        std::vector<Value> out;
        std::size_t k = 0;
        while (k < s.size()) {
            auto j = s.find('\n', k);
            if (j == std::string::npos) j = s.size();
            std::string line = s.substr(k, j - k);
            if (!line.empty() && line.back() == '\r') line.pop_back();
            out.push_back(make_str(line));
            k = j + 1;
        }
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "join") {
        if (args.pos.size() != 1) return raise_error("TypeError", "str.join() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
        std::vector<Value> xs;
        Res it = iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
        std::string out;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            if (!is_str(xs[k]))
                return raise_error("TypeError", "sequence item " + std::to_string(k) + ": expected str instance, " + type_name(xs[k]) + " found");
            if (k) out += s;
            out += as_str(xs[k]);
        }
        return Res::of(make_str(out));
    }
    if (name == "replace") {
        std::string a, b;
        if (Res r = arg_str(0, a); !r.ok()) return r;
        if (Res r = arg_str(1, b); !r.ok()) return r;
        std::int64_t count = args.pos.size() > 2 ? int_of(args.pos[2]) : -1;
        std::string out;
        std::size_t k = 0;
        if (a.empty()) return Res::of(self);
        {
            // The result's size first: "a" * 1000 with each "a" made a million bytes long
            // stops at the memory limit instead of being built.
            std::uint64_t hits = 0;
            for (std::size_t j = s.find(a); j != std::string::npos && (count < 0 || hits < static_cast<std::uint64_t>(count));
                 j = s.find(a, j + a.size()))
                ++hits;
            const std::uint64_t size = s.size() - hits * a.size() + hits * b.size();
            if (!count_work(hits, span, "this replacement is too long to make in one step") ||
                !reserve_memory(MemoryKind::string, size, size, span))
                return Res::make(Ctl::fatal);
        }
        for (;;) {
            const auto j = s.find(a, k);
            if (j == std::string::npos || count == 0) break;
            out += s.substr(k, j - k) + b;
            k = j + a.size();
            if (count > 0) --count;
        }
        out += s.substr(k);
        return Res::of(make_str(out));
    }
    if (name == "startswith" || name == "endswith") {
        std::vector<std::string> opts;
        if (!args.pos.empty() && is_kind(args.pos[0], OKind::tuple)) {
            for (const auto& v : as<Tuple>(args.pos[0]).items) opts.push_back(as_str(v));
        } else {
            std::string a;
            if (Res r = arg_str(0, a); !r.ok()) return r;
            opts.push_back(a);
        }
        for (const auto& o : opts) {
            const bool hit = name == "startswith" ? s.compare(0, o.size(), o) == 0
                                                  : s.size() >= o.size() && s.compare(s.size() - o.size(), o.size(), o) == 0;
            if (hit) return Res::of(Value::boolean(true));
        }
        return Res::of(Value::boolean(false));
    }
    if (name == "removeprefix" || name == "removesuffix") {
        std::string a;
        if (Res r = arg_str(0, a); !r.ok()) return r;
        if (name == "removeprefix" && s.compare(0, a.size(), a) == 0) return Res::of(make_str(s.substr(a.size())));
        if (name == "removesuffix" && !a.empty() && s.size() >= a.size() && s.compare(s.size() - a.size(), a.size(), a) == 0)
            return Res::of(make_str(s.substr(0, s.size() - a.size())));
        return Res::of(self);
    }
    if (name == "find" || name == "rfind" || name == "index" || name == "count") {
        std::string a;
        if (Res r = arg_str(0, a); !r.ok()) return r;
        auto cp_index = [&](std::size_t byte) {
            std::int64_t n = 0;
            for (std::size_t k = 0; k < byte; ++k)
                if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) ++n;
            return n;
        };
        if (name == "count") {
            if (a.empty()) return Res::of(Value::integer(cp_index(s.size()) + 1));
            std::int64_t n = 0;
            for (std::size_t k = s.find(a); k != std::string::npos; k = s.find(a, k + a.size())) ++n;
            return Res::of(Value::integer(n));
        }
        const auto j = name == "rfind" ? s.rfind(a) : s.find(a);
        if (j == std::string::npos) {
            if (name == "index") return raise_error("ValueError", "substring not found");
            return Res::of(Value::integer(-1));
        }
        return Res::of(Value::integer(cp_index(j)));
    }
    if (name == "partition") {
        std::string a;
        if (Res r = arg_str(0, a); !r.ok()) return r;
        const auto j = s.find(a);
        if (j == std::string::npos) return Res::of(make_tuple({self, make_str(""), make_str("")}));
        return Res::of(make_tuple({make_str(s.substr(0, j)), make_str(a), make_str(s.substr(j + a.size()))}));
    }
    if (name == "isdigit" || name == "isalpha" || name == "isalnum" || name == "isspace" || name == "isupper" || name == "islower") {
        if (s.empty()) return Res::of(Value::boolean(false));
        bool all = true, cased = false;
        for (unsigned char c : s) {
            if (name == "isdigit") all = all && std::isdigit(c);
            else if (name == "isalpha") all = all && (std::isalpha(c) || c >= 0x80);
            else if (name == "isalnum") all = all && (std::isalnum(c) || c >= 0x80);
            else if (name == "isspace") all = all && std::isspace(c);
            else if (name == "isupper") {
                if (std::islower(c)) all = false;
                if (std::isupper(c)) cased = true;
            } else {
                if (std::isupper(c)) all = false;
                if (std::islower(c)) cased = true;
            }
        }
        if (name == "isupper" || name == "islower") all = all && cased;
        return Res::of(Value::boolean(all));
    }
    if (name == "title" || name == "capitalize") {
        std::string out = s;
        bool start = true;
        for (auto& c : out) {
            const auto u = static_cast<unsigned char>(c);
            if (std::isalpha(u)) {
                c = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
                start = false;
            } else if (name == "title") {
                start = true;
            }
            if (name == "capitalize" && !start) start = false;
        }
        return Res::of(make_str(out));
    }
    if (name == "center" || name == "ljust" || name == "rjust" || name == "zfill") {
        if (args.pos.empty()) return raise_error("TypeError", name + "() takes at least 1 argument (0 given)");
        const std::int64_t width = int_of(args.pos[0]);
        std::string fill = " ";
        if (args.pos.size() > 1) fill = as_str(args.pos[1]);
        std::int64_t len = 0;
        for (unsigned char c : s)
            if ((c & 0xC0) != 0x80) ++len;
        if (width <= len) return Res::of(self);
        const auto n = static_cast<std::size_t>(width - len);
        const std::uint64_t size = s.size() + static_cast<std::uint64_t>(n) * std::max<std::size_t>(fill.size(), 1);
        if (!count_work(n, span, "this string is too long to make in one step") || !reserve_memory(MemoryKind::string, size, size, span))
            return Res::make(Ctl::fatal);
        auto rep = [&](std::size_t k) {
            std::string r;
            for (std::size_t i = 0; i < k; ++i) r += fill;
            return r;
        };
        if (name == "ljust") return Res::of(make_str(s + rep(n)));
        if (name == "rjust") return Res::of(make_str(rep(n) + s));
        if (name == "zfill") {
            if (!s.empty() && (s[0] == '-' || s[0] == '+')) return Res::of(make_str(s.substr(0, 1) + std::string(n, '0') + s.substr(1)));
            return Res::of(make_str(std::string(n, '0') + s));
        }
        const std::size_t left = n / 2 + (n % 2 & static_cast<std::size_t>(width) & 1);
        return Res::of(make_str(rep(left) + s + rep(n - left)));
    }
    if (name == "encode") return str_encode(s, args, span);
    if (name == "format") {
        // "{}" / "{0}" / "{name}" with conversions and format specs.
        std::string out;
        std::size_t auto_index = 0;
        for (std::size_t k = 0; k < s.size(); ++k) {
            const char c = s[k];
            if (c == '{' && k + 1 < s.size() && s[k + 1] == '{') {
                out += '{';
                ++k;
                continue;
            }
            if (c == '}' && k + 1 < s.size() && s[k + 1] == '}') {
                out += '}';
                ++k;
                continue;
            }
            if (c != '{') {
                out += c;
                continue;
            }
            const auto close = s.find('}', k);
            if (close == std::string::npos) return raise_error("ValueError", "Single '{' encountered in format string");
            std::string field = s.substr(k + 1, close - k - 1);
            k = close;
            std::string spec;
            char conv = 0;
            if (const auto colon = field.find(':'); colon != std::string::npos) {
                spec = field.substr(colon + 1);
                field = field.substr(0, colon);
            }
            if (const auto bang = field.find('!'); bang != std::string::npos) {
                conv = bang + 1 < field.size() ? field[bang + 1] : 0;
                field = field.substr(0, bang);
            }
            Value v;
            if (field.empty()) {
                if (auto_index >= args.pos.size()) return raise_error("IndexError", "Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
                v = args.pos[auto_index++];
            } else if (std::all_of(field.begin(), field.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
                const auto idx = static_cast<std::size_t>(std::stoul(field));
                if (idx >= args.pos.size()) return raise_error("IndexError", "Replacement index " + field + " out of range for positional args tuple");
                v = args.pos[idx];
            } else {
                const Value* kv = args.kwarg(field);
                if (!kv) return Res::raised(new_exception(cls("KeyError"), {make_str(field)}));
                v = *kv;
            }
            if (conv == 'r' || conv == 'a') {
                Res r = py_repr(v);
                if (!r.ok()) return r;
                v = r.value;
            } else if (conv == 's') {
                Res r = py_str(v);
                if (!r.ok()) return r;
                v = r.value;
            }
            Res f = format_value(v, spec, span);
            if (!f.ok()) return f;
            out += as_str(f.value);
        }
        return Res::of(make_str(out));
    }
    handled = false;
    return Res::of();
}

Res Machine::list_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    const bool is_tuple = is_kind(self, OKind::tuple);
    if (!is_kind(self, OKind::list) && !is_tuple) return raise_error("TypeError", "descriptor '" + name + "' requires a 'list' object");
    auto& xs = is_tuple ? as<Tuple>(self).items : as<List>(self).items;
    auto arity = [&](std::size_t lo, std::size_t hi) -> Res {
        if (args.pos.size() < lo || args.pos.size() > hi)
            return raise_error("TypeError", "list." + name + "() takes " +
                                                (lo == hi ? (lo == 0 ? std::string("no arguments") : "exactly one argument") : "at most " + std::to_string(hi) + " arguments") +
                                                " (" + std::to_string(args.pos.size()) + " given)");
        return Res::of();
    };
    if (name == "index" || name == "count") {
        if (Res a = arity(1, 3); !a.ok()) return a;
        std::int64_t n = 0;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            if (py_is(xs[k], args.pos[0]) || py_equal(xs[k], args.pos[0])) {
                if (name == "index") return Res::of(Value::integer(static_cast<std::int64_t>(k)));
                ++n;
            }
        }
        if (name == "index") return raise_error("ValueError", repr_of(args.pos[0]) + " is not in " + (is_tuple ? "tuple" : "list"));
        return Res::of(Value::integer(n));
    }
    if (is_tuple) {
        handled = false;
        return Res::of();
    }
    if (name == "append") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        xs.push_back(args.pos[0]);
        return Res::of();
    }
    if (name == "extend") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        std::vector<Value> more;
        Res it = iterate(args.pos[0], more, span);
        if (!it.ok()) return it;
        xs.insert(xs.end(), more.begin(), more.end());
        return Res::of();
    }
    if (name == "insert") {
        if (Res a = arity(2, 2); !a.ok()) return a;
        std::int64_t k = int_of(args.pos[0]);
        const auto n = static_cast<std::int64_t>(xs.size());
        if (k < 0) k = std::max<std::int64_t>(0, k + n);
        k = std::min(k, n);
        xs.insert(xs.begin() + k, args.pos[1]);
        return Res::of();
    }
    if (name == "pop") {
        if (Res a = arity(0, 1); !a.ok()) return a;
        if (xs.empty()) return raise_error("IndexError", "pop from empty list");
        std::int64_t k = args.pos.empty() ? static_cast<std::int64_t>(xs.size()) - 1 : int_of(args.pos[0]);
        if (k < 0) k += static_cast<std::int64_t>(xs.size());
        if (k < 0 || k >= static_cast<std::int64_t>(xs.size())) return raise_error("IndexError", "pop index out of range");
        Value v = xs[static_cast<std::size_t>(k)];
        xs.erase(xs.begin() + k);
        return Res::of(v);
    }
    if (name == "remove") {
        if (Res a = arity(1, 1); !a.ok()) return a;
        for (std::size_t k = 0; k < xs.size(); ++k)
            if (py_is(xs[k], args.pos[0]) || py_equal(xs[k], args.pos[0])) {
                xs.erase(xs.begin() + static_cast<std::ptrdiff_t>(k));
                return Res::of();
            }
        return raise_error("ValueError", "list.remove(x): x not in list");
    }
    if (name == "sort") {
        bool reverse = false;
        if (const Value* r = args.kwarg("reverse")) truthy(*r, reverse);
        std::vector<Value> copy = xs;
        Res s = sort_values(copy, args.kwarg("key"), reverse, span);
        if (!s.ok()) return s;
        xs = std::move(copy);
        return Res::of();
    }
    if (name == "reverse") {
        std::reverse(xs.begin(), xs.end());
        return Res::of();
    }
    if (name == "clear") {
        xs.clear();
        return Res::of();
    }
    if (name == "copy") return Res::of(py::make_list(xs));
    handled = false;
    return Res::of();
}

Res Machine::dict_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_kind(self, OKind::dict)) return raise_error("TypeError", "descriptor '" + name + "' requires a 'dict' object");
    auto& d = as<Dict>(self);
    if (name == "get") {
        if (args.pos.empty()) return raise_error("TypeError", "get expected at least 1 argument, got 0");
        if (Value* v = dict_find(d, args.pos[0])) return Res::of(*v);
        return Res::of(args.pos.size() > 1 ? args.pos[1] : Value::none());
    }
    if (name == "keys" || name == "values" || name == "items") {
        std::vector<Value> out;
        for (const auto& [k, v] : d.entries) {
            if (name == "keys") out.push_back(k);
            else if (name == "values") out.push_back(v);
            else out.push_back(make_tuple({k, v}));
        }
        return Res::of(py::make_list(std::move(out)));
    }
    if (name == "pop") {
        if (args.pos.empty()) return raise_error("TypeError", "pop expected at least 1 argument, got 0");
        for (auto it = d.entries.begin(); it != d.entries.end(); ++it)
            if (py_equal(it->first, args.pos[0])) {
                Value v = it->second;
                d.entries.erase(it);
                return Res::of(v);
            }
        if (args.pos.size() > 1) return Res::of(args.pos[1]);
        return Res::raised(new_exception(cls("KeyError"), {args.pos[0]}));
    }
    if (name == "popitem") {
        if (d.entries.empty()) return raise_error("KeyError", "popitem(): dictionary is empty");
        auto kv = d.entries.back();
        d.entries.pop_back();
        return Res::of(make_tuple({kv.first, kv.second}));
    }
    if (name == "setdefault") {
        if (args.pos.empty()) return raise_error("TypeError", "setdefault expected at least 1 argument, got 0");
        if (Value* v = dict_find(d, args.pos[0])) return Res::of(*v);
        const Value def = args.pos.size() > 1 ? args.pos[1] : Value::none();
        d.entries.emplace_back(args.pos[0], def);
        return Res::of(def);
    }
    if (name == "update") {
        if (!args.pos.empty()) {
            Args one;
            one.pos.push_back(args.pos[0]);
            Res other = convert("dict", one, span);
            if (!other.ok()) return other;
            for (auto& [k, v] : as<Dict>(other.value).entries) dict_set(d, k, v);
        }
        for (auto& [k, v] : args.kw) dict_set(d, make_str(k), v);
        return Res::of();
    }
    if (name == "clear") {
        d.entries.clear();
        return Res::of();
    }
    if (name == "copy") {
        auto c = std::make_shared<Dict>();
        c->entries = d.entries;
        return Res::of(Value::of(std::move(c)));
    }
    handled = false;
    return Res::of();
}

Res Machine::set_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_kind(self, OKind::set)) return raise_error("TypeError", "descriptor '" + name + "' requires a 'set' object");
    auto& xs = as<Set>(self).items;
    auto find = [&](const Value& v) {
        for (std::size_t k = 0; k < xs.size(); ++k)
            if (py_equal(xs[k], v)) return static_cast<std::ptrdiff_t>(k);
        return static_cast<std::ptrdiff_t>(-1);
    };
    if (name == "add") {
        if (args.pos.size() != 1) return raise_error("TypeError", "set.add() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
        if (find(args.pos[0]) < 0) xs.push_back(args.pos[0]);
        return Res::of();
    }
    if (name == "discard" || name == "remove") {
        if (args.pos.size() != 1) return raise_error("TypeError", "set." + name + "() takes exactly one argument");
        const auto k = find(args.pos[0]);
        if (k >= 0) xs.erase(xs.begin() + k);
        else if (name == "remove") return Res::raised(new_exception(cls("KeyError"), {args.pos[0]}));
        return Res::of();
    }
    if (name == "pop") {
        if (xs.empty()) return raise_error("KeyError", "pop from an empty set");
        Value v = xs.front();
        xs.erase(xs.begin());
        return Res::of(v);
    }
    if (name == "clear") {
        xs.clear();
        return Res::of();
    }
    std::vector<Value> other;
    if (!args.pos.empty()) {
        Res it = iterate(args.pos[0], other, span);
        if (!it.ok()) return it;
    }
    auto in_other = [&](const Value& v) {
        for (const auto& o : other)
            if (py_equal(o, v)) return true;
        return false;
    };
    auto make = [&](std::vector<Value> items) {
        auto s = std::make_shared<Set>();
        s->items = std::move(items);
        return Value::of(std::move(s));
    };
    if (name == "copy") return Res::of(make(xs));
    if (name == "update" || name == "union") {
        std::vector<Value> out = xs;
        for (const auto& o : other) {
            bool dup = false;
            for (const auto& v : out)
                if (py_equal(v, o)) dup = true;
            if (!dup) out.push_back(o);
        }
        if (name == "update") {
            xs = std::move(out);
            return Res::of();
        }
        return Res::of(make(std::move(out)));
    }
    if (name == "intersection" || name == "difference") {
        std::vector<Value> out;
        for (const auto& v : xs)
            if (in_other(v) == (name == "intersection")) out.push_back(v);
        return Res::of(make(std::move(out)));
    }
    if (name == "issubset") {
        for (const auto& v : xs)
            if (!in_other(v)) return Res::of(Value::boolean(false));
        return Res::of(Value::boolean(true));
    }
    if (name == "issuperset") {
        for (const auto& o : other)
            if (find(o) < 0) return Res::of(Value::boolean(false));
        return Res::of(Value::boolean(true));
    }
    handled = false;
    return Res::of();
}

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

// =========================================================================================
// logging
// =========================================================================================

Res Machine::logging_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    Logging& lg = *m_logging;
    auto get_logger = [&](const std::string& lname) {
        auto it = lg.loggers.find(lname);
        if (it != lg.loggers.end()) return it->second;
        auto l = std::make_shared<LoggerObj>();
        l->cls = cls("logging.Logger");
        l->name = lname;
        Value v = Value::of(l);
        lg.loggers[lname] = v;
        return v;
    };
    if (name == "basicConfig") {
        if (lg.configured) return Res::of();  // basicConfig does nothing once the root has a handler
        lg.configured = true;
        for (auto& [k, v] : args.kw) {
            if (k == "format" && is_str(v)) lg.format = as_str(v);
            else if (k == "level" && is_intlike(v)) lg.root_level = static_cast<int>(int_of(v));
            else if (k == "level" && is_str(v)) {
                static const std::pair<const char*, int> names[] = {{"DEBUG", 10}, {"INFO", 20}, {"WARNING", 30}, {"ERROR", 40}, {"CRITICAL", 50}};
                for (const auto& [n, l] : names)
                    if (as_str(v) == n) lg.root_level = l;
            } else if (k == "stream") {
                lg.to_stdout = is_kind(v, OKind::native) && as<NativeObj>(v).nkind == NKind::stream && static_cast<const StreamObj&>(*v.obj).is_stdout;
            } else if (k == "datefmt" || k == "style" || k == "force" || k == "handlers" || k == "filename") {
                if (k == "filename") return fail(DiagnosticKind::unknown_member, span, "tasklab cannot log to a file");
            }
        }
        return Res::of();
    }
    if (name == "getLogger") {
        std::string lname = "root";
        if (!args.pos.empty() && is_str(args.pos[0])) lname = as_str(args.pos[0]);
        return Res::of(get_logger(lname));
    }
    // A record: on a Logger (self) or through the module-level functions (the root logger).
    std::string lname = "root";
    if (is_kind(self, OKind::native) && as<NativeObj>(self).nkind == NKind::logger) lname = static_cast<const LoggerObj&>(*self.obj).name;
    if (name == "setLevel") {
        if (args.pos.empty()) return raise_error("TypeError", "setLevel() missing 1 required positional argument: 'level'");
        int level = is_intlike(args.pos[0]) ? static_cast<int>(int_of(args.pos[0])) : 0;
        if (lname == "root") lg.root_level = level;
        else lg.levels[lname] = level;
        return Res::of();
    }
    auto effective = [&]() {
        std::string n = lname;
        while (n != "root") {
            auto it = lg.levels.find(n);
            if (it != lg.levels.end() && it->second != 0) return it->second;
            const auto dot = n.rfind('.');
            if (dot == std::string::npos) break;
            n = n.substr(0, dot);
        }
        return lg.root_level;
    };
    if (name == "isEnabledFor") return Res::of(Value::boolean(!args.pos.empty() && int_of(args.pos[0]) >= effective()));
    if (name == "getEffectiveLevel") return Res::of(Value::integer(effective()));
    int level = 0;
    if (name == "debug") level = 10;
    else if (name == "info") level = 20;
    else if (name == "warning" || name == "warn") level = 30;
    else if (name == "error" || name == "exception") level = 40;
    else if (name == "critical" || name == "fatal") level = 50;
    else if (name == "log") {
        if (args.pos.empty()) return raise_error("TypeError", "log() missing 1 required positional argument: 'level'");
        level = static_cast<int>(int_of(args.pos[0]));
        args.pos.erase(args.pos.begin());
    } else {
        handled = false;
        return Res::of();
    }
    if (args.pos.empty()) return raise_error("TypeError", name + "() missing 1 required positional argument: 'msg'");
    // The module-level functions configure the root logger first (stderr) when nobody did.
    if (lname == "root" && !lg.configured) lg.configured = true;
    if (level < effective()) return Res::of();
    Res msg = py_str(args.pos[0]);
    if (!msg.ok()) return msg;
    std::string message = as_str(msg.value);
    if (args.pos.size() > 1) {
        std::vector<Value> rest(args.pos.begin() + 1, args.pos.end());
        Res m = arith(BinaryOp::mod, msg.value, rest.size() == 1 ? rest[0] : make_tuple(rest), span);
        if (!m.ok()) return m;
        message = as_str(m.value);
    }
    if (!lg.configured || !lg.to_stdout) return Res::of();  // stderr: not part of the compared output
    // Format the record: %(name)s-style fields.
    auto d = std::make_shared<Dict>();
    dict_set(*d, make_str("levelname"), make_str(level_name(level)));
    dict_set(*d, make_str("levelno"), Value::integer(level));
    dict_set(*d, make_str("name"), make_str(lname));
    dict_set(*d, make_str("message"), make_str(message));
    dict_set(*d, make_str("msg"), make_str(message));
    const double secs = static_cast<double>(m_sched.now()) / 1e9;
    dict_set(*d, make_str("created"), Value::real(secs));
    dict_set(*d, make_str("relativeCreated"), Value::real(secs * 1000));
    dict_set(*d, make_str("msecs"), Value::real(std::fmod(secs, 1.0) * 1000));
    {
        const auto total = static_cast<std::int64_t>(secs);
        char buf[64];
        std::snprintf(buf, sizeof buf, "1970-01-01 %02lld:%02lld:%02lld,%03lld", static_cast<long long>(total / 3600 % 24),
                      static_cast<long long>(total / 60 % 60), static_cast<long long>(total % 60),
                      static_cast<long long>(m_sched.now() / 1'000'000 % 1000));
        dict_set(*d, make_str("asctime"), make_str(buf));
    }
    dict_set(*d, make_str("threadName"), make_str("MainThread"));
    dict_set(*d, make_str("processName"), make_str("MainProcess"));
    dict_set(*d, make_str("funcName"), make_str("?"));
    dict_set(*d, make_str("module"), make_str("__main__"));
    dict_set(*d, make_str("filename"), make_str(m_program.file ? m_program.file->name() : "scenario.py"));
    // "%(key)<flags><width>s"
    std::string out;
    const std::string& f = lg.format;
    for (std::size_t k = 0; k < f.size(); ++k) {
        if (f[k] == '%' && k + 1 < f.size() && f[k + 1] == '%') {
            out += '%';
            ++k;
            continue;
        }
        if (f[k] != '%' || k + 1 >= f.size() || f[k + 1] != '(') {
            out += f[k];
            continue;
        }
        const auto close = f.find(')', k);
        if (close == std::string::npos) break;
        const std::string key = f.substr(k + 2, close - k - 2);
        std::size_t j = close + 1;
        std::string spec;
        while (j < f.size() && std::string("0123456789.-+ #").find(f[j]) != std::string::npos) spec += f[j++];
        if (j >= f.size()) break;
        const char type = f[j];
        k = j;
        Value* v = dict_find(*d, make_str(key));
        if (!v) return Res::raised(new_exception(cls("KeyError"), {make_str(key)}));
        std::string piece;
        if (type == 'd' || type == 'f') {
            Res p = format_value(type == 'd' ? Value::integer(static_cast<std::int64_t>(v->as_double())) : *v,
                                 (spec.size() && spec[0] == '-' ? "<" + spec.substr(1) : spec) + (type == 'f' ? "f" : ""), span);
            if (!p.ok()) return p;
            piece = as_str(p.value);
        } else {
            Res s = type == 'r' ? py_repr(*v) : py_str(*v);
            if (!s.ok()) return s;
            piece = as_str(s.value);
            if (!spec.empty()) {
                Res p = format_value(make_str(piece), spec[0] == '-' ? "<" + spec.substr(1) : ">" + spec, span);
                if (!p.ok()) return p;
                piece = as_str(p.value);
            }
        }
        out += piece;
    }
    print_text(out + "\n");
    return Res::of();
}

}  // namespace tasklab::py
