// The mutating methods of Array, String and Dictionary values (append, insert, remove…,
// sort, reverse, shuffle; removeValue, updateValue), one handler each in a table per type.
// They change the storage in place (made unique first: copy-on-write), and what grew is
// charged to the run's memory afterwards.
#include <algorithm>

#include "engine/interp/swift/builtin_table.hpp"
#include "engine/interp/swift/format.hpp"

namespace tasklab::interp {

Res Machine::mutate(Value& target, const std::string& n, Args& args, const Site& site) {
    Res r = mutate_in_place(target, n, args, site);
    // What grew in place counts toward the run's memory from now on.
    if (target.ref) {
        switch (target.kind) {
        case Kind::array: static_cast<ArrayObj&>(*target.ref).recharge(); break;
        case Kind::string: static_cast<StrObj&>(*target.ref).recharge(); break;
        case Kind::dict: static_cast<DictObj&>(*target.ref).recharge(); break;
        default: break;
        }
    }
    if (r.ctl != Ctl::fatal && !check_memory(site.span)) return Res::make(Ctl::fatal);
    return r;
}

namespace {

/// One mutating call: the storage it changes (already unique), its name and arguments.
struct Mutation {
    Machine& m;
    Value& target;
    const std::string& n;
    Args& args;
    const Site& site;
    const ArgVal* a0;  ///< the first positional argument, or null

    Res wrong(const std::string& expected) const { return m.wrong_args(site, n, expected); }
};
using MutationHandler = Res (*)(Mutation&);

std::vector<Value>& array_items(Mutation& mu) { return static_cast<ArrayObj&>(*mu.target.ref).items; }

// ---- Array ----

Res array_append(Mutation& mu) {
    auto& xs = array_items(mu);
    if (const ArgVal* c = find_arg(mu.args, "contentsOf")) {
        std::vector<Value> more;
        Res r = mu.m.for_sequence(c->value, more, mu.site.span);
        if (!r.ok()) return r;
        xs.insert(xs.end(), more.begin(), more.end());
        return Res::of();
    }
    if (!mu.a0) return mu.wrong("(element) or (contentsOf:)");
    xs.push_back(mu.a0->value);
    return Res::of();
}

Res array_insert(Mutation& mu) {
    auto& xs = array_items(mu);
    const ArgVal* at_arg = find_arg(mu.args, "at");
    if (!mu.a0 || !at_arg || at_arg->value.kind != Kind::integer) return mu.wrong("(element, at:)");
    const std::int64_t i = at_arg->value.i;
    if (i < 0 || static_cast<std::size_t>(i) > xs.size())
        return mu.m.fail(DiagnosticKind::index_out_of_range, mu.site.span, "Array index is out of range");
    xs.insert(xs.begin() + i, mu.a0->value);
    return Res::of();
}

Res array_remove(Mutation& mu) {
    auto& xs = array_items(mu);
    const ArgVal* at_arg = find_arg(mu.args, "at");
    if (!at_arg || at_arg->value.kind != Kind::integer) return mu.wrong("(at:)");
    const std::int64_t i = at_arg->value.i;
    if (i < 0 || static_cast<std::size_t>(i) >= xs.size())
        return mu.m.fail(DiagnosticKind::index_out_of_range, mu.site.span, "Index out of range");
    Value v = xs[static_cast<std::size_t>(i)];
    xs.erase(xs.begin() + i);
    return Res::of(v);
}

Res array_remove_all(Mutation& mu) {
    auto& xs = array_items(mu);
    if (const ArgVal* f = fn_arg(mu.args)) {
        std::vector<Value> keep;
        for (const auto& x : xs) {
            Args a{ArgVal{{}, x, mu.site.span, false, nullptr}};
            Res r = mu.m.call_sync(f->value, a, mu.site);
            if (!r.ok()) return r;
            if (!(r.value.kind == Kind::boolean && r.value.b)) keep.push_back(x);
        }
        xs.swap(keep);
        return Res::of();
    }
    xs.clear();
    return Res::of();
}

/// removeFirst, removeLast, popLast.
Res array_remove_end(Mutation& mu) {
    auto& xs = array_items(mu);
    const std::string& n = mu.n;
    if (xs.empty()) {
        if (n == "popLast") return Res::of(Value::nil());
        return mu.m.fail(DiagnosticKind::misuse, mu.site.span,
                         std::string("Can't remove ") + (n == "removeFirst" ? "first" : "last") + " element from an empty collection");
    }
    Value v = n == "removeFirst" ? xs.front() : xs.back();
    if (n == "removeFirst") xs.erase(xs.begin());
    else xs.pop_back();
    return Res::of(n == "popLast" ? v.wrapped() : v);
}

Res array_reverse(Mutation& mu) {
    auto& xs = array_items(mu);
    std::reverse(xs.begin(), xs.end());
    return Res::of();
}

Res array_shuffle(Mutation& mu) {
    auto& xs = array_items(mu);
    for (std::size_t k = xs.size(); k > 1; --k) std::swap(xs[k - 1], xs[mu.m.next_random() % k]);
    return Res::of();
}

/// `xs.sort()`, `xs.sort(by:)`: `sorted` written back.
Res array_sort(Mutation& mu) {
    BuiltinObj sorted;
    sorted.name = "sorted";
    sorted.receiver = mu.target;
    bool handled = false;
    Res r = mu.m.common_builtin(sorted, mu.args, mu.site, handled);
    if (!r.ok()) return r;
    mu.target = r.value;
    return Res::of();
}

const NameTable<MutationHandler>& array_mutations() {
    static const NameTable<MutationHandler> table{
        {"append", array_append},         {"insert", array_insert},         {"remove", array_remove},
        {"removeAll", array_remove_all},  {"removeFirst", array_remove_end}, {"removeLast", array_remove_end},
        {"popLast", array_remove_end},    {"reverse", array_reverse},       {"shuffle", array_shuffle},
        {"sort", array_sort},
    };
    return table;
}

// ---- String ----

Res string_append(Mutation& mu) {
    const ArgVal* a = mu.a0;
    if (const ArgVal* c = find_arg(mu.args, "contentsOf")) a = c;
    if (!a) return mu.wrong("(string)");
    static_cast<StrObj&>(*mu.target.ref).s += describe(a->value);
    return Res::of();
}

Res string_remove_all(Mutation& mu) {
    static_cast<StrObj&>(*mu.target.ref).s.clear();
    return Res::of();
}

const NameTable<MutationHandler>& string_mutations() {
    static const NameTable<MutationHandler> table{{"append", string_append}, {"removeAll", string_remove_all}};
    return table;
}

// ---- Dictionary ----

std::vector<std::pair<Value, Value>>& dict_entries(Mutation& mu) { return static_cast<DictObj&>(*mu.target.ref).entries; }

Res dict_remove_value(Mutation& mu) {
    auto& entries = dict_entries(mu);
    const ArgVal* k = find_arg(mu.args, "forKey");
    if (!k) return mu.wrong("(forKey:)");
    for (auto it = entries.begin(); it != entries.end(); ++it)
        if (values_equal(it->first, k->value)) {
            Value old = it->second;
            entries.erase(it);
            return Res::of(old.wrapped());
        }
    return Res::of(Value::nil());
}

Res dict_update_value(Mutation& mu) {
    auto& entries = dict_entries(mu);
    const ArgVal* k = find_arg(mu.args, "forKey");
    if (!k || !mu.a0) return mu.wrong("(value, forKey:)");
    for (auto& [key, v] : entries)
        if (values_equal(key, k->value)) {
            Value old = v;
            v = mu.a0->value;
            return Res::of(old.wrapped());
        }
    entries.emplace_back(k->value, mu.a0->value);
    return Res::of(Value::nil());
}

Res dict_remove_all(Mutation& mu) {
    dict_entries(mu).clear();
    return Res::of();
}

const NameTable<MutationHandler>& dict_mutations() {
    static const NameTable<MutationHandler> table{
        {"removeValue", dict_remove_value}, {"updateValue", dict_update_value}, {"removeAll", dict_remove_all}};
    return table;
}

}  // namespace

Res Machine::mutate_in_place(Value& target, const std::string& n, Args& args, const Site& site) {
    make_unique_ref(target);
    const NameTable<MutationHandler>* table = nullptr;
    switch (target.kind) {
    case Kind::array: table = &array_mutations(); break;
    case Kind::string: table = &string_mutations(); break;
    case Kind::dict: table = &dict_mutations(); break;
    default: break;
    }
    if (const MutationHandler h = table ? table->find(n) : nullptr) {
        Mutation mu{*this, target, n, args, site, positional(args, 0)};
        return h(mu);
    }
    return unknown_member(target, n, site.span);
}

}  // namespace tasklab::interp
