// Python values as text: truthiness, str() and repr() exactly as CPython prints them
// (containers, floats, reprs of objects and recursion), and format specs
// ([[fill]align][sign][#][0][width][,|_][.precision][type]).
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

std::string int_text(std::int64_t i) { return std::to_string(i); }

}  // namespace

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

}  // namespace tasklab::py
