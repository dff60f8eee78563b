#include "perfetto.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <sstream>
#include <vector>

#include "engine/fold.hpp"
#include "event_log.hpp"
#include "text_timeline.hpp"
#include "trace_json.hpp"

namespace tasklab {

namespace {

// ---- the time axis -----------------------------------------------------------------------
//
// Every drawn trace event owns a window [base, base + k_event_width) on the axis. Inside it:
//   base + 1 … base + 2   arrow sources whose sinks are in the same event ("spawn B")
//   base + 3              state boundaries (one slice ends, the next begins) and instants
//   base + 4 … base + 5   arrow sinks ("cancel requested"); a sink that is also the source of
//                         a later arrow spans base + 4 … base + 7 and holds base + 5 … base + 6
//   base + 6 … base + 7   arrow sources whose sinks come in later events ("throw …")
// So a source is always strictly before its sink, the tiny slices nest strictly inside the
// state slice around them, and two windows never share a timestamp.

constexpr std::int64_t k_event_width = 8;
constexpr std::int64_t k_step_gap = 4;
constexpr std::int64_t k_at_source = 1;
constexpr std::int64_t k_at_state = 3;
constexpr std::int64_t k_at_sink = 4;
constexpr std::int64_t k_at_late_source = 6;
constexpr std::uint64_t k_none = std::numeric_limits<std::uint64_t>::max();

// Events that leave nothing in the export (timers and scope bookkeeping) take no room.
bool draws(EventKind k) {
    switch (k) {
    case EventKind::timer_armed:
    case EventKind::timer_fired:
    case EventKind::timer_disarmed:
    case EventKind::scope_entered:
    case EventKind::scope_exited:
        return false;
    default:
        return true;
    }
}

std::int64_t virtual_us(Tick t) { return t / k_microsecond; }

class AxisClock {
public:
    explicit AxisClock(PerfettoAxis axis) : m_axis(axis) {}
    /// The base of the next drawn event's window.
    std::int64_t place(const Event& e) {
        const std::int64_t v = virtual_us(e.time);
        if (!m_started) {
            m_started = true;
            m_step = e.step;
            m_base = v;
            return m_base;
        }
        const std::int64_t room = k_event_width + (e.step != m_step ? k_step_gap : 0);
        m_step = e.step;
        if (m_axis == PerfettoAxis::steps) {
            m_expansion += room;
            m_base = v + m_expansion;
        } else {
            m_base = std::max(v, m_base + room);
            m_drift = std::max(m_drift, m_base - v);
        }
        return m_base;
    }
    [[nodiscard]] bool started() const { return m_started; }
    [[nodiscard]] std::int64_t base() const { return m_base; }
    [[nodiscard]] std::int64_t drift() const { return m_drift; }

private:
    PerfettoAxis m_axis;
    bool m_started = false;
    std::uint64_t m_step = 0;
    std::int64_t m_base = 0;
    std::int64_t m_expansion = 0;
    std::int64_t m_drift = 0;
};

// ---- names -------------------------------------------------------------------------------

// Slices are named by the fold's states (engine/fold.hpp).
using State = LaneState;

std::string_view state_name(State s, bool cancel_pending) {
    switch (s) {
    case State::waiting_to_start: return cancel_pending ? "cancelled, not started" : "created";
    case State::running: return cancel_pending ? "cancelled, still running" : "running";
    case State::suspended: return cancel_pending ? "cancelled, still suspended" : "suspended";
    case State::actor_wait: return cancel_pending ? "cancelled, still waiting for an actor" : "waiting for an actor";
    case State::sleeping: return cancel_pending ? "cancelled, still sleeping" : "sleeping";
    case State::blocked: return cancel_pending ? "cancelled, still blocked" : "blocked";
    }
    return "?";
}

// catapult's reserved colour names (Perfetto ignores cname and colours by name).
std::string_view state_color(State s, bool cancel_pending) {
    if (cancel_pending) return s == State::running ? "terrible" : "bad";
    switch (s) {
    case State::waiting_to_start: return "thread_state_runnable";
    case State::running: return "thread_state_running";
    case State::suspended: return "thread_state_iowait";
    case State::actor_wait: return "thread_state_runnable";
    case State::sleeping: return "thread_state_sleeping";
    case State::blocked: return "thread_state_uninterruptible";
    }
    return "grey";
}

std::string_view cause_label(std::uint8_t cause) {
    switch (cause) {
    case static_cast<std::uint8_t>(CancelCause::explicit_call): return "explicit";
    case static_cast<std::uint8_t>(CancelCause::group_cancel_all): return "cancelAll";
    case static_cast<std::uint8_t>(CancelCause::parent): return "propagated from parent";
    case static_cast<std::uint8_t>(CancelCause::group): return "propagated from group";
    case static_cast<std::uint8_t>(CancelCause::child_error): return "implicit: a child threw";
    case static_cast<std::uint8_t>(CancelCause::born_cancelled): return "born cancelled";
    case static_cast<std::uint8_t>(CancelCause::scope_exit): return "scope exit";
    case static_cast<std::uint8_t>(CancelCause::timeout): return "timeout";
    case static_cast<std::uint8_t>(CancelCause::shutdown): return "shutdown";
    case static_cast<std::uint8_t>(CancelCause::awaiter_cancelled): return "awaiter cancelled";
    default: return "?";
    }
}

std::string_view observed_label(std::uint8_t by) {
    switch (by) {
    case static_cast<std::uint8_t>(ObservedBy::is_cancelled): return "isCancelled";
    case static_cast<std::uint8_t>(ObservedBy::check_cancellation): return "checkCancellation()";
    case static_cast<std::uint8_t>(ObservedBy::sleep): return "sleep";
    case static_cast<std::uint8_t>(ObservedBy::network): return "network";
    case static_cast<std::uint8_t>(ObservedBy::await_point): return "await";
    case static_cast<std::uint8_t>(ObservedBy::body_skipped): return "start (body skipped)";
    case static_cast<std::uint8_t>(ObservedBy::never_started): return "start (never started)";
    case static_cast<std::uint8_t>(ObservedBy::add_task_refused): return "addTaskUnlessCancelled";
    default: return "?";
    }
}

std::string_view outcome_color(std::uint8_t outcome) {
    switch (outcome) {
    case static_cast<std::uint8_t>(Outcome::returned): return "good";
    case static_cast<std::uint8_t>(Outcome::threw): return "terrible";
    case static_cast<std::uint8_t>(Outcome::cancelled): return "bad";
    default: return "grey";
    }
}

bool is_error_outcome(std::uint8_t outcome) {
    return outcome == static_cast<std::uint8_t>(Outcome::threw) ||
           outcome == static_cast<std::uint8_t>(Outcome::cancelled);
}

// ---- who sends an arrow ------------------------------------------------------------------

bool valid_task(const Trace& trace, TaskId t) { return t != 0 && t < trace.tasks().size(); }

// The lane a cancel request comes from: the requester for direct requests, the parent for a
// request propagated down the tree, the group's owner for a group's requests (semantics: F3,
// F14). 0 when it comes from the runtime itself or from the target's own code.
TaskId cancel_source(const Trace& trace, const Event& e) {
    TaskId source = e.related;
    switch (static_cast<CancelCause>(e.detail)) {
    case CancelCause::parent:
        if (valid_task(trace, e.task) && trace.task(e.task).parent != 0) source = trace.task(e.task).parent;
        break;
    case CancelCause::group:
    case CancelCause::child_error:
        if (e.payload != 0 && e.payload < trace.scopes().size()) source = trace.scope(e.payload).owner;
        break;
    default:
        break;
    }
    if (!valid_task(trace, source) || source == e.task) return 0;
    return source;
}

// A group cancelling siblings because a child threw (semantics: F3): when the group's owner
// sends the arrows, the failing child's error arrives at the owner first. The child, or 0.
TaskId implicit_cancel_child(const Trace& trace, const Event& e, TaskId source) {
    if (e.detail != static_cast<std::uint8_t>(CancelCause::child_error)) return 0;
    if (source == 0 || source == e.related || !valid_task(trace, e.related)) return 0;
    return e.related;
}

// The first pass: which events start an arrow that ends in a later event. A throw (or, when
// there is none, an error end) starts one when the error is delivered to the owner or makes
// a group cancel its other children; a cancel request starts one when the target notices.
std::vector<bool> find_late_sources(const Trace& trace) {
    const std::size_t tasks = trace.tasks().size();
    std::vector<bool> used(trace.size(), false);
    std::vector<std::uint64_t> last_error(tasks, k_none), pending(tasks, k_none);
    auto deliver = [&](TaskId child) {
        if (!valid_task(trace, child) || last_error[child] == k_none) return;
        used[last_error[child]] = true;
        last_error[child] = k_none;
    };
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const StoredEvent& s = trace.stored(i);
        if (s.task >= tasks) continue;
        switch (s.kind) {
        case EventKind::threw:
            if (s.task != 0) last_error[s.task] = i;
            break;
        case EventKind::caught:
            if (s.task != 0) last_error[s.task] = k_none;
            break;
        case EventKind::task_finished:
            if (s.task != 0 && is_error_outcome(s.detail) && last_error[s.task] == k_none) last_error[s.task] = i;
            break;
        case EventKind::error_delivered:
            deliver(s.related);
            break;
        case EventKind::cancel_requested: {
            const Event e = trace.at(i);
            deliver(implicit_cancel_child(trace, e, cancel_source(trace, e)));
            if (s.task != 0 && pending[s.task] == k_none) pending[s.task] = i;
            break;
        }
        case EventKind::cancel_observed:
            if (s.task != 0 && pending[s.task] != k_none) {
                used[pending[s.task]] = true;
                pending[s.task] = k_none;
            }
            break;
        default:
            break;
        }
    }
    return used;
}

// ---- JSON objects ------------------------------------------------------------------------

// `s` as a JSON string literal appended to `out`. Plain printable ASCII (nearly every name
// and label) is copied at once; anything else goes through json_string's full escaping.
void append_json_string(std::string& out, std::string_view s) {
    const bool plain = std::all_of(s.begin(), s.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
    });
    if (!plain) {
        out += json_string(s);
        return;
    }
    out += '"';
    out += s;
    out += '"';
}

// One JSON object built member by member. Keys are ASCII literals; values are escaped.
class Obj {
public:
    Obj() { m_s.reserve(192); }
    Obj& str(std::string_view key, std::string_view value) {
        this->key(key);
        append_json_string(m_s, value);
        return *this;
    }
    Obj& num(std::string_view key, std::int64_t value) {
        this->key(key);
        char buf[24];
        const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
        (void)ec;  // 24 characters hold any 64-bit integer
        m_s.append(buf, end);
        return *this;
    }
    Obj& flag(std::string_view key) {
        this->key(key);
        m_s += "true";
        return *this;
    }
    Obj& raw(std::string_view key, std::string_view json) {
        this->key(key);
        m_s += json;
        return *this;
    }
    [[nodiscard]] bool empty() const { return m_s.size() == 1; }
    std::string done() {
        m_s += '}';
        return std::move(m_s);
    }

private:
    void key(std::string_view k) {
        if (m_s.size() > 1) m_s += ',';
        m_s += '"';
        m_s += k;
        m_s += "\":";
    }
    std::string m_s = "{";
};

std::string bind_text(std::uint32_t id) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string digits;
    do {
        digits.insert(digits.begin(), hex[id & 15u]);
        id >>= 4;
    } while (id != 0);
    return "0x" + digits;
}

// "scenarios/swift/demo.swift:3:5" → "demo.swift:3:5".
std::string strip_directories(std::string path) {
    const auto slash = path.find_last_of('/');
    if (slash != std::string::npos) path.erase(0, slash + 1);
    return path;
}

enum class Flow : std::uint8_t { none, in, out };

struct Marker {
    std::string_view name;
    std::string_view cat;
    std::string_view cname;
    std::int64_t ts = 0;
    std::int64_t dur = 1;
    Flow flow = Flow::none;
    std::uint32_t bind = 0;
};

// ---- the exporter ------------------------------------------------------------------------

struct Lane {
    bool open = false;         // a state slice is open
    bool finished = false;
    bool cancel_pending = false;
    State state = State::waiting_to_start;
    std::int64_t since = 0;
    std::uint64_t since_step = 0;
    Tick since_time = 0;
    std::uint64_t state_event = 0;  // the event that set the state (its details become args)
    std::uint32_t spawn_bind = 0;   // the arrow into the "created" slice
    std::uint32_t error_bind = 0;   // the arrow leaving the last throw, until delivered
    std::uint32_t request_bind = 0; // the arrow leaving the pending cancel request, until noticed
};

struct Result {
    std::uint64_t written = 0;
    std::uint64_t detail_cut_event = k_none;  // first trace event drawn without detail
    std::uint64_t stopped_event = k_none;     // first trace event not exported at all
};

class Exporter {
public:
    Exporter(const Trace& trace, const ast::Program* program, const PerfettoOptions& options,
             const std::vector<bool>& late_sources, std::ostream* out)
        : m_trace(trace), m_program(program), m_options(options), m_late(late_sources), m_out(out),
          m_clock(options.axis), m_fold(FoldKeeps::current_interval), m_lanes(trace.tasks().size()),
          m_tid(trace.tasks().size(), 0) {}

    Result run() {
        write_metadata();
        const std::uint64_t detail_limit = m_options.max_events;
        const std::uint64_t hard_limit = m_options.max_events > k_none / 2 ? k_none : m_options.max_events * 2;
        Event last;
        bool any = false;
        for (std::uint64_t i = 0; i < m_trace.size(); ++i) {
            const LaneChange change = m_fold.read_next(m_trace);  // every event, in order
            if (!draws(m_trace.stored(i).kind)) continue;
            if (m_result.written >= hard_limit) {
                m_result.stopped_event = i;
                if (m_result.detail_cut_event == k_none) m_result.detail_cut_event = i;
                break;
            }
            m_detail = m_result.written < detail_limit;
            if (!m_detail && m_result.detail_cut_event == k_none) m_result.detail_cut_event = i;
            const Event e = m_trace.at(i);
            m_base = m_clock.place(e);
            process(e, change);
            last = e;
            any = true;
        }
        const std::int64_t end = any ? m_base + k_event_width : 0;
        for (TaskId t = 1; t < m_lanes.size(); ++t)
            if (m_lanes[t].open) close_slice(t, end, last.step, last.time, End::trace_end);
        return m_result;
    }

private:
    enum class End : std::uint8_t { event, trace_end };

    // ---- output ----
    void emit(std::string&& json) {
        ++m_result.written;
        if (m_out == nullptr) return;
        if (m_first) m_first = false;
        else *m_out << ",\n";
        *m_out << json;
    }

    void write_metadata() {
        std::string process = "tasklab run";
        if (m_program != nullptr && m_program->file) process = strip_directories(m_program->file->name());
        if (m_program != nullptr && !m_program->title.empty()) process += " · " + m_program->title;
        emit(Obj().str("name", "process_name").str("ph", "M").num("pid", 1).num("tid", 1)
                 .raw("args", Obj().str("name", process).done()).done());
        const std::vector<TimelineLane> lanes = timeline_lanes(m_trace);  // the fold's lane order
        for (std::size_t i = 0; i < lanes.size(); ++i) m_tid[lanes[i].task] = static_cast<std::uint32_t>(i + 1);
        for (std::size_t i = 0; i < lanes.size(); ++i) {
            const TimelineLane& lane = lanes[i];
            std::string label(2 * static_cast<std::size_t>(lane.depth), ' ');
            if (lane.unstructured) label += "⇢ ";
            label += lane_name(m_trace, lane.task);
            const auto tid = static_cast<std::int64_t>(i + 1);
            emit(Obj().str("name", "thread_name").str("ph", "M").num("pid", 1).num("tid", tid)
                     .raw("args", Obj().str("name", label).num("task", lane.task).done()).done());
            emit(Obj().str("name", "thread_sort_index").str("ph", "M").num("pid", 1).num("tid", tid)
                     .raw("args", Obj().num("sort_index", tid).done()).done());
        }
    }

    [[nodiscard]] std::int64_t tid(TaskId t) const { return valid_task(m_trace, t) ? m_tid[t] : 1; }

    // "file:line:col" with the file named without its directories: the export is about one
    // file, and a shared trace should not carry the paths of the machine that made it.
    [[nodiscard]] std::string where(Span span) const { return strip_directories(span_location(m_program, span)); }

    // Details every marker and instant carries: the task, step, virtual time, what happened
    // (in the event log's words) and where in the source.
    Obj event_args(const Event& e) const {
        Obj a;
        if (e.task != 0) a.num("task", e.task);
        a.num("step", static_cast<std::int64_t>(e.step)).str("time", format_time(e.time));
        const std::string detail = describe_event(m_trace, e, m_program);
        if (!detail.empty()) a.str("detail", detail);
        const std::string at = where(e.span);
        if (!at.empty()) a.str("where", at);
        return a;
    }

    void marker(TaskId lane, const Marker& m, Obj args) {
        Obj o;
        o.str("name", m.name).str("cat", m.cat).str("ph", "X").num("ts", m.ts).num("dur", m.dur).num("pid", 1)
            .num("tid", tid(lane)).str("cname", m.cname);
        if (m.flow != Flow::none) {
            o.str("bind_id", bind_text(m.bind));
            o.flag(m.flow == Flow::in ? "flow_in" : "flow_out");
        }
        o.raw("args", args.done());
        emit(o.done());
    }

    // Where an instant is drawn: on its task's lane, or (events of no task) across the process.
    enum class Scope : std::uint8_t { lane, process };
    static Scope scope_of(TaskId t) { return t == 0 ? Scope::process : Scope::lane; }

    void instant(TaskId lane, std::string_view name, std::string_view cat, std::string_view cname, Obj args,
                 Scope scope = Scope::lane) {
        const bool process = scope == Scope::process;
        emit(Obj().str("name", name).str("cat", cat).str("ph", "i").str("s", process ? "p" : "t")
                 .num("ts", m_base + k_at_state).num("pid", 1).num("tid", process ? 1 : tid(lane))
                 .str("cname", cname).raw("args", args.done()).done());
    }

    std::uint32_t new_bind() { return ++m_next_bind; }

    // ---- state slices ----
    void close_slice(TaskId t, std::int64_t end, std::uint64_t end_step, Tick end_time, End how) {
        Lane& l = m_lanes[t];
        if (!l.open) return;
        l.open = false;
        Obj args;
        args.num("task", t)
            .num("first_step", static_cast<std::int64_t>(l.since_step))
            .num("last_step", static_cast<std::int64_t>(end_step))
            .str("from", format_time(l.since_time))
            .str("to", format_time(end_time));
        const Event cause = m_trace.at(l.state_event);
        switch (l.state) {
        case State::waiting_to_start: {
            const TaskInfo& info = m_trace.task(t);
            args.str("kind", task_kind_name(info.kind));
            if (info.creator != 0) args.str("created_by", lane_name(m_trace, info.creator));
            const std::string at = where(info.span);
            if (!at.empty()) args.str("where", at);
            break;
        }
        case State::running:
            if (cause.kind == EventKind::task_resumed && cause.detail != static_cast<std::uint8_t>(ResumeStatus::normal))
                args.str("resumed", event_detail_name(cause));
            break;
        case State::suspended:
        case State::actor_wait:
        case State::sleeping:
        case State::blocked: {
            args.str("waiting", describe_event(m_trace, cause, m_program));
            const std::string at = where(cause.span);
            if (!at.empty()) args.str("where", at);
            break;
        }
        }
        if (l.cancel_pending) args.str("cancel", "requested; the task has not finished");
        if (how == End::trace_end) args.str("open", "still going when the trace ends");
        Obj o;
        o.str("name", state_name(l.state, l.cancel_pending)).str("cat", "state").str("ph", "X").num("ts", l.since)
            .num("dur", end - l.since).num("pid", 1).num("tid", tid(t)).str("cname", state_color(l.state, l.cancel_pending));
        if (l.spawn_bind != 0) o.str("bind_id", bind_text(l.spawn_bind)).flag("flow_in");
        l.spawn_bind = 0;
        o.raw("args", args.done());
        emit(o.done());
    }

    // Closes the open slice at `e` and opens one for `s` there, described by event `cause`.
    void enter(TaskId t, State s, bool cancel_pending, std::uint64_t cause, const Event& e) {
        Lane& l = m_lanes[t];
        const std::int64_t at = m_base + k_at_state;
        close_slice(t, at, e.step, e.time, End::event);
        l.open = true;
        l.state = s;
        l.cancel_pending = cancel_pending;
        l.since = at;
        l.since_step = e.step;
        l.since_time = e.time;
        l.state_event = cause;
    }

    // The fold began a new interval of `t` at `e`: a new slice. Where the fold only split the
    // same state (a cancel request, an uncancel), the slice keeps describing the event this
    // export last started a slice at (after a hop, the actor_waiting below).
    void enter_folded(TaskId t, const Event& e) {
        const StateInterval& iv = m_fold.lane(t).intervals.back();
        const bool split = iv.cause != e.index && m_lanes[t].open;
        enter(t, iv.state, iv.cancel_pending, split ? m_lanes[t].state_event : iv.cause, e);
    }

    // ---- one trace event ----
    void process(const Event& e, LaneChange change) {
        const TaskId t = valid_task(m_trace, e.task) ? e.task : 0;
        switch (e.kind) {
        case EventKind::task_created: on_created(t, e); break;
        case EventKind::task_started:
        case EventKind::task_resumed:
        case EventKind::task_unblocked:
        case EventKind::task_suspended:
            if (t != 0 && change == LaneChange::began) enter_folded(t, e);
            break;
        case EventKind::actor_waiting:
            // A hop to a busy actor records task_suspended and then actor_waiting: the fold
            // keeps one wait, the export starts a second slice for the queueing (its args
            // describe it).
            if (t != 0 && change == LaneChange::began) enter_folded(t, e);
            else if (t != 0 && m_lanes[t].open) enter(t, m_lanes[t].state, m_lanes[t].cancel_pending, e.index, e);
            break;
        case EventKind::actor_acquired:
        case EventKind::actor_released:
            if (m_detail && t != 0) {
                const std::string what = std::string(e.kind == EventKind::actor_acquired ? "on " : "leaves ") +
                                          std::string(m_trace.actor_name(e.related));
                instant(t, what, "actor", "yellow", event_args(e), scope_of(t));
            }
            break;
        case EventKind::task_blocked:
            if (t != 0 && change == LaneChange::began) enter_folded(t, e);
            break;
        case EventKind::task_finished: on_finished(t, e); break;
        case EventKind::cancel_requested: on_cancel_requested(t, e, change); break;
        case EventKind::cancel_observed: on_cancel_observed(t, e); break;
        case EventKind::threw: on_threw(t, e); break;
        case EventKind::error_delivered: on_error_delivered(t, e); break;
        case EventKind::caught:
            if (m_detail) instant(t, "caught " + std::string(m_trace.payload_text(e)), "error", "olive", event_args(e), scope_of(t));
            break;
        case EventKind::handler_ran:
            if (m_detail) instant(t, "cancellation handler ran", "cancel", "bad", event_args(e), scope_of(t));
            break;
        case EventKind::printed:
            if (m_detail) {
                Obj a = event_args(e);
                a.str("text", m_trace.payload_text(e));
                instant(t, "printed", "output", "white", std::move(a), scope_of(t));
            }
            break;
        case EventKind::narration:
            if (m_detail) {
                Obj a = event_args(e);
                if (m_program != nullptr && e.payload >= 1 && e.payload <= m_program->notes.size())
                    a.str("text", m_program->notes[e.payload - 1]);
                instant(t, "narration", "narration", "olive", std::move(a), scope_of(t));
            }
            break;
        case EventKind::lint:
            if (m_detail) {
                Obj a = event_args(e);
                a.str("message", m_trace.payload_text(e));
                instant(t, "lint: " + std::string(event_detail_name(e)), "lint", "yellow", std::move(a), scope_of(t));
            }
            break;
        case EventKind::loop_blocked:
            if (m_detail) instant(t, "event loop blocked", "state", "thread_state_uninterruptible", event_args(e), scope_of(t));
            break;
        case EventKind::uncancelled:
            // The fold splits the state where no request is left: the slice so far closes as
            // "cancelled, still …", the same state goes on without.
            if (t != 0 && change == LaneChange::began) enter_folded(t, e);
            if (m_detail) instant(t, "uncancel: " + std::to_string(e.payload) + " request(s) left", "cancel", "good", event_args(e));
            break;
        case EventKind::signal_raised:
            if (m_detail)
                instant(t, "signal " + std::string(m_trace.payload_text(e)), "signal", "yellow", event_args(e), scope_of(t));
            break;
        case EventKind::run_ended:
            if (m_detail) instant(t, "run ended: " + std::string(event_detail_name(e)), "run", "grey", event_args(e), Scope::process);
            break;
        default:
            break;
        }
    }

    void on_created(TaskId t, const Event& e) {
        if (t == 0) return;
        const TaskInfo& info = m_trace.task(t);
        const TaskId creator = info.creator != 0 ? info.creator : static_cast<TaskId>(e.related);
        std::uint32_t bind = 0;
        if (m_detail && valid_task(m_trace, creator) && creator != t) {
            bind = new_bind();
            const std::string name = "spawn " + lane_name(m_trace, t);
            marker(creator, Marker{name, "spawn", "generic_work", m_base + k_at_source, 1, Flow::out, bind},
                   event_args(e));
        }
        enter_folded(t, e);
        m_lanes[t].spawn_bind = bind;
    }

    void on_finished(TaskId t, const Event& e) {
        if (t == 0) return;
        Lane& l = m_lanes[t];
        close_slice(t, m_base + k_at_state, e.step, e.time, End::event);
        l.finished = true;
        l.cancel_pending = false;
        if (!m_detail) return;
        Obj a = event_args(e);
        instant(t, "ended: " + std::string(event_detail_name(e)), "end", outcome_color(e.detail), std::move(a));
        if (m_late[e.index]) {  // an error end with no throw before it: the error's arrow starts here
            const std::uint32_t bind = new_bind();
            const std::string text(m_trace.payload_text(e));
            const std::string name = text.empty() ? std::string("ended: ") + std::string(event_detail_name(e)) : "throw " + text;
            marker(t, Marker{name, "error", "terrible", m_base + k_at_late_source, 1, Flow::out, bind}, event_args(e));
            l.error_bind = bind;
        }
    }

    void on_threw(TaskId t, const Event& e) {
        if (!m_detail) return;
        const std::string name = "throw " + std::string(m_trace.payload_text(e));
        instant(t, name, "error", "terrible", event_args(e), scope_of(t));
        if (t != 0 && m_late[e.index]) {
            const std::uint32_t bind = new_bind();
            marker(t, Marker{name, "error", "terrible", m_base + k_at_late_source, 1, Flow::out, bind}, event_args(e));
            m_lanes[t].error_bind = bind;
        }
    }

    // The error of `child` arrives at `owner`: a sink on the owner's lane, if the child's
    // throw started an arrow.
    void deliver_error(TaskId owner, TaskId child, const Event& e) {
        if (!valid_task(m_trace, child)) return;
        Lane& c = m_lanes[child];
        if (c.error_bind == 0) return;
        Obj a = event_args(e);
        a.str("from", lane_name(m_trace, child));
        marker(owner, Marker{"error delivered", "error", "terrible", m_base + k_at_sink, 1, Flow::in, c.error_bind},
               std::move(a));
        c.error_bind = 0;
    }

    void on_error_delivered(TaskId t, const Event& e) {
        if (!m_detail || t == 0) return;
        deliver_error(t, static_cast<TaskId>(e.related), e);
    }

    void on_cancel_requested(TaskId t, const Event& e, LaneChange change) {
        const std::string label(cause_label(e.detail));
        const TaskId source = cancel_source(m_trace, e);
        if (t == 0) {  // GCD: cancel() on an item never submitted: nothing runs it
            if (m_detail) instant(source, "cancel requested (" + label + ")", "cancel", "terrible", event_args(e), scope_of(source));
            return;
        }
        Lane& l = m_lanes[t];
        // The fold splits the state at the first pending request: the same state goes on,
        // now under a pending cancel.
        if (change == LaneChange::began) enter_folded(t, e);
        if (!m_detail) return;
        instant(t, "cancel requested (" + label + ")", "cancel", "terrible", event_args(e));

        std::uint32_t bind_in = 0;
        if (source != 0) {
            bind_in = new_bind();
            Obj a = event_args(e);
            a.str("target", lane_name(m_trace, t));
            marker(source, Marker{"cancel (" + label + ")", "cancel", "terrible", m_base + k_at_source, 1, Flow::out, bind_in},
                   std::move(a));
            // The failing child's error reaches the group's owner here, unless it already did.
            const TaskId child = implicit_cancel_child(m_trace, e, source);
            if (child != 0) deliver_error(source, child, e);
        }
        const std::uint32_t bind_out = m_late[e.index] ? new_bind() : 0;
        if (bind_out != 0) l.request_bind = bind_out;
        if (bind_in == 0 && bind_out == 0) return;
        const std::string name = "cancel requested (" + label + ")";
        if (bind_in != 0 && bind_out != 0) {
            marker(t, Marker{name, "cancel", "terrible", m_base + k_at_sink, 3, Flow::in, bind_in}, event_args(e));
            marker(t, Marker{"cancel pending", "cancel", "bad", m_base + k_at_sink + 1, 1, Flow::out, bind_out},
                   event_args(e));
        } else if (bind_in != 0) {
            marker(t, Marker{name, "cancel", "terrible", m_base + k_at_sink, 1, Flow::in, bind_in}, event_args(e));
        } else {
            marker(t, Marker{name, "cancel", "terrible", m_base + k_at_late_source, 1, Flow::out, bind_out}, event_args(e));
        }
    }

    void on_cancel_observed(TaskId t, const Event& e) {
        if (!m_detail || t == 0) return;
        Lane& l = m_lanes[t];
        const std::string name = "cancellation observed at " + std::string(observed_label(e.detail));
        const Flow flow = l.request_bind != 0 ? Flow::in : Flow::none;
        marker(t, Marker{name, "cancel", "bad", m_base + k_at_sink, 1, flow, l.request_bind}, event_args(e));
        l.request_bind = 0;
    }

    const Trace& m_trace;
    const ast::Program* m_program;
    const PerfettoOptions& m_options;
    const std::vector<bool>& m_late;
    std::ostream* m_out;
    AxisClock m_clock;
    TaskFold m_fold;                // the states, read event by event
    std::vector<Lane> m_lanes;      // by task id
    std::vector<std::uint32_t> m_tid;  // by task id: lane position + 1
    std::int64_t m_base = 0;         // the window of the event being processed
    bool m_detail = true;
    bool m_first = true;
    std::uint32_t m_next_bind = 0;
    Result m_result;
};

// Drift of the virtual-time axis and the last event: for otherData, before any event is written.
struct AxisFacts {
    std::int64_t drift = 0;
    std::uint64_t last_step = 0;
    Tick last_time = 0;
    std::string run_end;
};

AxisFacts axis_facts(const Trace& trace, const ast::Program* program, PerfettoAxis axis) {
    AxisFacts f;
    AxisClock clock(axis);
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const StoredEvent& s = trace.stored(i);
        if (!draws(s.kind)) continue;
        const Event e = trace.at(i);
        clock.place(e);
        if (s.kind == EventKind::run_ended) f.run_end = describe_event(trace, e, program);
    }
    f.drift = clock.drift();
    if (trace.size() > 0) {
        const Event last = trace.at(trace.size() - 1);
        f.last_step = last.step;
        f.last_time = last.time;
    }
    return f;
}

std::string time_axis_note(PerfettoAxis axis, std::int64_t drift) {
    if (axis == PerfettoAxis::steps)
        return "steps: ts (us) = virtual time in us + 8 us for every drawn trace event before it + 4 us more at "
               "each new scheduler step. Zero-time bursts get width; every gap in virtual time keeps its length "
               "(a 1 s sleep spans 1,000,000 us plus the steps inside it). Slices carry their steps and virtual "
               "times in args.";
    std::string note =
        "virtual: ts (us) = virtual time in us; the events of one instant are drawn 8 us apart (4 us more at "
        "each new scheduler step), and a burst longer than the gap to the next instant pushes later events on";
    note += drift == 0 ? std::string(" (never needed in this run).")
                       : " (by at most " + std::to_string(drift) + " us in this run).";
    return note;
}

void write_document(std::ostream& out, const Trace& trace, const ast::Program* program, const PerfettoOptions& options,
                    const std::vector<bool>& late, const Result* counted) {
    const AxisFacts facts = axis_facts(trace, program, options.axis);
    Obj other;
    other.str("scenario", program != nullptr && program->file ? strip_directories(program->file->name()) : std::string());
    other.str("title", program != nullptr ? program->title : std::string());
    other.str("tasklab_version", k_tasklab_version);
    if (program != nullptr)
        other.str("language", program->language == ast::Language::swift ? "Swift" : "Python asyncio");
    other.str("axis", perfetto_axis_name(options.axis));
    other.str("time_axis", time_axis_note(options.axis, facts.drift));
    other.str("order",
              "tasklab fixes orders the real runtime leaves unspecified: ready tasks run first in, first out, in "
              "batches; timers due together fire in the order they were armed; group children start in the order "
              "they were added. A real run may interleave differently where the language promises no order.");
    other.str("lanes",
              "one thread per task in task-tree order (tid = position; unstructured work after its creator's "
              "subtree, marked with an arrow); args.task is the task id. Slices are named by state; arrows: spawn, "
              "cancel (requester, parent or group -> target -> where it noticed), error (throw -> owner).");
    other.num("tasks", static_cast<std::int64_t>(trace.tasks().size() > 0 ? trace.tasks().size() - 1 : 0));
    other.num("steps", static_cast<std::int64_t>(facts.last_step));
    other.str("virtual_time", format_time(facts.last_time));
    if (!facts.run_end.empty()) other.str("run_ended", facts.run_end);
    std::string truncated = "no";
    if (counted != nullptr && counted->detail_cut_event != k_none) {
        const Event cut = trace.at(counted->detail_cut_event);
        truncated = "more than " + std::to_string(options.max_events) + " events: from step " +
                    std::to_string(cut.step) + " (" + format_time(cut.time) +
                    ") on, only state slices are written (no instants, no arrows)";
        if (counted->stopped_event != k_none) {
            const Event stop = trace.at(counted->stopped_event);
            truncated += "; the export stops at step " + std::to_string(stop.step) + " (" + format_time(stop.time) +
                         "), where every open slice is closed";
        }
    }
    other.str("truncated", truncated);

    out << "{\"displayTimeUnit\":\"ms\",\n\"otherData\":" << other.done() << ",\n\"traceEvents\":[\n";
    Exporter exporter(trace, program, options, late, &out);
    exporter.run();
    out << "\n]}\n";
}

}  // namespace

std::string_view perfetto_axis_name(PerfettoAxis axis) {
    return axis == PerfettoAxis::steps ? "steps" : "virtual";
}

void write_perfetto_json(std::ostream& out, const Trace& trace, const ast::Program* program,
                         const PerfettoOptions& options) {
    const std::vector<bool> late = find_late_sources(trace);
    // Each trace event yields at most six exported events (a cancel request: the slice it
    // closes, an instant, a source, a sink, a nested source, an error sink) and each task three
    // more (names, the slice closed at the end). Only a trace that might pass the limit is
    // walked twice: once to count where the limit falls, so otherData can say so up front.
    const std::uint64_t bound = 6 * trace.size() + 3 * trace.tasks().size() + 1;
    if (bound <= options.max_events) {
        write_document(out, trace, program, options, late, nullptr);
        return;
    }
    Exporter counter(trace, program, options, late, nullptr);
    const Result counted = counter.run();
    write_document(out, trace, program, options, late, &counted);
}

std::string perfetto_json(const Trace& trace, const ast::Program* program, const PerfettoOptions& options) {
    std::ostringstream s;
    write_perfetto_json(s, trace, program, options);
    return s.str();
}

}  // namespace tasklab
