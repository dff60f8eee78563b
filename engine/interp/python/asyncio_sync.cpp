// asyncio.Condition and asyncio.Barrier for Python scenarios, as CPython 3.11.7's locks.py
// writes them. Both are built from the same pieces as in CPython: a Condition is an
// asyncio.Lock plus a deque of plain futures (wait() releases the lock, waits on its future,
// then re-acquires the lock even when cancelled); a Barrier is a Condition, a count and a state
// (filling, draining, resetting, broken). Every wake-up is a future's result or a lock
// hand-over, so tasks wake in the same passes of the loop as in CPython.
#include <algorithm>
#include <deque>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

struct ConditionObj : NativeObj {
    Value lock;  // an asyncio.Lock
    std::deque<asyncio::FutureId> waiters;
    ConditionObj() : NativeObj(NKind::condition) {}
};

/// locks.py _BarrierState.
enum class BarrierState : std::uint8_t { filling, draining, resetting, broken };

struct BarrierObj : NativeObj {
    Value cond;  // a Condition of its own
    std::int64_t parties = 1;
    std::int64_t count = 0;
    BarrierState state = BarrierState::filling;
    BarrierObj() : NativeObj(NKind::barrier) {}
};

const char* state_name(BarrierState s) {
    switch (s) {
    case BarrierState::filling: return "filling";
    case BarrierState::draining: return "draining";
    case BarrierState::resetting: return "resetting";
    case BarrierState::broken: return "broken";
    }
    return "?";
}

ConditionObj& condition(const Value& v) { return static_cast<ConditionObj&>(*v.obj); }
BarrierObj& barrier(const Value& v) { return static_cast<BarrierObj&>(*v.obj); }

}  // namespace

Value Machine::make_condition(Value lock) {
    auto c = std::make_shared<ConditionObj>();
    c->cls = cls("asyncio.Condition");
    c->lock = std::move(lock);
    return Value::of(std::move(c));
}

// =========================================================================================
// Condition
// =========================================================================================

Flow<Res> Machine::condition_wait_co(Value cond) {
    // locks.py Condition.wait
    if (!lock_is_locked(condition(cond).lock)) co_return raise_error("RuntimeError", "cannot wait on un-acquired lock");
    Res released = lock_release(condition(cond).lock);
    if (!released.ok()) co_return released;
    const asyncio::FutureId fut = m_model.create_future();
    m_model.set_wait_label(fut, WaitReason::event, "Condition.wait()");
    condition(cond).waiters.push_back(fut);
    asyncio::Result waited = co_await interp::lift(m_model.await_future(fut));
    auto& ws = condition(cond).waiters;
    ws.erase(std::remove(ws.begin(), ws.end(), fut), ws.end());
    // finally: the lock is re-acquired even when the wait was cancelled; a cancel that arrives
    // while re-acquiring is remembered and raised once the lock is held.
    bool cancelled = false;
    while (true) {
        Res acquired = co_await lock_acquire_co(condition(cond).lock);
        if (acquired.ok()) break;
        if (!isinstance(acquired.value, cls("CancelledError").get())) co_return acquired;
        cancelled = true;
    }
    if (cancelled) {
        Value e = new_exception(cls("CancelledError"), {});
        if (!waited.ok()) as<Instance>(e).exc->context = from_exc(waited.error);
        co_return Res::raised(e);
    }
    if (!waited.ok()) co_return from_result(std::move(waited));
    co_return Res::of(Value::boolean(true));
}

Flow<Res> Machine::condition_wait_for_co(Value cond, Value predicate, Span span) {
    // locks.py Condition.wait_for: the predicate's last value is the result.
    Args none;
    Res result = call(predicate, none, span);
    if (!result.ok()) co_return result;
    while (true) {
        bool ready = false;
        Res t = truthy(result.value, ready);
        if (!t.ok()) co_return t;
        if (ready) break;
        Res waited = co_await condition_wait_co(cond);
        if (!waited.ok()) co_return waited;
        Args again;
        result = call(predicate, again, span);
        if (!result.ok()) co_return result;
    }
    co_return result;
}

Res Machine::condition_notify(const Value& cond, std::int64_t n) {
    // locks.py Condition.notify: wakes at most n waiters whose future is not done yet.
    if (!lock_is_locked(condition(cond).lock)) return raise_error("RuntimeError", "cannot notify on un-acquired lock");
    std::int64_t woken = 0;
    const std::deque<asyncio::FutureId> waiters = condition(cond).waiters;
    for (asyncio::FutureId f : waiters) {
        if (woken >= n) break;
        if (!m_model.done(f)) {
            ++woken;
            m_model.set_result(f, Value::boolean(false));
        }
    }
    return Res::of();
}

// =========================================================================================
// Barrier
// =========================================================================================

Flow<Res> Machine::barrier_wait_co(Value b) {
    // locks.py Barrier.wait: `async with self._cond:` around _block, then the count.
    Value cond = barrier(b).cond;
    Res entered = co_await lock_acquire_co(condition(cond).lock);
    if (!entered.ok()) co_return entered;
    Res out = co_await barrier_wait_locked(b);
    if (lock_is_locked(condition(cond).lock)) {
        Res released = lock_release(condition(cond).lock);
        if (!released.ok()) co_return released;
    }
    co_return out;
}

Flow<Res> Machine::barrier_wait_locked(Value b) {
    Value cond = barrier(b).cond;
    // _block: wait while the barrier drains or resets.
    Value not_draining = builtin("Barrier._not_draining", b);
    Res blocked = co_await condition_wait_for_co(cond, not_draining, {});
    if (!blocked.ok()) co_return blocked;
    if (barrier(b).state == BarrierState::broken)
        co_return Res::raised(new_exception(cls("BrokenBarrierError"), {make_str("Barrier aborted")}));
    const std::int64_t index = barrier(b).count;
    ++barrier(b).count;
    Res outcome = Res::of(Value::integer(index));
    if (index + 1 == barrier(b).parties) {
        // _release: the last party drains the barrier and wakes everyone.
        barrier(b).state = BarrierState::draining;
        Res notified = condition_notify(cond, static_cast<std::int64_t>(condition(cond).waiters.size()));
        if (!notified.ok()) outcome = notified;
    } else {
        // _wait: until the barrier leaves the filling state.
        Value not_filling = builtin("Barrier._not_filling", b);
        Res waited = co_await condition_wait_for_co(cond, not_filling, {});
        if (!waited.ok()) {
            outcome = waited;
        } else if (barrier(b).state == BarrierState::broken || barrier(b).state == BarrierState::resetting) {
            outcome = Res::raised(new_exception(cls("BrokenBarrierError"), {make_str("Abort or reset of barrier")}));
        }
    }
    // finally: _exit
    --barrier(b).count;
    if (barrier(b).count == 0) {
        if (barrier(b).state == BarrierState::resetting || barrier(b).state == BarrierState::draining) barrier(b).state = BarrierState::filling;
        Res notified = condition_notify(cond, static_cast<std::int64_t>(condition(cond).waiters.size()));
        if (!notified.ok()) co_return notified;
    }
    co_return outcome;
}

Flow<Res> Machine::barrier_reset_co(Value b, bool abort) {
    // locks.py Barrier.reset / Barrier.abort, each under `async with self._cond`.
    Value cond = barrier(b).cond;
    Res entered = co_await lock_acquire_co(condition(cond).lock);
    if (!entered.ok()) co_return entered;
    auto& br = barrier(b);
    if (abort) br.state = BarrierState::broken;
    else if (br.count > 0) br.state = BarrierState::resetting;
    else br.state = BarrierState::filling;
    Res notified = condition_notify(cond, static_cast<std::int64_t>(condition(cond).waiters.size()));
    Res released = lock_release(condition(cond).lock);
    if (!notified.ok()) co_return notified;
    if (!released.ok()) co_return released;
    co_return Res::of();
}

// =========================================================================================
// Attributes, calls and `async with`
// =========================================================================================

Res Machine::sync_attr(const Value& obj, const std::string& name, bool& handled) {
    handled = true;
    auto& n = static_cast<const NativeObj&>(*obj.obj);
    auto method = [&](std::initializer_list<const char*> names, const char* prefix) -> std::optional<Res> {
        for (const char* m : names)
            if (name == m) return Res::of(builtin(std::string(prefix) + "." + name, obj));
        return std::nullopt;
    };
    if (n.nkind == NKind::condition) {
        const auto& c = condition(obj);
        if (name == "__repr__") {
            std::string extra = lock_is_locked(c.lock) ? "locked" : "unlocked";
            if (!c.waiters.empty()) extra += ", waiters:" + std::to_string(c.waiters.size());
            return Res::of(make_str("<asyncio.locks.Condition object [" + extra + "]>"));
        }
        if (auto r = method({"acquire", "release", "locked", "wait", "wait_for", "notify", "notify_all"}, "Condition")) return *r;
    }
    if (n.nkind == NKind::barrier) {
        const auto& b = barrier(obj);
        const std::int64_t n_waiting = b.state == BarrierState::filling ? b.count : 0;
        if (name == "__repr__") {
            std::string extra = state_name(b.state);
            if (b.state != BarrierState::broken) extra += ", waiters:" + std::to_string(n_waiting) + "/" + std::to_string(b.parties);
            return Res::of(make_str("<asyncio.locks.Barrier object [" + extra + "]>"));
        }
        if (name == "parties") return Res::of(Value::integer(b.parties));
        if (name == "n_waiting") return Res::of(Value::integer(n_waiting));
        if (name == "broken") return Res::of(Value::boolean(b.state == BarrierState::broken));
        if (auto r = method({"wait", "reset", "abort"}, "Barrier")) return *r;
    }
    handled = false;
    return Res::of();
}

Res Machine::sync_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    auto arg = [&](std::size_t k, const char* kw) -> const Value* {
        if (k < args.pos.size()) return &args.pos[k];
        return args.kwarg(kw);
    };
    if (name == "asyncio.Condition") {
        Value lock;
        if (const Value* l = arg(0, "lock"); l && !l->is_none()) {
            if (!is_kind(*l, OKind::native) || static_cast<const NativeObj&>(*l->obj).nkind != NKind::lock)
                return fail(DiagnosticKind::unknown_member, span, "tasklab's asyncio.Condition takes an asyncio.Lock or no lock");
            lock = *l;
        } else {
            Args none;
            bool h = false;
            Res made = asyncio_call("asyncio.Lock", Value::none(), none, span, h);
            if (!made.ok()) return made;
            lock = made.value;
        }
        return Res::of(make_condition(lock));
    }
    if (name == "asyncio.Barrier") {
        const Value* p = arg(0, "parties");
        if (!p) return raise_error("TypeError", "Barrier.__init__() missing 1 required positional argument: 'parties'");
        if (p->kind != VKind::integer && p->kind != VKind::boolean)
            return raise_error("TypeError", "'<' not supported between instances of '" + type_name(*p) + "' and 'int'");
        const std::int64_t parties = p->kind == VKind::boolean ? (p->b ? 1 : 0) : p->i;
        if (parties < 1) return raise_error("ValueError", "parties must be > 0");
        Args none;
        bool h = false;
        Res lock = asyncio_call("asyncio.Lock", Value::none(), none, span, h);
        if (!lock.ok()) return lock;
        auto b = std::make_shared<BarrierObj>();
        b->cls = cls("asyncio.Barrier");
        b->parties = parties;
        b->cond = make_condition(lock.value);
        return Res::of(Value::of(std::move(b)));
    }
    if (name.rfind("Condition.", 0) == 0) {
        const std::string m = name.substr(10);
        Value c = self;
        Value lock = condition(self).lock;
        if (m == "locked") return Res::of(Value::boolean(lock_is_locked(lock)));
        if (m == "acquire") return Res::of(make_native_coroutine("Lock.acquire", [this, lock]() { return lock_acquire_co(lock); }));
        if (m == "release") return lock_release(lock);
        if (m == "wait") return Res::of(make_native_coroutine("Condition.wait", [this, c]() { return condition_wait_co(c); }));
        if (m == "wait_for") {
            const Value* p = arg(0, "predicate");
            if (!p) return raise_error("TypeError", "Condition.wait_for() missing 1 required positional argument: 'predicate'");
            Value predicate = *p;
            return Res::of(make_native_coroutine("Condition.wait_for", [this, c, predicate, span]() { return condition_wait_for_co(c, predicate, span); }));
        }
        if (m == "notify") {
            std::int64_t n = 1;
            if (const Value* v = arg(0, "n")) {
                if (v->kind != VKind::integer) return raise_error("TypeError", "'>=' not supported between instances of 'int' and '" + type_name(*v) + "'");
                n = v->i;
            }
            return condition_notify(self, n);
        }
        if (m == "notify_all") return condition_notify(self, static_cast<std::int64_t>(condition(self).waiters.size()));
    }
    if (name.rfind("Barrier.", 0) == 0) {
        const std::string m = name.substr(8);
        Value b = self;
        if (m == "_not_draining") return Res::of(Value::boolean(barrier(b).state != BarrierState::draining && barrier(b).state != BarrierState::resetting));
        if (m == "_not_filling") return Res::of(Value::boolean(barrier(b).state != BarrierState::filling));
        if (m == "wait") return Res::of(make_native_coroutine("Barrier.wait", [this, b]() { return barrier_wait_co(b); }));
        if (m == "reset") return Res::of(make_native_coroutine("Barrier.reset", [this, b]() { return barrier_reset_co(b, false); }));
        if (m == "abort") return Res::of(make_native_coroutine("Barrier.abort", [this, b]() { return barrier_reset_co(b, true); }));
    }
    handled = false;
    return Res::of();
}

Flow<Res> Machine::sync_aenter(Value obj) {
    if (static_cast<const NativeObj&>(*obj.obj).nkind == NKind::barrier) {
        // Barrier.__aenter__ is `return await self.wait()`: `async with barrier as index`.
        Res r = co_await barrier_wait_co(obj);
        co_return r;
    }
    Res r = co_await lock_acquire_co(condition(obj).lock);
    if (!r.ok()) co_return r;
    co_return Res::of();
}

Res Machine::sync_aexit(const Value& obj) {
    if (static_cast<const NativeObj&>(*obj.obj).nkind == NKind::barrier) return Res::of(Value::boolean(false));
    Res r = lock_release(condition(obj).lock);
    if (!r.ok()) return r;
    return Res::of(Value::boolean(false));
}

}  // namespace tasklab::py
