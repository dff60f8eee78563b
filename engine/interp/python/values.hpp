// Runtime values of the Python (asyncio) interpreter.
//
// A Value is None, a bool, an int (64-bit: tasklab stops with a clear error on overflow
// instead of growing), a float, or a reference to a heap object. Objects are shared
// (Python's reference semantics: a list passed to a function is the same list), so nothing
// here copies on write. Every object has a Python class: the built-in classes (int, str,
// list, the exception hierarchy from BaseException down, asyncio's and websockets' classes)
// are Class objects made once per run, so `isinstance`, `type(x).__name__` and `except`
// work the same way for built-in and user classes.
//
// Exceptions are ordinary instances of exception classes; they also implement
// asyncio::Exception so the asyncio model can hold them without knowing the interpreter.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/cancel/asyncio.hpp"
#include "engine/interp/flow.hpp"
#include "engine/memory_meter.hpp"

namespace tasklab::ast {
struct FuncDecl;
struct Closure;
}  // namespace tasklab::ast

namespace tasklab::py {

using interp::Flow;

struct Obj;
using ObjPtr = std::shared_ptr<Obj>;
struct Env;
using EnvPtr = std::shared_ptr<Env>;
struct Class;
using ClassPtr = std::shared_ptr<Class>;

enum class VKind : std::uint8_t { none, boolean, integer, real, object };

struct Value {
    VKind kind = VKind::none;
    union {
        bool b;
        std::int64_t i = 0;
        double d;
    };
    ObjPtr obj;

    Value() = default;
    static Value none() { return {}; }
    static Value boolean(bool x) { Value v; v.kind = VKind::boolean; v.b = x; return v; }
    static Value integer(std::int64_t x) { Value v; v.kind = VKind::integer; v.i = x; return v; }
    static Value real(double x) { Value v; v.kind = VKind::real; v.d = x; return v; }
    static Value of(ObjPtr o) { Value v; v.kind = VKind::object; v.obj = std::move(o); return v; }

    [[nodiscard]] bool is_none() const { return kind == VKind::none; }
    [[nodiscard]] bool is_number() const { return kind == VKind::integer || kind == VKind::real || kind == VKind::boolean; }
    [[nodiscard]] double as_double() const {
        return kind == VKind::real ? d : kind == VKind::boolean ? (b ? 1.0 : 0.0) : static_cast<double>(i);
    }
};

/// What kind of heap object a Value refers to.
enum class OKind : std::uint8_t {
    str,
    bytes,         ///< `b"…"`, str.encode()
    list, tuple, dict, set, range,
    function,      ///< a `def`, `async def` or `lambda`
    bound_method,  ///< a function bound to its `self`
    builtin,       ///< a built-in function or a method of a built-in object
    cls,           ///< a class
    instance,      ///< an instance of a user class or of an exception class
    coroutine,     ///< what calling an `async def` (or asyncio.sleep, …) returns
    future,        ///< an asyncio Future or Task
    module,        ///< asyncio, websockets, logging, …
    native,        ///< another built-in object (a TaskGroup, a logger, a websocket, …)
};

struct Obj {
    OKind okind;
    explicit Obj(OKind k) : okind(k) {}
    Obj(const Obj&) = delete;
    Obj& operator=(const Obj&) = delete;
    virtual ~Obj() = default;
};

// Strings and containers count toward the run's memory budget (engine/memory_meter.hpp):
// each charges its size when made, and recharge() after it grew in place (Machine::grew).

struct Str : Obj {
    std::string s;
    MemoryCharge charge;
    explicit Str(std::string x) : Obj(OKind::str), s(std::move(x)) { recharge(); }
    void recharge() { charge.set(MemoryKind::string, container_bytes(sizeof(Str), s.capacity() > 15 ? s.capacity() : 0, 1), s.size()); }
};

/// Python bytes: immutable, each element an int 0…255.
struct Bytes : Obj {
    std::string b;
    MemoryCharge charge;
    explicit Bytes(std::string x) : Obj(OKind::bytes), b(std::move(x)) { recharge(); }
    void recharge() { charge.set(MemoryKind::string, container_bytes(sizeof(Bytes), b.capacity() > 15 ? b.capacity() : 0, 1), b.size()); }
};

struct List : Obj {
    std::vector<Value> items;
    MemoryCharge charge;
    List() : Obj(OKind::list) { recharge(); }
    ~List() override;  ///< frees nested values without recursion (release.hpp)
    void recharge() { charge.set(MemoryKind::list, container_bytes(sizeof(List), items.capacity(), sizeof(Value)), items.size()); }
};

struct Tuple : Obj {
    std::vector<Value> items;
    MemoryCharge charge;
    Tuple() : Obj(OKind::tuple) { recharge(); }
    ~Tuple() override;
    void recharge() { charge.set(MemoryKind::tuple, container_bytes(sizeof(Tuple), items.capacity(), sizeof(Value)), items.size()); }
};

/// Insertion-ordered, as Python's dict.
struct Dict : Obj {
    std::vector<std::pair<Value, Value>> entries;
    MemoryCharge charge;
    Dict() : Obj(OKind::dict) { recharge(); }
    ~Dict() override;
    void recharge() {
        charge.set(MemoryKind::dict, container_bytes(sizeof(Dict), entries.capacity(), sizeof(std::pair<Value, Value>)), entries.size());
    }
};

/// A set kept in insertion order (CPython's order follows hashes; tasklab documents its rule).
struct Set : Obj {
    std::vector<Value> items;
    MemoryCharge charge;
    Set() : Obj(OKind::set) { recharge(); }
    ~Set() override;
    void recharge() { charge.set(MemoryKind::set, container_bytes(sizeof(Set), items.capacity(), sizeof(Value)), items.size()); }
};

/// Charges the object behind `v` (a str, list, tuple, dict or set) for its size now.
void recharge(const Value& v);

struct Range : Obj {
    std::int64_t start = 0, stop = 0, step = 1;
    Range() : Obj(OKind::range) {}
    [[nodiscard]] std::int64_t size() const {
        if (step > 0) return stop > start ? (stop - start + step - 1) / step : 0;
        return start > stop ? (start - stop - step - 1) / -step : 0;
    }
};

/// Ordered attribute storage for classes and instances.
struct Attrs {
    std::vector<std::pair<std::string, Value>> items;
    Value* find(std::string_view name) {
        for (auto& [k, v] : items)
            if (k == name) return &v;
        return nullptr;
    }
    [[nodiscard]] const Value* find(std::string_view name) const {
        for (const auto& [k, v] : items)
            if (k == name) return &v;
        return nullptr;
    }
    void set(std::string name, Value v) {
        if (Value* slot = find(name)) *slot = std::move(v);
        else items.emplace_back(std::move(name), std::move(v));
    }
    bool erase(std::string_view name) {
        for (auto it = items.begin(); it != items.end(); ++it)
            if (it->first == name) {
                items.erase(it);
                return true;
            }
        return false;
    }
};

struct Function : Obj {
    const ast::FuncDecl* decl = nullptr;  ///< a def / async def
    const ast::Closure* lambda = nullptr; ///< or a lambda
    EnvPtr env;                           ///< the scope it was defined in (closures)
    std::vector<Value> defaults;          ///< one per parameter (none when it has no default)
    std::vector<bool> has_default;
    std::string name;
    std::string qualname;
    bool is_async = false;
    std::weak_ptr<Class> owner;           ///< the class whose body defined it (for super())
    bool is_static = false;               ///< @staticmethod
    bool is_classmethod = false;          ///< @classmethod
    bool is_property = false;             ///< @property
    Function() : Obj(OKind::function) {}
};

struct BoundMethod : Obj {
    Value func;
    Value self;
    BoundMethod() : Obj(OKind::bound_method) {}
};

/// A built-in function, or a method bound to a built-in receiver ("list.append" on a list).
struct Builtin : Obj {
    std::string name;
    Value self;
    Builtin() : Obj(OKind::builtin) {}
};

/// The built-in classes the interpreter treats specially.
enum class BuiltinType : std::uint8_t {
    none_, object, type, int_, float_, str, bool_, list, tuple, dict, set, range, function, NoneType,
    exception,  ///< BaseException and every built-in or user exception class
    coroutine, future, task, module, native,
};

struct Class : Obj {
    std::string name;
    std::string module = "builtins";  ///< "__main__" for scenario classes; "asyncio.exceptions", …
    std::vector<ClassPtr> bases;
    std::vector<Class*> mro;          ///< this class first
    Attrs attrs;
    BuiltinType builtin = BuiltinType::none_;
    bool is_exception = false;        ///< derives from BaseException
    Class() : Obj(OKind::cls) {}
    [[nodiscard]] bool is_subclass_of(const Class* other) const {
        for (const Class* c : mro)
            if (c == other) return true;
        return false;
    }
    /// Looks a name up along the MRO.
    [[nodiscard]] const Value* lookup(std::string_view n) const {
        for (const Class* c : mro)
            if (const Value* v = c->attrs.find(n)) return v;
        return nullptr;
    }
    [[nodiscard]] std::string qualified() const { return module == "builtins" || module == "__main__" ? name : module + "." + name; }
};

/// State of an exception instance.
struct ExcData {
    std::vector<Value> args;
    Value cause;             ///< __cause__
    Value context;           ///< __context__
    bool suppress_context = false;
    // BaseExceptionGroup
    std::string group_message;
    std::vector<Value> exceptions;
    bool is_group = false;
};

struct Instance : Obj, asyncio::Exception {
    ClassPtr cls;
    Attrs attrs;
    std::unique_ptr<ExcData> exc;  ///< set for exception instances
    /// A built-in payload some classes carry (a websocket's exception details, …).
    ObjPtr payload;
    MemoryCharge charge;
    Instance() : Obj(OKind::instance) { recharge(); }
    ~Instance() override;
    void recharge() {
        charge.set(MemoryKind::object, container_bytes(sizeof(Instance), attrs.items.capacity(), sizeof(std::pair<std::string, Value>)),
                   attrs.items.size());
    }
    [[nodiscard]] asyncio::ExcClass exc_class() const override;
    [[nodiscard]] std::string describe() const override;
};

/// How evaluating a statement or expression ended.
enum class Ctl : std::uint8_t {
    normal,
    return_,
    break_,
    continue_,
    raise,  ///< a Python exception: `value` is the exception instance
    fatal,  ///< a runtime error tasklab reports (the Diagnostic is kept by the machine)
};

struct Res {
    Ctl ctl = Ctl::normal;
    Value value;
    static Res of(Value v = Value::none()) { Res r; r.value = std::move(v); return r; }
    static Res raised(Value e) { Res r; r.ctl = Ctl::raise; r.value = std::move(e); return r; }
    static Res make(Ctl c, Value v = {}) { Res r; r.ctl = c; r.value = std::move(v); return r; }
    [[nodiscard]] bool ok() const { return ctl == Ctl::normal; }
};

struct Coroutine : Obj {
    Value func;                 ///< the async function (a Python coroutine)
    EnvPtr env;                 ///< its frame, arguments bound at call time
    std::string name;           ///< __qualname__ (repr, lane names)
    std::string label;          ///< source text of the call that made it (lane names)
    /// A built-in coroutine (asyncio.sleep, websockets' recv, …): its body.
    std::function<interp::Flow<Res>()> native;
    bool started = false;
    Coroutine() : Obj(OKind::coroutine) {}
};

/// An asyncio Future or Task.
struct FutureRef : Obj {
    asyncio::FutureId id = 0;
    bool is_task = false;
    std::string name;           ///< Task.get_name(): "Task-3" or name=
    Value coro;
    Attrs attrs;                ///< attributes the program set on it (`task.tag = …`)
    FutureRef() : Obj(OKind::future) {}
};

struct Module : Obj {
    std::string name;
    Attrs attrs;
    Module() : Obj(OKind::module) {}
};

/// Other built-in objects: each kind says what it is; the interpreter keeps its state.
struct Native : Obj {
    ClassPtr cls;
    Attrs attrs;  ///< attributes the program set on it (`loop.slow_callback_duration = 0.5`)
    Native() : Obj(OKind::native) {}
};

// ---- helpers ----

Value make_str(std::string s);
Value make_list(std::vector<Value> items);
Value make_tuple(std::vector<Value> items);
Value make_dict();
[[nodiscard]] bool is_str(const Value& v);
[[nodiscard]] const std::string& as_str(const Value& v);
[[nodiscard]] bool is_kind(const Value& v, OKind k);
template <class T>
T& as(const Value& v) { return static_cast<T&>(*v.obj); }

/// Python `==`.
bool py_equal(const Value& a, const Value& b);
/// py_equal for `==`: false with `too_deep` set when the comparison nests containers deeper
/// than `max_depth` (a list that contains itself: CPython's RecursionError "in comparison").
bool py_equal_bounded(const Value& a, const Value& b, int max_depth, bool& too_deep);
/// `is`.
bool py_is(const Value& a, const Value& b);
/// Dict lookup by `==` (linear: scenario dicts are small).
Value* dict_find(Dict& d, const Value& key);
void dict_set(Dict& d, Value key, Value value);

/// repr() of a float as CPython writes it (shortest text that reads back the same).
std::string float_repr(double d);
/// repr() of a str with CPython's choice of quotes and escapes.
std::string str_repr(const std::string& s);
/// repr() of bytes as CPython writes it: b'…', \x escapes for bytes outside printable ASCII.
std::string bytes_repr(const std::string& b);
Value make_bytes(std::string b);

}  // namespace tasklab::py
