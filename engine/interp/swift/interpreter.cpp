// The interpreter's public face and the Machine's setup: helpers every part uses, task bodies,
// blocks and the statement budget (see machine.hpp for the two evaluation paths). Statements
// live in statements.cpp and loops.cpp, names and places in names.cpp, expressions in
// expressions.cpp and operators.cpp, calls in calls.cpp, built-ins in builtins_*.cpp.
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
    m_resolve.preemptive = m_sched.choice_rules().preemption;
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
    race::touched_shared();  // one generator for the run: who draws first gets the first number
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
        if (m_sched.preemption_point(s->span)) co_await m_sched.preempt();
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
        if (m_sched.preemption_point(s->span)) co_await m_sched.preempt();
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
// The statement budget
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

}  // namespace tasklab::interp
