// Alike lanes: sibling lanes that look the same share one row (viz/model/lane_groups.hpp).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/model/lane_groups.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

/// A bundled scenario run to its end.
std::unique_ptr<Controller> run_bundled(const char* relative) {
    const std::filesystem::path path = std::filesystem::path(TASKLAB_SOURCE_DIR) / "scenarios" / relative;
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    auto file = std::make_shared<const SourceFile>(relative, text.str());
    ParseResult parsed = parse_scenario(file);
    REQUIRE(parsed.ok());
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

/// Every task once: each task row counts itself and its alike siblings.
std::size_t tasks_drawn(const LaneLayout& l) {
    std::size_t n = 0;
    for (const Row& r : l.rows())
        if (r.kind == RowKind::task) n += 1 + r.alike;
    return n;
}

}  // namespace

TEST_CASE("a thousand alike downloads are drawn as one row per kind of ending, and every task is still counted") {
    auto c = run_bundled("swift/cancel_all_what_really_happens.swift");
    const Trace& trace = c->trace();
    TimelineModel model;
    model.sync(trace, 1);
    LaneLayout base;
    base.update(trace, {});
    AlikeLanes alike;
    const LaneLayout& drawn = alike.update(trace, model, base, 1);
    REQUIRE(trace.tasks().size() == 1003);  // index 0 is a placeholder
    CHECK(base.rows().size() > 1000);
    // main, Task {}, the group's header, the cancelled downloads, the finished ones.
    CHECK(drawn.rows().size() == 5);
    CHECK(tasks_drawn(drawn) == trace.tasks().size() - 1);
    std::uint32_t largest = 0;
    for (const Row& r : drawn.rows()) largest = std::max(largest, r.alike);
    CHECK(largest == 988);  // the 989 downloads cancelAll() cancelled: one row, 988 more
    // A grouped task maps to its group's row and is not shown on a row of its own.
    for (TaskId t = 1; t < trace.tasks().size(); ++t) {
        const std::int64_t r = drawn.row_of(t);
        REQUIRE(r >= 0);
        REQUIRE(r < static_cast<std::int64_t>(drawn.rows().size()));
        const Row& row = drawn.rows()[static_cast<std::size_t>(r)];
        CHECK((row.task == t) == drawn.shown(t));
        const auto group = alike.group_of(t);
        CHECK(group.front() == row.task);
    }
    // The bracket of the task group still spans its (now two) children's rows.
    REQUIRE(drawn.brackets().size() == 1);
    CHECK(drawn.brackets()[0].last_row == drawn.rows().size() - 1);
}

TEST_CASE("a lesson with a handful of lanes is drawn one lane per task") {
    auto c = run_bundled("swift/taskgroup_child_error.swift");
    const Trace& trace = c->trace();
    TimelineModel model;
    model.sync(trace, 1);
    LaneLayout base;
    base.update(trace, {});
    AlikeLanes alike;
    const LaneLayout& drawn = alike.update(trace, model, base, 1);
    CHECK(&drawn == &base);
    for (const Row& r : drawn.rows()) CHECK(r.alike == 0);
}

TEST_CASE("lanes group only while they look alike: a replay to an earlier step regroups them") {
    auto c = run_bundled("swift/cancel_all_what_really_happens.swift");
    c->replay_to(3);  // the downloads are being created: not yet alike in the end
    TimelineModel model;
    model.sync(c->trace(), 2);
    LaneLayout base;
    base.update(c->trace(), {});
    AlikeLanes alike;
    const LaneLayout& early = alike.update(c->trace(), model, base, 2);
    CHECK(tasks_drawn(early) == c->trace().tasks().size() - 1);
    const std::size_t early_rows = early.rows().size();
    c->run_until_idle();
    model.sync(c->trace(), 2);
    base.update(c->trace(), {});
    const LaneLayout& late = alike.update(c->trace(), model, base, 3);
    CHECK(tasks_drawn(late) == c->trace().tasks().size() - 1);
    CHECK(late.rows().size() == 5);
    CHECK(early_rows != 0);
}
