// The built-in types called as constructors: int(), float(), str(), bool(), list(),
// tuple(), set(), dict(), range(), type(), object(), bytes() (bytes.cpp), and the classes of
// asyncio, websockets and logging, as a table of type name → handler (Machine::convert).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }
bool is_intlike(const Value& v) { return v.kind == VKind::integer || v.kind == VKind::boolean; }

std::string strip_spaces(const std::string& s) {
    std::size_t a = 0, b = s.size();
    while (a < b && std::isspace(static_cast<unsigned char>(s[a])) != 0) ++a;
    while (b > a && std::isspace(static_cast<unsigned char>(s[b - 1])) != 0) --b;
    return s.substr(a, b - a);
}

Res conv_bytes(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    return vm.bytes_convert(args, span);
}

Res conv_int(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    if (!x) return Res::of(Value::integer(0));
    if (is_intlike(*x)) return Res::of(Value::integer(int_of(*x)));
    if (x->kind == VKind::real) {
        if (!std::isfinite(x->d)) return vm.raise_error(std::isnan(x->d) ? "ValueError" : "OverflowError", "cannot convert float to integer");
        return Res::of(Value::integer(static_cast<std::int64_t>(std::trunc(x->d))));
    }
    if (is_str(*x)) {
        std::string s = strip_spaces(as_str(*x));
        int base = 10;
        if (args.pos.size() > 1 && is_intlike(args.pos[1])) base = static_cast<int>(int_of(args.pos[1]));
        s.erase(std::remove(s.begin(), s.end(), '_'), s.end());
        char* endp = nullptr;
        errno = 0;
        const long long v = std::strtoll(s.c_str(), &endp, base);
        if (s.empty() || *endp != '\0' || errno == ERANGE)
            return vm.raise_error("ValueError", "invalid literal for int() with base " + std::to_string(base) + ": " + str_repr(as_str(*x)));
        return Res::of(Value::integer(v));
    }
    return vm.raise_error("TypeError", "int() argument must be a string, a bytes-like object or a real number, not '" + vm.type_name(*x) + "'");
}

Res conv_float(Machine& vm, BuiltinCall& bc) {
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    if (!x) return Res::of(Value::real(0));
    if (x->is_number()) return Res::of(Value::real(x->as_double()));
    if (is_str(*x)) {
        std::string s = strip_spaces(as_str(*x));
        std::string low = s;
        std::transform(low.begin(), low.end(), low.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        if (low == "inf" || low == "+inf" || low == "infinity") return Res::of(Value::real(INFINITY));
        if (low == "-inf" || low == "-infinity") return Res::of(Value::real(-INFINITY));
        if (low == "nan") return Res::of(Value::real(NAN));
        char* endp = nullptr;
        const double d = std::strtod(s.c_str(), &endp);
        if (s.empty() || *endp != '\0') return vm.raise_error("ValueError", "could not convert string to float: " + str_repr(as_str(*x)));
        return Res::of(Value::real(d));
    }
    return vm.raise_error("TypeError", "float() argument must be a string or a real number, not '" + vm.type_name(*x) + "'");
}

Res conv_str(Machine& vm, BuiltinCall& bc) {
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    if (!x) return Res::of(make_str(""));
    return vm.py_str(*x);
}

Res conv_bool(Machine& vm, BuiltinCall& bc) {
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    if (!x) return Res::of(Value::boolean(false));
    bool t = false;
    Res r = vm.truthy(*x, t);
    if (!r.ok()) return r;
    return Res::of(Value::boolean(t));
}

Res conv_list(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const Span span = bc.span;
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    std::vector<Value> xs;
    if (x) {
        Res it = vm.iterate(*x, xs, span);
        if (!it.ok()) return it;
    }
    if (name == "list") return Res::of(py::make_list(std::move(xs)));
    if (name == "tuple") return Res::of(make_tuple(std::move(xs)));
    auto s = std::make_shared<Set>();
    for (auto& v : xs) {
        bool dup = false;
        for (const auto& w : s->items)
            if (py_equal(v, w)) dup = true;
        if (!dup) s->items.push_back(std::move(v));
    }
    return Res::of(Value::of(std::move(s)));
}

Res conv_dict(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    auto d = std::make_shared<Dict>();
    if (x) {
        if (is_kind(*x, OKind::dict)) {
            d->entries = as<Dict>(*x).entries;
        } else {
            std::vector<Value> xs;
            Res it = vm.iterate(*x, xs, span);
            if (!it.ok()) return it;
            for (const auto& p : xs) {
                std::vector<Value> kv;
                Res pi = vm.iterate(p, kv, span);
                if (!pi.ok()) return pi;
                if (kv.size() != 2) return vm.raise_error("ValueError", "dictionary update sequence element has length " + std::to_string(kv.size()) + "; 2 is required");
                dict_set(*d, kv[0], kv[1]);
            }
        }
    }
    for (auto& [k, v] : args.kw) dict_set(*d, make_str(k), v);
    return Res::of(Value::of(std::move(d)));
}

Res conv_range(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto r = std::make_shared<Range>();
    for (const auto& a : args.pos)
        if (!is_intlike(a)) return vm.raise_error("TypeError", "'" + vm.type_name(a) + "' object cannot be interpreted as an integer");
    if (args.pos.size() == 1) r->stop = int_of(args.pos[0]);
    else if (args.pos.size() >= 2) {
        r->start = int_of(args.pos[0]);
        r->stop = int_of(args.pos[1]);
        if (args.pos.size() > 2) r->step = int_of(args.pos[2]);
        if (r->step == 0) return vm.raise_error("ValueError", "range() arg 3 must not be zero");
    } else {
        return vm.raise_error("TypeError", "range expected at least 1 argument, got 0");
    }
    return Res::of(Value::of(std::move(r)));
}

Res conv_type(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const Value* x = bc.args.pos.empty() ? nullptr : &bc.args.pos[0];
    if (args.pos.size() == 1) return Res::of(Value::of(vm.type_of(*x)));
    return vm.fail(DiagnosticKind::unknown_member, span, "tasklab does not support type() with three arguments");
}

Res conv_object(Machine& vm, BuiltinCall& /*bc*/) {
    auto o = std::make_shared<Instance>();
    o->cls = vm.cls("object");
    return Res::of(Value::of(std::move(o)));
}

Res conv_NoneType(Machine& /*vm*/, BuiltinCall& /*bc*/) {
    return Res::of();
}

const BuiltinTable& types_table() {
    static const BuiltinTable table{
        {"bytes", conv_bytes},
        {"int", conv_int},
        {"float", conv_float},
        {"str", conv_str},
        {"bool", conv_bool},
        {"list", conv_list},
        {"tuple", conv_list},
        {"set", conv_list},
        {"dict", conv_dict},
        {"range", conv_range},
        {"type", conv_type},
        {"object", conv_object},
        {"NoneType", conv_NoneType},
    };
    return table;
}

}  // namespace

Res Machine::convert(const std::string& type, Args& args, Span span) {
    bool handled = true;
    static const Value none{};
    BuiltinCall bc{type, none, args, span, handled};
    if (const BuiltinHandler h = types_table().find(type)) return h(*this, bc);
    // Classes of asyncio, websockets and logging objects.
    for (const char* mod : {"asyncio", "websockets", "logging"}) {
        auto it = m_classes.find(std::string(mod) + "." + type);
        if (it != m_classes.end()) {
            Res r = asyncio_call(std::string(mod) + "." + type, Value::none(), args, span, handled);
            if (handled) return r;
        }
    }
    return raise_error("TypeError", "cannot create '" + type + "' instances");
}

}  // namespace tasklab::py
