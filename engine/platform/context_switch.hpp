// What the engine's two stack switchers share (big_stack.cpp and fiber.cpp, internal): whether
// this build runs under AddressSanitizer (TASKLAB_ASAN), whose fiber API both announce their
// switches with, and the one ucontext switch both use.
#pragma once

#include <ucontext.h>

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TASKLAB_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define TASKLAB_ASAN 1
#endif
#ifdef TASKLAB_ASAN
#include <sanitizer/common_interface_defs.h>
#endif

namespace tasklab::detail {

/// swapcontext(from, to). Under AddressSanitizer it calls the C library's own: the switches are
/// announced with the fiber API, and ASan's interceptor would only warn that ucontext is not
/// fully supported (defined in big_stack.cpp).
int switch_context(ucontext_t* from, const ucontext_t* to);

}  // namespace tasklab::detail
