// Methods of Array, Range, Dictionary and String values as collections, one handler each in
// a table by name: contains, map/compactMap/filter/forEach/allSatisfy/first(where:)/…,
// reduce, firstIndex(of:), enumerated, joined, sorted, reversed, min/max, randomElement,
// shuffled, prefix/suffix/dropFirst/dropLast; Dictionary's mapValues and filter; Range's
// contains without walking the range. The closures they call run on the synchronous path
// (a closure that suspends goes through Machine::common_builtin_async instead). The
// mutating methods (append, sort, …) are in builtins_mutating.cpp.
#include <algorithm>
#include <functional>

#include "engine/interp/swift/builtin_table.hpp"
#include "engine/interp/swift/format.hpp"

namespace tasklab::interp {

namespace {

/// A collection method: the call, the receiver's elements (a copy it may reorder) and its
/// closure argument (null when it has none).
struct SeqCall {
    BuiltinCall& c;
    std::vector<Value>& xs;
    const ArgVal* f;
};
using SeqHandler = Res (*)(SeqCall&);

/// Merge sort with a comparator that may fail (a closure that throws or traps).
Res merge_sort(std::vector<Value>& xs, const std::function<Res(const Value&, const Value&, bool&)>& less) {
    if (xs.size() < 2) return Res::of();
    std::vector<Value> tmp(xs.size());
    for (std::size_t width = 1; width < xs.size(); width *= 2) {
        for (std::size_t lo = 0; lo < xs.size(); lo += 2 * width) {
            const std::size_t mid = std::min(lo + width, xs.size());
            const std::size_t hi = std::min(lo + 2 * width, xs.size());
            std::size_t i = lo, j = mid, k = lo;
            while (i < mid && j < hi) {
                bool b_before_a = false;
                Res r = less(xs[j], xs[i], b_before_a);
                if (!r.ok()) return r;
                tmp[k++] = b_before_a ? xs[j++] : xs[i++];
            }
            while (i < mid) tmp[k++] = xs[i++];
            while (j < hi) tmp[k++] = xs[j++];
        }
        xs.swap(tmp);
    }
    return Res::of();
}

bool truthy(const Res& r) { return r.value.kind == Kind::boolean && r.value.b; }

// ---- Dictionary and Range ----

/// `d.mapValues { … }` and `d.filter { … }` (a closure sees a (key, value) pair).
Res dict_transform(BuiltinCall& c) {
    const bool map_values = c.name() == "mapValues";
    const ArgVal* f = fn_arg(c.args);
    if (!map_values && !f) return c.decline();  // filter without a closure: the collection method
    if (!f) return c.wrong("({ … })");
    const auto& entries = static_cast<const DictObj&>(*c.receiver().ref).entries;
    auto out = std::make_shared<DictObj>();
    for (const auto& [k, v] : entries) {
        Res r = map_values ? call_with(c, f->value, {v}) : call_with(c, f->value, {Value::tuple({k, v}, {"key", "value"})});
        if (!r.ok()) return r;
        if (map_values) out->entries.emplace_back(k, r.value);
        else if (truthy(r)) out->entries.emplace_back(k, v);
    }
    return Res::of(Value::with_ref(Kind::dict, std::move(out)));
}

/// `range.contains(x)` for a number, without making the range's elements.
Res range_contains(BuiltinCall& c) {
    const auto& r = static_cast<const RangeObj&>(*c.receiver().ref);
    const Value* x = c.arg0();
    if (r.real && x && x->is_number()) {
        const double d = x->as_double();
        return Res::of(Value::boolean(d >= r.dlo && (r.closed ? d <= r.dhi : d < r.dhi)));
    }
    if (x && x->kind == Kind::integer) return Res::of(Value::boolean(r.contains(x->i)));
    return c.decline();
}

// ---- every collection ----

Res contains(SeqCall& s) {
    const Value* x0 = s.c.arg0();
    for (const auto& x : s.xs) {
        if (s.f) {
            Res r = call_with(s.c, s.f->value, {x});
            if (!r.ok()) return r;
            if (truthy(r)) return Res::of(Value::boolean(true));
        } else if (x0 && values_equal(x, *x0)) {
            return Res::of(Value::boolean(true));
        }
    }
    return Res::of(Value::boolean(false));
}

Res map_elements(SeqCall& s) {
    if (!s.f) return s.c.wrong("({ … })");
    std::vector<Value> out;
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {x});
        if (!r.ok()) return r;
        out.push_back(r.value);
    }
    return Res::of(Value::array(std::move(out)));
}

Res compact_map(SeqCall& s) {
    if (!s.f) return s.c.wrong("({ … })");
    std::vector<Value> out;
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {x});
        if (!r.ok()) return r;
        if (!r.value.is_nil()) {
            Value v = r.value;
            if (v.opt > 0) --v.opt;
            out.push_back(v);
        }
    }
    return Res::of(Value::array(std::move(out)));
}

Res filter(SeqCall& s) {
    if (!s.f) return s.c.wrong("({ … })");
    std::vector<Value> out;
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {x});
        if (!r.ok()) return r;
        if (truthy(r)) out.push_back(x);
    }
    return Res::of(Value::array(std::move(out)));
}

Res for_each(SeqCall& s) {
    if (!s.f) return s.c.wrong("({ … })");
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {x});
        if (!r.ok()) return r;
    }
    return Res::of();
}

Res all_satisfy(SeqCall& s) {
    if (!s.f) return s.c.wrong("({ … })");
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {x});
        if (!r.ok()) return r;
        if (!truthy(r)) return Res::of(Value::boolean(false));
    }
    return Res::of(Value::boolean(true));
}

/// `first(where:)`, `last(where:)`, `firstIndex(where:)`; without a closure, `first` and
/// `last` are properties (the "not supported" diagnostic) and firstIndex takes `of:`.
Res find_where(SeqCall& s) {
    const std::string& n = s.c.name();
    if (!s.f) {
        if (n != "firstIndex") return s.c.decline();
        const ArgVal* of = find_arg(s.c.args, "of");
        if (!of) return s.c.wrong("(of:) or (where:)");
        for (std::size_t k = 0; k < s.xs.size(); ++k)
            if (values_equal(s.xs[k], of->value)) return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
        return Res::of(Value::nil());
    }
    if (n == "last") std::reverse(s.xs.begin(), s.xs.end());
    for (std::size_t k = 0; k < s.xs.size(); ++k) {
        Res r = call_with(s.c, s.f->value, {s.xs[k]});
        if (!r.ok()) return r;
        if (!truthy(r)) continue;
        if (n == "firstIndex") return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
        return Res::of(s.xs[k].wrapped());
    }
    return Res::of(Value::nil());
}

Res reduce(SeqCall& s) {
    const ArgVal* init = positional(s.c.args, 0);
    if (!init || !s.f || init == s.f) return s.c.wrong("(initial, { acc, x in … })");
    Value acc = init->value;
    for (const auto& x : s.xs) {
        Res r = call_with(s.c, s.f->value, {acc, x});
        if (!r.ok()) return r;
        acc = r.value;
    }
    return Res::of(acc);
}

Res enumerated(SeqCall& s) {
    std::vector<Value> out;
    for (std::size_t k = 0; k < s.xs.size(); ++k)
        out.push_back(Value::tuple({Value::integer(static_cast<std::int64_t>(k)), s.xs[k]}, {"offset", "element"}));
    return Res::of(Value::array(std::move(out)));
}

Res joined(SeqCall& s) {
    std::string sep;
    if (const ArgVal* a = find_arg(s.c.args, "separator")) sep = str(a->value);
    std::string out;
    for (std::size_t k = 0; k < s.xs.size(); ++k) out += (k ? sep : "") + describe(s.xs[k]);
    return Res::of(Value::string(std::move(out)));
}

Res sorted(SeqCall& s) {
    Res r = merge_sort(s.xs, [&](const Value& a, const Value& b, bool& out) {
        if (s.f) {
            Res cr = call_with(s.c, s.f->value, {a, b});
            if (!cr.ok()) return cr;
            out = truthy(cr);
            return Res::of();
        }
        bool ok = true;
        out = value_less(a, b, ok);
        if (!ok) return s.c.m.fail(DiagnosticKind::type_mismatch, s.c.site.span, "values of type " + type_name(a) + " cannot be sorted");
        return Res::of();
    });
    if (!r.ok()) return r;
    return Res::of(Value::array(std::move(s.xs)));
}

Res reversed(SeqCall& s) {
    std::reverse(s.xs.begin(), s.xs.end());
    return Res::of(Value::array(std::move(s.xs)));
}

Res min_or_max_element(SeqCall& s) {
    const bool min = s.c.name() == "min";
    std::vector<Value>& xs = s.xs;
    if (xs.empty()) return Res::of(Value::nil());
    Value best = xs[0];
    for (std::size_t k = 1; k < xs.size(); ++k) {
        bool ok = true;
        bool better = false;
        if (s.f) {
            Res cr = call_with(s.c, s.f->value, min ? std::vector<Value>{xs[k], best} : std::vector<Value>{best, xs[k]});
            if (!cr.ok()) return cr;
            better = truthy(cr);
        } else {
            better = min ? value_less(xs[k], best, ok) : value_less(best, xs[k], ok);
        }
        if (!ok)
            return s.c.m.fail(DiagnosticKind::type_mismatch, s.c.site.span, "values of type " + type_name(xs[k]) + " cannot be compared");
        if (better) best = xs[k];
    }
    return Res::of(best.wrapped());
}

Res random_element(SeqCall& s) {
    if (s.xs.empty()) return Res::of(Value::nil());
    return Res::of(s.xs[s.c.m.next_random() % s.xs.size()].wrapped());
}

Res shuffled(SeqCall& s) {
    for (std::size_t k = s.xs.size(); k > 1; --k) std::swap(s.xs[k - 1], s.xs[s.c.m.next_random() % k]);
    return Res::of(Value::array(std::move(s.xs)));
}

/// prefix, suffix, dropFirst, dropLast; a String gives a String.
Res slice(SeqCall& s) {
    const std::string& n = s.c.name();
    const std::vector<Value>& xs = s.xs;
    std::int64_t count = n.rfind("drop", 0) == 0 ? 1 : 0;
    if (const Value* v = s.c.arg0()) count = v->kind == Kind::integer ? v->i : -1;
    if (count < 0) return s.c.m.fail(DiagnosticKind::misuse, s.c.site.span, "Can't take a prefix/suffix of negative length");
    const auto c = static_cast<std::ptrdiff_t>(std::min<std::size_t>(static_cast<std::size_t>(count), xs.size()));
    std::vector<Value> out;
    if (n == "prefix") out.assign(xs.begin(), xs.begin() + c);
    else if (n == "suffix") out.assign(xs.end() - c, xs.end());
    else if (n == "dropFirst") out.assign(xs.begin() + c, xs.end());
    else out.assign(xs.begin(), xs.end() - c);
    if (s.c.receiver().kind == Kind::string) {
        std::string text;
        for (const auto& ch : out) text += str(ch);
        return Res::of(Value::string(std::move(text)));
    }
    return Res::of(Value::array(std::move(out)));
}

const NameTable<SeqHandler>& sequence_methods() {
    static const NameTable<SeqHandler> table{
        {"contains", contains},
        {"map", map_elements},
        {"compactMap", compact_map},
        {"filter", filter},
        {"forEach", for_each},
        {"allSatisfy", all_satisfy},
        {"first", find_where},
        {"last", find_where},
        {"firstIndex", find_where},
        {"reduce", reduce},
        {"enumerated", enumerated},
        {"joined", joined},
        {"sorted", sorted},
        {"reversed", reversed},
        {"min", min_or_max_element},
        {"max", min_or_max_element},
        {"randomElement", random_element},
        {"shuffled", shuffled},
        {"prefix", slice},
        {"suffix", slice},
        {"dropFirst", slice},
        {"dropLast", slice},
    };
    return table;
}

}  // namespace

Res sequence_method(BuiltinCall& c) {
    const Value& recv = c.receiver();
    const std::string& n = c.name();
    if (!is_sequence(recv)) return c.decline();
    if (recv.kind == Kind::dict && (n == "mapValues" || n == "filter")) {
        Res r = dict_transform(c);
        if (c.handled) return r;
        c.handled = true;
    }
    if (recv.kind == Kind::range && n == "contains") {
        Res r = range_contains(c);
        if (c.handled) return r;
        c.handled = true;
    }
    // The elements are made before the name is looked at: walking a range too long for one
    // step is reported even for a method that does not exist.
    std::vector<Value> xs;
    Res sr = c.m.for_sequence(recv, xs, c.site.span);
    if (!sr.ok()) return sr;
    const SeqHandler h = sequence_methods().find(n);
    if (!h) return c.decline();
    SeqCall s{c, xs, fn_arg(c.args)};
    return h(s);
}

}  // namespace tasklab::interp
