// Notes: how both interpreters turn `tasklab: note` and `note-at` into narration events.
//
// A `note` is narrated when its statement starts, the first time any task runs it. A
// `note-at <event>` is armed when its statement starts and narrated when the event happens
// in the task running the statement (Scheduler::arm_note); `end` fires when the statement is
// over, so the interpreters report each statement that carries a note-at when it ends. Every
// note is recorded once (Scheduler::narrate), numbered in playing order.
#pragma once

#include "engine/scheduler.hpp"
#include "engine/trace.hpp"
#include "scenarios/ast.hpp"

namespace tasklab::notes {

/// The event kind a note-at waits for (task_resumed stands for "the statement ended").
[[nodiscard]] inline EventKind event_of(ast::NoteEvent e) {
    switch (e) {
    case ast::NoteEvent::cancel: return EventKind::cancel_requested;
    case ast::NoteEvent::observed: return EventKind::cancel_observed;
    case ast::NoteEvent::throw_: return EventKind::threw;
    case ast::NoteEvent::finish: return EventKind::task_finished;
    case ast::NoteEvent::end: break;
    }
    return EventKind::task_resumed;
}

/// Statement `s` starts in the running task: narrate its note, arm its note-ats.
inline void statement_started(Scheduler& sched, const ast::Program& program, const ast::Stmt* s) {
    if (s->note != 0) sched.narrate(sched.current(), s->note);
    for (std::uint32_t k = s->note_at; k != 0; k = program.note_ats[k - 1].next) {
        const ast::NoteAt& n = program.note_ats[k - 1];
        sched.arm_note(sched.current(), n.note, event_of(n.at), s);
    }
}

/// Statement `s` ended in the running task (normally or by an error).
inline void statement_ended(Scheduler& sched, const ast::Stmt* s) {
    if (s->note_at != 0) sched.statement_ended(sched.current(), s);
}

}  // namespace tasklab::notes
