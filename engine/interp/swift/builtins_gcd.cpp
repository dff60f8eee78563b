// GCD built-ins: queues, DispatchWorkItem, asyncAfter deadlines, notify/wait/perform and
// dispatchMain(). Every rule (cancel only sets a flag, a cancelled item still uses up its
// slot, no hierarchy) is the gcd::Model's; this file maps Swift calls onto it.
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/builtin_table.hpp"

#include <optional>
#include <utility>

namespace tasklab::interp {

using namespace ast;

namespace {
Value queue_value(std::uint32_t id, std::string label) {
    auto q = std::make_shared<QueueObj>();
    q->id = id;
    q->label = std::move(label);
    return Value::with_ref(Kind::queue, std::move(q), id);
}

bool mentions_concurrent(const Value& v) {
    if (v.kind == Kind::symbol) return str(v) == "concurrent";
    if (v.kind == Kind::array)
        for (const auto& x : items(v))
            if (x.kind == Kind::symbol && str(x) == "concurrent") return true;
    return false;
}
}  // namespace

Value Machine::make_item_value(const Value& closure, const std::string& name, Span span) {
    const gcd::ItemId id = m_gcd.make_item([this, closure, span]() { return item_body(closure, span); }, name);
    return Value::scalar(Kind::work_item, id);
}

Res Machine::gcd_member(const Value& base, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto method = [&] {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        b->receiver = base;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    };
    switch (base.kind) {
    case Kind::work_item: {
        const auto item = static_cast<gcd::ItemId>(base.i);
        if (name == "isCancelled") {
            // An item polling its own flag is an observation (semantics: F31); anyone else
            // just reads the flag.
            at(span);
            if (m_gcd.item_of(m_sched.current()) == item) return Res::of(Value::boolean(m_gcd.observe_is_cancelled(item)));
            return Res::of(Value::boolean(m_gcd.is_cancelled(item)));
        }
        if (name == "cancel" || name == "notify" || name == "wait" || name == "perform") return method();
        break;
    }
    case Kind::dispatch_group:
        if (name == "enter" || name == "leave" || name == "notify" || name == "wait") return method();
        break;
    case Kind::semaphore:
        if (name == "signal" || name == "wait") return method();
        break;
    case Kind::queue:
        if (name == "label") return Res::of(Value::string(static_cast<const QueueObj&>(*base.ref).label));
        if (name == "async" || name == "asyncAfter" || name == "sync") return method();
        break;
    default: break;
    }
    handled = false;
    return Res::of();
}

namespace {

Res global_queue(BuiltinCall& c) { return Res::of(queue_value(c.m.m_gcd.global_queue(), "com.apple.root.default-qos")); }

Res make_queue(BuiltinCall& c) {
    const ArgVal* label = find_arg(c.args, "label");
    if (!label || label->value.kind != Kind::string) return c.wrong("(label:) or (label:attributes:)");
    bool serial = true;
    if (const ArgVal* attrs = find_arg(c.args, "attributes")) serial = !mentions_concurrent(attrs->value);
    return Res::of(queue_value(c.m.m_gcd.make_queue(str(label->value), serial), str(label->value)));
}

Res make_work_item(BuiltinCall& c) {
    const ArgVal* body = closure_arg(c.args, "block");
    if (!body) return c.wrong("a closure: `DispatchWorkItem { … }`");
    c.m.at(c.site.span);
    return Res::of(c.m.make_item_value(body->value, c.m.lane_name("DispatchWorkItem", c.site.span, c.site.name_hint), body->span));
}

Res make_dispatch_group(BuiltinCall& c) {
    if (!c.args.empty()) return c.wrong("()");
    const std::string name = c.m.lane_name("DispatchGroup", c.site.span, c.site.name_hint);
    return Res::of(Value::scalar(Kind::dispatch_group, c.m.m_gcd.make_group(name)));
}

Res make_semaphore(BuiltinCall& c) {
    const ArgVal* v = find_arg(c.args, "value");
    if (!v || c.args.size() != 1 || v->value.kind != Kind::integer) return c.wrong("(value: n)");
    if (v->value.i < 0)
        return c.m.fail(DiagnosticKind::misuse, v->span, "`DispatchSemaphore(value:)` needs a value of 0 or more",
                        "the real initializer returns nil for a negative value");
    const std::string name = c.m.lane_name("DispatchSemaphore", c.site.span, c.site.name_hint);
    return Res::of(Value::scalar(Kind::semaphore, c.m.m_gcd.make_semaphore(name, v->value.i)));
}

Res dispatch_now(BuiltinCall& c) { return Res::of(Value::scalar(Kind::dispatch_time, c.m.m_sched.now())); }

const BuiltinTable& gcd_functions() {
    static const BuiltinTable table{
        {"DispatchQueue.global", global_queue},
        {".global", global_queue},
        {"DispatchQueue", make_queue},
        {"DispatchWorkItem", make_work_item},
        {"DispatchGroup", make_dispatch_group},
        {"DispatchSemaphore", make_semaphore},
        {"DispatchTime.now", dispatch_now},
        {".now", dispatch_now},
        {"DispatchWallTime.now", dispatch_now},
    };
    return table;
}

/// `queue.async { … }`, `queue.async(group:execute:)`, `queue.asyncAfter(deadline:) { … }`.
Res queue_async(BuiltinCall& c) {
    Machine& m = c.m;
    const std::string& n = c.name();
    const Site& site = c.site;
    const Value& recv = c.receiver();
    const auto queue = static_cast<gcd::QueueId>(static_cast<const QueueObj&>(*recv.ref).id);
    const ArgVal* group = find_arg(c.args, "group");
    if (group && (n != "async" || group->value.kind != Kind::dispatch_group))
        return n == "async" ? c.wrong("(group: DispatchGroup, execute: …)") : m.unknown_member(recv, "asyncAfter(group:)", site.span);
    Tick delay = -1;
    if (n == "asyncAfter") {
        const ArgVal* dl = find_arg(c.args, "deadline");
        if (!dl) dl = find_arg(c.args, "wallDeadline");
        if (!dl || dl->value.kind != Kind::dispatch_time) return c.wrong("(deadline: .now() + seconds) { … }");
        delay = dl->value.i - m.m_sched.now();
        if (delay < 0) delay = 0;
    }
    const ArgVal* exec = find_arg(c.args, "execute");
    Value item;
    if (exec && exec->value.kind == Kind::work_item) {
        item = exec->value;
    } else {
        const ArgVal* body = closure_arg(c.args, "execute");
        if (!body) return c.wrong("(execute: item) or a trailing closure");
        m.at(site.span);
        item = m.make_item_value(body->value, m.lane_name(n == "async" ? "async" : "asyncAfter", site.span, {}), body->span);
    }
    m.at(site.span);
    if (group) {
        // async(group:): the group counts the execution until it has executed.
        m.m_gcd.submit_in_group(queue, static_cast<gcd::ItemId>(item.i), static_cast<gcd::GroupId>(group->value.i));
        return Res::of();
    }
    m.m_gcd.submit(queue, static_cast<gcd::ItemId>(item.i), delay);  // semantics: F32
    return Res::of();
}

/// notify(queue:execute:) of a work item or a group: the queue and the item to submit (a
/// work item passed as is, or a block made into one named `name`); nullopt: wrong arguments.
std::optional<std::pair<gcd::QueueId, gcd::ItemId>> notify_target(BuiltinCall& c, const std::string& name) {
    const ArgVal* q = find_arg(c.args, "queue");
    if (!q || q->value.kind != Kind::queue) return std::nullopt;
    const ArgVal* exec = find_arg(c.args, "execute");
    Value notify_item;
    if (exec && exec->value.kind == Kind::work_item) {
        notify_item = exec->value;
    } else {
        const ArgVal* body = closure_arg(c.args, "execute");
        if (!body) return std::nullopt;
        notify_item = c.m.make_item_value(body->value, name, body->span);
    }
    return std::pair{static_cast<const QueueObj&>(*q->value.ref).id, static_cast<gcd::ItemId>(notify_item.i)};
}

Res cancel_item(BuiltinCall& c) {
    c.m.at(c.site.span);
    c.m.m_gcd.cancel(static_cast<gcd::ItemId>(c.receiver().i));  // semantics: F30, F33 — the flag only
    return Res::of();
}

Res notify_after_item(BuiltinCall& c) {
    const auto item = static_cast<gcd::ItemId>(c.receiver().i);
    // A notify block is named after the item it follows: `item.notify`.
    const auto target = notify_target(c, c.m.m_gcd.item_name(item) + ".notify");
    if (!target) return c.wrong("(queue:execute:)");
    c.m.at(c.site.span);
    c.m.m_gcd.notify(item, target->first, target->second);  // semantics: F32, F34
    return Res::of();
}

Res group_enter(BuiltinCall& c) {
    if (!c.args.empty()) return c.wrong("()");
    c.m.at(c.site.span);
    c.m.m_gcd.group_enter(static_cast<gcd::GroupId>(c.receiver().i));
    return Res::of();
}

Res group_leave(BuiltinCall& c) {
    const auto group = static_cast<gcd::GroupId>(c.receiver().i);
    if (!c.args.empty()) return c.wrong("()");
    c.m.at(c.site.span);
    if (!c.m.m_gcd.group_leave(group))
        return c.m.fail(DiagnosticKind::misuse, c.site.span,
                        "`" + c.m.m_gcd.group_name(group) + ".leave()` is called more often than `enter()`",
                        "the real program crashes here (BUG IN CLIENT OF LIBDISPATCH: Unbalanced call to "
                        "dispatch_group_leave())");
    return Res::of();
}

Res notify_after_group(BuiltinCall& c) {
    const auto group = static_cast<gcd::GroupId>(c.receiver().i);
    const auto target = notify_target(c, c.m.m_gcd.group_name(group) + ".notify");
    if (!target) return c.wrong("(queue:execute:)");
    c.m.at(c.site.span);
    c.m.m_gcd.group_notify(group, target->first, target->second);
    return Res::of();
}

Res semaphore_signal(BuiltinCall& c) {
    if (!c.args.empty()) return c.wrong("()");
    c.m.at(c.site.span);
    // signal() returns non-zero when it woke a waiting thread.
    return Res::of(Value::integer(c.m.m_gcd.semaphore_signal(static_cast<gcd::SemaphoreId>(c.receiver().i)) ? 1 : 0));
}

const BuiltinTable* gcd_methods(Kind kind) {
    static const BuiltinTable queue{{"async", queue_async}, {"asyncAfter", queue_async}};
    static const BuiltinTable item{{"cancel", cancel_item}, {"notify", notify_after_item}};
    static const BuiltinTable group{{"enter", group_enter}, {"leave", group_leave}, {"notify", notify_after_group}};
    static const BuiltinTable semaphore{{"signal", semaphore_signal}};
    switch (kind) {
    case Kind::queue: return &queue;
    case Kind::work_item: return &item;
    case Kind::dispatch_group: return &group;
    case Kind::semaphore: return &semaphore;
    default: return nullptr;
    }
}

}  // namespace

Res Machine::gcd_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    const BuiltinTable* table = b.receiver.is_nil() ? &gcd_functions() : gcd_methods(b.receiver.kind);
    const BuiltinHandler h = table ? table->find(b.name) : nullptr;
    handled = h != nullptr;
    if (!h) return Res::of();
    BuiltinCall c{*this, b, args, site};
    return h(c);
}

bool Machine::wait_timeout(const Args& args, const Site& site, Tick& out) {
    out = -1;
    const ArgVal* t = find_arg(args, "timeout");
    if (!t) t = find_arg(args, "wallTimeout");
    if (!t) {
        if (!args.empty()) {
            wrong_args(site, "wait", "() or (timeout: .now() + seconds)");
            return false;
        }
        return true;
    }
    if (t->value.kind != Kind::dispatch_time) {
        wrong_args(site, "wait", "(timeout: .now() + seconds) or (timeout: .distantFuture)");
        return false;
    }
    // `.distantFuture` (and any deadline past tasklab's time limit) waits without a timeout.
    if (t->value.i >= INT64_MAX / 4) return true;
    out = t->value.i - m_sched.now();
    if (out < 0) out = 0;
    return true;
}

Flow<Res> Machine::gcd_wait(Value waited, Args args, Site site) {
    Tick timeout = -1;
    if (!wait_timeout(args, site, timeout)) co_return Res::make(Ctl::fatal);
    const bool with_timeout = find_arg(args, "timeout") || find_arg(args, "wallTimeout");
    at(site.span);
    bool ok = true;
    if (waited.kind == Kind::dispatch_group) ok = co_await lift(m_gcd.group_wait(static_cast<gcd::GroupId>(waited.i), timeout));
    else ok = co_await lift(m_gcd.semaphore_wait(static_cast<gcd::SemaphoreId>(waited.i), timeout));
    at(site.span);
    // wait(timeout:) returns a DispatchTimeoutResult; the plain wait() returns nothing.
    if (with_timeout) co_return Res::of(Value::symbol(ok ? "success" : "timedOut"));
    co_return Res::of();
}

Flow<Res> Machine::dispatch_main_forever(Site site) {
    at(site.span);
    // The main thread parks for good and serves the main queue; the real process never
    // returns from here (the Controller ends the run when nothing else can happen).
    m_in_dispatch_main = true;
    co_await lift(m_gcd.dispatch_main());
    co_return Res::of();
}

Flow<Res> Machine::item_wait(gcd::ItemId item, Args args, Site site) {
    Tick timeout = -1;
    if (!wait_timeout(args, site, timeout)) co_return Res::make(Ctl::fatal);
    const bool with_timeout = find_arg(args, "timeout") || find_arg(args, "wallTimeout");
    at(site.span);
    if (timeout < 0) {
        co_await lift(m_gcd.wait(item));  // semantics: F32
        at(site.span);
        if (with_timeout) co_return Res::of(Value::symbol("success"));
        co_return Res::of();
    }
    const bool ok = co_await lift(m_gcd.wait_for(item, timeout));
    at(site.span);
    co_return Res::of(Value::symbol(ok ? "success" : "timedOut"));
}

Flow<Res> Machine::item_perform(gcd::ItemId item, Site site) {
    at(site.span);
    co_await lift(m_gcd.perform(item));  // semantics: F32
    at(site.span);
    if (m_fatal) co_return Res::make(Ctl::fatal);
    co_return Res::of();
}

Flow<Res> Machine::queue_sync(Value queue_value, Args args, Site site) {
    // queue.sync runs the block on the calling thread and returns its value. On a serial queue
    // the caller first waits for the queue's slot, behind the block running there and those
    // submitted before (semantics: GCD details), and holds it while the block runs.
    const auto queue = static_cast<gcd::QueueId>(static_cast<const QueueObj&>(*queue_value.ref).id);
    const ArgVal* exec = find_arg(args, "execute");
    const bool is_item = exec && exec->value.kind == Kind::work_item;
    const ArgVal* body = is_item ? nullptr : closure_arg(args, "execute");
    if (!is_item && !body) co_return wrong_args(site, "sync", "(execute:) or a trailing closure");
    at(site.span);
    if (m_gcd.sync_deadlocks(queue))
        co_return fail(DiagnosticKind::misuse, site.span,
                       "`sync` on the serial queue \"" + static_cast<const QueueObj&>(*queue_value.ref).label +
                           "\" is called from code already running on it: it waits for itself forever",
                       "the real program crashes here (an illegal instruction in libdispatch's __DISPATCH_WAIT_FOR_QUEUE__); "
                       "use async, or another queue");
    co_await lift(m_gcd.enter_sync(queue));
    at(site.span);
    Res r;
    if (is_item) r = co_await item_perform(static_cast<gcd::ItemId>(exec->value.i), site);
    else r = co_await call(body->value, Args{}, site);
    m_gcd.leave_sync(queue);
    co_return r;
}

}  // namespace tasklab::interp
