// Fiber: a second stack switched to and from with ucontext (see fiber.hpp).
#include "engine/fiber.hpp"

#include <sys/mman.h>
#include <ucontext.h>

#include <new>

#include "context_switch.hpp"

namespace tasklab {

namespace {

constexpr std::size_t k_guard = std::size_t{1} << 16;
constexpr std::size_t k_least_fiber_stack_size = std::size_t{1} << 20;

thread_local Fiber* t_current = nullptr;   // the fiber running now
thread_local Fiber* t_starting = nullptr;  // the fiber whose entry() is about to run


}  // namespace

struct Fiber::Impl {
    void* base = nullptr;  // the mapping, guard first
    std::size_t size = 0;  // the usable stack
    ucontext_t caller{};
    ucontext_t self{};
#ifdef TASKLAB_ASAN
    void* caller_fake = nullptr;          // the resumer's fake stack while the fiber runs
    const void* caller_bottom = nullptr;  // the resumer's stack, to switch back to
    std::size_t caller_size = 0;
    void* self_fake = nullptr;            // the fiber's fake stack while it is suspended
#endif
    [[nodiscard]] std::uintptr_t low() const { return reinterpret_cast<std::uintptr_t>(base) + k_guard; }
};

Fiber::Fiber(std::function<void()> body) : m_impl(std::make_unique<Impl>()), m_body(std::move(body)) {
    for (std::size_t want = k_fiber_stack_size; want >= k_least_fiber_stack_size; want /= 4) {
        void* p = mmap(nullptr, want + k_guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) continue;
        mprotect(p, k_guard, PROT_NONE);  // the stack grows down into the guard
        m_impl->base = p;
        m_impl->size = want;
        break;
    }
    if (m_impl->base == nullptr) throw std::bad_alloc();
    getcontext(&m_impl->self);
    m_impl->self.uc_stack.ss_sp = reinterpret_cast<void*>(m_impl->low());
    m_impl->self.uc_stack.ss_size = m_impl->size;
    m_impl->self.uc_link = nullptr;  // entry() never returns: it switches back itself
    makecontext(&m_impl->self, &Fiber::entry, 0);
}

Fiber::~Fiber() {
    if (m_impl->base) munmap(m_impl->base, m_impl->size + k_guard);
}

StackRange Fiber::stack() const {
    if (!m_impl->base) return {};
    return {m_impl->low(), m_impl->low() + m_impl->size};
}

Fiber* Fiber::current() { return t_current; }

void Fiber::entry() {
    Fiber* f = t_starting;
    t_starting = nullptr;
    Impl& s = *f->m_impl;
#ifdef TASKLAB_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &s.caller_bottom, &s.caller_size);
#endif
    try {
        f->m_body();
    } catch (...) {
        f->m_error = std::current_exception();
    }
    f->m_finished = true;
    f->m_running = false;
    t_current = nullptr;
#ifdef TASKLAB_ASAN
    __sanitizer_start_switch_fiber(nullptr, s.caller_bottom, s.caller_size);  // this stack is done
#endif
    detail::switch_context(&s.self, &s.caller);  // never resumed again
}

bool Fiber::resume() {
    if (m_finished || m_running) return m_finished;
    Impl& s = *m_impl;
    Fiber* const outer = t_current;
    t_current = this;
    m_running = true;
    t_starting = this;
#ifdef TASKLAB_ASAN
    __sanitizer_start_switch_fiber(&s.caller_fake, reinterpret_cast<void*>(s.low()), s.size);
#endif
    detail::switch_context(&s.caller, &s.self);
#ifdef TASKLAB_ASAN
    __sanitizer_finish_switch_fiber(s.caller_fake, nullptr, nullptr);
#endif
    t_current = outer;
    if (m_error) {
        std::exception_ptr e = m_error;
        m_error = nullptr;
        std::rethrow_exception(e);
    }
    return m_finished;
}

void Fiber::suspend() {
    if (!m_running || t_current != this) return;
    Impl& s = *m_impl;
    m_running = false;
#ifdef TASKLAB_ASAN
    __sanitizer_start_switch_fiber(&s.self_fake, s.caller_bottom, s.caller_size);
#endif
    detail::switch_context(&s.self, &s.caller);
#ifdef TASKLAB_ASAN
    __sanitizer_finish_switch_fiber(s.self_fake, &s.caller_bottom, &s.caller_size);
#endif
}

}  // namespace tasklab
