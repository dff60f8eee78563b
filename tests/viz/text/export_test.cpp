// The trace exporters (text timeline, event log, JSON lines, cancel stories), fed with traces
// made by the native scheduler: no interpreter needed.
#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/cancel_stories.hpp"
#include "engine/scheduler.hpp"
#include "viz/text/cancel_story_text.hpp"
#include "viz/text/event_log.hpp"
#include "viz/text/text_timeline.hpp"
#include "viz/text/text_util.hpp"
#include "viz/text/trace_json.hpp"

using namespace tasklab;

namespace {

// A small run shaped like a task-group lesson:
//   main          sleeps 1s, cancels "slow child" (cause group), prints, sleeps 2s, returns
//     fast child  sleeps 500ms, prints, returns
//     slow child  sleeps 3s (interruptible): woken by the cancel, observes it, ends cancelled
//     ⇢ Task {}   created by fast child: blocks 2s, cancel requested at 1s, never observes it
//     quick       prints at 0s and returns in the same instant
struct Demo {
    Trace trace;
    Scheduler sched{trace, Limits{}};
    TaskId main_id = 0, fast = 0, slow = 0, loose = 0, quick = 0;

    void print(std::string text) {
        sched.emit(EventKind::printed, sched.current(), 0, trace.add_string(std::move(text)));
    }

    Co<void> main_body() {
        const TaskId me = sched.current();
        fast = sched.spawn(TaskInfo{.kind = TaskKind::child, .parent = me, .creator = me, .name = "fast child"},
                           fast_body());
        slow = sched.spawn(TaskInfo{.kind = TaskKind::child, .parent = me, .creator = me, .name = "slow child"},
                           slow_body());
        quick = sched.spawn(TaskInfo{.kind = TaskKind::child, .parent = me, .creator = me, .name = "quick"},
                            quick_body());
        ResumeStatus st = co_await sched.sleep_for(k_second, Interruptible::yes);
        (void)st;
        sched.emit(EventKind::cancel_requested, slow, me, 0, static_cast<std::uint8_t>(CancelCause::group));
        sched.interrupt(slow, ResumeStatus::cancelled);
        sched.emit(EventKind::cancel_requested, loose, me, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
        print("취소 요청 보냄 🟡");
        st = co_await sched.sleep_for(2 * k_second, Interruptible::yes);
        sched.finish_current(Outcome::returned, {});
    }
    Co<void> fast_body() {
        const TaskId me = sched.current();
        loose = sched.spawn(TaskInfo{.kind = TaskKind::unstructured, .creator = me, .name = "Task {} @12"},
                            loose_body());
        ResumeStatus st = co_await sched.sleep_for(k_second / 2, Interruptible::yes);
        (void)st;
        print("fast done");
        sched.finish_current(Outcome::returned, {});
    }
    Co<void> slow_body() {
        ResumeStatus st = co_await sched.sleep_for(3 * k_second, Interruptible::yes);
        if (st == ResumeStatus::cancelled) {
            sched.emit(EventKind::cancel_observed, sched.current(), 0, 0, static_cast<std::uint8_t>(ObservedBy::sleep));
            sched.emit(EventKind::threw, sched.current(), 0, trace.add_string("CancellationError()"));
            sched.finish_current(Outcome::cancelled, "CancellationError()");
        } else {
            sched.finish_current(Outcome::returned, {});
        }
    }
    Co<void> loose_body() {
        ResumeStatus st = co_await sched.block_for(2 * k_second);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    }
    Co<void> quick_body() {
        print("quick\tline\x01");
        sched.finish_current(Outcome::returned, {});
        co_return;
    }

    Demo() {
        main_id = sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, main_body());
        while (sched.step() == StepStatus::ran) {}
    }
};

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) out.push_back(line);
    return out;
}

// The timeline row of a lane: the line whose label (after indentation and marker) starts with `name`.
std::string lane_row(const std::string& timeline, std::string_view name) {
    for (const auto& line : lines_of(timeline)) {
        const auto first = line.find_first_not_of(' ');
        if (first == std::string::npos) continue;
        std::string_view rest = std::string_view(line).substr(first);
        if (rest.starts_with("⇢ ")) rest.remove_prefix(std::string_view("⇢ ").size());
        if (rest.starts_with(name)) return line;
    }
    return {};
}

// A small strict JSON checker: enough to prove each line is one well-formed value.
class JsonChecker {
public:
    explicit JsonChecker(std::string_view s) : m_s(s) {}
    bool valid() {
        skip_ws();
        if (!value()) return false;
        skip_ws();
        return m_i == m_s.size();
    }

private:
    bool value() {
        skip_ws();
        if (m_i >= m_s.size()) return false;
        const char c = m_s[m_i];
        if (c == '{') return object();
        if (c == '[') return array();
        if (c == '"') return string();
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        return literal("true") || literal("false") || literal("null");
    }
    bool object() {
        ++m_i;
        skip_ws();
        if (peek('}')) return ++m_i, true;
        for (;;) {
            skip_ws();
            if (!string()) return false;
            skip_ws();
            if (!peek(':')) return false;
            ++m_i;
            if (!value()) return false;
            skip_ws();
            if (peek(',')) { ++m_i; continue; }
            if (peek('}')) return ++m_i, true;
            return false;
        }
    }
    bool array() {
        ++m_i;
        skip_ws();
        if (peek(']')) return ++m_i, true;
        for (;;) {
            if (!value()) return false;
            skip_ws();
            if (peek(',')) { ++m_i; continue; }
            if (peek(']')) return ++m_i, true;
            return false;
        }
    }
    bool string() {
        if (!peek('"')) return false;
        ++m_i;
        while (m_i < m_s.size()) {
            const auto c = static_cast<unsigned char>(m_s[m_i]);
            if (c == '"') return ++m_i, true;
            if (c < 0x20) return false;  // raw control characters are not allowed in JSON
            if (c == '\\') {
                ++m_i;
                if (m_i >= m_s.size()) return false;
                const char e = m_s[m_i];
                if (e == 'u') {
                    for (int k = 1; k <= 4; ++k)
                        if (m_i + k >= m_s.size() || !std::isxdigit(static_cast<unsigned char>(m_s[m_i + k]))) return false;
                    m_i += 4;
                } else if (std::string_view("\"\\/bfnrt").find(e) == std::string_view::npos) {
                    return false;
                }
            }
            ++m_i;
        }
        return false;
    }
    bool number() {
        const std::size_t start = m_i;
        if (peek('-')) ++m_i;
        while (m_i < m_s.size() && std::isdigit(static_cast<unsigned char>(m_s[m_i]))) ++m_i;
        return m_i > start && std::isdigit(static_cast<unsigned char>(m_s[m_i - 1]));
    }
    bool literal(std::string_view word) {
        if (m_s.substr(m_i, word.size()) != word) return false;
        m_i += word.size();
        return true;
    }
    bool peek(char c) const { return m_i < m_s.size() && m_s[m_i] == c; }
    void skip_ws() {
        while (m_i < m_s.size() && (m_s[m_i] == ' ' || m_s[m_i] == '\t')) ++m_i;
    }
    std::string_view m_s;
    std::size_t m_i = 0;
};

}  // namespace

TEST_CASE("timeline lanes follow the task tree and put unstructured work after its creator's subtree") {
    Demo d;
    const auto lanes = timeline_lanes(d.trace);
    REQUIRE(lanes.size() == 5);
    CHECK(lanes[0].task == d.main_id);
    CHECK(lanes[0].depth == 0);
    CHECK(lanes[1].task == d.fast);
    CHECK(lanes[1].depth == 1);
    CHECK(lanes[2].task == d.loose);
    CHECK(lanes[2].depth == 1);
    CHECK(lanes[2].unstructured);
    CHECK_FALSE(lanes[1].unstructured);
    CHECK(lanes[3].task == d.slow);
    CHECK(lanes[4].task == d.quick);

    const std::string timeline = text_timeline(d.trace);
    CHECK(timeline.find("  ⇢ Task {} @12") != std::string::npos);
    CHECK(timeline.find("⇢ unstructured") != std::string::npos);  // the legend explains the marker
    // Rows appear in lane order.
    CHECK(timeline.find("main") < timeline.find("fast child"));
    CHECK(timeline.find("fast child") < timeline.find("Task {} @12"));
    CHECK(timeline.find("Task {} @12") < timeline.find("slow child"));
}

TEST_CASE("a deep chain of nested tasks is laid out without recursion") {
    Trace trace;
    trace.add_task(TaskInfo{.kind = TaskKind::main, .name = "main"});
    constexpr TaskId k_depth = 20000;
    for (TaskId t = 2; t <= k_depth; ++t)
        trace.add_task(TaskInfo{.kind = TaskKind::child, .parent = t - 1, .creator = t - 1, .name = "c"});
    const auto lanes = timeline_lanes(trace);
    REQUIRE(lanes.size() == k_depth);
    CHECK(lanes.back().task == k_depth);
    CHECK(lanes.back().depth == k_depth - 1);
}

TEST_CASE("zero-duration events still show a mark on a scaled time axis") {
    Demo d;
    const std::string timeline = text_timeline(d.trace);
    const std::string quick = lane_row(timeline, "quick");
    REQUIRE_FALSE(quick.empty());
    // "quick" printed and returned at 0s, taking no time at all: its row still shows both,
    // the print in the first column and the end pushed one column right.
    const std::string main_row = lane_row(timeline, "main");
    const std::size_t axis_start = main_row.find("█");
    REQUIRE(axis_start != std::string::npos);
    CHECK(quick.ends_with("•✓"));
    CHECK(display_width(quick) == display_width(main_row.substr(0, axis_start)) + 2);

    // main printed at 1s in the middle of its sleeps and cancelled "slow child" there: the
    // column at 1s carries a mark, not a state glyph.
    const std::string slow = lane_row(timeline, "slow child");
    CHECK(slow.find("▼") != std::string::npos);
    CHECK(slow.find("⊘") != std::string::npos);
    CHECK(main_row.find("•") != std::string::npos);
    CHECK(main_row.find("✓") != std::string::npos);
    // The unstructured task keeps blocking after the cancel: hatched, then returns.
    const std::string loose = lane_row(timeline, "Task {} @12");
    CHECK(loose.find("▓") != std::string::npos);
    CHECK(loose.find("╱") != std::string::npos);
    CHECK(loose.find("╱") > loose.find("▼"));
}

TEST_CASE("the timeline ruler fits the width and labels virtual time") {
    Demo d;
    TimelineOptions o;
    o.width = 60;
    const std::string timeline = text_timeline(d.trace, o);
    const auto lines = lines_of(timeline);
    REQUIRE(lines.size() > 3);
    CHECK(lines[0].find("1 column = 50ms") != std::string::npos);  // 3s over 60 columns
    CHECK(lines[1].find("0s") != std::string::npos);
    CHECK(lines[1].find("1.5s") != std::string::npos);
    CHECK(lines[1].find("3s") != std::string::npos);
    for (std::size_t i = 2; i < 8 && i < lines.size(); ++i) CHECK(display_width(lines[i]) <= 20 + 61);
}

TEST_CASE("colour appears only when asked for") {
    Demo d;
    CHECK(text_timeline(d.trace).find('\x1b') == std::string::npos);
    TimelineOptions o;
    o.color = ColorMode::ansi;
    const std::string coloured = text_timeline(d.trace, o);
    CHECK(coloured.find("\x1b[") != std::string::npos);
    CHECK(coloured.find("\x1b[0m") != std::string::npos);
}

TEST_CASE("a run without virtual time is drawn against scheduler steps") {
    Trace trace;
    Scheduler sched(trace, Limits{});
    auto body = [&]() -> Co<void> {
        co_await sched.yield_now();
        co_await sched.yield_now();
        sched.finish_current(Outcome::returned, {});
    };
    sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, body());
    while (sched.step() == StepStatus::ran) {}
    const std::string timeline = text_timeline(trace);
    CHECK(timeline.find("scheduler steps") != std::string::npos);
    CHECK(lane_row(timeline, "main").find("✓") != std::string::npos);
}

TEST_CASE("neighbouring siblings with the same picture share one row") {
    Trace trace;
    Scheduler sched(trace, Limits{});
    auto child = [&]() -> Co<void> {
        ResumeStatus st = co_await sched.sleep_for(k_second, Interruptible::yes);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    };
    auto odd_one = [&]() -> Co<void> {
        ResumeStatus st = co_await sched.sleep_for(2 * k_second, Interruptible::yes);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    };
    auto parent = [&]() -> Co<void> {
        const TaskId me = sched.current();
        for (int i = 1; i <= 40; ++i)
            sched.spawn(TaskInfo{.kind = TaskKind::child, .parent = me, .creator = me,
                                 .name = "download #" + std::to_string(i)},
                        i == 30 ? odd_one() : child());
        ResumeStatus st = co_await sched.sleep_for(3 * k_second, Interruptible::yes);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    };
    sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, parent());
    while (sched.step() == StepStatus::ran) {}

    const std::string folded = text_timeline(trace);
    CHECK(folded.find("download #1 +28 alike") != std::string::npos);
    CHECK(folded.find("download #30  ") != std::string::npos);
    CHECK(folded.find("download #31 +9 alike") != std::string::npos);
    CHECK(lines_of(folded).size() < 12);

    TimelineOptions o;
    o.collapse = Collapse::none;
    const std::string every = text_timeline(trace, o);
    CHECK(every.find("alike") == std::string::npos);
    CHECK(!lane_row(every, "download #17").empty());
}

TEST_CASE("lanes fold only within one family of names") {
    CHECK(text::family_name("downloadImage #12") == "downloadImage");
    CHECK(text::family_name("worker3") == "worker");
    CHECK(text::family_name("Task {} @12") == "Task {} @");
    CHECK(text::family_name("poller") == "poller");

    Trace trace;
    Scheduler sched(trace, Limits{});
    auto child = [&]() -> Co<void> {
        ResumeStatus st = co_await sched.sleep_for(k_second, Interruptible::yes);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    };
    auto parent = [&]() -> Co<void> {
        const TaskId me = sched.current();
        for (const char* name : {"poller", "checker", "sleeper"})
            sched.spawn(TaskInfo{.kind = TaskKind::child, .parent = me, .creator = me, .name = name}, child());
        ResumeStatus st = co_await sched.sleep_for(2 * k_second, Interruptible::yes);
        (void)st;
        sched.finish_current(Outcome::returned, {});
    };
    sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, parent());
    while (sched.step() == StepStatus::ran) {}
    const std::string timeline = text_timeline(trace);
    CHECK(timeline.find("alike") == std::string::npos);
    CHECK(!lane_row(timeline, "checker").empty());
}

TEST_CASE("too many lanes are counted instead of drawn") {
    Demo d;
    TimelineOptions o;
    o.max_lanes = 2;
    o.collapse = Collapse::none;
    const std::string timeline = text_timeline(d.trace, o);
    CHECK(timeline.find("… 3 more tasks not drawn") != std::string::npos);
    CHECK(lane_row(timeline, "slow child").empty());
}

TEST_CASE("the event log decodes causes, observers, outcomes and printed text") {
    Demo d;
    const std::string log = event_log(d.trace);
    CHECK(log.find("cancel_requested  cause=group by main") != std::string::npos);
    CHECK(log.find("cause=explicit by main") != std::string::npos);
    CHECK(log.find("cancel_observed   by sleep") != std::string::npos);
    CHECK(log.find("cancelled: CancellationError()") != std::string::npos);
    CHECK(log.find("\"취소 요청 보냄 🟡\"") != std::string::npos);
    CHECK(log.find("\"quick\\tline\\x01\"") != std::string::npos);  // control characters escaped
    CHECK(log.find("sleep: sleep 3s") != std::string::npos);
    CHECK(log.find("child, child of main") != std::string::npos);
    CHECK(log.find("unstructured, created by fast child") != std::string::npos);
    const auto lines = lines_of(log);
    CHECK(lines.size() == d.trace.size());
    CHECK(lines[0].starts_with("#0 "));
}

TEST_CASE("the event log points at source positions when the program is known") {
    Trace trace;
    Scheduler sched(trace, Limits{});
    auto program = std::make_shared<ast::Program>();
    program->file = std::make_shared<SourceFile>("demo.swift", "print(\"a\")\nprint(\"b\")\n");
    auto body = [&]() -> Co<void> {
        sched.set_span(Span{11, 21});
        sched.emit(EventKind::printed, sched.current(), 0, trace.add_string("b"));
        sched.finish_current(Outcome::returned, {});
        co_return;
    };
    sched.spawn(TaskInfo{.kind = TaskKind::main, .name = "main"}, body());
    while (sched.step() == StepStatus::ran) {}
    const std::string log = event_log(trace, program.get());
    CHECK(log.find("printed        \"b\"       demo.swift:2:1\n") != std::string::npos);
    const std::string json = trace_json(trace, program.get());
    CHECK(json.find("\"kind\":\"printed\",\"task\":1,\"related\":0,\"detail\":null,\"payload\":\"b\",\"line\":2,\"col\":1") !=
          std::string::npos);
    CHECK(json.find("\"scenario\":\"demo.swift\"") != std::string::npos);
}

TEST_CASE("trace JSON lines are valid JSON with a header first") {
    Demo d;
    const auto lines = lines_of(trace_json(d.trace));
    REQUIRE(lines.size() == d.trace.size() + 1);
    CHECK(lines[0].starts_with("{\"format\":\"tasklab-trace\",\"version\":1,"));
    CHECK(lines[0].find("\"tasks\":[{\"id\":1,\"kind\":\"main\",\"name\":\"main\"") != std::string::npos);
    for (const auto& line : lines) {
        INFO(line);
        CHECK(JsonChecker(line).valid());
    }
    CHECK(lines[1].starts_with("{\"i\":0,\"step\":0,\"t\":0,\"kind\":\"task_created\""));
    // Time is integer nanoseconds; the decoded detail names the cause.
    bool found_cancel = false;
    for (const auto& line : lines)
        if (line.find("\"kind\":\"cancel_requested\"") != std::string::npos &&
            line.find("\"detail\":\"group\"") != std::string::npos) {
            found_cancel = true;
            CHECK(line.find("\"t\":1000000000") != std::string::npos);
        }
    CHECK(found_cancel);
}

TEST_CASE("JSON strings escape control characters and keep UTF-8") {
    CHECK(json_string("a\"b\\c") == "\"a\\\"b\\\\c\"");
    CHECK(json_string("tab\there\nnew") == "\"tab\\there\\nnew\"");
    CHECK(json_string(std::string("nul\0x", 5)) == "\"nul\\u0000x\"");
    CHECK(json_string("\x1b[0m") == "\"\\u001b[0m\"");
    CHECK(json_string("작업 🟡") == "\"작업 🟡\"");
    CHECK(json_string("bad\xff") == "\"bad\\ufffd\"");
    CHECK(JsonChecker(json_string("quick\tline\x01\x7f")).valid());
    Demo d;
    const std::string json = trace_json(d.trace);
    CHECK(json.find("\"quick\\tline\\u0001\"") != std::string::npos);
}

TEST_CASE("cancel stories tell when a cancel was requested and whether it was observed") {
    Demo d;
    const auto stories = cancel_stories(d.trace);
    REQUIRE(stories.size() == 2);
    CHECK(stories[0].task == d.slow);
    CHECK(stories[0].observed);
    CHECK(stories[0].observed_at == k_second);
    CHECK(describe_cancel_story(d.trace, stories[0]) ==
          "cancel requested at 1.000s (group, by main), observed at 1.000s by sleep (gap 0s)");
    CHECK(stories[1].task == d.loose);
    CHECK_FALSE(stories[1].observed);
    CHECK(describe_cancel_story(d.trace, stories[1]) ==
          "cancel requested at 1.000s (explicit, by main), never observed (returned at 2.000s, 1s later)");
}

TEST_CASE("every exporter gives byte-identical output across two runs") {
    Demo a;
    Demo b;
    CHECK(text_timeline(a.trace) == text_timeline(b.trace));
    CHECK(event_log(a.trace) == event_log(b.trace));
    CHECK(trace_json(a.trace) == trace_json(b.trace));
}

TEST_CASE("cancel stories list every request: twice before the notice, and again after it") {
    // worker is asked twice at 1 s and notices once at 1 s; asked a third time at 2 s (by the
    // runtime), it notices again at 2 s; a fourth request at 3 s is never noticed before it
    // returns at 4 s.
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main()", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "worker()", {}, 1});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::unstructured));
    t.set_clock(1, k_second);
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.set_clock(2, k_second);
    t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::await_point));
    t.set_clock(3, 2 * k_second);
    t.append(EventKind::cancel_requested, 2, 0, 0, static_cast<std::uint8_t>(CancelCause::shutdown));
    t.set_clock(4, 2 * k_second);
    t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::await_point));
    t.set_clock(5, 3 * k_second);
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.set_clock(6, 4 * k_second);
    t.append(EventKind::task_finished, 2, 0, 0, static_cast<std::uint8_t>(Outcome::returned));

    const auto stories = cancel_stories(t);
    REQUIRE(stories.size() == 4);
    CHECK(describe_cancel_story(t, stories[0]) ==
          "cancel requested at 1.000s (explicit, by main()), observed at 1.000s by await (gap 0s)");
    CHECK(describe_cancel_story(t, stories[1]) ==
          "cancel requested again at 1.000s (explicit, by main()), observed with the earlier request at 1.000s by await "
          "(gap 0s)");
    CHECK(describe_cancel_story(t, stories[2]) ==
          "cancel requested again at 2.000s (shutdown), observed at 2.000s by await (gap 0s)");
    CHECK(describe_cancel_story(t, stories[3]) ==
          "cancel requested again at 3.000s (explicit, by main()), never observed (returned at 4.000s, 1s later)");
    CHECK(stories[0].observed_event == stories[1].observed_event);
    CHECK(stories[2].observed_event > stories[1].observed_event);
    CHECK(stories[3].earlier == 3);
    for (const auto& s : stories) {
        CHECK(s.finished);
        CHECK(s.finished_at == 4 * k_second);
    }
}

TEST_CASE("a cancel that reached a task through a child that noticed it is observed where the child's error arrives") {
    // owner is cancelled at 1 s; its group child notices at its sleep and throws; the error is
    // delivered to owner, which rethrows and ends. A second child that noticed nothing is not
    // the one named.
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "owner", {}, 1});
    t.add_scope(ScopeInfo{1, ScopeKind::throwing_task_group, 2, "withThrowingTaskGroup @3", {}});
    t.add_task(TaskInfo{3, TaskKind::child, 2, 2, 1, "child", {}, 2});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::unstructured));
    t.append(EventKind::task_created, 3, 2, 0, static_cast<std::uint8_t>(TaskKind::child));
    t.set_clock(1, k_second);
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.append(EventKind::cancel_requested, 3, 1, 1, static_cast<std::uint8_t>(CancelCause::group));
    // Before the child notices, a throw in owner is not the child's error.
    t.append(EventKind::threw, 2, 0, t.add_string("Unrelated()"));
    t.append(EventKind::caught, 2, 0, t.add_string("Unrelated()"));
    t.set_clock(2, k_second);
    t.append(EventKind::cancel_observed, 3, 0, 0, static_cast<std::uint8_t>(ObservedBy::sleep));
    t.append(EventKind::threw, 3, 0, t.add_string("CancellationError()"));
    t.append(EventKind::task_finished, 3, 0, 0, static_cast<std::uint8_t>(Outcome::cancelled));
    t.set_clock(3, k_second);
    const std::uint64_t delivered = t.append(EventKind::error_delivered, 2, 3, t.add_string("CancellationError()"));
    t.append(EventKind::threw, 2, 0, t.add_string("CancellationError()"));
    t.append(EventKind::task_finished, 2, 0, 0, static_cast<std::uint8_t>(Outcome::returned));

    const auto stories = cancel_stories(t);
    REQUIRE(stories.size() == 2);
    CHECK(stories[0].task == 2);
    CHECK(stories[0].observed);
    CHECK(stories[0].observed_event == delivered);
    CHECK(stories[0].through_child == 3);
    CHECK(describe_cancel_story(t, stories[0]) ==
          "cancel requested at 1.000s (explicit, by main), observed at 1.000s through child's error (gap 0s)");
    CHECK(stories[1].through_child == 0);
    CHECK(stories[1].observed_by == ObservedBy::sleep);

    CancelStoryFold fold;
    for (std::uint64_t i = 0; i < t.size(); ++i) fold.read(t, i);
    CHECK(fold.noticed(2));
    CHECK(fold.noticed(3));
    CHECK_FALSE(fold.noticed(1));
    CHECK_FALSE(fold.requested(1));
}
