#include "engine/interp/swift/value.hpp"

#include "engine/interp/swift/integers.hpp"
#include "engine/interp/release.hpp"

#include "scenarios/ast.hpp"

namespace tasklab::interp {

Value Value::string(std::string s) { return with_ref(Kind::string, std::make_shared<StrObj>(std::move(s))); }

Value Value::symbol(std::string name) { return with_ref(Kind::symbol, std::make_shared<StrObj>(std::move(name))); }

Value Value::array(std::vector<Value> xs) {
    auto obj = std::make_shared<ArrayObj>();
    obj->items = std::move(xs);
    obj->recharge();
    return with_ref(Kind::array, std::move(obj));
}

Value Value::tuple(std::vector<Value> xs, std::vector<std::string> labels) {
    auto obj = std::make_shared<TupleObj>();
    obj->items = std::move(xs);
    obj->labels = std::move(labels);
    obj->recharge();
    return with_ref(Kind::tuple, std::move(obj));
}

Value Value::range(std::int64_t lo, std::int64_t hi, bool closed) {
    auto obj = std::make_shared<RangeObj>();
    obj->lo = lo;
    obj->hi = hi;
    obj->closed = closed;
    return with_ref(Kind::range, std::move(obj));
}

Value Value::real_range(double lo, double hi, bool closed) {
    auto obj = std::make_shared<RangeObj>();
    obj->real = true;
    obj->dlo = lo;
    obj->dhi = hi;
    obj->closed = closed;
    return with_ref(Kind::range, std::move(obj));
}

const std::string& str(const Value& v) {
    static const std::string empty;
    if ((v.kind == Kind::string || v.kind == Kind::symbol || v.kind == Kind::url || v.kind == Kind::url_error) && v.ref)
        return static_cast<const StrObj&>(*v.ref).s;
    return empty;
}

std::vector<Value>& items(const Value& v) {
    thread_local std::vector<Value> empty;  // runs may go on on several threads (one run per thread)
    if (v.kind == Kind::array && v.ref) return static_cast<ArrayObj&>(*v.ref).items;
    if (v.kind == Kind::tuple && v.ref) return static_cast<TupleObj&>(*v.ref).items;
    empty.clear();
    return empty;
}

void make_unique_ref(Value& v) {
    if (!v.ref || v.ref.use_count() == 1) return;
    switch (v.kind) {
    case Kind::string: v.ref = std::make_shared<StrObj>(static_cast<const StrObj&>(*v.ref)); break;
    case Kind::array: v.ref = std::make_shared<ArrayObj>(static_cast<const ArrayObj&>(*v.ref)); break;
    case Kind::dict: v.ref = std::make_shared<DictObj>(static_cast<const DictObj&>(*v.ref)); break;
    case Kind::tuple: v.ref = std::make_shared<TupleObj>(static_cast<const TupleObj&>(*v.ref)); break;
    case Kind::instance: {
        const auto& inst = static_cast<const InstanceObj&>(*v.ref);
        if (!inst.is_class) v.ref = std::make_shared<InstanceObj>(inst);
        break;
    }
    default: break;
    }
}

namespace {
bool sequences_equal(const std::vector<Value>& a, const std::vector<Value>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (!values_equal(a[i], b[i])) return false;
    return true;
}

/// The case name of an enum case, symbol or URLError code used in a comparison.
std::string_view case_name(const Value& v) {
    if (v.kind == Kind::symbol) return str(v);
    if (v.kind == Kind::enum_case && v.ref) {
        const auto& t = static_cast<const TypeObj&>(*v.ref);
        if (t.decl && v.i >= 0 && static_cast<std::size_t>(v.i) < t.decl->cases.size()) return t.decl->cases[static_cast<std::size_t>(v.i)];
    }
    return {};
}
}  // namespace

const Value* enum_payload(const Value& v) {
    if (v.kind != Kind::enum_case) return nullptr;
    const auto* p = dynamic_cast<const EnumPayloadObj*>(v.ref.get());
    return p ? &p->payload : nullptr;
}

bool values_equal(const Value& a, const Value& b) {
    if (a.is_nil() || b.is_nil()) return a.is_nil() && b.is_nil();
    if (a.is_number() && b.is_number()) {
        if (a.kind == Kind::integer && b.kind == Kind::integer) return int_value(a) == int_value(b);
        return a.as_double() == b.as_double();
    }
    if ((a.kind == Kind::symbol || a.kind == Kind::enum_case) && (b.kind == Kind::symbol || b.kind == Kind::enum_case)) {
        if (a.kind == Kind::enum_case && b.kind == Kind::enum_case) {
            // Two values of one enum: the same case with equal associated values.
            const auto& ta = static_cast<const TypeObj&>(*a.ref);
            const auto& tb = static_cast<const TypeObj&>(*b.ref);
            if (a.ref != b.ref && (!ta.decl || ta.decl != tb.decl)) return false;
            if (a.i != b.i) return false;
            const Value* pa = enum_payload(a);
            const Value* pb = enum_payload(b);
            if (!pa || !pb) return !pa && !pb;
            return values_equal(*pa, *pb);
        }
        return case_name(a) == case_name(b);
    }
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case Kind::void_: return true;
    case Kind::boolean: return a.b == b.b;
    case Kind::string:
    case Kind::url:
    case Kind::url_error: return str(a) == str(b);
    case Kind::array: return sequences_equal(items(a), items(b));
    case Kind::tuple: return sequences_equal(items(a), items(b));
    case Kind::dict: {
        const auto& x = static_cast<const DictObj&>(*a.ref).entries;
        const auto& y = static_cast<const DictObj&>(*b.ref).entries;
        if (x.size() != y.size()) return false;
        for (const auto& [k, v] : x) {
            bool found = false;
            for (const auto& [k2, v2] : y)
                if (values_equal(k, k2)) { found = values_equal(v, v2); break; }
            if (!found) return false;
        }
        return true;
    }
    case Kind::range: {
        const auto& x = static_cast<const RangeObj&>(*a.ref);
        const auto& y = static_cast<const RangeObj&>(*b.ref);
        if (x.real || y.real) return x.real == y.real && x.dlo == y.dlo && x.dhi == y.dhi && x.closed == y.closed;
        return x.lo == y.lo && x.hi == y.hi && x.closed == y.closed;
    }
    case Kind::instance: {
        const auto& x = static_cast<const InstanceObj&>(*a.ref);
        const auto& y = static_cast<const InstanceObj&>(*b.ref);
        if (x.is_class || y.is_class) return a.ref == b.ref;
        if (x.type != y.type || x.fields.size() != y.fields.size()) return false;
        for (std::size_t i = 0; i < x.fields.size(); ++i)
            if (!values_equal(x.fields[i].second, y.fields[i].second)) return false;
        return true;
    }
    case Kind::type: return static_cast<const TypeObj&>(*a.ref).name == static_cast<const TypeObj&>(*b.ref).name;
    case Kind::cancellation_error:
    case Kind::url_response:
    case Kind::url_session: return true;
    case Kind::data:
    case Kind::duration:
    case Kind::dispatch_time:
    case Kind::task:
    case Kind::work_item:
    case Kind::dispatch_group:
    case Kind::semaphore: return a.i == b.i;
    default: return a.ref == b.ref && a.i == b.i;
    }
}

bool value_less(const Value& a, const Value& b, bool& ok) {
    ok = true;
    if (a.is_number() && b.is_number()) {
        if (a.kind == Kind::integer && b.kind == Kind::integer) return int_value(a) < int_value(b);
        return a.as_double() < b.as_double();
    }
    if (a.kind == Kind::string && b.kind == Kind::string) return str(a) < str(b);
    if ((a.kind == Kind::duration && b.kind == Kind::duration) || (a.kind == Kind::dispatch_time && b.kind == Kind::dispatch_time))
        return a.i < b.i;
    if (a.kind == Kind::tuple && b.kind == Kind::tuple) {
        const auto& x = items(a);
        const auto& y = items(b);
        for (std::size_t k = 0; k < x.size() && k < y.size(); ++k) {
            if (value_less(x[k], y[k], ok)) return true;
            if (!ok) return false;
            if (value_less(y[k], x[k], ok)) return false;
            if (!ok) return false;
        }
        return x.size() < y.size();
    }
    ok = false;
    return false;
}

std::string type_name(const Value& v) {
    std::string base;
    switch (v.kind) {
    case Kind::nil: return "nil";
    case Kind::void_: base = "()"; break;
    case Kind::boolean: base = "Bool"; break;
    case Kind::integer: base = std::string(int_type_name(v.itype)); break;
    case Kind::real: base = "Double"; break;
    case Kind::string: base = "String"; break;
    case Kind::array: {
        const auto& xs = items(v);
        base = xs.empty() ? "Array" : "[" + type_name(xs.front()) + "]";
        break;
    }
    case Kind::dict: base = "Dictionary"; break;
    case Kind::tuple: base = "tuple"; break;
    case Kind::range: {
        const auto& r = static_cast<const RangeObj&>(*v.ref);
        base = std::string(r.closed ? "ClosedRange<" : "Range<") + (r.real ? "Double>" : "Int>");
        break;
    }
    case Kind::function:
    case Kind::closure:
    case Kind::builtin: base = "function"; break;
    case Kind::type: base = static_cast<const TypeObj&>(*v.ref).name + ".Type"; break;
    case Kind::instance: base = static_cast<const InstanceObj&>(*v.ref).type->name; break;
    case Kind::enum_case: base = static_cast<const TypeObj&>(*v.ref).name; break;
    case Kind::symbol: base = "." + str(v); break;
    case Kind::cancellation_error: base = "CancellationError"; break;
    case Kind::url_error: base = "URLError"; break;
    case Kind::data: base = "Data"; break;
    case Kind::url: base = "URL"; break;
    case Kind::url_response: base = "URLResponse"; break;
    case Kind::url_session: base = "URLSession"; break;
    case Kind::duration: base = "Duration"; break;
    case Kind::dispatch_time: base = "DispatchTime"; break;
    case Kind::task: base = "Task"; break;
    case Kind::group: base = "TaskGroup"; break;
    case Kind::queue: base = "DispatchQueue"; break;
    case Kind::work_item: base = "DispatchWorkItem"; break;
    case Kind::dispatch_group: base = "DispatchGroup"; break;
    case Kind::semaphore: base = "DispatchSemaphore"; break;
    case Kind::async_let: base = "async let"; break;
    case Kind::continuation: base = "CheckedContinuation"; break;
    case Kind::stream: base = "AsyncStream"; break;
    case Kind::stream_continuation: base = "AsyncStream.Continuation"; break;
    case Kind::mutex: base = "Mutex"; break;
    case Kind::result: base = "Result"; break;
    }
    for (int k = 0; k < v.opt; ++k) base += "?";
    return base;
}

bool is_error_value(const Value& v) {
    if (v.kind == Kind::cancellation_error || v.kind == Kind::url_error) return true;
    const TypeObj* t = nullptr;
    if (v.kind == Kind::instance) t = static_cast<const InstanceObj&>(*v.ref).type.get();
    if (v.kind == Kind::enum_case) t = static_cast<const TypeObj*>(v.ref.get());
    if (!t || !t->decl) return false;
    for (const ast::Expr* base : t->decl->bases) {
        if (base->kind != ast::ExprKind::name) continue;
        const auto& n = static_cast<const ast::Name*>(base)->name;
        if (n == "Error" || n == "LocalizedError" || n == "CustomNSError") return true;
    }
    return false;
}

namespace {
bool is_floating_type(std::string_view t) {
    return t == "Double" || t == "Float" || t == "TimeInterval" || t == "CGFloat" || t == "Float64" || t == "Float32";
}

/// An `Int` value where a sized integer type is declared takes that type, as an integer
/// literal does in Swift. A value out of the type's range (a program swiftc refuses) and a
/// value that already has a sized type stay as they are.
Value sized_integer(Value v, IntType t) {
    if (v.itype != IntType::int_ || !int_fits(t, int_value(v))) return v;
    const std::uint8_t opt = v.opt;
    v = make_int(t, int_value(v));
    v.opt = opt;
    return v;
}
}  // namespace

Value coerce(Value v, std::string_view t) {
    while (!t.empty() && (t.back() == ' ' || t.back() == '\t')) t.remove_suffix(1);
    while (!t.empty() && (t.front() == ' ' || t.front() == '\t')) t.remove_prefix(1);
    const bool optional = !t.empty() && t.back() == '?';
    std::uint8_t depth = 0;  // `Int??`: a value wrapped twice
    for (std::size_t k = t.size(); k > 0 && t[k - 1] == '?'; --k) ++depth;
    while (!t.empty() && (t.back() == '?' || t.back() == '!')) t.remove_suffix(1);
    if (const auto it = int_type_named(t); it && v.kind == Kind::integer) {
        v = sized_integer(std::move(v), *it);
    } else if (const auto et = t.size() > 2 && t.front() == '[' && t.back() == ']' ? int_type_named(t.substr(1, t.size() - 2)) : std::nullopt;
               et && v.kind == Kind::array) {
        std::vector<Value> xs = items(v);
        for (auto& x : xs)
            if (x.kind == Kind::integer) x = sized_integer(std::move(x), *et);
        const std::uint8_t opt = v.opt;
        v = Value::array(std::move(xs));
        v.opt = opt;
    } else if (is_floating_type(t) && v.kind == Kind::integer) {
        const std::uint8_t opt = v.opt;
        v = Value::real(static_cast<double>(v.i));
        v.opt = opt;
    } else if (t.size() > 2 && t.front() == '[' && t.back() == ']' && is_floating_type(t.substr(1, t.size() - 2)) &&
               v.kind == Kind::array) {
        std::vector<Value> xs = items(v);
        for (auto& x : xs)
            if (x.kind == Kind::integer) x = Value::real(static_cast<double>(x.i));
        const std::uint8_t opt = v.opt;
        v = Value::array(std::move(xs));
        v.opt = opt;
    }
    if (optional && !v.is_nil() && v.opt == 0 && v.kind != Kind::void_)
        while (v.opt < depth) v = v.wrapped();
    return v;
}

int url_error_code_number(std::string_view name) {
    struct Code {
        std::string_view name;
        int number;
    };
    static constexpr Code codes[] = {
        {"unknown", -1},
        {"cancelled", -999},
        {"badURL", -1000},
        {"timedOut", -1001},
        {"unsupportedURL", -1002},
        {"cannotFindHost", -1003},
        {"cannotConnectToHost", -1004},
        {"networkConnectionLost", -1005},
        {"dnsLookupFailed", -1006},
        {"httpTooManyRedirects", -1007},
        {"resourceUnavailable", -1008},
        {"notConnectedToInternet", -1009},
        {"redirectToNonExistentLocation", -1010},
        {"badServerResponse", -1011},
        {"userCancelledAuthentication", -1012},
        {"userAuthenticationRequired", -1013},
        {"zeroByteResource", -1014},
        {"cannotDecodeRawData", -1015},
        {"cannotDecodeContentData", -1016},
        {"cannotParseResponse", -1017},
        {"dataNotAllowed", -1020},
        {"fileDoesNotExist", -1100},
    };
    for (const auto& c : codes)
        if (c.name == name) return c.number;
    return 0;
}

// Containers hand their children to the release worklist (release.hpp): no recursion.
ArrayObj::~ArrayObj() {
    for (auto& x : items) release::defer(x.ref);
    release::drain<ObjPtr>();
}
DictObj::~DictObj() {
    for (auto& [k, x] : entries) {
        release::defer(k.ref);
        release::defer(x.ref);
    }
    release::drain<ObjPtr>();
}
TupleObj::~TupleObj() {
    for (auto& x : items) release::defer(x.ref);
    release::drain<ObjPtr>();
}
InstanceObj::~InstanceObj() {
    if (is_class && !deinit_done && type && type->deinits && type->deinits->open) {
        auto last = std::make_shared<InstanceObj>();
        last->type = type;
        last->fields = std::move(fields);
        last->is_class = true;
        last->deinit_done = true;
        last->recharge();
        type->deinits->pending.push_back(std::move(last));
        return;
    }
    for (auto& f : fields) release::defer(f.second.ref);
    release::drain<ObjPtr>();
}

}  // namespace tasklab::interp
