// Python objects: the built-in classes and the exception hierarchy, attribute access,
// truthiness, str()/repr() exactly as CPython prints them, format specs, comparison,
// arithmetic with Python's signs, and membership.
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

/// C3 linearization (CPython's MRO), enough for the single and diamond inheritance scenarios use.
std::vector<Class*> linearize(Class* c) {
    std::vector<std::vector<Class*>> seqs;
    for (const auto& b : c->bases) seqs.push_back(b->mro);
    std::vector<Class*> bases;
    for (const auto& b : c->bases) bases.push_back(b.get());
    seqs.push_back(bases);
    std::vector<Class*> out{c};
    for (;;) {
        seqs.erase(std::remove_if(seqs.begin(), seqs.end(), [](const auto& s) { return s.empty(); }), seqs.end());
        if (seqs.empty()) return out;
        Class* pick = nullptr;
        for (const auto& s : seqs) {
            Class* head = s.front();
            bool in_tail = false;
            for (const auto& t : seqs)
                if (std::find(t.begin() + 1, t.end(), head) != t.end()) in_tail = true;
            if (!in_tail) {
                pick = head;
                break;
            }
        }
        if (!pick) pick = seqs.front().front();  // inconsistent hierarchy: keep going deterministically
        out.push_back(pick);
        for (auto& s : seqs)
            if (!s.empty() && s.front() == pick) s.erase(s.begin());
    }
}

std::string int_text(std::int64_t i) { return std::to_string(i); }

}  // namespace

// =========================================================================================
// Built-in classes
// =========================================================================================

void Machine::make_builtin_classes() {
    auto make = [&](const std::string& name, std::vector<std::string> bases, BuiltinType bt, const std::string& module = "builtins") {
        auto c = std::make_shared<Class>();
        c->name = name;
        c->module = module;
        c->builtin = bt;
        for (const auto& b : bases) c->bases.push_back(m_classes.at(b));
        c->mro = linearize(c.get());
        for (const Class* m : c->mro)
            if (m->name == "BaseException" && m->module == "builtins") c->is_exception = true;
        const std::string key = module == "builtins" ? name : module + "." + name;
        m_classes[key] = c;
        if (module == "builtins") m_builtins.set(name, Value::of(c));
        return c;
    };
    make("object", {}, BuiltinType::object);
    make("type", {"object"}, BuiltinType::type);
    make("int", {"object"}, BuiltinType::int_);
    make("bool", {"int"}, BuiltinType::bool_);
    make("float", {"object"}, BuiltinType::float_);
    make("str", {"object"}, BuiltinType::str);
    make("bytes", {"object"}, BuiltinType::native);
    make("list", {"object"}, BuiltinType::list);
    make("tuple", {"object"}, BuiltinType::tuple);
    make("dict", {"object"}, BuiltinType::dict);
    make("set", {"object"}, BuiltinType::set);
    make("range", {"object"}, BuiltinType::range);
    make("NoneType", {"object"}, BuiltinType::NoneType);
    make("function", {"object"}, BuiltinType::function);
    make("builtin_function_or_method", {"object"}, BuiltinType::function);
    make("method", {"object"}, BuiltinType::function);
    make("coroutine", {"object"}, BuiltinType::coroutine);
    make("module", {"object"}, BuiltinType::module);
    const auto E = BuiltinType::exception;
    make("BaseException", {"object"}, E);
    make("SystemExit", {"BaseException"}, E);
    make("KeyboardInterrupt", {"BaseException"}, E);
    make("GeneratorExit", {"BaseException"}, E);
    make("Exception", {"BaseException"}, E);
    make("BaseExceptionGroup", {"BaseException"}, E);
    make("ExceptionGroup", {"BaseExceptionGroup", "Exception"}, E);
    make("ArithmeticError", {"Exception"}, E);
    make("ZeroDivisionError", {"ArithmeticError"}, E);
    make("OverflowError", {"ArithmeticError"}, E);
    make("AssertionError", {"Exception"}, E);
    make("AttributeError", {"Exception"}, E);
    make("LookupError", {"Exception"}, E);
    make("IndexError", {"LookupError"}, E);
    make("KeyError", {"LookupError"}, E);
    make("NameError", {"Exception"}, E);
    make("ImportError", {"Exception"}, E);
    make("ModuleNotFoundError", {"ImportError"}, E);
    make("UnboundLocalError", {"NameError"}, E);
    make("OSError", {"Exception"}, E);
    m_builtins.set("IOError", Value::of(m_classes.at("OSError")));
    make("ConnectionError", {"OSError"}, E);
    make("ConnectionRefusedError", {"ConnectionError"}, E);
    make("ConnectionResetError", {"ConnectionError"}, E);
    make("ConnectionAbortedError", {"ConnectionError"}, E);
    make("BrokenPipeError", {"ConnectionError"}, E);
    make("TimeoutError", {"OSError"}, E);
    make("RuntimeError", {"Exception"}, E);
    make("NotImplementedError", {"RuntimeError"}, E);
    make("RecursionError", {"RuntimeError"}, E);
    make("StopIteration", {"Exception"}, E);
    make("StopAsyncIteration", {"Exception"}, E);
    make("TypeError", {"Exception"}, E);
    make("ValueError", {"Exception"}, E);
    make("UnicodeError", {"ValueError"}, E);
    make("UnicodeDecodeError", {"UnicodeError"}, E);
    make("UnicodeEncodeError", {"UnicodeError"}, E);
    make("CancelledError", {"BaseException"}, E, "asyncio.exceptions");
    make("InvalidStateError", {"Exception"}, E, "asyncio.exceptions");
    make("QueueEmpty", {"Exception"}, E, "asyncio.queues");
    make("QueueFull", {"Exception"}, E, "asyncio.queues");
    make("BrokenBarrierError", {"RuntimeError"}, E, "asyncio.exceptions");
    make("WebSocketException", {"Exception"}, E, "websockets.exceptions");
    make("ConnectionClosed", {"websockets.exceptions.WebSocketException"}, E, "websockets.exceptions");
    make("ConnectionClosedOK", {"websockets.exceptions.ConnectionClosed"}, E, "websockets.exceptions");
    make("ConnectionClosedError", {"websockets.exceptions.ConnectionClosed"}, E, "websockets.exceptions");
    make("InvalidURI", {"websockets.exceptions.WebSocketException"}, E, "websockets.exceptions");
    make("InvalidHandshake", {"websockets.exceptions.WebSocketException"}, E, "websockets.exceptions");
    // Classes of built-in objects (for type(x).__name__ and isinstance).
    const auto N = BuiltinType::native;
    make("Future", {"object"}, BuiltinType::future, "asyncio");
    make("Task", {"asyncio.Future"}, BuiltinType::task, "asyncio");
    make("TaskGroup", {"object"}, N, "asyncio");
    make("Timeout", {"object"}, N, "asyncio");
    make("Event", {"object"}, N, "asyncio");
    make("Queue", {"object"}, N, "asyncio");
    make("PriorityQueue", {"asyncio.Queue"}, N, "asyncio");
    make("LifoQueue", {"asyncio.Queue"}, N, "asyncio");
    make("Lock", {"object"}, N, "asyncio");
    make("Semaphore", {"object"}, N, "asyncio");
    make("BoundedSemaphore", {"asyncio.Semaphore"}, N, "asyncio");
    make("Condition", {"object"}, N, "asyncio");
    make("Barrier", {"object"}, N, "asyncio");
    make("Runner", {"object"}, N, "asyncio");
    make("_UnixSelectorEventLoop", {"object"}, N, "asyncio");
    make("Handle", {"object"}, N, "asyncio");
    make("Logger", {"object"}, N, "logging");
    make("TextIOWrapper", {"object"}, N, "io");
    make("Signals", {"int"}, N, "signal");
    make("super", {"object"}, N);
    make("Serve", {"object"}, N, "websockets");
    make("WebSocketServer", {"object"}, N, "websockets");
    make("Connect", {"object"}, N, "websockets");
    make("WebSocketServerProtocol", {"object"}, N, "websockets");
    make("WebSocketClientProtocol", {"object"}, N, "websockets");
    make("Close", {"object"}, N, "websockets");
    make("map", {"object"}, N);
    make("generator", {"object"}, N);
    make("async_generator", {"object"}, N);
    make("list_iterator", {"object"}, N);
    for (const char* hidden : {"generator", "async_generator", "list_iterator"}) m_builtins.erase(hidden);  // types, not names
    for (const char* n : {"_GeneratorContextManager", "_AsyncGeneratorContextManager", "suppress", "ExitStack", "AsyncExitStack",
                          "closing", "aclosing", "nullcontext"})
        make(n, {"object"}, N, "contextlib");
}

ClassPtr Machine::cls(const std::string& name) {
    auto it = m_classes.find(name);
    if (it != m_classes.end()) return it->second;
    for (const char* mod : {"asyncio.exceptions", "asyncio", "websockets.exceptions", "websockets", "logging", "asyncio.queues"}) {
        it = m_classes.find(std::string(mod) + "." + name);
        if (it != m_classes.end()) return it->second;
    }
    throw std::logic_error("python: no built-in class " + name);
}

ClassPtr Machine::type_of(const Value& v) {
    switch (v.kind) {
    case VKind::none: return cls("NoneType");
    case VKind::boolean: return cls("bool");
    case VKind::integer: return cls("int");
    case VKind::real: return cls("float");
    case VKind::object: break;
    }
    switch (v.obj->okind) {
    case OKind::str: return cls("str");
    case OKind::bytes: return cls("bytes");
    case OKind::list: return cls("list");
    case OKind::tuple: return cls("tuple");
    case OKind::dict: return cls("dict");
    case OKind::set: return cls("set");
    case OKind::range: return cls("range");
    case OKind::function: return cls("function");
    case OKind::bound_method: return cls("method");
    case OKind::builtin: return cls("builtin_function_or_method");
    case OKind::cls: return cls("type");
    case OKind::instance: return as<Instance>(v).cls;
    case OKind::coroutine: return cls("coroutine");
    case OKind::future: return cls(as<FutureRef>(v).is_task ? "asyncio.Task" : "asyncio.Future");
    case OKind::module: return cls("module");
    case OKind::native: return as<Native>(v).cls;
    }
    return cls("object");
}

std::string Machine::type_name(const Value& v) { return type_of(v)->name; }

bool Machine::isinstance(const Value& v, const Class* c) {
    if (c->builtin == BuiltinType::object) return true;
    return type_of(v)->is_subclass_of(c);
}

Res Machine::isinstance_check(const Value& v, const Value& classinfo, bool& out, Span span) {
    if (is_kind(classinfo, OKind::cls)) {
        out = isinstance(v, &as<Class>(classinfo));
        return Res::of();
    }
    if (is_kind(classinfo, OKind::tuple)) {
        for (const Value& c : as<Tuple>(classinfo).items) {
            Res r = isinstance_check(v, c, out, span);
            if (!r.ok()) return r;
            if (out) return Res::of();
        }
        out = false;
        return Res::of();
    }
    return raise_error("TypeError", "isinstance() arg 2 must be a type, a tuple of types, or a union");
}

// =========================================================================================
// Exceptions
// =========================================================================================

Value Machine::new_exception(const ClassPtr& c, std::vector<Value> args) {
    auto inst = std::make_shared<Instance>();
    inst->cls = c;
    inst->exc = std::make_unique<ExcData>();
    inst->exc->args = std::move(args);
    return Value::of(std::move(inst));
}

Res Machine::raise_error(const std::string& cls_name, std::string message) {
    return Res::raised(new_exception(cls(cls_name), {make_str(std::move(message))}));
}

Res Machine::raise_error_value(const std::string& cls_name, Value arg) {
    return Res::raised(new_exception(cls(cls_name), {std::move(arg)}));
}

asyncio::ExcPtr Machine::to_exc(const Value& v) {
    if (!is_kind(v, OKind::instance)) return nullptr;
    auto inst = std::static_pointer_cast<Instance>(v.obj);
    return std::shared_ptr<asyncio::Exception>(inst, static_cast<asyncio::Exception*>(inst.get()));
}

Value Machine::from_exc(const asyncio::ExcPtr& e) {
    if (!e) return Value::none();
    auto inst = std::dynamic_pointer_cast<Instance>(e);
    return inst ? Value::of(std::move(inst)) : Value::none();
}

Value any_value(const std::any& a) {
    if (const Value* v = std::any_cast<Value>(&a)) return *v;
    if (const asyncio::ExcPtr* e = std::any_cast<asyncio::ExcPtr>(&a)) {
        auto inst = std::dynamic_pointer_cast<Instance>(*e);
        return inst ? Value::of(std::move(inst)) : Value::none();
    }
    return Value::none();
}

Res Machine::from_result(asyncio::Result r) {
    if (r.error) return Res::raised(from_exc(r.error));
    return Res::of(any_value(r.value));
}

asyncio::Result Machine::to_result(const Res& r) {
    if (r.ctl == Ctl::raise) return asyncio::Result::raise(to_exc(r.value));
    return asyncio::Result::of(r.value);
}

asyncio::ExcPtr Machine::cancelled_error(const std::optional<std::string>& message) {
    std::vector<Value> args;
    if (message) args.push_back(cancel_message_value(*message));
    return to_exc(new_exception(cls("CancelledError"), std::move(args)));
}

asyncio::ExcPtr Machine::timeout_error(const asyncio::ExcPtr& cause, const asyncio::ExcPtr& context) {
    Value e = new_exception(cls("TimeoutError"), {});
    auto& d = *as<Instance>(e).exc;
    if (cause) {
        d.cause = from_exc(cause);
        d.suppress_context = true;
    }
    if (context) d.context = from_exc(context);
    return to_exc(e);
}

asyncio::ExcPtr Machine::exception_group(std::vector<asyncio::ExcPtr> errors) {
    bool all_exceptions = true;
    std::vector<Value> items;
    for (const auto& e : errors) {
        if (e->exc_class() != asyncio::ExcClass::exception) all_exceptions = false;
        items.push_back(from_exc(e));
    }
    Value g = new_exception(cls(all_exceptions ? "ExceptionGroup" : "BaseExceptionGroup"), {});
    auto& d = *as<Instance>(g).exc;
    d.is_group = true;
    d.group_message = "unhandled errors in a TaskGroup";
    d.exceptions = items;
    d.args = {make_str(d.group_message), py::make_list(items)};
    d.suppress_context = true;
    return to_exc(g);
}

asyncio::ExcPtr Machine::runtime_error(const std::string& message) {
    return to_exc(new_exception(cls("RuntimeError"), {make_str(message)}));
}

asyncio::ExcPtr Machine::invalid_state_error(const std::string& message) {
    return to_exc(new_exception(cls("InvalidStateError"), {make_str(message)}));
}

asyncio::ExcPtr Machine::keyboard_interrupt() { return to_exc(new_exception(cls("KeyboardInterrupt"), {})); }

std::any Machine::make_list(std::vector<asyncio::Result> items) {
    std::vector<Value> out;
    for (auto& r : items) out.push_back(r.error ? from_exc(r.error) : any_value(r.value));
    return py::make_list(std::move(out));
}

std::any Machine::make_wait_result(std::vector<asyncio::FutureId> done, std::vector<asyncio::FutureId> pending) {
    auto to_set = [&](const std::vector<asyncio::FutureId>& ids) {
        auto s = std::make_shared<Set>();
        for (auto id : ids) s->items.push_back(future_value(id));
        return Value::of(s);
    };
    return make_tuple({to_set(done), to_set(pending)});
}

std::string Machine::exception_line(const Value& exc) {
    const ClassPtr c = type_of(exc);
    const std::string text = str_of(exc);
    const std::string name = c->qualified();
    return text.empty() ? name : name + ": " + text;
}

// =========================================================================================
// Attributes
// =========================================================================================

namespace {
Value bind_method(const Value& fn, const Value& self) {
    auto bm = std::make_shared<BoundMethod>();
    bm->func = fn;
    bm->self = self;
    return Value::of(std::move(bm));
}
}  // namespace

Res Machine::get_attr(const Value& obj, const std::string& name, Span span) {
    if (obj.kind != VKind::object) {
        if (obj.kind == VKind::real && name == "is_integer") return Res::of(builtin("float.is_integer", obj));
        if (obj.kind == VKind::real && name == "real") return Res::of(obj);
        if ((obj.kind == VKind::integer || obj.kind == VKind::boolean) && name == "real") return Res::of(obj);
        if (name == "__class__") return Res::of(Value::of(type_of(obj)));
        return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
    }
    switch (obj.obj->okind) {
    case OKind::instance: {
        auto& inst = as<Instance>(obj);
        if (Value* v = inst.attrs.find(name)) return Res::of(*v);
        if (const Value* v = inst.cls->lookup(name)) {
            if (is_kind(*v, OKind::function)) {
                const auto& f = as<Function>(*v);
                if (f.is_static) return Res::of(*v);
                if (f.is_classmethod) return Res::of(bind_method(*v, Value::of(inst.cls)));
                if (f.is_property) {
                    Args none;
                    return call(bind_method(*v, obj), none, span);
                }
                return Res::of(bind_method(*v, obj));
            }
            // A method decorated with @contextmanager / @asynccontextmanager binds like a function.
            if (is_kind(*v, OKind::builtin) && as<Builtin>(*v).name.rfind("contextlib._", 0) == 0) return Res::of(bind_method(*v, obj));
            return Res::of(*v);
        }
        if (name == "__class__") return Res::of(Value::of(inst.cls));
        if (name == "__dict__") {
            auto d = std::make_shared<Dict>();
            for (auto& [k, v] : inst.attrs.items) d->entries.emplace_back(make_str(k), v);
            return Res::of(Value::of(d));
        }
        if (inst.exc) {
            auto& e = *inst.exc;
            if (name == "args") return Res::of(make_tuple(e.args));
            if (name == "__cause__") return Res::of(e.cause);
            if (name == "__context__") return Res::of(e.context);
            if (name == "__suppress_context__") return Res::of(Value::boolean(e.suppress_context));
            if (name == "__traceback__") return Res::of();
            if (name == "value" && (inst.cls->is_subclass_of(cls("StopIteration").get())))
                return Res::of(e.args.empty() ? Value::none() : e.args[0]);  // StopIteration.value: a generator's return value
            if (e.is_group && name == "exceptions") return Res::of(make_tuple(e.exceptions));
            if (e.is_group && name == "message") return Res::of(make_str(e.group_message));
            if (name == "errno" && inst.cls->is_subclass_of(cls("OSError").get()))
                return Res::of(e.args.size() >= 2 ? e.args[0] : Value::none());
            if (name == "strerror" && inst.cls->is_subclass_of(cls("OSError").get()))
                return Res::of(e.args.size() >= 2 ? e.args[1] : Value::none());
            if (name == "with_traceback" || name == "add_note" || (e.is_group && (name == "split" || name == "subgroup" || name == "derive")))
                return Res::of(builtin("BaseException." + name, obj));
        }
        return raise_error("AttributeError", "'" + inst.cls->name + "' object has no attribute '" + name + "'");
    }
    case OKind::cls: {
        auto& c = as<Class>(obj);
        if (name == "__name__" || name == "__qualname__") return Res::of(make_str(c.name));
        if (name == "__module__") return Res::of(make_str(c.module));
        if (name == "__mro__") {
            std::vector<Value> xs;
            for (Class* m : c.mro) xs.push_back(Value::of(ClassPtr(std::static_pointer_cast<Class>(obj.obj), m)));
            return Res::of(make_tuple(std::move(xs)));
        }
        if (const Value* v = c.lookup(name)) {
            if (is_kind(*v, OKind::function) && as<Function>(*v).is_classmethod) return Res::of(bind_method(*v, obj));
            return Res::of(*v);
        }
        if (c.builtin != BuiltinType::none_ && c.module == "builtins") {
            // Unbound methods of built-in types (str.upper, dict.fromkeys, …).
            return Res::of(builtin(c.name + "." + name));
        }
        return raise_error("AttributeError", "type object '" + c.name + "' has no attribute '" + name + "'");
    }
    case OKind::module: return module_attr(as<Module>(obj), name, span);
    case OKind::bytes: return bytes_attr(obj, name);
    case OKind::str:
    case OKind::list:
    case OKind::tuple:
    case OKind::dict:
    case OKind::set: {
        static const char* const str_methods[] = {"upper", "lower", "strip", "lstrip", "rstrip", "split", "rsplit", "join", "replace",
                                                  "startswith", "endswith", "find", "rfind", "index", "count", "isdigit", "isalpha",
                                                  "isalnum", "isspace", "isupper", "islower", "title", "capitalize", "center", "ljust",
                                                  "rjust", "zfill", "format", "splitlines", "encode", "casefold", "swapcase",
                                                  "removeprefix", "removesuffix", "partition"};
        static const char* const list_methods[] = {"append", "extend", "insert", "pop", "remove", "index", "count", "sort",
                                                   "reverse", "clear", "copy"};
        static const char* const tuple_methods[] = {"index", "count"};
        static const char* const dict_methods[] = {"get", "keys", "values", "items", "pop", "setdefault", "update", "clear",
                                                   "copy", "popitem"};
        static const char* const set_methods[] = {"add", "discard", "remove", "pop", "clear", "copy", "update", "union",
                                                  "intersection", "difference", "issubset", "issuperset"};
        const char* prefix = "str";
        auto check = [&](auto& names, const char* p) -> bool {
            prefix = p;
            for (const char* n : names)
                if (name == n) return true;
            return false;
        };
        bool found = false;
        switch (obj.obj->okind) {
        case OKind::str: found = check(str_methods, "str"); break;
        case OKind::list: found = check(list_methods, "list"); break;
        case OKind::tuple: found = check(tuple_methods, "tuple"); break;
        case OKind::dict: found = check(dict_methods, "dict"); break;
        default: found = check(set_methods, "set"); break;
        }
        if (found) return Res::of(builtin(std::string(prefix) + "." + name, obj));
        if (name == "__class__") return Res::of(Value::of(type_of(obj)));
        return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
    }
    case OKind::function: {
        auto& f = as<Function>(obj);
        if (name == "__name__") return Res::of(make_str(f.name));
        if (name == "__qualname__") return Res::of(make_str(f.qualname));
        if (name == "__module__") return Res::of(make_str("__main__"));
        return raise_error("AttributeError", "'function' object has no attribute '" + name + "'");
    }
    case OKind::bound_method: {
        auto& bm = as<BoundMethod>(obj);
        if (name == "__self__") return Res::of(bm.self);
        if (name == "__func__") return Res::of(bm.func);
        return get_attr(bm.func, name, span);
    }
    case OKind::builtin: {
        auto& b = as<Builtin>(obj);
        if (name == "__name__" || name == "__qualname__") return Res::of(make_str(b.name.substr(b.name.rfind('.') + 1)));
        if (name == "__self__") return Res::of(b.self);
        return raise_error("AttributeError", "'builtin_function_or_method' object has no attribute '" + name + "'");
    }
    case OKind::coroutine: {
        auto& c = as<Coroutine>(obj);
        if (name == "__name__" || name == "__qualname__") return Res::of(make_str(c.name));
        if (name == "close") return Res::of(builtin("coroutine.close", obj));
        if (name == "cr_running") return Res::of(Value::boolean(false));
        return raise_error("AttributeError", "'coroutine' object has no attribute '" + name + "'");
    }
    case OKind::future:
    case OKind::native: {
        if (const Value* set = set_attrs(obj).find(name)) return Res::of(*set);
        bool handled = false;
        Res r = native_attr(obj, name, span, handled);
        if (handled) return r;
        r = native_attr_default(obj, name, handled);
        if (handled) return r;
        return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
    }
    case OKind::range: {
        auto& r = as<Range>(obj);
        if (name == "start") return Res::of(Value::integer(r.start));
        if (name == "stop") return Res::of(Value::integer(r.stop));
        if (name == "step") return Res::of(Value::integer(r.step));
        return raise_error("AttributeError", "'range' object has no attribute '" + name + "'");
    }
    }
    return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

Res Machine::set_attr(const Value& obj, const std::string& name, Value v, Span span) {
    if (is_kind(obj, OKind::instance)) {
        auto& inst = as<Instance>(obj);
        if (inst.exc) {
            auto& e = *inst.exc;
            if (name == "__cause__") {
                e.cause = std::move(v);
                e.suppress_context = true;
                return Res::of();
            }
            if (name == "__context__") {
                e.context = std::move(v);
                return Res::of();
            }
            if (name == "args") {
                std::vector<Value> xs;
                Res r = iterate(v, xs, span);
                if (!r.ok()) return r;
                e.args = std::move(xs);
                return Res::of();
            }
        }
        if (const Value* p = inst.cls->lookup(name); p && is_kind(*p, OKind::function) && as<Function>(*p).is_property)
            return raise_error("AttributeError", "can't set attribute '" + name + "'");
        inst.attrs.set(name, std::move(v));
        inst.recharge();  // a new attribute counts toward the run's memory
        return Res::of();
    }
    if (is_kind(obj, OKind::cls)) {
        as<Class>(obj).attrs.set(name, std::move(v));
        return Res::of();
    }
    if (is_kind(obj, OKind::function)) {
        if (name == "__name__" && is_str(v)) as<Function>(obj).name = as_str(v);
        return Res::of();
    }
    if (is_kind(obj, OKind::module)) {
        as<Module>(obj).attrs.set(name, std::move(v));
        return Res::of();
    }
    if (obj.kind == VKind::object && (obj.obj->okind == OKind::native || obj.obj->okind == OKind::future)) return set_native_attr(obj, name, std::move(v), span);
    return raise_error("AttributeError", "'" + type_name(obj) + "' object has no attribute '" + name + "'");
}

// =========================================================================================
// Truth, str and repr
// =========================================================================================

Res Machine::truthy(const Value& v, bool& out) {
    switch (v.kind) {
    case VKind::none: out = false; return Res::of();
    case VKind::boolean: out = v.b; return Res::of();
    case VKind::integer: out = v.i != 0; return Res::of();
    case VKind::real: out = v.d != 0; return Res::of();
    case VKind::object: break;
    }
    switch (v.obj->okind) {
    case OKind::str: out = !as<Str>(v).s.empty(); return Res::of();
    case OKind::bytes: out = !as<Bytes>(v).b.empty(); return Res::of();
    case OKind::list: out = !as<List>(v).items.empty(); return Res::of();
    case OKind::tuple: out = !as<Tuple>(v).items.empty(); return Res::of();
    case OKind::dict: out = !as<Dict>(v).entries.empty(); return Res::of();
    case OKind::set: out = !as<Set>(v).items.empty(); return Res::of();
    case OKind::range: out = as<Range>(v).size() > 0; return Res::of();
    case OKind::instance: {
        auto& inst = as<Instance>(v);
        for (const char* m : {"__bool__", "__len__"}) {
            if (const Value* f = inst.cls->lookup(m); f && is_kind(*f, OKind::function)) {
                Args a;
                Res r = call_function(std::static_pointer_cast<Function>(f->obj), a, &v, {});
                if (!r.ok()) return r;
                if (std::string(m) == "__bool__") out = r.value.kind == VKind::boolean ? r.value.b : true;
                else out = r.value.kind == VKind::integer && r.value.i != 0;
                return Res::of();
            }
        }
        out = true;
        return Res::of();
    }
    default: out = true; return Res::of();
    }
}

Res Machine::py_str(const Value& v) {
    if (is_str(v)) return Res::of(v);
    if (is_kind(v, OKind::instance)) {
        auto& inst = as<Instance>(v);
        if (const Value* f = inst.cls->lookup("__str__"); f && is_kind(*f, OKind::function)) {
            Args a;
            return call_function(std::static_pointer_cast<Function>(f->obj), a, &v, {});
        }
        if (inst.payload && inst.payload->okind == OKind::str) return Res::of(Value::of(inst.payload));
        if (inst.exc) {
            auto& e = *inst.exc;
            if (e.is_group) {
                const std::size_t n = e.exceptions.size();
                return Res::of(make_str(e.group_message + " (" + std::to_string(n) + " sub-exception" + (n == 1 ? "" : "s") + ")"));
            }
            if (e.args.empty()) return Res::of(make_str(""));
            if (e.args.size() == 1) {
                if (inst.cls->is_subclass_of(cls("KeyError").get())) return py_repr(e.args[0]);
                return py_str(e.args[0]);
            }
            if (e.args.size() == 2 && e.args[0].kind == VKind::integer && inst.cls->is_subclass_of(cls("OSError").get())) {
                Res s = py_str(e.args[1]);
                if (!s.ok()) return s;
                return Res::of(make_str("[Errno " + int_text(e.args[0].i) + "] " + as_str(s.value)));
            }
            return py_repr(make_tuple(e.args));
        }
    }
    return py_repr(v);
}

Res Machine::py_repr(const Value& v) {
    switch (v.kind) {
    case VKind::none: return Res::of(make_str("None"));
    case VKind::boolean: return Res::of(make_str(v.b ? "True" : "False"));
    case VKind::integer: return Res::of(make_str(int_text(v.i)));
    case VKind::real: return Res::of(make_str(float_repr(v.d)));
    case VKind::object: break;
    }
    // Containers: one that is already being shown prints as `[...]` / `{...}`, and nesting
    // deeper than CPython's recursion limit raises RecursionError, as CPython does.
    const OKind ok = v.obj->okind;
    if (ok == OKind::list || ok == OKind::tuple || ok == OKind::set || ok == OKind::dict) {
        const void* self = v.obj.get();
        if (std::find(m_repr_active.begin(), m_repr_active.end(), self) != m_repr_active.end())
            return Res::of(make_str(ok == OKind::list ? "[...]" : ok == OKind::dict ? "{...}" : "..."));
        if (static_cast<int>(m_repr_active.size()) + m_depth >= k_repr_depth_limit)
            return raise_error("RecursionError", "maximum recursion depth exceeded while getting the repr of an object");
        m_repr_active.push_back(self);
        Res r = py_repr_container(v);
        m_repr_active.pop_back();
        return r;
    }
    return py_repr_container(v);
}

Res Machine::py_repr_container(const Value& v) {
    auto seq = [&](const std::vector<Value>& xs, const char* open, const char* close, bool one_comma) -> Res {
        std::string out = open;
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = py_repr(xs[k]);
            if (!r.ok()) return r;
            if (k) out += ", ";
            out += as_str(r.value);
        }
        if (one_comma && xs.size() == 1) out += ",";
        return Res::of(make_str(out + close));
    };
    switch (v.obj->okind) {
    case OKind::str: return Res::of(make_str(str_repr(as<Str>(v).s)));
    case OKind::bytes: return Res::of(make_str(bytes_repr(as<Bytes>(v).b)));
    case OKind::list: return seq(as<List>(v).items, "[", "]", false);
    case OKind::tuple: return seq(as<Tuple>(v).items, "(", ")", true);
    case OKind::set:
        if (as<Set>(v).items.empty()) return Res::of(make_str("set()"));
        return seq(as<Set>(v).items, "{", "}", false);
    case OKind::dict: {
        std::string out = "{";
        bool first = true;
        for (auto& [k, x] : as<Dict>(v).entries) {
            Res a = py_repr(k);
            if (!a.ok()) return a;
            Res b = py_repr(x);
            if (!b.ok()) return b;
            out += (first ? "" : ", ") + as_str(a.value) + ": " + as_str(b.value);
            first = false;
        }
        return Res::of(make_str(out + "}"));
    }
    case OKind::range: {
        auto& r = as<Range>(v);
        std::string s = "range(" + int_text(r.start) + ", " + int_text(r.stop);
        if (r.step != 1) s += ", " + int_text(r.step);
        return Res::of(make_str(s + ")"));
    }
    case OKind::function: return Res::of(make_str("<function " + as<Function>(v).qualname + ">"));
    case OKind::bound_method: {
        auto& bm = as<BoundMethod>(v);
        const std::string fname = is_kind(bm.func, OKind::function) ? as<Function>(bm.func).qualname : "?";
        return Res::of(make_str("<bound method " + fname + " of " + repr_of(bm.self) + ">"));
    }
    case OKind::builtin: {
        auto& b = as<Builtin>(v);
        const std::string short_name = b.name.substr(b.name.rfind('.') + 1);
        if (b.self.is_none()) return Res::of(make_str("<built-in function " + short_name + ">"));
        return Res::of(make_str("<built-in method " + short_name + " of " + type_name(b.self) + " object>"));
    }
    case OKind::cls: {
        auto& c = as<Class>(v);
        return Res::of(make_str("<class '" + (c.module == "builtins" ? c.name : c.module + "." + c.name) + "'>"));
    }
    case OKind::instance: {
        auto& inst = as<Instance>(v);
        if (const Value* f = inst.cls->lookup("__repr__"); f && is_kind(*f, OKind::function)) {
            Args a;
            return call_function(std::static_pointer_cast<Function>(f->obj), a, &v, {});
        }
        if (inst.exc) {
            auto& e = *inst.exc;
            if (e.is_group) {
                Res m = py_repr(make_str(e.group_message));
                Res l = py_repr(py::make_list(e.exceptions));
                if (!m.ok()) return m;
                if (!l.ok()) return l;
                return Res::of(make_str(inst.cls->name + "(" + as_str(m.value) + ", " + as_str(l.value) + ")"));
            }
            std::string out = inst.cls->name + "(";
            for (std::size_t k = 0; k < e.args.size(); ++k) {
                Res r = py_repr(e.args[k]);
                if (!r.ok()) return r;
                out += (k ? ", " : "") + as_str(r.value);
            }
            return Res::of(make_str(out + ")"));
        }
        return Res::of(make_str("<" + (inst.cls->module + "." + inst.cls->name) + " object>"));
    }
    case OKind::coroutine: return Res::of(make_str("<coroutine object " + as<Coroutine>(v).name + ">"));
    case OKind::future: {
        auto& f = as<FutureRef>(v);
        std::string state = m_model.done(f.id) ? (m_model.cancelled(f.id) ? "cancelled" : "finished") : "pending";
        if (f.is_task) return Res::of(make_str("<Task " + state + " name='" + f.name + "'>"));
        return Res::of(make_str("<Future " + state + ">"));
    }
    case OKind::module: return Res::of(make_str("<module '" + as<Module>(v).name + "'>"));
    case OKind::native: {
        bool handled = false;
        Res r = native_attr(v, "__repr__", {}, handled);
        if (handled) return r;
        return Res::of(make_str("<" + type_of(v)->qualified() + " object>"));
    }
    }
    return Res::of(make_str("<object>"));
}

std::string Machine::str_of(const Value& v) {
    Res r = py_str(v);
    return r.ok() ? as_str(r.value) : "<str() failed>";
}

std::string Machine::repr_of(const Value& v) {
    Res r = py_repr(v);
    return r.ok() ? as_str(r.value) : "<repr() failed>";
}

// =========================================================================================
// Format specs: [[fill]align][sign][#][0][width][,|_][.precision][type]
// =========================================================================================

namespace {
struct Spec {
    char fill = ' ';
    char align = 0;
    char sign = '-';
    bool alternate = false;
    bool zero = false;
    int width = -1;
    char grouping = 0;
    int precision = -1;
    char type = 0;
};

/// Number of code points (display columns for padding, as CPython counts).
std::size_t cp_len(const std::string& s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++n;
    return n;
}

bool parse_spec(const std::string& s, Spec& out) {
    std::size_t k = 0;
    auto is_align = [](char c) { return c == '<' || c == '>' || c == '^' || c == '='; };
    // A fill may be any code point; handle ASCII and multi-byte fills.
    if (!s.empty()) {
        std::size_t first_len = 1;
        const auto c0 = static_cast<unsigned char>(s[0]);
        if (c0 >= 0xC0) first_len = c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
        if (s.size() > first_len && is_align(s[first_len]) && first_len == 1) {
            out.fill = s[0];
            out.align = s[1];
            k = 2;
        } else if (is_align(s[0])) {
            out.align = s[0];
            k = 1;
        }
    }
    if (k < s.size() && (s[k] == '+' || s[k] == '-' || s[k] == ' ')) out.sign = s[k++];
    if (k < s.size() && s[k] == '#') {
        out.alternate = true;
        ++k;
    }
    if (k < s.size() && s[k] == '0') {
        out.zero = true;
        ++k;
    }
    if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
        out.width = 0;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) out.width = out.width * 10 + (s[k++] - '0');
    }
    if (k < s.size() && (s[k] == ',' || s[k] == '_')) out.grouping = s[k++];
    if (k < s.size() && s[k] == '.') {
        ++k;
        out.precision = 0;
        if (k >= s.size() || !std::isdigit(static_cast<unsigned char>(s[k]))) return false;
        while (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) out.precision = out.precision * 10 + (s[k++] - '0');
    }
    if (k < s.size()) out.type = s[k++];
    return k == s.size();
}

std::string group_digits(const std::string& digits, char sep) {
    std::string out;
    const std::size_t n = digits.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (k > 0 && (n - k) % 3 == 0) out += sep;
        out += digits[k];
    }
    return out;
}

std::string pad(const std::string& body, const std::string& sign_prefix, const Spec& sp, char default_align) {
    const char align = sp.align ? sp.align : (sp.zero ? '=' : default_align);
    const char fill = sp.align ? sp.fill : (sp.zero ? '0' : sp.fill);
    const std::size_t len = cp_len(body) + sign_prefix.size();
    if (sp.width < 0 || len >= static_cast<std::size_t>(sp.width)) return sign_prefix + body;
    const std::size_t n = static_cast<std::size_t>(sp.width) - len;
    switch (align) {
    case '<': return sign_prefix + body + std::string(n, fill);
    case '^': return std::string(n / 2, fill) + sign_prefix + body + std::string(n - n / 2, fill);
    case '=': return sign_prefix + std::string(n, fill) + body;
    default: return std::string(n, fill) + sign_prefix + body;
    }
}

std::string fixed(double d, int precision) {
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*f", precision, d);
    return buf;
}

std::string exp_text(double d, int precision, char type) {
    char buf[512];
    std::snprintf(buf, sizeof buf, type == 'E' ? "%.*E" : "%.*e", precision, d);
    return buf;
}

/// 'g' formatting with Python's rules (trailing zeros removed unless '#').
std::string general(double d, int precision, bool alternate, bool upper) {
    if (precision == 0) precision = 1;
    if (d == 0) return alternate ? "0." + std::string(static_cast<std::size_t>(precision - 1), '0') : "0";
    char buf[512];
    std::snprintf(buf, sizeof buf, "%.*e", precision - 1, d);
    const int exp = std::atoi(std::strchr(buf, 'e') + 1);
    std::string s;
    if (exp >= -4 && exp < precision) {
        s = fixed(d, precision - 1 - exp);
        if (!alternate && s.find('.') != std::string::npos) {
            while (s.back() == '0') s.pop_back();
            if (s.back() == '.') s.pop_back();
        }
    } else {
        std::string m(buf, std::strchr(buf, 'e'));
        if (!alternate && m.find('.') != std::string::npos) {
            while (m.back() == '0') m.pop_back();
            if (m.back() == '.') m.pop_back();
        }
        char e[16];
        std::snprintf(e, sizeof e, "%c%c%02d", upper ? 'E' : 'e', exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        s = m + e;
    }
    return s;
}
}  // namespace

Res Machine::format_value(const Value& v, const std::string& spec_text, Span span) {
    if (spec_text.empty()) return py_str(v);
    Spec sp;
    if (!parse_spec(spec_text, sp)) return raise_error("ValueError", "Invalid format specifier '" + spec_text + "' for object of type '" + type_name(v) + "'");
    if (is_str(v)) {
        if (sp.type != 0 && sp.type != 's') return raise_error("ValueError", std::string("Unknown format code '") + sp.type + "' for object of type 'str'");
        std::string s = as_str(v);
        if (sp.precision >= 0) {
            // precision cuts to that many code points
            std::size_t k = 0, n = 0;
            while (k < s.size() && n < static_cast<std::size_t>(sp.precision)) {
                ++k;
                while (k < s.size() && (static_cast<unsigned char>(s[k]) & 0xC0) == 0x80) ++k;
                ++n;
            }
            s = s.substr(0, k);
        }
        return Res::of(make_str(pad(s, "", sp, '<')));
    }
    if (v.kind == VKind::integer || v.kind == VKind::boolean || v.kind == VKind::real) {
        const bool is_int = v.kind != VKind::real;
        char type = sp.type;
        if (is_int && (type == 0 || type == 'd' || type == 'n')) {
            if (sp.precision >= 0) return raise_error("ValueError", "Precision not allowed in integer format specifier");
            const std::int64_t x = v.kind == VKind::boolean ? v.b : v.i;
            std::string digits = x < 0 ? std::to_string(x).substr(1) : std::to_string(x);
            if (sp.grouping) digits = group_digits(digits, sp.grouping);
            const std::string sign = x < 0 ? "-" : sp.sign == '+' ? "+" : sp.sign == ' ' ? " " : "";
            return Res::of(make_str(pad(digits, sign, sp, '>')));
        }
        if (is_int && (type == 'x' || type == 'X' || type == 'o' || type == 'b' || type == 'c')) {
            const std::int64_t x = v.kind == VKind::boolean ? v.b : v.i;
            if (type == 'c') return Res::of(make_str(pad(std::string(1, static_cast<char>(x)), "", sp, '<')));
            std::uint64_t u = x < 0 ? static_cast<std::uint64_t>(-x) : static_cast<std::uint64_t>(x);
            std::string digits;
            const unsigned base = type == 'o' ? 8 : type == 'b' ? 2 : 16;
            do {
                const unsigned d = static_cast<unsigned>(u % base);
                digits.insert(digits.begin(), static_cast<char>(d < 10 ? '0' + d : (type == 'X' ? 'A' : 'a') + d - 10));
                u /= base;
            } while (u);
            std::string prefix = x < 0 ? "-" : sp.sign == '+' ? "+" : "";
            if (sp.alternate) prefix += type == 'o' ? "0o" : type == 'b' ? "0b" : type == 'X' ? "0X" : "0x";
            return Res::of(make_str(pad(digits, prefix, sp, '>')));
        }
        const double d = v.as_double();
        const bool neg = std::signbit(d) && !(d == 0 && type == 0);
        const double a = std::fabs(d);
        std::string body;
        switch (type) {
        case 'f':
        case 'F': body = fixed(a, sp.precision < 0 ? 6 : sp.precision); break;
        case 'e':
        case 'E': body = exp_text(a, sp.precision < 0 ? 6 : sp.precision, type); break;
        case 'g':
        case 'G': body = general(a, sp.precision < 0 ? 6 : sp.precision, sp.alternate, type == 'G'); break;
        case '%': body = fixed(a * 100, sp.precision < 0 ? 6 : sp.precision) + "%"; break;
        case 0:
            if (sp.precision < 0) {
                body = is_int ? std::to_string(static_cast<std::int64_t>(a)) : float_repr(a);
            } else {
                body = general(a, sp.precision, sp.alternate, false);
                if (!is_int && body.find_first_of(".e") == std::string::npos && body != "inf" && body != "nan") body += ".0";
            }
            break;
        default: return raise_error("ValueError", std::string("Unknown format code '") + type + "' for object of type '" + type_name(v) + "'");
        }
        if (std::isinf(a)) body = type == 'F' || type == 'E' || type == 'G' ? "INF" : "inf";
        if (std::isnan(a)) body = "nan";
        if (sp.grouping) {
            const auto dot = body.find_first_of(".e%");
            body = group_digits(body.substr(0, dot), sp.grouping) + (dot == std::string::npos ? "" : body.substr(dot));
        }
        const std::string sign = neg ? "-" : sp.sign == '+' ? "+" : sp.sign == ' ' ? " " : "";
        return Res::of(make_str(pad(body, sign, sp, '>')));
    }
    if (v.is_none() || v.kind == VKind::object) {
        if (is_kind(v, OKind::instance)) {
            auto& inst = as<Instance>(v);
            if (const Value* f = inst.cls->lookup("__format__"); f && is_kind(*f, OKind::function)) {
                Args a;
                a.pos.push_back(make_str(spec_text));
                return call_function(std::static_pointer_cast<Function>(f->obj), a, &v, span);
            }
        }
        return raise_error("TypeError", "unsupported format string passed to " + type_name(v) + ".__format__");
    }
    return py_str(v);
}

// =========================================================================================
// Operators
// =========================================================================================

namespace {
const char* op_text(BinaryOp op) {
    switch (op) {
    case BinaryOp::add: return "+";
    case BinaryOp::sub: return "-";
    case BinaryOp::mul: return "*";
    case BinaryOp::div: return "/";
    case BinaryOp::floor_div: return "//";
    case BinaryOp::mod: return "%";
    case BinaryOp::pow: return "**";
    case BinaryOp::lt: return "<";
    case BinaryOp::le: return "<=";
    case BinaryOp::gt: return ">";
    case BinaryOp::ge: return ">=";
    default: return "?";
    }
}

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }
bool is_intlike(const Value& v) { return v.kind == VKind::integer || v.kind == VKind::boolean; }
}  // namespace

Res Machine::compare(BinaryOp op, const Value& l, const Value& r, Span span) {
    if (op == BinaryOp::eq || op == BinaryOp::ne) {
        bool too_deep = false;
        const bool eq = py_equal_bounded(l, r, std::max(1, k_repr_depth_limit - m_depth), too_deep);
        if (too_deep) return raise_error("RecursionError", "maximum recursion depth exceeded in comparison");
        return Res::of(Value::boolean(op == BinaryOp::eq ? eq : !eq));
    }
    auto result = [&](int c) {
        switch (op) {
        case BinaryOp::lt: return Value::boolean(c < 0);
        case BinaryOp::le: return Value::boolean(c <= 0);
        case BinaryOp::gt: return Value::boolean(c > 0);
        default: return Value::boolean(c >= 0);
        }
    };
    if (l.is_number() && r.is_number()) {
        if (is_intlike(l) && is_intlike(r)) {
            const auto a = int_of(l), b = int_of(r);
            return Res::of(result(a < b ? -1 : a > b ? 1 : 0));
        }
        const double a = l.as_double(), b = r.as_double();
        if (std::isnan(a) || std::isnan(b)) return Res::of(Value::boolean(false));
        return Res::of(result(a < b ? -1 : a > b ? 1 : 0));
    }
    if (is_str(l) && is_str(r)) {
        const int c = as_str(l).compare(as_str(r));
        return Res::of(result(c < 0 ? -1 : c > 0 ? 1 : 0));
    }
    const bool lseq = is_kind(l, OKind::list) || is_kind(l, OKind::tuple);
    if (lseq && l.obj->okind == (r.kind == VKind::object ? r.obj->okind : OKind::str)) {
        const auto& xs = l.obj->okind == OKind::list ? as<List>(l).items : as<Tuple>(l).items;
        const auto& ys = r.obj->okind == OKind::list ? as<List>(r).items : as<Tuple>(r).items;
        for (std::size_t k = 0; k < xs.size() && k < ys.size(); ++k) {
            if (py_equal(xs[k], ys[k])) continue;
            Res lt = compare(BinaryOp::lt, xs[k], ys[k], span);
            if (!lt.ok()) return lt;
            return Res::of(result(lt.value.b ? -1 : 1));
        }
        return Res::of(result(xs.size() < ys.size() ? -1 : xs.size() > ys.size() ? 1 : 0));
    }
    if (is_kind(l, OKind::instance)) {
        static const std::pair<BinaryOp, const char*> dunders[] = {
            {BinaryOp::lt, "__lt__"}, {BinaryOp::le, "__le__"}, {BinaryOp::gt, "__gt__"}, {BinaryOp::ge, "__ge__"}};
        for (const auto& [o, n] : dunders) {
            if (o != op) continue;
            if (const Value* f = as<Instance>(l).cls->lookup(n); f && is_kind(*f, OKind::function)) {
                Args a;
                a.pos.push_back(r);
                return call_function(std::static_pointer_cast<Function>(f->obj), a, &l, span);
            }
        }
    }
    return raise_error("TypeError", std::string("'") + op_text(op) + "' not supported between instances of '" + type_name(l) + "' and '" +
                                        type_name(r) + "'");
}

Res Machine::contains(const Value& container, const Value& item, bool& out, Span span) {
    out = false;
    if (is_kind(container, OKind::bytes)) return bytes_contains(as<Bytes>(container), item, out);
    if (is_str(container)) {
        if (!is_str(item)) return raise_error("TypeError", "'in <string>' requires string as left operand, not " + type_name(item));
        out = as_str(container).find(as_str(item)) != std::string::npos;
        return Res::of();
    }
    if (is_kind(container, OKind::dict)) {
        out = dict_find(as<Dict>(container), item) != nullptr;
        return Res::of();
    }
    if (is_kind(container, OKind::range)) {
        auto& r = as<Range>(container);
        if (!is_intlike(item)) return Res::of();
        const std::int64_t x = int_of(item);
        out = r.step > 0 ? (x >= r.start && x < r.stop && (x - r.start) % r.step == 0)
                         : (x <= r.start && x > r.stop && (r.start - x) % -r.step == 0);
        return Res::of();
    }
    if (is_kind(container, OKind::list) || is_kind(container, OKind::tuple) || is_kind(container, OKind::set)) {
        std::vector<Value> xs;
        Res it = iterate(container, xs, span);
        if (!it.ok()) return it;
        for (const auto& x : xs)
            if (py_is(x, item) || py_equal(x, item)) {
                out = true;
                break;
            }
        return Res::of();
    }
    if (is_kind(container, OKind::instance)) {
        if (const Value* f = as<Instance>(container).cls->lookup("__contains__"); f && is_kind(*f, OKind::function)) {
            Args a;
            a.pos.push_back(item);
            Res r = call_function(std::static_pointer_cast<Function>(f->obj), a, &container, span);
            if (!r.ok()) return r;
            return truthy(r.value, out);
        }
    }
    return raise_error("TypeError", "argument of type '" + type_name(container) + "' is not iterable");
}

Res Machine::arith(BinaryOp op, const Value& l, const Value& r, Span span) {
    if (is_kind(l, OKind::bytes) || is_kind(r, OKind::bytes)) return bytes_arith(op, l, r, span);
    auto unsupported = [&] {
        return raise_error("TypeError", std::string("unsupported operand type(s) for ") + op_text(op) + ": '" + type_name(l) + "' and '" +
                                            type_name(r) + "'");
    };
    auto overflow = [&] {
        return fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
                    "CPython's ints grow without limit; keep the numbers of a scenario below 2**63");
    };
    if (is_intlike(l) && is_intlike(r)) {
        const std::int64_t a = int_of(l), b = int_of(r);
        std::int64_t out = 0;
        switch (op) {
        case BinaryOp::add:
            if (__builtin_add_overflow(a, b, &out)) return overflow();
            return Res::of(Value::integer(out));
        case BinaryOp::sub:
            if (__builtin_sub_overflow(a, b, &out)) return overflow();
            return Res::of(Value::integer(out));
        case BinaryOp::mul:
            if (__builtin_mul_overflow(a, b, &out)) return overflow();
            return Res::of(Value::integer(out));
        case BinaryOp::div:
            if (b == 0) return raise_error("ZeroDivisionError", "division by zero");
            return Res::of(Value::real(static_cast<double>(a) / static_cast<double>(b)));
        case BinaryOp::floor_div: {
            if (b == 0) return raise_error("ZeroDivisionError", "integer division or modulo by zero");
            if (a == INT64_MIN && b == -1) return overflow();
            std::int64_t q = a / b;
            if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
            return Res::of(Value::integer(q));
        }
        case BinaryOp::mod: {
            if (b == 0) return raise_error("ZeroDivisionError", "integer modulo by zero");
            if (b == -1) return Res::of(Value::integer(0));
            std::int64_t m = a % b;
            if (m != 0 && ((m < 0) != (b < 0))) m += b;
            return Res::of(Value::integer(m));
        }
        case BinaryOp::pow: {
            if (b < 0) return Res::of(Value::real(std::pow(static_cast<double>(a), static_cast<double>(b))));
            std::int64_t acc = 1;
            for (std::int64_t k = 0; k < b; ++k) {
                if (__builtin_mul_overflow(acc, a, &acc)) return overflow();
                if (acc == 0 || acc == 1) break;
            }
            if (acc == 1 && a == -1 && b % 2 == 1) acc = -1;
            return Res::of(Value::integer(acc));
        }
        default: return unsupported();
        }
    }
    if (l.is_number() && r.is_number()) {
        const double a = l.as_double(), b = r.as_double();
        switch (op) {
        case BinaryOp::add: return Res::of(Value::real(a + b));
        case BinaryOp::sub: return Res::of(Value::real(a - b));
        case BinaryOp::mul: return Res::of(Value::real(a * b));
        case BinaryOp::div:
            if (b == 0) return raise_error("ZeroDivisionError", "float division by zero");
            return Res::of(Value::real(a / b));
        case BinaryOp::floor_div:
            if (b == 0) return raise_error("ZeroDivisionError", "float floor division by zero");
            return Res::of(Value::real(std::floor(a / b)));
        case BinaryOp::mod: {
            if (b == 0) return raise_error("ZeroDivisionError", "float modulo");
            double m = std::fmod(a, b);
            if (m != 0 && ((m < 0) != (b < 0))) m += b;
            return Res::of(Value::real(m));
        }
        case BinaryOp::pow: return Res::of(Value::real(std::pow(a, b)));
        default: return unsupported();
        }
    }
    if (op == BinaryOp::add) {
        if (is_str(l) && is_str(r)) {
            const std::uint64_t n = as_str(l).size() + as_str(r).size();
            if (!reserve_memory(MemoryKind::string, n, n, span)) return Res::make(Ctl::fatal);
            return Res::of(make_str(as_str(l) + as_str(r)));
        }
        if (is_kind(l, OKind::list) && is_kind(r, OKind::list)) {
            const std::uint64_t n = as<List>(l).items.size() + as<List>(r).items.size();
            if (!reserve_memory(MemoryKind::list, n, n * sizeof(Value), span)) return Res::make(Ctl::fatal);
            std::vector<Value> xs = as<List>(l).items;
            const auto& ys = as<List>(r).items;
            xs.insert(xs.end(), ys.begin(), ys.end());
            return Res::of(py::make_list(std::move(xs)));
        }
        if (is_kind(l, OKind::tuple) && is_kind(r, OKind::tuple)) {
            std::vector<Value> xs = as<Tuple>(l).items;
            const auto& ys = as<Tuple>(r).items;
            xs.insert(xs.end(), ys.begin(), ys.end());
            return Res::of(make_tuple(std::move(xs)));
        }
        if (is_str(l) || is_str(r)) {
            if (is_str(l)) return raise_error("TypeError", "can only concatenate str (not \"" + type_name(r) + "\") to str");
        }
    }
    if (op == BinaryOp::mul) {
        const Value* seq = nullptr;
        const Value* n = nullptr;
        if (is_intlike(r)) { seq = &l; n = &r; }
        else if (is_intlike(l)) { seq = &r; n = &l; }
        if (seq && n) {
            const std::int64_t times = std::max<std::int64_t>(0, int_of(*n));
            // times × size, saturating: 2**62 copies of an 8-byte string must not wrap to a small number.
            auto product = [times](std::uint64_t size) {
                const auto t = static_cast<std::uint64_t>(times);
                return size != 0 && t > UINT64_MAX / size ? UINT64_MAX : t * size;
            };
            if (is_str(*seq)) {
                const std::uint64_t total = product(std::max<std::size_t>(as_str(*seq).size(), 1));
                if (!count_work(total, span, "this string is too long to make in one step") ||
                    !reserve_memory(MemoryKind::string, product(as_str(*seq).size()), product(as_str(*seq).size()), span))
                    return Res::make(Ctl::fatal);
                std::string out;
                out.reserve(static_cast<std::size_t>(static_cast<std::uint64_t>(times) * as_str(*seq).size()));
                for (std::int64_t k = 0; k < times; ++k) out += as_str(*seq);
                return Res::of(make_str(std::move(out)));
            }
            if (is_kind(*seq, OKind::list) || is_kind(*seq, OKind::tuple)) {
                const auto& xs = is_kind(*seq, OKind::list) ? as<List>(*seq).items : as<Tuple>(*seq).items;
                const std::uint64_t total = product(std::max<std::size_t>(xs.size(), 1));
                const MemoryKind kind = is_kind(*seq, OKind::list) ? MemoryKind::list : MemoryKind::tuple;
                if (!count_work(total, span, "this list is too long to make in one step") ||
                    !reserve_memory(kind, product(xs.size()), product(xs.size() * sizeof(Value)), span))
                    return Res::make(Ctl::fatal);
                std::vector<Value> out;
                out.reserve(static_cast<std::size_t>(product(xs.size())));
                for (std::int64_t k = 0; k < times; ++k) out.insert(out.end(), xs.begin(), xs.end());
                return Res::of(is_kind(*seq, OKind::list) ? py::make_list(std::move(out)) : make_tuple(std::move(out)));
            }
        }
    }
    if (op == BinaryOp::mod && is_str(l)) {
        // printf-style formatting: %s %d %r %f %i %%.
        std::vector<Value> vals;
        if (is_kind(r, OKind::tuple)) vals = as<Tuple>(r).items;
        else vals.push_back(r);
        const std::string& f = as_str(l);
        std::string out;
        std::size_t vi = 0;
        for (std::size_t k = 0; k < f.size(); ++k) {
            if (f[k] != '%' || k + 1 >= f.size()) {
                out += f[k];
                continue;
            }
            std::size_t j = k + 1;
            std::string spec;
            while (j < f.size() && std::string("0123456789.-+ #").find(f[j]) != std::string::npos) spec += f[j++];
            if (j >= f.size()) break;
            const char t = f[j];
            k = j;
            if (t == '%') {
                out += '%';
                continue;
            }
            if (vi >= vals.size()) return raise_error("TypeError", "not enough arguments for format string");
            const Value& x = vals[vi++];
            Res s;
            if (t == 's') s = py_str(x);
            else if (t == 'r' || t == 'a') s = py_repr(x);
            else if (t == 'd' || t == 'i') {
                if (!x.is_number()) return raise_error("TypeError", "%d format: a real number is required, not " + type_name(x));
                s = format_value(Value::integer(x.kind == VKind::real ? static_cast<std::int64_t>(x.d) : int_of(x)), spec, span);
            } else if (t == 'f' || t == 'e' || t == 'g' || t == 'x') {
                s = format_value(x, spec + t, span);
            } else {
                return raise_error("ValueError", std::string("unsupported format character '") + t + "'");
            }
            if (!s.ok()) return s;
            std::string piece = as_str(s.value);
            if ((t == 's' || t == 'r') && !spec.empty()) {
                Res p = format_value(make_str(piece), (spec[0] == '-' ? "<" + spec.substr(1) : ">" + spec), span);
                if (!p.ok()) return p;
                piece = as_str(p.value);
            }
            out += piece;
        }
        if (vi < vals.size()) return raise_error("TypeError", "not all arguments converted during string formatting");
        return Res::of(make_str(std::move(out)));
    }
    if (is_kind(l, OKind::instance)) {
        static const std::pair<BinaryOp, const char*> dunders[] = {{BinaryOp::add, "__add__"}, {BinaryOp::sub, "__sub__"},
                                                                   {BinaryOp::mul, "__mul__"}, {BinaryOp::div, "__truediv__"},
                                                                   {BinaryOp::mod, "__mod__"}};
        for (const auto& [o, n] : dunders) {
            if (o != op) continue;
            if (const Value* f = as<Instance>(l).cls->lookup(n); f && is_kind(*f, OKind::function)) {
                Args a;
                a.pos.push_back(r);
                return call_function(std::static_pointer_cast<Function>(f->obj), a, &l, span);
            }
        }
    }
    return unsupported();
}

}  // namespace tasklab::py
