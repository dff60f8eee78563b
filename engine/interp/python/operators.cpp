// Python's operators: comparison (==, <, … with CPython's TypeError texts), membership (in)
// and arithmetic with Python's signs (floor division and modulo round toward minus infinity,
// 64-bit ints that stop with a clear error on overflow).
#include <algorithm>
#include <cmath>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

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

namespace {

Res unsupported(Machine& vm, BinaryOp op, const Value& l, const Value& r) {
    return vm.raise_error("TypeError", std::string("unsupported operand type(s) for ") + op_text(op) + ": '" + vm.type_name(l) + "' and '" +
                                           vm.type_name(r) + "'");
}

Res overflow(Machine& vm, Span span) {
    return vm.fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
                   "CPython's ints grow without limit; keep the numbers of a scenario below 2**63");
}

/// int (or bool) op int: Python's signs, 64 bits that stop with a clear error on overflow.
Res int_arith(Machine& vm, BinaryOp op, const Value& l, const Value& r, Span span) {
    const std::int64_t a = int_of(l), b = int_of(r);
    std::int64_t out = 0;
    switch (op) {
    case BinaryOp::add:
        if (__builtin_add_overflow(a, b, &out)) return overflow(vm, span);
        return Res::of(Value::integer(out));
    case BinaryOp::sub:
        if (__builtin_sub_overflow(a, b, &out)) return overflow(vm, span);
        return Res::of(Value::integer(out));
    case BinaryOp::mul:
        if (__builtin_mul_overflow(a, b, &out)) return overflow(vm, span);
        return Res::of(Value::integer(out));
    case BinaryOp::div:
        if (b == 0) return vm.raise_error("ZeroDivisionError", "division by zero");
        return Res::of(Value::real(static_cast<double>(a) / static_cast<double>(b)));
    case BinaryOp::floor_div: {
        if (b == 0) return vm.raise_error("ZeroDivisionError", "integer division or modulo by zero");
        if (a == INT64_MIN && b == -1) return overflow(vm, span);
        std::int64_t q = a / b;
        if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
        return Res::of(Value::integer(q));
    }
    case BinaryOp::mod: {
        if (b == 0) return vm.raise_error("ZeroDivisionError", "integer modulo by zero");
        if (b == -1) return Res::of(Value::integer(0));
        std::int64_t m = a % b;
        if (m != 0 && ((m < 0) != (b < 0))) m += b;
        return Res::of(Value::integer(m));
    }
    case BinaryOp::pow: {
        if (b < 0) return Res::of(Value::real(std::pow(static_cast<double>(a), static_cast<double>(b))));
        std::int64_t acc = 1;
        for (std::int64_t k = 0; k < b; ++k) {
            if (__builtin_mul_overflow(acc, a, &acc)) return overflow(vm, span);
            if (acc == 0 || acc == 1) break;
        }
        if (acc == 1 && a == -1 && b % 2 == 1) acc = -1;
        return Res::of(Value::integer(acc));
    }
    default: return unsupported(vm, op, l, r);
    }
}

/// float op float (or int).
Res float_arith(Machine& vm, BinaryOp op, const Value& l, const Value& r) {
    const double a = l.as_double(), b = r.as_double();
    switch (op) {
    case BinaryOp::add: return Res::of(Value::real(a + b));
    case BinaryOp::sub: return Res::of(Value::real(a - b));
    case BinaryOp::mul: return Res::of(Value::real(a * b));
    case BinaryOp::div:
        if (b == 0) return vm.raise_error("ZeroDivisionError", "float division by zero");
        return Res::of(Value::real(a / b));
    case BinaryOp::floor_div:
        if (b == 0) return vm.raise_error("ZeroDivisionError", "float floor division by zero");
        return Res::of(Value::real(std::floor(a / b)));
    case BinaryOp::mod: {
        if (b == 0) return vm.raise_error("ZeroDivisionError", "float modulo");
        double m = std::fmod(a, b);
        if (m != 0 && ((m < 0) != (b < 0))) m += b;
        return Res::of(Value::real(m));
    }
    case BinaryOp::pow: return Res::of(Value::real(std::pow(a, b)));
    default: return unsupported(vm, op, l, r);
    }
}

/// str + str, list + list, tuple + tuple (nothing when neither applies).
std::optional<Res> concat(Machine& vm, const Value& l, const Value& r, Span span) {
    if (is_str(l) && is_str(r)) {
        const std::uint64_t n = as_str(l).size() + as_str(r).size();
        if (!vm.reserve_memory(MemoryKind::string, n, n, span)) return Res::make(Ctl::fatal);
        return Res::of(make_str(as_str(l) + as_str(r)));
    }
    if (is_kind(l, OKind::list) && is_kind(r, OKind::list)) {
        const std::uint64_t n = as<List>(l).items.size() + as<List>(r).items.size();
        if (!vm.reserve_memory(MemoryKind::list, n, n * sizeof(Value), span)) return Res::make(Ctl::fatal);
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
        if (is_str(l)) return vm.raise_error("TypeError", "can only concatenate str (not \"" + vm.type_name(r) + "\") to str");
    }
    return std::nullopt;
}

/// A str, list or tuple times an int (nothing when neither side is a sequence and an int).
std::optional<Res> repeat(Machine& vm, const Value& l, const Value& r, Span span) {
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
            if (!vm.count_work(total, span, "this string is too long to make in one step") ||
                !vm.reserve_memory(MemoryKind::string, product(as_str(*seq).size()), product(as_str(*seq).size()), span))
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
            if (!vm.count_work(total, span, "this list is too long to make in one step") ||
                !vm.reserve_memory(kind, product(xs.size()), product(xs.size() * sizeof(Value)), span))
                return Res::make(Ctl::fatal);
            std::vector<Value> out;
            out.reserve(static_cast<std::size_t>(product(xs.size())));
            for (std::int64_t k = 0; k < times; ++k) out.insert(out.end(), xs.begin(), xs.end());
            return Res::of(is_kind(*seq, OKind::list) ? py::make_list(std::move(out)) : make_tuple(std::move(out)));
        }
    }
    return std::nullopt;
}

/// str % values: printf-style formatting (%s %d %r %f %i %%).
Res percent_format(Machine& vm, const Value& l, const Value& r, Span span) {
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
        if (vi >= vals.size()) return vm.raise_error("TypeError", "not enough arguments for format string");
        const Value& x = vals[vi++];
        Res s;
        if (t == 's') s = vm.py_str(x);
        else if (t == 'r' || t == 'a') s = vm.py_repr(x);
        else if (t == 'd' || t == 'i') {
            if (!x.is_number()) return vm.raise_error("TypeError", "%d format: a real number is required, not " + vm.type_name(x));
            s = vm.format_value(Value::integer(x.kind == VKind::real ? static_cast<std::int64_t>(x.d) : int_of(x)), spec, span);
        } else if (t == 'f' || t == 'e' || t == 'g' || t == 'x') {
            s = vm.format_value(x, spec + t, span);
        } else {
            return vm.raise_error("ValueError", std::string("unsupported format character '") + t + "'");
        }
        if (!s.ok()) return s;
        std::string piece = as_str(s.value);
        if ((t == 's' || t == 'r') && !spec.empty()) {
            Res p = vm.format_value(make_str(piece), (spec[0] == '-' ? "<" + spec.substr(1) : ">" + spec), span);
            if (!p.ok()) return p;
            piece = as_str(p.value);
        }
        out += piece;
    }
    if (vi < vals.size()) return vm.raise_error("TypeError", "not all arguments converted during string formatting");
    return Res::of(make_str(std::move(out)));
}

/// An instance's __add__, __sub__, __mul__, __truediv__ or __mod__ (nothing when it has none).
std::optional<Res> instance_arith(Machine& vm, BinaryOp op, const Value& l, const Value& r, Span span) {
    static const std::pair<BinaryOp, const char*> dunders[] = {{BinaryOp::add, "__add__"}, {BinaryOp::sub, "__sub__"},
                                                               {BinaryOp::mul, "__mul__"}, {BinaryOp::div, "__truediv__"},
                                                               {BinaryOp::mod, "__mod__"}};
    for (const auto& [o, n] : dunders) {
        if (o != op) continue;
        if (const Value* f = as<Instance>(l).cls->lookup(n); f && is_kind(*f, OKind::function)) {
            Args a;
            a.pos.push_back(r);
            return vm.call_function(std::static_pointer_cast<Function>(f->obj), a, &l, span);
        }
    }
    return std::nullopt;
}

}  // namespace

Res Machine::arith(BinaryOp op, const Value& l, const Value& r, Span span) {
    if (is_kind(l, OKind::bytes) || is_kind(r, OKind::bytes)) return bytes_arith(op, l, r, span);
    if (is_intlike(l) && is_intlike(r)) return int_arith(*this, op, l, r, span);
    if (l.is_number() && r.is_number()) return float_arith(*this, op, l, r);
    if (op == BinaryOp::add) {
        if (auto out = concat(*this, l, r, span)) return *out;
    }
    if (op == BinaryOp::mul) {
        if (auto out = repeat(*this, l, r, span)) return *out;
    }
    if (op == BinaryOp::mod && is_str(l)) return percent_format(*this, l, r, span);
    if (is_kind(l, OKind::instance)) {
        if (auto out = instance_arith(*this, op, l, r, span)) return *out;
    }
    return unsupported(*this, op, l, r);
}

}  // namespace tasklab::py
