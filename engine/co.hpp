// Co<T>: the coroutine type every suspendable piece of the interpreter returns.
//
// A scenario task is a chain of Co frames (task body -> block -> statement -> expression ->
// a scheduler awaitable). Frames start suspended (lazy) and run when awaited; completion
// transfers straight back to the awaiting frame (symmetric transfer), so deep chains do not
// grow the C++ stack. The scheduler owns the outermost frame of each task and resumes the
// innermost suspended frame it recorded when the task parked.
//
// Scenario errors (`throw`, CancellationError) are ordinary values, never C++ exceptions:
// delivering cancellation by exception costs ~0.8 us per task (docs/architecture.md). A C++
// exception escaping a frame is an internal error; it is carried to the awaiting frame and
// finally to the scheduler, which reports it.
//
// Caution (g++ 12): `if (co_await x)` is miscompiled. Always assign the awaited value to a
// local first: `bool ok = co_await x; if (ok) …`.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

namespace tasklab {

namespace detail {
/// Size-class free lists for coroutine frames: the scheduler creates and destroys frames
/// at a high rate, and general-purpose malloc dominates otherwise. Single-threaded by
/// design (the engine runs on one thread).
void* frame_allocate(std::size_t size);
void frame_deallocate(void* p, std::size_t size) noexcept;

struct FrameAllocation {
    static void* operator new(std::size_t size) { return frame_allocate(size); }
    static void operator delete(void* p, std::size_t size) noexcept { frame_deallocate(p, size); }
};

template <class Promise>
struct FinalAwaiter {
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<Promise> h) const noexcept {
        return h.promise().continuation;
    }
    void await_resume() const noexcept {}
};

struct PromiseBase : FrameAllocation {
    std::coroutine_handle<> continuation = std::noop_coroutine();
    std::exception_ptr error;
    std::suspend_always initial_suspend() const noexcept { return {}; }
    void unhandled_exception() noexcept { error = std::current_exception(); }
};
}  // namespace detail

template <class T = void>
class [[nodiscard]] Co {
public:
    struct promise_type : detail::PromiseBase {
        std::optional<T> value;
        Co get_return_object() { return Co(std::coroutine_handle<promise_type>::from_promise(*this)); }
        detail::FinalAwaiter<promise_type> final_suspend() const noexcept { return {}; }
        template <class U>
        void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
    };

    Co(Co&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    Co& operator=(Co&& o) noexcept {
        if (this != &o) { reset(); m_handle = std::exchange(o.m_handle, {}); }
        return *this;
    }
    ~Co() { reset(); }

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
        m_handle.promise().continuation = caller;
        return m_handle;
    }
    T await_resume() {
        if (m_handle.promise().error) std::rethrow_exception(m_handle.promise().error);
        return std::move(*m_handle.promise().value);
    }

private:
    explicit Co(std::coroutine_handle<promise_type> h) : m_handle(h) {}
    void reset() { if (m_handle) { m_handle.destroy(); m_handle = {}; } }
    std::coroutine_handle<promise_type> m_handle;
};

template <>
class [[nodiscard]] Co<void> {
public:
    struct promise_type : detail::PromiseBase {
        Co get_return_object() { return Co(std::coroutine_handle<promise_type>::from_promise(*this)); }
        detail::FinalAwaiter<promise_type> final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
    };

    Co() = default;
    Co(Co&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    Co& operator=(Co&& o) noexcept {
        if (this != &o) { reset(); m_handle = std::exchange(o.m_handle, {}); }
        return *this;
    }
    ~Co() { reset(); }

    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> caller) noexcept {
        m_handle.promise().continuation = caller;
        return m_handle;
    }
    void await_resume() {
        if (m_handle.promise().error) std::rethrow_exception(m_handle.promise().error);
    }

    // Used by the scheduler for a task's outermost frame.
    [[nodiscard]] explicit operator bool() const { return static_cast<bool>(m_handle); }
    [[nodiscard]] std::coroutine_handle<> handle() const { return m_handle; }
    [[nodiscard]] bool done() const { return m_handle && m_handle.done(); }
    [[nodiscard]] std::exception_ptr error() const { return m_handle ? m_handle.promise().error : nullptr; }
    void reset() { if (m_handle) { m_handle.destroy(); m_handle = {}; } }

private:
    explicit Co(std::coroutine_handle<promise_type> h) : m_handle(h) {}
    std::coroutine_handle<promise_type> m_handle;
};

}  // namespace tasklab
