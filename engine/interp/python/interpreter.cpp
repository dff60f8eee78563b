// The Python interpreter's public face and the machine's setup: built-in names, modules,
// the module scope, and the module task.
#include "engine/interp/python/interpreter.hpp"

#include <algorithm>
#include <atomic>
#include <unordered_set>
#include <vector>

#include "engine/big_stack.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

// =========================================================================================
// Interpreter
// =========================================================================================

namespace {

/// Python interpreters built so far (Interpreter::constructed).
std::atomic<std::uint64_t> s_constructed{0};

}  // namespace

Interpreter::Interpreter(std::shared_ptr<const ast::Program> program, Scheduler& sched, const RunOptions& options)
    : m(std::make_unique<Machine>(std::move(program), sched, options.lints, options.max_statements_per_step)) {
    // Off the big stack (engine/big_stack.hpp), nested Python calls may use the host's C++
    // stack up to 1.5 MB short of its limit (6 MB of 8 MB), at most 64 MB; the host says how
    // big it is (RunOptions::native_stack_size). Machine::start sets the budget on the big stack.
    if (options.native_stack_size > (2u << 20))
        m->m_stack_budget = std::min<std::uintptr_t>(static_cast<std::uintptr_t>(options.native_stack_size) - (3u << 19), 64u << 20);
    s_constructed.fetch_add(1, std::memory_order_relaxed);
}
Interpreter::~Interpreter() = default;
std::uint64_t Interpreter::constructed() { return s_constructed.load(std::memory_order_relaxed); }
TaskId Interpreter::start() { return m->start(); }
TaskId Interpreter::main_task() const { return m->m_module_task; }
bool Interpreter::module_finished() const { return m->m_module_done; }
const std::optional<Diagnostic>& Interpreter::runtime_error() const { return m->m_fatal; }
bool Interpreter::uncaught_error() const { return m->m_uncaught; }
const std::string& Interpreter::uncaught_line() const { return m->m_uncaught_line; }
Span Interpreter::uncaught_span() const { return m->m_uncaught_span; }
int Interpreter::exit_code() const { return m->m_exit_code; }
const std::string& Interpreter::killed_by() const { return m->m_killed_by; }
Span Interpreter::last_span(TaskId task) const { return task < m->m_task_span.size() ? m->m_task_span[task] : Span{}; }
const std::vector<OutputLine>& Interpreter::output() const { return m->m_output.lines; }
void Interpreter::flush_output() { m->flush_output(); }

// =========================================================================================
// Machine setup
// =========================================================================================

Machine::Machine(std::shared_ptr<const ast::Program> program, Scheduler& sched, bool lints, std::uint64_t statement_budget)
    : m_program_ptr(std::move(program)), m_program(*m_program_ptr), m_sched(sched), m_model(sched, *this) {
    m_lints = lints;
    m_model.set_lints(lints);
    m_statement_budget = statement_budget;
    m_logging = std::make_unique<Logging>();
    m_logging->rng = m_program.seed;
    make_builtin_classes();
    for (const char* n : {"print", "len", "repr", "ascii", "format", "isinstance", "issubclass", "sorted", "reversed", "enumerate", "zip",
                          "min", "max", "sum", "abs", "round", "any", "all", "map", "filter", "hasattr", "getattr", "setattr", "callable",
                          "id", "divmod", "chr", "ord", "hash", "staticmethod", "classmethod", "property", "iter", "next", "input", "open",
                          "exec", "eval", "globals", "locals", "vars", "aiter", "anext", "super"})
        m_builtins.set(n, builtin(n));
    m_builtins.set("Ellipsis", Value::none());
    m_builtins.set("NotImplemented", Value::none());
    for (const char* name : {"asyncio", "websockets", "websockets.exceptions", "logging", "time", "sys", "signal", "random", "functools",
                             "typing", "collections.abc", "dataclasses", "contextlib"}) {
        auto mod = std::make_shared<Module>();
        mod->name = name;
        m_modules[name] = Value::of(std::move(mod));
    }
    // typing: annotations only; every name is a placeholder class.
    for (const char* n : {"Optional", "List", "Dict", "Set", "Tuple", "Any", "Callable", "Awaitable", "Coroutine", "Union", "Iterable",
                          "Sequence", "Mapping", "Type", "NoReturn", "Final", "ClassVar", "AsyncIterator", "Iterator"}) {
        as<Module>(m_modules.at("typing")).attrs.set(n, Value::of(cls("object")));
        as<Module>(m_modules.at("collections.abc")).attrs.set(n, Value::of(cls("object")));
    }
    m_globals = std::make_shared<Env>();
    m_globals->is_module = true;
    m_globals->vars.set("__name__", make_str("__main__"));
    m_globals->vars.set("__file__", make_str(m_program.file ? m_program.file->name() : "scenario.py"));
    m_globals->vars.set("__doc__", Value::none());
    resolve();
    ws_setup();
}

namespace {

/// Empties every list, tuple, dict, set and instance reachable from `roots`, without
/// recursion. Python frees a list that holds itself (`a.append(a)`) or an object whose
/// attribute is the object with its cycle collector; shared ownership never frees such a
/// cycle, so the machine empties what the program could still reach when it is torn down.
void break_value_cycles(std::vector<Value> work) {
    std::unordered_set<const Obj*> seen;  // membership only: no order is read from it
    auto visit = [&](std::vector<Value>& items) {
        for (Value& v : items) work.push_back(std::move(v));
        items.clear();
    };
    while (!work.empty()) {
        const Value v = std::move(work.back());
        work.pop_back();
        if (v.kind != VKind::object || !v.obj) continue;
        Obj* o = v.obj.get();
        if (seen.count(o) != 0) continue;
        switch (o->okind) {
            case OKind::list: visit(static_cast<List*>(o)->items); break;
            case OKind::tuple: visit(static_cast<Tuple*>(o)->items); break;
            case OKind::set: visit(static_cast<Set*>(o)->items); break;
            case OKind::dict: {
                auto& entries = static_cast<Dict*>(o)->entries;
                for (auto& [k, x] : entries) {
                    work.push_back(std::move(k));
                    work.push_back(std::move(x));
                }
                entries.clear();
                break;
            }
            case OKind::instance: {
                auto& attrs = static_cast<Instance*>(o)->attrs.items;
                for (auto& [name, x] : attrs) work.push_back(std::move(x));
                attrs.clear();
                break;
            }
            default: continue;
        }
        seen.insert(o);
    }
}

}  // namespace

void Machine::release_locals(Env& env) {
    for (auto& [name, v] : env.vars.items)
        if (v.kind == VKind::object && v.obj.use_count() > 1) m_released.push_back(v.obj);
    env.vars.items.clear();
    if (m_released.size() >= m_released_compact_at) {
        std::erase_if(m_released, [](const std::weak_ptr<Obj>& w) { return w.expired(); });
        m_released_compact_at = std::max<std::size_t>(1024, m_released.size() * 2);
    }
}

Machine::~Machine() {
    unwind_threads();  // workers paused in time.sleep finish their call chains first
    m_tearing_down = true;  // dropped generators are not closed any more
    m_life.reset();
    m_pending_close.clear();
    // Values that hold themselves: empty what the program's scopes reach (see above).
    {
        std::vector<Value> roots;
        if (m_globals)
            for (const auto& [name, v] : m_globals->vars.items) roots.push_back(v);
        for (auto& w : m_envs)
            if (auto e = w.lock())
                for (const auto& [name, v] : e->vars.items) roots.push_back(v);
        for (auto& w : m_released)
            if (auto o = w.lock()) roots.push_back(Value::of(std::move(o)));
        break_value_cycles(std::move(roots));
    }
    // Frames hold closures that hold frames: clear the scopes to break the cycles.
    m_frames.clear();
    m_results.clear();
    m_future_objects.clear();
    m_signal_handlers.clear();
    m_handling.clear();
    m_loop_object = Value::none();
    if (m_globals) m_globals->vars.items.clear();
    for (auto& w : m_envs)
        if (auto e = w.lock()) {
            e->vars.items.clear();
            e->parent.reset();
        }
    m_envs.clear();
}

TaskId Machine::start() {
    // On the Controller's big stack (engine/big_stack.hpp) the budget is fixed: the depth
    // never depends on `ulimit -s`. Off it, the budget the host's stack allows stays
    // (Interpreter's constructor; 6 MB when the host does not say).
    const StackRange big = current_big_stack();
    if (big.low != 0) m_stack_budget = (big.high - big.low) - std::min<std::uintptr_t>(std::uintptr_t{64} << 20, (big.high - big.low) / 2);
    // Signals first: a signal timer precedes the timers armed later for the same instant.
    for (const auto& s : m_program.signals) m_model.schedule_signal(s.signal, s.at);
    TaskInfo info;
    info.kind = TaskKind::main;
    info.name = "<module>";
    m_module_task = m_sched.spawn(std::move(info), module_body());
    return m_module_task;
}

}  // namespace tasklab::py
