// The glossary's tables, and the plain-words decoding of an event built on them.
#include "glossary.hpp"

#include <array>

#include "viz/text/event_log.hpp"
#include "viz/text/text_util.hpp"

namespace tasklab::viz {

namespace {

// Each table lists its enum's values in order; the test checks each row's name against the
// engine's (event_kind_name, outcome_name, …) and counts the enum's values in its header.
// Words use ASCII and the few symbols the UI font always carries (→ … ' —).

constexpr Term k_events[] = {
    {"task_created", "task created", "A task was made (a child, an async let, Task {}, a work item, …); it has not run yet."},
    {"task_started", "started", "The task runs its first line."},
    {"task_suspended", "suspended", "The task waits at an await (or a GCD item waits for its turn) and gives the thread away."},
    {"task_resumed", "resumed", "A suspended task runs again from where it waited."},
    {"task_blocked", "blocks the thread", "The task blocks the thread itself (Thread.sleep, time.sleep): nothing else runs there."},
    {"task_unblocked", "thread free again", "A thread-blocking call returned."},
    {"task_finished", "finished", "The task ended: returned, threw, was cancelled or skipped."},
    {"cancel_requested", "cancel requested", "Someone asked the task to stop. It keeps going until it notices."},
    {"cancel_observed", "noticed the cancel", "The task's own code saw the cancel (a check, a sleep, an await) and reacted."},
    {"uncancelled", "cancel taken back", "asyncio: uncancel() (a timeout or TaskGroup turning the cancel into its own outcome) took a request back; with none left pending the task is no longer being cancelled."},
    {"handler_ran", "cancel handler ran", "withTaskCancellationHandler's onCancel ran at the moment of the cancel."},
    {"threw", "threw an error", "An error (or CancellationError / CancelledError) was thrown."},
    {"caught", "caught an error", "A catch / except block took the error."},
    {"error_delivered", "got a child's error", "A child's error reached the task that owns the group or awaits it."},
    {"scope_entered", "scope opened", "A task group, async let scope, timeout or queue began."},
    {"scope_exited", "scope closed", "That scope ended (a group waits for all its children first)."},
    {"printed", "printed", "A line of output."},
    {"timer_armed", "timer set", "A sleep or deadline set a timer on the virtual clock."},
    {"timer_fired", "timer went off", "The virtual clock reached a timer: its task wakes up."},
    {"timer_disarmed", "timer removed", "A timer was dropped before it went off (its sleep was cancelled)."},
    {"loop_blocked", "event loop blocked", "asyncio: a blocking call (time.sleep) stopped the whole event loop."},
    {"narration", "note", "A note of the lesson (// tasklab: note) at this moment."},
    {"signal_raised", "signal received", "The program received a signal (SIGINT, SIGTERM)."},
    {"lint", "warning", "A pattern that is usually a mistake (see the warnings below)."},
    {"run_ended", "program ended", "The run is over; the reason says how."},
    {"actor_waiting", "waits for an actor", "Swift: the task needs an actor (the main actor, an actor instance) that another task holds; it queues until that task lets go."},
    {"actor_acquired", "gets the actor", "Swift: the task now runs on the actor: it entered it, or the holder handed it over."},
    {"actor_released", "lets go of the actor", "Swift: the task left the actor, or suspended inside it and handed it to the next task waiting (reentrancy)."},
};

constexpr Term k_task_kinds[] = {
    {"main", "the program's main code", "The top-level code of the file."},
    {"child", "child task (task group)", "Made by group.addTask / TaskGroup.create_task: structured, it belongs to the group."},
    {"async_let", "async let child", "Made by `async let`: structured, it belongs to the scope that declared it."},
    {"unstructured", "unstructured task", "Task {} / asyncio.create_task: no parent, cancelled only when asked."},
    {"detached", "detached task", "Task.detached {}: no parent, inherits nothing."},
    {"work_item", "work item", "A GCD closure or DispatchWorkItem submitted to a queue."},
    {"callback", "loop callback", "asyncio: a callback the event loop runs (call_later, a signal handler)."},
    {"thread", "worker thread", "asyncio: a call run on a thread of the loop's executor (to_thread, run_in_executor); a cancel cannot stop it."},
};

constexpr Term k_wait_reasons[] = {
    {"sleep", "sleeping", "Waits for a timer (Task.sleep, asyncio.sleep)."},
    {"task", "waiting for a task", "Waits for another task's result (task.value, await task)."},
    {"group", "waiting for the next child", "Waits for the group's next child (next(), for try await, waitForAll, the group's end)."},
    {"async_let", "waiting for an async let", "Waits for an `async let` value."},
    {"network", "waiting on the network", "A (simulated) network call is in flight."},
    {"forever", "waiting forever", "A wait that nothing in the program will end (asyncio.Future(), dispatchMain)."},
    {"event", "waiting for an event", "Waits until someone sets an Event, puts into a Queue, completes a Future or signals a DispatchSemaphore."},
    {"yield", "letting others run", "asyncio.sleep(0): goes to the back of the ready queue."},
    {"queue_slot", "waiting for its queue", "A serial GCD queue is still busy with an earlier item (a queued item, or queue.sync, waits its turn)."},
    {"work_item", "waiting for a work item", "DispatchWorkItem.wait() / DispatchGroup.wait(): waits until that item (or every item of the group) has run, or its timeout passes."},
    {"actor", "waiting for an actor", "Swift: the actor it must run on is busy with another task (a cancel does not end this wait)."},
    {"preempted", "preempted", "Explored run only: between two statements another thread ran first, as a real thread can be preempted. It is ready again at once."},
};

constexpr Term k_resume_statuses[] = {
    {"normal", "normally", "What it waited for arrived."},
    {"cancelled", "woken by a cancel", "The wait ended because the task was cancelled."},
    {"error", "woken by an error", "The wait ended with an error."},
    {"timeout", "woken by a timeout", "The wait ended because a deadline passed."},
};

constexpr Term k_outcomes[] = {
    {"returned", "returned", "Finished normally."},
    {"threw", "threw an error", "Ended by an error other than cancellation."},
    {"cancelled", "cancelled", "Ended by cancellation (threw CancellationError / CancelledError after a cancel)."},
    {"skipped", "skipped, never ran", "GCD: the item was cancelled before it started, so its body never ran."},
    {"abandoned", "still running at the end", "Still running or waiting when the program ended."},
};

constexpr Term k_cancel_causes[] = {
    {"explicit", "cancel() was called", "Code called task.cancel() / item.cancel()."},
    {"cancelAll", "cancelAll() was called", "Code called group.cancelAll(): every child of the group is cancelled."},
    {"parent", "its parent was cancelled", "A cancel travels down to every structured child."},
    {"group", "its group was cancelled", "A cancelled group cancels each of its children."},
    {"child_error", "a child's error cancelled the group", "An error leaving a task group cancels the child's siblings."},
    {"born_cancelled", "made in a cancelled task", "Created inside a task or group that was already cancelled."},
    {"scope_exit", "left its scope un-awaited", "An `async let` never awaited is cancelled when its scope ends."},
    {"timeout", "a timeout ran out", "asyncio.wait_for / asyncio.timeout reached its deadline."},
    {"shutdown", "asyncio.run cleans up", "When main() returns, asyncio.run cancels every task still running."},
    {"awaiter_cancelled", "the task awaiting it was cancelled", "asyncio: cancelling a task that awaits another cancels that one too."},
};

constexpr Term k_observed_by[] = {
    {"isCancelled", "read isCancelled", "Task.isCancelled / item.isCancelled returned true."},
    {"checkCancellation", "checkCancellation() threw", "Task.checkCancellation() threw CancellationError."},
    {"sleep", "a sleep threw", "A cancellable sleep threw (at once, or woken by the cancel)."},
    {"network", "a network call threw", "A network call threw URLError(.cancelled)."},
    {"await", "CancelledError at an await", "asyncio: CancelledError was raised at the await the task stood at."},
    {"body_skipped", "skipped before it started", "GCD: the item was cancelled before it started; its body is skipped."},
    {"never_started", "cancelled before it started", "asyncio: cancelled before its first step; its body never ran."},
    {"addTaskUnlessCancelled", "addTaskUnlessCancelled said no", "addTaskUnlessCancelled returned false: the group is cancelled."},
};

constexpr Term k_scope_kinds[] = {
    {"withTaskGroup", "task group", "withTaskGroup."},
    {"withThrowingTaskGroup", "throwing task group", "withThrowingTaskGroup: a child's error can leave it."},
    {"withDiscardingTaskGroup", "discarding task group", "withDiscardingTaskGroup: results are dropped."},
    {"withThrowingDiscardingTaskGroup", "throwing discarding task group", "withThrowingDiscardingTaskGroup: the first error cancels the rest."},
    {"async let", "async let scope", "The block that declares `async let` bindings."},
    {"withTaskCancellationHandler", "cancellation handler", "withTaskCancellationHandler's operation."},
    {"asyncio.TaskGroup", "asyncio TaskGroup", "async with asyncio.TaskGroup()."},
    {"asyncio.timeout", "asyncio timeout", "asyncio.timeout / wait_for."},
    {"DispatchQueue", "dispatch queue", "A GCD queue (serial or concurrent)."},
};

constexpr Term k_lint_kinds[] = {
    {"cancel_swallowed", "cancel swallowed", "asyncio: CancelledError was caught and not raised again, so the cancel is lost."},
    {"task_never_awaited", "cancelled, never awaited", "asyncio: cancel() without awaiting the task before moving on."},
    {"cancel_never_observed", "cancel never noticed", "A cancel was requested and the task finished without noticing it."},
    {"outlived_creator", "outlived its creator", "Unstructured work still running after the code that made it finished."},
    {"cancel_noop", "cancel came too late", "cancel() on something that had already finished: nothing happens."},
    {"continuation_leaked", "continuation never resumed",
     "A checked continuation went away without resume(): the task waiting on it stays suspended forever."},
};

constexpr Term k_end_reasons[] = {
    {"finished", "finished", "The program ran to its end."},
    {"uncaught_error", "stopped by an uncaught error", "An error left the program's main code."},
    {"deadlock", "stuck: everyone waits", "Nothing can run and no timer is set: a deadlock."},
    {"step_limit", "step limit reached", "The run was stopped after its maximum number of steps."},
    {"time_limit", "time limit reached", "The run was stopped at its maximum virtual time."},
    {"internal_error", "internal error", "tasklab itself failed; please report the scenario."},
    {"stopped", "stopped by the user", "Someone pressed Stop: the run ends where it got to."},
};

constexpr Term k_lane_states[] = {
    {"waiting to start", "not started", "Created, not running yet (in the ready queue, or a timer starts it)."},
    {"running", "running", "Holds the thread: its code runs."},
    {"suspended", "suspended", "Waits at an await, holding nothing."},
    {"sleeping", "sleeping", "Suspended on a timer."},
    {"blocked", "blocked", "Thread-blocking work: the thread itself is stuck. A band on top: it keeps its actor meanwhile."},
    {"waiting for an actor", "waiting for an actor", "Swift: ready to run, but another task holds the actor it needs (the main actor: a frozen UI)."},
};

constexpr Term k_marks[] = {
    {"cancel requested", "cancel requested", "Someone asked this task to stop."},
    {"cancel observed", "noticed the cancel", "The task's code saw the cancel."},
    {"threw", "threw an error", "An error was thrown here; at a lane's end, the error ended the task."},
    {"caught", "caught an error", "A catch took the error."},
    {"printed", "printed", "A line of output."},
    {"handler ran", "cancel handler ran", "withTaskCancellationHandler's onCancel ran."},
    {"narration", "note", "A note of the lesson."},
    {"error delivered", "got a child's error", "A child's error arrived here."},
    {"lint", "warning", "A pattern that is usually a mistake."},
};

constexpr Term k_arrows[] = {
    {"spawn", "creates a child", "A structured child task is made."},
    {"spawn (unstructured)", "creates (no parent)", "Task {}, create_task or a work item is made (dashed)."},
    {"explicit cancel", "cancel call", "cancel() / cancelAll() from the task that called it."},
    {"propagated cancel", "cancel passed down", "A cancel travelling from parent or group to child."},
    {"implicit cancel (child error)", "error cancels siblings", "A child's error cancels the other children, through the group."},
    {"error delivered", "error to parent", "A child's error reaches its owner."},
};

struct Group {
    TermGroup group;
    std::string_view title;
    std::string_view enum_name;
    std::span<const Term> terms;
};

constexpr Group k_groups[] = {
    {TermGroup::event, "Events", "EventKind", k_events},
    {TermGroup::task_kind, "Kinds of task", "TaskKind", k_task_kinds},
    {TermGroup::wait_reason, "What a task waits for", "WaitReason", k_wait_reasons},
    {TermGroup::resume_status, "How a wait ended", "ResumeStatus", k_resume_statuses},
    {TermGroup::outcome, "How a task ended", "Outcome", k_outcomes},
    {TermGroup::cancel_cause, "Why a cancel was requested", "CancelCause", k_cancel_causes},
    {TermGroup::observed_by, "How a task noticed a cancel", "ObservedBy", k_observed_by},
    {TermGroup::scope_kind, "Scopes", "ScopeKind", k_scope_kinds},
    {TermGroup::lint_kind, "Warnings", "LintKind", k_lint_kinds},
    {TermGroup::end_reason, "How the program ended", "EndReason", k_end_reasons},
    {TermGroup::lane_state, "Lane patterns", "LaneState", k_lane_states},
    {TermGroup::mark, "Marks on a lane", "MarkKind", k_marks},
    {TermGroup::arrow, "Arrows", "ArrowKind", k_arrows},
};
static_assert(std::size(k_groups) == k_term_group_count);
static_assert(std::size(k_events) == k_event_kind_count);
static_assert(std::size(k_lane_states) == k_lane_state_count);
static_assert(std::size(k_marks) == k_mark_kind_count);
static_assert(std::size(k_arrows) == k_arrow_kind_count);

template <class E>
std::string_view word_of(TermGroup g, E value) {
    const auto table = terms(g);
    const auto i = static_cast<std::size_t>(value);
    return i < table.size() ? table[i].words : std::string_view("?");
}

std::string scope_label(const Trace& trace, ScopeId id) {
    if (id == 0 || id >= trace.scopes().size()) return "scope " + std::to_string(id);
    const ScopeInfo& s = trace.scope(id);
    if (!s.name.empty()) return s.name;
    return std::string(words(s.kind));
}

}  // namespace

std::string_view without_heading(std::string_view message, std::string_view heading) {
    if (!heading.empty() && message.size() > heading.size() && message.substr(0, heading.size()) == heading &&
        message[heading.size()] == ':') {
        message.remove_prefix(heading.size() + 1);
        while (!message.empty() && message.front() == ' ') message.remove_prefix(1);
    }
    return message;
}

std::string_view term_group_title(TermGroup g) { return k_groups[static_cast<std::size_t>(g)].title; }
std::string_view term_group_enum(TermGroup g) { return k_groups[static_cast<std::size_t>(g)].enum_name; }
std::span<const Term> terms(TermGroup g) { return k_groups[static_cast<std::size_t>(g)].terms; }

std::string_view words(EventKind k) { return word_of(TermGroup::event, k); }
std::string_view words(TaskKind k) { return word_of(TermGroup::task_kind, k); }
std::string_view words(WaitReason w) { return word_of(TermGroup::wait_reason, w); }
std::string_view words(ResumeStatus s) { return word_of(TermGroup::resume_status, s); }
std::string_view words(Outcome o) { return word_of(TermGroup::outcome, o); }
std::string_view words(CancelCause c) { return word_of(TermGroup::cancel_cause, c); }
std::string_view words(ObservedBy o) { return word_of(TermGroup::observed_by, o); }
std::string_view words(ScopeKind k) { return word_of(TermGroup::scope_kind, k); }
std::string_view words(LintKind k) { return word_of(TermGroup::lint_kind, k); }
std::string_view words(EndReason r) { return word_of(TermGroup::end_reason, r); }
std::string_view words(LaneState s) { return word_of(TermGroup::lane_state, s); }
std::string_view words(MarkKind k) { return word_of(TermGroup::mark, k); }
std::string_view words(ArrowKind k) { return word_of(TermGroup::arrow, k); }

std::string_view detail_words(const Event& e) {
    const std::uint8_t d = e.detail;
    switch (e.kind) {
        case EventKind::task_created: return word_of(TermGroup::task_kind, d);
        case EventKind::task_suspended: return word_of(TermGroup::wait_reason, d);
        case EventKind::task_resumed: return word_of(TermGroup::resume_status, d);
        case EventKind::task_finished: return word_of(TermGroup::outcome, d);
        case EventKind::cancel_requested: return word_of(TermGroup::cancel_cause, d);
        case EventKind::cancel_observed: return word_of(TermGroup::observed_by, d);
        case EventKind::scope_entered:
        case EventKind::scope_exited: return word_of(TermGroup::scope_kind, d);
        case EventKind::lint: return word_of(TermGroup::lint_kind, d);
        case EventKind::run_ended: return word_of(TermGroup::end_reason, d);
        default: return {};
    }
}

std::string plain_details(const Trace& trace, const Event& e, const ast::Program* program) {
    const std::string_view detail = detail_words(e);
    const std::string_view payload = trace.payload_text(e);
    std::string out;
    switch (e.kind) {
        case EventKind::task_created:
            out = std::string(detail);
            if (e.task < trace.tasks().size()) {
                const TaskInfo& info = trace.task(e.task);
                if (info.parent != 0) out += ", child of " + lane_name(trace, info.parent);
                else if (info.creator != 0) out += ", made by " + lane_name(trace, info.creator);
                if (info.scope != 0) out += ", in " + scope_label(trace, info.scope);
            }
            break;
        case EventKind::task_started:
        case EventKind::task_unblocked: break;
        case EventKind::task_suspended: {
            out = std::string(detail);
            const std::string_view name = e.detail < terms(TermGroup::wait_reason).size()
                                              ? terms(TermGroup::wait_reason)[e.detail].name
                                              : std::string_view();
            if (!payload.empty() && payload != name) out += ": " + std::string(payload);
            if (e.related != 0) {
                const auto w = static_cast<WaitReason>(e.detail);
                if (w == WaitReason::task || w == WaitReason::async_let || w == WaitReason::work_item)
                    out += " \u2192 " + lane_name(trace, e.related);
                else if (w == WaitReason::group || w == WaitReason::queue_slot)
                    out += " \u2192 " + scope_label(trace, e.related);
            }
            break;
        }
        case EventKind::task_resumed: out = std::string(detail); break;
        case EventKind::task_blocked:
            out = "for " + format_duration(trace.number(e.payload));
            if (e.related != 0) out += ", keeping " + std::string(trace.actor_name(e.related));
            break;
        case EventKind::loop_blocked: out = "for " + format_duration(trace.number(e.payload)); break;
        case EventKind::actor_waiting:
            out = std::string(trace.actor_name(e.related));
            if (e.payload != 0) out += ", held by " + lane_name(trace, e.payload);
            break;
        case EventKind::actor_acquired:
            out = std::string(trace.actor_name(e.related));
            if (e.payload != 0) out += ", handed over by " + lane_name(trace, e.payload);
            break;
        case EventKind::actor_released:
            out = std::string(trace.actor_name(e.related));
            if (e.payload != 0) out += ", handed to " + lane_name(trace, e.payload);
            break;
        case EventKind::task_finished:
            out = std::string(detail);
            if (!payload.empty()) out += ": " + std::string(payload);
            break;
        case EventKind::cancel_requested:
            out = std::string(detail);
            if (e.related != 0) out += ", by " + lane_name(trace, e.related);
            if (e.payload != 0) out += ", in " + scope_label(trace, e.payload);
            break;
        case EventKind::cancel_observed: out = std::string(detail); break;
        case EventKind::uncancelled:
            out = e.payload == 0 ? std::string("no cancel request left pending")
                                 : std::to_string(e.payload) + " cancel request" + (e.payload == 1 ? "" : "s") + " still pending";
            break;
        case EventKind::handler_ran:
            if (e.related != 0) out = "for " + lane_name(trace, e.related);
            break;
        case EventKind::threw:
        case EventKind::caught:
        case EventKind::signal_raised: out = std::string(payload); break;
        case EventKind::error_delivered:
            out = "from " + lane_name(trace, e.related);
            if (!payload.empty()) out += ": " + std::string(payload);
            break;
        case EventKind::scope_entered:
        case EventKind::scope_exited: out = scope_label(trace, e.related); break;
        case EventKind::printed: out = text::quoted(payload); break;
        case EventKind::timer_armed:
            out = "timer " + std::to_string(e.related) + ", goes off at " + format_time(trace.number(e.payload));
            break;
        case EventKind::timer_fired:
        case EventKind::timer_disarmed: out = "timer " + std::to_string(e.related); break;
        case EventKind::narration:
            if (program != nullptr && e.payload >= 1 && e.payload <= program->notes.size())
                out = text::quoted(program->notes[e.payload - 1]);
            else out = "note " + std::to_string(e.payload);
            break;
        case EventKind::lint:
        case EventKind::run_ended: {
            out = std::string(detail);
            const std::size_t d = e.detail;
            const auto& table = terms(e.kind == EventKind::lint ? TermGroup::lint_kind : TermGroup::end_reason);
            const std::string_view rest = without_heading(payload, d < table.size() ? table[d].name : std::string_view());
            if (!rest.empty()) out += " \u2014 " + std::string(rest);
            break;
        }
    }
    return out;
}

std::string plain_summary(const Trace& trace, const Event& e, const ast::Program* program) {
    std::string out(words(e.kind));
    const std::string details = plain_details(trace, e, program);
    if (!details.empty()) out += ": " + details;
    return out;
}

const char* mark_glyph(MarkKind kind) {
    switch (kind) {
        case MarkKind::cancel_requested: return glyph::cancel_requested;
        case MarkKind::cancel_observed: return glyph::cancel_observed;
        case MarkKind::threw: return glyph::threw;
        case MarkKind::caught: return glyph::caught;
        case MarkKind::printed: return glyph::print;
        case MarkKind::handler_ran: return glyph::handler;
        case MarkKind::narration: return glyph::narration;
        case MarkKind::error_delivered: return glyph::error_delivered;
        case MarkKind::lint: return glyph::lint;
    }
    return "?";
}

const char* outcome_glyph(Outcome o) {
    switch (o) {
        case Outcome::returned: return glyph::returned;
        case Outcome::threw: return glyph::threw;
        case Outcome::cancelled: return glyph::cancelled;
        case Outcome::skipped: return glyph::skipped;
        case Outcome::abandoned: return glyph::abandoned;
    }
    return "?";
}

std::span<const LegendEntry> legend_entries() {
    using K = LegendEntry::Kind;
    auto st = [](LaneState s) { return static_cast<int>(s); };
    auto mk = [](MarkKind m) { return static_cast<int>(m); };
    auto oc = [](Outcome o) { return static_cast<int>(o); };
    auto ar = [](ArrowKind a) { return static_cast<int>(a); };
    static const LegendEntry entries[] = {
        {K::state, st(LaneState::running), nullptr, words(LaneState::running)},
        {K::state, st(LaneState::suspended), nullptr, words(LaneState::suspended)},
        {K::state, st(LaneState::sleeping), nullptr, words(LaneState::sleeping)},
        {K::state, st(LaneState::blocked), nullptr, words(LaneState::blocked)},
        {K::state, st(LaneState::actor_wait), nullptr, words(LaneState::actor_wait)},
        {K::state, st(LaneState::waiting_to_start), nullptr, words(LaneState::waiting_to_start)},
        {K::pending, st(LaneState::running), nullptr, "cancel requested, still going"},
        {K::outcome, oc(Outcome::returned), glyph::returned, words(Outcome::returned)},
        // ✗ is one mark: an error thrown on a lane, and at its end the error that ended it.
        {K::mark, mk(MarkKind::threw), glyph::threw, words(MarkKind::threw)},
        {K::outcome, oc(Outcome::cancelled), glyph::cancelled, words(Outcome::cancelled)},
        {K::outcome, oc(Outcome::skipped), glyph::skipped, words(Outcome::skipped)},
        {K::outcome, oc(Outcome::abandoned), glyph::abandoned, words(Outcome::abandoned)},
        {K::mark, mk(MarkKind::cancel_requested), glyph::cancel_requested, words(MarkKind::cancel_requested)},
        {K::mark, mk(MarkKind::cancel_observed), glyph::cancel_observed, words(MarkKind::cancel_observed)},
        {K::gap, 0, glyph::delta, "time until noticed"},
        {K::mark, mk(MarkKind::caught), glyph::caught, words(MarkKind::caught)},
        {K::mark, mk(MarkKind::error_delivered), glyph::error_delivered, words(MarkKind::error_delivered)},
        {K::mark, mk(MarkKind::handler_ran), glyph::handler, words(MarkKind::handler_ran)},
        {K::mark, mk(MarkKind::printed), glyph::print, words(MarkKind::printed)},
        {K::mark, mk(MarkKind::narration), glyph::narration, words(MarkKind::narration)},
        {K::mark, mk(MarkKind::lint), glyph::lint, words(MarkKind::lint)},
        {K::unstructured, 0, glyph::unstructured, "no parent"},
        {K::thread, 0, glyph::thread, "thread"},
        {K::arrow, ar(ArrowKind::spawn), nullptr, words(ArrowKind::spawn)},
        {K::arrow, ar(ArrowKind::spawn_unstructured), nullptr, words(ArrowKind::spawn_unstructured)},
        {K::arrow, ar(ArrowKind::explicit_cancel), nullptr, words(ArrowKind::explicit_cancel)},
        {K::arrow, ar(ArrowKind::propagated), nullptr, words(ArrowKind::propagated)},
        {K::arrow, ar(ArrowKind::implicit), nullptr, words(ArrowKind::implicit)},
        {K::arrow, ar(ArrowKind::error_delivered), nullptr, words(ArrowKind::error_delivered)},
    };
    return entries;
}

}  // namespace tasklab::viz
