// The call-depth limit: a task that nests too many calls stops with a stack-overflow runtime
// error naming the function that recurses, the same on every machine.
#include <cstdint>
#include <string>

#include "engine/big_stack.hpp"
#include "engine/interp/swift/machine.hpp"

namespace tasklab::interp {

// A real Swift program that recurses too deep dies of a stack overflow (a signal). tasklab
// counts frames instead of measuring its own C++ stack, so the depth is the same on every
// machine, build and stack limit: k_max_call_depth nested calls per task (sync calls nest on
// the thread's stack; an async call's frames are the task's). The C++ stack the Controller
// runs on (big_stack.hpp) holds this many with room to spare; the stack check is a backstop
// for builds with unusually large frames.
namespace {
constexpr std::uint32_t k_max_call_depth = 20'000;
constexpr std::uintptr_t k_stack_reserve = std::uintptr_t{64} << 20;  // left unused on the big stack

[[gnu::noinline]] std::uintptr_t swift_stack_pointer() {
    return reinterpret_cast<std::uintptr_t>(__builtin_frame_address(0));
}
}  // namespace

Res Machine::enter_call(const ast::FuncDecl* d, const Site& site) {
    const TaskId t = m_sched.current();
    if (t >= m_call_depth.size()) m_call_depth.resize(t + 1, 0);
    const StackRange big = current_big_stack();
    const std::uintptr_t sp = swift_stack_pointer();
    const bool stack_low = big.low != 0 && sp > big.low && sp - big.low < k_stack_reserve;
    if (m_call_depth[t] < k_max_call_depth && !stack_low) {
        // A call is work too: closures called by map or reduce over a huge range stop at the budget.
        if (!count_work(1, site.span, "too many calls")) return Res::make(Ctl::fatal);
        ++m_call_depth[t];
        return Res::of();
    }
    std::string what = d ? "`" + d->name + "`" : std::string("a closure");
    std::string where;
    if (d && m_program.file) {
        const LineCol lc = m_program.file->locate(d->name_span.begin);
        where = " (declared at " + m_program.file->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ")";
    }
    return fail(DiagnosticKind::misuse, site.span,
                "stack overflow: " + std::to_string(m_call_depth[t]) + " nested calls; the recursion repeats " + what + where,
                "a real Swift program dies here (the thread's stack is full); does the recursion reach its base case? "
                "tasklab stops at " + std::to_string(k_max_call_depth) + " nested calls");
}

void Machine::leave_call() { leave_call_of(m_sched.current()); }

void Machine::leave_call_of(TaskId t) {
    if (t < m_call_depth.size() && m_call_depth[t] > 0) --m_call_depth[t];
}

}  // namespace tasklab::interp
