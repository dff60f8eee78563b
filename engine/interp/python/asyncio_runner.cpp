// asyncio.Runner for Python scenarios, as CPython 3.11.7's runners.py writes it: a loop that
// lives across several run() calls (tasks left pending by one run go on in the next), closed by
// close() or at the end of `with asyncio.Runner() as runner:`, which cancels what is left and
// waits for it as asyncio.run does. asyncio.run itself is a Runner used once
// (asyncio::Model::run).
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

using namespace ast;

namespace {

/// runners.py _State.
enum class RunnerState : std::uint8_t { created, initialized, closed };

struct RunnerObj : NativeObj {
    RunnerState state = RunnerState::created;
    RunnerObj() : NativeObj(NKind::runner) {}
};

RunnerObj& runner(const Value& v) { return static_cast<RunnerObj&>(*v.obj); }

}  // namespace

bool Machine::is_runner(const Value& v) const {
    return is_kind(v, OKind::native) && static_cast<const NativeObj&>(*v.obj).nkind == NKind::runner;
}

Res Machine::runner_lazy_init(const Value& r) {
    // runners.py Runner._lazy_init
    if (runner(r).state == RunnerState::closed) return raise_error("RuntimeError", "Runner is closed");
    if (runner(r).state == RunnerState::initialized) return Res::of();
    asyncio::Result opened = m_model.open_loop();
    if (!opened.ok()) return from_result(std::move(opened));
    ++m_loop_generation;
    runner(r).state = RunnerState::initialized;
    return Res::of();
}

Flow<Res> Machine::runner_run_co(Value r, Value coro, Span span) {
    // runners.py Runner.run
    if (!is_kind(coro, OKind::coroutine)) co_return raise_error("ValueError", "a coroutine was expected, got " + repr_of(coro));
    if (m_model.main_running()) co_return raise_error("RuntimeError", "Runner.run() cannot be called from a running event loop");
    Res init = runner_lazy_init(r);
    if (!init.ok()) co_return init;
    const std::string lane = lane_for(coro, {});
    asyncio::Result out = co_await interp::lift(m_model.run_main(task_body(coro), lane));
    at(span);
    co_return from_result(std::move(out));
}

Flow<Res> Machine::runner_close_co(Value r) {
    // runners.py Runner.close: only an initialized runner has a loop to close.
    if (runner(r).state != RunnerState::initialized) co_return Res::of();
    co_await interp::lift(m_model.close_loop());
    runner(r).state = RunnerState::closed;
    co_return Res::of();
}

Res Machine::runner_close_now(const Value& r, Span span) {
    if (runner(r).state != RunnerState::initialized) return Res::of();
    if (m_model.loop_has_unfinished_tasks())
        return fail(DiagnosticKind::misuse, span, "tasklab closes a Runner that has unfinished tasks only at the end of `with asyncio.Runner()`",
                    "use `with asyncio.Runner() as runner:` around the runner.run() calls");
    m_model.drop_loop();
    runner(r).state = RunnerState::closed;
    return Res::of();
}

Res Machine::runner_attr(const Value& obj, const std::string& name) {
    if (name == "__repr__") return Res::of(make_str("<asyncio.runners.Runner object>"));
    for (const char* m : {"run", "close", "get_loop", "__enter__", "__exit__"})
        if (name == m) return Res::of(builtin(std::string("Runner.") + name, obj));
    return raise_error("AttributeError", "'Runner' object has no attribute '" + name + "'");
}

Res Machine::runner_call(const std::string& name, const Value& self, Args& args, Span span, bool& handled) {
    handled = true;
    if (name == "asyncio.Runner") {
        if (!args.pos.empty()) return raise_error("TypeError", "Runner.__init__() takes 1 positional argument but " + std::to_string(args.pos.size() + 1) + " were given");
        if (const Value* f = args.kwarg("loop_factory"); f && !f->is_none())
            return fail(DiagnosticKind::unknown_member, span, "`asyncio.Runner(loop_factory=…)` is not supported by tasklab yet");
        auto r = std::make_shared<RunnerObj>();
        r->cls = cls("asyncio.Runner");
        return Res::of(Value::of(std::move(r)));
    }
    if (name == "Runner.__enter__") {
        Res init = runner_lazy_init(self);
        if (!init.ok()) return init;
        return Res::of(self);
    }
    if (name == "Runner.get_loop") {
        Res init = runner_lazy_init(self);
        if (!init.ok()) return init;
        return Res::of(loop_object());
    }
    if (name == "Runner.__exit__" || name == "Runner.close") {
        Res closed = runner_close_now(self, span);
        if (!closed.ok()) return closed;
        return Res::of(name == "Runner.close" ? Value::none() : Value::boolean(false));
    }
    if (name == "Runner.run")
        return fail(DiagnosticKind::misuse, span, "runner.run() must be called where the scenario's top-level code can wait for it",
                    "call runner.run(main()) from the module's top level");
    handled = false;
    return Res::of();
}

}  // namespace tasklab::py
