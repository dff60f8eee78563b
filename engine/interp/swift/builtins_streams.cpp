// AsyncStream and AsyncThrowingStream: a producer yields values through the stream's
// continuation, one consumer takes them with `for await` or an iterator's next().
//
// The rules are those of the standard library's stream storage (docs/semantics.md,
// "AsyncStream"), checked against the real runtime by the corpus programs `stream_*`:
//   * yield(x) hands x to a consumer waiting in next(), else buffers it under the buffering
//     policy (unbounded by default; bufferingNewest(n) drops the oldest, bufferingOldest(n)
//     the newest) and answers `.enqueued(remaining:)`, `.dropped(x)` or `.terminated`;
//   * finish() / finish(throwing:) makes the stream terminal, calls onTermination(.finished)
//     inside the call, and the consumer gets the buffered values, then the error (throwing
//     streams), then nil;
//   * next() runs under a cancellation handler: cancelling the consuming task calls
//     onTermination(.cancelled) inside cancel(), terminates the stream, and a consumer waiting
//     there gets nil (its loop ends);
//   * a second task calling next() while one waits is the runtime's fatal error.
#include "engine/interp/swift/bridges.hpp"
#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/builtin_table.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

const ArgVal* first_positional(const Args& args) {
    for (const auto& a : args)
        if (a.label.empty() && !a.trailing) return &a;
    return nullptr;
}

/// The value of a yield's result: `.enqueued(remaining: n)`, `.dropped(x)`, `.terminated`,
/// as symbols that print as Swift prints the cases.
Value enqueued(std::int64_t remaining) { return Value::symbol("enqueued(remaining: " + std::to_string(remaining) + ")"); }
Value dropped(const Value& x) { return Value::symbol("dropped(" + describe(x, Style::debug) + ")"); }

}  // namespace

Res Machine::make_stream(bool throwing, Args& args, const Site& site, bool pair, Value* build_out) {
    const char* type = throwing ? "AsyncThrowingStream" : "AsyncStream";
    auto s = std::make_shared<StreamObj>();
    s->throwing = throwing;
    s->name = lane_name(type, site.span, site.name_hint);
    if (const ArgVal* p = find_arg(args, "bufferingPolicy")) {
        const Value& v = p->value;
        if (v.kind == Kind::symbol && str(v) == "unbounded") {
            s->policy = StreamBuffering::unbounded;
        } else if (v.kind == Kind::tuple && items(v).size() == 2 && items(v)[0].kind == Kind::symbol) {
            s->policy = str(items(v)[0]) == "bufferingNewest" ? StreamBuffering::newest : StreamBuffering::oldest;
            s->limit = items(v)[1].i;
        } else {
            return fail(DiagnosticKind::type_mismatch, p->span,
                        "expected a buffering policy: .unbounded, .bufferingNewest(n) or .bufferingOldest(n)");
        }
    }
    Value cont = Value::with_ref(Kind::stream_continuation, s);
    Value stream = Value::with_ref(Kind::stream, s);
    if (pair) {
        // makeStream(of:throwing:bufferingPolicy:) returns (stream:, continuation:).
        return Res::of(Value::tuple({stream, cont}, {"stream", "continuation"}));
    }
    const ArgVal* build = nullptr;
    for (const auto& a : args)
        if ((a.label.empty() || a.label == "build" || a.label == "_") && is_callable(a.value)) build = &a;
    if (!build) {
        if (find_arg(args, "unfolding"))
            return fail(DiagnosticKind::unknown_member, site.span, std::string("`") + type + "(unfolding:)` is not supported by tasklab yet",
                        "write the stream with a build closure: `" + std::string(type) + " { continuation in … }`");
        return wrong_args(site, type, "a build closure: `" + std::string(type) + " { continuation in … }`");
    }
    if (build_out) {
        *build_out = build->value;
        return Res::of(stream);
    }
    // The build closure runs at once, inside the initializer.
    Args a{ArgVal{{}, cont, site.span, false, nullptr}};
    Res r = call_sync(build->value, a, site);
    if (!r.ok()) return r;
    return Res::of(stream);
}

Flow<Res> Machine::make_stream_async(bool throwing, Args args, Site site) {
    Value build;
    Res made = make_stream(throwing, args, site, false, &build);
    if (!made.ok() || build.is_nil()) co_return made;
    Args a{ArgVal{{}, Value::with_ref(Kind::stream_continuation, made.value.ref), site.span, false, nullptr}};
    Res r = co_await call(build, std::move(a), site);
    if (!r.ok()) co_return r;
    co_return made;
}

namespace {

/// A method call on a stream or its continuation.
struct StreamCall {
    Machine& m;
    const std::shared_ptr<StreamObj>& s;
    const std::string& name;
    Args& args;
    const Site& site;

    Res wrong(const std::string& expected) const { return m.wrong_args(site, name, expected); }
};
using StreamHandler = Res (*)(StreamCall&);

Res make_iterator(StreamCall& c) {
    if (!c.args.empty()) return c.wrong("()");
    return Res::of(Value::with_ref(Kind::stream, c.s));  // the iterator reads the same storage
}

/// Where a yielded value goes when no consumer waits: the buffer, under the buffering policy.
Value buffer_value(StreamObj& st, Value x) {
    const std::int64_t count = static_cast<std::int64_t>(st.pending.size());
    switch (st.policy) {
    case StreamBuffering::unbounded:
        st.pending.push_back(std::move(x));
        return enqueued(INT64_MAX);
    case StreamBuffering::oldest:
        if (count < st.limit) {
            st.pending.push_back(std::move(x));
            return enqueued(st.limit - (count + 1));
        }
        return dropped(x);
    case StreamBuffering::newest:
        if (count < st.limit) {
            st.pending.push_back(std::move(x));
            return enqueued(st.limit - (count + 1));
        }
        if (count > 0) {
            Value old = st.pending.front();
            st.pending.pop_front();
            st.pending.push_back(std::move(x));
            return dropped(old);
        }
        return dropped(x);
    }
    return Value::void_value();
}

/// yield(x), yield() for a Void stream, yield(with: result).
Res yield_value(StreamCall& c) {
    StreamObj& st = *c.s;
    Value x = Value::void_value();
    if (const ArgVal* w = find_arg(c.args, "with")) {
        const Value r = w->value.unwrapped();
        if (r.kind != Kind::result) return c.wrong("(value) or (with: result)");
        if (r.i == 1) {
            c.m.at(c.site.span);
            c.m.stream_finish(c.s, true, static_cast<const ResultObj&>(*r.ref).payload, c.site.span);
            return Res::of(Value::symbol("terminated"));
        }
        x = static_cast<const ResultObj&>(*r.ref).payload;
    } else if (const ArgVal* v = first_positional(c.args); v && c.args.size() == 1) {
        x = v->value;
    } else if (!c.args.empty()) {
        return c.wrong("(value)");
    }
    c.m.at(c.site.span);
    if (st.terminal) return Res::of(Value::symbol("terminated"));
    if (st.waiter != 0 && st.pending.empty()) {
        // A consumer waits in next(): the value goes straight to it.
        const TaskId t = st.waiter;
        st.waiter = 0;
        st.handed = true;
        st.handoff = std::move(x);
        c.m.m_sched.wake(t, ResumeStatus::normal);
        return Res::of(st.policy == StreamBuffering::unbounded ? enqueued(INT64_MAX) : enqueued(st.limit));
    }
    return Res::of(buffer_value(st, std::move(x)));
}

Res finish_stream(StreamCall& c) {
    const ArgVal* t = find_arg(c.args, "throwing");
    if (!c.args.empty() && (!t || c.args.size() != 1)) return c.wrong(c.s->throwing ? "() or (throwing: error)" : "()");
    c.m.at(c.site.span);
    // finish(throwing: nil) finishes without an error.
    const bool with_error = t && !t->value.is_nil();
    c.m.stream_finish(c.s, with_error, with_error ? t->value.unwrapped() : Value(), c.site.span);
    return Res::of();
}

const NameTable<StreamHandler>& stream_methods() {
    static const NameTable<StreamHandler> table{
        {"makeAsyncIterator", make_iterator}, {"yield", yield_value}, {"finish", finish_stream}};
    return table;
}

}  // namespace

Res Machine::stream_builtin(const std::shared_ptr<StreamObj>& s, const std::string& name, Args& args, const Site& site) {
    if (const StreamHandler h = stream_methods().find(name)) {
        StreamCall c{*this, s, name, args, site};
        return h(c);
    }
    return unknown_member(Value::with_ref(Kind::stream, s), name, site.span);
}

void Machine::stream_finish(const std::shared_ptr<StreamObj>& s, bool with_error, Value error, Span span) {
    StreamObj& st = *s;
    const Value handler = st.on_termination;
    st.on_termination = Value::nil();
    if (!st.terminal) {
        st.terminal = true;
        if (with_error && st.throwing) {
            st.has_error = true;
            st.error = std::move(error);
        }
    }
    if (st.waiter != 0) {
        const TaskId t = st.waiter;
        st.waiter = 0;
        m_sched.wake(t, ResumeStatus::normal);
    }
    // onTermination runs inside finish(), after the stream became terminal.
    if (!handler.is_nil()) {
        Value why = Value::symbol("finished");
        if (st.throwing) why = Value::symbol(st.has_error ? "finished(" + describe(st.error.wrapped(), Style::debug) + ")" : "finished(nil)");
        Args a{ArgVal{{}, why, span, false, nullptr}};
        Site site{span, {}};
        Res r = call_sync(handler, a, site);
        (void)r;
    }
}

void Machine::stream_cancel(const std::shared_ptr<StreamObj>& s, Span span) {
    // The runtime's storage cancel(): onTermination(.cancelled) first, then finish.
    const Value handler = s->on_termination;
    s->on_termination = Value::nil();
    if (!handler.is_nil()) {
        Args a{ArgVal{{}, Value::symbol("cancelled"), span, false, nullptr}};
        Site site{span, {}};
        Res r = call_sync(handler, a, site);
        (void)r;
    }
    stream_finish(s, false, Value(), span);
}

Flow<Res> Machine::stream_next(std::shared_ptr<StreamObj> s, Site site) {
    if (!m_swift.is_swift_task(m_sched.current()))
        co_return fail(DiagnosticKind::misuse, site.span, "`next()` on a stream needs an async context, but this code runs in a work item");
    if (s->waiter != 0)
        co_return fail(DiagnosticKind::misuse, site.span, "attempt to await next() on more than one task",
                       "an AsyncStream has one consumer at a time; the real runtime stops with this fatal error");
    at(site.span);
    // semantics: streams — next() runs under a cancellation handler that cancels the stream
    // (F9, F10: it runs at once when the task is already cancelled).
    std::weak_ptr<StreamObj> weak = s;
    const Span span = site.span;
    const std::uint32_t token = m_swift.push_handler([this, weak, span] {
        if (auto strong = weak.lock()) stream_cancel(strong, span);
    });
    Res out = Res::of(Value::nil());
    for (;;) {
        if (m_fatal) {
            out = Res::make(Ctl::fatal);
            break;
        }
        if (s->handed) {
            s->handed = false;
            out = Res::of(s->handoff.wrapped());
            s->handoff = Value();
            break;
        }
        if (!s->pending.empty()) {
            Value x = s->pending.front();
            s->pending.pop_front();
            out = Res::of(x.wrapped());
            break;
        }
        if (s->terminal) {
            if (s->has_error) {
                // The error comes once, after the buffered values; then nil.
                s->has_error = false;
                Value e = s->error;
                m_swift.pop_handler(token);
                co_return throw_value(std::move(e), site.span);
            }
            break;
        }
        s->waiter = m_sched.current();
        const ResumeStatus st = co_await m_sched.park(WaitReason::event, 0, "next() on " + s->name, Interruptible::no, false);
        (void)st;
        at(site.span);
    }
    m_swift.pop_handler(token);
    co_return out;
}

Flow<Res> Machine::exec_for_stream(const ForIn* f, EnvPtr env, Value stream) {
    auto s = std::static_pointer_cast<StreamObj>(stream.ref);
    for (;;) {
        // A named Site: GCC 12 destroys a braced temporary passed to a coroutine twice.
        Site site;
        site.span = f->iterable->span;
        Res item = co_await stream_next(s, site);
        if (!item.ok()) co_return item;
        if (item.value.is_nil()) break;
        Value x = item.value;
        --x.opt;
        EnvPtr le = m_envs.make(env);
        Res b = bind_loop_var(f, x, le);
        if (!b.ok()) co_return b;
        Res r = co_await run_block(f->body, le);
        if (r.ctl == Ctl::break_) break;
        if (r.ctl == Ctl::continue_) continue;
        if (!r.ok()) co_return r;
    }
    co_return Res::of();
}

}  // namespace tasklab::interp
