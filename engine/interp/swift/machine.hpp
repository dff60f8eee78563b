// The interpreter's machinery (internal to engine/interp; the Controller uses interpreter.hpp).
//
// Evaluation comes in two flavours that share every rule:
//   * a synchronous path (`*_sync`) for code that cannot suspend: plain statements, and the
//     bodies that must run to completion inside another call (withTaskCancellationHandler's
//     onCancel runs inside cancel(); map/filter closures);
//   * a coroutine path (Flow<Res>) for code that may suspend (an `await`, a blocking `sleep`,
//     a call to a function whose body suspends). The resolver (resolver.cpp) marks
//     Expr/Stmt::may_suspend; the coroutine path hands every unmarked node to the
//     synchronous one, so frames are only paid for where a task can actually park.
//
// Completion of a statement or expression is a Res: normal (with a value), return, break,
// continue, throw (the error is a Value), or fatal (a runtime error that ends the run; the
// Diagnostic is kept in Machine::m_fatal). Scenario errors are values, never C++ exceptions.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/cancel/gcd.hpp"
#include "engine/cancel/swift.hpp"
#include "engine/run_types.hpp"
#include "engine/inspection.hpp"
#include "engine/interp/swift/bridges.hpp"
#include "engine/interp/swift/env.hpp"
#include "engine/interp/flow.hpp"
#include "engine/interp/output.hpp"
#include "engine/interp/swift/value.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab::interp {

enum class Ctl : std::uint8_t {
    normal,
    return_,
    break_,
    continue_,
    fallthrough,  ///< Swift `fallthrough`: the next case body of the switch runs
    throw_,
    fatal,      ///< a runtime error: m_fatal holds the diagnostic; nothing catches it
    chain_nil,  ///< an optional chain met nil: the enclosing chain evaluates to nil
};

/// How a statement or expression completed.
struct Res {
    Ctl ctl = Ctl::normal;
    bool chained = false;  ///< the value went through `x?.…`: the chain's result is Optional
    Value value;
    /// break / continue: the statement label named (`break outer`), owned by the AST; null:
    /// the innermost loop (or switch, for break).
    const std::string* label = nullptr;

    static Res of(Value v = Value::void_value()) { Res r; r.value = std::move(v); return r; }
    static Res thrown(Value e) { Res r; r.ctl = Ctl::throw_; r.value = std::move(e); return r; }
    static Res make(Ctl c, Value v = {}) { Res r; r.ctl = c; r.value = std::move(v); return r; }
    [[nodiscard]] bool ok() const { return ctl == Ctl::normal; }
};

/// One evaluated call argument.
struct ArgVal {
    std::string label;
    Value value;
    Span span;
    bool trailing = false;
    const ast::Expr* expr = nullptr;
};
using Args = std::vector<ArgVal>;

/// Where a call happens, and the variable name a `let x = Task { … }` gives the new lane.
struct Site {
    Span span;
    std::string name_hint;
    Span name_span;  ///< the method name of `x.name(…)`, for "not supported" errors
};

/// Per-block bookkeeping: `defer` bodies and the `async let` scope, both run at block exit.
struct BlockState {
    std::vector<const ast::Defer*> defers;
    ScopeId async_scope = 0;
};

/// What the resolver learnt about functions and closures.
struct ResolveInfo {
    std::unordered_map<const ast::Closure*, bool> closure_suspends;
    std::unordered_map<const ast::FuncDecl*, bool> func_suspends;
    /// An explored run (the scheduler has a chooser that may preempt): every statement of the
    /// top level, of a closure a task or work item runs, and of a function that can suspend
    /// runs on the coroutine path, so a preemption point can come before each one.
    bool preemptive = false;
    /// A node missing a child it needs (a front end that recovered from an error it did not
    /// report): the run stops with a runtime error here instead of crashing.
    bool malformed = false;
    Span malformed_span;
};
/// Marks may_suspend on every node of the program (resolver.cpp).
void resolve(const ast::Program& program, ResolveInfo& info);

/// The latest virtual time a deadline may name (about 73 years): a longer delay, or an
/// infinite one, waits until then (the run's time limit stops it long before).
inline constexpr Tick k_far_future = INT64_MAX / 4;
/// Seconds to ticks, saturating at ±k_far_future (NaN: 0); never converts out of range.
inline Tick saturating_ticks(double seconds) {
    if (seconds != seconds) return 0;
    const double t = seconds * 1e9;
    if (t >= static_cast<double>(k_far_future)) return k_far_future;
    if (t <= -static_cast<double>(k_far_future)) return -k_far_future;
    return static_cast<Tick>(std::llround(t));
}

/// One function frame of a task's current call chain, kept for the inspector
/// (Controller::inspect): pushed when a suspending call starts, popped when it returns.
struct FrameRecord {
    const ast::FuncDecl* func = nullptr;    ///< the function called, or
    const ast::Closure* closure = nullptr;  ///< the closure called (both null: the top-level code)
    const std::string* owner = nullptr;     ///< the type declaring a method (its name outlives the call)
    const Env* base = nullptr;              ///< the frame's own Env (parameters), kept alive by the call
    EnvPtr env;                             ///< the innermost block Env the frame runs in now
    Span call;                              ///< where it was called from
};

/// An assignable place.
struct LRef {
    Value* slot = nullptr;
    Binding* binding = nullptr;  ///< set when the place is a variable (for `T?` wrapping)
};

/// The binary operator a name such as "+" or "<" stands for when an operator is passed as a
/// function (`reduce(0, +)`, `sorted(by: >)`); null for any other name.
const ast::BinaryOp* operator_function(std::string_view name);

class Machine {
public:
    Machine(std::shared_ptr<const ast::Program> program, Scheduler& sched, swift::Model& swift, gcd::Model& gcd);
    ~Machine();
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    /// Spawns the main task; reports a malformed AST as a runtime error first.
    TaskId start();

    // ---- what the Controller reads ----
    std::shared_ptr<const ast::Program> m_program_ptr;
    const ast::Program& m_program;
    Scheduler& m_sched;
    swift::Model& m_swift;
    gcd::Model& m_gcd;
    TaskId m_main = 0;
    std::optional<Diagnostic> m_fatal;
    bool m_uncaught = false;
    std::string m_uncaught_text;  ///< String(reflecting:) of the error
    Span m_uncaught_span;
    bool m_in_dispatch_main = false;
    ProgramOutput m_output;  ///< what the program printed (engine/interp/output.hpp)
    std::vector<Span> m_task_span;  ///< the last statement each task ran (deadlock messages)

    /// Records a line printed without its newline (at program end).
    void flush_output();

    // ---- state ----
    EnvRegistry m_envs;
    EnvPtr m_globals;
    ResolveInfo m_resolve;
    std::vector<Res> m_results;  ///< what each task produced, by TaskId
    std::uint64_t m_rng = 0;
    std::unordered_map<std::string, Value> m_statics;  ///< static stored properties: "Type.name"
    std::unordered_map<std::string, Value> m_builtin_types;  ///< TypeObj values of built-in types, by name
    std::uint64_t m_budget_step = ~0ull;  ///< the step m_budget_used counts statements for
    std::uint64_t m_budget_used = 0;
    std::uint64_t m_statement_budget = 10'000'000;  ///< RunOptions::max_statements_per_step
    std::vector<std::vector<FrameRecord>> m_frames;  ///< per task: its call chain, outermost first
    std::vector<std::uint32_t> m_call_depth;  ///< per task: nested calls of functions and closures now running

    /// Counts a call of `d` (null: a closure) in the running task; past the call-depth limit
    /// (calls.cpp, docs/language.md "Runtime limits") reports a stack overflow at `site`,
    /// naming the function. leave_call() undoes a successful enter_call().
    Res enter_call(const ast::FuncDecl* d, const Site& site);
    void leave_call();
    void leave_call_of(TaskId task);
    /// Adds `units` of work (a loop iteration, a call, the elements a built-in makes or walks)
    /// to the running step's statement budget; past it, reports `what` at `span` and fails.
    bool count_work(std::uint64_t units, Span span, const char* what);
    /// Past the run's memory limit (engine/memory_meter.hpp), reports what grew at `span` and
    /// fails. count_statement and count_work check it too.
    bool check_memory(Span span);
    /// Before making an object of `bytes` (`elements` of `kind`): fails at `span` when it would
    /// pass the run's memory limit.
    bool reserve_memory(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes, Span span);

    // ---- the inspector (inspect.cpp) ----
    void push_frame(TaskId task, FrameRecord frame);
    void pop_frame(TaskId task);
    /// Frees a finished task's (empty) frame chain.
    void release_frames(TaskId task) {
        if (task < m_frames.size()) std::vector<FrameRecord>().swap(m_frames[task]);
    }
    /// Notes the block Env the running task's innermost frame runs in.
    void enter_env(const EnvPtr& env) {
        const TaskId t = m_sched.current();
        if (t < m_frames.size() && !m_frames[t].empty() && m_frames[t].back().env != env) m_frames[t].back().env = env;
    }
    /// Fills the frames, the cancel flag and the result of `task` (Controller::inspect).
    void inspect(TaskId task, TaskInspection& out) const;

    // ---- helpers (interpreter.cpp) ----
    /// Sets the scheduler span and remembers it as the running task's place.
    void at(Span s);
    /// Records the run's runtime error (the first one wins) and returns Ctl::fatal.
    Res fail(DiagnosticKind kind, Span span, std::string message, std::string help = {});
    /// A scenario `throw`: records a `threw` event and returns Ctl::throw_.
    Res throw_value(Value error, Span span);
    void emit_text(EventKind kind, std::string_view text);
    /// Appends printed text; every completed line becomes a `printed` event and an OutputLine.
    void print_text(const std::string& text);
    /// splitmix64 seeded by `// tasklab: seed N` (latency ranges, Int.random, shuffled).
    std::uint64_t next_random();
    std::string line_of(Span s) const;
    /// A lane label: the bound variable when there is one, else "<construct> @<line>".
    std::string lane_name(std::string_view construct, Span span, const std::string& hint) const;
    bool func_suspends(const ast::FuncDecl* f) const;
    bool closure_suspends(const ast::Closure* c) const;
    void store_result(TaskId t, Res r);
    const Res& result_of(TaskId t);

    // ---- actors (actors.cpp) ----
    ActorId m_main_actor = 0;  ///< the main actor (registered when the run starts)
    std::unordered_map<ActorId, const ast::TypeDecl*> m_actor_types;  ///< each actor instance's `actor` declaration
    std::unordered_map<std::string, std::uint32_t> m_actor_instances;  ///< instances made so far, by type name
    /// Registers the main actor; puts the main task (and the top-level code) on it when the
    /// real runtime does (docs/semantics.md, "Actors").
    void setup_actors();
    /// Whether top-level code runs on the main actor: in Swift 6 mode always, else when it
    /// awaits (SE-0343).
    bool top_level_on_main_actor() const;
    /// The actor a new `actor` instance gets.
    ActorId new_actor_instance(const ast::TypeDecl* decl, Span span);
    /// The static isolation of a call of `f` (the actor its code is isolated to, 0: none,
    /// k_inherit_isolation: the enclosing scope's).
    std::uint32_t function_isolation(const FuncObj& f) const;
    /// The actor a call of `callee` must run on, or k_inherit_isolation when it runs where
    /// its caller runs (synchronous nonisolated code, closures).
    std::uint32_t call_target_actor(const Value& callee) const;
    /// Runs a call on `target` (hopping there and back): an actor method called from outside,
    /// a `@MainActor` function, a nonisolated `async` function called from an actor.
    Flow<Res> call_on_actor(Value callee, Args args, Site site, ActorId target);
    /// `await MainActor.run { … }`.
    Flow<Res> main_actor_run(Args args, Site site);
    /// The actor a `Task {}` made here starts on (semantics: F26 and docs/semantics.md "Actors").
    ActorId task_start_actor(const Value& closure, bool detached) const;
    /// A copy of a task's closure whose code is isolated to `actor` (a detached task's body is
    /// nonisolated even when written in main-actor code).
    Value isolate_closure(const Value& closure, ActorId actor);

    // ---- task bodies (interpreter.cpp) ----
    Co<void> main_body();
    Co<void> task_body(Value closure, Span span);
    Co<void> async_let_body(const ast::Expr* init, EnvPtr env);
    Co<void> item_body(Value closure, Span span);
    /// Stores a Swift task's result and calls swift::Model::finish with its outcome.
    void finish_swift_task(Res r);

    // ---- blocks and the statement budget (interpreter.cpp); statements (statements.cpp);
    //      places and assignment (names.cpp); for-in, do/catch, import (loops.cpp) ----
    /// Declares a block's functions and types before its statements run.
    void hoist(const ast::Block& block, const EnvPtr& env);
    /// A fresh Env when the block declares names, else the parent's.
    EnvPtr env_for(const ast::Block& block, const EnvPtr& parent);
    Res run_block_sync(const ast::Block& block, const EnvPtr& parent);
    Flow<Res> run_block(const ast::Block& block, EnvPtr parent);
    Res run_stmts_sync(const ast::Block& block, const EnvPtr& env, BlockState& st);
    Flow<Res> run_stmts(const ast::Block& block, EnvPtr env, BlockState& st);
    Res finish_block_sync(BlockState& st, Res r, const EnvPtr& env);
    Flow<Res> finish_block(BlockState& st, Res r, EnvPtr env);
    Res exec_sync(const ast::Stmt* s, const EnvPtr& env, BlockState& st);
    Flow<Res> exec(const ast::Stmt* s, EnvPtr env, BlockState& st);
    Flow<Res> exec_expr(const ast::ExprStmt* s, EnvPtr env);
    Res exec_async_let(const ast::VarDecl* d, const EnvPtr& env, BlockState& st);
    Flow<Res> exec_var(const ast::VarDecl* d, EnvPtr env);
    Flow<Res> exec_assign(const ast::Assign* a, EnvPtr env);
    Flow<Res> exec_if(const ast::If* i, EnvPtr env);
    Flow<Res> exec_guard(const ast::Guard* g, EnvPtr env);
    Flow<Res> exec_while(const ast::While* w, EnvPtr env);
    Flow<Res> exec_return(const ast::Return* r, EnvPtr env);
    Flow<Res> exec_throw(const ast::Throw* t, EnvPtr env);
    void stmt_start(const ast::Stmt* s);
    /// Counts a statement against the per-step budget; false (and a runtime error) when a task
    /// ran too long without suspending.
    bool count_statement(const ast::Stmt* s);

    Res declare_sync(const ast::VarDecl* d, Res init, const EnvPtr& env);
    Res bind_pattern(const ast::Expr* target, const Value& v, const EnvPtr& env, bool is_let, const std::string* type);
    Res assign_to(const ast::Expr* target, Value v, const EnvPtr& env, Span span);
    Res assign_stmt_sync(const ast::Assign* a, Res rhs, const EnvPtr& env);
    /// The storage an assignment or mutating method writes to (copy-on-write made unique).
    LRef lvalue(const ast::Expr* e, const EnvPtr& env, Res& err);
    Res check_condition(const ast::Condition& c, Res value, const EnvPtr& bind_env, bool& pass);
    Res for_sequence(const Value& iterable, std::vector<Value>& out, Span span);
    Res bind_loop_var(const ast::ForIn* f, const Value& v, const EnvPtr& env);
    /// do/catch: picks the handler for a thrown error. Returns false when none matches.
    bool match_handler(const ast::Handler& h, const Value& error, const EnvPtr& env, EnvPtr& handler_env, Res& err);
    Res exec_import(const ast::Import* imp);
    Res exec_try_sync(const ast::TryStmt* t, const EnvPtr& env);
    Flow<Res> exec_try(const ast::TryStmt* t, EnvPtr env);
    Flow<Res> exec_for(const ast::ForIn* f, EnvPtr env);
    Res exec_for_sync(const ast::ForIn* f, const EnvPtr& env);
    Flow<Res> exec_for_group(const ast::ForIn* f, EnvPtr env, Value group);

    // ---- patterns, switch, labels (patterns.cpp); enum cases (enum_cases.cpp) ----
    /// Matches `p` against `v`; its bindings are declared in `env` (a fresh Env per attempt).
    Res match_pattern(const ast::Pattern* p, const Value& v, const EnvPtr& env, bool& matched);
    /// The first item of `items` that matches `v` with its `where` true; `bound` is the Env
    /// holding that item's bindings (a child of `env`).
    Res match_items(const std::vector<ast::CaseItem>& items, const Value& v, const EnvPtr& env, EnvPtr& bound, bool& matched);
    /// The case of `s` that `v` selects and the Env of its bindings; a runtime error when
    /// none does (swiftc refuses a switch that is not exhaustive; tasklab does not type-check).
    Res select_case(const ast::Switch* s, const Value& v, const EnvPtr& env, std::size_t& index, EnvPtr& case_env);
    /// What a switch statement makes of its case body's completion (break, fallthrough).
    Res exec_switch_sync(const ast::Switch* s, const EnvPtr& env);
    Flow<Res> exec_switch(const ast::Switch* s, EnvPtr env);
    /// A labelled `if` or `do` on the coroutine path: `break label` ends it normally.
    Flow<Res> exec_labelled(const ast::Stmt* s, EnvPtr env);
    /// `repeat { … } while c`.
    Res exec_repeat_sync(const ast::While* w, const EnvPtr& env);
    Flow<Res> exec_repeat(const ast::While* w, EnvPtr env);
    /// The value of an `if` / `switch` used as an expression.
    Res eval_stmt_expr_sync(const ast::Stmt* s, const EnvPtr& env);
    Flow<Res> eval_stmt_expr(const ast::Stmt* s, EnvPtr env);
    /// `for case p in xs` / `for x in xs where c`: binds one element, or sets `skip`.
    Res bind_loop_element(const ast::ForIn* f, const Value& v, const EnvPtr& env, bool& skip);
    /// `do/catch` with pattern items (`catch A, B`, `catch E.http(let code) where …`).
    bool match_handler_items(const ast::Handler& h, const Value& error, const EnvPtr& env, EnvPtr& handler_env, Res& err);
    /// `Type.name` of a user enum: the case, or a constructor when the case has associated values.
    Res enum_case_value(const std::shared_ptr<TypeObj>& type, std::size_t index);
    /// Calls an enum case constructor (`.failed(error)`) made by enum_case_value.
    Res make_enum_payload(const BuiltinObj& ctor, Args& args, const Site& site);
    /// `.rawValue` of a case of an enum with a raw type; `has` is false when it has none.
    Res enum_raw_value(const Value& v, Span span, bool& has);
    /// `E(rawValue: x)`: the case with that raw value, or nil.
    Res enum_from_raw_value(const std::shared_ptr<TypeObj>& type, Args& args, const Site& site);
    /// An implicit member `.name` that is a case of an enum nested in a global type (the first
    /// found, outermost types first); `found` is false when there is none.
    Res nested_enum_case(const std::string& name, bool& found);
    /// `E.allCases` of a CaseIterable enum.
    Res enum_all_cases(const std::shared_ptr<TypeObj>& type, Span span);

    // ---- expressions (expressions.cpp); names (names.cpp); operators, casts and
    //      subscripts (operators.cpp) ----
    Res eval_sync(const ast::Expr* e, const EnvPtr& env);
    Res eval_raw_sync(const ast::Expr* e, const EnvPtr& env);
    Flow<Res> eval(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_raw(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_suspending(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_closing(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_name_async(const ast::Name* n, EnvPtr env);
    Flow<Res> eval_string_async(const ast::StringLiteral* s, EnvPtr env);
    Flow<Res> eval_member_async(const ast::Member* m, EnvPtr env);
    Flow<Res> eval_subscript_async(const ast::Subscript* s, EnvPtr env);
    Flow<Res> eval_unary_async(const ast::Unary* u, EnvPtr env);
    Flow<Res> eval_binary_async(const ast::Binary* b, EnvPtr env);
    Flow<Res> eval_ternary_async(const ast::Ternary* t, EnvPtr env);
    Flow<Res> eval_try_async(const ast::Try* t, EnvPtr env);
    Flow<Res> eval_list_async(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_unwrap_async(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_range_async(const ast::RangeExpr* r, EnvPtr env);
    /// A frame that completes at once with `r` (what a dispatcher returns for synchronous work).
    static Flow<Res> ready(Res r);
    /// Ends an optional chain: chain_nil becomes nil, a chained value becomes Optional.
    static Res close_chain(Res r);

    Res lookup_name(const ast::Name* n, const EnvPtr& env);
    Res global_name(const std::string& name, Span span);
    /// True for the names of built-in types and free functions (`print`, `Int`, `+`).
    bool is_builtin_name(const std::string& name) const;
    Res resolve_async_let_sync(const Value& v, Span span);
    Flow<Res> resolve_async_let(Value v, Span span);
    Res apply_unary(const ast::Unary* u, const Value& v);
    Res apply_binary(const ast::Binary* b, const Value& l, const Value& r);
    Res apply_arith(ast::BinaryOp op, const Value& l, const Value& r, Span span);
    Res apply_cast(const ast::Binary* b, const Value& v);
    bool type_matches(const Value& v, const ast::Expr* type_expr);
    std::string type_text(const ast::Expr* e) const;
    Res apply_try(const ast::Try* t, Res r);
    /// `base.name` as a value (a property, or a method bound to `base`).
    Res get_member(const Value& base, const std::string& name, Span span);
    Res implicit_member(const std::string& name, Span span);
    Res subscript_get(const Value& base, const std::vector<Value>& index, const ast::Subscript* s);
    Res make_closure(const ast::Closure* c, const EnvPtr& env);
    Res interpolate(const ast::StringLiteral* s, const std::vector<Value>& parts);

    // ---- calls (calls.cpp); mutating methods and inout write-back (write_back.cpp); the
    //      call-depth limit (call_depth.cpp); initialisers and methods of user types (construct.cpp) ----
    Res eval_call_sync(const ast::Call* c, const EnvPtr& env, const std::string& hint);
    Flow<Res> eval_call(const ast::Call* c, EnvPtr env, std::string hint);
    Flow<Res> prepare_call(const ast::Call* c, EnvPtr env, Site* site, struct PreparedCall* p);
    Res eval_args_sync(const ast::Call* c, const EnvPtr& env, Args& out);
    Flow<Res> eval_args(const ast::Call* c, EnvPtr env, Args& out);
    bool mutating_call(const ast::Call* c, const EnvPtr& env) const;
    /// When the call must write back (a `mutating` method of a struct or enum on a place, an
    /// `&x` argument), replaces `callee` by a per-call copy that records its Env, and returns
    /// the record; else null.
    std::shared_ptr<CallOut> prepare_write_back(const ast::Call* c, Value& callee, const Args& args);
    /// Writes the callee's final `inout` parameters and `self` back to their places.
    Res write_back(const ast::Call* c, CallOut& out, const EnvPtr& env);
    Res call_mutating(const ast::Call* c, const EnvPtr& env, Args& args);
    /// Calls a value on the synchronous path (a runtime error if the callee would suspend).
    Res call_sync(const Value& callee, Args& args, const Site& site);
    /// Calls a value on the coroutine path (synchronous callees complete at once).
    Flow<Res> call(Value callee, Args args, Site site);
    bool call_suspends(const Value& callee, const Args& args) const;
    Res prepare_function(const FuncObj& f, Args& args, const Site& site, EnvPtr& env);
    Res prepare_closure(const ClosureObj& c, Args& args, const Site& site, EnvPtr& env);
    Res enter_callee(const Value& callee, Args& args, const Site& site, TaskId me, EnvPtr& env, const ast::Block*& body,
                     bool& implicit_return);
    Res function_result(const ast::FuncDecl* d, Res r);
    Res closure_result(Res r);
    Res run_body_sync(const ast::Block& body, bool implicit_return, const EnvPtr& env);
    Flow<Res> run_body(const ast::Block& body, bool implicit_return, EnvPtr env);
    Flow<Res> run_body_expr(const ast::Stmt* s, EnvPtr env);
    Flow<Res> run_body_block(const ast::Block& body, EnvPtr env);
    Flow<Res> call_function(Value callee, Args args, Site site);
    /// A user struct/class instance: stored property defaults, then init or memberwise init.
    Res construct(const std::shared_ptr<TypeObj>& type, Args& args, const Site& site);
    Res method_of(const Value& receiver, const ast::TypeDecl* decl, const std::shared_ptr<TypeObj>& type,
                  const std::string& name, Span span, bool& found);
    Res run_handler_closure(const Value& closure, Span span);
    /// True for `static let` / `static var` / `class var` stored properties. The AST does not
    /// record the modifier on a VarDecl, so this reads it from the source line.
    bool is_static_property(const ast::VarDecl* d) const;

    // ---- protocols, extensions, accessors, deinit, @main (types.cpp) ----
    std::unordered_map<std::string, std::vector<const ast::TypeDecl*>> m_extensions;  ///< by the extended type's name
    std::unordered_map<std::string, const ast::TypeDecl*> m_protocols;                ///< protocol declarations by name
    std::shared_ptr<DeinitQueue> m_deinits = std::make_shared<DeinitQueue>();  ///< instances whose `deinit` is due
    bool m_running_deinits = false;
    int m_observers_off = 0;           ///< > 0 while an initialiser runs: its assignments call no observers
    std::vector<std::string> m_observing;  ///< properties whose observer runs now (their own writes call none)
    std::optional<int> m_exit_status;  ///< `exit(n)` ended the process
    std::unordered_map<std::string, std::string> m_aliases;  ///< `typealias` of a built-in type: its name
    /// A declared type with a `typealias` of a built-in type replaced (`Seconds?` → `Double?`).
    std::string alias_target(const std::string& type_text) const;

    /// A member found by name: its declaration and the Env its body runs in.
    struct MemberDecl {
        const ast::Stmt* decl = nullptr;
        EnvPtr env;
    };
    /// Fills m_extensions and m_protocols from the program's top level.
    void collect_declarations();
    /// The member `name` of the type `type_name` (declaration `decl`, null for a built-in type):
    /// its own members, then its extensions', then the protocol extensions of every protocol it
    /// conforms to (default implementations). Requirements and initialisers are skipped.
    MemberDecl find_member(const std::string& type_name, const ast::TypeDecl* decl, const EnvPtr& decl_env,
                           std::string_view name) const;
    /// Every protocol the type conforms to, inherited ones included (declaration and extensions).
    std::vector<std::string> conformances(const std::string& type_name, const ast::TypeDecl* decl) const;
    /// The name extensions of a built-in value's type are filed under ("Int", "String", "Array"…).
    static std::string extension_key(const Value& v);
    /// True when `v` (a built-in value) has `name` from an `extension` of its type.
    bool extension_member(const Value& v, const std::string& name) const;
    /// A property or method declared by an extension of a built-in value's type.
    bool builtin_extension_member(const Value& v, const std::string& name, Span span, Res& out);
    /// Computed and lazy properties of an instance or enum case, and extension members of a
    /// type used as a value: true when `name` is one (`out` is the result).
    bool accessor_member(const Value& base, const std::string& name, Span span, Res& out);
    /// A member a protocol of `type` requires but the type does not implement: true, and `out`
    /// is the runtime error that says so.
    bool missing_requirement(const TypeObj& type, const std::string& name, Span span, Res& out);
    /// Runs an accessor body with `self` (and `param` bound to `arg`); `self_out` receives the
    /// final `self` (a struct's setter or observer may change it).
    Res run_accessor(const ast::Block& body, bool implicit_return, const Value& self, const EnvPtr& env,
                     const std::string* param, const Value& arg, Value* self_out, Span span);
    /// An assignment whose target is a computed property (its setter runs) or a stored property
    /// with observers: true when it was handled, `out` is the result.
    bool assign_property(const ast::Expr* target, const Value& v, const EnvPtr& env, Span span, Res& out);
    /// True when an in-place mutation of `place` must go through its property's accessors.
    bool is_accessor_place(const ast::Expr* place, const EnvPtr& env);
    /// The storage of the static stored property `name` of the type value `type` (made at its
    /// first use), or null when it is none (`err` is set when making it failed).
    Value* static_slot(const Value& type, const std::string& name, Span span, Res& err);
    /// Runs the `deinit` of every class instance released so far.
    Res run_deinits(Span span);
    /// After top-level code: calls the `@main` type's `static func main()`, if there is one.
    Flow<Res> run_main_type();

    // ---- built-ins: dispatch (builtins_core.cpp) over each module's tables (builtin_table.hpp):
    //      builtins_concurrency.cpp, builtins_gcd.cpp, builtins_functions.cpp, builtins_strings.cpp,
    //      builtins_sequences.cpp, builtins_mutating.cpp; members (builtins_members.cpp) ----
    /// True for built-ins that park or block the calling task.
    bool builtin_suspends(const BuiltinObj& b, const Args& args) const;
    Res builtin_sync(const BuiltinObj& b, Args& args, const Site& site);
    Flow<Res> builtin_async(BuiltinObj b, Args args, Site site);
    Res common_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled);
    Flow<Res> common_builtin_async(BuiltinObj b, Args args, Site site);
    Res swift_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled);
    Res gcd_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled);
    // The suspending built-ins, one small coroutine each (builtins_concurrency.cpp, builtins_gcd.cpp).
    Flow<Res> task_sleep(Args args, Site site);
    Flow<Res> task_yield(Site site);
    Flow<Res> blocking_sleep(std::string name, Args args, Site site);
    Flow<Res> with_group(ScopeKind kind, std::string name, Args args, Site site);
    Flow<Res> with_cancellation_handler(Args args, Site site);
    Flow<Res> group_next_async(std::shared_ptr<GroupObj> g, Site site);
    Flow<Res> group_wait_all(std::shared_ptr<GroupObj> g, Site site);
    Flow<Res> group_contains(std::shared_ptr<GroupObj> g, Args args, Site site);
    Flow<Res> url_session_data(Args args, Site site);
    Flow<Res> dispatch_main_forever(Site site);
    Flow<Res> item_wait(gcd::ItemId item, Args args, Site site);
    /// group.wait() / semaphore.wait(), with or without (timeout:) / (wallTimeout:).
    Flow<Res> gcd_wait(Value waited, Args args, Site site);
    /// The timeout of a GCD wait in ticks from now: -1 without one (or `.distantFuture`);
    /// false (a diagnostic recorded) when the argument is not a deadline.
    bool wait_timeout(const Args& args, const Site& site, Tick& out);
    Flow<Res> item_perform(gcd::ItemId item, Site site);
    Flow<Res> queue_sync(Value queue, Args args, Site site);
    Res builtin_type_member(const std::string& type, const std::string& name, Span span);
    // ---- integers (builtins_integers.cpp) ----
    /// `l op r` for the integer operators (arithmetic, overflow, bitwise, shifts) with Swift's traps.
    Res apply_integer_op(ast::BinaryOp op, const Value& l, const Value& r, Span span);
    /// `T(x)`, `T(exactly:)`, `T(truncatingIfNeeded:)`, `T(clamping:)`, `T(bitPattern:)`, `T(text, radix:)`.
    Res convert_integer(IntType t, Args& args, const Site& site);
    /// `x.bitWidth`, `.leadingZeroBitCount`, `.trailingZeroBitCount`, `.nonzeroBitCount`, `.magnitude`, …
    Res integer_member(const Value& v, const std::string& name, bool& handled);
    Res swift_member(const Value& base, const std::string& name, Span span, bool& handled);
    Res gcd_member(const Value& base, const std::string& name, Span span, bool& handled);
    Res format_printf(const std::string& fmt, const std::vector<Value>& values, const Site& site);
    Res mutate(Value& target, const std::string& name, Args& args, const Site& site);
    /// mutate() before the grown object is charged to the run's memory.
    Res mutate_in_place(Value& target, const std::string& name, Args& args, const Site& site);
    Res unknown_member(const Value& base, const std::string& name, Span span);
    Res wrong_args(const Site& site, const std::string& what, const std::string& expected);
    Res group_next(const std::shared_ptr<GroupObj>& g, TaskId child, bool wrap);
    /// The simulated latency of one call (`// tasklab: latency API …`, default 1 s).
    Tick latency_for(const std::string& api);
    Value make_item_value(const Value& closure, const std::string& name, Span span);
    Res duration_arg(const Args& args, std::size_t index, Tick scale, Tick& out, const Site& site);

    // ---- bridges: continuations, Result, Mutex and NSLock (builtins_continuations.cpp);
    //      AsyncStream and AsyncThrowingStream (builtins_streams.cpp) ----
    std::shared_ptr<LeakLog> m_leaks = std::make_shared<LeakLog>();  ///< checked continuations gone unresumed
    std::string m_warnings;  ///< what the runtime printed on stderr as warnings (a leaked continuation)
    /// A name these built-ins own (`withCheckedContinuation`, `AsyncStream`, `Mutex`, `Result`…).
    Res bridge_global(const std::string& name, Span span, bool& handled);
    /// `AsyncStream.makeStream`, `Result.success`… on a built-in type.
    Res bridge_type_member(const std::string& type, const std::string& name, Span span, bool& handled);
    Res bridge_member(const Value& base, const std::string& name, Span span, bool& handled);
    /// True for the bridges' built-ins that park the calling task.
    bool bridge_suspends(const BuiltinObj& b, const Args& args) const;
    Res bridge_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled);
    /// The suspending ones (bridge_suspends(b) is true).
    Flow<Res> bridge_async(BuiltinObj b, Args args, Site site);
    /// Reports each checked continuation that went away unresumed: the runtime's warning on
    /// stderr and a `continuation_leaked` lint in the trace.
    void report_leaks();
    /// `#function` at `span`: the innermost function declaration around it (`fetch(id:)`), or
    /// "main" in top-level code.
    std::string function_name_at(Span span) const;
    Flow<Res> with_continuation(std::string name, Args args, Site site);
    /// ThrowingTaskGroup.nextResult(): the next child's value or error as a Result.
    Flow<Res> group_next_result(std::shared_ptr<GroupObj> g, Site site);
    Res resume_continuation(const std::shared_ptr<ContinuationObj>& c, const std::string& how, Args& args, const Site& site);
    Res result_value(bool success, Value payload, std::string type_text);
    Res mutex_builtin(const std::shared_ptr<MutexObj>& m, const std::string& name, Args& args, const Site& site);
    Flow<Res> lock_wait(std::shared_ptr<MutexObj> m, Site site);
    /// AsyncStream { … }, AsyncThrowingStream { … }, makeStream(of:): the stream, and in `build`
    /// the build closure still to run (nil when there is none or it ran already).
    Res make_stream(bool throwing, Args& args, const Site& site, bool pair, Value* build = nullptr);
    /// The stream initializer whose build closure may suspend (it starts a Task, say).
    Flow<Res> make_stream_async(bool throwing, Args args, Site site);
    Res stream_builtin(const std::shared_ptr<StreamObj>& s, const std::string& name, Args& args, const Site& site);
    Flow<Res> stream_next(std::shared_ptr<StreamObj> s, Site site);
    Flow<Res> exec_for_stream(const ast::ForIn* f, EnvPtr env, Value stream);
    /// finish() / finish(throwing:): terminal, the waiter woken, onTermination(.finished).
    void stream_finish(const std::shared_ptr<StreamObj>& s, bool with_error, Value error, Span span);
    /// The consumer's task was cancelled: onTermination(.cancelled), then finish.
    void stream_cancel(const std::shared_ptr<StreamObj>& s, Span span);
};

// ---- small shared helpers ----

/// The argument with this label, or null.
const ArgVal* find_arg(const Args& args, std::string_view label);
/// The trailing closure (or the last argument that is a closure value).
const ArgVal* closure_arg(const Args& args, std::string_view label);
bool is_callable(const Value& v);
/// A `break` that ends `loop` (unlabelled, or naming the loop's label).
bool breaks_out_of(const Res& r, const ast::Stmt* loop);
/// A `continue` that goes on with `loop` (unlabelled, or naming the loop's label).
bool continues(const Res& r, const ast::Stmt* loop);
/// `r` after the labelled statement `s` ended: a `break` naming its label ends it normally.
Res end_labelled(const ast::Stmt* s, Res r);
/// Strips `try`, `await` and parentheses around an expression.
const ast::Expr* strip_effects(const ast::Expr* e);

}  // namespace tasklab::interp
