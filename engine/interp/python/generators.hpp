// Generators and async generators of the Python interpreter (internal to engine/interp).
//
// A generator's body runs on the coroutine path (Machine::exec_block_a): the resolver marks
// every statement that contains a `yield` as may_suspend, so a `yield` is an ordinary await in
// the body's chain of Flow frames. The generator object owns the outermost frame (GenBody) and
// remembers the innermost suspended handle (`resume_point`: the yield it stopped at, or the
// body before its first step).
//
// Resuming records who resumes (`consumer`) and points `inline_flag` at a flag on the
// resumer's C++ stack, then resumes `resume_point`. The next `yield` (or the end of the body)
// sets the flag and returns to that resume() call, as Flow's finished_inline does. An async
// generator may park instead (it awaits asyncio.sleep inside): the resumer then suspends the
// consumer too, the consumer's task is parked at the generator's await (so cancelling that
// task raises CancelledError inside the generator, as in CPython), and when the generator
// later reaches a `yield` with no resumer on the stack it transfers straight to the consumer's
// handle. A sync generator never parks, so a sync consumer (next(), a `for` loop, list())
// resumes it with a plain handle.resume().
#pragma once

#include <coroutine>
#include <exception>
#include <string>
#include <vector>

#include "engine/co.hpp"
#include "engine/interp/python/machine.hpp"

namespace tasklab::py {

/// The coroutine that owns a generator's body: it runs the body and, when the body ends,
/// returns to the resumer (inline) or transfers to the waiting consumer.
class GenBody {
public:
    struct promise_type : detail::FrameAllocation {
        GeneratorObj* gen = nullptr;
        std::exception_ptr error;
        GenBody get_return_object() { return GenBody(std::coroutine_handle<promise_type>::from_promise(*this)); }
        std::suspend_always initial_suspend() const noexcept { return {}; }
        struct Final {
            bool await_ready() const noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) const noexcept;
            void await_resume() const noexcept {}
        };
        Final final_suspend() const noexcept { return {}; }
        void return_void() const noexcept {}
        void unhandled_exception() noexcept { error = std::current_exception(); }
    };

    GenBody() = default;
    GenBody(GenBody&& o) noexcept : m_handle(std::exchange(o.m_handle, {})) {}
    GenBody& operator=(GenBody&& o) noexcept {
        if (this != &o) {
            reset();
            m_handle = std::exchange(o.m_handle, {});
        }
        return *this;
    }
    GenBody(const GenBody&) = delete;
    GenBody& operator=(const GenBody&) = delete;
    ~GenBody() { reset(); }

    [[nodiscard]] std::coroutine_handle<promise_type> handle() const { return m_handle; }
    void reset() {
        if (m_handle) {
            m_handle.destroy();
            m_handle = {};
        }
    }

private:
    explicit GenBody(std::coroutine_handle<promise_type> h) : m_handle(h) {}
    std::coroutine_handle<promise_type> m_handle;
};

/// Where a generator is in its life.
enum class GenState : std::uint8_t { created, suspended, running, finished };

/// A generator (`def` with `yield`) or an async generator (`async def` with `yield`).
struct GeneratorObj : NativeObj {
    GeneratorObj() : NativeObj(NKind::generator) {}
    ~GeneratorObj() override;
    GeneratorObj(const GeneratorObj&) = delete;
    GeneratorObj& operator=(const GeneratorObj&) = delete;

    Machine* machine = nullptr;
    std::weak_ptr<int> machine_life;  ///< expired once the machine is gone
    Value func;                 ///< the generator function
    EnvPtr env;                 ///< its frame
    std::string name;           ///< __name__
    std::string qualname;       ///< __qualname__ (repr)
    std::uint64_t serial = 0;   ///< the made-up address of its repr
    bool is_async = false;
    GenState state = GenState::created;
    GenBody body;
    std::coroutine_handle<> resume_point;   ///< the yield it stopped at (the body before it starts)
    std::coroutine_handle<> consumer = std::noop_coroutine();  ///< who waits for the next yield
    bool* inline_flag = nullptr;            ///< set while a resumer's frame is on the C++ stack
    Res delivered;  ///< into the generator at a resume: the value sent (normal) or the exception thrown in (raise)
    Res produced;   ///< out of it: the value yielded (normal), returned (return_), or what it raised
    bool body_done = false;     ///< GenBody ran to its end
};

/// What iter() returns for a list, tuple, str, range, dict, set: the items taken when it was
/// made, handed out one at a time. Also enumerate/zip/map/filter over a generator or an
/// iterator: they pull from their sources one item at a time, as CPython's do.
struct SeqIter : NativeObj {
    enum class Mode : std::uint8_t { items, enumerate, zip, map, filter } mode = Mode::items;
    std::vector<Value> items;
    std::size_t next = 0;
    std::vector<Value> sources;  ///< the iterators an adapter pulls from
    Value fn;                    ///< map's function, filter's predicate
    std::int64_t count = 0;      ///< enumerate's next index
    std::uint64_t serial = 0;  ///< the made-up address of its repr
    SeqIter() : NativeObj(NKind::seq_iter) {}
};

inline GeneratorObj& gen_of(const Value& v) { return static_cast<GeneratorObj&>(*v.obj); }
/// The made-up address a generator's or an iterator's repr shows.
std::string hex_address(std::uint64_t serial);
/// send()/next()/throw() of a sync generator: what the caller sees.
Res gen_send(Machine& m, GeneratorObj& g, Res in, Span span);
/// close() of a sync generator.
Res gen_close(Machine& m, GeneratorObj& g, Span span);
/// The exception `throw()`/`athrow()` throws in: an instance as given, a class instantiated.
Res thrown_exception(Machine& m, Args& args, Span span);

}  // namespace tasklab::py
