// The functions of the small standard modules a scenario imports besides asyncio: time
// (virtual clocks; time.sleep blocks the whole loop, or only its worker thread), sys
// (exit, exc_info), signal (pointed to loop.add_signal_handler), random (splitmix64, seeded
// by `# tasklab: seed N`, so every run draws the same numbers) and functools (pointed to a
// lambda), as one table of name → handler that Machine::builtin_function consults after
// the builtins'.
#include <cmath>
#include <utility>

#include "engine/interp/python/builtin_table.hpp"

namespace tasklab::py {

namespace {

std::int64_t int_of(const Value& v) { return v.kind == VKind::boolean ? (v.b ? 1 : 0) : v.i; }

Res arity_one(Machine& vm, const BuiltinCall& bc) {
    if (bc.args.pos.size() == 1) return Res::of();
    const std::string short_name = bc.name.substr(bc.name.rfind('.') + 1);
    return vm.raise_error("TypeError", short_name + "() takes exactly one argument (" + std::to_string(bc.args.pos.size()) + " given)");
}

// ---- time ----

Res bi_time_time(Machine& vm, BuiltinCall& /*bc*/) {
    return Res::of(Value::real(static_cast<double>(vm.m_sched.now()) / 1e9));
}

Res bi_time_time_ns(Machine& vm, BuiltinCall& /*bc*/) {
    return Res::of(Value::integer(vm.m_sched.now()));
}

Res bi_time_sleep(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    if (Res a = arity_one(vm, bc); !a.ok()) return a;
    bool ok = false;
    const Tick d = vm.seconds_arg(args.pos[0], ok);
    if (!ok) return vm.raise_error("TypeError", "'" + vm.type_name(args.pos[0]) + "' object cannot be interpreted as an integer");
    // CPython converts the length to a time_t first: infinity or more than 2**63 s overflows.
    if (args.pos[0].kind == VKind::real && (std::isnan(args.pos[0].d) || std::fabs(args.pos[0].d) >= 9.2233720368547758e18)) {
        if (std::isnan(args.pos[0].d)) return vm.raise_error("ValueError", "Invalid value NaN (not a number)");
        return vm.raise_error("OverflowError", "timestamp out of range for platform time_t");
    }
    if (d < 0) return vm.raise_error("ValueError", "sleep length must be non-negative");
    if (vm.in_worker_thread()) return vm.worker_sleep(d);  // semantics: T4 — only that worker waits
    // semantics: §5 — blocking work stops the whole loop; nothing else runs meanwhile.
    switch (vm.m_model.block_loop(d)) {
    case asyncio::BlockEnd::completed: return Res::of();
    case asyncio::BlockEnd::keyboard_interrupt: return Res::raised(vm.new_exception(vm.cls("KeyboardInterrupt"), {}));
    case asyncio::BlockEnd::killed: return Res::make(Ctl::fatal);  // the process is gone: nothing more runs
    }
    return Res::of();
}


// ---- sys ----

Res bi_sys_exc_info(Machine& vm, BuiltinCall& bc) { return vm.sys_exc_info(bc.name == "sys.exception"); }

Res bi_sys_exit(Machine& vm, BuiltinCall& bc) {
    Args& args = bc.args;
    std::vector<Value> a;
    if (!args.pos.empty()) a.push_back(args.pos[0]);
    return Res::raised(vm.new_exception(vm.cls("SystemExit"), std::move(a)));
}


// ---- signal, functools ----

Res bi_signal_unsupported(Machine& vm, BuiltinCall& bc) {
    return vm.fail(DiagnosticKind::unknown_member, bc.span, "`" + bc.name + "()` is not supported by tasklab yet",
                   "use loop.add_signal_handler() and `# tasklab: signal SIGINT at 5s`");
}

Res bi_functools_unsupported(Machine& vm, BuiltinCall& bc) {
    return vm.fail(DiagnosticKind::unknown_member, bc.span, "`" + bc.name + "` is not supported by tasklab yet", "use a lambda or a nested function");
}

// ---- random (deterministic: splitmix64 seeded by `# tasklab: seed N`) ----

std::uint64_t random_next(Machine& vm) {
    std::uint64_t z = (vm.m_logging->rng += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double random_unit(Machine& vm) { return static_cast<double>(random_next(vm) >> 11) / 9007199254740992.0; }

/// A random.* call with too few arguments: tasklab does not take it.
Res random_unsupported(Machine& vm, const BuiltinCall& bc) {
    return vm.fail(DiagnosticKind::unknown_member, bc.span, "`" + bc.name + "` is not supported by tasklab");
}

Res bi_random_seed(Machine& vm, BuiltinCall& bc) {
    vm.m_logging->rng = bc.args.pos.empty() ? vm.m_program.seed : static_cast<std::uint64_t>(int_of(bc.args.pos[0]));
    return Res::of();
}

Res bi_random_random(Machine& vm, BuiltinCall& /*bc*/) { return Res::of(Value::real(random_unit(vm))); }

Res bi_random_uniform(Machine& vm, BuiltinCall& bc) {
    const auto& pos = bc.args.pos;
    if (pos.size() < 2) return random_unsupported(vm, bc);
    const double a = pos[0].as_double(), b = pos[1].as_double();
    return Res::of(Value::real(a + (b - a) * random_unit(vm)));
}

Res bi_random_randint(Machine& vm, BuiltinCall& bc) {
    const auto& pos = bc.args.pos;
    if (pos.empty()) return random_unsupported(vm, bc);
    std::int64_t lo = 0, hi = 0;
    if (bc.name == "random.randint") {
        if (pos.size() < 2) return vm.raise_error("TypeError", "randint() missing 1 required positional argument: 'b'");
        lo = int_of(pos[0]);
        hi = int_of(pos[1]);
    } else {
        if (pos.size() == 1) hi = int_of(pos[0]) - 1;
        else {
            lo = int_of(pos[0]);
            hi = int_of(pos[1]) - 1;
        }
    }
    if (hi < lo) return vm.raise_error("ValueError", "empty range for randrange()");
    return Res::of(Value::integer(lo + static_cast<std::int64_t>(random_next(vm) % static_cast<std::uint64_t>(hi - lo + 1))));
}

Res bi_random_choice(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.empty()) return random_unsupported(vm, bc);
    std::vector<Value> xs;
    Res it = vm.iterate(bc.args.pos[0], xs, bc.span);
    if (!it.ok()) return it;
    if (xs.empty()) return vm.raise_error("IndexError", "Cannot choose from an empty sequence");
    return Res::of(xs[random_next(vm) % xs.size()]);
}

Res bi_random_shuffle(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.empty() || !is_kind(bc.args.pos[0], OKind::list)) return random_unsupported(vm, bc);
    auto& xs = as<List>(bc.args.pos[0]).items;
    for (std::size_t k = xs.size(); k > 1; --k) std::swap(xs[k - 1], xs[random_next(vm) % k]);
    return Res::of();
}

Res bi_random_sample(Machine& vm, BuiltinCall& bc) {
    if (bc.args.pos.size() < 2) return random_unsupported(vm, bc);
    std::vector<Value> xs;
    Res it = vm.iterate(bc.args.pos[0], xs, bc.span);
    if (!it.ok()) return it;
    const auto n = static_cast<std::size_t>(int_of(bc.args.pos[1]));
    if (n > xs.size()) return vm.raise_error("ValueError", "Sample larger than population or is negative");
    for (std::size_t k = 0; k < n; ++k) std::swap(xs[k], xs[k + random_next(vm) % (xs.size() - k)]);
    xs.resize(n);
    return Res::of(py::make_list(std::move(xs)));
}

}  // namespace

const BuiltinTable& stdlib_table() {
    static const BuiltinTable table{
        {"time.time", bi_time_time},
        {"time.monotonic", bi_time_time},
        {"time.perf_counter", bi_time_time},
        {"time.process_time", bi_time_time},
        {"time.time_ns", bi_time_time_ns},
        {"time.monotonic_ns", bi_time_time_ns},
        {"time.perf_counter_ns", bi_time_time_ns},
        {"time.sleep", bi_time_sleep},
        {"sys.exc_info", bi_sys_exc_info},
        {"sys.exception", bi_sys_exc_info},
        {"sys.exit", bi_sys_exit},
        {"signal.signal", bi_signal_unsupported},
        {"signal.getsignal", bi_signal_unsupported},
        {"signal.raise_signal", bi_signal_unsupported},
        {"signal.default_int_handler", bi_signal_unsupported},
        {"random.seed", bi_random_seed},
        {"random.random", bi_random_random},
        {"random.uniform", bi_random_uniform},
        {"random.randint", bi_random_randint},
        {"random.randrange", bi_random_randint},
        {"random.choice", bi_random_choice},
        {"random.shuffle", bi_random_shuffle},
        {"random.sample", bi_random_sample},
        {"functools.partial", bi_functools_unsupported},
        {"functools.wraps", bi_functools_unsupported},
    };
    return table;
}

}  // namespace tasklab::py
