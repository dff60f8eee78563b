// The timeline model on asyncio worker threads: a to_thread call is a lane of its own, marked
// as a thread (not merely unstructured), blocked while it sleeps, never cancelled; the legend
// and the glossary name it in words.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/model/glossary.hpp"
#include "viz/model/timeline_layout.hpp"
#include "viz/model/timeline_model.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

std::unique_ptr<Controller> outlived() {
    auto file = std::make_shared<SourceFile>("threads.py", R"PY(import asyncio, time
def download():
    time.sleep(2)
    print("thread done")
async def main():
    try:
        await asyncio.wait_for(asyncio.to_thread(download), timeout=0.5)
    except TimeoutError:
        print("gave up")
asyncio.run(main())
)PY");
    ParseResult parsed = parse_python(file);
    REQUIRE(parsed.ok());
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

}  // namespace

TEST_CASE("a to_thread call is a lane marked as a worker thread, blocked while it sleeps and never cancelled") {
    auto c = outlived();
    const Trace& trace = c->trace();
    TaskId worker = 0;
    for (const TaskInfo& info : trace.tasks())
        if (info.kind == TaskKind::thread) worker = info.id;
    REQUIRE(worker != 0);
    CHECK(trace.task(worker).name == "download()");

    LaneLayout layout;
    layout.update(trace, {});
    const auto& rows = layout.rows();
    const auto row = std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.kind == RowKind::task && r.task == worker; });
    REQUIRE(row != rows.end());
    CHECK(row->thread);
    CHECK(row->unstructured);  // no parent either: a top-level lane
    for (const Row& r : rows)
        if (r.kind == RowKind::task && r.task != worker) CHECK_FALSE(r.thread);

    TimelineModel model;
    model.sync(trace, 1);
    bool blocked = false;
    for (const Interval& iv : model.lane(worker).intervals) {
        if (iv.state == LaneState::blocked) {
            blocked = true;
            CHECK(iv.t0 == 0);
            CHECK(iv.t1 == 2 * k_second);
        }
        CHECK_FALSE(iv.cancel_pending);  // the caller's timeout never reaches the thread
    }
    CHECK(blocked);
    REQUIRE(model.lane(worker).end);
    CHECK(model.lane(worker).end->outcome == Outcome::returned);
}

TEST_CASE("the legend and the glossary name the worker thread in plain words") {
    CHECK(words(TaskKind::thread) == "worker thread");
    bool listed = false;
    for (const LegendEntry& e : legend_entries())
        if (e.kind == LegendEntry::Kind::thread) {
            listed = true;
            CHECK(std::string(e.glyph) == glyph::thread);
            CHECK(e.words == "thread");
        }
    CHECK(listed);
}
