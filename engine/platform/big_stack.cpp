// run_on_big_stack: switches to a per-thread mmap'd stack with ucontext (see big_stack.hpp).
#include "engine/big_stack.hpp"

#include <sys/mman.h>
#include <ucontext.h>

#include <exception>

#include "context_switch.hpp"

#ifdef TASKLAB_ASAN
#include <dlfcn.h>
#endif

namespace tasklab {

namespace {

constexpr std::size_t k_guard = std::size_t{1} << 16;

struct BigStack {
    void* base = nullptr;  // the mapping, guard page first
    std::size_t size = 0;  // the stack's size (k_big_stack_size, or less under ulimit -v)
    bool failed = false;
    bool active = false;
    ucontext_t caller{};
    ucontext_t callee{};
    const std::function<void()>* fn = nullptr;
    std::exception_ptr error;
#ifdef TASKLAB_ASAN
    const void* caller_bottom = nullptr;
    std::size_t caller_size = 0;
#endif
    ~BigStack() {
        if (base) munmap(base, size + k_guard);
    }
    bool ensure() {
        if (base) return true;
        if (failed) return false;
        // The full size first; under an address-space limit (ulimit -v) a smaller one, which
        // still holds the interpreters' counted limits (their stack checks read the real size).
        for (std::size_t want = k_big_stack_size; want >= k_least_big_stack_size; want /= 4) {
            void* p = mmap(nullptr, want + k_guard, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
            if (p == MAP_FAILED) continue;
            mprotect(p, k_guard, PROT_NONE);  // the stack grows down into the guard
            base = p;
            size = want;
            return true;
        }
        failed = true;
        return false;
    }
    [[nodiscard]] std::uintptr_t low() const { return reinterpret_cast<std::uintptr_t>(base) + k_guard; }
};

thread_local BigStack t_stack;


void trampoline() {
    BigStack& s = t_stack;
#ifdef TASKLAB_ASAN
    __sanitizer_finish_switch_fiber(nullptr, &s.caller_bottom, &s.caller_size);
#endif
    try {
        (*s.fn)();
    } catch (...) {
        s.error = std::current_exception();
    }
#ifdef TASKLAB_ASAN
    __sanitizer_start_switch_fiber(nullptr, s.caller_bottom, s.caller_size);
#endif
    // returns to uc_link (the caller)
}

}  // namespace

void run_on_big_stack(const std::function<void()>& fn) {
    BigStack& s = t_stack;
    if (s.active || !s.ensure()) {
        fn();
        return;
    }
    s.fn = &fn;
    s.error = nullptr;
    getcontext(&s.callee);
    s.callee.uc_stack.ss_sp = reinterpret_cast<void*>(s.low());
    s.callee.uc_stack.ss_size = s.size;
    s.callee.uc_link = &s.caller;
    makecontext(&s.callee, trampoline, 0);
    s.active = true;
#ifdef TASKLAB_ASAN
    void* fake = nullptr;
    __sanitizer_start_switch_fiber(&fake, reinterpret_cast<void*>(s.low()), s.size);
#endif
    detail::switch_context(&s.caller, &s.callee);
#ifdef TASKLAB_ASAN
    __sanitizer_finish_switch_fiber(fake, nullptr, nullptr);
#endif
    s.active = false;
    s.fn = nullptr;
    if (s.error) {
        std::exception_ptr e = s.error;
        s.error = nullptr;
        std::rethrow_exception(e);
    }
}

StackRange current_big_stack() {
    const BigStack& s = t_stack;
    if (!s.active) return {};
    return {s.low(), s.low() + s.size};
}

namespace detail {

#ifdef TASKLAB_ASAN
int switch_context(ucontext_t* from, const ucontext_t* to) {
    using Swap = int (*)(ucontext_t*, const ucontext_t*);
    static const Swap real = [] {
        void* libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);
        void* sym = libc != nullptr ? dlsym(libc, "swapcontext") : nullptr;
        return sym != nullptr ? reinterpret_cast<Swap>(sym) : &swapcontext;
    }();
    return real(from, to);
}
#else
int switch_context(ucontext_t* from, const ucontext_t* to) { return swapcontext(from, to); }
#endif

}  // namespace detail

}  // namespace tasklab
