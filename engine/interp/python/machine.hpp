// The Python interpreter's machinery (internal to engine/interp; the Controller uses
// interpreter.hpp).
//
// The program's top-level code runs in a scheduler task of its own ("<module>"); each asyncio
// Task is a scheduler task that steps a coroutine. Evaluation comes in two flavours sharing
// every rule, as in the Swift interpreter: a synchronous path for code that cannot suspend
// (in Python that is everything outside an `await`, `async for` or `async with`, plus every
// plain `def`), and a coroutine path (Flow<Res>) for the statements and expressions that
// contain one. resolve.cpp marks Expr/Stmt::may_suspend and works out each
// function's local names (CPython's scoping: a name assigned in a function is local to it
// unless declared `global` or `nonlocal`).
//
// Scenario exceptions are values (Res with Ctl::raise), never C++ exceptions; a runtime
// error tasklab reports (an unsupported construct, an int overflow) is Ctl::fatal with the
// Diagnostic kept in m_fatal.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "engine/cancel/asyncio.hpp"
#include "engine/run_types.hpp"
#include "engine/fiber.hpp"
#include "engine/inspection.hpp"
#include "engine/interp/flow.hpp"
#include "engine/interp/output.hpp"
#include "engine/interp/python/values.hpp"
#include "engine/scheduler.hpp"
#include "scenarios/ast.hpp"
#include "scenarios/diagnostics.hpp"

namespace tasklab::py {

/// The names a function (or lambda, or comprehension) binds, worked out before it runs.
struct ScopeNames {
    std::unordered_set<std::string> locals;
    std::unordered_set<std::string> globals;
    std::unordered_set<std::string> nonlocals;
    bool comprehension = false;  ///< a comprehension's scope: `:=` inside it binds in the scope around it
};

struct GeneratorObj;

/// One scope's variables: the module's globals, a function call's frame, a class body, a
/// comprehension. `parent` is the enclosing function scope (closures see it); the module
/// scope has none.
struct Env {
    EnvPtr parent;
    Attrs vars;
    MemoryCharge charge{MemoryKind::frame, k_frame_bytes};  ///< a scope counts toward the run's memory
    const ScopeNames* names = nullptr;  ///< null for the module and for class bodies
    bool is_module = false;
    bool is_class_body = false;
    const ast::FuncDecl* decl = nullptr;  ///< the function whose call made this frame (super())
    ClassPtr owner;                       ///< the class that function was defined in
    GeneratorObj* generator = nullptr;    ///< the generator whose body runs in this frame (its `yield`s)
};

/// One coroutine frame of a task's current chain of awaits, kept for the inspector
/// (Controller::inspect): pushed when a coroutine starts running, popped when it returns.
struct FrameRecord {
    const std::string* name = nullptr;  ///< the coroutine's __qualname__ (null: the module's code)
    EnvPtr env;                         ///< its frame
    Span call;                          ///< the `await` (or task start) that runs it
};

/// Evaluated call arguments.
struct Args {
    std::vector<Value> pos;
    std::vector<std::pair<std::string, Value>> kw;
    [[nodiscard]] const Value* kwarg(std::string_view name) const {
        for (const auto& [k, v] : kw)
            if (k == name) return &v;
        return nullptr;
    }
};

/// A native object's state: what kind of object it is.
enum class NKind : std::uint8_t {
    loop, task_group, timeout, event, queue, lock, semaphore, condition, barrier, runner, logger, stream, signal, super_,
    ws_serve, ws_server, ws_connect, ws_conn, ws_frame, handle, map_iter,
    generator,     ///< a generator or async generator (generators.hpp)
    seq_iter,      ///< what iter() returns for a list, tuple, str, … (generators.cpp)
    contextlib,    ///< an object of contextlib (contextlib.cpp)
};

struct NativeObj : Native {
    NKind nkind;
    explicit NativeObj(NKind k) : nkind(k) {}
};

class Machine final : public asyncio::Host {
public:
    Machine(std::shared_ptr<const ast::Program> program, Scheduler& sched, bool lints, std::uint64_t statement_budget);
    ~Machine() override;
    Machine(const Machine&) = delete;
    Machine& operator=(const Machine&) = delete;

    TaskId start();

    // ---- what the Controller reads ----
    std::shared_ptr<const ast::Program> m_program_ptr;
    const ast::Program& m_program;
    Scheduler& m_sched;
    asyncio::Model m_model;
    TaskId m_module_task = 0;
    bool m_module_done = false;
    std::optional<Diagnostic> m_fatal;
    bool m_uncaught = false;
    std::string m_uncaught_line;  ///< `ValueError: boom`, as the last traceback line
    Span m_uncaught_span;
    int m_exit_code = 0;
    std::string m_killed_by;      ///< a signal whose default action ended the process
    interp::ProgramOutput m_output;  ///< what the program printed (engine/interp/output.hpp)
    std::vector<Span> m_task_span;
    void flush_output();

    // ---- the inspector (inspect.cpp) ----
    std::vector<std::vector<FrameRecord>> m_frames;  ///< per task: its chain of coroutines, outermost first
    std::vector<Res> m_results;                      ///< per task: what its coroutine returned or raised
    void push_frame(TaskId task, FrameRecord frame);
    void pop_frame(TaskId task);
    /// Frees a finished task's (empty) frame chain.
    void release_frames(TaskId task) {
        if (task < m_frames.size()) std::vector<FrameRecord>().swap(m_frames[task]);
    }
    void store_result(TaskId task, const Res& r);
    /// Fills the frames, the cancelling() count and the result of `task` (Controller::inspect).
    void inspect(TaskId task, TaskInspection& out) const;

    // ---- asyncio::Host ----
    asyncio::ExcPtr cancelled_error(const std::optional<std::string>& message) override;
    asyncio::ExcPtr timeout_error(const asyncio::ExcPtr& cause, const asyncio::ExcPtr& context) override;
    asyncio::ExcPtr exception_group(std::vector<asyncio::ExcPtr> errors) override;
    asyncio::ExcPtr runtime_error(const std::string& message) override;
    asyncio::ExcPtr invalid_state_error(const std::string& message) override;
    asyncio::ExcPtr keyboard_interrupt() override;
    std::any make_list(std::vector<asyncio::Result> items) override;
    std::any make_wait_result(std::vector<asyncio::FutureId> done, std::vector<asyncio::FutureId> pending) override;
    void process_killed(const std::string& signal) override;
    void run_signal_handler(std::uint32_t handler) override;

    // ---- state ----
    EnvPtr m_globals;
    Attrs m_builtins;
    std::unordered_map<std::string, ClassPtr> m_classes;  ///< built-in classes by name
    std::unordered_map<const void*, ScopeNames> m_scopes; ///< by FuncDecl / Closure / Comprehension
    std::unordered_map<std::string, Value> m_modules;
    std::vector<std::vector<Value>> m_handling;           ///< per task: exceptions being handled (bare raise)
    std::vector<Value> m_future_objects;                  ///< FutureRef values by FutureId
    std::vector<std::pair<Value, Args>> m_signal_handlers;
    std::uint64_t m_task_counter = 0;                     ///< CPython's "Task-N" names
    std::uint64_t m_budget_step = ~0ull;
    std::uint64_t m_budget_used = 0;
    std::uint64_t m_statement_budget = 10'000'000;
    int m_depth = 0;                                      ///< nested plain calls (RecursionError); 0 between steps
    std::vector<int> m_coro_depth;                        ///< per task: nested coroutines it is running
    std::vector<const void*> m_repr_active;               ///< containers whose repr is being built ([...], RecursionError)
    std::uintptr_t m_stack_base = 0;                      ///< the C++ stack's address where tasks start
    std::uintptr_t m_stack_budget = 6u << 20;             ///< C++ stack that nested Python calls may use
    void note_stack_base();
    [[nodiscard]] bool too_deep() const;
    bool m_lints = true;
    /// `logging`'s configuration and loggers (logging.cpp).
    struct Logging {
        std::string format = "%(levelname)s:%(name)s:%(message)s";
        bool configured = false;
        bool to_stdout = false;
        int root_level = 30;
        std::map<std::string, int> levels;     ///< explicit levels (0: NOTSET)
        std::map<std::string, Value> loggers;  ///< getLogger(name) returns the same object
        std::uint64_t rng = 0;                 ///< `random`'s state
    };
    std::unique_ptr<Logging> m_logging;
    /// The simulated network of websockets_sim.cpp.
    struct Websockets {
        Tick connect_latency = 10 * k_millisecond;
        Tick send_latency = 5 * k_millisecond;
        std::int64_t connections = 0;
        std::map<std::int64_t, Value> listening;  ///< port -> server
    };
    std::unique_ptr<Websockets> m_ws;

    /// Every scope made so far, weakly: frames that hold closures that hold the frames form
    /// cycles, broken when the run is torn down.
    std::vector<std::weak_ptr<Env>> m_envs;
    std::size_t m_envs_compact_at = 1024;
    /// Objects that were still shared when a finished coroutine's locals were released (a list
    /// that holds itself, say): the teardown breaks their cycles too, as it does the scopes'.
    std::vector<std::weak_ptr<Obj>> m_released;
    std::size_t m_released_compact_at = 1024;
    /// Drops a finished frame's locals (CPython clears the frame), noting the shared ones.
    void release_locals(Env& env);

    // ---- helpers (eval.cpp) ----
    EnvPtr new_env();
    void at(Span s);
    Res fail(DiagnosticKind kind, Span span, std::string message, std::string help = {});
    void print_text(const std::string& text);
    std::string line_of(Span s) const;
    std::string source_text(Span s) const;
    bool count_statement(const ast::Stmt* s);
    /// Adds `units` of work (the elements a built-in makes or walks) to the step's statement
    /// budget; past it, reports `what` at `span` and fails.
    bool count_work(std::uint64_t units, Span span, const char* what);
    /// Past the run's memory limit (engine/memory_meter.hpp), reports what grew at `span` and
    /// fails; count_statement and count_work check it too.
    bool check_memory(Span span);
    /// Before making an object of `bytes` (`elements` of `kind`): fails at `span` when it would
    /// pass the run's memory limit.
    bool reserve_memory(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes, Span span);
    /// A for loop over a dict or set: its size when the loop started, and the RuntimeError
    /// CPython raises when the body changed it.
    [[nodiscard]] std::size_t container_size(const Value& v) const;
    Res check_size_unchanged(const Value& v, std::size_t size0);
    std::vector<Value>& handling();

    // ---- scopes and names (eval.cpp, resolve.cpp) ----
    void resolve();
    Res load_name(const std::string& name, const EnvPtr& env, Span span);
    void store_name(const std::string& name, Value v, const EnvPtr& env);
    Res delete_name(const std::string& name, const EnvPtr& env, Span span);
    Res assign_target(const ast::Expr* target, Value v, const EnvPtr& env);

    // ---- statements (statements.cpp, statements_async.cpp, try_with_async.cpp) ----
    Res exec_block(const ast::Block& block, const EnvPtr& env);
    Res exec(const ast::Stmt* s, const EnvPtr& env);
    Flow<Res> exec_block_a(const ast::Block* block, EnvPtr env);
    Flow<Res> exec_a(const ast::Stmt* s, EnvPtr env);
    Flow<Res> exec_expr_a(const ast::ExprStmt* s, EnvPtr env);
    Flow<Res> exec_assign_a(const ast::Assign* s, EnvPtr env);
    Flow<Res> exec_if_a(const ast::If* s, EnvPtr env);
    Flow<Res> exec_while_a(const ast::While* s, EnvPtr env);
    Flow<Res> exec_for_a(const ast::ForIn* s, EnvPtr env);
    Flow<Res> exec_async_for(const ast::ForIn* s, EnvPtr env, Value iterable);
    Flow<Res> exec_return_a(const ast::Return* s, EnvPtr env);
    Flow<Res> exec_raise_a(const ast::Throw* s, EnvPtr env);
    Flow<Res> exec_try_a(const ast::TryStmt* s, EnvPtr env);
    Flow<Res> exec_with_a(const ast::With* s, EnvPtr env, std::size_t item);
    Res exec_with(const ast::With* s, const EnvPtr& env, std::size_t item);
    Res exec_assign_value(const ast::Assign* a, Res rhs, const EnvPtr& env);
    Res exec_def(const ast::FuncDecl* f, const EnvPtr& env);
    Res exec_class(const ast::TypeDecl* t, const EnvPtr& env);
    Res exec_import(const ast::Import* imp, const EnvPtr& env);
    Res do_raise(const ast::Throw* s, Res value, Res cause);
    /// Picks the `except` clause for an exception; -1 when none matches.
    Res match_handler(const ast::Handler& h, const Value& exc, const EnvPtr& env, bool& matched);
    Res iterate(const Value& iterable, std::vector<Value>& out, Span span);
    bool loop_body_result(Res& r, bool& stop);

    // ---- expressions (expressions.cpp, expressions_async.cpp) ----
    Res eval(const ast::Expr* e, const EnvPtr& env);
    Flow<Res> eval_a(const ast::Expr* e, EnvPtr env);
    Flow<Res> ev(const ast::Expr* e, EnvPtr env);
    Flow<Res> eval_call_a(const ast::Call* c, EnvPtr env);
    Flow<Res> eval_await_a(const ast::Await* a, EnvPtr env);
    Flow<Res> eval_string_a(const ast::StringLiteral* s, EnvPtr env);
    Res eval_call(const ast::Call* c, const EnvPtr& env);
    Res eval_args(const ast::Call* c, const EnvPtr& env, Args& out);
    Res add_arg(const ast::Arg& a, Value v, Args& out);
    Res eval_string(const ast::StringLiteral* s, const EnvPtr& env);
    Res format_parts(const ast::StringLiteral* s, std::vector<Value>& values);
    Res eval_comprehension(const ast::Comprehension* c, const EnvPtr& env);
    /// A comprehension whose first iterable is already evaluated (`it`).
    Res eval_comprehension_over(const ast::Comprehension* c, const EnvPtr& env, const Res& it);

    // ---- asynchronous comprehensions (comprehensions.cpp) ----
    /// What a list, set or dict comprehension has built so far.
    struct ComprehensionOut {
        std::vector<Value> items;
        std::shared_ptr<Dict> dict;
        std::shared_ptr<Set> set;
    };
    /// The scope a comprehension's targets live in, below `env`.
    EnvPtr comprehension_env(const ast::Comprehension* c, const EnvPtr& env);
    /// An empty result of the comprehension's kind.
    static ComprehensionOut comprehension_out(const ast::Comprehension* c);
    /// One produced element (and key, for a dict comprehension) into `out`.
    Res comprehension_add(const ast::Comprehension* c, ComprehensionOut& out, Value key, Value v);
    /// The finished list, set or dict.
    static Res comprehension_result(const ast::Comprehension* c, ComprehensionOut& out);
    /// Whether the comprehension's own scope awaits (`await` in it, or an `async for` clause).
    [[nodiscard]] static bool comprehension_suspends(const ast::Comprehension* c);
    /// An asynchronous comprehension on the coroutine path; `first` is its first iterable.
    Flow<Res> eval_comprehension_a(const ast::Comprehension* c, EnvPtr env, Value first);
    /// Clause k (0: the first `for`, k: more[k-1]) and everything inside it.
    Flow<Res> comprehension_clause_a(const ast::Comprehension* c, EnvPtr inner, std::size_t k, Value iterable, ComprehensionOut* out);
    /// One item of clause k: bind the target, test the conditions, go on to the next clause.
    Flow<Res> comprehension_item_a(const ast::Comprehension* c, EnvPtr inner, std::size_t k, Value item, ComprehensionOut* out);
    /// `async for` in a comprehension: the iterator to pull from (__aiter__, or the async generator itself).
    Res async_iter_begin(const Value& iterable, Span span);
    /// The next item of an async iterator; StopAsyncIteration is raised at the end.
    Flow<Res> async_iter_next(Value it, Span span);
    Res eval_binary(const ast::Binary* b, const Value& l, const Value& r);
    Res eval_subscript(const Value& base, const Value& index, Span span);
    Res slice(const Value& base, const ast::RangeExpr* r, const EnvPtr& env);
    Res make_function(const ast::FuncDecl* f, const ast::Closure* lambda, const EnvPtr& env);

    // ---- newer syntax (syntax.cpp) ----
    /// One element of a list, tuple or set display into `out`: `*x` (a Starred) adds every item of `v`.
    Res add_item(const ast::Expr* element, Value v, std::vector<Value>& out);
    /// Assigns `v` to a tuple target that holds one `*rest` (a Starred).
    Res assign_starred(const std::vector<const ast::Expr*>& targets, std::vector<Value> xs, const EnvPtr& env);
    /// Adds `v` to a set unless an equal member is there; TypeError for unhashable values.
    Res set_insert(Set& s, Value v);
    Res eval_set(const ast::SetLiteral* e, const EnvPtr& env);
    /// What a program stored on a built-in object (a Task, the loop, a lock, …).
    Attrs& set_attrs(const Value& obj);
    /// `obj.name = v` on a built-in object: kept and read back, as CPython's objects keep it.
    Res set_native_attr(const Value& obj, const std::string& name, Value v, Span span);
    /// Attributes built-in objects have before a program sets them (`loop.slow_callback_duration`).
    Res native_attr_default(const Value& obj, const std::string& name, bool& handled);
    /// `sys.exc_info()`: (type, value, traceback) of the exception being handled, the
    /// traceback None as `__traceback__` is; `sys.exception()`: the value alone.
    Res sys_exc_info(bool value_only);
    /// A bytes literal `b"…"`.
    Res eval_bytes(const ast::StringLiteral* s);

    // ---- bytes (bytes.cpp) ----
    Res bytes_attr(const Value& obj, const std::string& name);
    Res bytes_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res bytes_arith(ast::BinaryOp op, const Value& l, const Value& r, Span span);
    Res bytes_contains(const Bytes& b, const Value& item, bool& out);
    Res bytes_convert(Args& args, Span span);
    /// str.encode(encoding="utf-8", errors="strict").
    Res str_encode(const std::string& s, Args& args, Span span);
    Res encode_text(const std::string& s, const Value* encoding, Span span);
    Flow<Res> eval_set_a(const ast::SetLiteral* e, EnvPtr env);
    void store_named(const ast::NamedExpr* e, const Value& v, const EnvPtr& env);
    Res eval_named(const ast::NamedExpr* e, const EnvPtr& env);
    Flow<Res> eval_named_a(const ast::NamedExpr* e, EnvPtr env);
    Res eval_compare_chain(const ast::CompareChain* c, const EnvPtr& env);
    Flow<Res> eval_compare_chain_a(const ast::CompareChain* c, EnvPtr env);
    /// `a = b = v`: `v` to the first target, then to each of `more_targets`.
    Res assign_all(const ast::Assign* a, Value v, const EnvPtr& env);
    /// Binds a call's arguments to a function's parameters (`/`, `*`, `*args`, `**kwargs`).
    Res bind_params(const Function& f, Args& args, const Value* self, const EnvPtr& frame);

    // ---- objects (objects.cpp) ----
    ClassPtr cls(const std::string& name);
    ClassPtr type_of(const Value& v);
    std::string type_name(const Value& v);
    Value new_exception(const ClassPtr& c, std::vector<Value> args);
    Res raise_error(const std::string& cls_name, std::string message);
    Res raise_error_value(const std::string& cls_name, Value arg);
    bool isinstance(const Value& v, const Class* c);
    Res isinstance_check(const Value& v, const Value& classinfo, bool& out, Span span);
    void make_builtin_classes();
    asyncio::ExcPtr to_exc(const Value& v);
    Value from_exc(const asyncio::ExcPtr& e);
    Res from_result(asyncio::Result r);
    asyncio::Result to_result(const Res& r);
    std::string exception_line(const Value& exc);
    // ---- attributes (attributes.cpp) ----
    Res get_attr(const Value& obj, const std::string& name, Span span);
    Res set_attr(const Value& obj, const std::string& name, Value v, Span span);
    // ---- values as text (text.cpp) ----
    Res truthy(const Value& v, bool& out);
    Res py_str(const Value& v);
    Res py_repr(const Value& v);
    std::string str_of(const Value& v);
    std::string repr_of(const Value& v);
    /// py_repr once the [...] / depth guard has passed.
    Res py_repr_container(const Value& v);
    /// Containers nested deeper than this (less the calls running) raise RecursionError in
    /// repr and ==, near CPython's default recursion limit.
    static constexpr int k_repr_depth_limit = 997;
    Res format_value(const Value& v, const std::string& spec, Span span);
    // ---- operators (operators.cpp) ----
    Res compare(ast::BinaryOp op, const Value& l, const Value& r, Span span);
    Res contains(const Value& container, const Value& item, bool& out, Span span);
    Res arith(ast::BinaryOp op, const Value& l, const Value& r, Span span);

    // ---- calls (calls.cpp) ----
    Res call(const Value& callee, Args& args, Span span);
    Res call_function(const std::shared_ptr<Function>& f, Args& args, const Value* self, Span span);
    Res bind_args(const Function& f, Args& args, const Value* self, const EnvPtr& frame, Span span);
    Res construct(const ClassPtr& c, Args& args, Span span);
    Res super_attr(const Value& obj, const std::string& name, Span span);
    Res call_method(const Value& obj, const std::string& name, Args& args, Span span);
    /// A coroutine's lane label: the callee as written and the argument values, clipped.
    std::string call_label(std::string_view written, const std::string& name, const Args& args);
    Flow<Res> await_value(Value v, Span span);
    Flow<Res> run_coroutine(Value coro, Span span);
    Value make_native_coroutine(std::string name, std::function<Flow<Res>()> body);
    Co<void> module_body();
    Co<void> task_body(Value coro);
    Co<void> callback_body(Value fn, Args args, std::string what);
    /// Spawns a user callback (signal handler, call_soon) as a TaskKind::callback task.
    TaskId spawn_callback(Value fn, Args args, std::string name, Tick delay = -1);

    // ---- built-ins: dispatch, modules, print, sort (builtins.cpp); each module keeps a table
    //      of name → handler (builtin_table.hpp) in builtin_functions.cpp, builtin_types.cpp
    //      (convert), str_methods.cpp, container_methods.cpp, logging.cpp and stdlib.cpp ----
    Res call_builtin(const Builtin& b, Args& args, Span span);
    Value builtin(const std::string& name, Value self = {});
    Res builtin_function(const std::string& name, Args& args, Span span, bool& handled);
    Res str_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res list_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res dict_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res set_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res exception_method(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res logging_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res module_attr(const Module& m, const std::string& name, Span span);
    Res convert(const std::string& type, Args& args, Span span);
    Res print_call(Args& args, Span span);
    Res sort_values(std::vector<Value>& xs, const Value* key, bool reverse, Span span);
    /// The attributes of native objects (asyncio_attrs.cpp).
    Res native_attr(const Value& obj, const std::string& name, Span span, bool& handled);

    // ---- asyncio (asyncio.cpp; its tables: asyncio_functions.cpp, asyncio_methods.cpp) ----
    Value future_value(asyncio::FutureId id);
    Res asyncio_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res ensure_future(const Value& v, asyncio::FutureId& out, Span span, const std::string& label = {});
    Res create_task(const Value& coro, const Value* name, Span span, asyncio::FutureId& out, TaskKind kind = TaskKind::unstructured,
                    asyncio::GroupId group = 0);
    Flow<Res> asyncio_run(Value coro, Span span);
    Flow<Res> native_aenter(Value obj, Span span);
    Flow<Res> native_aexit(Value obj, Value exc, Span span);
    bool is_native_context(const Value& v) const;
    Flow<Res> sleep_co(Tick d, Value result);
    Flow<Res> wait_for_co(Value aw, Tick timeout, Span span);
    Flow<Res> wait_co(std::vector<Value> fs, Tick timeout, asyncio::ReturnWhen when, Span span);
    Flow<Res> event_wait_co(Value event);
    Flow<Res> queue_get_co(Value queue);
    Flow<Res> queue_put_co(Value queue, Value item);
    Flow<Res> queue_join_co(Value queue);
    /// queues.py _put and _get for the queue's order (a PriorityQueue compares items with `<`).
    Res queue_add(const Value& queue, const Value& item);
    Res queue_take(const Value& queue);
    Res heap_less(const Value& a, const Value& b, bool& out);
    Res heap_sift_down(std::deque<Value>& heap, std::size_t start, std::size_t pos);
    Res heap_sift_up(std::deque<Value>& heap, std::size_t pos);
    Flow<Res> lock_acquire_co(Value lock);
    Flow<Res> semaphore_acquire_co(Value sem);
    [[nodiscard]] bool lock_is_locked(const Value& lock) const;
    Res lock_release(const Value& lock);

    // ---- asyncio.Condition and asyncio.Barrier (asyncio_sync.cpp) ----
    Value make_condition(Value lock);
    Res sync_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res sync_attr(const Value& obj, const std::string& name, bool& handled);
    Flow<Res> sync_aenter(Value obj);
    Res sync_aexit(const Value& obj);
    Flow<Res> condition_wait_co(Value cond);
    Flow<Res> condition_wait_for_co(Value cond, Value predicate, Span span);
    Res condition_notify(const Value& cond, std::int64_t n);
    Flow<Res> barrier_wait_co(Value barrier);
    Flow<Res> barrier_wait_locked(Value barrier);
    Flow<Res> barrier_reset_co(Value barrier, bool abort);

    // ---- asyncio.Runner (asyncio_runner.cpp) ----
    [[nodiscard]] bool is_runner(const Value& v) const;
    Res runner_lazy_init(const Value& runner);
    Res runner_attr(const Value& obj, const std::string& name);
    Res runner_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Flow<Res> runner_run_co(Value runner, Value coro, Span span);
    /// Runner.close() at the end of `with asyncio.Runner()`: cancels what is left and waits.
    Flow<Res> runner_close_co(Value runner);
    /// Runner.close() where the code cannot wait: only when no task is left to wait for.
    Res runner_close_now(const Value& runner, Span span);
    Flow<Res> as_completed_one_co(Value queue);
    Flow<Res> await_future_co(asyncio::FutureId id);
    /// A cancel message for the model: a str as itself, any other object as a token (None: none).
    std::optional<std::string> cancel_message(const Value& msg);
    /// The object a cancel message stands for (the inverse of cancel_message).
    Value cancel_message_value(const std::string& message);
    std::vector<Value> m_cancel_messages;  ///< the cancel messages that are not strings
    /// repr() of an asyncio.Timeout: `<Timeout [active] when=2.75>`, `<Timeout [expired]>`, …
    std::string timeout_repr(const Value& timeout);
    Value loop_object();
    Value m_loop_object;
    Value m_policy_loop;  ///< the loop get_event_loop() gives outside a running loop (set_event_loop)
    /// asyncio.new_event_loop(): a loop the program runs with run_until_complete and closes.
    Value new_event_loop();
    [[nodiscard]] bool loop_is_running(const Value& loop) const;
    [[nodiscard]] bool loop_is_closed(const Value& loop) const;
    Res loop_close(const Value& loop);
    Flow<Res> loop_run_until_complete_co(Value loop, Value coro, Span span);
    std::uint32_t m_loop_generation = 0;
    std::string lane_for(const Value& coro, const std::string& hint);
    Tick seconds_arg(const Value& v, bool& ok);

    // ---- generators (generators.cpp; methods and iteration built-ins: generator_methods.cpp) ----
    std::uint64_t m_generator_serial = 0;                  ///< the made-up addresses in generator reprs
    /// Generators dropped while suspended, closed at the next statement (CPython closes them
    /// when the last reference goes; doing it between statements keeps Python code out of C++
    /// destructors). Async ones are aclosed in a new task.
    std::vector<std::shared_ptr<GeneratorObj>> m_pending_close;
    /// Async generators first iterated while the loop runs (asyncio's firstiter hook), for
    /// loop.shutdown_asyncgens() at the end of asyncio.run.
    std::vector<std::weak_ptr<GeneratorObj>> m_loop_asyncgens;
    [[nodiscard]] bool has_open_asyncgens() const;
    Flow<Res> shutdown_asyncgens_co();
    bool m_closing_generators = false;
    bool m_tearing_down = false;
    std::shared_ptr<int> m_life = std::make_shared<int>(0);  ///< expires with the machine (generators check it)
    void close_dropped_generators();
    Res make_generator(const std::shared_ptr<Function>& f, const EnvPtr& frame);
    [[nodiscard]] static bool is_generator(const Value& v);
    [[nodiscard]] static bool is_async_generator(const Value& v);
    /// Runs a (sync) generator to its next `yield` with `in` (a value sent, or an exception
    /// thrown in): Ctl::normal with the value yielded, Ctl::return_ with the value returned,
    /// or the exception (fatal) it ended with.
    Res gen_resume(GeneratorObj& g, Res in, Span span);
    /// send(v) / throw(e) of a sync generator as Python sees it (StopIteration at the end).
    Res generator_send(const Value& g, Res in, Span span);
    /// The same for an async generator: it may park the consumer's task on the way.
    Flow<Res> agen_resume(Value g, Res in, Span span);
    /// `next(it)` on a generator or an iterator: the item, with `done` set when it is exhausted.
    Res next_item(const Value& it, bool& done, Span span);
    /// Whether `v` is pulled one item at a time by a `for` loop (a generator or an iterator).
    [[nodiscard]] bool is_lazy_iterator(const Value& v) const;
    /// What a `for` loop walks: an object with `__iter__` is replaced by what it returns;
    /// `lazy` tells whether to pull one item at a time (a generator, an iterator).
    Res for_source(Value& v, bool& lazy, Span span);
    Res generator_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res generator_attr(const Value& obj, const std::string& name, Span span, bool& handled);
    Flow<Res> eval_yield_a(const ast::Yield* y, EnvPtr env);
    Flow<Res> agen_method_co(Value g, std::string method, Value arg, Span span);
    Flow<Res> exec_for_lazy_a(const ast::ForIn* f, EnvPtr env, Value it);
    Res exec_for_lazy(const ast::ForIn* f, const EnvPtr& env, const Value& it);
    Flow<Res> exec_async_for_agen(const ast::ForIn* f, EnvPtr env, Value g);

    // ---- contextlib (contextlib.cpp) ----
    Res contextlib_attr(const Module& m, const std::string& name, Span span, bool& handled);
    Res contextlib_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res contextlib_native_attr(const Value& obj, const std::string& name, Span span, bool& handled);
    Flow<Res> contextlib_aenter_co(Value obj, Span span);
    Flow<Res> contextlib_aexit_co(Value obj, Value exc, Span span);
    Flow<Res> exit_stack_unwind_co(Value obj, Value exc, Span span);

    // ---- worker threads (threads.cpp) ----
    /// One call submitted to the default executor (asyncio.to_thread, loop.run_in_executor):
    /// a scheduler task of kind `thread` that runs `fn(*args)` on a fiber of its own.
    struct WorkItem {
        TaskId task = 0;
        asyncio::FutureId future = 0;  ///< the asyncio future the caller awaits
        Value fn;
        Args args;
        Span span;
        std::unique_ptr<Fiber> fiber;
        Res result;
        Tick sleep = 0;           ///< the time.sleep the body paused in
        bool unwinding = false;   ///< the run is being torn down: time.sleep returns at once, fatally
        int depth = 0;            ///< m_depth inside the worker while it is paused
        std::vector<const void*> repr_active;
    };
    /// The default executor: a ThreadPoolExecutor of k_default_workers threads.
    struct Executor {
        std::vector<std::unique_ptr<WorkItem>> items;
        std::size_t busy = 0;             ///< items holding a worker thread
        std::vector<std::size_t> queued;  ///< items waiting for a free thread, first come first
        std::size_t queued_head = 0;
        WorkItem* running = nullptr;      ///< the item whose fiber runs now
    };
    /// CPython's default is min(32, cpus + 4); tasklab fixes the smallest value it can take.
    static constexpr std::size_t k_default_workers = 5;
    std::unique_ptr<Executor> m_executor;
    /// asyncio.to_thread and loop.run_in_executor.
    Res threads_call(const std::string& name, Args& args, Span span);
    /// Submits fn(*args) to the default executor; `out` is the asyncio future that gets its result.
    Res submit_work(Value fn, Args args, Span span, asyncio::FutureId& out);
    Flow<Res> to_thread_co(Value fn, Args args, Span span);
    Co<void> work_body(std::size_t index);
    /// True while a worker thread's function runs (its time.sleep parks only the worker).
    [[nodiscard]] bool in_worker_thread() const { return m_executor && m_executor->running != nullptr; }
    /// time.sleep(d) in a worker thread: the worker's task is blocked for `d`, the loop goes on.
    Res worker_sleep(Tick d);
    /// Finishes the body of every paused worker (teardown), so nothing on a fiber's stack leaks.
    void unwind_threads();
    bool executor_busy() override;

    // ---- websockets (websockets_api.cpp; the simulation: websockets_sim.cpp) ----
    void ws_setup();
    Res ws_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled);
    Res ws_attr(const Value& obj, const std::string& name, Span span, bool& handled);
    Flow<Res> ws_aenter(Value obj, Span span);
    Flow<Res> ws_aexit(Value obj, Value exc, Span span);
    Flow<Res> ws_async_for(const ast::ForIn* f, EnvPtr env, Value conn);
};

/// The value a `Res` carries converted for the asyncio model's std::any.
Value any_value(const std::any& a);

}  // namespace tasklab::py
