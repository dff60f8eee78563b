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
#include "engine/interp/swift/machine.hpp"

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

Res Machine::bridge_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    handled = true;
    const std::string& n = b.name;
    const Value& recv = b.receiver;
    if (recv.is_nil()) {
        if (n == "AsyncStream" || n == "AsyncThrowingStream") return make_stream(n == "AsyncThrowingStream", args, site, false);
        if (n == "AsyncStream.makeStream" || n == "AsyncThrowingStream.makeStream")
            return make_stream(n == "AsyncThrowingStream.makeStream", args, site, true);
        if (n == "Mutex" || n == "NSLock") {
            auto m = std::make_shared<MutexObj>();
            m->is_nslock = n == "NSLock";
            m->name = lane_name(n, site.span, site.name_hint);
            if (!m->is_nslock) {
                const ArgVal* v = first_positional(args);
                if (!v || args.size() != 1) return wrong_args(site, n, "(initialValue), e.g. Mutex(0)");
                m->value = v->value;
            } else if (!args.empty()) {
                return wrong_args(site, n, "()");
            }
            return Res::of(Value::with_ref(Kind::mutex, std::move(m)));
        }
        if (n == ".success" || n == ".failure") {
            const ArgVal* v = first_positional(args);
            if (!v || args.size() != 1) return wrong_args(site, n, "(value)");
            return result_value(n == ".success", v->value, {});
        }
        if (n == "Result") {
            // Result { try work() }: the closure's value, or the error it threw.
            const ArgVal* body = closure_arg(args, "catching");
            if (!body) return wrong_args(site, n, "(catching:) or a trailing closure");
            Args none;
            Res r = call_sync(body->value, none, site);
            if (r.ctl == Ctl::throw_) return result_value(false, r.value, {});
            if (!r.ok()) return r;
            return result_value(true, r.value, {});
        }
        if (n == ".bufferingNewest" || n == ".bufferingOldest") {
            const ArgVal* v = first_positional(args);
            if (!v || v->value.kind != Kind::integer) return wrong_args(site, n, "(n)");
            if (v->value.i < 0)
                return fail(DiagnosticKind::misuse, v->span, "a buffering limit cannot be negative",
                            "the real initializer traps on a negative limit");
            return Res::of(Value::tuple({Value::symbol(n.substr(1)), v->value}));
        }
        handled = false;
        return Res::of();
    }
    switch (recv.kind) {
    case Kind::continuation:
        if (n == "resume") return resume_continuation(std::static_pointer_cast<ContinuationObj>(recv.ref), n, args, site);
        break;
    case Kind::stream:
    case Kind::stream_continuation: return stream_builtin(std::static_pointer_cast<StreamObj>(recv.ref), n, args, site);
    case Kind::mutex: return mutex_builtin(std::static_pointer_cast<MutexObj>(recv.ref), n, args, site);
    case Kind::group:
        if (n == "makeAsyncIterator" && args.empty()) return Res::of(recv);  // the group is its own iterator: next()
        break;
    case Kind::result:
        if (n == "get") {
            if (!args.empty()) return wrong_args(site, n, "()");
            const auto& r = static_cast<const ResultObj&>(*recv.ref);
            if (recv.i == 1) return throw_value(r.payload, site.span);
            return Res::of(r.payload);
        }
        break;
    default: break;
    }
    handled = false;
    return Res::of();
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

Res Machine::mutex_builtin(const std::shared_ptr<MutexObj>& m, const std::string& name, Args& args, const Site& site) {
    const TaskId self = m_sched.current();
    if (name == "withLock" || name == "withLockIfAvailable") {
        const ArgVal* body = closure_arg(args, "body");
        if (!body) return wrong_args(site, name, "a closure: `" + name + " { … }`");
        if (m->is_nslock) {
            if (m->owner != 0) {
                if (name == "withLockIfAvailable") return Res::of(Value::nil());
                return fail(DiagnosticKind::misuse, site.span,
                            "`withLock` on " + m->name + ", which " + (m->owner == self ? "this task already holds" : "another task holds"),
                            m->owner == self ? "NSLock is not recursive: the real thread waits for itself forever"
                                             : "call lock() where the task may wait for it");
            }
            m->owner = self;
            Args none;
            Res r = call_sync(body->value, none, site);
            m->owner = 0;
            if (!m->waiters.empty()) {
                m->owner = m->waiters.front();
                m->waiters.erase(m->waiters.begin());
                m_sched.wake(m->owner, ResumeStatus::normal);
            }
            if (r.ok() && name == "withLockIfAvailable") r.value = r.value.wrapped();
            return r;
        }
        // Mutex.withLock { state in … }: the body gets the state inout; what it leaves there
        // is the new state.
        if (body->value.kind != Kind::closure)
            return fail(DiagnosticKind::type_mismatch, body->span, "`withLock` takes a closure here: `m.withLock { $0 += 1 }`");
        const auto& c = static_cast<const ClosureObj&>(*body->value.ref);
        if (closure_suspends(c.expr))
            return fail(DiagnosticKind::misuse, site.span, "this closure can suspend, but it runs where suspending is not possible",
                        "the body of withLock runs synchronously while the lock is held");
        Args a{ArgVal{{}, m->value, site.span, false, nullptr}};
        EnvPtr env;
        Res p = prepare_closure(c, a, site, env);
        if (!p.ok()) return p;
        if (Res d = enter_call(nullptr, site); !d.ok()) return d;
        Res r = run_body_sync(c.expr->body, c.expr->implicit_return, env);
        leave_call();
        const std::string param = c.expr->params.empty() ? "$0" : c.expr->params[0].name;
        if (Binding* b = env->lookup(param)) m->value = b->value;
        r = closure_result(std::move(r));
        if (r.ok() && name == "withLockIfAvailable") r.value = r.value.wrapped();
        return r;
    }
    if (!m->is_nslock) return unknown_member(Value::with_ref(Kind::mutex, m), name, site.span);
    if (!args.empty()) return wrong_args(site, name, "()");
    if (name == "try") {
        if (m->owner != 0) return Res::of(Value::boolean(false));
        m->owner = self;
        return Res::of(Value::boolean(true));
    }
    if (name == "unlock") {
        if (m->owner == 0)
            return fail(DiagnosticKind::misuse, site.span, "`unlock()` on " + m->name + ", which is not locked",
                        "unlocking an NSLock that is not locked is an error (Foundation logs it; the behaviour is undefined)");
        m->owner = 0;
        if (!m->waiters.empty()) {
            // The lock passes to the task that has waited longest.
            m->owner = m->waiters.front();
            m->waiters.erase(m->waiters.begin());
            m_sched.wake(m->owner, ResumeStatus::normal);
        }
        return Res::of();
    }
    if (name == "lock") {
        // Only where the task cannot wait (a cancellation handler): the usual path is lock_wait.
        if (m->owner != 0)
            return fail(DiagnosticKind::misuse, site.span, "`lock()` on " + m->name + ", which is held, where this code cannot wait for it",
                        "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
        m->owner = self;
        return Res::of();
    }
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
