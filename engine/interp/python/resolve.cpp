// Before a Python program runs: which statements and expressions can suspend (they contain
// an `await`, an `async for`, an `async with`, or a call of `asyncio.run`), and which names
// each function binds (CPython decides a function's local names from the assignments in its
// body, before it runs). Nested functions, lambdas and comprehensions are scopes of their
// own; a class body is not a scope its methods can see.
#include <algorithm>

#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

class Resolver {
public:
    explicit Resolver(std::unordered_map<const void*, ScopeNames>& scopes) : m_scopes(scopes) {}

    void module(const Block& body) {
        m_current = nullptr;
        block(body);
    }

private:
    std::unordered_map<const void*, ScopeNames>& m_scopes;
    ScopeNames* m_current = nullptr;  // null: module level or class body (names are not locals)
    /// Where `:=` binds: the innermost function's scope, skipping comprehensions (null: the
    /// module or a class body).
    ScopeNames* m_named_scope = nullptr;

    void bind(const std::string& name) {
        if (m_current && !m_current->globals.count(name) && !m_current->nonlocals.count(name)) m_current->locals.insert(name);
    }

    void bind_target(const Expr* t) {
        if (!t) return;
        switch (t->kind) {
        case ExprKind::name: bind(static_cast<const Name*>(t)->name); break;
        case ExprKind::tuple:
            for (const Expr* x : static_cast<const TupleExpr*>(t)->elements) bind_target(x);
            break;
        case ExprKind::array:
            for (const Expr* x : static_cast<const ArrayLiteral*>(t)->elements) bind_target(x);
            break;
        case ExprKind::starred: bind_target(static_cast<const Starred*>(t)->operand); break;
        default: break;
        }
    }

    bool block(const Block& b) {
        bool any = false;
        for (const Stmt* s : b) any = stmt(s) || any;
        return any;
    }

    /// A function's scope: parameters and everything its body binds.
    void function(const void* key, const std::vector<Param>& params, const Block* body, const Expr* lambda_body) {
        ScopeNames& names = m_scopes[key];
        ScopeNames* saved = m_current;
        ScopeNames* saved_named = m_named_scope;
        m_current = &names;
        m_named_scope = &names;
        // `global` / `nonlocal` declarations first: they decide what an assignment binds.
        if (body) collect_declarations(*body, names);
        for (const auto& p : params) {
            names.locals.insert(p.name);
            if (p.default_value) {
                ScopeNames* inner = m_current;
                m_current = saved;  // defaults are evaluated where the function is defined
                expr(p.default_value);
                m_current = inner;
            }
        }
        if (body) block(*body);
        if (lambda_body) expr(lambda_body);
        m_current = saved;
        m_named_scope = saved_named;
    }

    static void collect_declarations(const Block& b, ScopeNames& names) {
        for (const Stmt* s : b) {
            if (s->kind == StmtKind::global) {
                const auto* g = static_cast<const Global*>(s);
                for (const auto& n : g->names) (g->nonlocal ? names.nonlocals : names.globals).insert(n);
            } else if (s->kind == StmtKind::if_) {
                const auto* i = static_cast<const If*>(s);
                collect_declarations(i->then_body, names);
                collect_declarations(i->else_body, names);
            } else if (s->kind == StmtKind::while_) {
                collect_declarations(static_cast<const While*>(s)->body, names);
            } else if (s->kind == StmtKind::for_in) {
                collect_declarations(static_cast<const ForIn*>(s)->body, names);
            } else if (s->kind == StmtKind::try_) {
                const auto* t = static_cast<const TryStmt*>(s);
                collect_declarations(t->body, names);
                for (const auto& h : t->handlers) collect_declarations(h.body, names);
                collect_declarations(t->else_body, names);
                collect_declarations(t->finally_body, names);
            } else if (s->kind == StmtKind::with) {
                collect_declarations(static_cast<const With*>(s)->body, names);
            }
        }
    }

    /// try/except/else/finally: the handlers bind their names.
    bool try_stmt(const TryStmt* t) {
        bool sus = block(t->body);
        for (const auto& h : t->handlers) {
            sus = expr(h.type) || sus;
            if (!h.binding.empty()) bind(h.binding);
            sus = block(h.body) || sus;
        }
        sus = block(t->else_body) || sus;
        sus = block(t->finally_body) || sus;
        return sus;
    }

    /// A class: its body is not a scope its methods can see.
    void class_decl(const TypeDecl* t) {
        for (const Expr* b : t->bases) expr(b);
        for (const Expr* d : t->decorators) expr(d);
        bind(t->name);
        ScopeNames* saved = m_current;
        ScopeNames* saved_named = m_named_scope;
        m_current = nullptr;  // class attributes are not locals of anything
        m_named_scope = nullptr;
        block(t->members);
        m_current = saved;
        m_named_scope = saved_named;
    }

    /// `import a.b` binds `a`; `from m import x as y` binds `y`.
    void import(const Import* imp) {
        if (imp->names.empty()) {
            const std::string top = imp->module.substr(0, imp->module.find('.'));
            bind(imp->alias.empty() ? top : imp->alias);
        } else {
            for (std::size_t k = 0; k < imp->names.size(); ++k) {
                const bool aliased = k < imp->name_aliases.size() && !imp->name_aliases[k].empty();
                bind(aliased ? imp->name_aliases[k] : imp->names[k]);
            }
        }
    }

    /// A lambda: a function scope whose body is one expression.
    void closure(const Closure* c) {
        const Expr* body = nullptr;
        if (c->implicit_return && c->body.size() == 1 && c->body[0]->kind == StmtKind::expr)
            body = static_cast<const ExprStmt*>(c->body[0])->expr;
        else if (c->implicit_return && c->body.size() == 1 && c->body[0]->kind == StmtKind::return_)
            body = static_cast<const Return*>(c->body[0])->value;
        function(c, c->params, body ? nullptr : &c->body, body);
    }

    /// A comprehension: a scope of its own, but its first iterable is evaluated in the enclosing one.
    bool comprehension(const Comprehension* c) {
        bool sus = expr(c->iterable);  // evaluated in the enclosing scope
        ScopeNames& names = m_scopes[c];
        names.comprehension = true;
        ScopeNames* saved = m_current;
        m_current = &names;
        bind_target(c->target);
        for (const auto& f : c->more) bind_target(f.target);
        // An `await` or `async for` in the comprehension's own scope makes it an
        // asynchronous comprehension (the parser allows those only in an `async def`).
        bool inner = c->is_async;
        inner = expr(c->key) || inner;
        inner = expr(c->element) || inner;
        for (const Expr* x : c->conditions) inner = expr(x) || inner;
        for (const auto& f : c->more) {
            inner = expr(f.iterable) || f.is_async || inner;
            for (const Expr* x : f.conditions) inner = expr(x) || inner;
        }
        if (c->comp_kind != ComprehensionKind::generator) sus = sus || inner;
        m_current = saved;
        return sus;
    }

    bool stmt(const Stmt* s) {
        bool sus = false;
        switch (s->kind) {
        case StmtKind::expr: sus = expr(static_cast<const ExprStmt*>(s)->expr); break;
        case StmtKind::var_decl: {
            const auto* d = static_cast<const VarDecl*>(s);
            sus = expr(d->init);
            bind_target(d->target);
            break;
        }
        case StmtKind::assign: {
            const auto* a = static_cast<const Assign*>(s);
            sus = expr(a->value);
            sus = expr_in_target(a->target) || sus;
            bind_target(a->target);
            for (const Expr* t : a->more_targets) {
                sus = expr_in_target(t) || sus;
                bind_target(t);
            }
            break;
        }
        case StmtKind::if_: {
            const auto* i = static_cast<const If*>(s);
            for (const auto& c : i->conditions) sus = expr(c.expr) || sus;
            sus = block(i->then_body) || sus;
            sus = block(i->else_body) || sus;
            break;
        }
        case StmtKind::guard:
        case StmtKind::switch_:
        case StmtKind::fallthrough: break;  // Swift only: the Python interpreter refuses them
        case StmtKind::while_: {
            const auto* w = static_cast<const While*>(s);
            sus = expr(w->cond);
            sus = block(w->body) || sus;
            sus = block(w->else_body) || sus;
            break;
        }
        case StmtKind::for_in: {
            const auto* f = static_cast<const ForIn*>(s);
            sus = expr(f->iterable) || f->is_await;
            bind_target(f->target);
            sus = block(f->body) || sus;
            sus = block(f->else_body) || sus;
            break;
        }
        case StmtKind::return_: sus = expr(static_cast<const Return*>(s)->value); break;
        case StmtKind::throw_: {
            const auto* t = static_cast<const Throw*>(s);
            sus = expr(t->value);
            sus = expr(t->cause) || sus;
            break;
        }
        case StmtKind::try_: sus = try_stmt(static_cast<const TryStmt*>(s)); break;
        case StmtKind::func_decl: {
            const auto* f = static_cast<const FuncDecl*>(s);
            for (const Expr* d : f->decorators) expr(d);
            bind(f->name);
            function(f, f->params, &f->body, nullptr);
            break;
        }
        case StmtKind::type_decl: class_decl(static_cast<const TypeDecl*>(s)); break;
        case StmtKind::import: import(static_cast<const Import*>(s)); break;
        case StmtKind::with: {
            const auto* w = static_cast<const With*>(s);
            sus = w->is_async;
            for (const auto& item : w->items) {
                sus = expr(item.context) || sus;
                bind_target(item.target);
            }
            sus = block(w->body) || sus;
            break;
        }
        case StmtKind::block: sus = block(static_cast<const BlockStmt*>(s)->body); break;
        case StmtKind::defer:
        case StmtKind::break_:
        case StmtKind::continue_:
        case StmtKind::pass:
        case StmtKind::global: break;
        }
        if (s->may_suspend != sus) s->may_suspend = sus;  // replays resolve again: only read then
        return sus;
    }

    /// Subscript and attribute targets evaluate expressions too (`d[await k()] = v`).
    bool expr_in_target(const Expr* t) {
        if (!t) return false;
        switch (t->kind) {
        case ExprKind::member: return expr(static_cast<const Member*>(t)->base);
        case ExprKind::subscript: {
            const auto* s = static_cast<const Subscript*>(t);
            bool sus = expr(s->base);
            for (const auto& a : s->index) sus = expr(a.value) || sus;
            return sus;
        }
        case ExprKind::tuple: {
            bool sus = false;
            for (const Expr* x : static_cast<const TupleExpr*>(t)->elements) sus = expr_in_target(x) || sus;
            return sus;
        }
        case ExprKind::starred: return expr_in_target(static_cast<const Starred*>(t)->operand);
        default: return false;
        }
    }

    static bool is_asyncio_run(const Expr* callee) {
        if (callee->kind == ExprKind::member) {
            const std::string& n = static_cast<const Member*>(callee)->name;
            return n == "run" || n == "run_until_complete";
        }
        if (callee->kind == ExprKind::name) return static_cast<const Name*>(callee)->name == "run";
        return false;
    }

    bool expr(const Expr* e) {
        if (!e) return false;
        bool sus = false;
        switch (e->kind) {
        case ExprKind::int_literal:
        case ExprKind::double_literal:
        case ExprKind::bool_literal:
        case ExprKind::nil_literal:
        case ExprKind::name: break;
        case ExprKind::string_literal:
            for (const auto& p : static_cast<const StringLiteral*>(e)->parts) sus = expr(p.expr) || sus;
            break;
        case ExprKind::member: sus = expr(static_cast<const Member*>(e)->base); break;
        case ExprKind::call: {
            const auto* c = static_cast<const Call*>(e);
            sus = expr(c->callee) || is_asyncio_run(c->callee);
            for (const auto& a : c->args) sus = expr(a.value) || sus;
            break;
        }
        case ExprKind::subscript: {
            const auto* s = static_cast<const Subscript*>(e);
            sus = expr(s->base);
            for (const auto& a : s->index) sus = expr(a.value) || sus;
            break;
        }
        case ExprKind::unary: sus = expr(static_cast<const Unary*>(e)->operand); break;
        case ExprKind::binary: {
            const auto* b = static_cast<const Binary*>(e);
            sus = expr(b->lhs);
            sus = expr(b->rhs) || sus;
            break;
        }
        case ExprKind::compare_chain:
            for (const Expr* x : static_cast<const CompareChain*>(e)->operands) sus = expr(x) || sus;
            break;
        case ExprKind::named: {
            const auto* n = static_cast<const NamedExpr*>(e);
            sus = expr(n->value);
            const std::string& name = n->target->name;
            if (m_named_scope && !m_named_scope->globals.count(name) && !m_named_scope->nonlocals.count(name))
                m_named_scope->locals.insert(name);
            break;
        }
        case ExprKind::ternary: {
            const auto* t = static_cast<const Ternary*>(e);
            sus = expr(t->cond);
            sus = expr(t->then_expr) || sus;
            sus = expr(t->else_expr) || sus;
            break;
        }
        case ExprKind::closure: closure(static_cast<const Closure*>(e)); break;
        case ExprKind::try_: sus = expr(static_cast<const Try*>(e)->operand); break;
        case ExprKind::await_:
            expr(static_cast<const Await*>(e)->operand);
            sus = true;
            break;
        case ExprKind::yield_:  // a generator's body runs on the coroutine path; `yield` suspends it
            expr(static_cast<const Yield*>(e)->operand);
            sus = true;
            break;
        case ExprKind::array:
            for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) sus = expr(x) || sus;
            break;
        case ExprKind::dict:
            for (const auto& [k, v] : static_cast<const DictLiteral*>(e)->entries) {
                sus = expr(k) || sus;
                sus = expr(v) || sus;
            }
            break;
        case ExprKind::set:
            for (const Expr* x : static_cast<const SetLiteral*>(e)->elements) sus = expr(x) || sus;
            break;
        case ExprKind::starred: sus = expr(static_cast<const Starred*>(e)->operand); break;
        case ExprKind::tuple:
            for (const Expr* x : static_cast<const TupleExpr*>(e)->elements) sus = expr(x) || sus;
            break;
        case ExprKind::range: {
            const auto* r = static_cast<const RangeExpr*>(e);
            sus = expr(r->lower);
            sus = expr(r->upper) || sus;
            sus = expr(r->step) || sus;
            break;
        }
        case ExprKind::force_unwrap: sus = expr(static_cast<const ForceUnwrap*>(e)->operand); break;
        case ExprKind::optional_chain: sus = expr(static_cast<const OptionalChain*>(e)->operand); break;
        case ExprKind::comprehension: sus = comprehension(static_cast<const Comprehension*>(e)); break;
        case ExprKind::stmt_expr: break;  // Swift only
        }
        if (e->may_suspend != sus) e->may_suspend = sus;
        return sus;
    }
};

}  // namespace

void Machine::resolve() {
    Resolver r(m_scopes);
    r.module(m_program.body);
}

}  // namespace tasklab::py
