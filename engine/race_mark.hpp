// The race explorer's mark (engine/explore.hpp): "the running task touched state another
// task can see". The scheduler points it at the flag of the run it is stepping, only in an
// explored run; the interpreters mark it where a task reads or writes shared state (a class
// instance's field, a global variable) and the scheduler marks it for every event and every
// task it wakes (a semaphore's signal() makes no event). A preemption point is offered only
// after such a touch: statements that touch nothing shared commute with every other thread's,
// so preempting before or after them gives the same run.
#pragma once

namespace tasklab {

namespace race {
/// Set while an explored run steps: the flag that says "this stretch of the running task
/// touched state another task can see". Interpreters mark it through touched_shared().
inline thread_local bool* t_shared_mark = nullptr;
/// The running code read or wrote a class instance's field, a global variable, … : a
/// preemption point after it may change the outcome. Nothing happens outside explored runs.
inline void touched_shared() {
    if (t_shared_mark != nullptr) *t_shared_mark = true;
}
}  // namespace race

}  // namespace tasklab
