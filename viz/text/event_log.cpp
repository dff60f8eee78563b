#include "event_log.hpp"

#include <algorithm>
#include <sstream>
#include <vector>

#include "text_util.hpp"

namespace tasklab {

namespace {

// Enumerator counts, taken from each enum's last enumerator: a detail byte beyond them is
// shown as a number instead of indexing a name table out of range.
template <class E>
bool in_range(std::uint8_t v, E last) {
    return v <= static_cast<std::uint8_t>(last);
}

std::string scope_label(const Trace& trace, ScopeId id) {
    if (id == 0) return "-";
    if (id >= trace.scopes().size()) return "scope " + std::to_string(id);
    const ScopeInfo& s = trace.scope(id);
    if (!s.name.empty()) return s.name;
    return std::string(scope_kind_name(s.kind)) + " #" + std::to_string(id);
}

// What the `related` field of a task_suspended event names, by wait reason.
enum class RelatedIs : std::uint8_t { nothing, task, scope, actor };
RelatedIs suspended_related(std::uint8_t detail) {
    if (!in_range(detail, WaitReason::actor)) return RelatedIs::nothing;
    switch (static_cast<WaitReason>(detail)) {
    case WaitReason::task: case WaitReason::async_let: case WaitReason::work_item: return RelatedIs::task;
    case WaitReason::group: case WaitReason::queue_slot: return RelatedIs::scope;
    case WaitReason::actor: return RelatedIs::actor;
    default: return RelatedIs::nothing;
    }
}

std::string actor_label(const Trace& trace, ActorId id) {
    const std::string_view name = trace.actor_name(id);
    return name.empty() ? "actor " + std::to_string(id) : std::string(name);
}

std::string number_payload(const Trace& trace, const Event& e) {
    // The number table is not exposed by size; every number-kind event was written with a
    // valid index by the engine, so it is read directly.
    return std::to_string(trace.number(e.payload));
}

}  // namespace

std::string_view event_detail_name(const Event& e) {
    const std::uint8_t d = e.detail;
    switch (e.kind) {
    case EventKind::task_created:
        return in_range(d, TaskKind::thread) ? task_kind_name(static_cast<TaskKind>(d)) : "?";
    case EventKind::task_suspended:
        return in_range(d, WaitReason::actor) ? wait_reason_name(static_cast<WaitReason>(d)) : "?";
    case EventKind::task_resumed:
        return in_range(d, ResumeStatus::timeout) ? resume_status_name(static_cast<ResumeStatus>(d)) : "?";
    case EventKind::task_finished:
        return in_range(d, Outcome::abandoned) ? outcome_name(static_cast<Outcome>(d)) : "?";
    case EventKind::cancel_requested:
        return in_range(d, CancelCause::awaiter_cancelled) ? cancel_cause_name(static_cast<CancelCause>(d)) : "?";
    case EventKind::cancel_observed:
        return in_range(d, ObservedBy::add_task_refused) ? observed_by_name(static_cast<ObservedBy>(d)) : "?";
    case EventKind::scope_entered:
    case EventKind::scope_exited:
        return in_range(d, ScopeKind::dispatch_queue) ? scope_kind_name(static_cast<ScopeKind>(d)) : "?";
    case EventKind::lint:
        return in_range(d, LintKind::continuation_leaked) ? lint_kind_name(static_cast<LintKind>(d)) : "?";
    case EventKind::run_ended:
        return in_range(d, EndReason::internal_error) ? end_reason_name(static_cast<EndReason>(d)) : "?";
    default:
        return {};
    }
}

std::string lane_name(const Trace& trace, TaskId task) {
    if (task == 0) return "-";
    if (task >= trace.tasks().size()) return "task " + std::to_string(task);
    const TaskInfo& info = trace.task(task);
    return info.name.empty() ? "task " + std::to_string(task) : info.name;
}

std::string span_location(const ast::Program* program, Span span) {
    if (program == nullptr || !program->file) return {};
    if (span.empty() && span.begin == 0) return {};
    const SourceFile& f = *program->file;
    const LineCol lc = f.locate(span.begin);
    return f.name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::string describe_event(const Trace& trace, const Event& e, const ast::Program* program) {
    const std::string_view detail = event_detail_name(e);
    const std::string_view text = trace.payload_text(e);
    std::string out;
    switch (e.kind) {
    case EventKind::task_created: {
        out = std::string(detail);
        if (e.task < trace.tasks().size()) {
            const TaskInfo& info = trace.task(e.task);
            if (info.parent != 0) out += ", child of " + lane_name(trace, info.parent);
            else if (info.creator != 0) out += ", created by " + lane_name(trace, info.creator);
            if (info.scope != 0) out += ", in " + scope_label(trace, info.scope);
        }
        break;
    }
    case EventKind::task_started:
    case EventKind::task_unblocked:
        break;
    case EventKind::task_suspended: {
        out = std::string(detail);
        if (!text.empty() && text != detail) out += ": " + std::string(text);
        if (e.related != 0) {
            switch (suspended_related(e.detail)) {
            case RelatedIs::task: out += " → " + lane_name(trace, e.related); break;
            case RelatedIs::scope: out += " → " + scope_label(trace, e.related); break;
            case RelatedIs::actor: out += " → " + actor_label(trace, e.related); break;
            case RelatedIs::nothing: out += " (related " + std::to_string(e.related) + ")"; break;
            }
        }
        break;
    }
    case EventKind::task_resumed:
        out = std::string(detail);
        break;
    case EventKind::task_blocked:
        out = "for " + format_duration(trace.number(e.payload));
        if (e.related != 0) out += ", holding " + actor_label(trace, e.related);
        break;
    case EventKind::actor_waiting:
        out = "waits for " + actor_label(trace, e.related);
        if (e.payload != 0) out += " (held by " + lane_name(trace, e.payload) + ")";
        break;
    case EventKind::actor_acquired:
        out = "runs on " + actor_label(trace, e.related);
        if (e.payload != 0) out += " (handed over by " + lane_name(trace, e.payload) + ")";
        break;
    case EventKind::actor_released:
        out = "leaves " + actor_label(trace, e.related);
        if (e.payload != 0) out += " (handed to " + lane_name(trace, e.payload) + ")";
        break;
    case EventKind::loop_blocked:
        out = "event loop blocked for " + format_duration(trace.number(e.payload));
        break;
    case EventKind::task_finished:
        out = std::string(detail);
        if (!text.empty()) out += ": " + std::string(text);
        break;
    case EventKind::cancel_requested:
        out = "cause=" + std::string(detail);
        if (e.related != 0) out += " by " + lane_name(trace, e.related);
        if (e.payload != 0) out += " (scope " + scope_label(trace, e.payload) + ")";
        break;
    case EventKind::cancel_observed:
        out = "by " + std::string(detail);
        break;
    case EventKind::uncancelled:
        out = e.payload == 0 ? "no cancel request left" : std::to_string(e.payload) + " cancel request(s) left";
        break;
    case EventKind::handler_ran:
        out = "cancellation handler";
        if (e.related != 0) out += " for " + lane_name(trace, e.related);
        break;
    case EventKind::threw:
    case EventKind::caught:
    case EventKind::signal_raised:
        out = std::string(text);
        break;
    case EventKind::error_delivered:
        out = "from " + lane_name(trace, e.related);
        if (!text.empty()) out += ": " + std::string(text);
        break;
    case EventKind::scope_entered:
    case EventKind::scope_exited:
        out = scope_label(trace, e.related);
        break;
    case EventKind::printed:
        out = text::quoted(text);
        break;
    case EventKind::timer_armed:
        out = "timer #" + std::to_string(e.related) + ", due at " + format_time(trace.number(e.payload));
        break;
    case EventKind::timer_fired:
    case EventKind::timer_disarmed:
        out = "timer #" + std::to_string(e.related);
        break;
    case EventKind::narration:
        if (program != nullptr && e.payload >= 1 && e.payload <= program->notes.size())
            out = text::quoted(program->notes[e.payload - 1]);
        else
            out = "note " + std::to_string(e.payload);
        break;
    case EventKind::lint:
    case EventKind::run_ended:
        out = std::string(detail);
        if (!text.empty()) out += ": " + std::string(text);
        break;
    }
    if (out.empty() && payload_is_number(e.kind)) out = number_payload(trace, e);
    return out;
}

void write_event_log(std::ostream& out, const Trace& trace, const ast::Program* program) {
    const std::uint64_t n = trace.size();
    if (n == 0) {
        out << "(no events)\n";
        return;
    }
    // Column widths from a first pass, so every column lines up. Details wider than the cap
    // push their location to the right instead of widening every line.
    constexpr std::uint32_t k_detail_cap = 56;
    const Event last = trace.at(n - 1);
    const auto index_w = static_cast<std::uint32_t>(std::to_string(n - 1).size()) + 1;
    const auto step_w = static_cast<std::uint32_t>(std::to_string(last.step).size());
    std::uint32_t time_w = 0, lane_w = 1, kind_w = 0, detail_w = 0;
    for (std::uint64_t i = 0; i < n; ++i) {
        const Event e = trace.at(i);
        time_w = std::max<std::uint32_t>(time_w, display_width(format_time(e.time)));
        kind_w = std::max<std::uint32_t>(kind_w, display_width(event_kind_name(e.kind)));
        detail_w = std::max(detail_w, std::min(k_detail_cap, display_width(describe_event(trace, e, program))));
    }
    for (TaskId t = 1; t < trace.tasks().size(); ++t)
        lane_w = std::max(lane_w, std::min<std::uint32_t>(32, display_width(lane_name(trace, t))));

    // The scheduler writes these between statements, with whatever span ran last: a location
    // would point at another task's code.
    auto has_own_span = [](EventKind k) {
        return k != EventKind::task_started && k != EventKind::task_resumed && k != EventKind::task_unblocked &&
               k != EventKind::timer_fired;
    };
    // Locations name the file without its directories: the log is about one file.
    std::size_t dir_prefix = 0;
    if (program != nullptr && program->file) {
        const auto slash = program->file->name().find_last_of('/');
        if (slash != std::string::npos) dir_prefix = slash + 1;
    }
    std::string line;
    for (std::uint64_t i = 0; i < n; ++i) {
        const Event e = trace.at(i);
        std::string where = has_own_span(e.kind) ? span_location(program, e.span) : std::string();
        if (where.size() > dir_prefix) where.erase(0, dir_prefix);  // every line names the same file
        const std::string details = describe_event(trace, e, program);
        line.clear();
        line += text::pad_right("#" + std::to_string(i), index_w);
        line += "  step ";
        line += text::pad_left(std::to_string(e.step), step_w);
        line += "  ";
        line += text::pad_left(format_time(e.time), time_w);
        line += "  ";
        line += text::pad_right(text::clip(lane_name(trace, e.task), 32), lane_w);
        line += "  ";
        line += text::pad_right(event_kind_name(e.kind), kind_w);
        if (!details.empty() || !where.empty()) {
            line += "  ";
            line += where.empty() ? details : text::pad_right(details, detail_w);
        }
        if (!where.empty()) {
            line += "  ";
            line += where;
        }
        while (!line.empty() && line.back() == ' ') line.pop_back();
        line += '\n';
        out << line;
    }
}

std::string event_log(const Trace& trace, const ast::Program* program) {
    std::ostringstream s;
    write_event_log(s, trace, program);
    return s.str();
}

}  // namespace tasklab
