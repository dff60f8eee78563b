// The asyncio cancellation model (semantics.md §3, A1–A18), driven with native coroutine
// bodies: no interpreter. Each test logs "what@milliseconds" lines and checks the log, the
// results and the trace events. The expectations are CPython 3.11's (the same programs in
// Python give the same lines on tests/asyncio_oracle).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "engine/cancel/asyncio.hpp"

template <>
struct doctest::StringMaker<std::vector<std::string>> {
    static doctest::String convert(const std::vector<std::string>& v) {
        std::string out = "{";
        for (const auto& s : v) out += (out.size() > 1 ? ", \"" : "\"") + s + "\"";
        return (out + "}").c_str();
    }
};

using namespace tasklab;
using asyncio::ExcClass;
using asyncio::ExcPtr;
using asyncio::FutureId;
using asyncio::GroupId;
using asyncio::Result;

namespace {

constexpr Tick k_ms = k_millisecond;
constexpr Tick k_s = k_second;

/// A stand-in exception: its class and its repr().
struct Exc : asyncio::Exception {
    ExcClass cls;
    std::string text;
    ExcPtr cause;
    Exc(ExcClass c, std::string t) : cls(c), text(std::move(t)) {}
    [[nodiscard]] ExcClass exc_class() const override { return cls; }
    [[nodiscard]] std::string describe() const override { return text; }
};

ExcPtr error(const std::string& text) { return std::make_shared<Exc>(ExcClass::exception, text); }

/// What the model asks of the interpreter, with plain strings for values.
struct TestHost : asyncio::Host {
    std::string killed;
    std::vector<std::uint32_t> handlers;
    ExcPtr cancelled_error(const std::optional<std::string>& m) override {
        return std::make_shared<Exc>(ExcClass::cancelled_error, m ? "CancelledError('" + *m + "')" : "CancelledError()");
    }
    ExcPtr timeout_error(const ExcPtr& cause, const ExcPtr&) override {
        auto e = std::make_shared<Exc>(ExcClass::exception, "TimeoutError()");
        e->cause = cause;
        return e;
    }
    ExcPtr exception_group(std::vector<ExcPtr> errors) override {
        std::string t = "ExceptionGroup(";
        for (std::size_t k = 0; k < errors.size(); ++k) t += (k ? ", " : "") + errors[k]->describe();
        return std::make_shared<Exc>(ExcClass::exception, t + ")");
    }
    ExcPtr runtime_error(const std::string& m) override { return std::make_shared<Exc>(ExcClass::exception, "RuntimeError('" + m + "')"); }
    ExcPtr invalid_state_error(const std::string& m) override { return std::make_shared<Exc>(ExcClass::exception, "InvalidStateError('" + m + "')"); }
    ExcPtr keyboard_interrupt() override { return std::make_shared<Exc>(ExcClass::keyboard_interrupt, "KeyboardInterrupt()"); }
    std::any make_list(std::vector<Result> items) override {
        std::vector<std::string> out;
        for (auto& r : items) out.push_back(r.error ? r.error->describe() : std::any_cast<std::string>(r.value));
        return out;
    }
    std::any make_wait_result(std::vector<FutureId> done, std::vector<FutureId> pending) override {
        return std::make_pair(done, pending);
    }
    void process_killed(const std::string& s) override { killed = s; }
    void run_signal_handler(std::uint32_t h) override { handlers.push_back(h); }
};

std::string text_of(const Result& r) {
    if (r.error) return r.error->describe();
    if (const auto* s = std::any_cast<std::string>(&r.value)) return *s;
    if (const auto* v = std::any_cast<std::vector<std::string>>(&r.value)) {
        std::string out = "[";
        for (std::size_t k = 0; k < v->size(); ++k) out += (k ? ", " : "") + (*v)[k];
        return out + "]";
    }
    return "None";
}

struct Harness {
    Trace trace;
    Scheduler sched{trace, Limits{}};
    TestHost host;
    asyncio::Model m{sched, host};
    std::vector<std::string> log;
    Result main_result;

    void say(const std::string& s) { log.push_back(s + "@" + std::to_string(sched.now() / k_ms)); }

    /// A task's body: begin_step (A2), then the coroutine, then finish with its outcome.
    template <class F>
    Co<void> task(F& coroutine) {
        if (ExcPtr e = m.begin_step()) {
            m.finish(Result::raise(e));
            co_return;
        }
        Result r = co_await coroutine();
        m.finish(r);
    }

    template <class F>
    FutureId spawn(F& coroutine, std::string name, TaskKind kind = TaskKind::unstructured) {
        return m.create_task(task(coroutine), std::move(name), kind);
    }

    /// asyncio.run(main()) from a top-level task, run to the end.
    template <class F>
    void run(F& main) {
        auto runner = [&]() -> Co<void> {
            main_result = co_await m.run(task(main), "main");
            sched.finish_current(Outcome::returned, {});
        };
        sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "<module>"}, runner());
        while (sched.step() == StepStatus::ran) {}
    }

    std::vector<Event> events(EventKind kind, TaskId task = 0) const {
        std::vector<Event> out;
        for (std::uint64_t i = 0; i < trace.size(); ++i) {
            const Event e = trace.at(i);
            if (e.kind == kind && (task == 0 || e.task == task)) out.push_back(e);
        }
        return out;
    }
    std::size_t lints(LintKind k) const {
        std::size_t n = 0;
        for (const Event& e : events(EventKind::lint))
            if (static_cast<LintKind>(e.detail) == k) ++n;
        return n;
    }
};

bool is_cancel(const Result& r) { return r.error && r.error->exc_class() == ExcClass::cancelled_error; }

}  // namespace

TEST_SUITE("asyncio model: Task.cancel") {

TEST_CASE("cancel only requests: it returns True at once and CancelledError arrives at the awaited sleep (A1)") {
    Harness h;
    FutureId w = 0;
    bool returned = false, done_after = true;
    auto worker = [&]() -> Co<Result> {
        h.say("worker sleeps");
        Result r = co_await h.m.sleep(10 * k_s, std::string("slept"));
        h.say(is_cancel(r) ? "worker got " + r.error->describe() : "worker woke");
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        co_await h.m.sleep(k_s, std::string());
        returned = h.m.cancel(w, std::nullopt);
        done_after = h.m.done(w);
        h.say("main cancelled");
        Result r = co_await h.m.await_future(w);
        h.say("main: await worker -> " + text_of(r));
        co_return Result::of(std::string("ok"));
    };
    h.run(main);
    CHECK(returned);
    CHECK_FALSE(done_after);
    CHECK(h.log == std::vector<std::string>{"worker sleeps@0", "main cancelled@1000", "worker got CancelledError()@1000",
                                            "main: await worker -> CancelledError()@1000"});
    CHECK(h.m.cancelled(w));
    REQUIRE(h.events(EventKind::cancel_requested).size() == 1);
    CHECK(static_cast<ObservedBy>(h.events(EventKind::cancel_observed).front().detail) == ObservedBy::await_point);
}

TEST_CASE("a task cancelled before its first step never enters its coroutine and still ends cancelled (A2)") {
    Harness h;
    FutureId w = 0;
    auto worker = [&]() -> Co<Result> {
        h.say("body runs");
        co_return Result::of(std::string("x"));
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        h.m.cancel(w, std::nullopt);
        Result r = co_await h.m.await_future(w);
        h.say("await -> " + text_of(r));
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"await -> CancelledError()@0"});
    CHECK(h.m.cancelled(w));
    REQUIRE(h.events(EventKind::cancel_observed).size() == 1);
    CHECK(static_cast<ObservedBy>(h.events(EventKind::cancel_observed).front().detail) == ObservedBy::never_started);
}

TEST_CASE("only a real suspension delivers a pending cancel: a done future gives its value, sleep(0) raises (A3)") {
    Harness h;
    FutureId w = 0;
    auto worker = [&]() -> Co<Result> {
        co_await h.m.sleep(0, {});
        h.m.cancel(h.m.current_task(), std::nullopt);  // no waiter: the cancel waits for the next suspension
        const FutureId f = h.m.create_future();
        h.m.set_result(f, std::string("ready"));
        Result r = co_await h.m.await_future(f);
        h.say("done future gave " + text_of(r));
        Result s = co_await h.m.sleep(0, {});
        h.say("sleep(0) gave " + text_of(s));
        co_return s;
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        Result r = co_await h.m.await_future(w);
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"done future gave ready@0", "sleep(0) gave CancelledError()@0"});
    CHECK(h.m.cancelled(w));
}

TEST_CASE("one cancel delivers one CancelledError: a task that swallows it goes on and ends normally (A4)") {
    Harness h;
    FutureId w = 0;
    auto worker = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(10 * k_s, {});
        if (is_cancel(r)) {
            h.m.note_cancel_caught();
            h.say("swallowed");
        }
        Result again = co_await h.m.sleep(k_s, std::string());
        h.say(again.ok() ? "second sleep completed" : "second sleep raised");
        co_return Result::of(std::string("result"));
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        co_await h.m.sleep(k_s, {});
        h.m.cancel(w, std::nullopt);
        Result r = co_await h.m.await_future(w);
        h.say("await -> " + text_of(r));
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"swallowed@1000", "second sleep completed@2000", "await -> result@2000"});
    CHECK_FALSE(h.m.cancelled(w));
    CHECK(h.m.cancelling(w) == 1);
    CHECK(h.lints(LintKind::cancel_swallowed) == 1);
}

TEST_CASE("two cancels give one CancelledError with the first message and a count of two; uncancel counts down (A5, A7)") {
    Harness h;
    FutureId w = 0;
    std::string inside;
    std::uint32_t count = 0;
    auto worker = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(10 * k_s, {});
        inside = text_of(r);
        count = h.m.cancelling(h.m.current_task());
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        co_await h.m.sleep(k_s, {});
        h.m.cancel(w, std::string("first"));
        h.m.cancel(w, std::string("second"));
        Result first = co_await h.m.await_future(w);
        h.say("await -> " + text_of(first));
        h.say("result() -> " + text_of(h.m.result(w)));
        h.say("uncancel -> " + std::to_string(h.m.uncancel(w)));
        co_return first;
    };
    h.run(main);
    CHECK(inside == "CancelledError('first')");
    CHECK(count == 2);
    CHECK(h.log == std::vector<std::string>{"await -> CancelledError('first')@1000", "result() -> CancelledError()@1000",
                                            "uncancel -> 1@1000"});
}

TEST_CASE("a task that cancels itself and returns ends cancelled, its value discarded (A6)") {
    Harness h;
    FutureId w = 0;
    auto worker = [&]() -> Co<Result> {
        h.m.cancel(h.m.current_task(), std::nullopt);
        co_return Result::of(std::string("value"));
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        Result r = co_await h.m.await_future(w);
        h.say("await -> " + text_of(r));
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"await -> CancelledError()@0"});
    CHECK(h.m.cancelled(w));
}

TEST_CASE("CancelledError is a BaseException: a task whose code lets it through ends cancelled (A8)") {
    Harness h;
    FutureId w = 0;
    auto worker = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(10 * k_s, {});
        // `except Exception` does not match: the error goes on after `finally`.
        h.say("finally");
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        w = h.spawn(worker, "worker");
        co_await h.m.sleep(k_s, {});
        h.m.cancel(w, std::nullopt);
        co_await h.m.sleep(0, {});
        h.say(std::string("done=") + (h.m.done(w) ? "1" : "0") + " cancelled=" + (h.m.cancelled(w) ? "1" : "0"));
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"finally@1000", "done=1 cancelled=1@1000"});
}

TEST_CASE("a cancel after the awaited future resolved but before the task resumed loses the value (A9)") {
    Harness h;
    FutureId w = 0, f = 0;
    auto worker = [&]() -> Co<Result> {
        Result r = co_await h.m.await_future(f);
        h.say("worker got " + text_of(r));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        f = h.m.create_future();
        w = h.spawn(worker, "worker");
        co_await h.m.sleep(0, {});
        h.m.set_result(f, std::string("v"));
        h.m.cancel(w, std::nullopt);
        Result r = co_await h.m.await_future(w);
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"worker got CancelledError()@0"});
    CHECK(text_of(h.m.result(f)) == "v");
}

TEST_CASE("cancelling a task that awaits another task cancels that task too, but not a task it merely created (A10)") {
    Harness h;
    FutureId outer = 0, awaited = 0, created = 0;
    auto sleeper = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("done"));
        h.say(std::string(is_cancel(r) ? "awaited cancelled" : "awaited done"));
        co_return r;
    };
    auto bystander = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("done"));
        h.say(std::string(is_cancel(r) ? "created cancelled" : "created done"));
        co_return r;
    };
    auto middle = [&]() -> Co<Result> {
        created = h.spawn(bystander, "created");
        awaited = h.spawn(sleeper, "awaited");
        Result r = co_await h.m.await_future(awaited);
        h.say("outer got " + text_of(r));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        outer = h.spawn(middle, "outer");
        co_await h.m.sleep(100 * k_ms, {});
        h.m.cancel(outer, std::nullopt);
        co_await h.m.sleep(2 * k_s, {});
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"awaited cancelled@100", "outer got CancelledError()@100", "created done@1000"});
    bool forwarded = false;
    for (const Event& e : h.events(EventKind::cancel_requested))
        if (static_cast<CancelCause>(e.detail) == CancelCause::awaiter_cancelled) forwarded = true;
    CHECK(forwarded);
    CHECK_FALSE(h.m.cancelled(created));
}

TEST_CASE("asyncio.run cancels what is still running when main returns, cutting its cleanup short (A11)") {
    Harness h;
    FutureId server = 0;
    auto serve = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(100 * k_s, {});
        if (is_cancel(r)) {
            h.say("cleanup starts");
            Result c = co_await h.m.sleep(500 * k_ms, {});
            h.say(c.ok() ? "cleanup done" : "cleanup cut short");
            co_return c.ok() ? r : c;
        }
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        server = h.spawn(serve, "server");
        co_await h.m.sleep(k_s, {});
        h.m.cancel(server, std::nullopt);
        co_await h.m.sleep(100 * k_ms, {});
        h.say("main returns");
        co_return Result::of(std::string("main result"));
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"cleanup starts@1000", "main returns@1100", "cleanup cut short@1100"});
    CHECK(text_of(h.main_result) == "main result");
    bool shutdown = false;
    for (const Event& e : h.events(EventKind::cancel_requested))
        if (static_cast<CancelCause>(e.detail) == CancelCause::shutdown) shutdown = true;
    CHECK(shutdown);
    CHECK(h.lints(LintKind::task_never_awaited) == 1);
}

}  // TEST_SUITE

TEST_SUITE("asyncio model: timeouts and shields") {

TEST_CASE("wait_for cancels at the deadline and raises TimeoutError only after the inner cleanup, from the CancelledError (A12)") {
    Harness h;
    auto inner = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(10 * k_s, {});
        h.say("inner cancelled");
        co_await h.m.sleep(500 * k_ms, {});
        h.say("inner cleanup done");
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        const FutureId t = h.spawn(inner, "inner");
        Result r = co_await h.m.wait_for(t, k_s);
        h.say("wait_for -> " + text_of(r));
        const auto* e = r.error ? dynamic_cast<const Exc*>(r.error.get()) : nullptr;
        if (e && e->cause) h.say("cause " + e->cause->describe());
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"inner cancelled@1000", "inner cleanup done@1500", "wait_for -> TimeoutError()@1500",
                                            "cause CancelledError()@1500"});
}

TEST_CASE("a timeout block whose body swallows the deadline's cancel raises nothing, yet reports expired (A12)") {
    Harness h;
    bool expired = false;
    bool raised = true;
    auto main = [&]() -> Co<Result> {
        const GroupId t = h.m.timeout_enter(500 * k_ms, "timeout");
        Result r = co_await h.m.sleep(2 * k_s, {});
        if (is_cancel(r)) h.say("body swallows the cancel");
        Result exit = h.m.timeout_exit(t, nullptr);
        raised = !exit.ok();
        expired = h.m.timeout_expired(t);
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"body swallows the cancel@500"});
    CHECK_FALSE(raised);
    CHECK(expired);
}

TEST_CASE("asyncio.wait with a timeout cancels nothing and returns the done and pending sets (A13)") {
    Harness h;
    FutureId a = 0, b = 0;
    std::size_t done = 0, pending = 0;
    auto fast = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("a"));
        co_return r;
    };
    auto slow = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(3 * k_s, std::string("b"));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        a = h.spawn(fast, "a");
        b = h.spawn(slow, "b");
        std::vector<FutureId> both{a, b};  // (g++ 12: no braced lists inside a co_await expression)
        Result r = co_await h.m.wait(both, 2 * k_s, asyncio::ReturnWhen::all_completed);
        const auto sets = std::any_cast<std::pair<std::vector<FutureId>, std::vector<FutureId>>>(r.value);
        done = sets.first.size();
        pending = sets.second.size();
        h.say("wait returned");
        Result rb = co_await h.m.await_future(b);
        h.say("b -> " + text_of(rb));
        co_return rb;
    };
    h.run(main);
    CHECK(done == 1);
    CHECK(pending == 1);
    CHECK(h.log == std::vector<std::string>{"wait returned@2000", "b -> b@3000"});
}

TEST_CASE("cancelling the await of a shield raises in the caller at once while the inner task runs on (A14)") {
    Harness h;
    FutureId inner = 0, caller = 0;
    auto work = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("inner result"));
        h.say("inner finished");
        co_return r;
    };
    auto shielded = [&]() -> Co<Result> {
        const FutureId outer = h.m.shield(inner);
        Result r = co_await h.m.await_future(outer);
        h.say("caller got " + text_of(r));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        inner = h.spawn(work, "inner");
        caller = h.spawn(shielded, "caller");
        co_await h.m.sleep(100 * k_ms, {});
        h.m.cancel(caller, std::nullopt);
        Result r = co_await h.m.await_future(inner);
        h.say("main got " + text_of(r));
        co_return r;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"caller got CancelledError()@100", "inner finished@1000", "main got inner result@1000"});
    CHECK(h.m.cancelled(caller));
    CHECK_FALSE(h.m.cancelled(inner));
}

}  // TEST_SUITE

TEST_SUITE("asyncio model: TaskGroup and gather") {

TEST_CASE("a failing child makes the group cancel its siblings and the body at once, then raise an ExceptionGroup (A15)") {
    Harness h;
    std::string raised;
    auto child = [&](std::string name, Tick d, bool fail) {
        return [&h, name, d, fail]() -> Co<Result> {
            Result r = co_await h.m.sleep(d, std::string(name));
            if (!r.ok()) {
                h.say(name + " cancelled");
                co_return r;
            }
            if (fail) co_return Result::raise(error("ValueError('" + name + "')"));
            co_return r;
        };
    };
    auto c1 = child("c1", 2 * k_s, false);
    auto c2 = child("c2", k_s, true);
    auto c3 = child("c3", 3 * k_s, false);
    auto main = [&]() -> Co<Result> {
        const GroupId g = h.m.group_enter("tg");
        FutureId f = 0;
        h.m.group_create_task(g, h.task(c1), "c1", f);
        h.m.group_create_task(g, h.task(c2), "c2", f);
        h.m.group_create_task(g, h.task(c3), "c3", f);
        Result r = co_await h.m.group_exit(g, nullptr);
        raised = text_of(r);
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"c1 cancelled@1000", "c3 cancelled@1000"});
    CHECK(raised == "ExceptionGroup(ValueError('c2'))");
    REQUIRE(h.events(EventKind::error_delivered).size() == 1);
    CHECK(h.events(EventKind::scope_entered).size() == 1);
    CHECK(h.events(EventKind::scope_exited).size() == 1);
}

TEST_CASE("errors beat cancellation, and a child that swallows the group's cancel delays the ExceptionGroup (A16)") {
    Harness h;
    FutureId owner = 0;
    std::string raised;
    auto failing = [&]() -> Co<Result> {
        co_await h.m.sleep(500 * k_ms, {});
        co_return Result::raise(error("ValueError('e1')"));
    };
    auto stubborn = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(5 * k_s, {});
        if (is_cancel(r)) {
            co_await h.m.sleep(500 * k_ms, {});
            h.say("stubborn returns");
        }
        co_return Result::of(std::string("s"));
    };
    auto body = [&]() -> Co<Result> {
        const GroupId g = h.m.group_enter("tg");
        FutureId f = 0;
        h.m.group_create_task(g, h.task(failing), "failing", f);
        h.m.group_create_task(g, h.task(stubborn), "stubborn", f);
        Result r = co_await h.m.sleep(10 * k_s, {});
        Result exit = co_await h.m.group_exit(g, r.error);
        raised = text_of(exit.ok() ? r : exit);
        co_return exit.ok() ? r : exit;
    };
    auto main = [&]() -> Co<Result> {
        owner = h.spawn(body, "owner");
        co_await h.m.sleep(200 * k_ms, {});
        h.m.cancel(owner, std::nullopt);
        Result r = co_await h.m.await_future(owner);
        h.say("owner -> " + text_of(r));
        co_return Result::of(std::string());
    };
    h.run(main);
    // The failing child ignores the group's cancel and raises; the stubborn one swallows it.
    CHECK(h.log == std::vector<std::string>{"stubborn returns@700", "owner -> ExceptionGroup(ValueError('e1'))@700"});
    CHECK_FALSE(h.m.cancelled(owner));
}

TEST_CASE("a cancelled owner cancels the children and gets CancelledError, not a group, out of the async with (A17)") {
    Harness h;
    FutureId owner = 0;
    auto child = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(5 * k_s, {});
        h.say(std::string(is_cancel(r) ? "child cancelled" : "child done"));
        co_return r;
    };
    auto body = [&]() -> Co<Result> {
        const GroupId g = h.m.group_enter("tg");
        FutureId f = 0;
        h.m.group_create_task(g, h.task(child), "child", f);
        Result exit = co_await h.m.group_exit(g, nullptr);
        h.say("group exit -> " + text_of(exit));
        FutureId late = 0;
        Result refused = h.m.group_create_task(g, h.task(child), "late", late);
        h.say("create_task after exit -> " + text_of(refused));
        co_return exit;
    };
    auto main = [&]() -> Co<Result> {
        owner = h.spawn(body, "owner");
        co_await h.m.sleep(k_s, {});
        h.m.cancel(owner, std::nullopt);
        Result r = co_await h.m.await_future(owner);
        co_return r.ok() ? r : Result::of(std::string());
    };
    h.run(main);
    REQUIRE(h.log.size() == 3);
    CHECK(h.log[0] == "child cancelled@1000");
    CHECK(h.log[1] == "group exit -> CancelledError()@1000");
    CHECK(h.log[2].find("create_task after exit -> RuntimeError") == 0);
    CHECK(h.m.cancelled(owner));
}

TEST_CASE("gather raises the first error at once and leaves the other children running; return_exceptions lists them (A18)") {
    Harness h;
    FutureId slow = 0;
    auto failing = [&]() -> Co<Result> {
        co_await h.m.sleep(k_s, {});
        co_return Result::raise(error("ValueError('boom')"));
    };
    auto slow_body = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(2 * k_s, std::string("slow"));
        h.say(std::string(is_cancel(r) ? "slow cancelled" : "slow done"));
        co_return r;
    };
    auto failing2 = [&]() -> Co<Result> {
        co_await h.m.sleep(k_s, {});
        co_return Result::raise(error("ValueError('again')"));
    };
    auto quick = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("quick"));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        const FutureId a = h.spawn(failing, "failing");
        slow = h.spawn(slow_body, "slow");
        std::vector<FutureId> first{a, slow};
        const FutureId g1 = h.m.gather(first, false);
        Result r = co_await h.m.await_future(g1);
        h.say("gather -> " + text_of(r));
        co_await h.m.sleep(2 * k_s, {});
        const FutureId c = h.spawn(failing2, "failing2");
        const FutureId d = h.spawn(quick, "quick");
        std::vector<FutureId> second{c, d};
        const FutureId g2 = h.m.gather(second, true);
        Result all = co_await h.m.await_future(g2);
        h.say("with return_exceptions -> " + text_of(all));
        co_return all;
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"gather -> ValueError('boom')@1000", "slow done@2000",
                                            "with return_exceptions -> [ValueError('again'), quick]@4000"});
    CHECK_FALSE(h.m.cancelled(slow));
}

TEST_CASE("cancelling a gather cancels its unfinished children; the gather reports a CancelledError without being cancelled (A18)") {
    Harness h;
    FutureId g = 0;
    auto child = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("c"));
        h.say(std::string(is_cancel(r) ? "child cancelled" : "child done"));
        co_return r;
    };
    auto child2 = [&]() -> Co<Result> {
        Result r = co_await h.m.sleep(k_s, std::string("c"));
        h.say(std::string(is_cancel(r) ? "child cancelled" : "child done"));
        co_return r;
    };
    auto main = [&]() -> Co<Result> {
        const FutureId a = h.spawn(child, "a");
        const FutureId b = h.spawn(child2, "b");
        std::vector<FutureId> both{a, b};
        g = h.m.gather(both, false);
        co_await h.m.sleep(100 * k_ms, {});
        h.say(std::string("cancel -> ") + (h.m.cancel(g, std::nullopt) ? "True" : "False"));
        Result r = co_await h.m.await_future(g);
        h.say("await gather -> " + text_of(r));
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"cancel -> True@100", "child cancelled@100", "child cancelled@100",
                                            "await gather -> CancelledError()@100"});
    CHECK_FALSE(h.m.cancelled(g));
    const Result e = h.m.exception(g);
    REQUIRE(e.ok());
    CHECK(std::any_cast<ExcPtr>(e.value)->exc_class() == ExcClass::cancelled_error);
}

}  // TEST_SUITE

TEST_SUITE("asyncio model: the loop") {

TEST_CASE("a signal with a loop handler runs the handler one pass after it arrives; SIGKILL's default action ends the process") {
    Harness h;
    std::uint32_t handler_count_at_timer = 99;
    auto main = [&]() -> Co<Result> {
        h.m.add_signal_handler("SIGINT", 7);
        co_await h.m.sleep(2 * k_s, {});
        handler_count_at_timer = static_cast<std::uint32_t>(h.host.handlers.size());
        co_await h.m.sleep(k_s, {});
        co_return Result::of(std::string());
    };
    h.m.schedule_signal("SIGINT", 2 * k_s);
    h.m.schedule_signal("SIGKILL", 2500 * k_ms);
    h.run(main);
    REQUIRE(h.host.handlers.size() == 1);
    CHECK(h.host.handlers[0] == 7);
    // The reader ran in the pass of the 2 s timer, before that timer's callback: the main task
    // resumed after the handler was queued.
    CHECK(handler_count_at_timer == 1);
    CHECK(h.host.killed == "SIGKILL");
}

TEST_CASE("a callback from call_later runs at its deadline in its own step, with no task current") {
    Harness h;
    TaskId seen = 99;
    auto main = [&]() -> Co<Result> {
        h.m.call_later(500 * k_ms, [&] {
            seen = h.sched.current();
            h.say("callback");
        });
        co_await h.m.sleep(k_s, {});
        h.say("main wakes");
        co_return Result::of(std::string());
    };
    h.run(main);
    CHECK(h.log == std::vector<std::string>{"callback@500", "main wakes@1000"});
    CHECK(seen == 0);
}

}  // TEST_SUITE
