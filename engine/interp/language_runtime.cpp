// The factory of language runtimes (see language_runtime.hpp): the program's language picks
// the one interpreter the run builds.
#include "engine/interp/language_runtime.hpp"

#include "engine/interp/python/interpreter.hpp"
#include "engine/interp/swift/interpreter.hpp"

namespace tasklab {

// Which orders each model leaves open, for the race explorer (docs/semantics.md, "Which
// orders are open").
//   Swift concurrency and GCD: tasks and work items run on a pool of threads, so any task
//   ready at one instant may run next (an actor's own queue stays first come, first served),
//   and another thread's statement may come between two of the running task's (preemption).
//   Due timers then race with each other and with running work: they all fire at the start of
//   the pass, and the pick chooses among the tasks they made ready.
//   asyncio: one thread runs the loop and its order is fixed (FIFO ready queue, timers by
//   deadline); only timers due at one deadline, armed by different tasks at different virtual
//   instants, are open (the real deadlines differ by the time each task took to get there;
//   timers armed at one instant keep their order, the real clock moving on between them).
constexpr ChoiceRules k_swift_choice_rules{.any_ready_order = true, .preemption = true, .timer_ties = false};
constexpr ChoiceRules k_asyncio_choice_rules{.any_ready_order = false, .preemption = false, .timer_ties = true};

ChoiceRules choice_rules(ast::Language language) {
    return language == ast::Language::python ? k_asyncio_choice_rules : k_swift_choice_rules;
}

std::unique_ptr<LanguageRuntime> make_language_runtime(std::shared_ptr<const ast::Program> program, Scheduler& sched,
                                                       const RunOptions& options) {
    sched.set_chooser(options.chooser, choice_rules(program->language));
    switch (program->language) {
    case ast::Language::python: return std::make_unique<py::Interpreter>(std::move(program), sched, options);
    case ast::Language::swift: break;
    }
    return std::make_unique<interp::Interpreter>(std::move(program), sched, options);
}

}  // namespace tasklab
