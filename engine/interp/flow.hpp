// Flow<T>: the interpreter's coroutine type.
//
// Most interpreter coroutines finish without ever parking (a statement marked may_suspend
// that happened not to wait, a call that returned at once). With the engine's Co<T>, a
// finished frame hands control back to its awaiter through symmetric transfer, which only
// stays flat on the C++ stack when the compiler turns the transfer into a tail call; debug
// builds do not, and a loop awaiting a thousand such frames overflows the stack.
//
// A Flow is started from inside its awaiter's await_suspend. If it completes before parking,
// its final suspend just returns to that await_suspend, which reports "not suspended" and the
// awaiter carries on in the same C++ frame: no nesting. If it parks, the awaiter suspends too,
// and when the Flow later completes (resumed by the scheduler) it transfers to the awaiter as
// usual. Awaiting an engine Co<T> from a Flow goes through lift(), a tiny Flow around it, so a
// Co that completes at once is absorbed the same way.
#pragma once

#include <coroutine>
#include <exception>
#include <optional>
#include <utility>

#include "engine/co.hpp"

namespace tasklab::interp {

template <class T>
class [[nodiscard]] Flow {
public:
    struct promise_type : detail::FrameAllocation {
        std::coroutine_handle<> continuation = std::noop_coroutine();
        bool* finished_inline = nullptr;  ///< set while the awaiter's await_suspend is on the stack
        std::optional<T> value;
        std::exception_ptr error;

        Flow get_return_object() { return Flow(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct Final {
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) const noexcept {
                promise_type& p = h.promise();
                if (p.finished_inline) {
                    *p.finished_inline = true;  // back to the awaiter's await_suspend
                    return std::noop_coroutine();
                }
                return p.continuation;
            }
            void await_resume() const noexcept {}
        };
        Final final_suspend() const noexcept { return {}; }
        template <class U>
        void return_value(U&& v) { value.emplace(std::forward<U>(v)); }
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    Flow(Flow&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    Flow& operator=(Flow&& o) noexcept {
        if (this != &o) {
            reset();
            m_handle = std::exchange(o.m_handle, {});
        }
        return *this;
    }
    Flow(const Flow&) = delete;
    Flow& operator=(const Flow&) = delete;
    ~Flow() { reset(); }

    bool await_ready() const noexcept { return false; }
    bool await_suspend(std::coroutine_handle<> caller) {
        promise_type& p = m_handle.promise();
        p.continuation = caller;
        bool finished = false;
        p.finished_inline = &finished;
        m_handle.resume();
        if (finished) return false;  // completed without parking: the caller goes on at once
        m_handle.promise().finished_inline = nullptr;  // parked: it will transfer to the caller later
        return true;
    }
    T await_resume() {
        if (m_handle.promise().error) std::rethrow_exception(m_handle.promise().error);
        return std::move(*m_handle.promise().value);
    }

private:
    explicit Flow(std::coroutine_handle<promise_type> h) : m_handle(h) {}
    void reset() {
        if (m_handle) {
            m_handle.destroy();
            m_handle = {};
        }
    }
    std::coroutine_handle<promise_type> m_handle;
};

/// Awaits an engine Co<T> from a Flow (see the header comment).
template <class T>
Flow<T> lift(Co<T> co) {
    T v = co_await std::move(co);
    co_return v;
}

/// Awaits an engine Co<void> from a Flow; yields true.
inline Flow<bool> lift(Co<void> co) {
    co_await std::move(co);
    co_return true;
}

}  // namespace tasklab::interp
