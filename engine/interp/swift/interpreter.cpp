// The interpreter core: task bodies, statements and expressions (see machine.hpp for the
// two evaluation paths). Calls live in calls.cpp, built-ins in builtins_*.cpp.
#include "engine/interp/swift/interpreter.hpp"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/machine.hpp"
#include "engine/interp/notes.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

bool declares_names(const Block& b) {
    for (const Stmt* s : b) {
        switch (s->kind) {
        case StmtKind::var_decl:
        case StmtKind::func_decl:
        case StmtKind::type_decl:
        case StmtKind::guard: return true;
        default: break;
        }
    }
    return false;
}

bool has_binding(const std::vector<Condition>& cs) {
    return std::any_of(cs.begin(), cs.end(), [](const Condition& c) { return c.is_binding || c.pattern; });
}

/// Cuts a UTF-8 string to about `n` bytes without splitting a code point.
std::string clip(std::string s, std::size_t n) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

bool is_cancellation_error(const Value& v) {
    return v.kind == Kind::cancellation_error || (v.kind == Kind::url_error && str(v) == "cancelled");
}

/// Swift interpreters built so far (Interpreter::constructed).
std::atomic<std::uint64_t> s_constructed{0};
}  // namespace

// =========================================================================================
// Interpreter (public face)
// =========================================================================================

Interpreter::Interpreter(std::shared_ptr<const ast::Program> program, Scheduler& sched, const RunOptions& options)
    : m_swift(sched), m_gcd(sched), m(std::make_unique<Machine>(std::move(program), sched, m_swift, m_gcd)) {
    m->m_statement_budget = options.max_statements_per_step;
    s_constructed.fetch_add(1, std::memory_order_relaxed);
}
Interpreter::~Interpreter() = default;
std::uint64_t Interpreter::constructed() { return s_constructed.load(std::memory_order_relaxed); }
TaskId Interpreter::start() { return m->start(); }
TaskId Interpreter::main_task() const { return m->m_main; }
const std::optional<Diagnostic>& Interpreter::runtime_error() const { return m->m_fatal; }
bool Interpreter::uncaught_error() const { return m->m_uncaught; }
std::optional<int> Interpreter::exit_status() const { return m->m_exit_status; }
const std::string& Interpreter::uncaught_text() const { return m->m_uncaught_text; }
Span Interpreter::uncaught_span() const { return m->m_uncaught_span; }
bool Interpreter::in_dispatch_main() const { return m->m_in_dispatch_main; }
Span Interpreter::last_span(TaskId task) const { return task < m->m_task_span.size() ? m->m_task_span[task] : Span{}; }
const std::vector<OutputLine>& Interpreter::output() const { return m->m_output.lines; }
void Interpreter::flush_output() {
    m->report_leaks();
    m->flush_output();
}
std::string Interpreter::warnings() const { return m->m_warnings; }

// =========================================================================================
// Machine: setup and helpers
// =========================================================================================

Machine::Machine(std::shared_ptr<const ast::Program> program, Scheduler& sched, swift::Model& swift, gcd::Model& gcd)
    : m_program_ptr(std::move(program)), m_program(*m_program_ptr), m_sched(sched), m_swift(swift), m_gcd(gcd) {
    m_globals = m_envs.make(nullptr);
    m_rng = m_program.seed;
    resolve(m_program, m_resolve);
}

Machine::~Machine() {
    m_deinits->open = false;  // objects freed from here on are not the program's business
    m_deinits->pending.clear();
    m_frames.clear();
    m_results.clear();
    m_statics.clear();
    m_globals.reset();
    m_envs.clear_all();
}

TaskId Machine::start() {
    if (m_resolve.malformed)
        fail(DiagnosticKind::misuse, m_resolve.malformed_span, "this construct is incomplete and cannot run",
             "the front end recovered from an error here; fix the code around this spot");
    m_main = m_swift.spawn_main(main_body(), "main");
    setup_actors();
    return m_main;
}

void Machine::at(Span s) {
    m_sched.set_span(s);
    const TaskId t = m_sched.current();
    if (t >= m_task_span.size()) m_task_span.resize(t + 1);
    m_task_span[t] = s;
}

Res Machine::fail(DiagnosticKind kind, Span span, std::string message, std::string help) {
    if (!m_fatal) {
        Diagnostic d;
        d.kind = kind;
        d.span = span;
        d.message = std::move(message);
        if (!help.empty()) d.help.push_back(std::move(help));
        m_fatal = std::move(d);
    }
    return Res::make(Ctl::fatal);
}

void Machine::emit_text(EventKind kind, std::string_view text) {
    m_sched.emit(kind, m_sched.current(), 0, m_sched.trace().add_string(std::string(text)));
}

Res Machine::throw_value(Value error, Span span) {
    at(span);
    emit_text(EventKind::threw, clip(describe(error), 120));
    return Res::thrown(std::move(error));
}

void Machine::print_text(const std::string& text) { m_output.print(m_sched, text); }

void Machine::flush_output() { m_output.flush(m_sched); }

std::uint64_t Machine::next_random() {
    // splitmix64: deterministic per `// tasklab: seed N`.
    std::uint64_t z = (m_rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

std::string Machine::line_of(Span s) const {
    if (!m_program.file) return "?";
    return std::to_string(m_program.file->locate(s.begin).line);
}

std::string Machine::lane_name(std::string_view construct, Span span, const std::string& hint) const {
    if (!hint.empty()) return hint;
    return std::string(construct) + " @" + line_of(span);
}

bool Machine::func_suspends(const FuncDecl* f) const {
    auto it = m_resolve.func_suspends.find(f);
    return it == m_resolve.func_suspends.end() || it->second;
}

bool Machine::closure_suspends(const Closure* c) const {
    auto it = m_resolve.closure_suspends.find(c);
    return it == m_resolve.closure_suspends.end() || it->second;
}

void Machine::store_result(TaskId t, Res r) {
    if (t >= m_results.size()) m_results.resize(t + 1);
    m_results[t] = std::move(r);
}

const Res& Machine::result_of(TaskId t) {
    if (t >= m_results.size()) m_results.resize(t + 1);
    return m_results[t];
}

// =========================================================================================
// Task bodies
// =========================================================================================

void Machine::finish_swift_task(Res r) {
    const TaskId me = m_sched.current();
    Outcome outcome = Outcome::returned;
    std::string text;
    if (r.ctl == Ctl::throw_) {
        // A task that ends by throwing CancellationError or URLError(.cancelled) after a
        // cancel counts as cancelled; any other error is a failure.
        outcome = is_cancellation_error(r.value) && m_swift.is_cancelled(me) ? Outcome::cancelled : Outcome::threw;
        text = describe(r.value);
    } else if (r.ctl == Ctl::fatal) {
        outcome = Outcome::threw;
        text = "runtime error";
    } else if (r.value.kind != Kind::void_) {
        text = describe(r.value);
    }
    if (r.ctl == Ctl::return_) r.ctl = Ctl::normal;
    release_frames(me);
    (void)run_deinits(m_task_span.size() > me ? m_task_span[me] : Span{});  // what the task alone kept alive
    store_result(me, std::move(r));
    m_swift.finish(outcome, clip(text, 120));
}

Co<void> Machine::main_body() {
    BlockState st;
    collect_declarations();
    hoist(m_program.body, m_globals);
    push_frame(m_sched.current(), FrameRecord{nullptr, nullptr, nullptr, m_globals.get(), m_globals, Span{}});
    Res r = Res::of();
    Span failing;
    for (const Stmt* s : m_program.body) {
        enter_env(m_globals);
        if (s->may_suspend) r = co_await exec(s, m_globals, st);
        else r = exec_sync(s, m_globals, st);
        notes::statement_ended(m_sched, s);
        if (r.ok()) r = run_deinits(s->span);
        if (!r.ok()) {
            failing = s->span;
            break;
        }
    }
    if (r.ok()) {
        r = co_await run_main_type();
        if (!r.ok()) failing = Span{};
    }
    Res end = co_await finish_block(st, std::move(r), m_globals);
    if (end.ctl == Ctl::throw_) {
        m_uncaught = true;
        m_uncaught_text = describe(end.value, Style::reflecting);
        m_uncaught_span = failing;
    }
    if (end.ctl == Ctl::break_ || end.ctl == Ctl::continue_) end = Res::of();
    pop_frame(m_sched.current());
    finish_swift_task(std::move(end));
}

Co<void> Machine::task_body(Value closure, Span span) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    Site site{span, {}};
    Res r = co_await call(std::move(closure), Args{}, site);
    finish_swift_task(std::move(r));
}

Co<void> Machine::async_let_body(const Expr* init, EnvPtr env) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    Res r = Res::of(Value::nil());
    if (init) r = co_await eval(init, env);
    finish_swift_task(std::move(r));
}

Co<void> Machine::item_body(Value closure, Span span) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    // The GCD model wraps each execution and records how it ended; a work item's closure
    // cannot throw, so only a runtime error (kept in m_fatal) can come out of it.
    Site site{span, {}};
    Res r = co_await call(std::move(closure), Args{}, site);
    (void)r;
    release_frames(m_sched.current());
}

// =========================================================================================
// Blocks
// =========================================================================================

void Machine::hoist(const Block& block, const EnvPtr& env) {
    for (const Stmt* s : block) {
        if (s->kind == StmtKind::func_decl) {
            const auto* f = static_cast<const FuncDecl*>(s);
            if (f->name.empty() || f->is_init) continue;
            auto fo = std::make_shared<FuncObj>();
            fo->decl = f;
            fo->env = env;
            env->declare(f->name, Value::with_ref(Kind::function, std::move(fo)));
        } else if (s->kind == StmtKind::type_decl) {
            const auto* t = static_cast<const TypeDecl*>(s);
            if (t->type_kind == TypeKind::extension_ || t->type_kind == TypeKind::alias_) continue;  // below
            auto to = std::make_shared<TypeObj>();
            to->name = t->name;
            to->decl = t;
            to->env = env;
            if ((t->type_kind == TypeKind::class_ || t->type_kind == TypeKind::actor_) && has_deinit(t)) to->deinits = m_deinits;
            env->declare(t->name, Value::with_ref(Kind::type, std::move(to)));
        }
    }
    // `typealias A = T` once every type of the block is known: A is T's type value, or a
    // built-in type of that name.
    for (const Stmt* s : block) {
        if (s->kind != StmtKind::type_decl || static_cast<const TypeDecl*>(s)->type_kind != TypeKind::alias_) continue;
        const auto* t = static_cast<const TypeDecl*>(s);
        const std::string target = t->aliased ? type_text(t->aliased) : std::string();
        if (Binding* b = env->lookup(target); b && b->value.kind == Kind::type) {
            env->declare(t->name, b->value);
            continue;
        }
        auto to = std::make_shared<TypeObj>();
        to->name = target;
        env->declare(t->name, Value::with_ref(Kind::type, std::move(to)));
        m_aliases[t->name] = target;
    }
}

EnvPtr Machine::env_for(const Block& block, const EnvPtr& parent) {
    return declares_names(block) ? m_envs.make(parent) : parent;
}

Res Machine::run_block_sync(const Block& block, const EnvPtr& parent) {
    EnvPtr env = env_for(block, parent);
    if (env != parent) hoist(block, env);
    BlockState st;
    Res r = run_stmts_sync(block, env, st);
    return finish_block_sync(st, std::move(r), env);
}

Flow<Res> Machine::run_block(const Block& block, EnvPtr parent) {
    EnvPtr env = env_for(block, parent);
    if (env != parent) hoist(block, env);
    BlockState st;
    Res r = co_await run_stmts(block, env, st);
    enter_env(env);
    Res end = co_await finish_block(st, std::move(r), env);
    co_return end;
}

Res Machine::run_stmts_sync(const Block& block, const EnvPtr& env, BlockState& st) {
    for (const Stmt* s : block) {
        if (s->may_suspend)
            return fail(DiagnosticKind::misuse, s->span,
                        "this statement can suspend, but it runs where suspending is not possible",
                        "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
        Res r = exec_sync(s, env, st);
        notes::statement_ended(m_sched, s);
        if (r.ok()) r = run_deinits(s->span);
        if (!r.ok()) return r;
    }
    return Res::of();
}

Flow<Res> Machine::run_stmts(const Block& block, EnvPtr env, BlockState& st) {
    for (const Stmt* s : block) {
        Res r;
        enter_env(env);  // the inspector's innermost scope of this frame
        if (s->may_suspend) r = co_await exec(s, env, st);
        else r = exec_sync(s, env, st);
        notes::statement_ended(m_sched, s);
        if (r.ok()) r = run_deinits(s->span);
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Res Machine::finish_block_sync(BlockState& st, Res r, const EnvPtr& env) {
    // Swift runs `defer` bodies last-declared first.
    for (auto it = st.defers.rbegin(); it != st.defers.rend(); ++it) {
        Res d = run_block_sync((*it)->body, env);
        if (d.ctl == Ctl::fatal) return d;
    }
    st.defers.clear();
    return r;
}

Flow<Res> Machine::finish_block(BlockState& st, Res r, EnvPtr env) {
    for (auto it = st.defers.rbegin(); it != st.defers.rend(); ++it) {
        Res d;
        if ((*it)->may_suspend) d = co_await run_block((*it)->body, env);
        else d = run_block_sync((*it)->body, env);
        if (d.ctl == Ctl::fatal) co_return d;
    }
    st.defers.clear();
    if (st.async_scope != 0) {
        // semantics: F24, F25 — unawaited `async let` bindings are cancelled and awaited, in
        // reverse declaration order, whether the scope returns or throws.
        const ScopeId scope = st.async_scope;
        st.async_scope = 0;
        co_await lift(m_swift.exit_async_let_scope(scope));
    }
    if (m_fatal) co_return Res::make(Ctl::fatal);
    co_return r;
}

// =========================================================================================
// Statements
// =========================================================================================

// A loop whose body is empty runs no statement, so each of its iterations is counted as one
// (a body with statements is counted by them); so are calls and the elements a built-in makes.
bool Machine::count_work(std::uint64_t units, Span span, const char* what) {
    if (m_sched.stop_requested()) {  // RunOptions::stop: the controller ends the run as stopped
        fail(DiagnosticKind::step_limit, span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    m_budget_used += units;
    if (m_budget_used <= m_statement_budget) return check_memory(span);
    fail(DiagnosticKind::step_limit, span,
         std::string(what) + ": a task ran " + std::to_string(m_statement_budget) +
             " statements, loop iterations and elements of built-in work without suspending",
         "is this an endless loop? tasklab stops a task that never gives the others a turn");
    return false;
}

bool Machine::check_memory(Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->over()) return true;
    fail(DiagnosticKind::memory_limit, span, meter->over_message(), memory_help(*meter));
    return false;
}

bool Machine::reserve_memory(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes, Span span) {
    const MemoryMeter* meter = MemoryMeter::current();
    if (!meter || !meter->would_pass(bytes)) return true;
    fail(DiagnosticKind::memory_limit, span, meter->refusal_message(kind, elements, bytes), memory_help(*meter));
    return false;
}

bool Machine::count_statement(const Stmt* s) {
    if (m_sched.stop_requested()) {
        fail(DiagnosticKind::step_limit, s->span, "stopped by the user");
        return false;
    }
    if (m_budget_step != m_sched.step_index()) {
        m_budget_step = m_sched.step_index();
        m_budget_used = 0;
    }
    if (++m_budget_used <= m_statement_budget) return check_memory(s->span);
    fail(DiagnosticKind::step_limit, s->span,
         "a task ran " + std::to_string(m_statement_budget) + " statements without suspending",
         "is this an endless loop? tasklab stops a task that never gives the others a turn");
    return false;
}

void Machine::stmt_start(const Stmt* s) {
    at(s->span);
    if (!m_leaks->functions.empty()) report_leaks();
    notes::statement_started(m_sched, m_program, s);
}

namespace {
/// The variable a declaration or assignment binds, when it is a plain name (lane names).
std::string hint_of(const Expr* target) {
    if (target && target->kind == ExprKind::name) return static_cast<const Name*>(target)->name;
    if (target && target->kind == ExprKind::member) return static_cast<const Member*>(target)->name;  // self.task = Task {…}
    return {};
}
}  // namespace

Res Machine::exec_sync(const Stmt* s, const EnvPtr& env, BlockState& st) {
    if (m_fatal) return Res::make(Ctl::fatal);
    if (!count_statement(s)) return Res::make(Ctl::fatal);
    stmt_start(s);
    switch (s->kind) {
    case StmtKind::expr: {
        const auto* e = static_cast<const ExprStmt*>(s);
        Res r = e->expr && e->expr->kind == ExprKind::call ? close_chain(eval_call_sync(static_cast<const Call*>(e->expr), env, {}))
                                                           : eval_sync(e->expr, env);
        if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) return r;
        return Res::of();
    }
    case StmtKind::var_decl: {
        const auto* d = static_cast<const VarDecl*>(s);
        if (d->binding == BindingKind::async_let)
            return fail(DiagnosticKind::misuse, s->span, "`async let` needs an async context");
        Res init = Res::of(Value::nil());
        if (d->init) {
            if (d->init->kind == ExprKind::call)
                init = close_chain(eval_call_sync(static_cast<const Call*>(d->init), env, hint_of(d->target)));
            else
                init = eval_sync(d->init, env);
        }
        return declare_sync(d, std::move(init), env);
    }
    case StmtKind::assign: {
        const auto* a = static_cast<const Assign*>(s);
        Res rhs = a->value && a->value->kind == ExprKind::call
                      ? close_chain(eval_call_sync(static_cast<const Call*>(a->value), env, hint_of(a->target)))
                      : eval_sync(a->value, env);
        return assign_stmt_sync(a, std::move(rhs), env);
    }
    case StmtKind::if_: {
        const auto* i = static_cast<const If*>(s);
        EnvPtr cenv = has_binding(i->conditions) ? m_envs.make(env) : env;
        bool pass = true;
        for (const auto& c : i->conditions) {
            Res v = c.expr ? eval_sync(c.expr, cenv) : Res::of();
            Res r = check_condition(c, std::move(v), cenv, pass);
            if (!r.ok()) return r;
            if (!pass) break;
        }
        if (pass) return end_labelled(s, run_block_sync(i->then_body, cenv));
        return end_labelled(s, run_block_sync(i->else_body, env));
    }
    case StmtKind::switch_: return exec_switch_sync(static_cast<const Switch*>(s), env);
    case StmtKind::guard: {
        const auto* g = static_cast<const Guard*>(s);
        bool pass = true;
        for (const auto& c : g->conditions) {
            Res v = c.expr ? eval_sync(c.expr, env) : Res::of();
            Res r = check_condition(c, std::move(v), env, pass);
            if (!r.ok()) return r;
            if (!pass) break;
        }
        if (pass) return Res::of();
        Res r = run_block_sync(g->else_body, env);
        if (r.ok()) return fail(DiagnosticKind::misuse, s->span, "the `else` of a `guard` must not fall through");
        return r;
    }
    case StmtKind::while_: {
        const auto* w = static_cast<const While*>(s);
        if (w->repeat) return exec_repeat_sync(w, env);
        if (!w->conditions.empty()) {  // `while let x = e`: bound afresh on every turn
            for (;;) {
                EnvPtr cenv = m_envs.make(env);
                bool pass = true;
                for (const auto& c : w->conditions) {
                    at(c.span);
                    Res v = c.expr ? eval_sync(c.expr, cenv) : Res::of();
                    Res r = check_condition(c, std::move(v), cenv, pass);
                    if (!r.ok()) return r;
                    if (!pass) break;
                }
                if (!pass) break;
                if (w->body.empty() && !count_work(1, s->span, "this loop did not end")) return Res::make(Ctl::fatal);
                Res r = run_block_sync(w->body, cenv);
                if (breaks_out_of(r, w)) break;
                if (continues(r, w)) continue;
                if (!r.ok()) return r;
            }
            return Res::of();
        }
        for (;;) {
            at(w->cond ? w->cond->span : s->span);
            Res c = eval_sync(w->cond, env);
            if (!c.ok()) return c;
            if (c.value.kind != Kind::boolean)
                return fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
            if (!c.value.b) break;
            if (w->body.empty() && !count_work(1, s->span, "this loop did not end")) return Res::make(Ctl::fatal);
            Res r = run_block_sync(w->body, env);
            if (breaks_out_of(r, w)) break;
            if (continues(r, w)) continue;
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    case StmtKind::for_in: return exec_for_sync(static_cast<const ForIn*>(s), env);
    case StmtKind::break_: {
        Res r = Res::make(Ctl::break_);
        if (!static_cast<const Break*>(s)->target.empty()) r.label = &static_cast<const Break*>(s)->target;
        return r;
    }
    case StmtKind::continue_: {
        Res r = Res::make(Ctl::continue_);
        if (!static_cast<const Continue*>(s)->target.empty()) r.label = &static_cast<const Continue*>(s)->target;
        return r;
    }
    case StmtKind::fallthrough: return Res::make(Ctl::fallthrough);
    case StmtKind::return_: {
        const auto* r = static_cast<const Return*>(s);
        if (!r->value) return Res::make(Ctl::return_, Value::void_value());
        Res v = eval_sync(r->value, env);
        if (!v.ok()) return v;
        return Res::make(Ctl::return_, std::move(v.value));
    }
    case StmtKind::throw_: {
        const auto* t = static_cast<const Throw*>(s);
        if (!t->value) return fail(DiagnosticKind::misuse, s->span, "a bare `raise` is Python; Swift's `throw` needs an error");
        Res v = eval_sync(t->value, env);
        if (!v.ok()) return v;
        return throw_value(std::move(v.value), s->span);
    }
    case StmtKind::try_: return end_labelled(s, exec_try_sync(static_cast<const TryStmt*>(s), env));
    case StmtKind::defer: st.defers.push_back(static_cast<const Defer*>(s)); return Res::of();
    case StmtKind::func_decl:
    case StmtKind::type_decl:
    case StmtKind::pass: return Res::of();
    case StmtKind::import: return exec_import(static_cast<const Import*>(s));
    case StmtKind::block: return run_block_sync(static_cast<const BlockStmt*>(s)->body, env);
    case StmtKind::with:
    case StmtKind::global:
        return fail(DiagnosticKind::misuse, s->span, "this Python statement cannot run in a Swift scenario");
    }
    return Res::of();
}

Flow<Res> Machine::ready(Res r) { co_return r; }

// The coroutine path for statements: a plain dispatcher hands each statement kind to a small
// coroutine of its own, so a task parked deep inside a statement holds only small frames.
Flow<Res> Machine::exec(const Stmt* s, EnvPtr env, BlockState& st) {
    if (!s->may_suspend) return ready(exec_sync(s, env, st));
    if (m_fatal || !count_statement(s)) return ready(Res::make(Ctl::fatal));
    stmt_start(s);
    switch (s->kind) {
    case StmtKind::expr: return exec_expr(static_cast<const ExprStmt*>(s), std::move(env));
    case StmtKind::var_decl: {
        const auto* d = static_cast<const VarDecl*>(s);
        if (d->binding == BindingKind::async_let) return ready(exec_async_let(d, env, st));
        return exec_var(d, std::move(env));
    }
    case StmtKind::assign: return exec_assign(static_cast<const Assign*>(s), std::move(env));
    case StmtKind::if_:
        if (!s->label.empty()) return exec_labelled(s, std::move(env));
        return exec_if(static_cast<const If*>(s), std::move(env));
    case StmtKind::guard: return exec_guard(static_cast<const Guard*>(s), std::move(env));
    case StmtKind::switch_: return exec_switch(static_cast<const Switch*>(s), std::move(env));
    case StmtKind::while_:
        if (static_cast<const While*>(s)->repeat) return exec_repeat(static_cast<const While*>(s), std::move(env));
        return exec_while(static_cast<const While*>(s), std::move(env));
    case StmtKind::for_in: return exec_for(static_cast<const ForIn*>(s), std::move(env));
    case StmtKind::return_: return exec_return(static_cast<const Return*>(s), std::move(env));
    case StmtKind::throw_: return exec_throw(static_cast<const Throw*>(s), std::move(env));
    case StmtKind::try_:
        if (!s->label.empty()) return exec_labelled(s, std::move(env));
        return exec_try(static_cast<const TryStmt*>(s), std::move(env));
    case StmtKind::defer: st.defers.push_back(static_cast<const Defer*>(s)); return ready(Res::of());
    case StmtKind::block: return run_block(static_cast<const BlockStmt*>(s)->body, std::move(env));
    default: return ready(exec_sync(s, env, st));
    }
}

Flow<Res> Machine::exec_expr(const ExprStmt* s, EnvPtr env) {
    Res r;
    if (s->expr->kind == ExprKind::call) {
        Res c = co_await eval_call(static_cast<const Call*>(s->expr), env, {});
        r = close_chain(std::move(c));
    } else {
        r = co_await eval(s->expr, env);
    }
    if (r.ctl == Ctl::throw_ || r.ctl == Ctl::fatal) co_return r;
    co_return Res::of();
}

Res Machine::exec_async_let(const VarDecl* d, const EnvPtr& env, BlockState& st) {
    // semantics: F23 — the child starts when the declaration is reached.
    if (st.async_scope == 0) st.async_scope = m_swift.enter_async_let_scope("async let @" + line_of(d->span));
    std::vector<std::string> names;
    if (d->target->kind == ExprKind::name) {
        names.push_back(static_cast<const Name*>(d->target)->name);
    } else if (d->target->kind == ExprKind::tuple) {
        for (const Expr* x : static_cast<const TupleExpr*>(d->target)->elements)
            names.push_back(x->kind == ExprKind::name ? static_cast<const Name*>(x)->name : "_");
    }
    std::string name;
    for (const auto& n : names) name += (name.empty() ? "" : ", ") + n;
    at(d->span);
    const TaskId child = m_swift.async_let(st.async_scope, async_let_body(d->init, env), name);
    const bool single = d->target->kind == ExprKind::name;
    for (std::size_t k = 0; k < names.size(); ++k) {
        if (names[k] == "_") continue;
        auto obj = std::make_shared<AsyncLetObj>();
        obj->task = child;
        obj->index = single ? -1 : static_cast<int>(k);
        env->declare(names[k], Value::with_ref(Kind::async_let, std::move(obj)));
    }
    return Res::of();
}

Flow<Res> Machine::exec_var(const VarDecl* d, EnvPtr env) {
    Res init = Res::of(Value::nil());
    if (d->init) {
        if (d->init->kind == ExprKind::call) {
            Res c = co_await eval_call(static_cast<const Call*>(d->init), env, hint_of(d->target));
            init = close_chain(std::move(c));
        } else {
            init = co_await eval(d->init, env);
        }
    }
    at(d->span);
    co_return declare_sync(d, std::move(init), env);
}

Flow<Res> Machine::exec_assign(const Assign* a, EnvPtr env) {
    Res rhs;
    if (a->value->kind == ExprKind::call) {
        Res c = co_await eval_call(static_cast<const Call*>(a->value), env, hint_of(a->target));
        rhs = close_chain(std::move(c));
    } else {
        rhs = co_await eval(a->value, env);
    }
    at(a->span);
    co_return assign_stmt_sync(a, std::move(rhs), env);
}

Flow<Res> Machine::exec_if(const If* i, EnvPtr env) {
    EnvPtr cenv = has_binding(i->conditions) ? m_envs.make(env) : env;
    bool pass = true;
    for (const auto& c : i->conditions) {
        Res v = Res::of();
        if (c.expr) v = co_await eval(c.expr, cenv);
        Res r = check_condition(c, std::move(v), cenv, pass);
        if (!r.ok()) co_return r;
        if (!pass) break;
    }
    Res r;
    if (pass) r = co_await run_block(i->then_body, cenv);
    else r = co_await run_block(i->else_body, env);
    co_return end_labelled(i, std::move(r));
}

Flow<Res> Machine::exec_guard(const Guard* g, EnvPtr env) {
    bool pass = true;
    for (const auto& c : g->conditions) {
        Res v = Res::of();
        if (c.expr) v = co_await eval(c.expr, env);
        Res r = check_condition(c, std::move(v), env, pass);
        if (!r.ok()) co_return r;
        if (!pass) break;
    }
    if (pass) co_return Res::of();
    Res r = co_await run_block(g->else_body, env);
    if (r.ok()) co_return fail(DiagnosticKind::misuse, g->span, "the `else` of a `guard` must not fall through");
    co_return r;
}

Flow<Res> Machine::exec_while(const While* w, EnvPtr env) {
    if (!w->conditions.empty()) {  // `while let x = try await group.next()`: bound afresh on every turn
        for (;;) {
            EnvPtr cenv = m_envs.make(env);
            bool pass = true;
            for (const auto& c : w->conditions) {
                at(c.span);
                Res v = Res::of();
                if (c.expr) v = co_await eval(c.expr, cenv);
                Res r = check_condition(c, std::move(v), cenv, pass);
                if (!r.ok()) co_return r;
                if (!pass) break;
            }
            if (!pass) break;
            if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
            Res r = co_await run_block(w->body, cenv);
            if (breaks_out_of(r, w)) break;
            if (continues(r, w)) continue;
            if (!r.ok()) co_return r;
        }
        co_return Res::of();
    }
    for (;;) {
        at(w->cond->span);
        Res c = co_await eval(w->cond, env);
        if (!c.ok()) co_return c;
        if (c.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, w->cond->span, "a `while` condition must be a Bool, not " + type_name(c.value));
        if (!c.value.b) break;
        if (w->body.empty() && !count_work(1, w->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
        Res r = co_await run_block(w->body, env);
        if (breaks_out_of(r, w)) break;
        if (continues(r, w)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::exec_return(const Return* r, EnvPtr env) {
    Res v = co_await eval(r->value, env);
    if (!v.ok()) co_return v;
    co_return Res::make(Ctl::return_, std::move(v.value));
}

Flow<Res> Machine::exec_throw(const Throw* t, EnvPtr env) {
    Res v = co_await eval(t->value, env);
    if (!v.ok()) co_return v;
    co_return throw_value(std::move(v.value), t->span);
}

Res Machine::declare_sync(const VarDecl* d, Res init, const EnvPtr& env) {
    if (!init.ok()) return init;
    Value v = std::move(init.value);
    if (v.kind == Kind::void_ && d->init == nullptr) v = Value::nil();
    v = coerce(std::move(v), m_aliases.empty() ? std::string_view(d->type_text) : std::string_view(alias_target(d->type_text)));
    return bind_pattern(d->target, v, env, d->binding == BindingKind::let, d->type_text.empty() ? nullptr : &d->type_text);
}

Res Machine::bind_pattern(const Expr* target, const Value& v, const EnvPtr& env, bool is_let, const std::string* type) {
    if (!target) return Res::of();
    if (target->kind == ExprKind::name) {
        const auto& n = static_cast<const Name*>(target)->name;
        if (n == "_") return Res::of();
        Binding& b = env->declare(n, v);
        b.is_let = is_let;
        b.type = type;
        return Res::of();
    }
    if (target->kind == ExprKind::tuple) {
        const auto* t = static_cast<const TupleExpr*>(target);
        const Value u = v.unwrapped();
        if (u.kind != Kind::tuple || items(u).size() != t->elements.size())
            return fail(DiagnosticKind::type_mismatch, target->span,
                        "cannot destructure a value of type " + type_name(v) + " into " + std::to_string(t->elements.size()) +
                            " names");
        const std::vector<Value> xs = items(u);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = bind_pattern(t->elements[k], xs[k], env, is_let, nullptr);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    return fail(DiagnosticKind::misuse, target->span, "this pattern cannot be bound");
}

Res Machine::assign_stmt_sync(const Assign* a, Res rhs, const EnvPtr& env) {
    if (!rhs.ok()) return rhs;
    if (a->op == AssignOp::set) return assign_to(a->target, std::move(rhs.value), env, a->span);
    if (a->op == AssignOp::add && (rhs.value.kind == Kind::array || rhs.value.kind == Kind::string) && rhs.value.opt == 0 &&
        !is_accessor_place(a->target, env)) {
        // `xs += [x]` and `s += "x"` append in place, as Swift does (no copy of the whole value).
        Res err;
        LRef lv = lvalue(a->target, env, err);
        if (!lv.slot) return err;
        Value& place = *lv.slot;
        if (place.kind == rhs.value.kind && place.opt == 0) {
            const bool array = place.kind == Kind::array;
            const std::uint64_t n = array ? items(place).size() + items(rhs.value).size() : str(place).size() + str(rhs.value).size();
            if (!reserve_memory(array ? MemoryKind::array : MemoryKind::string, n, array ? n * sizeof(Value) : n, a->span))
                return Res::make(Ctl::fatal);
            make_unique_ref(place);
            if (place.kind == Kind::array) {
                const std::vector<Value> more = items(rhs.value);
                auto& xs = static_cast<ArrayObj&>(*place.ref).items;
                xs.insert(xs.end(), more.begin(), more.end());
                static_cast<ArrayObj&>(*place.ref).recharge();
            } else {
                static_cast<StrObj&>(*place.ref).s += str(rhs.value);
                static_cast<StrObj&>(*place.ref).recharge();
            }
            if (!check_memory(a->span)) return Res::make(Ctl::fatal);
            return Res::of();
        }
    }
    Res cur = eval_sync(a->target, env);
    if (!cur.ok()) return cur;
    BinaryOp op = BinaryOp::add;
    switch (a->op) {
    case AssignOp::add: op = BinaryOp::add; break;
    case AssignOp::sub: op = BinaryOp::sub; break;
    case AssignOp::mul: op = BinaryOp::mul; break;
    case AssignOp::div: op = BinaryOp::div; break;
    case AssignOp::mod: op = BinaryOp::mod; break;
    case AssignOp::wrapping_add: op = BinaryOp::wrapping_add; break;
    case AssignOp::wrapping_sub: op = BinaryOp::wrapping_sub; break;
    case AssignOp::wrapping_mul: op = BinaryOp::wrapping_mul; break;
    case AssignOp::bit_and: op = BinaryOp::bit_and; break;
    case AssignOp::bit_or: op = BinaryOp::bit_or; break;
    case AssignOp::bit_xor: op = BinaryOp::bit_xor; break;
    case AssignOp::shift_left: op = BinaryOp::shift_left; break;
    case AssignOp::shift_right: op = BinaryOp::shift_right; break;
    case AssignOp::masking_shift_left: op = BinaryOp::masking_shift_left; break;
    case AssignOp::masking_shift_right: op = BinaryOp::masking_shift_right; break;
    case AssignOp::set: break;
    }
    Res nv = apply_arith(op, cur.value, rhs.value, a->span);
    if (!nv.ok()) return nv;
    return assign_to(a->target, std::move(nv.value), env, a->span);
}

namespace {
/// The declared type of a stored property ("" when it has none or is not found).
std::string_view field_type(const TypeObj* type, std::string_view name) {
    if (!type || !type->decl) return {};
    for (const Stmt* m : type->decl->members) {
        if (m->kind != StmtKind::var_decl) continue;
        const auto* d = static_cast<const VarDecl*>(m);
        if (d->target && d->target->kind == ExprKind::name && static_cast<const Name*>(d->target)->name == name)
            return d->type_text;
    }
    return {};
}
}  // namespace

namespace {
/// What a bare name refers to: a variable, or a member of the `self` of an enclosing method
/// (members come before names declared outside the type, as in Swift).
struct NameRef {
    Binding* binding = nullptr;
    Binding* self = nullptr;
};

bool type_has_method(const TypeObj* t, std::string_view name) {
    if (!t || !t->decl) return false;
    for (const Stmt* m : t->decl->members)
        if (m->kind == StmtKind::func_decl && static_cast<const FuncDecl*>(m)->name == name &&
            !static_cast<const FuncDecl*>(m)->is_init)
            return true;
    return false;
}

/// A member of `self`'s type other than a stored field: a computed property, a lazy one, a
/// member from an extension or a protocol extension; for a type (`self` in a static method),
/// its static members.
bool has_other_member(const Machine& m, const Value& self, std::string_view name) {
    std::shared_ptr<TypeObj> t;
    if (self.kind == Kind::instance) t = static_cast<const InstanceObj&>(*self.ref).type;
    else if (self.kind == Kind::type || self.kind == Kind::enum_case) t = std::static_pointer_cast<TypeObj>(self.ref);
    if (!t) return false;
    const Machine::MemberDecl found = m.find_member(t->name, t->decl, t->env, name);
    return found.decl && found.decl->kind != StmtKind::type_decl;
}

NameRef find_name(const Machine& m, Env* env, std::string_view name) {
    for (Env* e = env; e; e = e->parent.get()) {
        if (Binding* b = e->find_local(name)) return NameRef{b, nullptr};
        if (Binding* s = e->find_local("self")) {
            if (s->value.kind == Kind::instance) {
                auto& inst = static_cast<InstanceObj&>(*s->value.ref);
                if (inst.field(name) || type_has_method(inst.type.get(), name)) return NameRef{nullptr, s};
            }
            if (has_other_member(m, s->value, name)) return NameRef{nullptr, s};
        }
    }
    return {};
}
}  // namespace

LRef Machine::lvalue(const Expr* e, const EnvPtr& env, Res& err) {
    switch (e->kind) {
    case ExprKind::name: {
        const auto& n = static_cast<const Name*>(e)->name;
        const NameRef ref = find_name(*this, env.get(), n);
        if (ref.binding) return LRef{&ref.binding->value, ref.binding};
        if (Binding* self = ref.self; self && self->value.kind == Kind::instance) {
            make_unique_ref(self->value);
            auto& inst = static_cast<InstanceObj&>(*self->value.ref);
            if (Value* f = inst.field(n)) return LRef{f, nullptr};
        }
        if (Binding* self = ref.self; self && self->value.kind == Kind::type) {
            // A static stored property named without its type inside a static method.
            if (Value* slot = static_slot(self->value, n, e->span, err)) return LRef{slot, nullptr};
            if (!err.ok()) return {};
        }
        err = fail(DiagnosticKind::undefined_name, e->span, "cannot find `" + n + "` in scope");
        return {};
    }
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        if (!m->base) break;
        LRef base = lvalue(m->base, env, err);
        if (!base.slot) return {};
        Value& bv = *base.slot;
        if (bv.is_nil()) {
            err = fail(DiagnosticKind::nil_unwrap, m->base->span, "Unexpectedly found nil while unwrapping an Optional value");
            return {};
        }
        make_unique_ref(bv);
        if (bv.kind == Kind::instance) {
            auto& inst = static_cast<InstanceObj&>(*bv.ref);
            if (Value* f = inst.field(m->name)) return LRef{f, nullptr};
        }
        if (bv.kind == Kind::type) {
            if (Value* slot = static_slot(bv, m->name, m->name_span, err)) return LRef{slot, nullptr};
            if (!err.ok()) return {};
        }
        if (bv.kind == Kind::tuple) {
            auto& t = static_cast<TupleObj&>(*bv.ref);
            for (std::size_t k = 0; k < t.items.size(); ++k)
                if (std::to_string(k) == m->name || (k < t.labels.size() && t.labels[k] == m->name)) return LRef{&t.items[k], nullptr};
        }
        err = fail(DiagnosticKind::unknown_member, m->name_span, "`" + type_name(bv) + "." + m->name + "` cannot be assigned to");
        return {};
    }
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(e);
        LRef base = lvalue(s->base, env, err);
        if (!base.slot) return {};
        if (s->index.empty()) break;
        Res idx = eval_sync(s->index[0].value, env);
        if (!idx.ok()) {
            err = idx;
            return {};
        }
        Value& bv = *base.slot;
        make_unique_ref(bv);
        if (bv.kind == Kind::array) {
            auto& xs = static_cast<ArrayObj&>(*bv.ref).items;
            if (idx.value.kind != Kind::integer) break;
            if (idx.value.i < 0 || static_cast<std::size_t>(idx.value.i) >= xs.size()) {
                err = fail(DiagnosticKind::index_out_of_range, s->span, "Index out of range");
                return {};
            }
            return LRef{&xs[static_cast<std::size_t>(idx.value.i)], nullptr};
        }
        if (bv.kind == Kind::dict) {
            auto& entries = static_cast<DictObj&>(*bv.ref).entries;
            for (auto& [k, v] : entries)
                if (values_equal(k, idx.value)) return LRef{&v, nullptr};
            Value def;
            if (s->index.size() > 1 && s->index[1].label == "default") {
                Res dv = eval_sync(s->index[1].value, env);
                if (!dv.ok()) {
                    err = dv;
                    return {};
                }
                def = dv.value;
            }
            entries.emplace_back(idx.value, def);
            static_cast<DictObj&>(*bv.ref).recharge();
            return LRef{&entries.back().second, nullptr};
        }
        break;
    }
    case ExprKind::force_unwrap:
    case ExprKind::optional_chain: {
        const Expr* inner = e->kind == ExprKind::force_unwrap ? static_cast<const ForceUnwrap*>(e)->operand
                                                              : static_cast<const OptionalChain*>(e)->operand;
        LRef r = lvalue(inner, env, err);
        if (r.slot && r.slot->is_nil()) {
            err = fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
            return {};
        }
        return r;  // members and elements of the payload are reached through the same object
    }
    default: break;
    }
    err = fail(DiagnosticKind::type_mismatch, e->span, "cannot assign to this expression");
    return {};
}

Res Machine::assign_to(const Expr* target, Value v, const EnvPtr& env, Span span) {
    if (target->kind == ExprKind::name && static_cast<const Name*>(target)->name == "_") return Res::of();
    if (target->kind == ExprKind::tuple) {
        const auto* t = static_cast<const TupleExpr*>(target);
        const Value u = v.unwrapped();
        if (u.kind != Kind::tuple || items(u).size() != t->elements.size())
            return fail(DiagnosticKind::type_mismatch, span, "cannot assign a value of type " + type_name(v) + " to a tuple");
        const std::vector<Value> xs = items(u);
        for (std::size_t k = 0; k < xs.size(); ++k) {
            Res r = assign_to(t->elements[k], xs[k], env, span);
            if (!r.ok()) return r;
        }
        return Res::of();
    }
    if (Res out; assign_property(target, v, env, span, out)) return out;  // setters and observers
    if (target->kind == ExprKind::subscript && v.is_nil()) {
        // `dict[key] = nil` removes the entry.
        const auto* s = static_cast<const Subscript*>(target);
        Res err;
        LRef base = lvalue(s->base, env, err);
        if (!base.slot) return err;
        if (base.slot->kind == Kind::dict && !s->index.empty()) {
            Res key = eval_sync(s->index[0].value, env);
            if (!key.ok()) return key;
            make_unique_ref(*base.slot);
            auto& entries = static_cast<DictObj&>(*base.slot->ref).entries;
            entries.erase(std::remove_if(entries.begin(), entries.end(),
                                         [&](const auto& kv) { return values_equal(kv.first, key.value); }),
                          entries.end());
            return Res::of();
        }
    }
    // What is assigned converts to the declared type of the variable or stored property.
    std::string_view declared;
    if (target->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(target);
        if (m->base) {
            Res b = eval_sync(m->base, env);
            if (b.ok() && b.value.kind == Kind::stream_continuation && m->name == "onTermination") {
                static_cast<StreamObj&>(*b.value.ref).on_termination = v;  // continuation.onTermination = { … }
                return Res::of();
            }
            if (b.ok() && b.value.kind == Kind::instance)
                declared = field_type(static_cast<const InstanceObj&>(*b.value.ref).type.get(), m->name);
        }
    } else if (target->kind == ExprKind::name) {
        const auto& n = static_cast<const Name*>(target)->name;
        if (Binding* self = find_name(*this, env.get(), n).self; self && self->value.kind == Kind::instance)
            declared = field_type(static_cast<const InstanceObj&>(*self->value.ref).type.get(), n);
    }
    Res err;
    LRef lv = lvalue(target, env, err);
    if (!lv.slot) return err;
    if (lv.binding && lv.binding->type) declared = *lv.binding->type;
    if (!declared.empty()) v = coerce(std::move(v), declared);
    *lv.slot = std::move(v);
    return Res::of();
}

Res Machine::check_condition(const Condition& c, Res value, const EnvPtr& bind_env, bool& pass) {
    if (c.pattern) {  // `if case pattern = value`
        if (!value.ok()) return value;
        Value v = std::move(value.value);
        if (v.kind == Kind::async_let) {
            Res r = resolve_async_let_sync(v, c.span);
            if (!r.ok()) return r;
            v = r.value;
        }
        return match_pattern(c.pattern, v, bind_env, pass);
    }
    if (c.is_binding) {
        if (!c.expr) {  // `if let x` shorthand
            Binding* b = bind_env->lookup(c.name);
            if (!b) return fail(DiagnosticKind::undefined_name, c.span, "cannot find `" + c.name + "` in scope");
            value = Res::of(b->value);
        }
        if (!value.ok()) return value;
        Value v = std::move(value.value);
        if (v.kind == Kind::async_let) {
            Res r = resolve_async_let_sync(v, c.span);
            if (!r.ok()) return r;
            v = r.value;
        }
        if (v.is_nil()) {
            pass = false;
            return Res::of();
        }
        if (v.opt > 0) --v.opt;
        bind_env->declare(c.name, std::move(v));
        pass = true;
        return Res::of();
    }
    if (!value.ok()) return value;
    if (value.value.kind != Kind::boolean)
        return fail(DiagnosticKind::type_mismatch, c.expr ? c.expr->span : c.span,
                    "a condition must be a Bool, not " + type_name(value.value));
    pass = value.value.b;
    return Res::of();
}

namespace {
/// A sequence to iterate: an integer range without materialising it, or a list of values.
struct Seq {
    bool is_range = false;
    std::int64_t lo = 0;
    std::uint64_t n = 0;  ///< how many Ints the range holds (no `hi + 1`: a range may end at Int.max)
    std::vector<Value> values;
    [[nodiscard]] std::size_t size() const { return is_range ? static_cast<std::size_t>(n) : values.size(); }
    [[nodiscard]] Value at(std::size_t k) const {
        return is_range ? Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(lo) + k)) : values[k];
    }
};
}  // namespace

Res Machine::for_sequence(const Value& iterable, std::vector<Value>& out, Span span) {
    const Value v = iterable.unwrapped();
    switch (v.kind) {
    case Kind::array: out = items(v); return Res::of();
    case Kind::range: {
        const auto& r = static_cast<const RangeObj&>(*v.ref);
        if (r.real) return fail(DiagnosticKind::type_mismatch, span, "a range of Double is not a sequence and cannot be iterated");
        // Every element made counts against the step's budget, before anything is allocated.
        if (!count_work(static_cast<std::uint64_t>(r.count()), span, "this range is too long to walk in one step") ||
            !reserve_memory(MemoryKind::array, r.size(), (out.size() + r.size()) * sizeof(Value), span))
            return Res::make(Ctl::fatal);
        out.reserve(out.size() + r.size());
        for (std::uint64_t k = 0; k < r.size(); ++k) out.push_back(Value::integer(static_cast<std::int64_t>(static_cast<std::uint64_t>(r.lo) + k)));
        return Res::of();
    }
    case Kind::dict:
        for (const auto& [k, x] : static_cast<const DictObj&>(*v.ref).entries) out.push_back(Value::tuple({k, x}, {"key", "value"}));
        return Res::of();
    case Kind::string: {
        // Characters: a code point plus the combining marks, variation selectors and joined
        // code points that follow it (a close approximation of grapheme clusters).
        const std::string& s = str(v);
        std::string cur;
        bool join_next = false;
        for (std::size_t k = 0; k < s.size();) {
            const auto c0 = static_cast<unsigned char>(s[k]);
            std::size_t len = c0 < 0x80 ? 1 : c0 < 0xE0 ? 2 : c0 < 0xF0 ? 3 : 4;
            if (k + len > s.size()) len = s.size() - k;
            std::uint32_t cp = c0;
            if (len == 2) cp = c0 & 0x1F;
            if (len == 3) cp = c0 & 0x0F;
            if (len == 4) cp = c0 & 0x07;
            for (std::size_t j = 1; j < len; ++j) cp = (cp << 6) | (static_cast<unsigned char>(s[k + j]) & 0x3F);
            const bool extends = (cp >= 0x300 && cp <= 0x36F) || cp == 0xFE0F || cp == 0xFE0E || cp == 0x200D ||
                                 (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0x20E3 || (cp >= 0xE0020 && cp <= 0xE007F);
            if (!cur.empty() && !extends && !join_next) {
                out.push_back(Value::string(cur));
                cur.clear();
            }
            join_next = cp == 0x200D;
            cur += s.substr(k, len);
            k += len;
        }
        if (!cur.empty()) out.push_back(Value::string(cur));
        return Res::of();
    }
    default: return fail(DiagnosticKind::type_mismatch, span, "a value of type " + type_name(iterable) + " cannot be iterated");
    }
}

Res Machine::bind_loop_var(const ForIn* f, const Value& v, const EnvPtr& env) {
    return bind_pattern(f->target, v, env, true, nullptr);
}

Res Machine::exec_for_sync(const ForIn* f, const EnvPtr& env) {
    Res it = eval_sync(f->iterable, env);
    if (!it.ok()) return it;
    Seq seq;
    const Value iv = it.value.unwrapped();
    if (iv.kind == Kind::range && !static_cast<const RangeObj&>(*iv.ref).real) {
        const auto& r = static_cast<const RangeObj&>(*iv.ref);
        seq.is_range = true;
        seq.lo = r.lo;
        seq.n = r.size();
    } else {
        Res s = for_sequence(it.value, seq.values, f->iterable->span);
        if (!s.ok()) return s;
    }
    const bool discard = f->target->kind == ExprKind::name && static_cast<const Name*>(f->target)->name == "_" && !f->pattern && !f->where;
    const std::size_t n = seq.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (f->body.empty() && !count_work(1, f->span, "this loop did not end")) return Res::make(Ctl::fatal);
        EnvPtr le = discard ? env : m_envs.make(env);
        if (!discard) {
            bool skip = false;
            Res b = bind_loop_element(f, seq.at(k), le, skip);
            if (!b.ok()) return b;
            if (skip) {
                if (!count_work(1, f->span, "this loop did not end")) return Res::make(Ctl::fatal);
                continue;
            }
        }
        Res r = run_block_sync(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) return r;
    }
    return Res::of();
}

Flow<Res> Machine::exec_for(const ForIn* f, EnvPtr env) {
    Res it = co_await eval(f->iterable, env);
    if (!it.ok()) co_return it;
    if (f->is_await) {
        if (it.value.kind == Kind::stream) co_return co_await exec_for_stream(f, env, it.value);
        if (it.value.kind != Kind::group)
            co_return fail(DiagnosticKind::type_mismatch, f->iterable->span,
                           "`for await` runs over a task group here, not a value of type " + type_name(it.value));
        Res r = co_await exec_for_group(f, env, it.value);
        co_return r;
    }
    Seq seq;
    const Value iv = it.value.unwrapped();
    if (iv.kind == Kind::range && !static_cast<const RangeObj&>(*iv.ref).real) {
        const auto& r = static_cast<const RangeObj&>(*iv.ref);
        seq.is_range = true;
        seq.lo = r.lo;
        seq.n = r.size();
    } else {
        Res s = for_sequence(it.value, seq.values, f->iterable->span);
        if (!s.ok()) co_return s;
    }
    const bool discard = f->target->kind == ExprKind::name && static_cast<const Name*>(f->target)->name == "_" && !f->pattern && !f->where;
    const std::size_t n = seq.size();
    for (std::size_t k = 0; k < n; ++k) {
        if (f->body.empty() && !count_work(1, f->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
        EnvPtr le = discard ? env : m_envs.make(env);
        if (!discard) {
            bool skip = false;
            Res b = bind_loop_element(f, seq.at(k), le, skip);
            if (!b.ok()) co_return b;
            if (skip) {
                if (!count_work(1, f->span, "this loop did not end")) co_return Res::make(Ctl::fatal);
                continue;
            }
        }
        Res r = co_await run_block(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

Flow<Res> Machine::exec_for_group(const ForIn* f, EnvPtr env, Value group) {
    auto g = std::static_pointer_cast<GroupObj>(group.ref);
    for (;;) {
        at(f->iterable->span);
        // semantics: F18 — one turn of `for try await` is one next(): completion order.
        const TaskId child = co_await lift(m_swift.next(g->id));
        at(f->iterable->span);
        if (m_fatal) co_return Res::make(Ctl::fatal);
        if (child == 0) break;
        Res item = group_next(g, child, false);
        if (item.ctl == Ctl::throw_) {
            emit_text(EventKind::threw, clip(describe(item.value), 120));
            co_return item;
        }
        if (!item.ok()) co_return item;
        EnvPtr le = m_envs.make(env);
        bool skip = false;
        Res b = bind_loop_element(f, item.value, le, skip);
        if (!b.ok()) co_return b;
        if (skip) continue;
        Res r = co_await run_block(f->body, le);
        if (breaks_out_of(r, f)) break;
        if (continues(r, f)) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

bool Machine::match_handler(const Handler& h, const Value& error, const EnvPtr& env, EnvPtr& handler_env, Res& err) {
    if (!h.items.empty()) return match_handler_items(h, error, env, handler_env, err);
    if (h.type && !type_matches(error, h.type)) return false;
    handler_env = m_envs.make(env);
    std::string bind = h.binding;
    if (bind.empty() && !h.type) bind = "error";  // a bare `catch` binds `error`
    if (!bind.empty()) handler_env->declare(bind, error);
    if (h.where) {
        Res w = eval_sync(h.where, handler_env);
        if (!w.ok()) {
            err = w;
            return false;
        }
        if (w.value.kind != Kind::boolean || !w.value.b) return false;
    }
    return true;
}

Res Machine::exec_try_sync(const TryStmt* t, const EnvPtr& env) {
    Res r = run_block_sync(t->body, env);
    if (r.ctl != Ctl::throw_) return r;
    for (const auto& h : t->handlers) {
        EnvPtr henv;
        Res err;
        if (match_handler(h, r.value, env, henv, err)) {
            at(h.span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            return run_block_sync(h.body, henv);
        }
        if (err.ctl == Ctl::fatal) return err;
    }
    return r;
}

Flow<Res> Machine::exec_try(const TryStmt* t, EnvPtr env) {
    Res r = co_await run_block(t->body, env);
    if (r.ctl != Ctl::throw_) co_return r;
    for (const auto& h : t->handlers) {
        EnvPtr henv;
        Res err;
        if (match_handler(h, r.value, env, henv, err)) {
            at(h.span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            Res hr = co_await run_block(h.body, henv);
            co_return hr;
        }
        if (err.ctl == Ctl::fatal) co_return err;
    }
    co_return r;
}

Res Machine::exec_import(const Import* imp) {
    static const char* const ok_modules[] = {"Foundation", "Dispatch", "_Concurrency", "Darwin", "Glibc",
                                             "FoundationNetworking", "Swift", "os", "Synchronization"};
    for (const char* m : ok_modules)
        if (imp->module == m) return Res::of();
    if (imp->module == "UIKit" || imp->module == "SwiftUI" || imp->module == "AppKit")
        return fail(DiagnosticKind::undefined_name, imp->span, imp->module + " is not available in tasklab",
                    "remove the import and declare a stand-in such as `struct UIImage { init?(data: Data) { … } }`");
    return fail(DiagnosticKind::undefined_name, imp->span, "module `" + imp->module + "` is not available in tasklab",
                "tasklab provides Foundation and Dispatch; see docs/language.md");
}

// =========================================================================================
// Expressions
// =========================================================================================

Res Machine::close_chain(Res r) {
    if (r.ctl == Ctl::chain_nil) return Res::of(Value::nil());
    if (r.chained) {
        r.chained = false;
        if (r.ok() && !r.value.is_nil() && r.value.opt == 0 && r.value.kind != Kind::void_) r.value = r.value.wrapped();
    }
    return r;
}

Res Machine::eval_sync(const Expr* e, const EnvPtr& env) {
    if (!e) return Res::of();
    return close_chain(eval_raw_sync(e, env));
}

Flow<Res> Machine::eval(const Expr* e, EnvPtr env) {
    if (!e) return ready(Res::of());
    if (!e->may_suspend) return ready(eval_sync(e, env));
    switch (e->kind) {
    case ExprKind::member:
    case ExprKind::call:
    case ExprKind::subscript:
    case ExprKind::optional_chain: return eval_closing(e, std::move(env));  // may end an optional chain
    default: return eval_suspending(e, std::move(env));
    }
}

Flow<Res> Machine::eval_closing(const Expr* e, EnvPtr env) {
    Res r = co_await eval_suspending(e, std::move(env));
    co_return close_chain(std::move(r));
}

Flow<Res> Machine::eval_raw(const Expr* e, EnvPtr env) {
    if (!e->may_suspend) return ready(eval_raw_sync(e, env));
    return eval_suspending(e, std::move(env));
}

Res Machine::lookup_name(const Name* n, const EnvPtr& env) {
    const NameRef ref = find_name(*this, env.get(), n->name);
    if (ref.binding) return Res::of(ref.binding->value);
    if (Binding* self = ref.self; self && self->value.kind == Kind::instance) {
        auto& inst = static_cast<InstanceObj&>(*self->value.ref);
        if (Value* f = inst.field(n->name)) return Res::of(*f);
        bool found = false;
        Res m = method_of(self->value, inst.type->decl, inst.type, n->name, n->span, found);
        if (found) return m;
    }
    if (Binding* self = ref.self) return get_member(self->value, n->name, n->span);  // computed, static, extension
    if (!is_builtin_name(n->name) && !m_extensions.empty()) {
        // Inside an extension of a built-in type: `count`, `uppercased()` are members of `self`.
        if (Binding* self = env->lookup("self");
            self && self->value.kind != Kind::instance && self->value.kind != Kind::type &&
            self->value.kind != Kind::enum_case && !self->value.is_nil() && !m_globals->find_local(n->name))
            return get_member(self->value, n->name, n->span);
    }
    if (n->name == "Self") {
        // The type of `self`: the type itself in a static method.
        if (Binding* self = env->lookup("self")) {
            const Value& s = self->value;
            if (s.kind == Kind::type) return Res::of(s);
            if (s.kind == Kind::instance) return Res::of(Value::with_ref(Kind::type, static_cast<const InstanceObj&>(*s.ref).type));
            if (s.kind == Kind::enum_case) return Res::of(Value::with_ref(Kind::type, s.ref));
        }
    }
    return global_name(n->name, n->span);
}

Res Machine::resolve_async_let_sync(const Value& v, Span span) {
    const auto& a = static_cast<const AsyncLetObj&>(*v.ref);
    if (!m_swift.is_finished(a.task))
        return fail(DiagnosticKind::misuse, span, "an `async let` is read here without `await`");
    const Res& r = result_of(a.task);
    if (r.ctl == Ctl::throw_) return Res::thrown(r.value);
    if (a.index >= 0) {
        const auto& xs = items(r.value.unwrapped());
        if (static_cast<std::size_t>(a.index) < xs.size()) return Res::of(xs[static_cast<std::size_t>(a.index)]);
    }
    return Res::of(r.value);
}

Flow<Res> Machine::resolve_async_let(Value v, Span span) {
    const auto& a = static_cast<const AsyncLetObj&>(*v.ref);
    at(span);
    co_await lift(m_swift.await_async_let(a.task));
    at(span);
    Res r = resolve_async_let_sync(v, span);
    if (r.ctl == Ctl::throw_) emit_text(EventKind::threw, clip(describe(r.value), 120));
    co_return r;
}

Res Machine::eval_raw_sync(const Expr* e, const EnvPtr& env) {
    if (m_fatal) return Res::make(Ctl::fatal);
    switch (e->kind) {
    case ExprKind::int_literal: {
        const auto* lit = static_cast<const IntLiteral*>(e);
        return Res::of(lit->above_int_max ? Value::integer(IntType::uint64, lit->value) : Value::integer(lit->value));
    }
    case ExprKind::double_literal: return Res::of(Value::real(static_cast<const DoubleLiteral*>(e)->value));
    case ExprKind::bool_literal: return Res::of(Value::boolean(static_cast<const BoolLiteral*>(e)->value));
    case ExprKind::nil_literal: return Res::of(Value::nil());
    case ExprKind::string_literal: {
        const auto* s = static_cast<const StringLiteral*>(e);
        if (s->is_plain()) return Res::of(Value::string(s->parts.empty() ? std::string() : s->parts[0].text));
        std::vector<Value> parts;
        for (const auto& p : s->parts) {
            if (!p.expr) continue;
            Res v = eval_sync(p.expr, env);
            if (!v.ok()) return v;
            parts.push_back(std::move(v.value));
        }
        return interpolate(s, parts);
    }
    case ExprKind::name: {
        Res r = lookup_name(static_cast<const Name*>(e), env);
        if (r.ok() && r.value.kind == Kind::async_let) return resolve_async_let_sync(r.value, e->span);
        return r;
    }
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        if (!m->base) return implicit_member(m->name, m->name_span);
        const Expr* type_base = m->base;
        while (type_base->kind == ExprKind::optional_chain || type_base->kind == ExprKind::force_unwrap)
            type_base = type_base->kind == ExprKind::optional_chain ? static_cast<const OptionalChain*>(type_base)->operand
                                                                    : static_cast<const ForceUnwrap*>(type_base)->operand;
        if (m->name == "self" && type_base->kind == ExprKind::name) {
            // `UIImage.self`, `Int?.self`: a type used as a value; an unknown name is fine here.
            const auto& n = static_cast<const Name*>(type_base)->name;
            if (Binding* b = env->lookup(n); b && b->value.kind == Kind::type) return Res::of(b->value);
            auto t = std::make_shared<TypeObj>();
            t->name = n;
            return Res::of(Value::with_ref(Kind::type, std::move(t)));
        }
        Res b = eval_raw_sync(m->base, env);
        if (!b.ok()) return b;
        Res r = get_member(b.value, m->name, m->name_span);
        r.chained = r.chained || b.chained;
        return r;
    }
    case ExprKind::call: return eval_call_sync(static_cast<const Call*>(e), env, {});
    case ExprKind::subscript: {
        const auto* s = static_cast<const Subscript*>(e);
        Res b = eval_raw_sync(s->base, env);
        if (!b.ok()) return b;
        std::vector<Value> idx;
        for (const auto& a : s->index) {
            Res v = eval_sync(a.value, env);
            if (!v.ok()) return v;
            idx.push_back(std::move(v.value));
        }
        Res r = subscript_get(b.value, idx, s);
        r.chained = r.chained || b.chained;
        return r;
    }
    case ExprKind::unary: {
        const auto* u = static_cast<const Unary*>(e);
        Res v = eval_sync(u->operand, env);
        if (!v.ok()) return v;
        return apply_unary(u, v.value);
    }
    case ExprKind::binary: {
        const auto* b = static_cast<const Binary*>(e);
        Res l = eval_sync(b->lhs, env);
        if (!l.ok()) return l;
        switch (b->op) {
        case BinaryOp::logical_and:
        case BinaryOp::logical_or: {
            if (l.value.kind != Kind::boolean)
                return fail(DiagnosticKind::type_mismatch, b->lhs->span, "expected a Bool, found " + type_name(l.value));
            if ((b->op == BinaryOp::logical_and) != l.value.b) return l;
            Res r = eval_sync(b->rhs, env);
            if (r.ok() && r.value.kind != Kind::boolean)
                return fail(DiagnosticKind::type_mismatch, b->rhs->span, "expected a Bool, found " + type_name(r.value));
            return r;
        }
        case BinaryOp::nil_coalesce: {
            if (!l.value.is_nil()) {
                Value v = l.value;
                if (v.opt > 0) --v.opt;
                return Res::of(v);
            }
            return eval_sync(b->rhs, env);
        }
        case BinaryOp::is_type:
        case BinaryOp::cast:
        case BinaryOp::cast_optional:
        case BinaryOp::cast_force: return apply_cast(b, l.value);
        default: break;
        }
        Res r = eval_sync(b->rhs, env);
        if (!r.ok()) return r;
        return apply_binary(b, l.value, r.value);
    }
    case ExprKind::ternary: {
        const auto* t = static_cast<const Ternary*>(e);
        Res c = eval_sync(t->cond, env);
        if (!c.ok()) return c;
        if (c.value.kind != Kind::boolean)
            return fail(DiagnosticKind::type_mismatch, t->cond->span, "expected a Bool, found " + type_name(c.value));
        return eval_sync(c.value.b ? t->then_expr : t->else_expr, env);
    }
    case ExprKind::closure: return make_closure(static_cast<const Closure*>(e), env);
    case ExprKind::try_: {
        const auto* t = static_cast<const Try*>(e);
        return apply_try(t, eval_sync(t->operand, env));
    }
    case ExprKind::await_: return eval_sync(static_cast<const Await*>(e)->operand, env);
    case ExprKind::array: {
        std::vector<Value> xs;
        for (const Expr* x : static_cast<const ArrayLiteral*>(e)->elements) {
            Res v = eval_sync(x, env);
            if (!v.ok()) return v;
            xs.push_back(std::move(v.value));
        }
        return Res::of(Value::array(std::move(xs)));
    }
    case ExprKind::dict: {
        auto d = std::make_shared<DictObj>();
        for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
            Res kv = eval_sync(k, env);
            if (!kv.ok()) return kv;
            Res xv = eval_sync(x, env);
            if (!xv.ok()) return xv;
            bool replaced = false;
            for (auto& entry : d->entries)
                if (values_equal(entry.first, kv.value)) { entry.second = xv.value; replaced = true; }
            if (!replaced) d->entries.emplace_back(std::move(kv.value), std::move(xv.value));
        }
        return Res::of(Value::with_ref(Kind::dict, std::move(d)));
    }
    case ExprKind::tuple: {
        const auto* t = static_cast<const TupleExpr*>(e);
        const bool labelled = std::any_of(t->labels.begin(), t->labels.end(), [](const std::string& l) { return !l.empty(); });
        if (t->elements.size() == 1 && !labelled) return eval_raw_sync(t->elements[0], env);
        std::vector<Value> xs;
        for (const Expr* x : t->elements) {
            Res v = eval_sync(x, env);
            if (!v.ok()) return v;
            xs.push_back(std::move(v.value));
        }
        if (xs.empty()) return Res::of(Value::void_value());
        return Res::of(Value::tuple(std::move(xs), labelled ? t->labels : std::vector<std::string>{}));
    }
    case ExprKind::range: {
        const auto* r = static_cast<const RangeExpr*>(e);
        if (!r->lower || !r->upper)
            return fail(DiagnosticKind::misuse, e->span, "one-sided ranges are not supported; write both ends");
        Res lo = eval_sync(r->lower, env);
        if (!lo.ok()) return lo;
        Res hi = eval_sync(r->upper, env);
        if (!hi.ok()) return hi;
        if (lo.value.is_number() && hi.value.is_number() && (lo.value.kind == Kind::real || hi.value.kind == Kind::real)) {
            if (hi.value.as_double() < lo.value.as_double())
                return fail(DiagnosticKind::misuse, e->span, "Range requires lowerBound <= upperBound");
            return Res::of(Value::real_range(lo.value.as_double(), hi.value.as_double(), r->closed));
        }
        if (lo.value.kind != Kind::integer || hi.value.kind != Kind::integer)
            return fail(DiagnosticKind::type_mismatch, e->span, "a range needs Int or Double bounds");
        if (hi.value.i < lo.value.i || (!r->closed && hi.value.i < lo.value.i))
            return fail(DiagnosticKind::misuse, e->span, "Range requires lowerBound <= upperBound");
        return Res::of(Value::range(lo.value.i, hi.value.i, r->closed));
    }
    case ExprKind::force_unwrap: {
        const auto* f = static_cast<const ForceUnwrap*>(e);
        Res v = eval_sync(f->operand, env);
        if (!v.ok()) return v;
        if (v.value.is_nil())
            return fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
        if (v.value.opt > 0) --v.value.opt;
        return v;
    }
    case ExprKind::optional_chain: {
        const auto* o = static_cast<const OptionalChain*>(e);
        Res v = eval_raw_sync(o->operand, env);
        if (!v.ok()) return v;
        if (v.value.is_nil()) return Res::make(Ctl::chain_nil);
        if (v.value.opt > 0) --v.value.opt;
        v.chained = true;
        return v;
    }
    case ExprKind::comprehension:
        return fail(DiagnosticKind::misuse, e->span, "a list comprehension is Python; it cannot run in a Swift scenario");
    case ExprKind::yield_: return fail(DiagnosticKind::misuse, e->span, "`yield` is Python; it cannot run in a Swift scenario");
    case ExprKind::compare_chain:
    case ExprKind::named:
    case ExprKind::starred:
    case ExprKind::set: return fail(DiagnosticKind::misuse, e->span, "this Python expression cannot run in a Swift scenario");
    case ExprKind::stmt_expr: return eval_stmt_expr_sync(static_cast<const StmtExpr*>(e)->stmt, env);
    }
    return fail(DiagnosticKind::misuse, e->span, "this expression is not supported");
}

/// The coroutine path for an expression marked may_suspend: a plain dispatcher picks a small
/// coroutine per kind; children are evaluated on the path their own marks choose, then the
/// same rules as the synchronous path apply.
Flow<Res> Machine::eval_suspending(const Expr* e, EnvPtr env) {
    if (m_fatal) return ready(Res::make(Ctl::fatal));
    switch (e->kind) {
    case ExprKind::name: return eval_name_async(static_cast<const Name*>(e), std::move(env));
    case ExprKind::string_literal: return eval_string_async(static_cast<const StringLiteral*>(e), std::move(env));
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        if (!m->base || m->name == "self") return ready(eval_raw_sync(e, env));
        return eval_member_async(m, std::move(env));
    }
    case ExprKind::call: return eval_call(static_cast<const Call*>(e), std::move(env), {});
    case ExprKind::subscript: return eval_subscript_async(static_cast<const Subscript*>(e), std::move(env));
    case ExprKind::unary: return eval_unary_async(static_cast<const Unary*>(e), std::move(env));
    case ExprKind::binary: return eval_binary_async(static_cast<const Binary*>(e), std::move(env));
    case ExprKind::ternary: return eval_ternary_async(static_cast<const Ternary*>(e), std::move(env));
    case ExprKind::try_: return eval_try_async(static_cast<const Try*>(e), std::move(env));
    case ExprKind::await_: return eval_raw(static_cast<const Await*>(e)->operand, std::move(env));  // `await` itself adds nothing
    case ExprKind::array:
    case ExprKind::tuple:
    case ExprKind::dict: return eval_list_async(e, std::move(env));
    case ExprKind::force_unwrap:
    case ExprKind::optional_chain: return eval_unwrap_async(e, std::move(env));
    case ExprKind::range: return eval_range_async(static_cast<const RangeExpr*>(e), std::move(env));
    case ExprKind::stmt_expr: return eval_stmt_expr(static_cast<const StmtExpr*>(e)->stmt, std::move(env));
    default: return ready(eval_raw_sync(e, env));
    }
}

Flow<Res> Machine::eval_name_async(const Name* n, EnvPtr env) {
    Res r = lookup_name(n, env);
    if (r.ok() && r.value.kind == Kind::async_let) {
        Res a = co_await resolve_async_let(r.value, n->span);
        co_return a;
    }
    co_return r;
}

Flow<Res> Machine::eval_string_async(const StringLiteral* s, EnvPtr env) {
    std::vector<Value> parts;
    for (const auto& p : s->parts) {
        if (!p.expr) continue;
        Res v = co_await eval(p.expr, env);
        if (!v.ok()) co_return v;
        parts.push_back(std::move(v.value));
    }
    co_return interpolate(s, parts);
}

Flow<Res> Machine::eval_member_async(const Member* m, EnvPtr env) {
    Res b = co_await eval_raw(m->base, env);
    if (!b.ok()) co_return b;
    if (b.value.kind == Kind::task && m->name == "value") {
        // `await task.value`: wait for the task; its error is rethrown. semantics: F27, F28
        const auto t = static_cast<TaskId>(b.value.i);
        at(m->span);
        co_await lift(m_swift.join(t));
        at(m->span);
        Res r = result_of(t);
        if (r.ctl == Ctl::return_) r.ctl = Ctl::normal;
        if (r.ctl == Ctl::throw_) {
            emit_text(EventKind::threw, clip(describe(r.value), 120));
            co_return Res::thrown(r.value);
        }
        if (r.ctl == Ctl::fatal) co_return Res::make(Ctl::fatal);
        r.chained = b.chained;
        co_return r;
    }
    Res r = get_member(b.value, m->name, m->name_span);
    r.chained = r.chained || b.chained;
    co_return r;
}

Flow<Res> Machine::eval_subscript_async(const Subscript* s, EnvPtr env) {
    Res b = co_await eval_raw(s->base, env);
    if (!b.ok()) co_return b;
    std::vector<Value> idx;
    for (const auto& a : s->index) {
        Res v = co_await eval(a.value, env);
        if (!v.ok()) co_return v;
        idx.push_back(std::move(v.value));
    }
    Res r = subscript_get(b.value, idx, s);
    r.chained = r.chained || b.chained;
    co_return r;
}

Flow<Res> Machine::eval_unary_async(const Unary* u, EnvPtr env) {
    Res v = co_await eval(u->operand, env);
    if (!v.ok()) co_return v;
    co_return apply_unary(u, v.value);
}

Flow<Res> Machine::eval_binary_async(const Binary* b, EnvPtr env) {
    Res l = co_await eval(b->lhs, env);
    if (!l.ok()) co_return l;
    switch (b->op) {
    case BinaryOp::logical_and:
    case BinaryOp::logical_or: {
        if (l.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, b->lhs->span, "expected a Bool, found " + type_name(l.value));
        if ((b->op == BinaryOp::logical_and) != l.value.b) co_return l;
        Res r = co_await eval(b->rhs, env);
        if (r.ok() && r.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, b->rhs->span, "expected a Bool, found " + type_name(r.value));
        co_return r;
    }
    case BinaryOp::nil_coalesce: {
        if (!l.value.is_nil()) {
            Value v = l.value;
            if (v.opt > 0) --v.opt;
            co_return Res::of(v);
        }
        Res r = co_await eval(b->rhs, env);
        co_return r;
    }
    case BinaryOp::is_type:
    case BinaryOp::cast:
    case BinaryOp::cast_optional:
    case BinaryOp::cast_force: co_return apply_cast(b, l.value);
    default: break;
    }
    Res r = co_await eval(b->rhs, env);
    if (!r.ok()) co_return r;
    co_return apply_binary(b, l.value, r.value);
}

Flow<Res> Machine::eval_ternary_async(const Ternary* t, EnvPtr env) {
    Res c = co_await eval(t->cond, env);
    if (!c.ok()) co_return c;
    if (c.value.kind != Kind::boolean)
        co_return fail(DiagnosticKind::type_mismatch, t->cond->span, "expected a Bool, found " + type_name(c.value));
    const Expr* pick = c.value.b ? t->then_expr : t->else_expr;
    Res r = co_await eval(pick, env);
    co_return r;
}

Flow<Res> Machine::eval_try_async(const Try* t, EnvPtr env) {
    Res r = co_await eval(t->operand, env);
    co_return apply_try(t, std::move(r));
}

Flow<Res> Machine::eval_list_async(const Expr* e, EnvPtr env) {
    if (e->kind == ExprKind::dict) {
        auto d = std::make_shared<DictObj>();
        for (const auto& [k, x] : static_cast<const DictLiteral*>(e)->entries) {
            Res kv = co_await eval(k, env);
            if (!kv.ok()) co_return kv;
            Res xv = co_await eval(x, env);
            if (!xv.ok()) co_return xv;
            d->entries.emplace_back(std::move(kv.value), std::move(xv.value));
        }
        co_return Res::of(Value::with_ref(Kind::dict, std::move(d)));
    }
    const bool is_tuple = e->kind == ExprKind::tuple;
    const auto& elements = is_tuple ? static_cast<const TupleExpr*>(e)->elements : static_cast<const ArrayLiteral*>(e)->elements;
    bool labelled = false;
    if (is_tuple) {
        const auto& labels = static_cast<const TupleExpr*>(e)->labels;
        labelled = std::any_of(labels.begin(), labels.end(), [](const std::string& l) { return !l.empty(); });
        if (elements.size() == 1 && !labelled) {
            Res r = co_await eval_raw(elements[0], env);
            co_return r;
        }
    }
    std::vector<Value> xs;
    for (const Expr* x : elements) {
        Res v = co_await eval(x, env);
        if (!v.ok()) co_return v;
        xs.push_back(std::move(v.value));
    }
    if (!is_tuple) co_return Res::of(Value::array(std::move(xs)));
    if (xs.empty()) co_return Res::of(Value::void_value());
    co_return Res::of(Value::tuple(std::move(xs), labelled ? static_cast<const TupleExpr*>(e)->labels : std::vector<std::string>{}));
}

Flow<Res> Machine::eval_unwrap_async(const Expr* e, EnvPtr env) {
    if (e->kind == ExprKind::force_unwrap) {
        Res v = co_await eval(static_cast<const ForceUnwrap*>(e)->operand, env);
        if (!v.ok()) co_return v;
        if (v.value.is_nil())
            co_return fail(DiagnosticKind::nil_unwrap, e->span, "Unexpectedly found nil while unwrapping an Optional value");
        if (v.value.opt > 0) --v.value.opt;
        co_return v;
    }
    Res v = co_await eval_raw(static_cast<const OptionalChain*>(e)->operand, env);
    if (!v.ok()) co_return v;
    if (v.value.is_nil()) co_return Res::make(Ctl::chain_nil);
    if (v.value.opt > 0) --v.value.opt;
    v.chained = true;
    co_return v;
}

Flow<Res> Machine::eval_range_async(const RangeExpr* r, EnvPtr env) {
    Res lo = co_await eval(r->lower, env);
    if (!lo.ok()) co_return lo;
    Res hi = co_await eval(r->upper, env);
    if (!hi.ok()) co_return hi;
    if (lo.value.is_number() && hi.value.is_number() && (lo.value.kind == Kind::real || hi.value.kind == Kind::real)) {
        if (hi.value.as_double() < lo.value.as_double())
            co_return fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
        co_return Res::of(Value::real_range(lo.value.as_double(), hi.value.as_double(), r->closed));
    }
    if (lo.value.kind != Kind::integer || hi.value.kind != Kind::integer)
        co_return fail(DiagnosticKind::type_mismatch, r->span, "a range needs Int or Double bounds");
    if (hi.value.i < lo.value.i) co_return fail(DiagnosticKind::misuse, r->span, "Range requires lowerBound <= upperBound");
    co_return Res::of(Value::range(lo.value.i, hi.value.i, r->closed));
}

Res Machine::interpolate(const StringLiteral* s, const std::vector<Value>& parts) {
    std::string out;
    std::size_t k = 0;
    for (const auto& p : s->parts) {
        if (!p.expr) {
            out += p.text;
            continue;
        }
        if (k < parts.size()) out += describe(parts[k++]);
    }
    return Res::of(Value::string(std::move(out)));
}

Res Machine::make_closure(const Closure* c, const EnvPtr& env) {
    auto obj = std::make_shared<ClosureObj>();
    obj->expr = c;
    obj->env = env;
    return Res::of(Value::with_ref(Kind::closure, std::move(obj)));
}

Res Machine::apply_unary(const Unary* u, const Value& v) {
    switch (u->op) {
    case UnaryOp::negate:
        if (v.kind == Kind::integer && v.opt == 0) {
            IntResult r = int_negate(v);
            if (r.trap) return fail(DiagnosticKind::misuse, u->span, r.trap);
            return Res::of(std::move(r.value));
        }
        if (v.kind == Kind::real) return Res::of(Value::real(-v.d));
        if (v.kind == Kind::duration) return Res::of(Value::scalar(Kind::duration, -v.i));
        break;
    case UnaryOp::plus:
        if (v.is_number()) return Res::of(v);
        break;
    case UnaryOp::logical_not:
        if (v.kind == Kind::boolean) return Res::of(Value::boolean(!v.b));
        break;
    case UnaryOp::address_of: return Res::of(v);  // `&x`: the value goes in; the call writes it back
    case UnaryOp::bit_not:
        if (v.kind == Kind::integer && v.opt == 0) return Res::of(int_bit_not(v));
        break;
    }
    return fail(DiagnosticKind::type_mismatch, u->span, "this operator cannot be applied to a value of type " + type_name(v));
}

Res Machine::apply_binary(const Binary* b, const Value& l, const Value& r) {
    switch (b->op) {
    case BinaryOp::eq: return Res::of(Value::boolean(values_equal(l, r)));
    case BinaryOp::ne: return Res::of(Value::boolean(!values_equal(l, r)));
    case BinaryOp::identical:
    case BinaryOp::not_identical: {
        const bool same = (l.ref && l.ref == r.ref) || (l.is_nil() && r.is_nil()) ||
                          (!l.ref && !r.ref && l.kind == r.kind && l.i == r.i && l.kind != Kind::nil);
        return Res::of(Value::boolean(b->op == BinaryOp::identical ? same : !same));
    }
    case BinaryOp::lt:
    case BinaryOp::le:
    case BinaryOp::gt:
    case BinaryOp::ge: {
        if (l.opt > 0 || r.opt > 0 || l.is_nil() || r.is_nil())
            return fail(DiagnosticKind::type_mismatch, b->op_span, "an Optional must be unwrapped before it is compared");
        bool ok = true;
        bool less = false;
        switch (b->op) {
        case BinaryOp::lt: less = value_less(l, r, ok); break;
        case BinaryOp::gt: less = value_less(r, l, ok); break;
        case BinaryOp::le: less = !value_less(r, l, ok); break;
        default: less = !value_less(l, r, ok); break;
        }
        if (!ok)
            return fail(DiagnosticKind::type_mismatch, b->op_span,
                        "values of type " + type_name(l) + " and " + type_name(r) + " cannot be compared");
        return Res::of(Value::boolean(less));
    }
    case BinaryOp::add:
    case BinaryOp::sub:
    case BinaryOp::mul:
    case BinaryOp::div:
    case BinaryOp::mod: return apply_arith(b->op, l, r, b->op_span);
    case BinaryOp::wrapping_add:
    case BinaryOp::wrapping_sub:
    case BinaryOp::wrapping_mul:
    case BinaryOp::bit_and:
    case BinaryOp::bit_or:
    case BinaryOp::bit_xor:
    case BinaryOp::shift_left:
    case BinaryOp::shift_right:
    case BinaryOp::masking_shift_left:
    case BinaryOp::masking_shift_right: return apply_integer_op(b->op, l, r, b->op_span);
    default: break;
    }
    return fail(DiagnosticKind::misuse, b->op_span, "this operator is not part of tasklab's Swift subset");
}

Res Machine::apply_arith(BinaryOp op, const Value& l, const Value& r, Span span) {
    static constexpr const char* names[] = {"+", "-", "*", "/", "//", "%", "**"};
    const std::string opname = static_cast<int>(op) < 7 ? names[static_cast<int>(op)] : "?";
    auto mismatch = [&] {
        return fail(DiagnosticKind::type_mismatch, span,
                    "binary operator `" + opname + "` cannot be applied to operands of type " + type_name(l) + " and " +
                        type_name(r));
    };
    if (l.opt > 0 || r.opt > 0 || l.is_nil() || r.is_nil()) return mismatch();
    if (l.kind == Kind::integer && r.kind == Kind::integer && (l.itype != IntType::int_ || r.itype != IntType::int_ || op > BinaryOp::pow))
        return apply_integer_op(op, l, r, span);
    if (l.kind == Kind::integer && r.kind == Kind::integer) {
        std::int64_t out = 0;
        switch (op) {
        case BinaryOp::add:
            if (__builtin_add_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::sub:
            if (__builtin_sub_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::mul:
            if (__builtin_mul_overflow(l.i, r.i, &out)) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(out));
        case BinaryOp::div:
            if (r.i == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero");
            if (l.i == INT64_MIN && r.i == -1) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
            return Res::of(Value::integer(l.i / r.i));
        case BinaryOp::mod:
            if (r.i == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero in remainder operation");
            if (r.i == -1) {  // Int.min % -1 overflows (and traps) in Swift; any other x % -1 is 0
                if (l.i == INT64_MIN) return fail(DiagnosticKind::misuse, span, "arithmetic overflow");
                return Res::of(Value::integer(0));
            }
            return Res::of(Value::integer(l.i % r.i));
        default: return mismatch();
        }
    }
    if (l.is_number() && r.is_number()) {
        // Swift literals take the type their context needs: `1 + 0.5` is a Double sum.
        const double x = l.as_double();
        const double y = r.as_double();
        switch (op) {
        case BinaryOp::add: return Res::of(Value::real(x + y));
        case BinaryOp::sub: return Res::of(Value::real(x - y));
        case BinaryOp::mul: return Res::of(Value::real(x * y));
        case BinaryOp::div: return Res::of(Value::real(x / y));
        default: return mismatch();
        }
    }
    if (op == BinaryOp::add && l.kind == Kind::string && r.kind == Kind::string) {
        const std::uint64_t n = str(l).size() + str(r).size();
        if (!reserve_memory(MemoryKind::string, n, n, span)) return Res::make(Ctl::fatal);
        return Res::of(Value::string(str(l) + str(r)));
    }
    if (op == BinaryOp::add && l.kind == Kind::array && r.kind == Kind::array) {
        const std::uint64_t n = items(l).size() + items(r).size();
        if (!reserve_memory(MemoryKind::array, n, n * sizeof(Value), span)) return Res::make(Ctl::fatal);
        std::vector<Value> xs = items(l);
        const auto& ys = items(r);
        xs.insert(xs.end(), ys.begin(), ys.end());
        return Res::of(Value::array(std::move(xs)));
    }
    auto seconds_of = [](const Value& v) -> Tick {
        if (v.kind == Kind::duration) return v.i;
        if (v.kind == Kind::integer) return saturating_ticks(static_cast<double>(v.i));
        return saturating_ticks(v.d);
    };
    const bool r_interval = r.kind == Kind::duration || r.is_number();
    if (l.kind == Kind::dispatch_time && r_interval && (op == BinaryOp::add || op == BinaryOp::sub)) {
        // Saturates at the clock's end: `.now() + 1e10` is far in the future, never the past.
        const Tick d = seconds_of(r);
        const Tick t = op == BinaryOp::add ? std::min(l.i + std::min(d, k_far_future), k_far_future) : l.i - std::min(d, k_far_future);
        return Res::of(Value::scalar(Kind::dispatch_time, t));
    }
    if (l.kind == Kind::dispatch_time && r.kind == Kind::dispatch_time && op == BinaryOp::sub)
        return Res::of(Value::scalar(Kind::duration, l.i - r.i));
    if (l.kind == Kind::duration && r.kind == Kind::duration) {
        if (op == BinaryOp::add) return Res::of(Value::scalar(Kind::duration, l.i + r.i));
        if (op == BinaryOp::sub) return Res::of(Value::scalar(Kind::duration, l.i - r.i));
        if (op == BinaryOp::div && r.i != 0) return Res::of(Value::real(static_cast<double>(l.i) / static_cast<double>(r.i)));
    }
    if (l.kind == Kind::duration && r.is_number() && (op == BinaryOp::mul || op == BinaryOp::div)) {
        const double f = r.as_double();
        if (op == BinaryOp::div && f == 0) return fail(DiagnosticKind::division_by_zero, span, "Division by zero");
        const double t = op == BinaryOp::mul ? static_cast<double>(l.i) * f : static_cast<double>(l.i) / f;
        return Res::of(Value::scalar(Kind::duration, static_cast<Tick>(std::llround(t))));
    }
    if (l.is_number() && r.kind == Kind::duration && op == BinaryOp::mul)
        return Res::of(Value::scalar(Kind::duration, static_cast<Tick>(std::llround(l.as_double() * static_cast<double>(r.i)))));
    return mismatch();
}

std::string Machine::type_text(const Expr* e) const {
    if (!e) return {};
    switch (e->kind) {
    case ExprKind::name: return static_cast<const Name*>(e)->name;
    case ExprKind::member: {
        const auto* m = static_cast<const Member*>(e);
        return m->base ? type_text(m->base) + "." + m->name : "." + m->name;
    }
    case ExprKind::optional_chain: return type_text(static_cast<const OptionalChain*>(e)->operand) + "?";
    case ExprKind::force_unwrap: return type_text(static_cast<const ForceUnwrap*>(e)->operand) + "!";
    case ExprKind::array: {
        const auto* a = static_cast<const ArrayLiteral*>(e);
        return a->elements.size() == 1 ? "[" + type_text(a->elements[0]) + "]" : "Array";
    }
    default: return {};
    }
}

bool Machine::type_matches(const Value& v, const Expr* type_expr) {
    const Value u = v.unwrapped();
    if (u.is_nil()) return false;
    // Value patterns in `catch`: `catch URLError.cancelled`, `catch MyError.timeout`.
    if (type_expr->kind == ExprKind::member) {
        const auto* m = static_cast<const Member*>(type_expr);
        const std::string base = type_text(m->base);
        if (base == "URLError" || base == "URLError.Code") {
            if (m->name == "Code") return false;
            return u.kind == Kind::url_error && str(u) == m->name;
        }
        if (u.kind == Kind::enum_case) {
            const auto& t = static_cast<const TypeObj&>(*u.ref);
            if (t.name == base && t.decl && static_cast<std::size_t>(u.i) < t.decl->cases.size())
                return t.decl->cases[static_cast<std::size_t>(u.i)] == m->name;
        }
    }
    std::string t = type_text(type_expr);
    if (t.rfind("any ", 0) == 0) t.erase(0, 4);
    while (!t.empty() && (t.back() == '?' || t.back() == '!')) t.pop_back();
    if (t == "Error" || t == "Swift.Error" || t == "LocalizedError") return is_error_value(u);
    if (t == "Any" || t == "AnyObject") return true;
    if (t == "Int") return u.kind == Kind::integer;
    if (t == "Double" || t == "Float") return u.kind == Kind::real;
    if (t == "String") return u.kind == Kind::string;
    if (t == "Bool") return u.kind == Kind::boolean;
    if (t == "CancellationError") return u.kind == Kind::cancellation_error;
    if (t == "URLError") return u.kind == Kind::url_error;
    if (t == "Data") return u.kind == Kind::data;
    if (t == "URL") return u.kind == Kind::url;
    if (t == "DispatchWorkItem") return u.kind == Kind::work_item;
    if (t == "DispatchGroup") return u.kind == Kind::dispatch_group;
    if (t == "DispatchSemaphore") return u.kind == Kind::semaphore;
    if (t == "Duration") return u.kind == Kind::duration;
    if (!t.empty() && t.front() == '[') return u.kind == Kind::array || u.kind == Kind::dict;
    if (u.kind == Kind::instance) {
        const auto& inst = static_cast<const InstanceObj&>(*u.ref);
        if (inst.type->name == t) return true;
        if (inst.type->decl)
            for (const Expr* base : inst.type->decl->bases)
                if (type_text(base) == t) return true;
        const auto all = conformances(inst.type->name, inst.type->decl);  // extensions, inherited protocols
        return std::find(all.begin(), all.end(), t) != all.end();
    }
    if (u.kind == Kind::enum_case) {
        const auto& et = static_cast<const TypeObj&>(*u.ref);
        if (et.name == t) return true;
        if (et.decl)
            for (const Expr* base : et.decl->bases)
                if (type_text(base) == t) return true;
        const auto all = conformances(et.name, et.decl);
        return std::find(all.begin(), all.end(), t) != all.end();
    }
    return false;
}

Res Machine::apply_cast(const Binary* b, const Value& v) {
    switch (b->op) {
    case BinaryOp::is_type: return Res::of(Value::boolean(type_matches(v, b->rhs)));
    case BinaryOp::cast: return Res::of(v);
    case BinaryOp::cast_optional: {
        if (!type_matches(v, b->rhs)) return Res::of(Value::nil());
        return Res::of(v.unwrapped().wrapped());
    }
    case BinaryOp::cast_force:
        if (!type_matches(v, b->rhs))
            return fail(DiagnosticKind::type_mismatch, b->span,
                        "Could not cast value of type '" + type_name(v.unwrapped()) + "' to '" + type_text(b->rhs) + "'");
        return Res::of(v.unwrapped());
    default: return Res::of(v);
    }
}

Res Machine::apply_try(const Try* t, Res r) {
    switch (t->try_kind) {
    case TryKind::plain: return r;
    case TryKind::optional:
        if (r.ctl == Ctl::throw_) {
            at(t->span);
            emit_text(EventKind::caught, clip(describe(r.value), 120));
            return Res::of(Value::nil());
        }
        if (r.ok() && !r.value.is_nil() && r.value.opt == 0) {
            if (r.value.kind == Kind::void_) return Res::of(Value::void_value().wrapped());
            r.value = r.value.wrapped();
        }
        return r;
    case TryKind::force:
        if (r.ctl == Ctl::throw_)
            return fail(DiagnosticKind::misuse, t->span,
                        "'try!' expression unexpectedly raised an error: " + describe(r.value, Style::reflecting));
        return r;
    }
    return r;
}

Res Machine::subscript_get(const Value& base_in, const std::vector<Value>& index, const Subscript* s) {
    const Value base = base_in.opt > 0 ? base_in.unwrapped() : base_in;
    if (base.is_nil())
        return fail(DiagnosticKind::nil_unwrap, s->base->span, "Unexpectedly found nil while unwrapping an Optional value");
    if (index.empty()) return fail(DiagnosticKind::wrong_arguments, s->span, "a subscript needs an index");
    if (base.kind == Kind::instance || base.kind == Kind::enum_case || base.kind == Kind::type) {
        // A `subscript` declaration of a user type: called like a method with the index
        // arguments; among several, the one whose labels match.
        Args args;
        for (std::size_t k = 0; k < index.size() && k < s->index.size(); ++k)
            args.push_back(ArgVal{s->index[k].label, index[k], s->index[k].span, false, s->index[k].value});
        const auto type = base.kind == Kind::instance ? static_cast<const InstanceObj&>(*base.ref).type
                                                      : std::static_pointer_cast<TypeObj>(base.ref);
        std::vector<const Block*> blocks;
        if (type->decl) blocks.push_back(&type->decl->members);
        if (auto it = m_extensions.find(type->name); it != m_extensions.end())
            for (const TypeDecl* e : it->second) blocks.push_back(&e->members);
        for (std::size_t b = 0; b < blocks.size(); ++b) {
            for (const Stmt* m : *blocks[b]) {
                if (m->kind != StmtKind::func_decl || !static_cast<const FuncDecl*>(m)->is_subscript) continue;
                const auto* f = static_cast<const FuncDecl*>(m);
                if (f->is_static != (base.kind == Kind::type) || f->params.size() != args.size()) continue;
                bool match = true;
                for (std::size_t k = 0; k < args.size() && match; ++k)
                    match = args[k].label == (f->params[k].label == "_" ? std::string() : f->params[k].label);
                if (!match) continue;
                auto fo = std::make_shared<FuncObj>();
                fo->decl = f;
                fo->env = b == 0 && type->decl ? type->env : m_globals;
                fo->self = base;
                fo->owner = type;
                const Site site{s->span, {}, {}};
                return call_sync(Value::with_ref(Kind::function, std::move(fo)), args, site);
            }
        }
        if (type->decl) return fail(DiagnosticKind::wrong_arguments, s->span, "no `subscript` of `" + type->name + "` takes these arguments");
    }
    const Value& idx = index[0];
    if (base.kind == Kind::array) {
        const auto& xs = items(base);
        if (idx.kind == Kind::integer) {
            if (idx.i < 0 || static_cast<std::size_t>(idx.i) >= xs.size())
                return fail(DiagnosticKind::index_out_of_range, s->span, "Index out of range");
            return Res::of(xs[static_cast<std::size_t>(idx.i)]);
        }
        if (idx.kind == Kind::range && !static_cast<const RangeObj&>(*idx.ref).real) {
            const auto& r = static_cast<const RangeObj&>(*idx.ref);
            if (r.lo < 0 || static_cast<std::size_t>(r.end_exclusive()) > xs.size())
                return fail(DiagnosticKind::index_out_of_range, s->span, "Array index is out of range");
            return Res::of(Value::array(std::vector<Value>(xs.begin() + r.lo, xs.begin() + r.end_exclusive())));
        }
    }
    if (base.kind == Kind::dict) {
        for (const auto& [k, v] : static_cast<const DictObj&>(*base.ref).entries)
            if (values_equal(k, idx)) return Res::of(index.size() > 1 ? v : v.wrapped());
        if (index.size() > 1) return Res::of(index[1]);  // dict[key, default: value]
        return Res::of(Value::nil());
    }
    if (base.kind == Kind::tuple && idx.kind == Kind::integer) {
        const auto& xs = items(base);
        if (idx.i >= 0 && static_cast<std::size_t>(idx.i) < xs.size()) return Res::of(xs[static_cast<std::size_t>(idx.i)]);
    }
    return fail(DiagnosticKind::type_mismatch, s->span,
                "a value of type " + type_name(base) + " cannot be subscripted with " + type_name(idx));
}

}  // namespace tasklab::interp
