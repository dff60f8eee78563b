// The methods of list, tuple, dict and set (append, sort, get, update, add, union, …) as
// tables of name → handler. A method that grows its receiver is charged to the run's memory
// by Machine::call_builtin.
#include <algorithm>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

// ---- list and tuple ----

/// CPython's TypeError when a list method gets too few or too many arguments.
Res list_arity(Machine& vm, const BuiltinCall& bc, std::size_t lo, std::size_t hi) {
    const auto& pos = bc.args.pos;
    if (pos.size() < lo || pos.size() > hi)
        return vm.raise_error("TypeError", "list." + bc.name + "() takes " +
                                               (lo == hi ? (lo == 0 ? std::string("no arguments") : "exactly one argument") : "at most " + std::to_string(hi) + " arguments") +
                                               " (" + std::to_string(pos.size()) + " given)");
    return Res::of();
}

Res list_index(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    const bool is_tuple = is_kind(bc.self, OKind::tuple);
    if (Res a = list_arity(vm, bc, 1, 3); !a.ok()) return a;
    std::int64_t n = 0;
    for (std::size_t k = 0; k < xs.size(); ++k) {
        if (py_is(xs[k], args.pos[0]) || py_equal(xs[k], args.pos[0])) {
            if (name == "index") return Res::of(Value::integer(static_cast<std::int64_t>(k)));
            ++n;
        }
    }
    if (name == "index") return vm.raise_error("ValueError", vm.repr_of(args.pos[0]) + " is not in " + (is_tuple ? "tuple" : "list"));
    return Res::of(Value::integer(n));
}

Res list_append(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    if (Res a = list_arity(vm, bc, 1, 1); !a.ok()) return a;
    xs.push_back(args.pos[0]);
    return Res::of();
}

Res list_extend(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    if (Res a = list_arity(vm, bc, 1, 1); !a.ok()) return a;
    std::vector<Value> more;
    Res it = vm.iterate(args.pos[0], more, span);
    if (!it.ok()) return it;
    xs.insert(xs.end(), more.begin(), more.end());
    return Res::of();
}

Res list_insert(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    if (Res a = list_arity(vm, bc, 2, 2); !a.ok()) return a;
    std::int64_t k = int_of(args.pos[0]);
    const auto n = static_cast<std::int64_t>(xs.size());
    if (k < 0) k = std::max<std::int64_t>(0, k + n);
    k = std::min(k, n);
    xs.insert(xs.begin() + k, args.pos[1]);
    return Res::of();
}

Res list_pop(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    if (Res a = list_arity(vm, bc, 0, 1); !a.ok()) return a;
    if (xs.empty()) return vm.raise_error("IndexError", "pop from empty list");
    std::int64_t k = args.pos.empty() ? static_cast<std::int64_t>(xs.size()) - 1 : int_of(args.pos[0]);
    if (k < 0) k += static_cast<std::int64_t>(xs.size());
    if (k < 0 || k >= static_cast<std::int64_t>(xs.size())) return vm.raise_error("IndexError", "pop index out of range");
    Value v = xs[static_cast<std::size_t>(k)];
    xs.erase(xs.begin() + k);
    return Res::of(v);
}

Res list_remove(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    if (Res a = list_arity(vm, bc, 1, 1); !a.ok()) return a;
    for (std::size_t k = 0; k < xs.size(); ++k)
        if (py_is(xs[k], args.pos[0]) || py_equal(xs[k], args.pos[0])) {
            xs.erase(xs.begin() + static_cast<std::ptrdiff_t>(k));
            return Res::of();
        }
    return vm.raise_error("ValueError", "list.remove(x): x not in list");
}

Res list_sort(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    bool reverse = false;
    if (const Value* r = args.kwarg("reverse")) vm.truthy(*r, reverse);
    std::vector<Value> copy = xs;
    Res s = vm.sort_values(copy, args.kwarg("key"), reverse, span);
    if (!s.ok()) return s;
    xs = std::move(copy);
    return Res::of();
}

Res list_reverse(Machine& /*vm*/, BuiltinCall& bc) {
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    std::reverse(xs.begin(), xs.end());
    return Res::of();
}

Res list_clear(Machine& /*vm*/, BuiltinCall& bc) {
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    xs.clear();
    return Res::of();
}

Res list_copy(Machine& /*vm*/, BuiltinCall& bc) {
    auto& xs = is_kind(bc.self, OKind::tuple) ? as<Tuple>(bc.self).items : as<List>(bc.self).items;
    return Res::of(py::make_list(xs));
}

const BuiltinTable& list_table() {
    static const BuiltinTable table{
        {"index", list_index},
        {"count", list_index},
        {"append", list_append},
        {"extend", list_extend},
        {"insert", list_insert},
        {"pop", list_pop},
        {"remove", list_remove},
        {"sort", list_sort},
        {"reverse", list_reverse},
        {"clear", list_clear},
        {"copy", list_copy},
    };
    return table;
}

/// A tuple has only index() and count().
const BuiltinTable& tuple_table() {
    static const BuiltinTable table{
        {"index", list_index},
        {"count", list_index},
    };
    return table;
}

// ---- dict ----

Res dict_get(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& d = as<Dict>(bc.self);
    if (args.pos.empty()) return vm.raise_error("TypeError", "get expected at least 1 argument, got 0");
    if (Value* v = dict_find(d, args.pos[0])) return Res::of(*v);
    return Res::of(args.pos.size() > 1 ? args.pos[1] : Value::none());
}

Res dict_keys(Machine& /*vm*/, BuiltinCall& bc) {
    const std::string& name = bc.name;
    auto& d = as<Dict>(bc.self);
    std::vector<Value> out;
    for (const auto& [k, v] : d.entries) {
        if (name == "keys") out.push_back(k);
        else if (name == "values") out.push_back(v);
        else out.push_back(make_tuple({k, v}));
    }
    return Res::of(py::make_list(std::move(out)));
}

Res dict_pop(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& d = as<Dict>(bc.self);
    if (args.pos.empty()) return vm.raise_error("TypeError", "pop expected at least 1 argument, got 0");
    for (auto it = d.entries.begin(); it != d.entries.end(); ++it)
        if (py_equal(it->first, args.pos[0])) {
            Value v = it->second;
            d.entries.erase(it);
            return Res::of(v);
        }
    if (args.pos.size() > 1) return Res::of(args.pos[1]);
    return Res::raised(vm.new_exception(vm.cls("KeyError"), {args.pos[0]}));
}

Res dict_popitem(Machine& vm, BuiltinCall& bc) {
    auto& d = as<Dict>(bc.self);
    if (d.entries.empty()) return vm.raise_error("KeyError", "popitem(): dictionary is empty");
    auto kv = d.entries.back();
    d.entries.pop_back();
    return Res::of(make_tuple({kv.first, kv.second}));
}

Res dict_setdefault(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& d = as<Dict>(bc.self);
    if (args.pos.empty()) return vm.raise_error("TypeError", "setdefault expected at least 1 argument, got 0");
    if (Value* v = dict_find(d, args.pos[0])) return Res::of(*v);
    const Value def = args.pos.size() > 1 ? args.pos[1] : Value::none();
    d.entries.emplace_back(args.pos[0], def);
    return Res::of(def);
}

Res dict_update(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    const Span span = bc.span;
    auto& d = as<Dict>(bc.self);
    if (!args.pos.empty()) {
        Args one;
        one.pos.push_back(args.pos[0]);
        Res other = vm.convert("dict", one, span);
        if (!other.ok()) return other;
        for (auto& [k, v] : as<Dict>(other.value).entries) dict_set(d, k, v);
    }
    for (auto& [k, v] : args.kw) dict_set(d, make_str(k), v);
    return Res::of();
}

Res dict_clear(Machine& /*vm*/, BuiltinCall& bc) {
    auto& d = as<Dict>(bc.self);
    d.entries.clear();
    return Res::of();
}

Res dict_copy(Machine& /*vm*/, BuiltinCall& bc) {
    auto& d = as<Dict>(bc.self);
    auto c = std::make_shared<Dict>();
    c->entries = d.entries;
    return Res::of(Value::of(std::move(c)));
}

const BuiltinTable& dict_table() {
    static const BuiltinTable table{
        {"get", dict_get},
        {"keys", dict_keys},
        {"values", dict_keys},
        {"items", dict_keys},
        {"pop", dict_pop},
        {"popitem", dict_popitem},
        {"setdefault", dict_setdefault},
        {"update", dict_update},
        {"clear", dict_clear},
        {"copy", dict_copy},
    };
    return table;
}

// ---- set ----

std::ptrdiff_t set_find(const std::vector<Value>& xs, const Value& v) {
    for (std::size_t k = 0; k < xs.size(); ++k)
        if (py_equal(xs[k], v)) return static_cast<std::ptrdiff_t>(k);
    return -1;
}

bool contains_value(const std::vector<Value>& other, const Value& v) {
    for (const auto& o : other)
        if (py_equal(o, v)) return true;
    return false;
}

Value make_set(std::vector<Value> items) {
    auto s = std::make_shared<Set>();
    s->items = std::move(items);
    return Value::of(std::move(s));
}

/// The items of the argument of union(), update(), issubset(), … (none without one).
Res set_other(Machine& vm, const BuiltinCall& bc, std::vector<Value>& other) {
    if (bc.args.pos.empty()) return Res::of();
    return vm.iterate(bc.args.pos[0], other, bc.span);
}

Res set_add(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    auto& xs = as<Set>(bc.self).items;
    if (args.pos.size() != 1) return vm.raise_error("TypeError", "set.add() takes exactly one argument (" + std::to_string(args.pos.size()) + " given)");
    if (set_find(xs, args.pos[0]) < 0) xs.push_back(args.pos[0]);
    return Res::of();
}

Res set_discard(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    Args& args = bc.args;
    auto& xs = as<Set>(bc.self).items;
    if (args.pos.size() != 1) return vm.raise_error("TypeError", "set." + name + "() takes exactly one argument");
    const auto k = set_find(xs, args.pos[0]);
    if (k >= 0) xs.erase(xs.begin() + k);
    else if (name == "remove") return Res::raised(vm.new_exception(vm.cls("KeyError"), {args.pos[0]}));
    return Res::of();
}

Res set_pop(Machine& vm, BuiltinCall& bc) {
    auto& xs = as<Set>(bc.self).items;
    if (xs.empty()) return vm.raise_error("KeyError", "pop from an empty set");
    Value v = xs.front();
    xs.erase(xs.begin());
    return Res::of(v);
}

Res set_clear(Machine& /*vm*/, BuiltinCall& bc) {
    auto& xs = as<Set>(bc.self).items;
    xs.clear();
    return Res::of();
}

Res set_copy(Machine& vm, BuiltinCall& bc) {
    std::vector<Value> other;
    if (Res r = set_other(vm, bc, other); !r.ok()) return r;
    auto& xs = as<Set>(bc.self).items;
    return Res::of(make_set(xs));
}

Res set_update(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    auto& xs = as<Set>(bc.self).items;
    std::vector<Value> other;
    if (Res r = set_other(vm, bc, other); !r.ok()) return r;
    std::vector<Value> out = xs;
    for (const auto& o : other) {
        bool dup = false;
        for (const auto& v : out)
            if (py_equal(v, o)) dup = true;
        if (!dup) out.push_back(o);
    }
    if (name == "update") {
        xs = std::move(out);
        return Res::of();
    }
    return Res::of(make_set(std::move(out)));
}

Res set_intersection(Machine& vm, BuiltinCall& bc) {
    const std::string& name = bc.name;
    auto& xs = as<Set>(bc.self).items;
    std::vector<Value> other;
    if (Res r = set_other(vm, bc, other); !r.ok()) return r;
    std::vector<Value> out;
    for (const auto& v : xs)
        if (contains_value(other, v) == (name == "intersection")) out.push_back(v);
    return Res::of(make_set(std::move(out)));
}

Res set_issubset(Machine& vm, BuiltinCall& bc) {
    auto& xs = as<Set>(bc.self).items;
    std::vector<Value> other;
    if (Res r = set_other(vm, bc, other); !r.ok()) return r;
    for (const auto& v : xs)
        if (!contains_value(other, v)) return Res::of(Value::boolean(false));
    return Res::of(Value::boolean(true));
}

Res set_issuperset(Machine& vm, BuiltinCall& bc) {
    auto& xs = as<Set>(bc.self).items;
    std::vector<Value> other;
    if (Res r = set_other(vm, bc, other); !r.ok()) return r;
    for (const auto& o : other)
        if (set_find(xs, o) < 0) return Res::of(Value::boolean(false));
    return Res::of(Value::boolean(true));
}

const BuiltinTable& set_table() {
    static const BuiltinTable table{
        {"add", set_add},
        {"discard", set_discard},
        {"remove", set_discard},
        {"pop", set_pop},
        {"clear", set_clear},
        {"copy", set_copy},
        {"update", set_update},
        {"union", set_update},
        {"intersection", set_intersection},
        {"difference", set_intersection},
        {"issubset", set_issubset},
        {"issuperset", set_issuperset},
    };
    return table;
}

}  // namespace

Res Machine::list_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    const bool is_tuple = is_kind(self, OKind::tuple);
    if (!is_kind(self, OKind::list) && !is_tuple) return raise_error("TypeError", "descriptor '" + name + "' requires a 'list' object");
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = (is_tuple ? tuple_table() : list_table()).find(name)) return h(*this, bc);
    handled = false;
    return Res::of();
}

Res Machine::dict_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_kind(self, OKind::dict)) return raise_error("TypeError", "descriptor '" + name + "' requires a 'dict' object");
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = dict_table().find(name)) return h(*this, bc);
    handled = false;
    return Res::of();
}

Res Machine::set_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (!is_kind(self, OKind::set)) return raise_error("TypeError", "descriptor '" + name + "' requires a 'set' object");
    BuiltinCall bc{name, self, args, span, handled};
    if (const BuiltinHandler h = set_table().find(name)) return h(*this, bc);
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
