// Swift patterns and the control flow built on them: `switch` (with `fallthrough` and
// `break`), `if case` / `guard case` / `while case`, `for case … where …`, `catch` clauses
// with several patterns or enum payloads, `repeat … while`, labelled statements, `if` and
// `switch` used as values, and the enum cases patterns take apart (associated values, raw
// values, `allCases`; those are made in enum_cases.cpp).
//
// Matching is synchronous: a pattern's expressions (`case 1...5`, `where x > 3`) are plain
// values, so only the subject of a switch and the case bodies run on the coroutine path. An
// `await` inside a pattern or a `where` clause is refused with a runtime error.
//
// Swift checks at compile time that a switch covers every value; tasklab does not type-check,
// so a switch that matches nothing when it runs stops the run with a runtime error naming the
// value, never silently skipping the statement.
#include <algorithm>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

bool breaks_out_of(const Res& r, const Stmt* loop) {
    return r.ctl == Ctl::break_ && (!r.label || *r.label == loop->label);
}

bool continues(const Res& r, const Stmt* loop) {
    return r.ctl == Ctl::continue_ && (!r.label || *r.label == loop->label);
}

namespace {

constexpr std::size_t k_no_case = static_cast<std::size_t>(-1);

/// The case name of an enum value, symbol or URLError code (empty when it is none of those).
std::string case_name_of(const Value& u) {
    if (u.kind == Kind::enum_case && u.ref) {
        const auto& t = static_cast<const TypeObj&>(*u.ref);
        if (t.decl && u.i >= 0 && static_cast<std::size_t>(u.i) < t.decl->cases.size()) return t.decl->cases[static_cast<std::size_t>(u.i)];
        return {};
    }
    if (u.kind == Kind::symbol || u.kind == Kind::url_error) return str(u);
    return {};
}

/// The last name of a type expression (`Outcome` of `Module.Outcome`).
std::string last_type_name(const Expr* e) {
    if (!e) return {};
    if (e->kind == ExprKind::name) return static_cast<const Name*>(e)->name;
    if (e->kind == ExprKind::member) return static_cast<const Member*>(e)->name;
    return {};
}

/// A pattern or where clause holding an `await` (or another suspending call).
bool pattern_suspends(const Pattern* p) {
    if (!p) return false;
    if (p->expr && p->expr->may_suspend && p->kind == PatternKind::expr) return true;
    return std::any_of(p->elements.begin(), p->elements.end(), pattern_suspends);
}

}  // namespace

// =========================================================================================
// Matching
// =========================================================================================

namespace {

/// `.name`, `.name(p, …)`, `Type.name`: a case of a user enum, of Optional (`.some`, `.none`), a symbol or a URLError code.
Res match_enum_case(Machine& m, const Pattern* p, const Value& v, const EnvPtr& env, bool& matched) {
    // `.some(p)` / `.none` take an Optional apart (a user enum with such a case aside).
    const Value u = v.unwrapped();
    const bool user_enum = u.kind == Kind::enum_case;
    // On an Optional (or a value that is not an enum) `.some` / `.none` are Optional's cases.
    const bool optional_case = !p->type && (v.opt > 0 || v.is_nil() || !user_enum);
    if (optional_case && p->name == "some") {
        if (v.is_nil()) return Res::of();
        Value inner = v;
        if (inner.opt > 0) --inner.opt;
        if (!p->has_payload) {
            matched = true;
            return Res::of();
        }
        return m.match_pattern(p->elements.size() == 1 ? p->elements[0] : nullptr, inner, env, matched);
    }
    if (optional_case && p->name == "none") {
        matched = v.is_nil();
        return Res::of();
    }
    if (v.is_nil()) return Res::of();
    if (user_enum) {
        if (case_name_of(u) != p->name) return Res::of();
        const std::string tn = last_type_name(p->type);
        if (!tn.empty() && tn != static_cast<const TypeObj&>(*u.ref).name) return Res::of();
        if (!p->has_payload) {
            matched = true;
            return Res::of();
        }
        const Value* payload = enum_payload(u);
        const std::vector<Value> xs = payload ? items(*payload) : std::vector<Value>{};
        if (p->elements.size() == 1 && xs.size() != 1) {
            // `case .progress(let p)` binds all the associated values as one tuple.
            return m.match_pattern(p->elements[0], payload ? *payload : Value::tuple({}), env, matched);
        }
        if (xs.size() != p->elements.size())
            return m.fail(DiagnosticKind::type_mismatch, p->span,
                        "the pattern `." + p->name + "` has " + std::to_string(p->elements.size()) +
                            " associated values, the case holds " + std::to_string(xs.size()));
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = m.match_pattern(p->elements[k], xs[k], env, matched);
            if (!r.ok() || !matched) return r;
        }
        matched = true;
        return Res::of();
    }
    if (p->has_payload)
        return m.fail(DiagnosticKind::type_mismatch, p->span,
                    "the pattern `." + p->name + "(…)` takes an enum case apart, but the value is " + type_name(v));
    if (u.kind == Kind::symbol || u.kind == Kind::url_error) {
        matched = case_name_of(u) == p->name;
        return Res::of();
    }
    // A static member compared by value (`case Limits.max`).
    Res e = m.eval_sync(p->expr, env);
    if (!e.ok()) return e;
    matched = values_equal(e.value, v);
    return Res::of();
}

/// An expression pattern: Swift's `~=` (a range holds the value; anything else compares with `==`).
Res match_expr_pattern(Machine& m, const Pattern* p, const Value& v, const EnvPtr& env, bool& matched) {
    if (p->expr->may_suspend)
        return m.fail(DiagnosticKind::misuse, p->expr->span, "an `await` inside a pattern is not supported yet",
                    "compute the value before the `switch` and match against a constant");
    Res e = m.eval_sync(p->expr, env);
    if (!e.ok()) return e;
    const Value pv = e.value.unwrapped();
    // Swift's `~=`: a range matches the values it holds; anything else compares with `==`.
    if (pv.kind == Kind::range && !v.is_nil()) {
        const Value u = v.unwrapped();
        const auto& r = static_cast<const RangeObj&>(*pv.ref);
        if (u.kind == Kind::integer && !r.real) matched = r.contains(u.i);
        else if (u.is_number()) {
            const double x = u.as_double();
            const double lo = r.real ? r.dlo : static_cast<double>(r.lo);
            const double hi = r.real ? r.dhi : static_cast<double>(r.hi);
            matched = x >= lo && (r.closed ? x <= hi : x < hi);
        }
        return Res::of();
    }
    matched = values_equal(e.value, v);
    return Res::of();
}

}  // namespace

Res Machine::match_pattern(const Pattern* p, const Value& v, const EnvPtr& env, bool& matched) {
    matched = false;
    if (!p) {
        matched = true;
        return Res::of();
    }
    switch (p->kind) {
    case PatternKind::wildcard: matched = true; return Res::of();
    case PatternKind::binding: {
        Binding& b = env->declare(p->name, v);
        b.is_let = !p->is_var;
        matched = true;
        return Res::of();
    }
    case PatternKind::optional: {
        if (v.is_nil()) return Res::of();
        Value inner = v;
        if (inner.opt > 0) --inner.opt;
        return match_pattern(p->elements.empty() ? nullptr : p->elements[0], inner, env, matched);
    }
    case PatternKind::is_type: matched = type_matches(v, p->type); return Res::of();
    case PatternKind::cast: {
        if (!type_matches(v, p->type)) return Res::of();
        return match_pattern(p->elements.empty() ? nullptr : p->elements[0], v.unwrapped(), env, matched);
    }
    case PatternKind::tuple: {
        const Value u = v.unwrapped();
        if (u.is_nil() || u.kind != Kind::tuple) return Res::of();
        const std::vector<Value> xs = items(u);
        if (xs.size() != p->elements.size())
            return fail(DiagnosticKind::type_mismatch, p->span,
                        "a tuple pattern of " + std::to_string(p->elements.size()) + " elements cannot match a tuple of " +
                            std::to_string(xs.size()));
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = match_pattern(p->elements[k], xs[k], env, matched);
            if (!r.ok() || !matched) return r;
        }
        matched = true;
        return Res::of();
    }
    case PatternKind::enum_case: return match_enum_case(*this, p, v, env, matched);
    case PatternKind::expr: return match_expr_pattern(*this, p, v, env, matched);
    }
    return Res::of();
}

Res Machine::match_items(const std::vector<CaseItem>& items_, const Value& v, const EnvPtr& env, EnvPtr& bound, bool& matched) {
    matched = false;
    for (const CaseItem& item : items_) {
        if (pattern_suspends(item.pattern) || (item.where && item.where->may_suspend))
            return fail(DiagnosticKind::misuse, item.where && item.where->may_suspend ? item.where->span : item.pattern->span,
                        "an `await` inside a `case` pattern or its `where` clause is not supported yet",
                        "compute the value first, then match it");
        EnvPtr e = m_envs.make(env);
        bool ok = false;
        Res r = match_pattern(item.pattern, v, e, ok);
        if (!r.ok()) return r;
        if (!ok) continue;
        if (item.where) {
            Res w = eval_sync(item.where, e);
            if (!w.ok()) return w;
            if (w.value.kind != Kind::boolean || w.value.opt)
                return fail(DiagnosticKind::type_mismatch, item.where->span, "a `where` clause must be a Bool, not " + type_name(w.value));
            if (!w.value.b) continue;
        }
        bound = std::move(e);
        matched = true;
        return Res::of();
    }
    return Res::of();
}

// =========================================================================================
// switch
// =========================================================================================

Res Machine::select_case(const Switch* s, const Value& v, const EnvPtr& env, std::size_t& index, EnvPtr& case_env) {
    index = k_no_case;
    Value subject = v;
    if (subject.kind == Kind::async_let) {
        Res r = resolve_async_let_sync(subject, s->subject->span);
        if (!r.ok()) return r;
        subject = r.value;
    }
    for (std::size_t k = 0; k < s->cases.size(); ++k) {
        const SwitchCase& c = s->cases[k];
        if (c.is_default) {
            index = k;
            case_env = m_envs.make(env);
            return Res::of();
        }
        bool matched = false;
        Res r = match_items(c.items, subject, env, case_env, matched);
        if (!r.ok()) return r;
        if (matched) {
            index = k;
            at(c.span);
            return Res::of();
        }
    }
    return fail(DiagnosticKind::misuse, s->subject->span,
                "no case of this `switch` matches " + describe(subject, Style::debug),
                "Swift requires a switch to cover every value (swiftc refuses one that does not); add the missing "
                "cases or a `default:`");
}

namespace {
/// The end of a switch statement: a `break` meant for it ends it normally.
Res switch_end(const Switch* s, Res r) {
    if (r.ctl == Ctl::break_ && (!r.label || *r.label == s->label)) return Res::of();
    return r;
}
}  // namespace

Res Machine::exec_switch_sync(const Switch* s, const EnvPtr& env) {
    Res subject = eval_sync(s->subject, env);
    if (!subject.ok()) return subject;
    std::size_t k = k_no_case;
    EnvPtr case_env;
    Res sel = select_case(s, subject.value, env, k, case_env);
    if (!sel.ok()) return sel;
    for (;;) {
        Res r = run_block_sync(s->cases[k].body, case_env);
        if (r.ctl != Ctl::fallthrough) return switch_end(s, std::move(r));
        ++k;  // the parser made sure a case follows
        if (k >= s->cases.size()) return fail(DiagnosticKind::misuse, s->span, "`fallthrough` out of the last case");
        at(s->cases[k].span);
        case_env = m_envs.make(env);
    }
}

Flow<Res> Machine::exec_switch(const Switch* s, EnvPtr env) {
    Res subject = co_await eval(s->subject, env);
    if (!subject.ok()) co_return subject;
    std::size_t k = k_no_case;
    EnvPtr case_env;
    Res sel = select_case(s, subject.value, env, k, case_env);
    if (!sel.ok()) co_return sel;
    for (;;) {
        Res r = co_await run_block(s->cases[k].body, case_env);
        if (r.ctl != Ctl::fallthrough) co_return switch_end(s, std::move(r));
        ++k;
        if (k >= s->cases.size()) co_return fail(DiagnosticKind::misuse, s->span, "`fallthrough` out of the last case");
        at(s->cases[k].span);
        case_env = m_envs.make(env);
    }
}

Res end_labelled(const Stmt* s, Res r) {
    if (r.ctl == Ctl::break_ && r.label && !s->label.empty() && *r.label == s->label) return Res::of();
    return r;
}

Flow<Res> Machine::exec_labelled(const Stmt* s, EnvPtr env) {
    Res r;
    if (s->kind == StmtKind::if_) r = co_await exec_if(static_cast<const If*>(s), std::move(env));
    else r = co_await exec_try(static_cast<const TryStmt*>(s), std::move(env));
    co_return end_labelled(s, std::move(r));
}

// =========================================================================================
// repeat … while
// =========================================================================================

Res Machine::exec_repeat_sync(const While* w, const EnvPtr& env) {
    for (;;) {
        if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) return Res::make(Ctl::fatal);
        Res r = run_block_sync(w->body, env);
        if (breaks_out_of(r, w)) break;
        if (!continues(r, w) && !r.ok()) return r;
        at(w->cond->span);
        Res c = eval_sync(w->cond, env);
        if (!c.ok()) return c;
        if (c.value.kind != Kind::boolean || c.value.opt)
            return fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
        if (!c.value.b) break;
    }
    return Res::of();
}

Flow<Res> Machine::exec_repeat(const While* w, EnvPtr env) {
    for (;;) {
        if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
        Res r = co_await run_block(w->body, env);
        if (breaks_out_of(r, w)) break;
        if (!continues(r, w) && !r.ok()) co_return r;
        at(w->cond->span);
        Res c = co_await eval(w->cond, env);
        if (!c.ok()) co_return c;
        if (c.value.kind != Kind::boolean || c.value.opt)
            co_return fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
        if (!c.value.b) break;
    }
    co_return Res::of();
}

// =========================================================================================
// `if` and `switch` as values
// =========================================================================================

namespace {
/// The one statement of a value branch (the parser checked there is exactly one).
const Stmt* branch_of(const Block& b) { return b.empty() ? nullptr : b[0]; }
}  // namespace

Res Machine::eval_stmt_expr_sync(const Stmt* s, const EnvPtr& env) {
    if (!s) return fail(DiagnosticKind::misuse, Span{}, "an empty branch has no value");
    if (!count_statement(s)) return Res::make(Ctl::fatal);
    stmt_start(s);  // a branch is a statement of its own: its notes show when it runs
    switch (s->kind) {
    case StmtKind::expr: {
        Res r = close_chain(eval_sync(static_cast<const ExprStmt*>(s)->expr, env));
        notes::statement_ended(m_sched, s);
        return r;
    }
    case StmtKind::throw_: {
        BlockState st;
        return exec_sync(s, env, st);
    }
    case StmtKind::if_: {
        const auto* i = static_cast<const If*>(s);
        EnvPtr cenv = m_envs.make(env);
        bool pass = true;
        for (const auto& c : i->conditions) {
            Res v = c.expr ? eval_sync(c.expr, cenv) : Res::of();
            Res r = check_condition(c, std::move(v), cenv, pass);
            if (!r.ok()) return r;
            if (!pass) break;
        }
        return pass ? eval_stmt_expr_sync(branch_of(i->then_body), cenv) : eval_stmt_expr_sync(branch_of(i->else_body), env);
    }
    case StmtKind::switch_: {
        const auto* sw = static_cast<const Switch*>(s);
        Res subject = eval_sync(sw->subject, env);
        if (!subject.ok()) return subject;
        std::size_t k = k_no_case;
        EnvPtr case_env;
        Res sel = select_case(sw, subject.value, env, k, case_env);
        if (!sel.ok()) return sel;
        return eval_stmt_expr_sync(branch_of(sw->cases[k].body), case_env);
    }
    default: return fail(DiagnosticKind::misuse, s->span, "this branch has no value");
    }
}

Flow<Res> Machine::eval_stmt_expr(const Stmt* s, EnvPtr env) {
    if (!s || !s->may_suspend) co_return eval_stmt_expr_sync(s, env);
    if (!count_statement(s)) co_return Res::make(Ctl::fatal);
    stmt_start(s);
    switch (s->kind) {
    case StmtKind::expr: {
        Res r = co_await eval(static_cast<const ExprStmt*>(s)->expr, env);
        notes::statement_ended(m_sched, s);
        co_return close_chain(std::move(r));
    }
    case StmtKind::throw_: {
        BlockState st;
        Res r = co_await exec(s, env, st);
        co_return r;
    }
    case StmtKind::if_: {
        const auto* i = static_cast<const If*>(s);
        EnvPtr cenv = m_envs.make(env);
        bool pass = true;
        for (const auto& c : i->conditions) {
            Res v = Res::of();
            if (c.expr) v = co_await eval(c.expr, cenv);
            Res r = check_condition(c, std::move(v), cenv, pass);
            if (!r.ok()) co_return r;
            if (!pass) break;
        }
        Res r = pass ? co_await eval_stmt_expr(branch_of(i->then_body), cenv) : co_await eval_stmt_expr(branch_of(i->else_body), env);
        co_return r;
    }
    case StmtKind::switch_: {
        const auto* sw = static_cast<const Switch*>(s);
        Res subject = co_await eval(sw->subject, env);
        if (!subject.ok()) co_return subject;
        std::size_t k = k_no_case;
        EnvPtr case_env;
        Res sel = select_case(sw, subject.value, env, k, case_env);
        if (!sel.ok()) co_return sel;
        Res r = co_await eval_stmt_expr(branch_of(sw->cases[k].body), case_env);
        co_return r;
    }
    default: co_return fail(DiagnosticKind::misuse, s->span, "this branch has no value");
    }
}

// =========================================================================================
// for case / where, catch patterns
// =========================================================================================

Res Machine::bind_loop_element(const ForIn* f, const Value& v, const EnvPtr& env, bool& skip) {
    skip = false;
    if (f->pattern) {
        bool matched = false;
        Res r = match_pattern(f->pattern, v, env, matched);
        if (!r.ok()) return r;
        if (!matched) {
            skip = true;
            return Res::of();
        }
    } else {
        Res b = bind_loop_var(f, v, env);
        if (!b.ok()) return b;
    }
    if (f->where) {
        if (f->where->may_suspend)
            return fail(DiagnosticKind::misuse, f->where->span, "an `await` inside a `where` clause is not supported yet",
                        "test the condition with `guard … else { continue }` in the loop body");
        Res w = eval_sync(f->where, env);
        if (!w.ok()) return w;
        if (w.value.kind != Kind::boolean || w.value.opt)
            return fail(DiagnosticKind::type_mismatch, f->where->span, "a `where` clause must be a Bool, not " + type_name(w.value));
        skip = !w.value.b;
    }
    return Res::of();
}

bool Machine::match_handler_items(const Handler& h, const Value& error, const EnvPtr& env, EnvPtr& handler_env, Res& err) {
    bool matched = false;
    Res r = match_items(h.items, error, env, handler_env, matched);
    if (!r.ok()) {
        err = r;
        return false;
    }
    return matched;
}

}  // namespace tasklab::interp
