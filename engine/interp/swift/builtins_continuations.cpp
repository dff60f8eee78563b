// Continuations (withCheckedContinuation, withCheckedThrowingContinuation and the Unsafe
// variants), Result, Mutex (Synchronization) and NSLock, and the names these built-ins add to
// the language. AsyncStream lives in builtins_streams.cpp.
//
// A continuation suspends its task until someone resumes it: a GCD block, another task, a
// callback. Its rules are the runtime's (docs/semantics.md, "Continuations"):
//   * the body runs at once, on the calling task; a resume inside the body means the task
//     goes on without waiting;
//   * otherwise the task parks (a wait no cancel interrupts: cancellation never resumes a
//     continuation) until resume(returning:) / resume(throwing:) / resume(with:) / resume();
//   * a second resume of a checked continuation is the runtime's trap; of an unsafe one,
//     undefined behaviour, which tasklab stops at too;
//   * a checked continuation that goes away unresumed prints the runtime's warning on stderr
//     (its task stays suspended forever: when nothing else can run, the run ends as a deadlock).
#include <algorithm>

#include "engine/interp/swift/bridges.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/builtin_table.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

bool is_continuation_function(const std::string& n) {
    return n == "withCheckedContinuation" || n == "withCheckedThrowingContinuation" || n == "withUnsafeContinuation" ||
           n == "withUnsafeThrowingContinuation";
}

bool is_bridge_type(const std::string& n) {
    return n == "AsyncStream" || n == "AsyncThrowingStream" || n == "Mutex" || n == "NSLock" || n == "Result" ||
           n == "CheckedContinuation" || n == "UnsafeContinuation";
}

/// Swift's `#function` text of a declaration: `fetch(id:)`, `load()`, `init(name:)`.
std::string function_text(const FuncDecl* f) {
    std::string out = f->name + "(";
    for (const Param& p : f->params) out += (p.label.empty() ? p.name : p.label) + ":";
    return out + ")";
}

/// The innermost function declaration whose span holds `span`, searching `block` and the
/// bodies and members below it.
const FuncDecl* enclosing_function(const Block& block, Span span) {
    for (const Stmt* s : block) {
        if (!s || s->span.begin > span.begin || s->span.end < span.end) continue;
        if (s->kind == StmtKind::func_decl) {
            const auto* f = static_cast<const FuncDecl*>(s);
            const FuncDecl* inner = enclosing_function(f->body, span);
            return inner ? inner : f;
        }
        if (s->kind == StmtKind::type_decl) return enclosing_function(static_cast<const TypeDecl*>(s)->members, span);
    }
    return nullptr;
}

const ArgVal* first_positional(const Args& args) {
    for (const auto& a : args)
        if (a.label.empty() && !a.trailing) return &a;
    return nullptr;
}

/// A type written as Swift qualifies it in a Result's debug form: `Swift.Int`, `main.Point`.
std::string qualified_type(const std::string& t) {
    static const char* const stdlib[] = {"Int", "String", "Double", "Bool", "Float", "Character", "UInt64",
                                         "Int64", "UInt", "Int32", "UInt32", "Error", "Never"};
    if (t.empty()) return t;
    if (t == "Void" || t == "()") return "()";
    if (t.front() == '[' && t.back() == ']') return "Swift.Array<" + qualified_type(t.substr(1, t.size() - 2)) + ">";
    if (t.back() == '?') return "Swift.Optional<" + qualified_type(t.substr(0, t.size() - 1)) + ">";
    for (const char* s : stdlib)
        if (t == s) return std::string("Swift.") + s;
    if (t == "any Error") return "Swift.Error";
    return "main." + t;
}

}  // namespace

// ---- names, members, dispatch ----

Res Machine::bridge_global(const std::string& name, Span span, bool& handled) {
    (void)span;
    handled = true;
    if (is_continuation_function(name)) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    }
    if (is_bridge_type(name)) {
        auto it = m_builtin_types.find(name);
        if (it != m_builtin_types.end()) return Res::of(it->second);
        auto t = std::make_shared<TypeObj>();
        t->name = name;
        Value v = Value::with_ref(Kind::type, std::move(t));
        m_builtin_types.emplace(name, v);
        return Res::of(v);
    }
    handled = false;
    return Res::of();
}

Res Machine::bridge_type_member(const std::string& type, const std::string& name, Span span, bool& handled) {
    (void)span;
    handled = true;
    auto bound = [&](std::string full) {
        auto b = std::make_shared<BuiltinObj>();
        b->name = std::move(full);
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    };
    if ((type == "AsyncStream" || type == "AsyncThrowingStream") && name == "makeStream") return bound(type + ".makeStream");
    if (type == "Result" && (name == "success" || name == "failure")) return bound("." + name);
    handled = false;
    return Res::of();
}

Res Machine::bridge_member(const Value& base, const std::string& name, Span span, bool& handled) {
    (void)span;
    handled = true;
    auto method = [&] {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        b->receiver = base;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    };
    switch (base.kind) {
    case Kind::continuation:
        if (name == "resume") return method();
        break;
    case Kind::stream:
        if (name == "makeAsyncIterator" || name == "next") return method();
        break;
    case Kind::stream_continuation: {
        const auto& s = static_cast<const StreamObj&>(*base.ref);
        if (name == "yield" || name == "finish") return method();
        if (name == "onTermination") return Res::of(s.on_termination);
        break;
    }
    case Kind::mutex:
        if (name == "withLock" || name == "lock" || name == "unlock" || name == "try" || name == "withLockIfAvailable")
            return method();
        break;
    case Kind::result:
        if (name == "get") return method();
        break;
    case Kind::group:
        if (name == "makeAsyncIterator") return Res::of(base);  // the group is its own iterator: next()
        if (name == "nextResult") return method();
        break;
    default: break;
    }
    handled = false;
    return Res::of();
}

bool Machine::bridge_suspends(const BuiltinObj& b, const Args& args) const {
    const std::string& n = b.name;
    if (b.receiver.is_nil()) {
        if (n == "AsyncStream" || n == "AsyncThrowingStream") {
            // A build closure that may suspend (it starts a Task) runs on the coroutine path.
            for (const auto& a : args)
                if (a.value.kind == Kind::closure && closure_suspends(static_cast<const ClosureObj&>(*a.value.ref).expr)) return true;
            return false;
        }
        return is_continuation_function(n);
    }
    switch (b.receiver.kind) {
    case Kind::stream: return n == "next";
    case Kind::group: return n == "nextResult";
    case Kind::mutex: return n == "lock" && static_cast<const MutexObj&>(*b.receiver.ref).is_nslock;
    default: return false;
    }
}

Flow<Res> Machine::bridge_async(BuiltinObj b, Args args, Site site) {
    const std::string& n = b.name;
    if (b.receiver.is_nil()) {
        if (n == "AsyncStream" || n == "AsyncThrowingStream") return make_stream_async(n == "AsyncThrowingStream", std::move(args), std::move(site));
        return with_continuation(n, std::move(args), std::move(site));
    }
    // Named arguments: GCC 12 may destroy a temporary passed to a coroutine twice.
    switch (b.receiver.kind) {
    case Kind::stream: {
        auto s = std::static_pointer_cast<StreamObj>(b.receiver.ref);
        return stream_next(std::move(s), std::move(site));
    }
    case Kind::mutex: {
        auto m = std::static_pointer_cast<MutexObj>(b.receiver.ref);
        return lock_wait(std::move(m), std::move(site));
    }
    case Kind::group: {
        auto g = std::static_pointer_cast<GroupObj>(b.receiver.ref);
        return group_next_result(std::move(g), std::move(site));
    }
    default: break;
    }
    bool handled = false;
    Res r = bridge_builtin(b, args, site, handled);
    return ready(std::move(r));
}

Flow<Res> Machine::group_next_result(std::shared_ptr<GroupObj> g, Site site) {
    // nextResult(): next() with the child's outcome wrapped in a Result instead of thrown.
    at(site.span);
    const TaskId child = co_await lift(m_swift.next(g->id));  // semantics: F18
    at(site.span);
    if (child == 0) co_return Res::of(Value::nil());
    Res r = group_next(g, child, false);
    const std::string type = g->of_type.empty() ? std::string() : "Swift.Result<" + qualified_type(g->of_type) + ", Swift.Error>";
    if (r.ctl != Ctl::throw_ && !r.ok()) co_return r;
    Res res = result_value(r.ctl != Ctl::throw_, r.value, type);
    res.value = res.value.wrapped();
    co_return res;
}

namespace {

Res make_async_stream(BuiltinCall& c) { return c.m.make_stream(c.name() == "AsyncThrowingStream", c.args, c.site, false); }

Res make_stream_pair(BuiltinCall& c) {
    return c.m.make_stream(c.name() == "AsyncThrowingStream.makeStream", c.args, c.site, true);
}

Res make_mutex(BuiltinCall& c) {
    const std::string& n = c.name();
    auto m = std::make_shared<MutexObj>();
    m->is_nslock = n == "NSLock";
    m->name = c.m.lane_name(n, c.site.span, c.site.name_hint);
    if (!m->is_nslock) {
        const ArgVal* v = first_positional(c.args);
        if (!v || c.args.size() != 1) return c.wrong("(initialValue), e.g. Mutex(0)");
        m->value = v->value;
    } else if (!c.args.empty()) {
        return c.wrong("()");
    }
    return Res::of(Value::with_ref(Kind::mutex, std::move(m)));
}

Res make_result_case(BuiltinCall& c) {
    const ArgVal* v = first_positional(c.args);
    if (!v || c.args.size() != 1) return c.wrong("(value)");
    return c.m.result_value(c.name() == ".success", v->value, {});
}

/// Result { try work() }: the closure's value, or the error it threw.
Res make_result_catching(BuiltinCall& c) {
    const ArgVal* body = closure_arg(c.args, "catching");
    if (!body) return c.wrong("(catching:) or a trailing closure");
    Args none;
    Res r = c.m.call_sync(body->value, none, c.site);
    if (r.ctl == Ctl::throw_) return c.m.result_value(false, r.value, {});
    if (!r.ok()) return r;
    return c.m.result_value(true, r.value, {});
}

Res buffering_policy(BuiltinCall& c) {
    const ArgVal* v = first_positional(c.args);
    if (!v || v->value.kind != Kind::integer) return c.wrong("(n)");
    if (v->value.i < 0)
        return c.m.fail(DiagnosticKind::misuse, v->span, "a buffering limit cannot be negative",
                        "the real initializer traps on a negative limit");
    return Res::of(Value::tuple({Value::symbol(c.name().substr(1)), v->value}));
}

const BuiltinTable& bridge_functions() {
    static const BuiltinTable table{
        {"AsyncStream", make_async_stream},
        {"AsyncThrowingStream", make_async_stream},
        {"AsyncStream.makeStream", make_stream_pair},
        {"AsyncThrowingStream.makeStream", make_stream_pair},
        {"Mutex", make_mutex},
        {"NSLock", make_mutex},
        {".success", make_result_case},
        {".failure", make_result_case},
        {"Result", make_result_catching},
        {".bufferingNewest", buffering_policy},
        {".bufferingOldest", buffering_policy},
    };
    return table;
}

Res resume(BuiltinCall& c) {
    return c.m.resume_continuation(std::static_pointer_cast<ContinuationObj>(c.receiver().ref), c.name(), c.args, c.site);
}

Res stream_method(BuiltinCall& c) {
    return c.m.stream_builtin(std::static_pointer_cast<StreamObj>(c.receiver().ref), c.name(), c.args, c.site);
}

Res mutex_method(BuiltinCall& c) {
    return c.m.mutex_builtin(std::static_pointer_cast<MutexObj>(c.receiver().ref), c.name(), c.args, c.site);
}

/// A task group is its own iterator: next().
Res group_iterator(BuiltinCall& c) {
    if (!c.args.empty()) return c.decline();
    return Res::of(c.receiver());
}

Res result_get(BuiltinCall& c) {
    if (!c.args.empty()) return c.wrong("()");
    const auto& r = static_cast<const ResultObj&>(*c.receiver().ref);
    if (c.receiver().i == 1) return c.m.throw_value(r.payload, c.site.span);
    return Res::of(r.payload);
}

}  // namespace

Res Machine::bridge_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    const std::string& n = b.name;
    BuiltinHandler h = nullptr;
    switch (b.receiver.kind) {
    case Kind::continuation:
        if (n == "resume") h = resume;
        break;
    case Kind::stream:
    case Kind::stream_continuation: h = stream_method; break;
    case Kind::mutex: h = mutex_method; break;
    case Kind::group:
        if (n == "makeAsyncIterator") h = group_iterator;
        break;
    case Kind::result:
        if (n == "get") h = result_get;
        break;
    default: break;
    }
    if (b.receiver.is_nil()) h = bridge_functions().find(n);
    if (!h) {
        handled = false;
        return Res::of();
    }
    BuiltinCall c{*this, b, args, site};
    Res r = h(c);
    handled = c.handled;
    return r;
}

// ---- continuations ----

std::string Machine::function_name_at(Span span) const {
    const FuncDecl* f = enclosing_function(m_program.body, span);
    return f ? function_text(f) : "main";
}

Flow<Res> Machine::with_continuation(std::string name, Args args, Site site) {
    const ArgVal* body = closure_arg(args, "body");
    if (!body) co_return wrong_args(site, name, "a closure: `" + name + " { continuation in … }`");
    if (!m_swift.is_swift_task(m_sched.current()))
        co_return fail(DiagnosticKind::misuse, site.span, "`" + name + "` needs an async context, but this code runs in a work item");
    const Value body_fn = body->value;
    auto c = std::make_shared<ContinuationObj>();
    c->slot = std::make_shared<ContinuationSlot>();
    c->slot->task = m_sched.current();
    c->checked = name.find("Checked") != std::string::npos;
    c->throwing = name.find("Throwing") != std::string::npos;
    if (c->checked) c->leaks = m_leaks;
    if (const ArgVal* f = find_arg(args, "function"); f && f->value.kind == Kind::string) c->function = str(f->value);
    else c->function = function_name_at(site.span);
    const std::string what = name + " in " + c->function;
    std::shared_ptr<ContinuationSlot> slot = c->slot;
    at(site.span);
    // The body runs at once on this task, with the continuation as its argument.
    Args a{ArgVal{{}, Value::with_ref(Kind::continuation, std::move(c)), site.span, false, nullptr}};
    Res r = co_await call(body_fn, std::move(a), site);
    at(site.span);
    if (r.ctl == Ctl::fatal) co_return r;
    if (!m_leaks->functions.empty()) report_leaks();  // the body dropped it: the warning comes now
    if (!slot->resumed) {
        // semantics: continuations — a cancel does not interrupt this wait; only a resume ends it.
        slot->parked = true;
        const ResumeStatus st = co_await m_sched.park(WaitReason::event, 0, what, Interruptible::no, false);  // an await: the actor is free
        (void)st;
        slot->parked = false;
        at(site.span);
        if (m_fatal) co_return Res::make(Ctl::fatal);
    }
    if (slot->threw) co_return throw_value(slot->value, site.span);
    co_return Res::of(slot->value);
}

Res Machine::resume_continuation(const std::shared_ptr<ContinuationObj>& c, const std::string& how, Args& args, const Site& site) {
    (void)how;
    bool threw = false;
    Value value = Value::void_value();
    if (args.empty()) {
        // resume(): a Void continuation.
    } else if (const ArgVal* r = find_arg(args, "returning"); r && args.size() == 1) {
        value = r->value;
    } else if (const ArgVal* t = find_arg(args, "throwing"); t && args.size() == 1) {
        value = t->value;
        threw = true;
    } else if (const ArgVal* w = find_arg(args, "with"); w && args.size() == 1 && w->value.unwrapped().kind == Kind::result) {
        const Value res = w->value.unwrapped();
        value = static_cast<const ResultObj&>(*res.ref).payload;
        threw = res.i == 1;
    } else {
        return wrong_args(site, "resume", "(returning:), (throwing:), (with:) or ()");
    }
    at(site.span);
    ContinuationSlot& slot = *c->slot;
    if (slot.resumed) {
        const std::string what = threw ? "throwing " + describe(value) : "returning " + describe(value);
        if (c->checked)
            return fail(DiagnosticKind::misuse, site.span,
                        "SWIFT TASK CONTINUATION MISUSE: " + c->function + " tried to resume its continuation more than once, " + what + "!",
                        "a continuation must be resumed exactly once; the real program traps here");
        return fail(DiagnosticKind::misuse, site.span,
                    "an unsafe continuation of " + c->function + " is resumed a second time, " + what,
                    "undefined behaviour in a real program (it may crash or corrupt the task); use withCheckedContinuation to trap here");
    }
    slot.resumed = true;
    slot.threw = threw;
    slot.value = std::move(value);
    // The waiting task runs again in a later step, as a resumed task does on the real runtime.
    if (slot.parked) m_sched.wake(slot.task, ResumeStatus::normal);
    return Res::of();
}

void Machine::report_leaks() {
    std::vector<std::string> gone;
    gone.swap(m_leaks->functions);
    for (const std::string& f : gone) {
        const std::string text = "SWIFT TASK CONTINUATION MISUSE: " + f +
                                 " leaked its continuation without resuming it. This may cause tasks waiting on it to "
                                 "remain suspended forever.";
        m_warnings += text + "\n";
        m_sched.emit(EventKind::lint, m_sched.current(), 0, m_sched.trace().add_string(text),
                     static_cast<std::uint8_t>(LintKind::continuation_leaked));
    }
}

// ---- Result ----

Res Machine::result_value(bool success, Value payload, std::string type_text) {
    auto r = std::make_shared<ResultObj>();
    r->payload = std::move(payload);
    r->type_text = std::move(type_text);
    return Res::of(Value::with_ref(Kind::result, std::move(r), success ? 0 : 1));
}

// ---- Mutex and NSLock ----

namespace {

/// A method call on a Mutex or an NSLock.
struct LockCall {
    Machine& m;
    const std::shared_ptr<MutexObj>& lock;
    const std::string& name;
    Args& args;
    const Site& site;
};
using LockHandler = Res (*)(LockCall&);

/// The lock passes to the task that has waited longest, if one waits.
void hand_on(Machine& m, MutexObj& lock) {
    if (lock.waiters.empty()) return;
    lock.owner = lock.waiters.front();
    lock.waiters.erase(lock.waiters.begin());
    m.m_sched.wake(lock.owner, ResumeStatus::normal);
}

/// NSLock.withLock { … }: the body runs while this task holds the lock.
Res nslock_with_lock(LockCall& c, const ArgVal& body) {
    MutexObj& lock = *c.lock;
    const TaskId self = c.m.m_sched.current();
    if (lock.owner != 0) {
        if (c.name == "withLockIfAvailable") return Res::of(Value::nil());
        return c.m.fail(DiagnosticKind::misuse, c.site.span,
                        "`withLock` on " + lock.name + ", which " + (lock.owner == self ? "this task already holds" : "another task holds"),
                        lock.owner == self ? "NSLock is not recursive: the real thread waits for itself forever"
                                           : "call lock() where the task may wait for it");
    }
    lock.owner = self;
    Args none;
    Res r = c.m.call_sync(body.value, none, c.site);
    lock.owner = 0;
    hand_on(c.m, lock);
    if (r.ok() && c.name == "withLockIfAvailable") r.value = r.value.wrapped();
    return r;
}

/// withLock, withLockIfAvailable. Mutex.withLock { state in … }: the body gets the state
/// inout; what it leaves there is the new state.
Res with_lock(LockCall& c) {
    Machine& m = c.m;
    const ArgVal* body = closure_arg(c.args, "body");
    if (!body) return m.wrong_args(c.site, c.name, "a closure: `" + c.name + " { … }`");
    if (c.lock->is_nslock) return nslock_with_lock(c, *body);
    if (body->value.kind != Kind::closure)
        return m.fail(DiagnosticKind::type_mismatch, body->span, "`withLock` takes a closure here: `m.withLock { $0 += 1 }`");
    const auto& closure = static_cast<const ClosureObj&>(*body->value.ref);
    if (m.closure_suspends(closure.expr))
        return m.fail(DiagnosticKind::misuse, c.site.span, "this closure can suspend, but it runs where suspending is not possible",
                      "the body of withLock runs synchronously while the lock is held");
    Args a{ArgVal{{}, c.lock->value, c.site.span, false, nullptr}};
    EnvPtr env;
    Res p = m.prepare_closure(closure, a, c.site, env);
    if (!p.ok()) return p;
    if (Res d = m.enter_call(nullptr, c.site); !d.ok()) return d;
    Res r = m.run_body_sync(closure.expr->body, closure.expr->implicit_return, env);
    m.leave_call();
    const std::string param = closure.expr->params.empty() ? "$0" : closure.expr->params[0].name;
    if (Binding* b = env->lookup(param)) c.lock->value = b->value;
    r = m.closure_result(std::move(r));
    if (r.ok() && c.name == "withLockIfAvailable") r.value = r.value.wrapped();
    return r;
}

Res try_lock(LockCall& c) {
    if (c.lock->owner != 0) return Res::of(Value::boolean(false));
    c.lock->owner = c.m.m_sched.current();
    return Res::of(Value::boolean(true));
}

Res unlock(LockCall& c) {
    if (c.lock->owner == 0)
        return c.m.fail(DiagnosticKind::misuse, c.site.span, "`unlock()` on " + c.lock->name + ", which is not locked",
                        "unlocking an NSLock that is not locked is an error (Foundation logs it; the behaviour is undefined)");
    c.lock->owner = 0;
    hand_on(c.m, *c.lock);
    return Res::of();
}

/// Only where the task cannot wait (a cancellation handler): the usual path is lock_wait.
Res lock_now(LockCall& c) {
    if (c.lock->owner != 0)
        return c.m.fail(DiagnosticKind::misuse, c.site.span,
                        "`lock()` on " + c.lock->name + ", which is held, where this code cannot wait for it",
                        "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
    c.lock->owner = c.m.m_sched.current();
    return Res::of();
}

const NameTable<LockHandler>& nslock_methods() {
    static const NameTable<LockHandler> table{{"try", try_lock}, {"unlock", unlock}, {"lock", lock_now}};
    return table;
}

}  // namespace

Res Machine::mutex_builtin(const std::shared_ptr<MutexObj>& m, const std::string& name, Args& args, const Site& site) {
    LockCall c{*this, m, name, args, site};
    if (name == "withLock" || name == "withLockIfAvailable") return with_lock(c);
    if (!m->is_nslock) return unknown_member(Value::with_ref(Kind::mutex, m), name, site.span);
    if (!args.empty()) return wrong_args(site, name, "()");  // every other NSLock method takes no argument
    if (const LockHandler h = nslock_methods().find(name)) return h(c);
    return unknown_member(Value::with_ref(Kind::mutex, m), name, site.span);
}

Flow<Res> Machine::lock_wait(std::shared_ptr<MutexObj> m, Site site) {
    const TaskId self = m_sched.current();
    at(site.span);
    if (m->owner == 0) {
        m->owner = self;
        co_return Res::of();
    }
    if (m->owner == self)
        co_return fail(DiagnosticKind::deadlock, site.span, "`lock()` on " + m->name + ", which this task already holds: it waits for itself forever",
                       "NSLock is not recursive (NSRecursiveLock is); the real thread hangs here");
    // The thread blocks until the holder unlocks; unlock() hands the lock over and wakes it.
    m->waiters.push_back(self);
    const ResumeStatus st = co_await m_sched.park(WaitReason::event, 0, "lock() on " + m->name, Interruptible::no);
    (void)st;
    at(site.span);
    if (m_fatal) co_return Res::make(Ctl::fatal);
    co_return Res::of();
}

}  // namespace tasklab::interp
