// Python statements on the coroutine path (statements that contain an `await`, `async for`,
// `async with` or a `yield`): blocks, expression statements, assignment, if/while/for,
// `async for`, return and raise. try and with on this path are in try_with_async.cpp.
#include <algorithm>
#include <functional>

#include "engine/interp/notes.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

// =========================================================================================
// Statements: the coroutine path
// =========================================================================================

Flow<Res> Machine::exec_block_a(const Block* block, EnvPtr env) {
    for (const Stmt* s : *block) {
        Res r;
        if (s->may_suspend) r = co_await exec_a(s, env);
        else r = exec(s, env);
        if (!m_pending_close.empty() && !m_closing_generators) close_dropped_generators();  // generators the statement dropped
        notes::statement_ended(m_sched, s);
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

namespace {
Flow<Res> ready_res(Res r) { co_return r; }
}  // namespace

Flow<Res> Machine::exec_a(const Stmt* s, EnvPtr env) {
    if (m_fatal || !count_statement(s)) return ready_res(Res::make(Ctl::fatal));
    at(s->span);
    notes::statement_started(m_sched, m_program, s);
    switch (s->kind) {
    case StmtKind::expr: return exec_expr_a(static_cast<const ExprStmt*>(s), std::move(env));
    case StmtKind::assign: return exec_assign_a(static_cast<const Assign*>(s), std::move(env));
    case StmtKind::if_: return exec_if_a(static_cast<const If*>(s), std::move(env));
    case StmtKind::while_: return exec_while_a(static_cast<const While*>(s), std::move(env));
    case StmtKind::for_in: return exec_for_a(static_cast<const ForIn*>(s), std::move(env));
    case StmtKind::return_: return exec_return_a(static_cast<const Return*>(s), std::move(env));
    case StmtKind::throw_: return exec_raise_a(static_cast<const Throw*>(s), std::move(env));
    case StmtKind::try_: return exec_try_a(static_cast<const TryStmt*>(s), std::move(env));
    case StmtKind::with: return exec_with_a(static_cast<const With*>(s), std::move(env), 0);
    case StmtKind::block: return exec_block_a(&static_cast<const BlockStmt*>(s)->body, std::move(env));
    default:
        return ready_res(fail(DiagnosticKind::misuse, s->span, "tasklab cannot suspend inside this statement"));
    }
}

Flow<Res> Machine::exec_expr_a(const ExprStmt* s, EnvPtr env) {
    Res r = co_await eval_a(s->expr, env);
    if (!r.ok()) co_return r;
    co_return Res::of();
}

Flow<Res> Machine::exec_assign_a(const Assign* a, EnvPtr env) {
    Res rhs = co_await ev(a->value, env);
    at(a->span);
    co_return exec_assign_value(a, std::move(rhs), env);
}

Flow<Res> Machine::exec_if_a(const If* i, EnvPtr env) {
    bool pass = true;
    for (const auto& c : i->conditions) {
        Res v = co_await ev(c.expr, env);
        if (!v.ok()) co_return v;
        Res t = truthy(v.value, pass);
        if (!t.ok()) co_return t;
        if (!pass) break;
    }
    const Block* branch = pass ? &i->then_body : &i->else_body;
    Res r = co_await exec_block_a(branch, env);
    co_return r;
}

Flow<Res> Machine::exec_while_a(const While* w, EnvPtr env) {
    for (;;) {
        at(w->cond->span);
        Res c = co_await ev(w->cond, env);
        if (!c.ok()) co_return c;
        bool go = false;
        Res t = truthy(c.value, go);
        if (!t.ok()) co_return t;
        if (!go) {
            Res e = co_await exec_block_a(&w->else_body, env);
            co_return e;
        }
        Res r = co_await exec_block_a(&w->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
        if (m_fatal || !count_statement(w)) co_return Res::make(Ctl::fatal);
    }
}

Flow<Res> Machine::exec_for_a(const ForIn* f, EnvPtr env) {
    Res it = co_await ev(f->iterable, env);
    if (!it.ok()) co_return it;
    if (f->is_await) {
        Res r = co_await exec_async_for(f, env, it.value);
        co_return r;
    }
    bool lazy = false;
    if (Res src = for_source(it.value, lazy, f->iterable->span); !src.ok()) co_return src;
    if (lazy) {
        Res r = co_await exec_for_lazy_a(f, env, it.value);
        co_return r;
    }
    std::vector<Value> xs;
    Res seq = iterate(it.value, xs, f->iterable->span);
    if (!seq.ok()) co_return seq;
    const std::size_t size0 = container_size(it.value);
    for (auto& x : xs) {
        Res b = assign_target(f->target, std::move(x), env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
        if (Res c = check_size_unchanged(it.value, size0); !c.ok()) co_return c;
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

Flow<Res> Machine::exec_async_for(const ForIn* f, EnvPtr env, Value iterable) {
    if (is_kind(iterable, OKind::native) && as<NativeObj>(iterable).nkind == NKind::ws_conn) {
        Res r = co_await ws_async_for(f, env, iterable);
        co_return r;
    }
    if (is_async_generator(iterable)) {
        Res r = co_await exec_async_for_agen(f, env, iterable);
        co_return r;
    }
    // The general protocol: __aiter__, then await __anext__() until StopAsyncIteration.
    Args none;
    Res iter = call_method(iterable, "__aiter__", none, f->iterable->span);
    if (!iter.ok()) {
        if (iter.ctl == Ctl::raise && isinstance(iter.value, cls("AttributeError").get()))
            co_return raise_error("TypeError", "'async for' requires an object with __aiter__ method, got " + type_name(iterable));
        co_return iter;
    }
    for (;;) {
        Args a;
        Res aw = call_method(iter.value, "__anext__", a, f->iterable->span);
        if (!aw.ok()) co_return aw;
        Res item = co_await await_value(aw.value, f->iterable->span);
        if (item.ctl == Ctl::raise && isinstance(item.value, cls("StopAsyncIteration").get())) break;
        if (!item.ok()) co_return item;
        Res b = assign_target(f->target, item.value, env);
        if (!b.ok()) co_return b;
        Res r = co_await exec_block_a(&f->body, env);
        bool stop = false;
        if (!loop_body_result(r, stop)) co_return r;
        if (stop) co_return Res::of();
    }
    Res e = co_await exec_block_a(&f->else_body, env);
    co_return e;
}

Flow<Res> Machine::exec_return_a(const Return* r, EnvPtr env) {
    Res v = co_await ev(r->value, env);
    if (!v.ok()) co_return v;
    co_return Res::make(Ctl::return_, std::move(v.value));
}

Flow<Res> Machine::exec_raise_a(const Throw* t, EnvPtr env) {
    Res v = co_await ev(t->value, env);
    if (!v.ok()) co_return v;
    Res c = co_await ev(t->cause, env);
    if (!c.ok()) co_return c;
    co_return do_raise(t, std::move(v), std::move(c));
}

}  // namespace tasklab::py
