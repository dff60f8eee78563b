// How a call of a built-in finds its code: builtin_sync and builtin_async ask each module in
// turn (Swift concurrency, GCD, the bridges, then the standard library's tables), and the
// last word is a runtime error naming what is missing. Also String(format:), the suspending
// higher-order collection methods, and the argument helpers of builtin_table.hpp. Names and
// members of built-in values are in builtins_members.cpp, mutating methods in
// builtins_mutating.cpp.
#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <unordered_set>

#include "engine/interp/swift/format.hpp"
#include "engine/interp/swift/integers.hpp"
#include "engine/interp/swift/builtin_table.hpp"

namespace tasklab::interp {

using namespace ast;

namespace {

const std::unordered_set<std::string> k_higher_order = {"map", "filter", "forEach", "compactMap", "reduce", "contains",
                                                         "first", "allSatisfy", "firstIndex", "last"};

bool fn_suspends(const Machine& m, const Value& fn) {
    if (fn.kind == Kind::closure) return m.closure_suspends(static_cast<const ClosureObj&>(*fn.ref).expr);
    if (fn.kind == Kind::function) return m.func_suspends(static_cast<const FuncObj&>(*fn.ref).decl);
    return false;
}

}  // namespace

// =========================================================================================
// Argument helpers (builtin_table.hpp)
// =========================================================================================

bool is_sequence(const Value& v) {
    return v.kind == Kind::array || v.kind == Kind::range || v.kind == Kind::dict || v.kind == Kind::string;
}

const ArgVal* positional(const Args& args, std::size_t k) {
    std::size_t seen = 0;
    for (const auto& a : args) {
        if (!a.label.empty()) continue;
        if (seen++ == k) return &a;
    }
    return nullptr;
}

std::size_t positional_count(const Args& args) {
    return static_cast<std::size_t>(std::count_if(args.begin(), args.end(), [](const ArgVal& a) { return a.label.empty(); }));
}

const ArgVal* fn_arg(const Args& args) {
    for (const auto& a : args)
        if (is_callable(a.value)) return &a;
    return nullptr;
}

const Value* BuiltinCall::arg0() const {
    const ArgVal* a = positional(args, 0);
    return a ? &a->value : nullptr;
}

Res call_with(BuiltinCall& c, const Value& fn, std::vector<Value> argv) {
    Args a;
    for (auto& v : argv) a.push_back(ArgVal{{}, std::move(v), c.site.span, false, nullptr});
    return c.m.call_sync(fn, a, c.site);
}

namespace {
constexpr std::uint64_t k_max_format_field = 4096;  ///< the largest width or precision String(format:) takes
}  // namespace

Res Machine::format_printf(const std::string& fmt, const std::vector<Value>& values, const Site& site) {
    // Foundation's String(format:) for the common conversions: %d %i %u %x %X %o %f %e %g
    // %@ %s %c %% with flags, width, precision and length modifiers.
    std::string out;
    std::size_t next = 0;
    for (std::size_t k = 0; k < fmt.size(); ++k) {
        if (fmt[k] != '%') {
            out += fmt[k];
            continue;
        }
        std::size_t j = k + 1;
        std::string spec = "%";
        while (j < fmt.size() && std::string("-+ #0").find(fmt[j]) != std::string::npos) spec += fmt[j++];
        while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) spec += fmt[j++];
        if (j < fmt.size() && fmt[j] == '.') {
            spec += fmt[j++];
            while (j < fmt.size() && std::isdigit(static_cast<unsigned char>(fmt[j]))) spec += fmt[j++];
        }
        // A width or precision of more than k_max_format_field characters would make a string
        // of gigabytes (Foundation tries, for minutes): stop with a message instead.
        {
            std::uint64_t field = 0;  // the largest run of digits in the spec
            std::uint64_t run = 0;
            for (char ch : spec) {
                run = std::isdigit(static_cast<unsigned char>(ch)) ? std::min<std::uint64_t>(run * 10 + static_cast<std::uint64_t>(ch - '0'), 1ull << 40) : 0;
                field = std::max(field, run);
            }
            if (field > k_max_format_field)
                return fail(DiagnosticKind::misuse, site.span,
                            "String(format:) width or precision " + std::to_string(field) + " is larger than tasklab allows (" +
                                std::to_string(k_max_format_field) + ")",
                            "the result would take gigabytes");
        }
        while (j < fmt.size() && std::string("lhqzjt").find(fmt[j]) != std::string::npos) ++j;
        if (j >= fmt.size()) return fail(DiagnosticKind::misuse, site.span, "incomplete format specifier in String(format:)");
        const char conv = fmt[j];
        k = j;
        if (conv == '%') {
            out += '%';
            continue;
        }
        if (next >= values.size()) return fail(DiagnosticKind::wrong_arguments, site.span, "String(format:) has more specifiers than values");
        const Value& v = values[next++];
        char buf[k_max_format_field + 512];
        switch (conv) {
        case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': {
            if (!v.is_number()) return fail(DiagnosticKind::type_mismatch, site.span, "%" + std::string(1, conv) + " needs an integer");
            const long long x = v.kind == Kind::integer ? v.i : static_cast<long long>(v.d);
            std::snprintf(buf, sizeof buf, (spec + "ll" + conv).c_str(), x);
            out += buf;
            break;
        }
        case 'f': case 'F': case 'e': case 'E': case 'g': case 'G': {
            if (!v.is_number()) return fail(DiagnosticKind::type_mismatch, site.span, "%" + std::string(1, conv) + " needs a number");
            std::snprintf(buf, sizeof buf, (spec + conv).c_str(), v.as_double());
            out += buf;
            break;
        }
        case '@': case 's': case 'c': out += describe(v); break;
        default: return fail(DiagnosticKind::misuse, site.span, "String(format:) does not support %" + std::string(1, conv));
        }
    }
    return Res::of(Value::string(std::move(out)));
}

// =========================================================================================
// Dispatch
// =========================================================================================

bool Machine::builtin_suspends(const BuiltinObj& b, const Args& args) const {
    const std::string& n = b.name;
    if (bridge_suspends(b, args)) return true;
    if (b.receiver.is_nil()) {
        static const std::unordered_set<std::string> names = {
            "sleep", "usleep", "dispatchMain", "withTaskGroup", "withThrowingTaskGroup", "withDiscardingTaskGroup",
            "withThrowingDiscardingTaskGroup", "withTaskCancellationHandler", "Task.sleep", "Task.yield", "Thread.sleep",
            "ContinuousClock.sleep", "MainActor.run"};
        return names.count(n) > 0;
    }
    switch (b.receiver.kind) {
    case Kind::group: return n == "next" || n == "waitForAll" || n == "contains";
    case Kind::url_session: return n == "data";
    case Kind::work_item: return n == "wait" || n == "perform";
    case Kind::dispatch_group:
    case Kind::semaphore: return n == "wait";
    case Kind::queue: return n == "sync";
    case Kind::array:
    case Kind::range:
    case Kind::dict:
    case Kind::string:
        if (!k_higher_order.count(n)) return false;
        if (const ArgVal* f = fn_arg(args)) return fn_suspends(*this, f->value);
        return false;
    default: return false;
    }
}

Res Machine::builtin_sync(const BuiltinObj& b, Args& args, const Site& site) {
    if (m_fatal) return Res::make(Ctl::fatal);
    if (shares_state(b.receiver)) race::touched_shared();
    if (b.receiver.is_nil() && b.name.rfind("operator ", 0) == 0) {
        // `+` passed as a function: applies the operator as `lhs + rhs` would.
        const std::string op = b.name.substr(9);
        const BinaryOp* bop = operator_function(op);
        if (args.size() == 1 && args[0].label.empty() && args[0].value.kind == Kind::tuple && args[0].value.opt == 0 &&
            items(args[0].value).size() == 2) {
            // `zip(a, b).map(-)`: a pair given to an operator is its two operands, as in Swift.
            const std::vector<Value> pair = items(args[0].value);
            args[0].value = pair[0];
            args.push_back(args[0]);
            args[1].value = pair[1];
        }
        if (!bop || args.size() != 2 || !args[0].label.empty() || !args[1].label.empty()) return wrong_args(site, op, "(lhs, rhs)");
        if (*bop == BinaryOp::logical_and || *bop == BinaryOp::logical_or) {
            if (args[0].value.kind != Kind::boolean || args[1].value.kind != Kind::boolean || args[0].value.opt || args[1].value.opt)
                return fail(DiagnosticKind::type_mismatch, site.span, "`" + op + "` takes two Bools");
            const bool x = args[0].value.b, y = args[1].value.b;
            return Res::of(Value::boolean(*bop == BinaryOp::logical_and ? x && y : x || y));
        }
        const ast::Binary node(site.span, *bop, nullptr, nullptr, site.span);
        return apply_binary(&node, args[0].value, args[1].value);
    }
    if (b.name == "enum case" && b.receiver.kind == Kind::enum_case) return make_enum_payload(b, args, site);
    if (b.receiver.is_nil() && b.name.size() > 1 && b.name[0] == '.') {
        // `.failed(error)`: a case with associated values of a user enum, when one declares it.
        Res c = implicit_member(b.name.substr(1), site.span);
        if (c.ok() && c.value.kind == Kind::builtin && static_cast<const BuiltinObj&>(*c.value.ref).name == "enum case")
            return make_enum_payload(static_cast<const BuiltinObj&>(*c.value.ref), args, site);
    }
    bool handled = false;
    Res r = swift_builtin(b, args, site, handled);
    if (handled) return r;
    r = gcd_builtin(b, args, site, handled);
    if (handled) return r;
    r = bridge_builtin(b, args, site, handled);
    if (handled) return r;
    r = common_builtin(b, args, site, handled);
    if (handled) return r;
    if (builtin_suspends(b, args)) {
        const std::string what = b.receiver.is_nil() ? b.name : type_name(b.receiver) + "." + b.name;
        return fail(DiagnosticKind::misuse, site.span, "`" + what + "` suspends, but it is called where suspending is not possible",
                    "a cancellation handler (onCancel:) and closures passed to map/filter run synchronously");
    }
    return unknown_member(b.receiver, b.name, site.name_span.empty() ? site.span : site.name_span);
}

namespace {

/// A suspending free function: starts the small coroutine that runs it.
using AsyncHandler = Flow<Res> (*)(Machine& m, const std::string& name, Args& args, Site& site);

Flow<Res> task_sleep(Machine& m, const std::string&, Args& args, Site& site) { return m.task_sleep(std::move(args), std::move(site)); }
Flow<Res> task_yield(Machine& m, const std::string&, Args&, Site& site) { return m.task_yield(std::move(site)); }
Flow<Res> blocking_sleep(Machine& m, const std::string& n, Args& args, Site& site) {
    return m.blocking_sleep(n, std::move(args), std::move(site));
}
template <ScopeKind kind>
Flow<Res> with_group(Machine& m, const std::string& n, Args& args, Site& site) {
    return m.with_group(kind, n, std::move(args), std::move(site));
}
Flow<Res> with_cancellation_handler(Machine& m, const std::string&, Args& args, Site& site) {
    return m.with_cancellation_handler(std::move(args), std::move(site));
}
Flow<Res> dispatch_main(Machine& m, const std::string&, Args&, Site& site) { return m.dispatch_main_forever(std::move(site)); }
Flow<Res> main_actor_run(Machine& m, const std::string&, Args& args, Site& site) {
    return m.main_actor_run(std::move(args), std::move(site));
}

const NameTable<AsyncHandler>& suspending_functions() {
    static const NameTable<AsyncHandler> table{
        {"Task.sleep", task_sleep},
        {"ContinuousClock.sleep", task_sleep},
        {"Task.yield", task_yield},
        {"sleep", blocking_sleep},
        {"usleep", blocking_sleep},
        {"Thread.sleep", blocking_sleep},
        {"withTaskGroup", with_group<ScopeKind::task_group>},
        {"withThrowingTaskGroup", with_group<ScopeKind::throwing_task_group>},
        {"withDiscardingTaskGroup", with_group<ScopeKind::discarding_group>},
        {"withThrowingDiscardingTaskGroup", with_group<ScopeKind::throwing_discarding_group>},
        {"withTaskCancellationHandler", with_cancellation_handler},
        {"dispatchMain", dispatch_main},
        {"MainActor.run", main_actor_run},
    };
    return table;
}

}  // namespace

Flow<Res> Machine::builtin_async(BuiltinObj b, Args args, Site site) {
    // A plain dispatcher: each suspending built-in is a small coroutine of its own.
    if (m_fatal) return ready(Res::make(Ctl::fatal));
    if (shares_state(b.receiver)) race::touched_shared();
    if (bridge_suspends(b, args)) return bridge_async(std::move(b), std::move(args), std::move(site));
    const std::string& n = b.name;
    const Value& recv = b.receiver;
    if (recv.is_nil()) {
        if (const AsyncHandler h = suspending_functions().find(n)) return h(*this, n, args, site);
        return ready(builtin_sync(b, args, site));
    }
    switch (recv.kind) {
    case Kind::group: {
        auto g = std::static_pointer_cast<GroupObj>(recv.ref);
        if (n == "next") return group_next_async(std::move(g), std::move(site));
        if (n == "waitForAll") return group_wait_all(std::move(g), std::move(site));
        if (n == "contains") return group_contains(std::move(g), std::move(args), std::move(site));
        break;
    }
    case Kind::url_session:
        if (n == "data") return url_session_data(std::move(args), std::move(site));
        break;
    case Kind::work_item: {
        const auto item = static_cast<gcd::ItemId>(recv.i);
        if (n == "wait") return item_wait(item, std::move(args), std::move(site));
        if (n == "perform") return item_perform(item, std::move(site));
        break;
    }
    case Kind::dispatch_group:
    case Kind::semaphore:
        if (n == "wait") return gcd_wait(recv, std::move(args), std::move(site));
        break;
    case Kind::queue:
        if (n == "sync") return queue_sync(recv, std::move(args), std::move(site));
        break;
    default:
        if (is_sequence(recv) && k_higher_order.count(n)) return common_builtin_async(std::move(b), std::move(args), std::move(site));
        break;
    }
    return ready(builtin_sync(b, args, site));
}

// =========================================================================================
// The standard library's built-ins: free functions (builtins_functions.cpp), methods of
// single values (builtins_strings.cpp) and of collections (builtins_sequences.cpp)
// =========================================================================================

Res Machine::common_builtin(const BuiltinObj& b, Args& args, const Site& site, bool& handled) {
    BuiltinCall c{*this, b, args, site};
    Res r = b.receiver.is_nil() ? core_function(c) : value_method(c);
    if (!c.handled && !b.receiver.is_nil()) {
        c.handled = true;
        r = sequence_method(c);
    }
    handled = c.handled;
    return r;
}

Flow<Res> Machine::common_builtin_async(BuiltinObj b, Args args, Site site) {
    // Higher-order methods whose closure suspends (e.g. a forEach body that calls sleep(1)).
    const std::string& n = b.name;
    std::vector<Value> xs;
    Res sr = for_sequence(b.receiver, xs, site.span);
    if (!sr.ok()) co_return sr;
    const ArgVal* fa = fn_arg(args);
    if (!fa) co_return wrong_args(site, n, "({ … })");
    const Value fn = fa->value;
    std::vector<Value> out;
    Value acc;
    if (n == "reduce") {
        const ArgVal* init = positional(args, 0);
        if (!init || init == fa) co_return wrong_args(site, n, "(initial, { acc, x in … })");
        acc = init->value;
    }
    if (n == "last") std::reverse(xs.begin(), xs.end());
    for (std::size_t k = 0; k < xs.size(); ++k) {
        Args a;
        if (n == "reduce") a.push_back(ArgVal{{}, acc, site.span, false, nullptr});
        a.push_back(ArgVal{{}, xs[k], site.span, false, nullptr});
        Res r = co_await call(fn, std::move(a), site);
        if (!r.ok()) co_return r;
        const bool truthy = r.value.kind == Kind::boolean && r.value.b;
        if (n == "map") out.push_back(r.value);
        else if (n == "compactMap") {
            if (!r.value.is_nil()) {
                Value v = r.value;
                if (v.opt > 0) --v.opt;
                out.push_back(v);
            }
        } else if (n == "filter") {
            if (truthy) out.push_back(xs[k]);
        } else if (n == "reduce") {
            acc = r.value;
        } else if (n == "allSatisfy") {
            if (!truthy) co_return Res::of(Value::boolean(false));
        } else if (n == "contains") {
            if (truthy) co_return Res::of(Value::boolean(true));
        } else if (n == "first" || n == "last") {
            if (truthy) co_return Res::of(xs[k].wrapped());
        } else if (n == "firstIndex") {
            if (truthy) co_return Res::of(Value::integer(static_cast<std::int64_t>(k)).wrapped());
        }
    }
    if (n == "forEach") co_return Res::of();
    if (n == "reduce") co_return Res::of(acc);
    if (n == "allSatisfy") co_return Res::of(Value::boolean(true));
    if (n == "contains") co_return Res::of(Value::boolean(false));
    if (n == "first" || n == "last" || n == "firstIndex") co_return Res::of(Value::nil());
    co_return Res::of(Value::array(std::move(out)));
}

}  // namespace tasklab::interp
