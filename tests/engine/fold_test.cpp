// The fold (engine/fold.hpp): a Swift and a Python run folded into the intervals their tasks
// went through, the same fold read step by step and at once, reading it at an earlier cursor,
// and the lane order of the task tree.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "engine/fold.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

std::unique_ptr<Controller> controller_for(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return std::make_unique<Controller>(parsed.program);
}

// A task group's child sleeps 5 s; the group cancels it after 1 s; it notices at its sleep.
const char* const k_swift = R"(func work() async {
    do {
        try await Task.sleep(for: .seconds(5))
        print("slept")
    } catch {
        print("cancelled")
    }
}

await withTaskGroup(of: Void.self) { group in
    group.addTask { await work() }
    try? await Task.sleep(for: .seconds(1))
    group.cancelAll()
}
print("done")
)";

// The same story in asyncio: a task sleeps 5 s, main cancels it after 1 s and awaits it.
const char* const k_python = R"(import asyncio

async def child():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("cancelled")
        raise

async def main():
    t = asyncio.create_task(child())
    await asyncio.sleep(1)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print("main saw it")

asyncio.run(main())
)";

TaskId task_named(const Trace& trace, const std::string& name) {
    for (const TaskInfo& info : trace.tasks())
        if (info.id != 0 && info.name == name) return info.id;
    FAIL("no task named " << name);
    return 0;
}

TaskId first_task_of_kind(const Trace& trace, TaskKind kind) {
    for (const TaskInfo& info : trace.tasks())
        if (info.id != 0 && info.kind == kind) return info.id;
    FAIL("no task of kind " << task_kind_name(kind));
    return 0;
}

// "state" or "state+cancel" per interval, so a whole lane reads as one list.
std::vector<std::string> states(const TaskLane& lane) {
    std::vector<std::string> out;
    for (const StateInterval& iv : lane.intervals)
        out.push_back(std::string(lane_state_name(iv.state)) + (iv.cancel_pending ? "+cancel" : ""));
    return out;
}

void check_back_to_back(const TaskLane& lane) {
    for (std::size_t i = 1; i < lane.intervals.size(); ++i) {
        CHECK(lane.intervals[i - 1].e1 == lane.intervals[i].e0);
        CHECK(lane.intervals[i - 1].t1 == lane.intervals[i].t0);
        CHECK(lane.intervals[i].e0 >= lane.intervals[i - 1].e0);
    }
}

bool same(const StateInterval& a, const StateInterval& b) {
    return a.t0 == b.t0 && a.t1 == b.t1 && a.e0 == b.e0 && a.e1 == b.e1 && a.cause == b.cause && a.state == b.state &&
           a.reason == b.reason && a.cancel_pending == b.cancel_pending && a.actor == b.actor;
}

// Runs `c` step by step, syncing `incremental` after every step; at every step also checks that
// the whole run's fold (`whole`, filled afterwards) read at that cursor says the same.
struct Stepped {
    std::vector<std::uint64_t> cursors;
    std::vector<std::vector<std::optional<StateInterval>>> current;  // [step][task]
};

Stepped run_stepwise(Controller& c, TaskFold& incremental) {
    Stepped s;
    while (c.step()) {
        incremental.sync(c.trace());
        s.cursors.push_back(incremental.event_count());
        std::vector<std::optional<StateInterval>> now(c.trace().tasks().size());
        for (TaskId t = 1; t < now.size() && t < incremental.lanes().size(); ++t) {
            const TaskLane& lane = incremental.lane(t);
            if (!lane.intervals.empty() && lane.intervals.back().open()) now[t] = lane.intervals.back();
        }
        s.current.push_back(std::move(now));
    }
    incremental.sync(c.trace());
    return s;
}

void check_incremental_equals_whole(const std::string& name, const char* text) {
    auto c = controller_for(name, text);
    TaskFold incremental;
    const Stepped stepped = run_stepwise(*c, incremental);
    REQUIRE(stepped.cursors.size() > 3);

    TaskFold whole;
    whole.sync(c->trace());
    REQUIRE(whole.event_count() == c->trace().size());
    REQUIRE(incremental.lanes().size() == whole.lanes().size());
    for (TaskId t = 1; t < whole.lanes().size(); ++t) {
        CAPTURE(t);
        const TaskLane& a = incremental.lane(t);
        const TaskLane& b = whole.lane(t);
        REQUIRE(a.intervals.size() == b.intervals.size());
        for (std::size_t i = 0; i < a.intervals.size(); ++i) CHECK(same(a.intervals[i], b.intervals[i]));
        CHECK(a.end.has_value() == b.end.has_value());
        CHECK(a.created_event == b.created_event);
        check_back_to_back(b);
    }
    // Reading the finished fold at an earlier cursor gives what the fold said back then.
    for (std::size_t s = 0; s < stepped.cursors.size(); ++s) {
        CAPTURE(s);
        const auto& now = stepped.current[s];
        for (TaskId t = 1; t < now.size(); ++t) {
            const std::optional<StateInterval> then = whole.interval_at(t, stepped.cursors[s]);
            REQUIRE(then.has_value() == now[t].has_value());
            if (then) CHECK(same(*then, *now[t]));
        }
    }
}

}  // namespace

TEST_CASE("the fold of a Swift run: a group child sleeps, is cancelled while asleep and notices at its sleep") {
    auto c = controller_for("fold.swift", k_swift);
    c->run_until_idle();
    TaskFold fold;
    fold.sync(c->trace());
    const TaskId child = first_task_of_kind(c->trace(), TaskKind::child);
    const TaskLane& lane = fold.lane(child);
    CHECK(states(lane) == std::vector<std::string>{"waiting to start", "running", "sleeping", "sleeping+cancel",
                                                   "running+cancel"});
    check_back_to_back(lane);
    REQUIRE(lane.intervals.size() == 5);
    // The request splits the sleep at 1 s; the wake-up ends the 5 s sleep early, at 1 s too.
    CHECK(lane.intervals[2].t1 == k_second);
    CHECK(lane.intervals[3].t0 == k_second);
    CHECK(lane.intervals[3].reason == WaitReason::sleep);
    CHECK(lane.intervals[3].cause == lane.intervals[2].cause);  // the same sleep goes on
    CHECK(c->trace().at(lane.intervals[3].e0).kind == EventKind::cancel_requested);
    CHECK_FALSE(lane.intervals[4].open());
    REQUIRE(lane.end.has_value());
    CHECK(lane.end->outcome == Outcome::returned);  // it caught the CancellationError
    CHECK_FALSE(lane.cancel_pending);               // a finished task has nothing pending

    const TaskId main_task = first_task_of_kind(c->trace(), TaskKind::main);
    const TaskLane& main_lane = fold.lane(main_task);
    REQUIRE_FALSE(main_lane.intervals.empty());
    CHECK(main_lane.intervals.front().state == LaneState::waiting_to_start);
    for (const StateInterval& iv : main_lane.intervals) CHECK_FALSE(iv.cancel_pending);
    REQUIRE(main_lane.end.has_value());
    CHECK(main_lane.end->outcome == Outcome::returned);
}

TEST_CASE("the fold of a Python run: a task is cancelled while asleep and re-raises; main waits for it") {
    auto c = controller_for("fold.py", k_python);
    c->run_until_idle();
    TaskFold fold;
    fold.sync(c->trace());
    const TaskLane& lane = fold.lane(task_named(c->trace(), "child()"));
    CHECK(states(lane) == std::vector<std::string>{"waiting to start", "running", "sleeping", "sleeping+cancel",
                                                   "running+cancel"});
    check_back_to_back(lane);
    REQUIRE(lane.intervals.size() == 5);
    CHECK(lane.intervals[2].t0 == 0);
    CHECK(lane.intervals[3].t0 == k_second);
    REQUIRE(lane.end.has_value());
    CHECK(lane.end->outcome == Outcome::cancelled);

    // main(): starts, sleeps 1 s, runs (cancels), waits for the task, runs again to its end.
    const TaskLane& main_lane = fold.lane(task_named(c->trace(), "main()"));
    CHECK(states(main_lane) ==
          std::vector<std::string>{"waiting to start", "running", "sleeping", "running", "suspended", "running"});
    REQUIRE(main_lane.intervals.size() == 6);
    CHECK(main_lane.intervals[2].t1 == k_second);
    CHECK(main_lane.intervals[4].reason == WaitReason::task);
    // asyncio.run's own lane (the module's code) waits for main() meanwhile.
    const TaskLane& module_lane = fold.lane(first_task_of_kind(c->trace(), TaskKind::main));
    REQUIRE(module_lane.intervals.size() >= 3);
    CHECK(module_lane.intervals[2].state == LaneState::suspended);
    REQUIRE(main_lane.end.has_value());
    CHECK(main_lane.end->outcome == Outcome::returned);
}

TEST_CASE("folding step by step gives the same lanes as folding the finished trace, and reading it at a cursor agrees") {
    SUBCASE("Swift") { check_incremental_equals_whole("fold.swift", k_swift); }
    SUBCASE("Python") { check_incremental_equals_whole("fold.py", k_python); }
}

TEST_CASE("a fold that keeps only current intervals ends in the same states with one interval per task") {
    auto c = controller_for("fold.py", k_python);
    c->run_until_idle();
    TaskFold every;
    TaskFold current(FoldKeeps::current_interval);
    every.sync(c->trace());
    current.sync(c->trace());
    for (TaskId t = 1; t < every.lanes().size(); ++t) {
        CAPTURE(t);
        REQUIRE(current.lane(t).intervals.size() <= 1);
        REQUIRE_FALSE(every.lane(t).intervals.empty());
        CHECK(same(current.lane(t).intervals.back(), every.lane(t).intervals.back()));
    }
    CHECK_FALSE(current.interval_at(1, 1).has_value());  // it cannot look back
}

TEST_CASE("a request while a cancel is pending does not split again, and uncancel with none left ends the pending state") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);
    t.append(EventKind::task_suspended, 1, 0, 0, static_cast<std::uint8_t>(WaitReason::sleep));
    t.set_clock(2, k_second);
    t.append(EventKind::cancel_requested, 1, 0, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));
    t.append(EventKind::cancel_requested, 1, 0, 0, static_cast<std::uint8_t>(CancelCause::timeout));
    t.append(EventKind::uncancelled, 1, 0, 1);  // one request left: still pending
    t.append(EventKind::uncancelled, 1, 0, 0);  // none left
    TaskFold fold;
    fold.sync(t);
    CHECK(states(fold.lane(1)) ==
          std::vector<std::string>{"waiting to start", "running", "sleeping", "sleeping+cancel", "sleeping"});
    CHECK(fold.lane(1).intervals.back().open());
    CHECK(fold.lane(1).intervals.back().cause == fold.lane(1).intervals[2].cause);
    CHECK_FALSE(fold.lane(1).cancel_pending);
    // Read at the cursor after the first request: sleeping under a pending cancel, still going.
    const auto at = fold.interval_at(1, 5);
    REQUIRE(at.has_value());
    CHECK(at->cancel_pending);
    CHECK(at->open());
    CHECK(fold.intervals_at(1, 5).size() == 4);
    CHECK(fold.intervals_at(1, 0).empty());
}

TEST_CASE("a hop to a busy actor is one wait: actor_waiting after the hop's suspension starts no new interval") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_actor(ActorInfo{.name = "Counter"});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.append(EventKind::task_started, 1);
    t.append(EventKind::task_suspended, 1, 1, 0, static_cast<std::uint8_t>(WaitReason::actor));
    t.append(EventKind::actor_waiting, 1, 1, 2);
    TaskFold fold;
    fold.sync(t);
    REQUIRE(fold.lane(1).intervals.size() == 3);
    CHECK(fold.lane(1).intervals.back().state == LaneState::actor_wait);
    CHECK(fold.lane(1).intervals.back().actor == 1);
    CHECK(fold.lane(1).intervals.back().e0 == 2);
}

TEST_CASE("lane order: structured children in creation order across scopes, spawned work after its creator's subtree") {
    // main (1) spawns Task {} (2); group child 3 and async-let child 6 of main, interleaved
    // with group child 7; 2 has a child 4; 3 spawns 5.
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "Task {}", {}, 0});
    t.add_task(TaskInfo{3, TaskKind::child, 1, 1, 1, "a", {}, 0});
    t.add_task(TaskInfo{4, TaskKind::child, 2, 2, 2, "b", {}, 0});
    t.add_task(TaskInfo{5, TaskKind::detached, 0, 3, 0, "Task.detached", {}, 0});
    t.add_task(TaskInfo{6, TaskKind::async_let, 1, 1, 3, "c", {}, 0});
    t.add_task(TaskInfo{7, TaskKind::child, 1, 1, 1, "d", {}, 0});
    const std::vector<TimelineLane> lanes = timeline_lanes(t);
    std::vector<std::string> seen;
    for (const TimelineLane& l : lanes)
        seen.push_back(std::to_string(l.task) + "@" + std::to_string(l.depth) + (l.unstructured ? "u" : ""));
    CHECK(seen == std::vector<std::string>{"1@0", "3@1", "5@1u", "6@1", "7@1", "2@0u", "4@1"});

    // The tree behind it: children grouped by scope, spawned work under its creator.
    LaneTree tree;
    CHECK(tree.sync(t));
    CHECK_FALSE(tree.sync(t));  // nothing new
    const LaneTree::Node& main_node = tree.node(1);
    REQUIRE(main_node.scoped.size() == 2);
    CHECK(main_node.scoped[0].first == 1);
    CHECK(main_node.scoped[0].second == std::vector<TaskId>{3, 7});
    CHECK(main_node.scoped[1].second == std::vector<TaskId>{6});
    CHECK(main_node.spawned == std::vector<TaskId>{2});
    CHECK(tree.node(4).lane_parent == 2);
    CHECK(tree.node(2).lane_parent == 0);
    CHECK(tree.node(2).unstructured);
    CHECK_FALSE(tree.node(3).unstructured);
}

TEST_CASE("lane order grows with the task table and starts over when the table shrinks") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    LaneTree tree;
    tree.sync(t);
    CHECK(tree.depth_first().size() == 1);
    t.add_task(TaskInfo{2, TaskKind::child, 1, 1, 1, "a", {}, 0});
    CHECK(tree.sync(t));
    REQUIRE(tree.depth_first().size() == 2);
    CHECK(tree.depth_first()[1].depth == 1);
    Trace fresh;
    fresh.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    tree.sync(fresh);
    CHECK(tree.depth_first().size() == 1);
}
