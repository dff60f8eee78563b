// Swift Concurrency built-ins: Task, task groups, async let reads, withTaskCancellationHandler,
// sleeping (cancellable, deprecated and thread-blocking), URLSession, and the error and
// duration values they use. Every concurrency rule is the swift::Model's; this file only
// turns Swift calls into model calls and model answers into Swift values and errors.
#include <algorithm>
#include <cmath>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/builtin_table.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

/// Bytes in the Data a simulated URLSession download returns (documented in docs/language.md).
constexpr std::int64_t k_download_bytes = 1024;

Value url_error(const std::string& code, bool from_session) {
    Value v = Value::with_ref(Kind::url_error, std::make_shared<StrObj>(code));
    v.i = from_session ? 1 : 0;
    return v;
}

const ArgVal* positional0(const Args& args) {
    for (const auto& a : args)
        if (a.label.empty() && !a.trailing) return &a;
    return nullptr;
}

/// The callee a one-line addTask body calls: `group.addTask { try await downloadImage(from: url) }`.
std::string single_call_name(const Value& closure) {
    if (closure.kind != Kind::closure) return {};
    const Closure* c = static_cast<const ClosureObj&>(*closure.ref).expr;
    if (c->body.size() != 1) return {};
    const Stmt* s = c->body[0];
    const Expr* e = nullptr;
    if (s->kind == StmtKind::expr) e = static_cast<const ExprStmt*>(s)->expr;
    if (s->kind == StmtKind::return_) e = static_cast<const Return*>(s)->value;
    e = strip_effects(e);
    if (!e || e->kind != ExprKind::call) return {};
    const Expr* callee = static_cast<const Call*>(e)->callee;
    if (callee->kind == ExprKind::name) return static_cast<const Name*>(callee)->name;
    if (callee->kind == ExprKind::member) return static_cast<const Member*>(callee)->name;
    return {};
}

/// Clips `s` to at most `n` bytes on a character boundary, with an ellipsis when cut.
std::string clip_label(std::string s, std::size_t n) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

/// A child task's lane label: the single call its closure makes, with its arguments' values
/// when they are names the closure captured (read now, when the task is made) and short, as
/// written otherwise: `fetch(id: 2)`, `downloadImage(from: url)`. "" when the closure does
/// more than one call.
std::string single_call_label(const Value& closure, const SourceFile* file) {
    const std::string callee = single_call_name(closure);
    if (callee.empty()) return {};
    const auto& obj = static_cast<const ClosureObj&>(*closure.ref);
    const Stmt* s = obj.expr->body[0];
    const Expr* e = strip_effects(s->kind == StmtKind::expr ? static_cast<const ExprStmt*>(s)->expr
                                                            : static_cast<const Return*>(s)->value);
    const auto* call = static_cast<const Call*>(e);
    std::string out = callee + "(";
    bool first = true;
    for (const Arg& a : call->args) {
        if (a.trailing) continue;
        if (!first) out += ", ";
        first = false;
        if (!a.label.empty() && a.label != "_") out += a.label + ": ";
        std::string shown;
        const Expr* v = a.value;
        if (v && v->kind == ExprKind::name && obj.env) {
            if (Binding* b = obj.env->lookup(static_cast<const Name*>(v)->name)) shown = describe(b->value, Style::debug);
            if (shown.size() > 12) shown.clear();  // a long value (a URL) says less than its name
        }
        if (shown.empty() && v && file) {
            shown = std::string(file->slice(v->span));
            std::replace(shown.begin(), shown.end(), '\n', ' ');  // one line, whatever the source
        }
        out += clip_label(shown, 16);
    }
    return clip_label(out + ")", 48);
}

bool same_error(const Value& a, const Value& b) {
    if (a.ref && a.ref == b.ref) return true;
    return values_equal(a, b);
}

}  // namespace

Tick Machine::latency_for(const std::string& api) {
    for (const auto& rule : m_program.latencies) {
        if (rule.api != api) continue;
        if (rule.max <= rule.min) return rule.min;
        // A range picks a value per call from the seeded generator, in whole milliseconds
        // when both ends are.
        const bool ms = rule.min % k_millisecond == 0 && rule.max % k_millisecond == 0;
        const Tick unit = ms ? k_millisecond : 1;
        const auto steps = static_cast<std::uint64_t>((rule.max - rule.min) / unit) + 1;
        return rule.min + static_cast<Tick>(next_random() % steps) * unit;
    }
    return k_second;  // default latency of a simulated request
}

Res Machine::duration_arg(const Args& args, std::size_t index, Tick scale, Tick& out, const Site& site) {
    if (index >= args.size()) return wrong_args(site, "duration", "a number of seconds or a Duration");
    const Value& v = args[index].value;
    if (v.kind == Kind::duration) out = v.i;
    else if (v.kind == Kind::integer) {
        if (__builtin_mul_overflow(v.i, scale, &out)) return fail(DiagnosticKind::misuse, site.span, "arithmetic overflow");
    } else if (v.kind == Kind::real) out = saturating_ticks(v.d * static_cast<double>(scale) / 1e9);
    else return fail(DiagnosticKind::type_mismatch, args[index].span, "expected a duration, found " + type_name(v));
    return Res::of();
}

Res Machine::group_next(const std::shared_ptr<GroupObj>& g, TaskId child, bool wrap) {
    if (child == 0) return Res::of(Value::nil());
    const Res& r = result_of(child);
    if (r.ctl == Ctl::throw_) {
        // semantics: F21 — delivered to the body; it cancels nothing by itself.
        g->delivered_error_child = child;
        g->delivered_error = r.value;
        return Res::thrown(r.value);
    }
    if (r.ctl == Ctl::fatal) return Res::make(Ctl::fatal);
    return Res::of(wrap ? r.value.wrapped() : r.value);
}

Res Machine::swift_member(const Value& base, const std::string& name, Span span, bool& handled) {
    handled = true;
    auto method = [&] {
        auto b = std::make_shared<BuiltinObj>();
        b->name = name;
        b->receiver = base;
        return Res::of(Value::with_ref(Kind::builtin, std::move(b)));
    };
    switch (base.kind) {
    case Kind::task: {
        const auto t = static_cast<TaskId>(base.i);
        if (name == "isCancelled") return Res::of(Value::boolean(m_swift.is_cancelled(t)));  // semantics: F4
        if (name == "value") {
            if (!m_swift.is_finished(t)) return fail(DiagnosticKind::misuse, span, "`task.value` needs `await`");
            Res r = result_of(t);
            if (r.ctl == Ctl::throw_) return Res::thrown(r.value);
            return r;
        }
        if (name == "cancel") return method();
        break;
    }
    case Kind::group: {
        const auto& g = static_cast<const GroupObj&>(*base.ref);
        if (name == "isCancelled") return Res::of(Value::boolean(m_swift.group_is_cancelled(g.id)));
        if (name == "isEmpty") return Res::of(Value::boolean(m_swift.group_is_empty(g.id)));
        if (name == "addTask" || name == "addTaskUnlessCancelled" || name == "cancelAll" || name == "next" ||
            name == "waitForAll" || name == "contains")
            return method();
        break;
    }
    case Kind::url_session:
        if (name == "data") return method();
        break;
    default: break;
    }
    handled = false;
    return Res::of();
}

namespace {

Res make_task(BuiltinCall& c) {
    Machine& m = c.m;
    const Site& site = c.site;
    const ArgVal* body = closure_arg(c.args, "operation");
    if (!body) return c.wrong("a closure: `Task { … }`");
    const bool detached = c.name() == "Task.detached";
    m.at(site.span);
    // Every task is kept in the trace for the whole run: cap them so memory stays bounded.
    if (m.m_sched.task_count() >= k_max_tasks_per_run)
        return m.fail(DiagnosticKind::misuse, site.span,
                      "this run created " + std::to_string(k_max_tasks_per_run) + " tasks, tasklab's limit per run",
                      "each task is recorded in the trace for the whole run; try fewer tasks");
    // semantics: F26 — not a child: never born cancelled, never cancelled with its creator.
    // `Task(name: "…") { … }` names its lane; otherwise the variable it is bound to.
    std::string lane = m.lane_name(detached ? "Task.detached {}" : "Task {}", site.span, site.name_hint);
    if (const ArgVal* given = find_arg(c.args, "name"); given && given->value.kind == Kind::string) lane = str(given->value);
    // The actor it starts on: its creator's, or none (actors.cpp, semantics: F26).
    const ActorId actor = m.task_start_actor(body->value, detached);
    const TaskId t = m.m_swift.spawn_unstructured(m.task_body(m.isolate_closure(body->value, actor), site.span), std::move(lane),
                                                  detached);
    m.m_sched.set_actor(t, actor);
    return Res::of(Value::scalar(Kind::task, t));
}

Res check_cancellation(BuiltinCall& c) {
    c.m.at(c.site.span);
    if (c.m.m_swift.check_cancellation())
        return c.m.throw_value(Value::scalar(Kind::cancellation_error, 0), c.site.span);  // semantics: F5
    return Res::of();
}

Res make_cancellation_error(BuiltinCall&) { return Res::of(Value::scalar(Kind::cancellation_error, 0)); }

Res make_url_error(BuiltinCall& c) {
    const ArgVal* code = positional0(c.args);
    if (!code) return c.wrong("(.code), e.g. URLError(.cancelled)");
    std::string name;
    if (code->value.kind == Kind::symbol) name = str(code->value);
    else if (code->value.kind == Kind::enum_case) name = describe(code->value);
    if (name.empty() || url_error_code_number(name) == 0)
        return c.m.fail(DiagnosticKind::unknown_member, code->span, "`URLError(" + describe(code->value) + ")` is not a known URLError code",
                        "known codes include .cancelled, .timedOut, .badURL, .cannotDecodeContentData");
    return Res::of(url_error(name, false));
}

Res make_url(BuiltinCall& c) {
    const ArgVal* s = find_arg(c.args, "string");
    if (!s || s->value.kind != Kind::string) return c.wrong("(string:)");
    const std::string& text = str(s->value);
    if (text.empty() || text.find(' ') != std::string::npos) return Res::of(Value::nil());
    return Res::of(Value::with_ref(Kind::url, std::make_shared<StrObj>(text)).wrapped());
}

Res make_data(BuiltinCall& c) {
    if (c.args.empty()) return Res::of(Value::scalar(Kind::data, 0));
    if (const ArgVal* n = find_arg(c.args, "count"); n && n->value.kind == Kind::integer)
        return Res::of(Value::scalar(Kind::data, n->value.i));
    if (const ArgVal* a = positional0(c.args)) {
        if (a->value.kind == Kind::string) return Res::of(Value::scalar(Kind::data, static_cast<std::int64_t>(str(a->value).size())));
        if (a->value.kind == Kind::integer) return Res::of(Value::scalar(Kind::data, a->value.i));
        if (a->value.kind == Kind::array) return Res::of(Value::scalar(Kind::data, static_cast<std::int64_t>(items(a->value).size())));
    }
    return c.wrong("() or (count:)");
}

/// `.seconds(n)`, `Duration.milliseconds(n)`, `DispatchTimeInterval.microseconds(n)`, …: the
/// unit is the name's last part.
Res make_duration(BuiltinCall& c) {
    const std::string& n = c.name();
    const std::string_view unit = std::string_view(n).substr(n.rfind('.') + 1);
    const Tick scale = unit == "seconds" ? k_second : unit == "milliseconds" ? k_millisecond : unit == "microseconds" ? k_microsecond : 1;
    Tick d = 0;
    Res r = c.m.duration_arg(c.args, 0, scale, d, c.site);
    if (!r.ok()) return r;
    return Res::of(Value::scalar(Kind::duration, d));
}

const BuiltinTable& concurrency_functions() {
    static const BuiltinTable table{
        {"Task", make_task},
        {"Task.detached", make_task},
        {"Task.checkCancellation", check_cancellation},
        {"CancellationError", make_cancellation_error},
        {"URLError", make_url_error},
        {"URL", make_url},
        {"Data", make_data},
        {".seconds", make_duration},
        {"Duration.seconds", make_duration},
        {"DispatchTimeInterval.seconds", make_duration},
        {".milliseconds", make_duration},
        {"Duration.milliseconds", make_duration},
        {"DispatchTimeInterval.milliseconds", make_duration},
        {".microseconds", make_duration},
        {"Duration.microseconds", make_duration},
        {"DispatchTimeInterval.microseconds", make_duration},
        {".nanoseconds", make_duration},
        {"Duration.nanoseconds", make_duration},
        {"DispatchTimeInterval.nanoseconds", make_duration},
    };
    return table;
}

Res cancel_task(BuiltinCall& c) {
    c.m.at(c.site.span);
    c.m.m_swift.cancel(static_cast<TaskId>(c.receiver().i), CancelCause::explicit_call, c.m.m_sched.current());  // semantics: F1, F2
    return Res::of();
}

/// `group.addTask { … }`, `group.addTaskUnlessCancelled { … }`.
Res add_task(BuiltinCall& c) {
    Machine& m = c.m;
    const Site& site = c.site;
    auto g = std::static_pointer_cast<GroupObj>(c.receiver().ref);
    const ArgVal* body = closure_arg(c.args, "operation");
    if (!body) return c.wrong("a closure: `group.addTask { … }`");
    const std::uint32_t index = ++g->added;
    std::string call = single_call_label(body->value, m.m_program.file.get());
    // The child's number in its group keeps siblings apart when they make the same call.
    std::string name = (call.empty() ? "addTask @" + m.line_of(site.span) : call) + " #" + std::to_string(index);
    m.at(site.span);
    if (c.name() == "addTask") {
        m.m_swift.add_task(g->id, m.task_body(body->value, body->span), std::move(name));  // semantics: F12, F17
        return Res::of();
    }
    const TaskId t = m.m_swift.add_task_unless_cancelled(g->id, m.task_body(body->value, body->span), std::move(name));
    return Res::of(Value::boolean(t != 0));
}

Res cancel_all(BuiltinCall& c) {
    c.m.at(c.site.span);
    c.m.m_swift.cancel_all(static_cast<const GroupObj&>(*c.receiver().ref).id);  // semantics: F15
    return Res::of();
}

const BuiltinTable& group_methods() {
    static const BuiltinTable table{{"addTask", add_task}, {"addTaskUnlessCancelled", add_task}, {"cancelAll", cancel_all}};
    return table;
}

}  // namespace

Res Machine::swift_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    BuiltinCall c{*this, b, args, site};
    BuiltinHandler h = nullptr;
    if (b.receiver.is_nil()) h = concurrency_functions().find(b.name);
    else if (b.receiver.kind == Kind::task && b.name == "cancel") h = cancel_task;
    else if (b.receiver.kind == Kind::group) h = group_methods().find(b.name);
    handled = h != nullptr;
    return h ? h(c) : Res::of();
}

Flow<Res> Machine::task_sleep(Args args, Site site) {
    if (!m_swift.is_swift_task(m_sched.current()))
        co_return fail(DiagnosticKind::misuse, site.span, "`Task.sleep` needs an async context, but this code runs in a work item");
    Tick d = 0;
    swift::SleepKind kind = swift::SleepKind::cancellable;
    if (const ArgVal* f = find_arg(args, "for")) {
        if (f->value.kind != Kind::duration)
            co_return fail(DiagnosticKind::type_mismatch, f->span, "`Task.sleep(for:)` takes a Duration such as .seconds(1)");
        d = f->value.i;
    } else if (const ArgVal* ns = find_arg(args, "nanoseconds")) {
        if (ns->value.kind != Kind::integer) co_return fail(DiagnosticKind::type_mismatch, ns->span, "expected an integer number of nanoseconds");
        // A UInt64 past Int.max (`UInt64.max`, a sleep "forever") waits until the clock's far end.
        d = ns->value.is_unsigned_64() && ns->value.i < 0 ? k_far_future : ns->value.i;
    } else if (const ArgVal* until = find_arg(args, "until")) {
        if (until->value.kind != Kind::dispatch_time)
            co_return fail(DiagnosticKind::type_mismatch, until->span, "`Task.sleep(until:)` takes an instant such as .now + .seconds(1)");
        d = until->value.i - m_sched.now();
    } else if (const ArgVal* p = positional0(args); p && p->value.kind == Kind::integer) {
        // A UInt64 past Int.max (`UInt64.max`, a sleep "forever") waits until the clock's far end.
        d = p->value.is_unsigned_64() && p->value.i < 0 ? k_far_future : p->value.i;
        kind = swift::SleepKind::uninterruptible;  // semantics: F8 — the deprecated Task.sleep(UInt64)
    } else {
        co_return wrong_args(site, "Task.sleep", "(for:), (nanoseconds:) or (until:clock:)");
    }
    if (d < 0) d = 0;
    at(site.span);
    const swift::WaitResult w = co_await lift(m_swift.sleep(d, kind));
    at(site.span);
    if (w == swift::WaitResult::cancelled) co_return throw_value(Value::scalar(Kind::cancellation_error, 0), site.span);  // semantics: F7
    co_return Res::of();
}

Flow<Res> Machine::task_yield(Site site) {
    at(site.span);
    const ResumeStatus st = co_await m_sched.yield_now();
    (void)st;
    at(site.span);
    co_return Res::of();
}

Flow<Res> Machine::blocking_sleep(std::string name, Args args, Site site) {
    Tick d = 0;
    Res r = Res::of();
    if (name == "sleep") r = duration_arg(args, 0, k_second, d, site);
    else if (name == "usleep") r = duration_arg(args, 0, k_microsecond, d, site);
    else {
        const ArgVal* t = find_arg(args, "forTimeInterval");
        if (!t) co_return wrong_args(site, name, "(forTimeInterval:)");
        Args one{*t};
        r = duration_arg(one, 0, k_second, d, site);
    }
    if (!r.ok()) co_return r;
    if (d < 0) d = 0;
    at(site.span);
    // Thread-blocking: the task holds its thread; nothing can interrupt it. semantics: §5
    if (m_swift.is_swift_task(m_sched.current())) {
        co_await lift(m_swift.block(d));
    } else {
        const ResumeStatus st = co_await m_sched.block_for(d);
        (void)st;
    }
    at(site.span);
    co_return Res::of(name == "Thread.sleep" ? Value::void_value() : Value::integer(0));
}

Flow<Res> Machine::with_group(ScopeKind kind, std::string name, Args args, Site site) {
    const ArgVal* body = closure_arg(args, "body");
    if (!body) co_return wrong_args(site, name, "a body closure: `" + name + "(of: T.self) { group in … }`");
    const Value body_fn = body->value;
    at(site.span);
    const swift::GroupId gid = m_swift.enter_group(kind, name + " @" + line_of(site.span));  // semantics: F13
    auto g = std::make_shared<GroupObj>();
    g->id = gid;
    g->kind = kind;
    if (const ArgVal* of = find_arg(args, "of"); of && of->value.kind == Kind::type)
        g->of_type = static_cast<const TypeObj&>(*of->value.ref).name;
    Args a{ArgVal{{}, Value::with_ref(Kind::group, g), site.span, false, nullptr}};
    Res r = co_await call(body_fn, std::move(a), site);
    at(site.span);
    if (r.ctl == Ctl::fatal) co_return r;
    const bool threw = r.ctl == Ctl::throw_;
    const TaskId failed =
        threw && g->delivered_error_child != 0 && same_error(r.value, g->delivered_error) ? g->delivered_error_child : 0;
    // semantics: F19, F20, F22 — the model awaits the remaining children (cancelling them
    // first only when the body threw).
    const TaskId first = co_await lift(m_swift.exit_group(gid, threw, failed));
    at(site.span);
    if (m_fatal) co_return Res::make(Ctl::fatal);
    if (threw) co_return r;
    if (first != 0 && kind == ScopeKind::throwing_discarding_group) {
        Value e = result_of(first).value;
        co_return throw_value(std::move(e), site.span);
    }
    co_return r;
}

Flow<Res> Machine::with_cancellation_handler(Args args, Site site) {
    const ArgVal* op = find_arg(args, "operation");
    if (!op) op = closure_arg(args, {});
    const ArgVal* handler = find_arg(args, "onCancel");
    if (!handler) handler = find_arg(args, "handler");
    if (!op || !handler || !is_callable(op->value) || !is_callable(handler->value))
        co_return wrong_args(site, "withTaskCancellationHandler",
                             "(operation:onCancel:) or `withTaskCancellationHandler { … } onCancel: { … }`");
    const Value op_fn = op->value;
    const Value handler_fn = handler->value;
    const Span handler_span = handler->span;
    at(site.span);
    // semantics: F9, F10, F11 — the handler runs synchronously, inside cancel() or at once when
    // the task is already cancelled; it is removed when the operation returns.
    const std::uint32_t token = m_swift.push_handler([this, handler_fn, handler_span] {
        Res hr = run_handler_closure(handler_fn, handler_span);
        (void)hr;
    });
    Res r = co_await call(op_fn, Args{}, site);
    m_swift.pop_handler(token);
    co_return r;
}

Flow<Res> Machine::group_next_async(std::shared_ptr<GroupObj> g, Site site) {
    at(site.span);
    const TaskId child = co_await lift(m_swift.next(g->id));  // semantics: F18
    at(site.span);
    Res r = group_next(g, child, true);
    if (r.ctl == Ctl::throw_) emit_text(EventKind::threw, describe(r.value));
    co_return r;
}

Flow<Res> Machine::group_wait_all(std::shared_ptr<GroupObj> g, Site site) {
    at(site.span);
    const TaskId failed = co_await lift(m_swift.wait_for_all(g->id));  // semantics: F21
    at(site.span);
    if (failed != 0) {
        Value e = result_of(failed).value;
        co_return throw_value(std::move(e), site.span);
    }
    co_return Res::of();
}

Flow<Res> Machine::group_contains(std::shared_ptr<GroupObj> g, Args args, Site site) {
    // AsyncSequence.contains(_:) / contains(where:) on a group: takes the children's results in
    // the order they finish until one matches; the children after it stay in the group. A
    // child's error is thrown from contains, as from next().
    const ArgVal* where = find_arg(args, "where");
    if (!where && args.size() == 1 && args[0].trailing) where = &args[0];
    const ArgVal* value = !where && args.size() == 1 && args[0].label.empty() ? &args[0] : nullptr;
    if (args.size() != 1 || (!where && !value))
        co_return wrong_args(site, "contains", "(_ element) or (where: predicate)");
    const Value wanted = where ? where->value : value->value;
    const bool by_predicate = where != nullptr;
    while (true) {
        at(site.span);
        const TaskId child = co_await lift(m_swift.next(g->id));  // semantics: F18
        at(site.span);
        if (child == 0) co_return Res::of(Value::boolean(false));
        Res r = group_next(g, child, false);
        if (r.ctl == Ctl::throw_) emit_text(EventKind::threw, describe(r.value));
        if (!r.ok()) co_return r;
        const Value& element = r.value;
        if (!by_predicate) {
            if (values_equal(element, wanted)) co_return Res::of(Value::boolean(true));
            continue;
        }
        Args call_args;
        call_args.push_back(ArgVal{"", element, site.span, false, nullptr});
        Res p = call_sync(wanted, call_args, site);
        if (!p.ok()) co_return p;
        if (p.value.kind != Kind::boolean)
            co_return fail(DiagnosticKind::type_mismatch, site.span, "a `contains(where:)` predicate must return a Bool");
        if (p.value.b) co_return Res::of(Value::boolean(true));
    }
}

Flow<Res> Machine::url_session_data(Args args, Site site) {
    const ArgVal* from = find_arg(args, "from");
    if (!from) from = find_arg(args, "for");
    if (!from) co_return wrong_args(site, "URLSession.data", "(from: url)");
    if (!m_swift.is_swift_task(m_sched.current()))
        co_return fail(DiagnosticKind::misuse, site.span, "`URLSession.data` needs an async context, but this code runs in a work item");
    const Tick latency = latency_for("URLSession.data");
    std::string what = "GET " + describe(from->value);
    at(site.span);
    const swift::WaitResult w = co_await lift(m_swift.network(latency, std::move(what)));
    at(site.span);
    if (w == swift::WaitResult::cancelled) co_return throw_value(url_error("cancelled", true), site.span);
    co_return Res::of(Value::tuple({Value::scalar(Kind::data, k_download_bytes), Value::scalar(Kind::url_response, 0)}));
}

}  // namespace tasklab::interp
