// The resolver: marks Expr/Stmt::may_suspend so code that cannot park runs on the
// interpreter's synchronous path.
//
// A node may suspend when it is (or contains) an `await`, a read of an `async let` name, a
// thread-blocking call (`sleep`, `usleep`, `item.wait()`…), or a call to a function or
// closure whose body may suspend. Calls are resolved by name: the set of suspending function
// names grows until it stops changing (a function calling a suspending function suspends).
// A call whose callee is not known (a closure held in a variable) is assumed to suspend:
// being wrong that way only costs a coroutine frame.
#include <unordered_set>

#include "engine/interp/swift/machine.hpp"
#include "engine/interp/swift/resolver_tables.hpp"

namespace tasklab::interp {

namespace {

using namespace ast;


class Resolver {
public:
    Resolver(const Program& p, ResolveInfo& info) : m_program(p), m_info(info) {}

    void run() {
        collect_block(m_program.body);
        for (int pass = 0; pass < 16; ++pass) {
            m_found.clear();
            m_info.closure_suspends.clear();
            m_natural_closures.clear();
            m_info.func_suspends.clear();
            block(m_program.body);
            if (m_found == m_suspending) break;
            m_suspending = m_found;
        }
        if (m_info.preemptive) {
            // One more pass that sends every statement of task code to the coroutine path. It
            // marks statements only: expressions keep their marks, and so what they do.
            m_force = true;
            m_in_task_code = true;  // the top level
            block(m_program.body);
            m_force = false;
        }
    }

private:
    // ---- pass 0: every declared function, type and async-let name ----
    void collect_block(const Block& b) {
        for (const Stmt* s : b) collect_stmt(s);
    }
    void collect_stmt(const Stmt* s) {
        if (!s) return;
        switch (s->kind) {
        case StmtKind::func_decl: {
            const auto* f = static_cast<const FuncDecl*>(s);
            m_funcs.insert(f->name);
            collect_block(f->body);
            break;
        }
        case StmtKind::type_decl: {
            const auto* t = static_cast<const TypeDecl*>(s);
            m_types.insert(t->name);
            collect_block(t->members);
            break;
        }
        case StmtKind::var_decl: {
            const auto* d = static_cast<const VarDecl*>(s);
            if (d->binding == BindingKind::async_let) collect_names(d->target);
            collect_expr(d->init);
            collect_block(d->getter);
            collect_block(d->setter);
            collect_block(d->will_set);
            collect_block(d->did_set);
            break;
        }
        case StmtKind::expr: collect_expr(static_cast<const ExprStmt*>(s)->expr); break;
        case StmtKind::assign: collect_expr(static_cast<const Assign*>(s)->value); break;
        case StmtKind::if_: {
            const auto* i = static_cast<const If*>(s);
            for (const auto& c : i->conditions) collect_expr(c.expr);
            collect_block(i->then_body);
            collect_block(i->else_body);
            break;
        }
        case StmtKind::guard: {
            const auto* g = static_cast<const Guard*>(s);
            for (const auto& c : g->conditions) collect_expr(c.expr);
            collect_block(g->else_body);
            break;
        }
        case StmtKind::while_:
            for (const auto& c : static_cast<const While*>(s)->conditions) collect_expr(c.expr);
            collect_block(static_cast<const While*>(s)->body);
            break;
        case StmtKind::switch_: {
            const auto* sw = static_cast<const Switch*>(s);
            collect_expr(sw->subject);
            for (const auto& c : sw->cases) collect_block(c.body);
            break;
        }
        case StmtKind::for_in: {
            const auto* f = static_cast<const ForIn*>(s);
            collect_expr(f->iterable);
            collect_block(f->body);
            break;
        }
        case StmtKind::return_: collect_expr(static_cast<const Return*>(s)->value); break;
        case StmtKind::throw_: collect_expr(static_cast<const Throw*>(s)->value); break;
        case StmtKind::try_: {
            const auto* t = static_cast<const TryStmt*>(s);
            collect_block(t->body);
            for (const auto& h : t->handlers) collect_block(h.body);
            collect_block(t->finally_body);
            break;
        }
        case StmtKind::defer: collect_block(static_cast<const Defer*>(s)->body); break;
        case StmtKind::block: collect_block(static_cast<const BlockStmt*>(s)->body); break;
        default: break;
        }
    }
    // Closures inside expressions may declare functions or async lets too.
    void collect_expr(const Expr* e) {
        if (!e) return;
        switch (e->kind) {
        case ExprKind::closure: collect_block(static_cast<const Closure*>(e)->body); break;
        case ExprKind::call: {
            const auto* c = static_cast<const Call*>(e);
            collect_expr(c->callee);
            for (const auto& a : c->args) collect_expr(a.value);
            break;
        }
        case ExprKind::try_: collect_expr(static_cast<const Try*>(e)->operand); break;
        case ExprKind::await_: collect_expr(static_cast<const Await*>(e)->operand); break;
        case ExprKind::member: collect_expr(static_cast<const Member*>(e)->base); break;
        default: break;
        }
    }
    void collect_names(const Expr* target) {
        if (!target) return;
        if (target->kind == ExprKind::name) m_async_lets.insert(static_cast<const Name*>(target)->name);
        if (target->kind == ExprKind::tuple)
            for (const Expr* x : static_cast<const TupleExpr*>(target)->elements) collect_names(x);
    }

    // ---- the marking pass ----
    bool block(const Block& b) {
        bool any = false;
        for (const Stmt* s : b) any = stmt(s) || any;
        return any;
    }

    bool conditions(const std::vector<Condition>& cs) {
        bool any = false;
        for (const auto& c : cs) {
            any = expr(c.expr) || any;
            pattern(c.pattern);
        }
        return any;
    }

    /// Marks the expressions inside a pattern. Matching runs them synchronously; the
    /// interpreter refuses one that would suspend, so the pattern itself never makes its
    /// statement suspend.
    void pattern(const Pattern* p) {
        if (!p) return;
        expr(p->expr);
        for (const Pattern* e : p->elements) pattern(e);
    }
    bool case_items(const std::vector<CaseItem>& items) {
        bool any = false;
        for (const auto& item : items) {
            pattern(item.pattern);
            any = expr(item.where) || any;
        }
        return any;
    }

    void require(const void* child, Span where) {
        if (child || m_info.malformed) return;
        m_info.malformed = true;
        m_info.malformed_span = where;
    }

    void check_stmt(const Stmt* s) {
        switch (s->kind) {
        case StmtKind::expr: require(static_cast<const ExprStmt*>(s)->expr, s->span); break;
        case StmtKind::var_decl: {
            const auto* d = static_cast<const VarDecl*>(s);
            require(d->target, s->span);
            if (d->binding == BindingKind::async_let) require(d->init, s->span);
            break;
        }
        case StmtKind::assign:
            require(static_cast<const Assign*>(s)->target, s->span);
            require(static_cast<const Assign*>(s)->value, s->span);
            break;
        case StmtKind::if_:
            for (const auto& c : static_cast<const If*>(s)->conditions) if (!c.is_binding) require(c.expr, c.span);
            break;
        case StmtKind::guard:
            for (const auto& c : static_cast<const Guard*>(s)->conditions) if (!c.is_binding) require(c.expr, c.span);
            break;
        case StmtKind::while_: {
            const auto* w = static_cast<const While*>(s);
            if (w->conditions.empty()) require(w->cond, s->span);
            for (const auto& c : w->conditions) if (!c.is_binding) require(c.expr, c.span);
            break;
        }
        case StmtKind::for_in:
            require(static_cast<const ForIn*>(s)->target, s->span);
            require(static_cast<const ForIn*>(s)->iterable, s->span);
            break;
        case StmtKind::switch_: {
            const auto* sw = static_cast<const Switch*>(s);
            require(sw->subject, s->span);
            for (const auto& c : sw->cases)
                for (const auto& item : c.items) require(item.pattern, c.span);
            break;
        }
        default: break;
        }
    }

    void check_expr(const Expr* e) {
        switch (e->kind) {
        case ExprKind::call: require(static_cast<const Call*>(e)->callee, e->span); break;
        case ExprKind::subscript: require(static_cast<const Subscript*>(e)->base, e->span); break;
        case ExprKind::unary: require(static_cast<const Unary*>(e)->operand, e->span); break;
        case ExprKind::binary:
            require(static_cast<const Binary*>(e)->lhs, e->span);
            require(static_cast<const Binary*>(e)->rhs, e->span);
            break;
        case ExprKind::ternary:
            require(static_cast<const Ternary*>(e)->cond, e->span);
            require(static_cast<const Ternary*>(e)->then_expr, e->span);
            require(static_cast<const Ternary*>(e)->else_expr, e->span);
            break;
        case ExprKind::try_: require(static_cast<const Try*>(e)->operand, e->span); break;
        case ExprKind::await_: require(static_cast<const Await*>(e)->operand, e->span); break;
        case ExprKind::force_unwrap: require(static_cast<const ForceUnwrap*>(e)->operand, e->span); break;
        case ExprKind::optional_chain: require(static_cast<const OptionalChain*>(e)->operand, e->span); break;
        case ExprKind::array:
            for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) require(x, e->span);
            break;
        case ExprKind::tuple:
            for (const Expr* x : static_cast<const TupleExpr*>(e)->elements) require(x, e->span);
            break;
        case ExprKind::dict:
            for (const auto& [k, v] : static_cast<const DictLiteral*>(e)->entries) {
                require(k, e->span);
                require(v, e->span);
            }
            break;
        default: break;
        }
    }

    bool var_decl(const VarDecl* d) {
        bool m = expr(d->init);
        if (d->binding == BindingKind::async_let) m = true;
        // Accessors run synchronously when the property is read or written (the parser
        // refuses `get async`); resolving them marks the closures they make. Not task code:
        // an explored run cannot preempt inside them.
        const bool outer = m_in_task_code;
        m_in_task_code = false;
        block(d->getter);
        block(d->setter);
        block(d->will_set);
        block(d->did_set);
        m_in_task_code = outer;
        return m;
    }

    bool switch_stmt(const Switch* sw) {
        bool m = expr(sw->subject);
        for (const auto& c : sw->cases) {
            m = case_items(c.items) || m;
            m = block(c.body) || m;
        }
        return m;
    }

    bool try_stmt(const TryStmt* t) {
        bool m = block(t->body);
        for (const auto& h : t->handlers) {
            m = expr(h.where) || m;
            m = case_items(h.items) || m;
            m = block(h.body) || m;
        }
        m = block(t->else_body) || m;
        m = block(t->finally_body) || m;
        return m;
    }

    /// Declaring a function does not run it: false, whatever its body does.
    bool func_decl(const FuncDecl* f) {
        for (const auto& p : f->params) expr(p.default_value);
        const bool outer = m_in_task_code;
        m_in_task_code = known_function_suspends(f->name);
        const bool body = block(f->body);
        m_in_task_code = outer;
        m_info.func_suspends[f] = body;
        if (body) m_found.insert(f->name);
        return false;
    }

    bool stmt(const Stmt* s) {
        if (!s) return false;
        check_stmt(s);
        bool m = false;
        switch (s->kind) {
        case StmtKind::expr: m = expr(static_cast<const ExprStmt*>(s)->expr); break;
        case StmtKind::var_decl: m = var_decl(static_cast<const VarDecl*>(s)); break;
        case StmtKind::assign: {
            const auto* a = static_cast<const Assign*>(s);
            m = expr(a->value);
            m = expr(a->target) || m;
            break;
        }
        case StmtKind::if_: {
            const auto* i = static_cast<const If*>(s);
            m = conditions(i->conditions);
            m = block(i->then_body) || m;
            m = block(i->else_body) || m;
            break;
        }
        case StmtKind::guard: {
            const auto* g = static_cast<const Guard*>(s);
            m = conditions(g->conditions);
            m = block(g->else_body) || m;
            break;
        }
        case StmtKind::switch_: m = switch_stmt(static_cast<const Switch*>(s)); break;
        case StmtKind::while_: {
            const auto* w = static_cast<const While*>(s);
            m = expr(w->cond);
            m = conditions(w->conditions) || m;
            m = block(w->body) || m;
            m = block(w->else_body) || m;
            break;
        }
        case StmtKind::for_in: {
            const auto* f = static_cast<const ForIn*>(s);
            m = expr(f->iterable);
            pattern(f->pattern);
            m = expr(f->where) || m;
            m = block(f->body) || m;
            if (f->is_await) m = true;
            break;
        }
        case StmtKind::return_: m = expr(static_cast<const Return*>(s)->value); break;
        case StmtKind::throw_: {
            const auto* t = static_cast<const Throw*>(s);
            m = expr(t->value);
            m = expr(t->cause) || m;
            break;
        }
        case StmtKind::try_: m = try_stmt(static_cast<const TryStmt*>(s)); break;
        case StmtKind::defer: m = block(static_cast<const Defer*>(s)->body); break;
        case StmtKind::func_decl: m = func_decl(static_cast<const FuncDecl*>(s)); break;
        case StmtKind::type_decl: {
            const auto* t = static_cast<const TypeDecl*>(s);
            for (const Stmt* member : t->members) stmt(member);
            m = false;
            break;
        }
        case StmtKind::block: m = block(static_cast<const BlockStmt*>(s)->body); break;
        case StmtKind::with: {
            const auto* w = static_cast<const With*>(s);
            for (const auto& item : w->items) m = expr(item.context) || m;
            m = block(w->body) || m;
            break;
        }
        default: break;
        }
        const bool mark = m || (m_force && m_in_task_code && s->kind != StmtKind::func_decl && s->kind != StmtKind::type_decl);
        if (s->may_suspend != mark) s->may_suspend = mark;  // replays resolve again: only read then (runs on other threads)
        return m;
    }

    bool args(const std::vector<Arg>& as) {
        bool any = false;
        for (const auto& a : as) any = expr(a.value) || any;
        return any;
    }

    bool known_function_suspends(const std::string& name) const { return m_suspending.count(name) > 0; }

    bool call_may_suspend(const Call* c) {
        // A closure argument whose body suspends may be run in place (forEach, map): treat the
        // call as suspending. Spawning calls (Task {}, addTask) pay one frame for nothing.
        for (const auto& a : c->args)
            if (a.value && a.value->kind == ExprKind::closure) {
                auto it = m_natural_closures.find(static_cast<const Closure*>(a.value));
                if (it != m_natural_closures.end() && it->second) return true;
            }
        const Expr* callee = c->callee;
        if (!callee) return false;
        if (callee->kind == ExprKind::name) {
            const auto& n = static_cast<const Name*>(callee)->name;
            if (k_blocking_functions.count(n)) return true;
            if (m_funcs.count(n)) return known_function_suspends(n);
            if (m_types.count(n)) return known_function_suspends("init");
            if (k_sync_functions.count(n)) return false;
            if (n.rfind("with", 0) == 0) return true;  // withTaskGroup, withTaskCancellationHandler, …
            return true;  // a closure held in a variable: assume it may suspend
        }
        if (callee->kind == ExprKind::member) {
            const auto& n = static_cast<const Member*>(callee)->name;
            if (k_blocking_methods.count(n)) return true;
            if (m_funcs.count(n)) return known_function_suspends(n);
            return false;
        }
        return true;
    }

    /// Everything under an `await` runs on the coroutine path.
    void mark_all(const Expr* e) {
        if (!e) return;
        if (!e->may_suspend) e->may_suspend = true;
        switch (e->kind) {
        case ExprKind::member: mark_all(static_cast<const Member*>(e)->base); break;
        case ExprKind::call: {
            const auto* c = static_cast<const Call*>(e);
            mark_all(c->callee);
            for (const auto& a : c->args) mark_all(a.value);
            break;
        }
        case ExprKind::subscript: {
            const auto* s = static_cast<const Subscript*>(e);
            mark_all(s->base);
            for (const auto& a : s->index) mark_all(a.value);
            break;
        }
        case ExprKind::unary: mark_all(static_cast<const Unary*>(e)->operand); break;
        case ExprKind::binary: {
            const auto* b = static_cast<const Binary*>(e);
            mark_all(b->lhs);
            mark_all(b->rhs);
            break;
        }
        case ExprKind::ternary: {
            const auto* t = static_cast<const Ternary*>(e);
            mark_all(t->cond);
            mark_all(t->then_expr);
            mark_all(t->else_expr);
            break;
        }
        case ExprKind::try_: mark_all(static_cast<const Try*>(e)->operand); break;
        case ExprKind::await_: mark_all(static_cast<const Await*>(e)->operand); break;
        case ExprKind::array:
            for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) mark_all(x);
            break;
        case ExprKind::dict:
            for (const auto& [k, v] : static_cast<const DictLiteral*>(e)->entries) {
                mark_all(k);
                mark_all(v);
            }
            break;
        case ExprKind::tuple:
            for (const Expr* x : static_cast<const TupleExpr*>(e)->elements) mark_all(x);
            break;
        case ExprKind::force_unwrap: mark_all(static_cast<const ForceUnwrap*>(e)->operand); break;
        case ExprKind::optional_chain: mark_all(static_cast<const OptionalChain*>(e)->operand); break;
        case ExprKind::string_literal:
            for (const auto& p : static_cast<const StringLiteral*>(e)->parts) mark_all(p.expr);
            break;
        case ExprKind::range: {
            const auto* r = static_cast<const RangeExpr*>(e);
            mark_all(r->lower);
            mark_all(r->upper);
            break;
        }
        default: break;  // closures keep their own marking
        }
    }

    bool expr(const Expr* e) {
        if (!e) return false;
        check_expr(e);
        bool m = false;
        switch (e->kind) {
        case ExprKind::name: m = m_async_lets.count(static_cast<const Name*>(e)->name) > 0; break;
        case ExprKind::member: m = expr(static_cast<const Member*>(e)->base); break;
        case ExprKind::call: {
            const auto* c = static_cast<const Call*>(e);
            for (const auto& a : c->args) require(a.value, a.span);
            if (m_force && spawns_task(c))
                for (const auto& a : c->args)
                    if (a.value && a.value->kind == ExprKind::closure) m_task_closures.insert(static_cast<const Closure*>(a.value));
            m = expr(c->callee);
            m = args(c->args) || m;
            m = call_may_suspend(c) || m;
            break;
        }
        case ExprKind::subscript: {
            const auto* s = static_cast<const Subscript*>(e);
            for (const auto& a : s->index) require(a.value, a.span);
            m = expr(s->base);
            m = args(s->index) || m;
            break;
        }
        case ExprKind::unary: m = expr(static_cast<const Unary*>(e)->operand); break;
        case ExprKind::binary: {
            const auto* b = static_cast<const Binary*>(e);
            m = expr(b->lhs);
            m = expr(b->rhs) || m;
            break;
        }
        case ExprKind::ternary: {
            const auto* t = static_cast<const Ternary*>(e);
            m = expr(t->cond);
            m = expr(t->then_expr) || m;
            m = expr(t->else_expr) || m;
            break;
        }
        case ExprKind::closure: {
            const auto* c = static_cast<const Closure*>(e);
            for (const auto& p : c->params) expr(p.default_value);
            const bool outer = m_in_task_code;
            const auto natural = m_natural_closures.find(c);
            m_in_task_code = m_task_closures.count(c) > 0 || (natural != m_natural_closures.end() && natural->second);
            const bool body = block(c->body);
            m_natural_closures[c] = body;
            m_info.closure_suspends[c] = body || (m_force && m_in_task_code);
            m_in_task_code = outer;
            m = false;  // creating a closure does not run it
            break;
        }
        case ExprKind::try_: m = expr(static_cast<const Try*>(e)->operand); break;
        case ExprKind::await_: {
            const auto* a = static_cast<const Await*>(e);
            expr(a->operand);
            mark_all(a->operand);
            m = true;
            break;
        }
        case ExprKind::array:
            for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) m = expr(x) || m;
            break;
        case ExprKind::dict:
            for (const auto& [k, v] : static_cast<const DictLiteral*>(e)->entries) {
                m = expr(k) || m;
                m = expr(v) || m;
            }
            break;
        case ExprKind::tuple:
            for (const Expr* x : static_cast<const TupleExpr*>(e)->elements) m = expr(x) || m;
            break;
        case ExprKind::range: {
            const auto* r = static_cast<const RangeExpr*>(e);
            m = expr(r->lower);
            m = expr(r->upper) || m;
            break;
        }
        case ExprKind::force_unwrap: m = expr(static_cast<const ForceUnwrap*>(e)->operand); break;
        case ExprKind::optional_chain: m = expr(static_cast<const OptionalChain*>(e)->operand); break;
        case ExprKind::string_literal:
            for (const auto& p : static_cast<const StringLiteral*>(e)->parts) m = expr(p.expr) || m;
            break;
        case ExprKind::stmt_expr: m = stmt(static_cast<const StmtExpr*>(e)->stmt); break;
        case ExprKind::comprehension: {
            const auto* c = static_cast<const Comprehension*>(e);
            m = expr(c->element);
            m = expr(c->iterable) || m;
            for (const Expr* x : c->conditions) m = expr(x) || m;
            break;
        }
        default: break;
        }
        if (m && !e->may_suspend) e->may_suspend = true;
        return e->may_suspend;
    }

    const Program& m_program;
    ResolveInfo& m_info;
    std::unordered_set<std::string> m_funcs;
    std::unordered_set<std::string> m_types;
    std::unordered_set<std::string> m_async_lets;
    std::unordered_set<std::string> m_suspending;
    std::unordered_set<std::string> m_found;
    std::unordered_map<const Closure*, bool> m_natural_closures;  // whether a closure's body suspends by itself
    // Explored runs (ResolveInfo::preemptive): the last pass marks task code; whether the
    // statements being walked are a task's own code; the closures tasks and work items run.
    bool m_force = false;
    bool m_in_task_code = true;
    std::unordered_set<const Closure*> m_task_closures;
};

}  // namespace

void resolve(const ast::Program& program, ResolveInfo& info) {
    Resolver r(program, info);
    r.run();
}

}  // namespace tasklab::interp
