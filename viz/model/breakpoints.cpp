// Breakpoints: matching events forward (while the trace grows) and backward (over the record).
#include "breakpoints.hpp"

namespace tasklab::viz {

bool Breakpoints::any() const {
    return enabled && (cancel_requested || cancel_observed || threw || task_finished || time_at_least || !lines.empty());
}

void Breakpoints::toggle_line(std::uint32_t line) {
    if (line == 0) return;
    if (!lines.erase(line)) lines.insert(line);
}

std::uint32_t event_line(const Event& e, const SourceFile* file) {
    if (!file || e.span.empty()) return 0;
    return file->locate(e.span.begin).line;
}

std::string event_break_reason(const Breakpoints& bp, const Event& e, const SourceFile* file) {
    if (!bp.enabled) return {};
    switch (e.kind) {
        case EventKind::cancel_requested:
            if (bp.cancel_requested) return "cancel requested";
            break;
        case EventKind::cancel_observed:
            if (bp.cancel_observed) return "cancel observed";
            break;
        case EventKind::threw:
            if (bp.threw) return "throw";
            break;
        case EventKind::task_finished:
            if (bp.task_finished) return "task finished";
            break;
        default: break;
    }
    // The engine's own bookkeeping (task 0) and task creation sites are not "reaching a line":
    // a line breakpoint stops where a task's code is at that line.
    if (!bp.lines.empty() && e.task != 0 && e.kind != EventKind::task_created) {
        const std::uint32_t line = event_line(e, file);
        if (line != 0 && bp.lines.count(line)) return "line " + std::to_string(line);
    }
    return {};
}

BreakpointWatch::BreakpointWatch(Breakpoints bp, const SourceFile* file, Tick start_time)
    : m_state(std::make_shared<State>()) {
    m_state->bp = std::move(bp);
    m_state->file = file;
    m_state->last_time = start_time;
}

bool BreakpointWatch::operator()(const Event& e) {
    State& s = *m_state;
    const Tick before = s.last_time;
    s.last_time = e.time;
    if (!s.bp.enabled) return false;
    std::string reason = event_break_reason(s.bp, e, s.file);
    if (reason.empty() && s.bp.time_at_least && e.time >= *s.bp.time_at_least && before < *s.bp.time_at_least)
        reason = "time \u2265 " + format_time(*s.bp.time_at_least);
    if (reason.empty()) return false;
    s.hit = BreakHit{e.index, std::move(reason)};
    return true;
}

std::optional<BreakHit> find_break_backward(const Trace& trace, const Breakpoints& bp, const SourceFile* file,
                                            std::uint64_t before_step, std::uint64_t stop_step) {
    if (!bp.any() || before_step == 0) return std::nullopt;
    // Events of steps >= before_step are "here or later"; start below them.
    std::uint64_t i = trace.first_event_of_step(before_step);
    while (i-- > 0) {
        const Event e = trace.at(i);
        if (e.step < stop_step) break;
        std::string reason = event_break_reason(bp, e, file);
        if (reason.empty() && bp.time_at_least && e.time >= *bp.time_at_least &&
            (i == 0 || trace.at(i - 1).time < *bp.time_at_least))
            reason = "time \u2265 " + format_time(*bp.time_at_least);
        if (!reason.empty()) return BreakHit{i, std::move(reason)};
    }
    return std::nullopt;
}

bool is_jump_target(JumpKind kind, const Event& e) {
    switch (kind) {
        case JumpKind::cancel: return e.kind == EventKind::cancel_requested;
        case JumpKind::spawn:
            return e.kind == EventKind::task_created && static_cast<TaskKind>(e.detail) != TaskKind::main;
        case JumpKind::threw: return e.kind == EventKind::threw;
        case JumpKind::narration: return e.kind == EventKind::narration;
    }
    return false;
}

}  // namespace tasklab::viz
