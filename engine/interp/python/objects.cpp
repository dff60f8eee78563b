// Python objects: the built-in classes and the exception hierarchy (the method resolution
// order, isinstance), exceptions as values and as the asyncio model's exceptions. Attribute
// access is in attributes.cpp, truthiness, str(), repr() and format specs in text.cpp,
// comparison, arithmetic and membership in operators.cpp.
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


}  // namespace

// =========================================================================================
// Built-in classes
// =========================================================================================

namespace {

/// One built-in class: its name, its bases (by the key m_classes keeps them under), what it
/// is, and its module.
struct ClassSpec {
    const char* name;
    std::vector<const char*> bases;
    BuiltinType type;
    const char* module;
};

/// The types of `builtins`.
const ClassSpec k_core_classes[] = {
    {"object", {}, BuiltinType::object, "builtins"},
    {"type", {"object"}, BuiltinType::type, "builtins"},
    {"int", {"object"}, BuiltinType::int_, "builtins"},
    {"bool", {"int"}, BuiltinType::bool_, "builtins"},
    {"float", {"object"}, BuiltinType::float_, "builtins"},
    {"str", {"object"}, BuiltinType::str, "builtins"},
    {"bytes", {"object"}, BuiltinType::native, "builtins"},
    {"list", {"object"}, BuiltinType::list, "builtins"},
    {"tuple", {"object"}, BuiltinType::tuple, "builtins"},
    {"dict", {"object"}, BuiltinType::dict, "builtins"},
    {"set", {"object"}, BuiltinType::set, "builtins"},
    {"range", {"object"}, BuiltinType::range, "builtins"},
    {"NoneType", {"object"}, BuiltinType::NoneType, "builtins"},
    {"function", {"object"}, BuiltinType::function, "builtins"},
    {"builtin_function_or_method", {"object"}, BuiltinType::function, "builtins"},
    {"method", {"object"}, BuiltinType::function, "builtins"},
    {"coroutine", {"object"}, BuiltinType::coroutine, "builtins"},
    {"module", {"object"}, BuiltinType::module, "builtins"},
};

/// The exception hierarchy up to OSError (IOError is its other name).
const ClassSpec k_exceptions_to_os_error[] = {
    {"BaseException", {"object"}, BuiltinType::exception, "builtins"},
    {"SystemExit", {"BaseException"}, BuiltinType::exception, "builtins"},
    {"KeyboardInterrupt", {"BaseException"}, BuiltinType::exception, "builtins"},
    {"GeneratorExit", {"BaseException"}, BuiltinType::exception, "builtins"},
    {"Exception", {"BaseException"}, BuiltinType::exception, "builtins"},
    {"BaseExceptionGroup", {"BaseException"}, BuiltinType::exception, "builtins"},
    {"ExceptionGroup", {"BaseExceptionGroup", "Exception"}, BuiltinType::exception, "builtins"},
    {"ArithmeticError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"ZeroDivisionError", {"ArithmeticError"}, BuiltinType::exception, "builtins"},
    {"OverflowError", {"ArithmeticError"}, BuiltinType::exception, "builtins"},
    {"AssertionError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"AttributeError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"LookupError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"IndexError", {"LookupError"}, BuiltinType::exception, "builtins"},
    {"KeyError", {"LookupError"}, BuiltinType::exception, "builtins"},
    {"NameError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"ImportError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"ModuleNotFoundError", {"ImportError"}, BuiltinType::exception, "builtins"},
    {"UnboundLocalError", {"NameError"}, BuiltinType::exception, "builtins"},
    {"OSError", {"Exception"}, BuiltinType::exception, "builtins"},
};

/// The rest of the exceptions, asyncio's and websockets' included.
const ClassSpec k_more_exceptions[] = {
    {"ConnectionError", {"OSError"}, BuiltinType::exception, "builtins"},
    {"ConnectionRefusedError", {"ConnectionError"}, BuiltinType::exception, "builtins"},
    {"ConnectionResetError", {"ConnectionError"}, BuiltinType::exception, "builtins"},
    {"ConnectionAbortedError", {"ConnectionError"}, BuiltinType::exception, "builtins"},
    {"BrokenPipeError", {"ConnectionError"}, BuiltinType::exception, "builtins"},
    {"TimeoutError", {"OSError"}, BuiltinType::exception, "builtins"},
    {"RuntimeError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"NotImplementedError", {"RuntimeError"}, BuiltinType::exception, "builtins"},
    {"RecursionError", {"RuntimeError"}, BuiltinType::exception, "builtins"},
    {"StopIteration", {"Exception"}, BuiltinType::exception, "builtins"},
    {"StopAsyncIteration", {"Exception"}, BuiltinType::exception, "builtins"},
    {"TypeError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"ValueError", {"Exception"}, BuiltinType::exception, "builtins"},
    {"UnicodeError", {"ValueError"}, BuiltinType::exception, "builtins"},
    {"UnicodeDecodeError", {"UnicodeError"}, BuiltinType::exception, "builtins"},
    {"UnicodeEncodeError", {"UnicodeError"}, BuiltinType::exception, "builtins"},
    {"CancelledError", {"BaseException"}, BuiltinType::exception, "asyncio.exceptions"},
    {"InvalidStateError", {"Exception"}, BuiltinType::exception, "asyncio.exceptions"},
    {"QueueEmpty", {"Exception"}, BuiltinType::exception, "asyncio.queues"},
    {"QueueFull", {"Exception"}, BuiltinType::exception, "asyncio.queues"},
    {"BrokenBarrierError", {"RuntimeError"}, BuiltinType::exception, "asyncio.exceptions"},
    {"WebSocketException", {"Exception"}, BuiltinType::exception, "websockets.exceptions"},
    {"ConnectionClosed", {"websockets.exceptions.WebSocketException"}, BuiltinType::exception, "websockets.exceptions"},
    {"ConnectionClosedOK", {"websockets.exceptions.ConnectionClosed"}, BuiltinType::exception, "websockets.exceptions"},
    {"ConnectionClosedError", {"websockets.exceptions.ConnectionClosed"}, BuiltinType::exception, "websockets.exceptions"},
    {"InvalidURI", {"websockets.exceptions.WebSocketException"}, BuiltinType::exception, "websockets.exceptions"},
    {"InvalidHandshake", {"websockets.exceptions.WebSocketException"}, BuiltinType::exception, "websockets.exceptions"},
};

/// Classes of built-in objects (for type(x).__name__ and isinstance).
const ClassSpec k_object_classes[] = {
    {"Future", {"object"}, BuiltinType::future, "asyncio"},
    {"Task", {"asyncio.Future"}, BuiltinType::task, "asyncio"},
    {"TaskGroup", {"object"}, BuiltinType::native, "asyncio"},
    {"Timeout", {"object"}, BuiltinType::native, "asyncio"},
    {"Event", {"object"}, BuiltinType::native, "asyncio"},
    {"Queue", {"object"}, BuiltinType::native, "asyncio"},
    {"PriorityQueue", {"asyncio.Queue"}, BuiltinType::native, "asyncio"},
    {"LifoQueue", {"asyncio.Queue"}, BuiltinType::native, "asyncio"},
    {"Lock", {"object"}, BuiltinType::native, "asyncio"},
    {"Semaphore", {"object"}, BuiltinType::native, "asyncio"},
    {"BoundedSemaphore", {"asyncio.Semaphore"}, BuiltinType::native, "asyncio"},
    {"Condition", {"object"}, BuiltinType::native, "asyncio"},
    {"Barrier", {"object"}, BuiltinType::native, "asyncio"},
    {"Runner", {"object"}, BuiltinType::native, "asyncio"},
    {"_UnixSelectorEventLoop", {"object"}, BuiltinType::native, "asyncio"},
    {"Handle", {"object"}, BuiltinType::native, "asyncio"},
    {"Logger", {"object"}, BuiltinType::native, "logging"},
    {"TextIOWrapper", {"object"}, BuiltinType::native, "io"},
    {"Signals", {"int"}, BuiltinType::native, "signal"},
    {"super", {"object"}, BuiltinType::native, "builtins"},
    {"Serve", {"object"}, BuiltinType::native, "websockets"},
    {"WebSocketServer", {"object"}, BuiltinType::native, "websockets"},
    {"Connect", {"object"}, BuiltinType::native, "websockets"},
    {"WebSocketServerProtocol", {"object"}, BuiltinType::native, "websockets"},
    {"WebSocketClientProtocol", {"object"}, BuiltinType::native, "websockets"},
    {"Close", {"object"}, BuiltinType::native, "websockets"},
    {"map", {"object"}, BuiltinType::native, "builtins"},
    {"generator", {"object"}, BuiltinType::native, "builtins"},
    {"async_generator", {"object"}, BuiltinType::native, "builtins"},
    {"list_iterator", {"object"}, BuiltinType::native, "builtins"},
};

}  // namespace

void Machine::make_builtin_classes() {
    auto make = [&](const ClassSpec& spec) {
        const std::string name = spec.name, module = spec.module;
        auto c = std::make_shared<Class>();
        c->name = name;
        c->module = module;
        c->builtin = spec.type;
        for (const char* b : spec.bases) c->bases.push_back(m_classes.at(b));
        c->mro = linearize(c.get());
        for (const Class* m : c->mro)
            if (m->name == "BaseException" && m->module == "builtins") c->is_exception = true;
        const std::string key = module == "builtins" ? name : module + "." + name;
        m_classes[key] = c;
        if (module == "builtins") m_builtins.set(name, Value::of(c));
    };
    for (const ClassSpec& spec : k_core_classes) make(spec);
    for (const ClassSpec& spec : k_exceptions_to_os_error) make(spec);
    m_builtins.set("IOError", Value::of(m_classes.at("OSError")));
    for (const ClassSpec& spec : k_more_exceptions) make(spec);
    for (const ClassSpec& spec : k_object_classes) make(spec);
    for (const char* hidden : {"generator", "async_generator", "list_iterator"}) m_builtins.erase(hidden);  // types, not names
    for (const char* n : {"_GeneratorContextManager", "_AsyncGeneratorContextManager", "suppress", "ExitStack", "AsyncExitStack",
                          "closing", "aclosing", "nullcontext"})
        make(ClassSpec{n, {"object"}, BuiltinType::native, "contextlib"});
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

}  // namespace tasklab::py
