// A fixed, large C++ stack for running interpreted code.
//
// The interpreters nest C++ calls for nested calls of the program (and for nested values when
// printing, comparing or tearing them down). How deep a program may recurse must not depend on
// the process's stack limit (`ulimit -s`), the thread that drives the engine, or the build:
// Controller runs every scheduler step on this stack, whose size is fixed (k_big_stack_size),
// and the interpreters count frames against limits that fit in it with room to spare. The
// stack is reserved address space (no memory is committed until it is touched) and is made
// once per thread, then reused. It is made and switched to in engine/platform (mmap and
// ucontext, the engine's one OS-dependent piece); this header holds standard C++ types only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>

namespace tasklab {

/// Size of the stack that run_on_big_stack provides (reserved, committed only when used).
inline constexpr std::size_t k_big_stack_size = std::size_t{1} << 30;
/// The smallest size tried when the full one cannot be reserved (an address-space limit).
inline constexpr std::size_t k_least_big_stack_size = std::size_t{1} << 26;

/// Runs `fn` on this thread's big stack and returns when it returns; an exception it throws
/// is rethrown here. Already on the big stack (a nested call), it simply calls `fn`. If the
/// stack cannot be made (no address space), `fn` runs on the current stack.
void run_on_big_stack(const std::function<void()>& fn);

/// The address range [low, high) of this thread's big stack while running on it, else {0, 0}.
struct StackRange {
    std::uintptr_t low = 0;
    std::uintptr_t high = 0;
};
[[nodiscard]] StackRange current_big_stack();

}  // namespace tasklab
