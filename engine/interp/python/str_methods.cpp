// The methods of str (upper, split, join, replace, find, format, …) as a table of
// name → handler; Machine::str_method checks the receiver and looks the name up.
#include <algorithm>
#include <cctype>
#include <string>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

std::string strip_chars(const std::string& s, const std::string& chars, bool left, bool right) {
    std::size_t a = 0, b = s.size();
    auto strip_set = [&](char c) { return chars.empty() ? std::isspace(static_cast<unsigned char>(c)) != 0 : chars.find(c) != std::string::npos; };
    if (left)
        while (a < b && strip_set(s[a])) ++a;
    if (right)
        while (b > a && strip_set(s[b - 1])) --b;
    return s.substr(a, b - a);
}

/// Argument `k` of a str method, which must be a str.
Res arg_str(Machine& vm, const BuiltinCall& bc, std::size_t k, std::string& out) {
    const auto& pos = bc.args.pos;
    if (k >= pos.size()) return vm.raise_error("TypeError", bc.name + "() takes at least " + std::to_string(k + 1) + " argument");
    if (!is_str(pos[k])) return vm.raise_error("TypeError", "must be str, not " + vm.type_name(pos[k]));
    out = as_str(pos[k]);
    return Res::of();
}

Res str_case(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const std::string& s = as_str(bc.self);
    std::string out = s;
    for (auto& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (name == "upper") c = static_cast<char>(std::toupper(u));
        else if (name == "swapcase") c = static_cast<char>(std::isupper(u) ? std::tolower(u) : std::toupper(u));
        else c = static_cast<char>(std::tolower(u));
    }
    return Res::of(make_str(out));
}

Res str_strip(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const std::string& s = as_str(bc.self);
    std::string chars;
    if (!args.pos.empty() && !args.pos[0].is_none()) chars = as_str(args.pos[0]);
    return Res::of(make_str(strip_chars(s, chars, name != "rstrip", name != "lstrip")));
}

Res str_split(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const std::string& s = as_str(bc.self);
    std::vector<Value> out;
    const Value* sepv = !args.pos.empty() ? &args.pos[0] : args.kwarg("sep");
    std::int64_t maxsplit = -1;
    if (args.pos.size() > 1) maxsplit = int_of(args.pos[1]);
    if (const Value* m = args.kwarg("maxsplit")) maxsplit = int_of(*m);
    if (!sepv || sepv->is_none()) {
        std::size_t k = 0;
        while (k < s.size()) {
            while (k < s.size() && std::isspace(static_cast<unsigned char>(s[k]))) ++k;
            if (k >= s.size()) break;
            if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) {
                out.push_back(make_str(strip_chars(s.substr(k), "", false, true)));
                break;
            }
            std::size_t j = k;
            while (j < s.size() && !std::isspace(static_cast<unsigned char>(s[j]))) ++j;
            out.push_back(make_str(s.substr(k, j - k)));
            k = j;
        }
        return Res::of(py::make_list(std::move(out)));
    }
    const std::string& sep = as_str(*sepv);
    if (sep.empty()) return vm.raise_error("ValueError", "empty separator");
    std::size_t k = 0;
    for (;;) {
        if (maxsplit >= 0 && static_cast<std::int64_t>(out.size()) == maxsplit) break;
        const auto j = s.find(sep, k);
        if (j == std::string::npos) break;
        out.push_back(make_str(s.substr(k, j - k)));
        k = j + sep.size();
    }
    out.push_back(make_str(s.substr(k)));
    return Res::of(py::make_list(std::move(out)));
}

Res str_splitlines(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& s = as_str(bc.self);
    std::vector<Value> out;
    std::size_t k = 0;
    while (k < s.size()) {
        auto j = s.find('\n', k);
        if (j == std::string::npos) j = s.size();
        std::string line = s.substr(k, j - k);
        if (!line.empty() && line.back() == '\r') line.pop_back();
        out.push_back(make_str(line));
        k = j + 1;
    }
    return Res::of(py::make_list(std::move(out)));
}

Res str_join(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const std::string& s = as_str(bc.self);
    if (args.pos.size() != 1) return vm.raise_error("TypeError", "str.join() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
    std::vector<Value> xs;
    Res it = vm.iterate(args.pos[0], xs, span);
    if (!it.ok()) return it;
    std::string out;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        if (!is_str(xs[k]))
            return vm.raise_error("TypeError", "sequence item " + std::to_string(k) + ": expected str instance, " + vm.type_name(xs[k]) + " found");
        if (k) out += s;
        out += as_str(xs[k]);
    }
    return Res::of(make_str(out));
}

Res str_replace(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    Args& args = bc.args;
    const Span span = bc.span;
    const std::string& s = as_str(bc.self);
    std::string a, b;
    if (Res r = arg_str(vm, bc, 0, a); !r.ok()) return r;
    if (Res r = arg_str(vm, bc, 1, b); !r.ok()) return r;
    std::int64_t count = args.pos.size() > 2 ? int_of(args.pos[2]) : -1;
    std::string out;
    std::size_t k = 0;
    if (a.empty()) return Res::of(self);
    {
        // The result's size first: "a" * 1000 with each "a" made a million bytes long
        // stops at the memory limit instead of being built.
        std::uint64_t hits = 0;
        for (std::size_t j = s.find(a); j != std::string::npos && (count < 0 || hits < static_cast<std::uint64_t>(count));
             j = s.find(a, j + a.size()))
            ++hits;
        const std::uint64_t size = s.size() - hits * a.size() + hits * b.size();
        if (!vm.count_work(hits, span, "this replacement is too long to make in one step") ||
            !vm.reserve_memory(MemoryKind::string, size, size, span))
            return Res::make(Ctl::fatal);
    }
    for (;;) {
        const auto j = s.find(a, k);
        if (j == std::string::npos || count == 0) break;
        out += s.substr(k, j - k) + b;
        k = j + a.size();
        if (count > 0) --count;
    }
    out += s.substr(k);
    return Res::of(make_str(out));
}

Res str_startswith_endswith(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    const std::string& s = as_str(bc.self);
    std::vector<std::string> opts;
    if (!args.pos.empty() && is_kind(args.pos[0], OKind::tuple)) {
        for (const auto& v : as<Tuple>(args.pos[0]).items) opts.push_back(as_str(v));
    } else {
        std::string a;
        if (Res r = arg_str(vm, bc, 0, a); !r.ok()) return r;
        opts.push_back(a);
    }
    for (const auto& o : opts) {
        const bool hit = name == "startswith" ? s.compare(0, o.size(), o) == 0
                                              : s.size() >= o.size() && s.compare(s.size() - o.size(), o.size(), o) == 0;
        if (hit) return Res::of(Value::boolean(true));
    }
    return Res::of(Value::boolean(false));
}

Res str_remove_affix(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const Value& self = bc.self;
    const std::string& s = as_str(bc.self);
    std::string a;
    if (Res r = arg_str(vm, bc, 0, a); !r.ok()) return r;
    if (name == "removeprefix" && s.compare(0, a.size(), a) == 0) return Res::of(make_str(s.substr(a.size())));
    if (name == "removesuffix" && !a.empty() && s.size() >= a.size() && s.compare(s.size() - a.size(), a.size(), a) == 0)
        return Res::of(make_str(s.substr(0, s.size() - a.size())));
    return Res::of(self);
}

Res str_find_index_count(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const std::string& s = as_str(bc.self);
    std::string a;
    if (Res r = arg_str(vm, bc, 0, a); !r.ok()) return r;
    auto cp_index = [&](std::size_t byte) {
        std::int64_t n = 0;
        for (std::size_t k = 0; k < byte; ++k)
            if ((static_cast<unsigned char>(s[k]) & 0xC0) != 0x80) ++n;
        return n;
    };
    if (name == "count") {
        if (a.empty()) return Res::of(Value::integer(cp_index(s.size()) + 1));
        std::int64_t n = 0;
        for (std::size_t k = s.find(a); k != std::string::npos; k = s.find(a, k + a.size())) ++n;
        return Res::of(Value::integer(n));
    }
    const auto j = name == "rfind" ? s.rfind(a) : s.find(a);
    if (j == std::string::npos) {
        if (name == "index") return vm.raise_error("ValueError", "substring not found");
        return Res::of(Value::integer(-1));
    }
    return Res::of(Value::integer(cp_index(j)));
}

Res str_partition(Machine& vm, BuiltinCall& bc) {
    const Value& self = bc.self;
    const std::string& s = as_str(bc.self);
    std::string a;
    if (Res r = arg_str(vm, bc, 0, a); !r.ok()) return r;
    const auto j = s.find(a);
    if (j == std::string::npos) return Res::of(make_tuple({self, make_str(""), make_str("")}));
    return Res::of(make_tuple({make_str(s.substr(0, j)), make_str(a), make_str(s.substr(j + a.size()))}));
}

Res str_is_class(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const std::string& s = as_str(bc.self);
    if (s.empty()) return Res::of(Value::boolean(false));
    bool all = true, cased = false;
    for (unsigned char c : s) {
        if (name == "isdigit") all = all && std::isdigit(c);
        else if (name == "isalpha") all = all && (std::isalpha(c) || c >= 0x80);
        else if (name == "isalnum") all = all && (std::isalnum(c) || c >= 0x80);
        else if (name == "isspace") all = all && std::isspace(c);
        else if (name == "isupper") {
            if (std::islower(c)) all = false;
            if (std::isupper(c)) cased = true;
        } else {
            if (std::isupper(c)) all = false;
            if (std::islower(c)) cased = true;
        }
    }
    if (name == "isupper" || name == "islower") all = all && cased;
    return Res::of(Value::boolean(all));
}

Res str_title_capitalize(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const std::string& s = as_str(bc.self);
    std::string out = s;
    bool start = true;
    for (auto& c : out) {
        const auto u = static_cast<unsigned char>(c);
        if (std::isalpha(u)) {
            c = static_cast<char>(start ? std::toupper(u) : std::tolower(u));
            start = false;
        } else if (name == "title") {
            start = true;
        }
        if (name == "capitalize" && !start) start = false;
    }
    return Res::of(make_str(out));
}

Res str_pad(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    const Value& self = bc.self;
    Args& args = bc.args;
    const Span span = bc.span;
    const std::string& s = as_str(bc.self);
    if (args.pos.empty()) return vm.raise_error("TypeError", name + "() takes at least 1 argument (0 given)");
    const std::int64_t width = int_of(args.pos[0]);
    std::string fill = " ";
    if (args.pos.size() > 1) fill = as_str(args.pos[1]);
    std::int64_t len = 0;
    for (unsigned char c : s)
        if ((c & 0xC0) != 0x80) ++len;
    if (width <= len) return Res::of(self);
    const auto n = static_cast<std::size_t>(width - len);
    const std::uint64_t size = s.size() + static_cast<std::uint64_t>(n) * std::max<std::size_t>(fill.size(), 1);
    if (!vm.count_work(n, span, "this string is too long to make in one step") || !vm.reserve_memory(MemoryKind::string, size, size, span))
        return Res::make(Ctl::fatal);
    auto rep = [&](std::size_t k) {
        std::string r;
        for (std::size_t i = 0; i < k; ++i) r += fill;
        return r;
    };
    if (name == "ljust") return Res::of(make_str(s + rep(n)));
    if (name == "rjust") return Res::of(make_str(rep(n) + s));
    if (name == "zfill") {
        if (!s.empty() && (s[0] == '-' || s[0] == '+')) return Res::of(make_str(s.substr(0, 1) + std::string(n, '0') + s.substr(1)));
        return Res::of(make_str(std::string(n, '0') + s));
    }
    const std::size_t left = n / 2 + (n % 2 & static_cast<std::size_t>(width) & 1);
    return Res::of(make_str(rep(left) + s + rep(n - left)));
}

Res str_encode_utf8(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const std::string& s = as_str(bc.self);
    return vm.str_encode(s, args, span);
}

Res str_format(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    const std::string& s = as_str(bc.self);
    // "{}" / "{0}" / "{name}" with conversions and format specs.
    std::string out;
    std::size_t auto_index = 0;
    for (std::size_t k = 0; k < s.size(); ++k) {
        const char c = s[k];
        if (c == '{' && k + 1 < s.size() && s[k + 1] == '{') {
            out += '{';
            ++k;
            continue;
        }
        if (c == '}' && k + 1 < s.size() && s[k + 1] == '}') {
            out += '}';
            ++k;
            continue;
        }
        if (c != '{') {
            out += c;
            continue;
        }
        const auto close = s.find('}', k);
        if (close == std::string::npos) return vm.raise_error("ValueError", "Single '{' encountered in format string");
        std::string field = s.substr(k + 1, close - k - 1);
        k = close;
        std::string spec;
        char conv = 0;
        if (const auto colon = field.find(':'); colon != std::string::npos) {
            spec = field.substr(colon + 1);
            field = field.substr(0, colon);
        }
        if (const auto bang = field.find('!'); bang != std::string::npos) {
            conv = bang + 1 < field.size() ? field[bang + 1] : 0;
            field = field.substr(0, bang);
        }
        Value v;
        if (field.empty()) {
            if (auto_index >= args.pos.size()) return vm.raise_error("IndexError", "Replacement index " + std::to_string(auto_index) + " out of range for positional args tuple");
            v = args.pos[auto_index++];
        } else if (std::all_of(field.begin(), field.end(), [](unsigned char ch) { return std::isdigit(ch); })) {
            const auto idx = static_cast<std::size_t>(std::stoul(field));
            if (idx >= args.pos.size()) return vm.raise_error("IndexError", "Replacement index " + field + " out of range for positional args tuple");
            v = args.pos[idx];
        } else {
            const Value* kv = args.kwarg(field);
            if (!kv) return Res::raised(vm.new_exception(vm.cls("KeyError"), {make_str(field)}));
            v = *kv;
        }
        if (conv == 'r' || conv == 'a') {
            Res r = vm.py_repr(v);
            if (!r.ok()) return r;
            v = r.value;
        } else if (conv == 's') {
            Res r = vm.py_str(v);
            if (!r.ok()) return r;
            v = r.value;
        }
        Res f = vm.format_value(v, spec, span);
        if (!f.ok()) return f;
        out += as_str(f.value);
    }
    return Res::of(make_str(out));
}

const BuiltinTable& str_table() {
    static const BuiltinTable table{
        {"upper", str_case},
        {"lower", str_case},
        {"casefold", str_case},
        {"swapcase", str_case},
        {"strip", str_strip},
        {"lstrip", str_strip},
        {"rstrip", str_strip},
        {"split", str_split},
        {"rsplit", str_split},
        {"splitlines", str_splitlines},
        {"join", str_join},
        {"replace", str_replace},
        {"startswith", str_startswith_endswith},
        {"endswith", str_startswith_endswith},
        {"removeprefix", str_remove_affix},
        {"removesuffix", str_remove_affix},
        {"find", str_find_index_count},
        {"rfind", str_find_index_count},
        {"index", str_find_index_count},
        {"count", str_find_index_count},
        {"partition", str_partition},
        {"isdigit", str_is_class},
        {"isalpha", str_is_class},
        {"isalnum", str_is_class},
        {"isspace", str_is_class},
        {"isupper", str_is_class},
        {"islower", str_is_class},
        {"title", str_title_capitalize},
        {"capitalize", str_title_capitalize},
        {"center", str_pad},
        {"ljust", str_pad},
        {"rjust", str_pad},
        {"zfill", str_pad},
        {"encode", str_encode_utf8},
        {"format", str_format},
    };
    return table;
}

}  // namespace

Res Machine::str_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_str(self)) return raise_error("TypeError", "descriptor '" + name + "' for 'str' objects doesn't apply to a '" + type_name(self) + "' object");
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = str_table().find(name)) return h(*this, bc);
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
