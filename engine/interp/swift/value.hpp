// Runtime values of the Swift/GCD interpreter.
//
// A Value is a small tagged record: a kind, an Optional wrapping depth, an inline scalar
// (Bool, Int, Double, or an id: TaskId, ItemId, ticks) and one shared reference to a heap
// object for everything larger. Swift's value types (String, Array, Dictionary, tuples,
// structs) keep value semantics by copy-on-write: a mutation through an lvalue first makes
// its object unique (see make_unique_ref). Class instances are shared and mutated in place.
//
// Optionals are not a separate kind: `opt` counts how many times a value was wrapped, so
// `Optional(5)` prints as Swift prints it while `if let`, `!`, `??` and optional chaining
// simply strip one level. `nil` is the kind `nil` at any depth.
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/memory_meter.hpp"
#include "engine/race_mark.hpp"
#include "engine/trace.hpp"

namespace tasklab::ast {
struct Expr;
struct FuncDecl;
struct Closure;
struct TypeDecl;
}  // namespace tasklab::ast

namespace tasklab::interp {

struct Env;
using EnvPtr = std::shared_ptr<Env>;

enum class Kind : std::uint8_t {
    nil,
    void_,               ///< `()`: what a function without a result returns
    boolean,
    integer,
    real,
    string,
    array,
    dict,
    tuple,
    range,
    function,            ///< a `func` (possibly a method bound to `self`)
    closure,             ///< a closure expression with its captured environment
    builtin,             ///< a built-in function or a method bound to a receiver
    type,                ///< a type used as a value (`Point`, `UIImage.self`, `Task`)
    instance,            ///< a struct or class instance
    enum_case,           ///< a case of a user enum (`E.a`)
    symbol,              ///< an implicit member not yet tied to a type (`.cancelled`, `.concurrent`)
    cancellation_error,  ///< CancellationError()
    url_error,           ///< URLError(.code)
    data,                ///< Data: `i` is its byte count
    url,                 ///< URL
    url_response,        ///< the URLResponse half of URLSession.data's result
    url_session,         ///< URLSession.shared
    duration,            ///< Duration / DispatchTimeInterval: `i` in ticks
    dispatch_time,       ///< DispatchTime: `i` is an absolute tick
    task,                ///< Task handle: `i` is the TaskId
    group,               ///< a task group inside its with…TaskGroup body
    queue,               ///< a DispatchQueue
    work_item,           ///< DispatchWorkItem: `i` is the ItemId
    dispatch_group,      ///< DispatchGroup: `i` is the gcd::GroupId
    semaphore,           ///< DispatchSemaphore: `i` is the gcd::SemaphoreId
    async_let,           ///< an `async let` binding not read yet
    continuation,        ///< CheckedContinuation / UnsafeContinuation (bridges.hpp)
    stream,              ///< AsyncStream / AsyncThrowingStream, also its iterator (bridges.hpp)
    stream_continuation, ///< the continuation an AsyncStream's producer yields to (bridges.hpp)
    mutex,               ///< Mutex (Synchronization) or NSLock (bridges.hpp)
    result,              ///< Result: `i` 0 for .success, 1 for .failure (bridges.hpp)
};

/// The Swift type of an integer Value. Every integer is `Int` unless a declared type, a
/// conversion (`UInt8(x)`) or a sized type's member (`UInt64.max`) made it another; values of
/// one sized type keep that type through arithmetic and trap when they leave its range
/// (engine/interp/swift/integers.hpp holds the rules).
enum class IntType : std::uint8_t { int_, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64 };

/// Base of every heap object a Value refers to.
struct Obj {
    virtual ~Obj() = default;
};
using ObjPtr = std::shared_ptr<Obj>;

struct Value {
    Kind kind = Kind::nil;
    std::uint8_t opt = 0;  ///< Optional wrapping depth (0: not an Optional)
    IntType itype = IntType::int_;  ///< integers: the Swift type; `i` is the value (UInt and UInt64: its bit pattern)
    union {
        bool b;
        std::int64_t i = 0;
        double d;
    };
    ObjPtr ref;

    Value() = default;

    static Value nil() { return {}; }
    static Value void_value() { Value v; v.kind = Kind::void_; return v; }
    static Value boolean(bool x) { Value v; v.kind = Kind::boolean; v.b = x; return v; }
    static Value integer(std::int64_t x) { Value v; v.kind = Kind::integer; v.i = x; return v; }
    /// An integer of a sized type; `x` must be in the type's range (UInt and UInt64: the bit pattern).
    static Value integer(IntType t, std::int64_t x) { Value v = integer(x); v.itype = t; return v; }
    static Value real(double x) { Value v; v.kind = Kind::real; v.d = x; return v; }
    static Value string(std::string s);
    static Value symbol(std::string name);
    static Value array(std::vector<Value> items);
    static Value tuple(std::vector<Value> items, std::vector<std::string> labels = {});
    static Value range(std::int64_t lo, std::int64_t hi, bool closed);
    static Value real_range(double lo, double hi, bool closed);
    static Value scalar(Kind k, std::int64_t x) { Value v; v.kind = k; v.i = x; return v; }
    static Value with_ref(Kind k, ObjPtr r, std::int64_t x = 0) { Value v; v.kind = k; v.i = x; v.ref = std::move(r); return v; }

    [[nodiscard]] bool is_nil() const { return kind == Kind::nil; }
    [[nodiscard]] bool is_number() const { return kind == Kind::integer || kind == Kind::real; }
    /// The same value one Optional level deeper (nil stays nil).
    [[nodiscard]] Value wrapped() const { Value v = *this; if (v.kind != Kind::nil && v.opt < 255) ++v.opt; return v; }
    /// The value with every Optional level removed.
    [[nodiscard]] Value unwrapped() const { Value v = *this; v.opt = 0; return v; }
    /// True for a `UInt` or `UInt64` integer, whose `i` holds the bit pattern of an unsigned value.
    [[nodiscard]] bool is_unsigned_64() const { return kind == Kind::integer && (itype == IntType::uint || itype == IntType::uint64); }
    [[nodiscard]] double as_double() const {
        if (kind == Kind::real) return d;
        return is_unsigned_64() ? static_cast<double>(static_cast<std::uint64_t>(i)) : static_cast<double>(i);
    }
};

// ---- heap objects ----

// The containers and strings count toward the run's memory budget (engine/memory_meter.hpp):
// each charges its size when made or copied, and recharge() after it grew in place.

struct StrObj : Obj {
    std::string s;
    MemoryCharge charge;
    explicit StrObj(std::string x) : s(std::move(x)) { recharge(); }
    StrObj(const StrObj& o) : Obj(o), s(o.s) { recharge(); }
    StrObj& operator=(const StrObj&) = delete;
    void recharge() { charge.set(MemoryKind::string, container_bytes(sizeof(StrObj), s.capacity() > 15 ? s.capacity() : 0, 1), s.size()); }
};

struct ArrayObj : Obj {
    std::vector<Value> items;
    MemoryCharge charge;
    ArrayObj() { recharge(); }
    ArrayObj(const ArrayObj& o) : Obj(o), items(o.items) { recharge(); }
    ArrayObj& operator=(const ArrayObj&) = delete;
    ~ArrayObj() override;  ///< frees nested values without recursion (release.hpp)
    void recharge() { charge.set(MemoryKind::array, container_bytes(sizeof(ArrayObj), items.capacity(), sizeof(Value)), items.size()); }
};

/// Insertion-ordered: Swift's own Dictionary order is unspecified; tasklab keeps the order
/// entries were first inserted so every run prints the same text (docs/semantics.md).
struct DictObj : Obj {
    std::vector<std::pair<Value, Value>> entries;
    MemoryCharge charge;
    DictObj() { recharge(); }
    DictObj(const DictObj& o) : Obj(o), entries(o.entries) { recharge(); }
    DictObj& operator=(const DictObj&) = delete;
    ~DictObj() override;
    void recharge() {
        charge.set(MemoryKind::dict, container_bytes(sizeof(DictObj), entries.capacity(), sizeof(std::pair<Value, Value>)), entries.size());
    }
};

struct TupleObj : Obj {
    std::vector<Value> items;
    std::vector<std::string> labels;  ///< "" when unlabelled; empty vector: none labelled
    MemoryCharge charge;
    TupleObj() { recharge(); }
    TupleObj(const TupleObj& o) : Obj(o), items(o.items), labels(o.labels) { recharge(); }
    TupleObj& operator=(const TupleObj&) = delete;
    ~TupleObj() override;
    void recharge() { charge.set(MemoryKind::tuple, container_bytes(sizeof(TupleObj), items.capacity(), sizeof(Value)), items.size()); }
};

struct RangeObj : Obj {
    std::int64_t lo = 0;
    std::int64_t hi = 0;
    bool closed = true;
    bool real = false;  ///< a range of Doubles (`0.5...1.5`): not a sequence, bounds in dlo/dhi
    double dlo = 0;
    double dhi = 0;
    [[nodiscard]] std::int64_t end_exclusive() const { return closed ? hi + 1 : hi; }  ///< only when hi < Int.max
    /// How many Ints it holds, without overflow (`(Int.max - 2)...Int.max` holds 3).
    [[nodiscard]] std::uint64_t size() const {
        if (closed) return hi >= lo ? static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) + 1 : 0;
        return hi > lo ? static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo) : 0;
    }
    [[nodiscard]] std::int64_t count() const { return static_cast<std::int64_t>(std::min<std::uint64_t>(size(), INT64_MAX)); }
    [[nodiscard]] bool contains(std::int64_t x) const { return x >= lo && (closed ? x <= hi : x < hi); }
};

struct TypeObj;
struct InstanceObj;

/// Where a class instance whose type declares `deinit` goes when its last reference is
/// dropped: the destructor moves its stored properties into a fresh instance (deinit_done set)
/// and queues it here; the interpreter runs the queued `deinit` bodies between statements
/// (types.cpp). The run closes it when it ends: nothing is queued after that.
struct DeinitQueue {
    std::vector<std::shared_ptr<InstanceObj>> pending;
    bool open = true;
};

/// What a call leaves behind for the caller to write back: the callee's Env (its final `self`
/// for a `mutating` method, its `inout` parameters) and which argument each `inout` came from.
struct CallOut {
    EnvPtr env;
    std::vector<std::pair<std::string, const ast::Expr*>> inout;  ///< parameter name, `&place` argument
};

struct FuncObj : Obj {
    const ast::FuncDecl* decl = nullptr;
    EnvPtr env;                       ///< where it was declared
    Value self;                       ///< bound receiver for methods (nil otherwise)
    std::shared_ptr<TypeObj> owner;   ///< the type declaring it (methods, inits, static funcs)
    std::shared_ptr<CallOut> out;     ///< set on a per-call copy that needs write-back (calls.cpp)
};

struct ClosureObj : Obj {
    const ast::Closure* expr = nullptr;
    EnvPtr env;
};

struct BuiltinObj : Obj {
    std::string name;   ///< "print", "Task.sleep", "append", …
    Value receiver;     ///< the value a method is bound to (nil for free functions)
};

/// A type as a value: a user struct/class/enum (decl set) or a built-in type (decl null).
struct TypeObj : Obj {
    std::string name;
    const ast::TypeDecl* decl = nullptr;
    EnvPtr env;  ///< the environment the declaration was executed in
    std::shared_ptr<DeinitQueue> deinits;  ///< the run's queue, for a class with a `deinit`
};

/// A case of a user enum with its associated values (`.failed(error)`). It is the enum's
/// TypeObj (name, decl, env copied) plus the payload, so code that reads the type behind any
/// enum_case value reads this one the same way; a case without payload refers to the
/// TypeObj itself.
struct EnumPayloadObj : TypeObj {
    Value payload;  ///< a tuple of the associated values, labelled as the case declares them
};
/// The associated values of an enum_case value (a tuple), or null for a case without them.
const Value* enum_payload(const Value& v);

struct InstanceObj : Obj {
    std::shared_ptr<TypeObj> type;
    std::vector<std::pair<std::string, Value>> fields;
    bool is_class = false;
    bool deinit_done = false;  ///< its `deinit` ran (or is queued): destroying it queues nothing
    std::uint32_t actor = 0;  ///< an `actor` instance: its actor (Scheduler::add_actor); 0 otherwise
    MemoryCharge charge;
    InstanceObj() { recharge(); }
    InstanceObj(const InstanceObj& o) : Obj(o), type(o.type), fields(o.fields), is_class(o.is_class), actor(o.actor) { recharge(); }
    InstanceObj& operator=(const InstanceObj&) = delete;
    ~InstanceObj() override;
    void recharge() {
        charge.set(MemoryKind::object, container_bytes(sizeof(InstanceObj), fields.capacity(), sizeof(std::pair<std::string, Value>)), fields.size());
    }
    Value* field(std::string_view name) {
        if (is_class) race::touched_shared();  // a class instance can be shared between tasks
        for (auto& f : fields)
            if (f.first == name) return &f.second;
        return nullptr;
    }
};

/// Whether using `v` (calling a built-in on it, reading its member) can read or write state
/// another task sees: a task, group, queue, work item, semaphore, continuation, stream or lock;
/// a type's static members (`Task.isCancelled`, `Task.sleep`); URLSession (the run's random
/// latencies); nil, the receiver of a free function (`sleep`, `withTaskCancellationHandler`).
/// Values of value types (numbers, strings, arrays, structs…) do not: the race explorer
/// (engine/race_mark.hpp) may treat what touches only them as commuting with other threads.
inline bool shares_state(const Value& v) {
    switch (v.kind) {
    case Kind::nil: case Kind::type: case Kind::url_session: case Kind::task: case Kind::group: case Kind::queue:
    case Kind::work_item: case Kind::dispatch_group: case Kind::semaphore: case Kind::async_let: case Kind::continuation:
    case Kind::stream: case Kind::stream_continuation: case Kind::mutex: return true;
    default: return false;
    }
}

/// True when a class declaration has a `deinit` body.
bool has_deinit(const ast::TypeDecl* decl);

/// A task group while its body runs.
struct GroupObj : Obj {
    std::uint32_t id = 0;           ///< swift::GroupId
    ScopeKind kind = ScopeKind::task_group;
    std::uint32_t added = 0;        ///< children added so far (for lane names)
    TaskId delivered_error_child = 0;  ///< the last child whose error next() delivered
    Value delivered_error;
    std::string of_type;            ///< the `of:` type as written (`Int`), for nextResult()'s Result
};

struct QueueObj : Obj {
    std::uint32_t id = 0;  ///< gcd::QueueId
    std::string label;
};

struct AsyncLetObj : Obj {
    TaskId task = 0;
    int index = -1;  ///< element of a tuple result for `async let (a, b) = …`; -1: whole value
};

// ---- helpers ----

/// Text of a string value ("" for anything else).
const std::string& str(const Value& v);
/// Array items (empty for anything else).
std::vector<Value>& items(const Value& v);
/// Makes the object behind `v` unique before an in-place mutation (copy-on-write). Class
/// instances are reference types and are never copied.
void make_unique_ref(Value& v);

/// Swift `==` on two values (Optionals compare by content, nil only equals nil).
bool values_equal(const Value& a, const Value& b);
/// Swift `<` for numbers and strings; `ok` is false for values that do not compare.
bool value_less(const Value& a, const Value& b, bool& ok);
/// The value's Swift type name as a diagnostic shows it ("Int", "String", "[Int]", "Point").
std::string type_name(const Value& v);
/// True for values that conform to Swift's Error.
bool is_error_value(const Value& v);

/// `v` converted to a declared type as Swift's literals and Optionals would make it: an Int
/// where a Double is declared becomes a Double (also inside `[Double]`), and a value where
/// `T?` is declared becomes `Optional(v)`, and an Int where a sized integer type is declared
/// (`UInt64`, `[UInt8]`) takes that type when it is in its range. Other types leave `v` as it is.
Value coerce(Value v, std::string_view declared_type);

/// Names of the URLError codes tasklab knows, with their NSURLErrorDomain numbers.
int url_error_code_number(std::string_view name);

}  // namespace tasklab::interp
