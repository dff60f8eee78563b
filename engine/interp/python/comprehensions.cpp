// Asynchronous comprehensions of the Python interpreter: a list, set or dict comprehension in
// an `async def` whose own scope awaits (`[await q.get() for _ in range(3)]`) or pulls from an
// async iterator (`[x async for x in agen()]`) runs on the coroutine path, one item at a time,
// with the scope, budget and memory rules of the synchronous loop (eval_comprehension_over),
// and the pieces both loops share: the comprehension's scope and the result being built.
#include "engine/interp/python/generators.hpp"

namespace tasklab::py {

using namespace ast;

EnvPtr Machine::comprehension_env(const Comprehension* c, const EnvPtr& env) {
    auto inner = new_env();
    inner->parent = env;
    auto sc = m_scopes.find(c);
    inner->names = sc == m_scopes.end() ? nullptr : &sc->second;
    return inner;
}

Machine::ComprehensionOut Machine::comprehension_out(const Comprehension* c) {
    ComprehensionOut out;
    if (c->comp_kind == ComprehensionKind::dict) out.dict = std::make_shared<Dict>();
    if (c->comp_kind == ComprehensionKind::set) out.set = std::make_shared<Set>();
    return out;
}

Res Machine::comprehension_add(const Comprehension* c, ComprehensionOut& out, Value key, Value v) {
    if (c->comp_kind == ComprehensionKind::dict) {
        dict_set(*out.dict, std::move(key), std::move(v));
        return Res::of();
    }
    if (out.set) return set_insert(*out.set, std::move(v));
    out.items.push_back(std::move(v));
    return Res::of();
}

Res Machine::comprehension_result(const Comprehension* c, ComprehensionOut& out) {
    if (c->comp_kind == ComprehensionKind::dict) return Res::of(Value::of(std::move(out.dict)));
    if (out.set) {
        out.set->recharge();
        return Res::of(Value::of(std::move(out.set)));
    }
    // A generator expression is evaluated at once: a list that the consumer iterates.
    return Res::of(py::make_list(std::move(out.items)));
}

bool Machine::comprehension_suspends(const Comprehension* c) {
    if (c->comp_kind == ComprehensionKind::generator) return false;
    auto sus = [](const Expr* e) { return e && e->may_suspend; };
    if (c->is_async || sus(c->key) || sus(c->element)) return true;
    for (const Expr* x : c->conditions)
        if (sus(x)) return true;
    for (const auto& f : c->more) {
        if (f.is_async || sus(f.iterable)) return true;
        for (const Expr* x : f.conditions)
            if (sus(x)) return true;
    }
    return false;
}

Flow<Res> Machine::eval_comprehension_a(const Comprehension* c, EnvPtr env, Value first) {
    EnvPtr inner = comprehension_env(c, env);
    ComprehensionOut out = comprehension_out(c);
    Res r = co_await comprehension_clause_a(c, inner, 0, first, &out);
    if (!r.ok()) co_return r;
    co_return comprehension_result(c, out);
}

Flow<Res> Machine::comprehension_clause_a(const Comprehension* c, EnvPtr inner, std::size_t k, Value iterable, ComprehensionOut* out) {
    const bool is_async = k == 0 ? c->is_async : c->more[k - 1].is_async;
    const Span span = k == 0 ? c->iterable->span : c->more[k - 1].iterable->span;
    if (is_async) {
        Res it = async_iter_begin(iterable, span);
        if (!it.ok()) co_return it;
        for (;;) {
            Res item = co_await async_iter_next(it.value, span);
            if (item.ctl == Ctl::raise && isinstance(item.value, cls("StopAsyncIteration").get())) break;
            if (!item.ok()) co_return item;
            if (!count_work(1, span, "this comprehension is too long to run in one step")) co_return Res::make(Ctl::fatal);
            Res r = co_await comprehension_item_a(c, inner, k, item.value, out);
            if (!r.ok()) co_return r;
        }
        co_return Res::of();
    }
    std::vector<Value> xs;
    Res seq = iterate(iterable, xs, span);
    if (!seq.ok()) co_return seq;
    if (k > 0 && !count_work(xs.size(), span, "this comprehension is too long to run in one step")) co_return Res::make(Ctl::fatal);
    for (auto& x : xs) {
        Value item = std::move(x);
        Res r = co_await comprehension_item_a(c, inner, k, item, out);
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::comprehension_item_a(const Comprehension* c, EnvPtr inner, std::size_t k, Value item, ComprehensionOut* out) {
    const Expr* target = k == 0 ? c->target : c->more[k - 1].target;
    const std::vector<const Expr*>& conditions = k == 0 ? c->conditions : c->more[k - 1].conditions;
    Res b = assign_target(target, std::move(item), inner);
    if (!b.ok()) co_return b;
    for (const Expr* cond : conditions) {
        Res cv = co_await ev(cond, inner);
        if (!cv.ok()) co_return cv;
        bool keep = true;
        Res tr = truthy(cv.value, keep);
        if (!tr.ok()) co_return tr;
        if (!keep) co_return Res::of();
    }
    if (k < c->more.size()) {
        Res iv = co_await ev(c->more[k].iterable, inner);
        if (!iv.ok()) co_return iv;
        Res r = co_await comprehension_clause_a(c, inner, k + 1, iv.value, out);
        co_return r;
    }
    // The innermost clause: the key (dict comprehensions), then the element.
    Value key = Value::none();
    if (c->comp_kind == ComprehensionKind::dict) {
        Res kv = co_await ev(c->key, inner);
        if (!kv.ok()) co_return kv;
        key = kv.value;
    }
    Res v = co_await ev(c->element, inner);
    if (!v.ok()) co_return v;
    co_return comprehension_add(c, *out, std::move(key), std::move(v.value));
}

Res Machine::async_iter_begin(const Value& iterable, Span span) {
    if (is_async_generator(iterable)) return Res::of(iterable);
    Args none;
    Res iter = call_method(iterable, "__aiter__", none, span);
    if (!iter.ok() && iter.ctl == Ctl::raise && isinstance(iter.value, cls("AttributeError").get()))
        return raise_error("TypeError", "'async for' requires an object with __aiter__ method, got " + type_name(iterable));
    return iter;
}

Flow<Res> Machine::async_iter_next(Value it, Span span) {
    if (is_async_generator(it)) {
        Res item = co_await agen_method_co(it, "anext", Value::none(), span);
        co_return item;
    }
    Args a;
    Res aw = call_method(it, "__anext__", a, span);
    if (!aw.ok()) co_return aw;
    Res item = co_await await_value(aw.value, span);
    co_return item;
}

}  // namespace tasklab::py
