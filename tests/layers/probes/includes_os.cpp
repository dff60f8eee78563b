// Probe (tests/layers/probe.cmake): a source that switches stacks with POSIX ucontext, as
// engine/platform does. Built with the engine's or the front end's flags it must fail (the OS
// fence of cmake/layers.cmake stands in front of <ucontext.h>); built with engine/platform's
// flags it must build.
#include <ucontext.h>

int probe(ucontext_t* from, const ucontext_t* to) { return swapcontext(from, to); }
