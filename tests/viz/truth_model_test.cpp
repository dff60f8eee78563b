// The timeline model draws what really happened, read from real runs of small scenarios:
// a queued GCD work item is "not started" until its slot comes, and asyncio's uncancel()
// ends the "cancel requested, still going" hatch once no request is left pending.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/model/timeline_model.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

std::unique_ptr<Controller> run(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = name.ends_with(".py") ? parse_python(file) : parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

TaskId task_named(const Trace& t, const std::string& name) {
    for (const TaskInfo& info : t.tasks())
        if (info.name == name) return info.id;
    FAIL("no task named " << name);
    return 0;
}

}  // namespace

TEST_CASE("a work item waiting behind another on a serial queue is drawn not started until its slot comes") {
    const auto c = run("q.swift",
                       "import Foundation\n"
                       "let q = DispatchQueue(label: \"q\")\n"
                       "let first = DispatchWorkItem { sleep(2) }\n"
                       "let second = DispatchWorkItem { print(\"second\") }\n"
                       "q.async(execute: first)\n"
                       "q.async(execute: second)\n"
                       "sleep(3)\n");
    TimelineModel m;
    m.sync(c->trace(), 1);
    const LaneData& lane = m.lane(task_named(c->trace(), "second"));
    REQUIRE(lane.intervals.size() >= 2);
    CHECK(lane.intervals[0].state == LaneState::waiting_to_start);
    CHECK(lane.intervals[0].t0 == 0);
    CHECK(lane.intervals[0].t1 == 2 * k_second);
    CHECK(lane.intervals[1].state == LaneState::running);
    for (const Interval& i : lane.intervals) CHECK(i.reason != WaitReason::queue_slot);
}

TEST_CASE("asyncio.timeout's uncancel ends the cancel-requested hatch of the task it took the cancel back from") {
    const auto c = run("t.py",
                       "import asyncio\n"
                       "async def main():\n"
                       "    try:\n"
                       "        async with asyncio.timeout(1):\n"
                       "            await asyncio.sleep(5)\n"
                       "    except TimeoutError:\n"
                       "        pass\n"
                       "    await asyncio.sleep(2)\n"
                       "asyncio.run(main())\n");
    TimelineModel m;
    m.sync(c->trace(), 1);
    const LaneData& lane = m.lane(task_named(c->trace(), "main()"));
    bool hatched = false;
    for (const Interval& i : lane.intervals) {
        if (i.cancel_pending) {
            hatched = true;
            CHECK(i.t0 == k_second);
            CHECK(i.t1 == k_second);  // the timeout converts the cancel at once
        }
        if (i.t0 >= k_second && i.t1 > k_second) CHECK_FALSE(i.cancel_pending);  // the 2 s sleep after it
    }
    CHECK(hatched);
    REQUIRE(lane.end.has_value());
    CHECK(lane.end->time == 3 * k_second);
}
