// The timeline model: intervals, marks, arrows and cancel gaps derived from a trace; and, on
// bundled lessons, the lane order the timeline and the task tree share.
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/model/timeline_layout.hpp"
#include "viz/model/timeline_model.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

/// A small hand-written trace: main creates a group child that sleeps, gets cancelled by the
/// parent at 1s and notices at its sleep.
Trace cancelled_child_trace() {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);
    t.add_scope(ScopeInfo{1, ScopeKind::task_group, 1, "withTaskGroup @3", {}});
    t.append(EventKind::scope_entered, 1, 1);
    t.add_task(TaskInfo{2, TaskKind::child, 1, 1, 1, "child", {}, 3});
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::child));
    t.append(EventKind::task_suspended, 1, 1, t.intern("group next()"), static_cast<std::uint8_t>(WaitReason::group));
    t.set_clock(2, 0);
    t.append(EventKind::task_started, 2);
    t.append(EventKind::task_suspended, 2, 0, t.intern("sleep 5s"), static_cast<std::uint8_t>(WaitReason::sleep));
    t.set_clock(3, k_second);
    t.append(EventKind::task_resumed, 1);
    t.append(EventKind::cancel_requested, 2, 1, 1, static_cast<std::uint8_t>(CancelCause::group_cancel_all));
    t.append(EventKind::task_suspended, 1, 1, t.intern("group next()"), static_cast<std::uint8_t>(WaitReason::group));
    t.set_clock(4, k_second);
    t.append(EventKind::task_resumed, 2, 0, 0, static_cast<std::uint8_t>(ResumeStatus::cancelled));
    t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::sleep));
    t.append(EventKind::task_finished, 2, 0, t.add_string("CancellationError()"), static_cast<std::uint8_t>(Outcome::cancelled));
    return t;
}

/// Runs a bundled scenario (path under scenarios/) to its end.
std::unique_ptr<Controller> run_lesson(const std::string& path) {
    std::ifstream in(std::string(TASKLAB_SOURCE_DIR) + "/scenarios/" + path, std::ios::binary);
    REQUIRE_MESSAGE(static_cast<bool>(in), path);
    std::ostringstream text;
    text << in.rdbuf();
    auto file = std::make_shared<SourceFile>(path, text.str());
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

/// The task called `name` (the lane label) in `trace`.
TaskId task_named(const Trace& trace, const std::string& name) {
    for (const TaskInfo& info : trace.tasks())
        if (info.id != 0 && info.name == name) return info.id;
    FAIL("no task named " << name);
    return 0;
}

/// The lanes of a finished lesson top to bottom as "name@depth" (scope headers as "[scope]@depth").
std::vector<std::string> lane_order(const Trace& trace, const std::set<TaskId>& folded = {}) {
    LaneLayout l;
    l.update(trace, folded);
    std::vector<std::string> out;
    for (const Row& r : l.rows()) {
        const std::string label = r.kind == RowKind::task ? trace.task(r.task).name : "[" + trace.scope(r.scope).name + "]";
        out.push_back(label + "@" + std::to_string(r.depth));
    }
    return out;
}

std::size_t lint_marks(const LaneData& lane, LintKind kind) {
    std::size_t n = 0;
    for (const Mark& mk : lane.marks)
        if (mk.kind == MarkKind::lint && mk.detail == static_cast<std::uint8_t>(kind)) ++n;
    return n;
}

}  // namespace

TEST_CASE("a task's states become back-to-back intervals that end at the next state change") {
    Trace t = cancelled_child_trace();
    TimelineModel m;
    m.sync(t, 1);
    const LaneData& child = m.lane(2);
    REQUIRE(child.intervals.size() == 5);
    CHECK(child.intervals[0].state == LaneState::waiting_to_start);
    CHECK(child.intervals[1].state == LaneState::running);
    CHECK(child.intervals[2].state == LaneState::sleeping);
    CHECK(child.intervals[2].t0 == 0);
    CHECK(child.intervals[2].t1 == k_second);
    // The cancel request splits the sleep: from there on the task is cancelled but still going.
    CHECK(child.intervals[3].state == LaneState::sleeping);
    CHECK(child.intervals[3].cancel_pending);
    CHECK(child.intervals[4].state == LaneState::running);
    CHECK(child.intervals[4].cancel_pending);
    CHECK_FALSE(child.intervals[4].open());
    REQUIRE(child.end.has_value());
    CHECK(child.end->outcome == Outcome::cancelled);
    // main is still suspended at the end: its last interval is open.
    CHECK(m.lane(1).intervals.back().open());
    CHECK(m.lane(1).intervals.back().state == LaneState::suspended);
}

TEST_CASE("the gap from cancel requested to observed is recorded per task") {
    Trace t = cancelled_child_trace();
    TimelineModel m;
    m.sync(t, 1);
    REQUIRE(m.gaps().size() == 1);
    const CancelGap& g = m.gaps()[0];
    CHECK(g.task == 2);
    CHECK(g.cause == CancelCause::group_cancel_all);
    CHECK(g.requested_time == k_second);
    CHECK(g.observed());
    CHECK(g.observed_by == ObservedBy::sleep);
    CHECK_FALSE(g.never_observed);
}

TEST_CASE("spawn and explicit cancel arrows link creator and requester to their targets") {
    Trace t = cancelled_child_trace();
    TimelineModel m;
    m.sync(t, 1);
    REQUIRE(m.arrows().size() == 2);
    CHECK(m.arrows()[0].kind == ArrowKind::spawn);
    CHECK(m.arrows()[0].from == 1);
    CHECK(m.arrows()[0].to == 2);
    CHECK(m.arrows()[1].kind == ArrowKind::explicit_cancel);
    CHECK(m.arrows()[1].from == 1);
    CHECK(m.arrows()[1].to == 2);
}

TEST_CASE("syncing a growing trace gives the same model as reading it whole") {
    Trace whole = cancelled_child_trace();
    TimelineModel once;
    once.sync(whole, 1);

    // Replay the same events into a second trace one at a time, syncing after each.
    Trace growing;
    for (const TaskInfo& info : whole.tasks())
        if (info.id != 0) growing.add_task(info);
    for (const ScopeInfo& info : whole.scopes())
        if (info.id != 0) growing.add_scope(info);
    TimelineModel step_by_step;
    for (std::uint64_t i = 0; i < whole.size(); ++i) {
        const Event e = whole.at(i);
        growing.set_clock(e.step, e.time);
        growing.append(e.kind, e.task, e.related, e.payload, e.detail, e.span);
        step_by_step.sync(growing, 7);
    }
    CHECK(step_by_step.event_count() == once.event_count());
    for (TaskId id : {TaskId{1}, TaskId{2}}) {
        const auto& a = once.lane(id).intervals;
        const auto& b = step_by_step.lane(id).intervals;
        REQUIRE(a.size() == b.size());
        for (std::size_t k = 0; k < a.size(); ++k) {
            CHECK(a[k].t0 == b[k].t0);
            CHECK(a[k].e1 == b[k].e1);
            CHECK(a[k].state == b[k].state);
        }
    }
    CHECK(step_by_step.gaps().size() == once.gaps().size());
}

TEST_CASE("events of one step are spread evenly inside the step on the step axis") {
    Trace t = cancelled_child_trace();
    TimelineModel m;
    m.sync(t, 1);
    // Step 3 holds events 7, 8, 9.
    CHECK(m.first_event_of_step(3) == 7);
    CHECK(m.step_of_event(8) == 3);
    CHECK(m.step_position(7) == doctest::Approx(3.0 + 0.5 / 3));
    CHECK(m.step_position(9) == doctest::Approx(3.0 + 2.5 / 3));
    CHECK(m.time_of_event(8) == k_second);
    CHECK(m.first_event_at_or_after(1) == 7);
}

TEST_CASE("a child's error cancels its siblings through the scope and reaches the owner") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_scope(ScopeInfo{1, ScopeKind::throwing_task_group, 1, "withThrowingTaskGroup @2", {}});
    t.add_task(TaskInfo{2, TaskKind::child, 1, 1, 1, "fails", {}, 1});
    t.add_task(TaskInfo{3, TaskKind::child, 1, 1, 1, "sibling", {}, 2});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);
    t.append(EventKind::scope_entered, 1, 1);
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::child));
    t.append(EventKind::task_created, 3, 1, 0, static_cast<std::uint8_t>(TaskKind::child));
    t.append(EventKind::task_suspended, 1, 1, t.intern("group next()"), static_cast<std::uint8_t>(WaitReason::group));
    t.set_clock(2, 0);
    t.append(EventKind::task_started, 2);
    t.append(EventKind::threw, 2, 0, t.add_string("Boom()"));
    t.append(EventKind::task_finished, 2, 0, t.add_string("Boom()"), static_cast<std::uint8_t>(Outcome::threw));
    t.set_clock(3, 0);
    t.append(EventKind::task_resumed, 1);
    t.append(EventKind::error_delivered, 1, 2, t.add_string("Boom()"));
    t.append(EventKind::cancel_requested, 3, 2, 1, static_cast<std::uint8_t>(CancelCause::child_error));
    t.append(EventKind::task_suspended, 1, 1, t.intern("group exit"), static_cast<std::uint8_t>(WaitReason::group));
    t.set_clock(4, 0);
    t.append(EventKind::task_started, 3);
    t.append(EventKind::printed, 3, 0, t.add_string("still here"));
    t.append(EventKind::task_finished, 3, 0, 0, static_cast<std::uint8_t>(Outcome::returned));
    TimelineModel m;
    m.sync(t, 1);

    std::vector<ArrowKind> kinds;
    for (const Arrow& a : m.arrows()) kinds.push_back(a.kind);
    CHECK(kinds == std::vector<ArrowKind>{ArrowKind::spawn, ArrowKind::spawn, ArrowKind::error_delivered, ArrowKind::implicit});
    const Arrow& delivered = m.arrows()[2];
    CHECK(delivered.from == 2);
    CHECK(delivered.to == 1);
    const Arrow& implicit = m.arrows()[3];
    CHECK(implicit.from == 2);  // the failing child
    CHECK(implicit.to == 3);
    CHECK(implicit.scope == 1); // drawn through the group's bracket

    // The sibling started after the request and finished without ever noticing: the gap
    // stays open for good, and it ran "cancelled but still going".
    REQUIRE(m.gaps().size() == 1);
    CHECK(m.gaps()[0].never_observed);
    CHECK_FALSE(m.gaps()[0].observed());
    const LaneData& sibling = m.lane(3);
    CHECK(sibling.intervals.back().state == LaneState::running);
    CHECK(sibling.intervals.back().cancel_pending);
    REQUIRE(sibling.marks.size() == 2);
    CHECK(sibling.marks[0].kind == MarkKind::cancel_requested);
    CHECK(sibling.marks[0].related == 2);
    CHECK(sibling.marks[1].kind == MarkKind::printed);
    CHECK(m.lane(2).end->outcome == Outcome::threw);
    CHECK(m.lane(1).marks.front().kind == MarkKind::error_delivered);
    CHECK(m.last_ran() == 3);
    // The scope is still open at the end of this trace.
    CHECK(m.scopes()[1].entered_event == 2);
    CHECK(m.scopes()[1].exited_event == k_open_index);
}

TEST_CASE("a cancel propagated from a parent is drawn from the parent, and only the first request opens a gap") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "Task {}", {}, 1});
    t.add_scope(ScopeInfo{1, ScopeKind::async_let, 2, "async let x", {}});
    t.add_task(TaskInfo{3, TaskKind::async_let, 2, 2, 1, "x", {}, 2});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::unstructured));
    t.append(EventKind::task_created, 3, 2, 0, static_cast<std::uint8_t>(TaskKind::async_let));
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.append(EventKind::cancel_requested, 3, 0, 1, static_cast<std::uint8_t>(CancelCause::parent));
    t.append(EventKind::cancel_requested, 3, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    TimelineModel m;
    m.sync(t, 1);
    REQUIRE(m.arrows().size() == 5);
    CHECK(m.arrows()[0].kind == ArrowKind::spawn_unstructured);  // main starts Task {}
    CHECK(m.arrows()[1].kind == ArrowKind::spawn);               // Task {} starts async let x
    CHECK(m.arrows()[2].kind == ArrowKind::explicit_cancel);
    CHECK(m.arrows()[3].kind == ArrowKind::propagated);
    CHECK(m.arrows()[3].from == 2);  // no requester recorded: the scope's owner
    CHECK(m.gaps().size() == 2);     // tasks 2 and 3, one gap each
    CHECK(m.lane(3).marks.size() == 2);
    // Not started yet, and already cancelled: the waiting interval is flagged.
    CHECK(m.lane(3).intervals.back().state == LaneState::waiting_to_start);
    CHECK(m.lane(3).intervals.back().cancel_pending);
}

TEST_CASE("a replaced trace (new epoch) rebuilds the model from scratch") {
    Trace a = cancelled_child_trace();
    TimelineModel m;
    m.sync(a, 1);
    CHECK(m.gaps().size() == 1);
    Trace b;
    b.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    b.set_clock(0, 0);
    b.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    m.sync(b, 2);
    CHECK(m.event_count() == 1);
    CHECK(m.gaps().empty());
    CHECK(m.arrows().empty());
    CHECK(m.lane(1).intervals.size() == 1);
}

TEST_CASE("a task asked twice before it noticed has one gap and two requests; asked again after it noticed, a second gap") {
    {
        auto c = run_lesson("asyncio/cancel_twice.py");
        TimelineModel m;
        m.sync(c->trace(), 1);
        const TaskId worker = task_named(c->trace(), "worker()");
        const LaneData& lane = m.lane(worker);
        REQUIRE(lane.gaps.size() == 1);
        const CancelGap& g = m.gaps()[lane.gaps[0]];
        CHECK(g.joined == 1);  // the second cancel() came before the worker noticed the first
        CHECK(g.observed());
        CHECK_FALSE(g.never_observed);
        // Both requests are stories of their own, answered by one notice.
        std::vector<const CancelStory*> mine;
        for (const CancelStory& st : m.cancel_stories())
            if (st.task == worker) mine.push_back(&st);
        REQUIRE(mine.size() == 2);
        CHECK_FALSE(mine[0]->joined);
        CHECK(mine[1]->joined);
        CHECK(mine[1]->earlier == 1);
        CHECK(mine[0]->observed_event == mine[1]->observed_event);
        CHECK(mine[0]->requested_event < mine[1]->requested_event);
    }
    {
        auto c = run_lesson("asyncio/antipattern_cancel_without_await.py");
        TimelineModel m;
        m.sync(c->trace(), 1);
        const TaskId server = task_named(c->trace(), "WebSocketServer().start_server()");
        const LaneData& lane = m.lane(server);
        // main()'s cancel at 0.3 s, noticed at once; asyncio.run()'s second cancel at 0.4 s
        // lands in the cleanup's sleep and is noticed there: two gaps, both closed.
        REQUIRE(lane.gaps.size() == 2);
        const CancelGap& first = m.gaps()[lane.gaps[0]];
        const CancelGap& second = m.gaps()[lane.gaps[1]];
        CHECK(first.cause == CancelCause::explicit_call);
        CHECK(first.requested_time == 300 * k_millisecond);
        CHECK(first.observed_time == 300 * k_millisecond);
        CHECK(second.cause == CancelCause::shutdown);
        CHECK(second.requested_time == 400 * k_millisecond);
        CHECK(second.observed());
        CHECK(second.observed_event > first.observed_event);
        CHECK(second.requested_event > first.observed_event);
        CHECK(lane.gap == static_cast<std::int32_t>(lane.gaps[1]));
    }
}

TEST_CASE("a cancel that reached a task through its children is observed where the child's error reached it") {
    auto c = run_lesson("swift/async_let_explicit_cancel.swift");
    const Trace& trace = c->trace();
    TimelineModel m;
    m.sync(trace, 1);
    const TaskId task = task_named(trace, "task");
    const TaskId image1 = task_named(trace, "image1");
    const LaneData& lane = m.lane(task);
    REQUIRE(lane.gaps.size() == 1);
    const CancelGap& g = m.gaps()[lane.gaps[0]];
    CHECK(g.observed());
    CHECK_FALSE(g.never_observed);
    // `try await [image1, …]` rethrows image1's URLError: that is where the gap ends.
    CHECK(g.through_child == image1);
    const Event reached = trace.at(g.observed_event);
    CHECK(reached.task == task);
    CHECK(reached.kind == EventKind::threw);
    CHECK(g.observed_event > m.lane(image1).end->event);  // after the child noticed and ended
    // No "never checked" lint on the lane (the children noticed, and it caught their error).
    CHECK(lint_marks(lane, LintKind::cancel_never_observed) == 0);
    // The children noticed by themselves, at their network calls.
    for (const char* name : {"image1", "image2", "image3"}) {
        const LaneData& child = m.lane(task_named(trace, name));
        REQUIRE(child.gaps.size() == 1);
        CHECK(m.gaps()[child.gaps[0]].through_child == 0);
        CHECK(m.gaps()[child.gaps[0]].observed_by == ObservedBy::network);
    }
}

TEST_CASE("a task whose child noticed the cancel but which never received an error still never observed it") {
    // The parent is cancelled; its async let child notices and returns a value instead of
    // throwing, so no error reaches the parent, which returns without checking.
    auto file = std::make_shared<SourceFile>("quiet.swift", R"SW(
func child() async -> Int {
    if Task.isCancelled { return -1 }
    return 1
}
let t = Task {
    sleep(1)
    async let x = child()
    let v = await x
    print(v)
}
t.cancel()
try await Task.sleep(for: .seconds(2))
)SW");
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    TimelineModel m;
    m.sync(c.trace(), 1);
    const LaneData& lane = m.lane(task_named(c.trace(), "t"));
    REQUIRE(lane.gaps.size() == 1);
    CHECK(m.gaps()[lane.gaps[0]].never_observed);
    CHECK(m.gaps()[lane.gaps[0]].through_child == 0);
    CHECK(lint_marks(lane, LintKind::cancel_never_observed) == 1);
    const LaneData& x = m.lane(task_named(c.trace(), "x"));
    REQUIRE(x.gaps.size() == 1);
    CHECK(m.gaps()[x.gaps[0]].observed_by == ObservedBy::is_cancelled);
}

TEST_CASE("Task {}, Task.detached and work items are top-level lanes in creation order, each followed by its structured subtree") {
    {
        // task2 is created by task1, inside it: still a top-level lane, not a child row.
        auto c = run_lesson("swift/unstructured_task.swift");
        CHECK(lane_order(c->trace()) == std::vector<std::string>{"main@0", "task1@0", "task2@0"});
    }
    {
        // The group's children stay nested (structured) under Task {} @61, which is top-level.
        auto c = run_lesson("swift/taskgroup_child_error.swift");
        CHECK(lane_order(c->trace()) ==
              std::vector<std::string>{"main@0", "Task {} @61@0", "[withThrowingTaskGroup @41]@1", "downloadImage(from: url) #1@1",
                                       "faileDownloadImage() #2@1", "downloadImage(from: url) #3@1"});
        // Folding Task {} @61 folds its children, nothing else.
        const TaskId owner = task_named(c->trace(), "Task {} @61");
        CHECK(lane_order(c->trace(), {owner}) == std::vector<std::string>{"main@0", "Task {} @61@0"});
    }
    {
        // innerItem is created by outerItem at 4 s, after asyncAfter @35 was created at 0 s.
        auto c = run_lesson("gcd/nested_work_items.swift");
        CHECK(lane_order(c->trace()) ==
              std::vector<std::string>{"main@0", "outerItem@0", "asyncAfter @35@0", "innerItem@0"});
        LaneLayout l;
        l.update(c->trace(), {});
        for (const Row& r : l.rows()) {
            CHECK(l.lane_parent(r.task) == 0);
            CHECK_FALSE(r.has_children);  // nothing to fold: no work item nests another
        }
        // The dashed spawn arrow still links innerItem to its creator.
        TimelineModel m;
        m.sync(c->trace(), 1);
        const TaskId inner = task_named(c->trace(), "innerItem");
        bool linked = false;
        for (const Arrow& a : m.arrows())
            if (a.to == inner && a.kind == ArrowKind::spawn_unstructured && a.from == task_named(c->trace(), "outerItem"))
                linked = true;
        CHECK(linked);
    }
}
