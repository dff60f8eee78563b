// Worker threads: asyncio.to_thread and loop.run_in_executor(None, …) (semantics.md §3, T1–T5).
//
// CPython runs such a call on a thread of the loop's default executor, a ThreadPoolExecutor;
// `to_thread(f, *args)` is `run_in_executor(None, ctx.run, f, *args)`. tasklab makes each
// submitted call a scheduler task of kind `thread` (its own lane) and runs the plain Python
// function on the interpreter's synchronous path, on a Fiber of its own (engine/fiber.hpp), so
// that `time.sleep` inside it parks just that worker (a thread-blocking wait of its task) while
// the loop goes on. The rule that makes it deterministic, the oracle's too
// (tests/asyncio_oracle/README.md, "Worker threads"): a worker runs as one more entry of the
// loop's ready queue. Submitting queues its start at the back of the ready queue; a
// `time.sleep(s)` in it arms a timer at now + s, ordered with the loop's timers by (deadline,
// arming order), that queues its next run; each run goes until the function sleeps again or
// returns. Its end queues the callback that hands the result to the asyncio future
// (call_soon_threadsafe), then the start of the next call waiting for a free thread.
//
// Cancelling the task that awaits the call cancels only the asyncio future: the thread runs
// on to the end of its function and its result is dropped (T2). asyncio.run waits for the
// running workers before it returns (loop.shutdown_default_executor, T3).
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

namespace {

std::string clip_text(std::string s, std::size_t n = 120) {
    if (s.size() <= n) return s;
    std::size_t cut = n;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    return s.substr(0, cut) + "\xE2\x80\xA6";
}

}  // namespace

Res Machine::threads_call(const std::string& name, Args& args, Span span) {
    if (!m_model.loop_running()) return raise_error("RuntimeError", "no running event loop");
    if (name == "asyncio.to_thread") {
        if (args.pos.empty()) return raise_error("TypeError", "to_thread() missing 1 required positional argument: 'func'");
        Value fn = args.pos[0];
        Args call_args;
        call_args.pos.assign(args.pos.begin() + 1, args.pos.end());
        call_args.kw = args.kw;
        return Res::of(make_native_coroutine("to_thread", [this, fn, call_args, span]() { return to_thread_co(fn, call_args, span); }));
    }
    // loop.run_in_executor(executor, func, *args): submits at once and returns the future.
    if (!args.kw.empty())
        return raise_error("TypeError", "BaseEventLoop.run_in_executor() got an unexpected keyword argument '" + args.kw[0].first + "'");
    if (args.pos.size() < 2)
        return raise_error("TypeError", "BaseEventLoop.run_in_executor() missing " + std::to_string(2 - args.pos.size()) +
                                            " required positional argument" + (args.pos.empty() ? "s: 'executor' and 'func'" : ": 'func'"));
    if (!args.pos[0].is_none())
        return fail(DiagnosticKind::unknown_member, span, "tasklab runs only the loop's default executor",
                    "pass None as the executor: loop.run_in_executor(None, func, *args)");
    Args call_args;
    call_args.pos.assign(args.pos.begin() + 2, args.pos.end());
    asyncio::FutureId f = 0;
    Res r = submit_work(args.pos[1], std::move(call_args), span, f);
    if (!r.ok()) return r;
    return Res::of(future_value(f));
}

Flow<Res> Machine::to_thread_co(Value fn, Args args, Span span) {
    asyncio::FutureId f = 0;
    Res r = submit_work(std::move(fn), std::move(args), span, f);
    if (!r.ok()) co_return r;
    Res out = co_await await_future_co(f);
    co_return out;
}

Res Machine::submit_work(Value fn, Args args, Span span, asyncio::FutureId& out) {
    if (!m_executor) m_executor = std::make_unique<Executor>();
    Executor& ex = *m_executor;
    std::string callee;
    if (is_kind(fn, OKind::function)) callee = as<Function>(fn).name;
    else if (is_kind(fn, OKind::bound_method) && is_kind(as<BoundMethod>(fn).func, OKind::function))
        callee = as<Function>(as<BoundMethod>(fn).func).name;
    else if (is_kind(fn, OKind::builtin)) callee = as<Builtin>(fn).name;
    else callee = type_name(fn);
    const std::string label = call_label({}, callee, args);
    out = m_model.create_future();
    m_model.set_wait_label(out, WaitReason::task, "await thread " + label);
    auto item = std::make_unique<WorkItem>();
    item->future = out;
    item->fn = std::move(fn);
    item->args = std::move(args);
    item->span = span;
    const std::size_t index = ex.items.size();
    ex.items.push_back(std::move(item));
    TaskInfo info;
    info.kind = TaskKind::thread;
    info.creator = m_sched.current();
    info.name = label;
    info.span = span;
    // semantics: T1 — a free worker starts the call in the next pass; with every worker busy
    // it waits, first come first served, for one to finish.
    if (ex.busy < k_default_workers) {
        ++ex.busy;
        ex.items[index]->task = m_sched.spawn(std::move(info), work_body(index));
    } else {
        ex.items[index]->task = m_sched.spawn_held(std::move(info), work_body(index));
        ex.queued.push_back(index);
    }
    // Cancelling the awaiting task cancels the asyncio future; a call that has not started
    // then never runs (concurrent.futures.Future.cancel succeeds), a running one runs on (T2).
    return Res::of();
}

Co<void> Machine::work_body(std::size_t index) {
    const MemoryCharge task_memory(MemoryKind::task, k_task_bytes);  // while the task runs
    Executor& ex = *m_executor;
    WorkItem& w = *ex.items[index];
    Outcome outcome = Outcome::returned;
    std::string text;
    if (m_model.cancelled(w.future)) {
        // semantics: T2 — cancelled while it waited for a thread: the function never runs.
        outcome = Outcome::skipped;
    } else {
        w.fiber = std::make_unique<Fiber>([this, &w] { w.result = call(w.fn, w.args, w.span); });
        for (;;) {
            // The worker's own interpreter state while its function runs on the fiber.
            const int outer_depth = m_depth;
            const std::uintptr_t outer_base = m_stack_base;
            const std::uintptr_t outer_budget = m_stack_budget;
            const StackRange stack = w.fiber->stack();
            m_depth = w.depth;
            m_repr_active.swap(w.repr_active);
            m_stack_base = stack.high;
            m_stack_budget = (stack.high - stack.low) - (stack.high - stack.low) / 8;
            ex.running = &w;
            const bool ended = w.fiber->resume();
            ex.running = nullptr;
            w.depth = m_depth;
            m_depth = outer_depth;
            m_repr_active.swap(w.repr_active);
            m_stack_base = outer_base;
            m_stack_budget = outer_budget;
            if (ended) break;
            // semantics: T4 — time.sleep in a worker blocks that thread only.
            co_await m_sched.block_for(w.sleep);
        }
        w.fiber.reset();
        Res r = std::move(w.result);
        w.result = Res::of();
        store_result(m_sched.current(), r);
        if (r.ctl == Ctl::fatal) co_return;
        // concurrent.futures: the result (or the exception, T5) goes to the asyncio future
        // through call_soon_threadsafe; a future cancelled meanwhile drops it (T2).
        const asyncio::FutureId f = w.future;
        if (r.ctl == Ctl::raise) {
            outcome = Outcome::threw;
            text = clip_text(repr_of(r.value));
        }
        const bool raised = r.ctl == Ctl::raise;
        Value v = std::move(r.value);
        m_model.call_soon([this, f, raised, v] {
            if (m_model.done(f)) return;
            if (raised) m_model.set_exception(f, to_exc(v));
            else m_model.set_result(f, std::any(v));
        });
    }
    w.fn = Value::none();
    w.args = Args{};
    // The thread takes the next call waiting for one, or becomes idle.
    if (ex.queued_head < ex.queued.size()) {
        m_sched.release(ex.items[ex.queued[ex.queued_head++]]->task);
    } else if (--ex.busy == 0) {
        m_model.executor_idle();
    }
    m_sched.finish_current(outcome, text);
}

Res Machine::worker_sleep(Tick d) {
    WorkItem& w = *m_executor->running;
    Fiber* f = w.fiber.get();
    if (w.unwinding || f == nullptr) return Res::make(Ctl::fatal);
    w.sleep = d;
    f->suspend();
    if (w.unwinding) return Res::make(Ctl::fatal);
    return Res::of();
}

bool Machine::executor_busy() { return m_executor && m_executor->busy > 0; }

void Machine::unwind_threads() {
    if (!m_executor) return;
    for (auto& item : m_executor->items) {
        if (!item->fiber || item->fiber->finished()) continue;
        // A worker paused in time.sleep when the run ends: its sleep returns fatally, so its
        // call chain unwinds (no `finally` runs for a fatal end) and its stack holds nothing.
        item->unwinding = true;
        const int outer_depth = m_depth;
        m_depth = item->depth;
        m_executor->running = item.get();
        const std::uintptr_t outer_base = m_stack_base;
        m_stack_base = 0;
        try {
            item->fiber->resume();
        } catch (...) {
            // Teardown goes on whatever the unwinding threw (an allocation failure).
        }
        m_stack_base = outer_base;
        m_executor->running = nullptr;
        m_depth = outer_depth;
        item->fiber.reset();
    }
}

}  // namespace tasklab::py
