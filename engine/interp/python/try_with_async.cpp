// try/except/except*/else/finally and with/async with on the coroutine path: the handlers,
// exception groups split by except*, and the exits of context managers.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"
#include "engine/text_clip.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

/// except*: splits an exception group by a matcher, keeping the nesting (BaseExceptionGroup.split).
struct Split {
    Value match;  // none when nothing matched
    Value rest;   // none when everything matched
};

/// A group like `g` (its class, message, cause and context) holding `xs`; None when empty.
Value derive_group(Machine& vm, const Value& g, std::vector<Value> xs) {
    if (xs.empty()) return Value::none();
    const auto& d = *as<Instance>(g).exc;
    Value ng = vm.new_exception(as<Instance>(g).cls, {});
    auto& nd = *as<Instance>(ng).exc;
    nd.is_group = true;
    nd.group_message = d.group_message;
    nd.exceptions = xs;
    nd.args = {make_str(d.group_message), py::make_list(xs)};
    nd.cause = d.cause;
    nd.context = d.context;
    return ng;
}

/// Splits `g` by the handler's type, recursively through nested groups.
Split split_group(Machine& vm, const Value& g, const Value& type, Span span) {
    bool whole = false;
    vm.isinstance_check(g, type, whole, span);
    if (whole) return {g, Value::none()};
    auto& d = *as<Instance>(g).exc;
    if (!d.is_group) return {Value::none(), g};
    std::vector<Value> ms, rs;
    for (const Value& e : d.exceptions) {
        Split s = split_group(vm, e, type, span);
        if (!s.match.is_none()) ms.push_back(s.match);
        if (!s.rest.is_none()) rs.push_back(s.rest);
    }
    if (rs.empty()) return {g, Value::none()};
    if (ms.empty()) return {Value::none(), g};
    return {derive_group(vm, g, ms), derive_group(vm, g, rs)};
}

/// A new ExceptionGroup (BaseExceptionGroup when one of them is not an Exception) of `all`.
Value new_group(Machine& vm, const std::vector<Value>& all) {
    bool all_exc = true;
    for (const Value& e : all)
        if (!vm.isinstance(e, vm.cls("Exception").get())) all_exc = false;
    Value g = vm.new_exception(vm.cls(all_exc ? "ExceptionGroup" : "BaseExceptionGroup"), {});
    auto& d = *as<Instance>(g).exc;
    d.is_group = true;
    d.exceptions = all;
    d.args = {make_str(""), py::make_list(all)};
    return g;
}

/// What leaves a try with except* clauses: what they raised, and what no clause matched.
Res except_star_outcome(const Value& exc, bool naked, const Value& remaining, const std::vector<Value>& raised, Machine& vm) {
    if (raised.empty()) {
        if (remaining.is_none()) return Res::of();
        if (naked && remaining.obj == exc.obj) return Res::raised(exc);
        if (naked) return Res::raised(as<Instance>(remaining).exc->exceptions.front());
        return Res::raised(remaining);
    }
    std::vector<Value> all = raised;
    if (!remaining.is_none()) all.push_back(remaining);
    if (all.size() == 1 && remaining.is_none()) return Res::raised(all.front());
    return Res::raised(new_group(vm, all));
}

/// except*: each clause takes the part of the group it matches.
Flow<Res> except_star_a(Machine* vm, const TryStmt* t, EnvPtr env, Value exc) {
    const bool naked = !(is_kind(exc, OKind::instance) && as<Instance>(exc).exc && as<Instance>(exc).exc->is_group);
    Value remaining = exc;
    if (naked) {
        Value g = vm->new_exception(vm->cls(vm->isinstance(exc, vm->cls("Exception").get()) ? "ExceptionGroup" : "BaseExceptionGroup"), {});
        auto& d = *as<Instance>(g).exc;
        d.is_group = true;
        d.exceptions = {exc};
        d.args = {make_str(""), py::make_list({exc})};
        remaining = g;
    }
    std::vector<Value> raised;
    for (const auto& h : t->handlers) {
        if (remaining.is_none()) break;
        Res tv = vm->eval(h.type, env);
        if (!tv.ok()) co_return tv;
        Split sp = split_group(*vm, remaining, tv.value, h.span);
        if (sp.match.is_none()) continue;
        remaining = sp.rest;
        vm->at(h.span);
        vm->m_sched.emit(EventKind::caught, vm->m_sched.current(), 0, vm->m_sched.trace().add_string(clip_utf8(vm->repr_of(sp.match))));
        if (!h.binding.empty()) vm->store_name(h.binding, sp.match, env);
        vm->handling().push_back(sp.match);
        Res hr = co_await vm->exec_block_a(&h.body, env);
        auto& hs = vm->handling();
        if (!hs.empty()) hs.pop_back();
        if (!h.binding.empty()) env->vars.erase(h.binding);
        if (hr.ctl == Ctl::raise) {
            if (!py_is(hr.value, sp.match)) raised.push_back(hr.value);
            else remaining = remaining.is_none() ? sp.match : remaining;  // a bare raise: keep it
        } else if (!hr.ok()) {
            co_return hr;
        }
    }
    co_return except_star_outcome(exc, naked, remaining, raised, *vm);
}

}  // namespace

Flow<Res> Machine::exec_try_a(const TryStmt* t, EnvPtr env) {
    Res result = co_await exec_block_a(&t->body, env);
    if (result.ctl == Ctl::raise && !t->star) {
        const Value exc = result.value;
        for (const auto& h : t->handlers) {
            bool matched = false;
            Res m = match_handler(h, exc, env, matched);
            if (!m.ok()) {
                result = m;
                break;
            }
            if (!matched) continue;
            at(h.span);
            m_sched.emit(EventKind::caught, m_sched.current(), 0, m_sched.trace().add_string(clip_utf8(repr_of(exc))));
            if (isinstance(exc, cls("CancelledError").get())) m_model.note_cancel_caught();
            if (!h.binding.empty()) store_name(h.binding, exc, env);
            handling().push_back(exc);
            Res hr = co_await exec_block_a(&h.body, env);
            auto& hs = handling();
            if (!hs.empty()) hs.pop_back();
            if (!h.binding.empty()) env->vars.erase(h.binding);
            result = hr;
            break;
        }
    } else if (result.ctl == Ctl::raise && t->star) {
        const Value exc = result.value;
        result = co_await except_star_a(this, t, env, exc);
    } else if (result.ok() && !t->else_body.empty()) {
        result = co_await exec_block_a(&t->else_body, env);
    }
    if (t->has_finally && result.ctl != Ctl::fatal) {
        const bool pending = result.ctl == Ctl::raise;
        if (pending) handling().push_back(result.value);
        Res fr = co_await exec_block_a(&t->finally_body, env);
        if (pending) {
            auto& hs = handling();
            if (!hs.empty()) hs.pop_back();
        }
        if (!fr.ok()) result = fr;
    }
    co_return result;
}

Flow<Res> Machine::exec_with_a(const With* s, EnvPtr env, std::size_t item) {
    if (item == s->items.size()) {
        Res r = co_await exec_block_a(&s->body, env);
        co_return r;
    }
    const WithItem& wi = s->items[item];
    Res mgr = co_await ev(wi.context, env);
    if (!mgr.ok()) co_return mgr;
    const Span span = wi.context->span;
    Res entered;
    const bool native = s->is_async && is_native_context(mgr.value);
    if (!s->is_async) {
        Args none;
        entered = call_method(mgr.value, "__enter__", none, span);
    } else if (native) {
        entered = co_await native_aenter(mgr.value, span);
    } else {
        Args none;
        Res aw = call_method(mgr.value, "__aenter__", none, span);
        if (aw.ctl == Ctl::raise && isinstance(aw.value, cls("AttributeError").get()))
            co_return raise_error("TypeError", "'" + type_name(mgr.value) + "' object does not support the asynchronous context manager protocol");
        if (!aw.ok()) co_return aw;
        entered = co_await await_value(aw.value, span);
    }
    if (!entered.ok()) co_return entered;
    if (wi.target) {
        Res b = assign_target(wi.target, entered.value, env);
        if (!b.ok()) co_return b;
    }
    Res body = co_await exec_with_a(s, env, item + 1);
    if (body.ctl == Ctl::fatal) co_return body;
    at(s->span);
    Res ex;
    const Value exc = body.ctl == Ctl::raise ? body.value : Value::none();
    if (native) {
        ex = co_await native_aexit(mgr.value, exc, span);
        if (ex.ctl == Ctl::raise && body.ctl == Ctl::raise && !py_is(ex.value, exc) && is_kind(ex.value, OKind::instance)) {
            auto& d = *as<Instance>(ex.value).exc;
            if (d.context.is_none() && !d.suppress_context) d.context = exc;
        }
    } else {
        Args a;
        if (body.ctl == Ctl::raise) a.pos = {Value::of(type_of(exc)), exc, Value::none()};
        else a.pos = {Value::none(), Value::none(), Value::none()};
        if (!s->is_async && is_runner(mgr.value)) {
            // `with asyncio.Runner()`: close() cancels what is left and waits for it.
            ex = co_await runner_close_co(mgr.value);
            if (ex.ok()) ex = Res::of(Value::boolean(false));
        } else if (!s->is_async) {
            ex = call_method(mgr.value, "__exit__", a, span);
        } else {
            Res aw = call_method(mgr.value, "__aexit__", a, span);
            if (!aw.ok()) co_return aw;
            ex = co_await await_value(aw.value, span);
        }
    }
    if (!ex.ok()) co_return ex;
    if (body.ctl == Ctl::raise) {
        bool suppress = false;
        Res t = truthy(ex.value, suppress);
        if (!t.ok()) co_return t;
        if (suppress) co_return Res::of();
    }
    co_return body;
}

}  // namespace tasklab::py
