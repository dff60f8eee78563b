// Methods of single values, one handler each in a table per type: String's (uppercased,
// hasPrefix, contains(substring), split, components(separatedBy:), replacingOccurrences,
// reversed), Int's isMultiple(of:), Double's rounded() and Date's timeIntervalSince. A String
// method this file declines (contains(where:), map, prefix…) is a collection method:
// builtins_sequences.cpp.
#include <cctype>
#include <cmath>

#include "engine/interp/swift/builtin_table.hpp"

namespace tasklab::interp {

namespace {

Res is_multiple(BuiltinCall& c) {
    const Value& recv = c.receiver();
    const ArgVal* of = find_arg(c.args, "of");
    if (!of || of->value.kind != Kind::integer) return c.wrong("(of:)");
    if (of->value.i == 0) return Res::of(Value::boolean(recv.i == 0));
    return Res::of(Value::boolean(recv.i % of->value.i == 0));
}

Res rounded(BuiltinCall& c) { return Res::of(Value::real(std::round(c.receiver().d))); }

Res time_interval_since(BuiltinCall& c) {
    const Value* other = c.arg0();
    if (!other || other->kind != Kind::dispatch_time) return c.wrong("(date)");
    return Res::of(Value::real(static_cast<double>(c.receiver().i - other->i) / 1e9));
}

Res change_case(BuiltinCall& c) {
    const bool upper = c.name() == "uppercased";
    std::string out = str(c.receiver());
    for (char& ch : out)
        if (static_cast<unsigned char>(ch) < 0x80) ch = static_cast<char>(upper ? std::toupper(ch) : std::tolower(ch));
    return Res::of(Value::string(std::move(out)));
}

Res has_affix(BuiltinCall& c) {
    const std::string& s = str(c.receiver());
    const Value* v = c.arg0();
    if (!v || v->kind != Kind::string) return c.wrong("(string)");
    const std::string& t = str(*v);
    const bool r = t.size() <= s.size() && (c.name() == "hasPrefix" ? s.compare(0, t.size(), t) == 0
                                                                     : s.compare(s.size() - t.size(), t.size(), t) == 0);
    return Res::of(Value::boolean(r));
}

/// `s.contains("sub")`; with any other argument it is the collection method.
Res contains_substring(BuiltinCall& c) {
    const Value* v = c.arg0();
    if (!v || v->kind != Kind::string) return c.decline();
    return Res::of(Value::boolean(str(c.receiver()).find(str(*v)) != std::string::npos));
}

Res split_string(BuiltinCall& c) {
    const std::string& s = str(c.receiver());
    const bool split = c.name() == "split";
    const ArgVal* sep = find_arg(c.args, split ? "separator" : "separatedBy");
    if (!sep || sep->value.kind != Kind::string) return c.wrong(split ? "(separator:)" : "(separatedBy:)");
    const std::string& d = str(sep->value);
    std::vector<Value> parts;
    std::size_t start = 0;
    while (true) {
        const std::size_t p = d.empty() ? std::string::npos : s.find(d, start);
        const std::string piece = s.substr(start, p == std::string::npos ? std::string::npos : p - start);
        if (!split || !piece.empty()) parts.push_back(Value::string(piece));
        if (p == std::string::npos) break;
        start = p + d.size();
    }
    return Res::of(Value::array(std::move(parts)));
}

Res replacing_occurrences(BuiltinCall& c) {
    const std::string& s = str(c.receiver());
    const ArgVal* of = find_arg(c.args, "of");
    const ArgVal* with = find_arg(c.args, "with");
    if (!of || !with) return c.wrong("(of:with:)");
    const std::string& a = str(of->value);
    const std::string& r = str(with->value);
    if (a.empty()) return Res::of(c.receiver());
    std::uint64_t hits = 0;
    for (std::size_t j = s.find(a); j != std::string::npos; j = s.find(a, j + a.size())) ++hits;
    const std::uint64_t size = s.size() - hits * a.size() + hits * r.size();
    if (!c.m.count_work(hits, c.site.span, "this replacement is too long to make in one step") ||
        !c.m.reserve_memory(MemoryKind::string, size, size, c.site.span))
        return Res::make(Ctl::fatal);
    std::string out;
    std::size_t start = 0, p;
    while ((p = s.find(a, start)) != std::string::npos) {
        out += s.substr(start, p - start) + r;
        start = p + a.size();
    }
    out += s.substr(start);
    return Res::of(Value::string(std::move(out)));
}

Res reversed_string(BuiltinCall& c) {
    std::vector<Value> chars;
    Res r = c.m.for_sequence(c.receiver(), chars, c.site.span);
    if (!r.ok()) return r;
    std::string out;
    for (auto it = chars.rbegin(); it != chars.rend(); ++it) out += str(*it);
    return Res::of(Value::string(std::move(out)));
}

const BuiltinTable& string_methods() {
    static const BuiltinTable table{
        {"uppercased", change_case},
        {"lowercased", change_case},
        {"hasPrefix", has_affix},
        {"hasSuffix", has_affix},
        {"contains", contains_substring},
        {"split", split_string},
        {"components", split_string},
        {"replacingOccurrences", replacing_occurrences},
        {"reversed", reversed_string},
    };
    return table;
}

}  // namespace

Res value_method(BuiltinCall& c) {
    const std::string& n = c.name();
    switch (c.receiver().kind) {
    case Kind::integer:
        if (n == "isMultiple") return is_multiple(c);
        break;
    case Kind::real:
        if (n == "rounded") return rounded(c);
        break;
    case Kind::dispatch_time:
        if (n == "timeIntervalSince") return time_interval_since(c);
        break;
    case Kind::string:
        if (const BuiltinHandler h = string_methods().find(n)) return h(c);
        break;
    default: break;
    }
    return c.decline();
}

}  // namespace tasklab::interp
