// Stackful fibers: a function that runs on a stack of its own and can pause in the middle of
// a synchronous call chain.
//
// The interpreters' synchronous path cannot suspend: a C++ call chain has no place to park.
// A worker thread of asyncio's executor (asyncio.to_thread, loop.run_in_executor) runs a plain
// Python function there, and a `time.sleep` inside it must park just that worker while the
// event loop goes on. The worker's call therefore runs on a Fiber: `suspend()` inside the
// body switches back to whoever called `resume()` (the worker's scheduler task, which then
// parks on the scheduler), and the next `resume()` continues the body where it paused.
//
// One thread runs everything, as everywhere in the engine: a fiber never runs concurrently
// with its resumer, it is a second stack, not a second thread. The switches use POSIX
// ucontext, as the big stack's do, and announce themselves to AddressSanitizer; both are made
// in engine/platform (tasklab_platform), and this header holds standard C++ types only.
// A fiber whose body never ended when it is destroyed leaves the objects on its stack
// undestroyed; owners that hold such fibers finish their bodies first (see
// Machine::unwind_threads).
#pragma once

#include <cstddef>
#include <exception>
#include <functional>
#include <memory>

#include "big_stack.hpp"

namespace tasklab {

/// The stack a fiber reserves (address space; pages are committed only when touched).
inline constexpr std::size_t k_fiber_stack_size = std::size_t{64} << 20;

class Fiber {
public:
    /// Makes a fiber that will run `body` on its own stack at the first resume().
    explicit Fiber(std::function<void()> body);
    ~Fiber();
    Fiber(const Fiber&) = delete;
    Fiber& operator=(const Fiber&) = delete;

    /// Runs the body until it calls suspend() or ends; true once it has ended. An exception
    /// that escapes the body is rethrown here. Must not be called from inside this fiber.
    bool resume();
    /// Inside the body: switches back to resume()'s caller; returns when resumed again.
    void suspend();
    /// True once the body has returned (or thrown).
    [[nodiscard]] bool finished() const { return m_finished; }
    /// True while the body is running (between resume() and its suspend() or end).
    [[nodiscard]] bool running() const { return m_running; }
    /// The address range [low, high) of the fiber's stack ({0, 0} when it could not be made).
    [[nodiscard]] StackRange stack() const;
    /// The fiber running on this thread right now, or nullptr.
    [[nodiscard]] static Fiber* current();

private:
    struct Impl;
    static void entry();
    std::unique_ptr<Impl> m_impl;
    std::function<void()> m_body;
    std::exception_ptr m_error;
    bool m_finished = false;
    bool m_running = false;
};

}  // namespace tasklab
