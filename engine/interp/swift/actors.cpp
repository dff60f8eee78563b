// Swift actors and the main actor: which actor a piece of code is isolated to, and the hops a
// call makes between actors.
//
// The scheduler runs each actor as a serial executor (engine/scheduler.hpp, "Actors"): a task
// holds the actor its code needs while it runs or blocks its thread, lets go at every
// suspension, and waits in the actor's queue when another task holds it. This file decides
// *which* actor a task's code needs, as Swift 6.3 does (each rule was checked against the real
// runtime; docs/semantics.md, "Actors"):
//   - top-level code runs on the main actor in Swift 6 mode, and in earlier modes when it
//     awaits (SE-0343); functions declared at the top level are nonisolated;
//   - an actor's methods run on that actor, a `@MainActor` function or a method of a
//     `@MainActor` type on the main actor, a `nonisolated` one on none;
//   - a nonisolated `async` function runs on no actor (SE-0338): calling it from an actor lets
//     go of the actor until it returns; a nonisolated synchronous function runs where its
//     caller runs;
//   - `Task {}` starts on the actor of the code that creates it: always for the main actor,
//     and for an actor instance only when its closure uses the actor (`self` or one of its
//     members); `Task.detached {}` on none; `{ @MainActor in … }` on the main actor;
//   - `await MainActor.run { … }` hops to the main actor and back.
// Each call that changes actor hops there before its body and back to the caller's actor
// after it; the hop back may wait too (the caller's actor may be busy by then).
#include "engine/interp/swift/machine.hpp"
#include "scenarios/ast_walk.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

/// True when top-level statement `s` awaits (an `await`, `for await`, `async let`), not
/// counting the closures and declarations inside it.
bool awaits_at_top_level(const Stmt* s) {
    std::vector<NodeRef> stack{NodeRef{s, nullptr}};
    while (!stack.empty()) {
        const NodeRef n = stack.back();
        stack.pop_back();
        if (n.stmt) {
            if (n.stmt->kind == StmtKind::func_decl || n.stmt->kind == StmtKind::type_decl) continue;
            if (n.stmt->kind == StmtKind::var_decl &&
                static_cast<const VarDecl*>(n.stmt)->binding == BindingKind::async_let)
                return true;
            if (n.stmt->kind == StmtKind::for_in && static_cast<const ForIn*>(n.stmt)->is_await) return true;
        } else if (n.expr) {
            if (n.expr->kind == ExprKind::closure) continue;
            if (n.expr->kind == ExprKind::await_) return true;
        }
        push_children(n, stack);
    }
    return false;
}

/// True when the closure's body names the actor: `self`, or one of the actor's stored
/// properties or methods by its bare name (a `Task {}` closure may use `self` implicitly).
bool closure_uses_actor(const Closure* c, const TypeDecl* actor) {
    std::vector<std::string_view> members;
    if (actor) {
        for (const Stmt* m : actor->members) {
            if (m->kind == StmtKind::func_decl) members.push_back(static_cast<const FuncDecl*>(m)->name);
            if (m->kind == StmtKind::var_decl) {
                const auto* v = static_cast<const VarDecl*>(m);
                if (v->target && v->target->kind == ExprKind::name) members.push_back(static_cast<const Name*>(v->target)->name);
            }
        }
    }
    std::vector<NodeRef> stack;
    for (const Stmt* s : c->body) stack.push_back(NodeRef{s, nullptr});
    while (!stack.empty()) {
        const NodeRef n = stack.back();
        stack.pop_back();
        if (n.expr && n.expr->kind == ExprKind::name) {
            const std::string& name = static_cast<const Name*>(n.expr)->name;
            if (name == "self") return true;
            for (const std::string_view m : members)
                if (m == name) return true;
        }
        push_children(n, stack);
    }
    return false;
}

}  // namespace

bool Machine::top_level_on_main_actor() const {
    if (m_program.swift_version == "6") return true;
    for (const Stmt* s : m_program.body)
        if (s && awaits_at_top_level(s)) return true;
    return false;
}

void Machine::setup_actors() {
    m_main_actor = m_sched.add_actor("MainActor");
    const ActorId top = top_level_on_main_actor() ? m_main_actor : 0;
    m_globals->isolation = top;
    m_sched.set_actor(m_main, top);
}

ActorId Machine::new_actor_instance(const TypeDecl* decl, Span span) {
    const std::uint32_t n = ++m_actor_instances[decl->name];
    const ActorId id = m_sched.add_actor(n == 1 ? decl->name : decl->name + " #" + std::to_string(n), span);
    m_actor_types[id] = decl;
    return id;
}

std::uint32_t Machine::function_isolation(const FuncObj& f) const {
    const FuncDecl* d = f.decl;
    if (d->isolation == DeclIsolation::main_actor) return m_main_actor;
    if (d->isolation == DeclIsolation::nonisolated) return 0;
    if (f.owner && f.owner->decl) {
        const TypeDecl* t = f.owner->decl;
        if (t->type_kind == TypeKind::actor_) {
            if (d->is_static || d->is_init) return 0;  // no instance to be isolated to
            const Value self = f.self.unwrapped();
            return self.kind == Kind::instance ? static_cast<const InstanceObj&>(*self.ref).actor : 0;
        }
        return t->main_actor ? m_main_actor : 0;
    }
    if (f.env == m_globals) return 0;  // a top-level function is nonisolated (top-level variables are not)
    return k_inherit_isolation;        // a local function: isolated as the code around it
}

std::uint32_t Machine::call_target_actor(const Value& callee_in) const {
    const Value callee = callee_in.unwrapped();
    if (callee.kind == Kind::function) {
        const auto& f = static_cast<const FuncObj&>(*callee.ref);
        std::uint32_t iso = function_isolation(f);
        if (iso == k_inherit_isolation) iso = f.env ? f.env->static_isolation() : 0;
        if (iso != 0) return iso;
        // SE-0338: a nonisolated async function runs on no actor; a synchronous one runs
        // where its caller runs.
        return f.decl->is_async ? 0 : k_inherit_isolation;
    }
    if (callee.kind == Kind::closure && static_cast<const ClosureObj&>(*callee.ref).expr->main_actor) return m_main_actor;
    return k_inherit_isolation;
}

Flow<Res> Machine::call_on_actor(Value callee, Args args, Site site, ActorId target) {
    const ActorId back = m_sched.actor_of(m_sched.current());
    at(site.span);
    co_await m_sched.hop_to(target);
    Res r = co_await call_function(std::move(callee), std::move(args), site);
    at(site.span);
    co_await m_sched.hop_to(back);  // the caller's actor may be busy by now: this may wait too
    co_return r;
}

Flow<Res> Machine::main_actor_run(Args args, Site site) {
    const ArgVal* body = closure_arg(args, "body");
    if (!body) co_return wrong_args(site, "MainActor.run", "a closure: `await MainActor.run { … }`");
    if (!m_swift.is_swift_task(m_sched.current()))
        co_return fail(DiagnosticKind::misuse, site.span, "`MainActor.run` needs an async context, but this code runs in a work item");
    Value closure = body->value;
    const ActorId back = m_sched.actor_of(m_sched.current());
    at(site.span);
    co_await m_sched.hop_to(m_main_actor);
    Args none;
    Res r = co_await call(std::move(closure), std::move(none), site);
    at(site.span);
    co_await m_sched.hop_to(back);
    co_return r;
}

ActorId Machine::task_start_actor(const Value& closure_in, bool detached) const {
    const Value closure = closure_in.unwrapped();
    if (closure.kind != Kind::closure) return 0;
    const auto& c = static_cast<const ClosureObj&>(*closure.ref);
    if (c.expr->main_actor) return m_main_actor;
    if (detached) return 0;  // semantics: F26 — a detached task takes no isolation
    const std::uint32_t iso = c.env ? c.env->static_isolation() : 0;
    if (iso == 0 || iso == m_main_actor) return iso;
    // An actor instance: the closure is isolated to it only when it uses the actor.
    const auto it = m_actor_types.find(iso);
    return closure_uses_actor(c.expr, it == m_actor_types.end() ? nullptr : it->second) ? iso : 0;
}

Value Machine::isolate_closure(const Value& closure_in, ActorId actor) {
    const Value closure = closure_in.unwrapped();
    if (closure.kind != Kind::closure) return closure_in;
    const auto& c = static_cast<const ClosureObj&>(*closure.ref);
    if (c.env && c.env->static_isolation() == actor) return closure_in;
    auto copy = std::make_shared<ClosureObj>();
    copy->expr = c.expr;
    copy->env = m_envs.make(c.env);
    copy->env->isolation = actor;
    return Value::with_ref(Kind::closure, std::move(copy));
}

}  // namespace tasklab::interp
