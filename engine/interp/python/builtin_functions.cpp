// The functions of Python's `builtins` module (len, repr, sorted, min, max, sum, round, map,
// getattr, id, chr, ord, …) as a table of name → handler. The type constructors (int(),
// list(), range(), …) are in builtin_types.cpp, the functions of time, sys, signal, random
// and functools in stdlib.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }
bool is_intlike(const Value& v) { return v.kind == VKind::integer || v.kind == VKind::boolean; }

bool need(const BuiltinCall& bc, std::size_t n) { return bc.args.pos.size() >= n; }

/// CPython's TypeError when a built-in gets fewer than `lo` or more than `hi` positional arguments.
Res arity(Machine& vm, const BuiltinCall& bc, std::size_t lo, std::size_t hi) {
    const std::size_t n = bc.args.pos.size();
    if (n < lo || n > hi) {
        const std::string short_name = bc.name.substr(bc.name.rfind('.') + 1);
        if (lo == hi)
            return vm.raise_error("TypeError", short_name + "() takes exactly " + (lo == 1 ? std::string("one argument") : std::to_string(lo) + " arguments") +
                                                   " (" + std::to_string(n) + " given)");
        return vm.raise_error("TypeError", short_name + " expected at least " + std::to_string(lo) + " argument" + (lo == 1 ? "" : "s") + ", got " +
                                               std::to_string(n));
    }
    return Res::of();
}

Res bi_print(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    return vm.print_call(args, span);
}

Res bi_len(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
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
            return vm.call_method(x, "__len__", none, span);
        }
        case OKind::native: {
            bool h = false;
            Res r = vm.native_attr(x, "__len__", span, h);
            if (h) return r;
            break;
        }
        default: break;
        }
    }
    return vm.raise_error("TypeError", "object of type '" + vm.type_name(x) + "' has no len()");
}

Res bi_repr(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    return vm.py_repr(args.pos[0]);
}

Res bi_ascii(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    return vm.py_repr(args.pos[0]);
}

Res bi_format(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 2); !a.ok()) return a;
    return vm.format_value(args.pos[0], args.pos.size() > 1 ? as_str(args.pos[1]) : "", span);
}

Res bi_isinstance(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 2, 2); !a.ok()) return a;
    bool out = false;
    Res r = vm.isinstance_check(args.pos[0], args.pos[1], out, span);
    if (!r.ok()) return r;
    return Res::of(Value::boolean(out));
}

Res bi_issubclass(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 2, 2); !a.ok()) return a;
    if (!is_kind(args.pos[0], OKind::cls)) return vm.raise_error("TypeError", "issubclass() arg 1 must be a class");
    std::vector<Value> cs;
    if (is_kind(args.pos[1], OKind::tuple)) cs = as<Tuple>(args.pos[1]).items;
    else cs.push_back(args.pos[1]);
    for (const auto& c : cs) {
        if (!is_kind(c, OKind::cls)) return vm.raise_error("TypeError", "issubclass() arg 2 must be a class, a tuple of classes, or a union");
        if (as<Class>(args.pos[0]).is_subclass_of(&as<Class>(c)) || as<Class>(c).builtin == BuiltinType::object)
            return Res::of(Value::boolean(true));
    }
    return Res::of(Value::boolean(false));
}

Res bi_sorted(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    const Value* rev = args.kwarg("reverse");
    bool reverse = false;
    if (rev) vm.truthy(*rev, reverse);
    Res s = vm.sort_values(xs, args.kwarg("key"), reverse, span);
    if (!s.ok()) return s;
    return Res::of(py::make_list(std::move(xs)));
}

Res bi_reversed(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    std::reverse(xs.begin(), xs.end());
    return Res::of(py::make_list(std::move(xs)));
}

Res bi_enumerate(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 2); !a.ok()) return a;
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    std::int64_t start = 0;
    if (args.pos.size() > 1) start = int_of(args.pos[1]);
    if (const Value* s = args.kwarg("start")) start = int_of(*s);
    std::vector<Value> out;
    for (std::size_t k = 0; k < xs.size(); ++k) out.push_back(make_tuple({Value::integer(start + static_cast<std::int64_t>(k)), xs[k]}));
    return Res::of(py::make_list(std::move(out)));
}

Res bi_zip(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    std::vector<std::vector<Value>> seqs(args.pos.size());
    std::size_t n = SIZE_MAX;
    for (std::size_t k = 0; k < args.pos.size(); ++k) {
        Res it = vm.iterate(args.pos[k], seqs[k], span);
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

Res bi_min_max(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    std::vector<Value> xs;
    if (args.pos.size() == 1) {
        Res it = vm.iterate(args.pos[0], xs, span);
        if (!it.ok()) return it;
    } else {
        xs = args.pos;
    }
    if (xs.empty()) {
        if (const Value* d = args.kwarg("default")) return Res::of(*d);
        return vm.raise_error("ValueError", name + "() arg is an empty sequence");
    }
    const Value* key = args.kwarg("key");
    Value best = xs[0];
    Value best_key = best;
    if (key) {
        Args a;
        a.pos.push_back(best);
        Res k = vm.call(*key, a, span);
        if (!k.ok()) return k;
        best_key = k.value;
    }
    for (std::size_t i = 1; i < xs.size(); ++i) {
        Value k = xs[i];
        if (key) {
            Args a;
            a.pos.push_back(xs[i]);
            Res kr = vm.call(*key, a, span);
            if (!kr.ok()) return kr;
            k = kr.value;
        }
        Res better = vm.compare(name == "min" ? BinaryOp::lt : BinaryOp::gt, k, best_key, span);
        if (!better.ok()) return better;
        if (better.value.b) {
            best = xs[i];
            best_key = k;
        }
    }
    return Res::of(best);
}

Res bi_sum(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 2); !a.ok()) return a;
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    Value acc = args.pos.size() > 1 ? args.pos[1] : Value::integer(0);
    if (const Value* s = args.kwarg("start")) acc = *s;
    for (const auto& x : xs) {
        Res r = vm.arith(BinaryOp::add, acc, x, span);
        if (!r.ok()) return r;
        acc = r.value;
    }
    return Res::of(acc);
}

Res bi_abs(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    const Value& x = args.pos[0];
    if (is_intlike(x)) {
        if (int_of(x) == INT64_MIN)
            return vm.fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
                        "CPython's ints grow without limit; keep the numbers of a scenario below 2**63");
        return Res::of(Value::integer(std::llabs(int_of(x))));
    }
    if (x.kind == VKind::real) return Res::of(Value::real(std::fabs(x.d)));
    return vm.raise_error("TypeError", "bad operand type for abs(): '" + vm.type_name(x) + "'");
}

Res bi_round(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 2); !a.ok()) return a;
    const Value& x = args.pos[0];
    const bool ndigits = args.pos.size() > 1 && !args.pos[1].is_none();
    if (is_intlike(x)) return Res::of(Value::integer(int_of(x)));
    if (x.kind != VKind::real) return vm.raise_error("TypeError", "type " + vm.type_name(x) + " doesn't define __round__ method");
    if (!ndigits) {
        if (std::isnan(x.d)) return vm.raise_error("ValueError", "cannot convert float NaN to integer");
        if (std::isinf(x.d)) return vm.raise_error("OverflowError", "cannot convert float infinity to integer");
        const double r = std::nearbyint(x.d);  // round half to even
        if (r >= 9223372036854775808.0 || r < -9223372036854775808.0)
            return vm.fail(DiagnosticKind::misuse, span, "integer overflow: tasklab's Python ints are 64-bit",
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

Res bi_any_all(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    for (const auto& x : xs) {
        bool t = false;
        Res tr = vm.truthy(x, t);
        if (!tr.ok()) return tr;
        if (name == "any" && t) return Res::of(Value::boolean(true));
        if (name == "all" && !t) return Res::of(Value::boolean(false));
    }
    return Res::of(Value::boolean(name == "all"));
}

Res bi_map_filter(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const Span span = bc.span;
    if (!need(bc, 2)) return vm.raise_error("TypeError", name + "() must have at least two arguments.");
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[1], xs, span);
    if (!it.ok()) return it;
    std::vector<Value> out;
    for (const auto& x : xs) {
        if (name == "filter" && args.pos[0].is_none()) {
            bool t = false;
            vm.truthy(x, t);
            if (t) out.push_back(x);
            continue;
        }
        Args a;
        a.pos.push_back(x);
        Res r = vm.call(args.pos[0], a, span);
        if (!r.ok()) return r;
        if (name == "map") {
            out.push_back(r.value);
        } else {
            bool t = false;
            Res tr = vm.truthy(r.value, t);
            if (!tr.ok()) return tr;
            if (t) out.push_back(x);
        }
    }
    return Res::of(py::make_list(std::move(out)));
}

Res bi_hasattr(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 2, 2); !a.ok()) return a;
    Res r = vm.get_attr(args.pos[0], as_str(args.pos[1]), span);
    if (r.ctl == Ctl::raise && vm.isinstance(r.value, vm.cls("AttributeError").get())) return Res::of(Value::boolean(false));
    if (!r.ok()) return r;
    return Res::of(Value::boolean(true));
}

Res bi_getattr(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 2, 3); !a.ok()) return a;
    if (!is_str(args.pos[1])) return vm.raise_error("TypeError", "attribute name must be string, not '" + vm.type_name(args.pos[1]) + "'");
    Res r = vm.get_attr(args.pos[0], as_str(args.pos[1]), span);
    if (r.ctl == Ctl::raise && args.pos.size() == 3 && vm.isinstance(r.value, vm.cls("AttributeError").get())) return Res::of(args.pos[2]);
    return r;
}

Res bi_setattr(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 3, 3); !a.ok()) return a;
    Res r = vm.set_attr(args.pos[0], as_str(args.pos[1]), args.pos[2], span);
    if (!r.ok()) return r;
    return Res::of();
}

Res bi_callable(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    const Value& x = args.pos[0];
    bool c = is_kind(x, OKind::function) || is_kind(x, OKind::bound_method) || is_kind(x, OKind::builtin) || is_kind(x, OKind::cls);
    if (is_kind(x, OKind::instance)) c = as<Instance>(x).cls->lookup("__call__") != nullptr;
    return Res::of(Value::boolean(c));
}

Res bi_id(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
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

Res bi_divmod(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    if (Res a = arity(vm, bc, 2, 2); !a.ok()) return a;
    Res q = vm.arith(BinaryOp::floor_div, args.pos[0], args.pos[1], span);
    if (!q.ok()) return q;
    Res m = vm.arith(BinaryOp::mod, args.pos[0], args.pos[1], span);
    if (!m.ok()) return m;
    return Res::of(make_tuple({q.value, m.value}));
}

Res bi_chr(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
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

Res bi_ord(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    const std::string& s = as_str(args.pos[0]);
    if (s.empty()) return vm.raise_error("TypeError", "ord() expected a character, but string of length 0 found");
    const auto c0 = static_cast<unsigned char>(s[0]);
    std::uint32_t cp = c0;
    std::size_t len = 1;
    if (c0 >= 0xF0) { cp = c0 & 0x07; len = 4; }
    else if (c0 >= 0xE0) { cp = c0 & 0x0F; len = 3; }
    else if (c0 >= 0xC0) { cp = c0 & 0x1F; len = 2; }
    for (std::size_t k = 1; k < len && k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[k]) & 0x3F);
    return Res::of(Value::integer(cp));
}

Res bi_hash(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    const Value& x = args.pos[0];
    if (is_intlike(x)) return Res::of(Value::integer(int_of(x)));
    std::uint64_t h = 1469598103934665603ull;
    for (unsigned char c : vm.repr_of(x)) h = (h ^ c) * 1099511628211ull;
    return Res::of(Value::integer(static_cast<std::int64_t>(h >> 1)));
}

Res bi_decorator(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    if (Res a = arity(vm, bc, 1, 1); !a.ok()) return a;
    if (is_kind(args.pos[0], OKind::function)) {
        auto& f = as<Function>(args.pos[0]);
        f.is_static = name == "staticmethod";
        f.is_classmethod = name == "classmethod";
        f.is_property = name == "property";
    }
    return Res::of(args.pos[0]);
}

Res bi_unsupported(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const Span span = bc.span;
    return vm.fail(DiagnosticKind::unknown_member, span, "`" + name + "()` is not supported by tasklab");
}

const BuiltinTable& builtins_table() {
    static const BuiltinTable table{
        {"print", bi_print},
        {"len", bi_len},
        {"repr", bi_repr},
        {"ascii", bi_ascii},
        {"format", bi_format},
        {"isinstance", bi_isinstance},
        {"issubclass", bi_issubclass},
        {"sorted", bi_sorted},
        {"reversed", bi_reversed},
        {"enumerate", bi_enumerate},
        {"zip", bi_zip},
        {"min", bi_min_max},
        {"max", bi_min_max},
        {"sum", bi_sum},
        {"abs", bi_abs},
        {"round", bi_round},
        {"any", bi_any_all},
        {"all", bi_any_all},
        {"map", bi_map_filter},
        {"filter", bi_map_filter},
        {"hasattr", bi_hasattr},
        {"getattr", bi_getattr},
        {"setattr", bi_setattr},
        {"callable", bi_callable},
        {"id", bi_id},
        {"divmod", bi_divmod},
        {"chr", bi_chr},
        {"ord", bi_ord},
        {"hash", bi_hash},
        {"staticmethod", bi_decorator},
        {"classmethod", bi_decorator},
        {"property", bi_decorator},
        {"input", bi_unsupported},
        {"open", bi_unsupported},
        {"exec", bi_unsupported},
        {"eval", bi_unsupported},
        {"globals", bi_unsupported},
        {"locals", bi_unsupported},
        {"vars", bi_unsupported},
    };
    return table;
}

}  // namespace

Res Machine::builtin_function(const std::string& name, Args& args, Span span, bool& handled) {
    handled = true;
    static const Value none{};
    BuiltinCall bc{name, none, args, span, handled};
    if (const BuiltinHandler h = builtins_table().find(name)) return h(*this, bc);
    if (const BuiltinHandler h = stdlib_table().find(name)) return h(*this, bc);
    if (name.rfind("random.", 0) == 0) return fail(DiagnosticKind::unknown_member, span, "`" + name + "` is not supported by tasklab");
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
