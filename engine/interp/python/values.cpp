// Python values: construction, equality, identity, and the repr() of floats and strings as
// CPython writes them.
#include "engine/interp/python/values.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "engine/interp/release.hpp"

namespace tasklab::py {

Value make_str(std::string s) { return Value::of(std::make_shared<Str>(std::move(s))); }

Value make_list(std::vector<Value> items) {
    auto l = std::make_shared<List>();
    l->items = std::move(items);
    l->recharge();
    return Value::of(std::move(l));
}

Value make_tuple(std::vector<Value> items) {
    auto t = std::make_shared<Tuple>();
    t->items = std::move(items);
    t->recharge();
    return Value::of(std::move(t));
}

void recharge(const Value& v) {
    if (v.kind != VKind::object || !v.obj) return;
    switch (v.obj->okind) {
    case OKind::str: static_cast<Str&>(*v.obj).recharge(); break;
    case OKind::bytes: static_cast<Bytes&>(*v.obj).recharge(); break;
    case OKind::list: static_cast<List&>(*v.obj).recharge(); break;
    case OKind::tuple: static_cast<Tuple&>(*v.obj).recharge(); break;
    case OKind::dict: static_cast<Dict&>(*v.obj).recharge(); break;
    case OKind::set: static_cast<Set&>(*v.obj).recharge(); break;
    case OKind::instance: static_cast<Instance&>(*v.obj).recharge(); break;
    default: break;
    }
}

Value make_dict() { return Value::of(std::make_shared<Dict>()); }

bool is_kind(const Value& v, OKind k) { return v.kind == VKind::object && v.obj && v.obj->okind == k; }
bool is_str(const Value& v) { return is_kind(v, OKind::str); }

const std::string& as_str(const Value& v) {
    static const std::string empty;
    return is_str(v) ? static_cast<const Str&>(*v.obj).s : empty;
}

namespace {
// Nesting of the comparison running now (py_equal_bounded); beyond g_eq_limit it stops.
thread_local int g_eq_depth = 0;
thread_local int g_eq_limit = 1 << 30;
thread_local bool g_eq_overflow = false;

bool seq_equal(const std::vector<Value>& a, const std::vector<Value>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t k = 0; k < a.size(); ++k)
        if (!py_equal(a[k], b[k])) return false;
    return true;
}
}  // namespace

bool py_equal(const Value& a, const Value& b) {
    if (a.is_number() && b.is_number()) {
        if (a.kind != VKind::real && b.kind != VKind::real) {
            const std::int64_t x = a.kind == VKind::boolean ? a.b : a.i;
            const std::int64_t y = b.kind == VKind::boolean ? b.b : b.i;
            return x == y;
        }
        return a.as_double() == b.as_double();
    }
    if (a.kind != b.kind) return false;
    if (a.kind == VKind::none) return true;
    if (a.kind != VKind::object) return false;
    if (a.obj == b.obj) return true;
    if (a.obj->okind != b.obj->okind) return false;
    const bool nests = a.obj->okind == OKind::list || a.obj->okind == OKind::tuple || a.obj->okind == OKind::dict || a.obj->okind == OKind::set;
    if (nests && (g_eq_overflow || g_eq_depth >= g_eq_limit)) {
        g_eq_overflow = true;
        return false;
    }
    struct Nest {
        bool on;
        explicit Nest(bool n) : on(n) { g_eq_depth += on; }
        ~Nest() { g_eq_depth -= on; }
    } nest(nests);
    switch (a.obj->okind) {
    case OKind::str: return as<Str>(a).s == as<Str>(b).s;
    case OKind::bytes: return as<Bytes>(a).b == as<Bytes>(b).b;
    case OKind::list: return seq_equal(as<List>(a).items, as<List>(b).items);
    case OKind::tuple: return seq_equal(as<Tuple>(a).items, as<Tuple>(b).items);
    case OKind::dict: {
        auto& x = as<Dict>(a);
        auto& y = as<Dict>(b);
        if (x.entries.size() != y.entries.size()) return false;
        for (auto& [k, v] : x.entries) {
            Value* w = dict_find(y, k);
            if (!w || !py_equal(v, *w)) return false;
        }
        return true;
    }
    case OKind::set: {
        auto& x = as<Set>(a).items;
        auto& y = as<Set>(b).items;
        if (x.size() != y.size()) return false;
        for (const auto& v : x) {
            bool found = false;
            for (const auto& w : y)
                if (py_equal(v, w)) { found = true; break; }
            if (!found) return false;
        }
        return true;
    }
    case OKind::range: {
        auto& x = as<Range>(a);
        auto& y = as<Range>(b);
        return x.start == y.start && x.stop == y.stop && x.step == y.step;
    }
    case OKind::bound_method: return as<BoundMethod>(a).func.obj == as<BoundMethod>(b).func.obj && py_is(as<BoundMethod>(a).self, as<BoundMethod>(b).self);
    default: return false;
    }
}

bool py_is(const Value& a, const Value& b) {
    if (a.kind != b.kind) return false;
    switch (a.kind) {
    case VKind::none: return true;
    case VKind::boolean: return a.b == b.b;
    case VKind::integer: return a.i == b.i;  // CPython caches small ints; scenarios compare None and objects
    case VKind::real: return a.d == b.d;
    case VKind::object: return a.obj == b.obj;
    }
    return false;
}

Value* dict_find(Dict& d, const Value& key) {
    for (auto& [k, v] : d.entries)
        if (py_equal(k, key)) return &v;
    return nullptr;
}

void dict_set(Dict& d, Value key, Value value) {
    if (Value* slot = dict_find(d, key)) *slot = std::move(value);
    else d.entries.emplace_back(std::move(key), std::move(value));
}

std::string float_repr(double d) {
    if (std::isnan(d)) return "nan";
    if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
    if (d == 0) return std::signbit(d) ? "-0.0" : "0.0";
    // The shortest number of significant digits that reads back as the same double.
    char buf[64];
    int digits = 1;
    for (; digits <= 17; ++digits) {
        std::snprintf(buf, sizeof buf, "%.*e", digits - 1, d);
        if (std::strtod(buf, nullptr) == d) break;
    }
    // buf is "-d.ddde±XX": split mantissa digits and exponent.
    std::string s(buf);
    const bool neg = s[0] == '-';
    if (neg) s.erase(0, 1);
    const auto epos = s.find('e');
    const int exp = std::atoi(s.c_str() + epos + 1);
    std::string mant = s.substr(0, epos);
    mant.erase(std::remove(mant.begin(), mant.end(), '.'), mant.end());
    while (mant.size() > 1 && mant.back() == '0') mant.pop_back();
    std::string out;
    if (exp >= -4 && exp < 16) {
        // Fixed notation, CPython's repr rule (float_repr_style 'short': 1e16 switches).
        if (exp >= 0) {
            if (static_cast<int>(mant.size()) <= exp + 1) {
                out = mant + std::string(static_cast<std::size_t>(exp + 1) - mant.size(), '0') + ".0";
            } else {
                out = mant.substr(0, static_cast<std::size_t>(exp + 1)) + "." + mant.substr(static_cast<std::size_t>(exp + 1));
            }
        } else {
            out = "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + mant;
        }
    }
    if (out.empty()) {
        out = mant.substr(0, 1);
        if (mant.size() > 1) out += "." + mant.substr(1);
        char e[16];
        std::snprintf(e, sizeof e, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
        out += e;
    }
    return neg ? "-" + out : out;
}

std::string str_repr(const std::string& s) {
    const bool has_single = s.find('\'') != std::string::npos;
    const bool has_double = s.find('"') != std::string::npos;
    const char quote = has_single && !has_double ? '"' : '\'';
    std::string out(1, quote);
    for (std::size_t k = 0; k < s.size(); ++k) {
        const auto c = static_cast<unsigned char>(s[k]);
        if (c == static_cast<unsigned char>(quote) || c == '\\') {
            out += '\\';
            out += static_cast<char>(c);
        } else if (c == '\n') {
            out += "\\n";
        } else if (c == '\r') {
            out += "\\r";
        } else if (c == '\t') {
            out += "\\t";
        } else if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    out += quote;
    return out;
}

// ---- exceptions as the asyncio model sees them ----

asyncio::ExcClass Instance::exc_class() const {
    for (const Class* c : cls->mro) {
        if (c->module == "builtins" || c->module == "asyncio.exceptions") {
            if (c->name == "CancelledError") return asyncio::ExcClass::cancelled_error;
            if (c->name == "KeyboardInterrupt") return asyncio::ExcClass::keyboard_interrupt;
            if (c->name == "SystemExit") return asyncio::ExcClass::system_exit;
            if (c->name == "Exception") return asyncio::ExcClass::exception;
        }
    }
    return asyncio::ExcClass::base_exception;
}

namespace {
std::string basic_repr(const Value& v) {
    switch (v.kind) {
    case VKind::none: return "None";
    case VKind::boolean: return v.b ? "True" : "False";
    case VKind::integer: return std::to_string(v.i);
    case VKind::real: return float_repr(v.d);
    case VKind::object: break;
    }
    if (is_str(v)) return str_repr(as_str(v));
    if (is_kind(v, OKind::instance) && as<Instance>(v).exc) return as<Instance>(v).describe();
    return "<object>";
}
}  // namespace

std::string Instance::describe() const {
    if (!exc) return "<" + cls->name + " object>";
    if (exc->is_group) return cls->name + "(" + str_repr(exc->group_message) + ", [...])";
    std::string out = cls->name + "(";
    for (std::size_t k = 0; k < exc->args.size(); ++k) out += (k ? ", " : "") + basic_repr(exc->args[k]);
    return out + ")";
}

bool py_equal_bounded(const Value& a, const Value& b, int max_depth, bool& too_deep) {
    const int saved_limit = g_eq_limit;
    const int saved_depth = g_eq_depth;
    g_eq_limit = max_depth;
    g_eq_depth = 0;
    g_eq_overflow = false;
    const bool eq = py_equal(a, b);
    too_deep = g_eq_overflow;
    g_eq_overflow = false;
    g_eq_limit = saved_limit;
    g_eq_depth = saved_depth;
    return eq && !too_deep;
}

// Containers hand their children to the release worklist (release.hpp): no recursion.
List::~List() {
    for (auto& x : items) release::defer(x.obj);
    release::drain<ObjPtr>();
}
Tuple::~Tuple() {
    for (auto& x : items) release::defer(x.obj);
    release::drain<ObjPtr>();
}
Dict::~Dict() {
    for (auto& [k, x] : entries) {
        release::defer(k.obj);
        release::defer(x.obj);
    }
    release::drain<ObjPtr>();
}
Set::~Set() {
    for (auto& x : items) release::defer(x.obj);
    release::drain<ObjPtr>();
}
Instance::~Instance() {
    for (auto& [name, x] : attrs.items) release::defer(x.obj);
    release::drain<ObjPtr>();
}

}  // namespace tasklab::py
