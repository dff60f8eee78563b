// The Python evaluator's share of the newer syntax: set displays and set comprehensions
// (kept in insertion order; members must be hashable), assignment expressions `:=` (inside a
// comprehension they bind in the enclosing function, as CPython's scoping rules say),
// comparison chains with computed operands (each operand evaluated once, stopping at the
// first false link), chained assignment (one value, targets from left to right), and the
// binding of arguments to parameters with `/`, `*`, `*args` and `**kwargs`, with CPython
// 3.11's error messages for wrong calls.
#include <iterator>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Sets
// =========================================================================================

Res Machine::set_insert(Set& s, Value v) {
    if (is_kind(v, OKind::list) || is_kind(v, OKind::dict) || is_kind(v, OKind::set))
        return raise_error("TypeError", "unhashable type: '" + type_name(v) + "'");
    for (const auto& w : s.items)
        if (py_is(w, v) || py_equal(w, v)) return Res::of();
    s.items.push_back(std::move(v));
    return Res::of();
}

Res Machine::eval_set(const SetLiteral* e, const EnvPtr& env) {
    auto s = std::make_shared<Set>();
    for (const Expr* x : e->elements) {
        Res v = eval(x, env);
        if (!v.ok()) return v;
        std::vector<Value> items;
        Res unpacked = add_item(x, std::move(v.value), items);
        if (!unpacked.ok()) return unpacked;
        for (auto& item : items) {
            Res added = set_insert(*s, std::move(item));
            if (!added.ok()) return added;
        }
    }
    s->recharge();
    return Res::of(Value::of(std::move(s)));
}

Flow<Res> Machine::eval_set_a(const SetLiteral* e, EnvPtr env) {
    auto s = std::make_shared<Set>();
    for (const Expr* x : e->elements) {
        Res v = co_await ev(x, env);
        if (!v.ok()) co_return v;
        std::vector<Value> items;
        Res unpacked = add_item(x, std::move(v.value), items);
        if (!unpacked.ok()) co_return unpacked;
        for (auto& item : items) {
            Res added = set_insert(*s, std::move(item));
            if (!added.ok()) co_return added;
        }
    }
    s->recharge();
    co_return Res::of(Value::of(std::move(s)));
}

// =========================================================================================
// Attributes of built-in objects
// =========================================================================================

Attrs& Machine::set_attrs(const Value& obj) {
    if (is_kind(obj, OKind::future)) return as<FutureRef>(obj).attrs;
    return as<Native>(obj).attrs;
}

Res Machine::set_native_attr(const Value& obj, const std::string& name, Value v, Span span) {
    if (is_kind(obj, OKind::native) && static_cast<const NativeObj&>(*obj.obj).nkind == NKind::super_)
        return raise_error("AttributeError", "'super' object has no attribute '" + name + "'");
    if (name.size() > 4 && name.rfind("__", 0) == 0 && name.compare(name.size() - 2, 2, "__") == 0)
        return fail(DiagnosticKind::unknown_member, span, "tasklab cannot set `" + name + "` on a " + type_name(obj) + " object");
    set_attrs(obj).set(name, std::move(v));
    return Res::of();
}

Res Machine::native_attr_default(const Value& obj, const std::string& name, bool& handled) {
    handled = false;
    if (!is_kind(obj, OKind::native) || static_cast<const NativeObj&>(*obj.obj).nkind != NKind::loop) return Res::of();
    if (name == "slow_callback_duration") {
        handled = true;
        return Res::of(Value::real(0.1));  // BaseEventLoop's default
    }
    return Res::of();
}

// =========================================================================================
// sys.exc_info()
// =========================================================================================

Res Machine::sys_exc_info(bool value_only) {
    auto& h = handling();
    if (h.empty()) return Res::of(value_only ? Value::none() : make_tuple({Value::none(), Value::none(), Value::none()}));
    const Value exc = h.back();
    if (value_only) return Res::of(exc);
    return Res::of(make_tuple({Value::of(type_of(exc)), exc, Value::none()}));
}

// =========================================================================================
// Bytes
// =========================================================================================

Res Machine::eval_bytes(const StringLiteral* s) { return Res::of(make_bytes(s->parts.empty() ? std::string() : s->parts[0].text)); }

// =========================================================================================
// Star unpacking
// =========================================================================================

Res Machine::add_item(const Expr* element, Value v, std::vector<Value>& out) {
    if (element->kind != ExprKind::starred) {
        out.push_back(std::move(v));
        return Res::of();
    }
    std::vector<Value> xs;
    Res it = iterate(v, xs, element->span);
    if (!it.ok()) return it;
    if (!reserve_memory(MemoryKind::list, out.size() + xs.size(), (out.size() + xs.size()) * sizeof(Value), element->span))
        return Res::make(Ctl::fatal);
    out.insert(out.end(), std::make_move_iterator(xs.begin()), std::make_move_iterator(xs.end()));
    return Res::of();
}

Res Machine::assign_starred(const std::vector<const Expr*>& targets, std::vector<Value> xs, const EnvPtr& env) {
    std::size_t star = 0;
    while (targets[star]->kind != ExprKind::starred) ++star;
    const std::size_t after = targets.size() - star - 1;
    if (xs.size() < targets.size() - 1)
        return raise_error("ValueError", "not enough values to unpack (expected at least " + std::to_string(targets.size() - 1) + ", got " +
                                             std::to_string(xs.size()) + ")");
    for (std::size_t k = 0; k < star; ++k) {
        Res r = assign_target(targets[k], xs[k], env);
        if (!r.ok()) return r;
    }
    std::vector<Value> middle(xs.begin() + static_cast<std::ptrdiff_t>(star), xs.end() - static_cast<std::ptrdiff_t>(after));
    Res r = assign_target(static_cast<const Starred*>(targets[star])->operand, py::make_list(std::move(middle)), env);
    if (!r.ok()) return r;
    for (std::size_t k = 0; k < after; ++k) {
        r = assign_target(targets[star + 1 + k], xs[xs.size() - after + k], env);
        if (!r.ok()) return r;
    }
    return Res::of();
}

// =========================================================================================
// Assignment expressions
// =========================================================================================

void Machine::store_named(const NamedExpr* e, const Value& v, const EnvPtr& env) {
    // A comprehension's own scope does not keep the name: the function around it does.
    EnvPtr target = env;
    while (target->names && target->names->comprehension && target->parent) target = target->parent;
    store_name(e->target->name, v, target);
}

Res Machine::eval_named(const NamedExpr* e, const EnvPtr& env) {
    Res v = eval(e->value, env);
    if (!v.ok()) return v;
    store_named(e, v.value, env);
    return v;
}

Flow<Res> Machine::eval_named_a(const NamedExpr* e, EnvPtr env) {
    Res v = co_await ev(e->value, env);
    if (!v.ok()) co_return v;
    store_named(e, v.value, env);
    co_return v;
}

// =========================================================================================
// Comparison chains
// =========================================================================================

Res Machine::eval_compare_chain(const CompareChain* c, const EnvPtr& env) {
    Res left = eval(c->operands[0], env);
    if (!left.ok()) return left;
    Res result = Res::of(Value::boolean(true));
    for (const Binary* link : c->links) {
        Res right = eval(link->rhs, env);
        if (!right.ok()) return right;
        result = eval_binary(link, left.value, right.value);
        if (!result.ok()) return result;
        bool go = false;
        Res t = truthy(result.value, go);
        if (!t.ok()) return t;
        if (!go) return result;
        left = std::move(right);
    }
    return result;
}

Flow<Res> Machine::eval_compare_chain_a(const CompareChain* c, EnvPtr env) {
    Res left = co_await ev(c->operands[0], env);
    if (!left.ok()) co_return left;
    Res result = Res::of(Value::boolean(true));
    for (const Binary* link : c->links) {
        Res right = co_await ev(link->rhs, env);
        if (!right.ok()) co_return right;
        result = eval_binary(link, left.value, right.value);
        if (!result.ok()) co_return result;
        bool go = false;
        Res t = truthy(result.value, go);
        if (!t.ok()) co_return t;
        if (!go) co_return result;
        left = std::move(right);
    }
    co_return result;
}

// =========================================================================================
// Chained assignment
// =========================================================================================

Res Machine::assign_all(const Assign* a, Value v, const EnvPtr& env) {
    Res r = assign_target(a->target, v, env);
    if (!r.ok()) return r;
    for (const Expr* t : a->more_targets) {
        r = assign_target(t, v, env);
        if (!r.ok()) return r;
    }
    return Res::of();
}

// =========================================================================================
// Binding arguments to parameters
// =========================================================================================

namespace {

std::string plural(std::size_t n, const std::string& word) { return word + (n == 1 ? "" : "s"); }

/// 'a', 'a' and 'b', 'a', 'b', and 'c' — as CPython lists missing arguments.
std::string name_list(const std::vector<std::string>& names) {
    std::string out;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (k > 0) out += k + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ";
        out += "'" + names[k] + "'";
    }
    return out;
}

}  // namespace

Res Machine::bind_params(const Function& f, Args& args, const Value* self, const EnvPtr& frame) {
    const auto& params = f.decl ? f.decl->params : f.lambda->params;
    const std::string fname = f.qualname.empty() ? f.name : f.qualname;
    std::vector<Value> pos;
    if (self) pos.push_back(*self);
    pos.insert(pos.end(), args.pos.begin(), args.pos.end());

    // The positional parameters come first, then *args, the keyword-only ones, **kwargs.
    std::size_t npos = 0;
    std::ptrdiff_t var_pos = -1, var_kw = -1;
    for (std::size_t k = 0; k < params.size(); ++k) {
        switch (params[k].kind) {
        case ParamKind::normal:
        case ParamKind::positional_only: ++npos; break;
        case ParamKind::var_positional: var_pos = static_cast<std::ptrdiff_t>(k); break;
        case ParamKind::var_keyword: var_kw = static_cast<std::ptrdiff_t>(k); break;
        case ParamKind::keyword_only: break;
        }
    }
    std::vector<bool> filled(params.size(), false);
    for (std::size_t k = 0; k < pos.size() && k < npos; ++k) {
        frame->vars.set(params[k].name, pos[k]);
        filled[k] = true;
    }
    if (var_pos >= 0) {
        std::vector<Value> rest;
        if (pos.size() > npos) rest.assign(pos.begin() + static_cast<std::ptrdiff_t>(npos), pos.end());
        frame->vars.set(params[static_cast<std::size_t>(var_pos)].name, make_tuple(std::move(rest)));
        filled[static_cast<std::size_t>(var_pos)] = true;
    }
    auto kwargs = std::make_shared<Dict>();
    for (auto& [name, v] : args.kw) {
        std::size_t k = 0;
        while (k < params.size() && !(params[k].name == name && (params[k].kind == ParamKind::normal || params[k].kind == ParamKind::keyword_only)))
            ++k;
        if (k < params.size()) {
            if (filled[k]) return raise_error("TypeError", fname + "() got multiple values for argument '" + name + "'");
            frame->vars.set(name, v);
            filled[k] = true;
            continue;
        }
        if (var_kw >= 0) {
            if (dict_find(*kwargs, make_str(name))) return raise_error("TypeError", fname + "() got multiple values for keyword argument '" + name + "'");
            dict_set(*kwargs, make_str(name), v);
            continue;
        }
        std::vector<std::string> posonly;
        for (const auto& [n, x] : args.kw) {
            (void)x;
            for (const Param& p : params)
                if (p.kind == ParamKind::positional_only && p.name == n) posonly.push_back(n);
        }
        if (!posonly.empty()) {
            std::string names;
            for (std::size_t j = 0; j < posonly.size(); ++j) names += (j ? ", " : "") + posonly[j];
            return raise_error("TypeError", fname + "() got some positional-only arguments passed as keyword arguments: '" + names + "'");
        }
        return raise_error("TypeError", fname + "() got an unexpected keyword argument '" + name + "'");
    }
    if (var_kw >= 0) {
        kwargs->recharge();
        frame->vars.set(params[static_cast<std::size_t>(var_kw)].name, Value::of(std::move(kwargs)));
        filled[static_cast<std::size_t>(var_kw)] = true;
    }
    if (pos.size() > npos && var_pos < 0) {
        std::size_t with_default = 0, kwonly_given = 0;
        for (std::size_t k = 0; k < params.size(); ++k) {
            const bool positional = params[k].kind == ParamKind::normal || params[k].kind == ParamKind::positional_only;
            if (positional && f.has_default[k]) ++with_default;
            if (params[k].kind == ParamKind::keyword_only && filled[k]) ++kwonly_given;
        }
        const std::string sig = with_default ? "from " + std::to_string(npos - with_default) + " to " + std::to_string(npos) : std::to_string(npos);
        const bool many = with_default || npos != 1;
        std::string given = std::to_string(pos.size());
        if (kwonly_given)
            given += " " + plural(pos.size(), "positional argument") + " (and " + std::to_string(kwonly_given) + " " +
                     plural(kwonly_given, "keyword-only argument") + ")";
        return raise_error("TypeError", fname + "() takes " + sig + " positional argument" + (many ? "s" : "") + " but " + given +
                                            (pos.size() == 1 && !kwonly_given ? " was" : " were") + " given");
    }
    std::vector<std::string> missing, missing_kw;
    for (std::size_t k = 0; k < params.size(); ++k) {
        if (filled[k]) continue;
        if (f.has_default[k]) {
            frame->vars.set(params[k].name, f.defaults[k]);
            continue;
        }
        (params[k].kind == ParamKind::keyword_only ? missing_kw : missing).push_back(params[k].name);
    }
    if (!missing.empty())
        return raise_error("TypeError", fname + "() missing " + std::to_string(missing.size()) + " required " +
                                            plural(missing.size(), "positional argument") + ": " + name_list(missing));
    if (!missing_kw.empty())
        return raise_error("TypeError", fname + "() missing " + std::to_string(missing_kw.size()) + " required " +
                                            plural(missing_kw.size(), "keyword-only argument") + ": " + name_list(missing_kw));
    return Res::of();
}

}  // namespace tasklab::py
