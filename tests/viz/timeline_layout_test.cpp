// Timeline layout maths: time↔pixel, lane order and brackets, level of detail, arrow routes.
#include <doctest/doctest.h>

#include <algorithm>

#include "viz/model/timeline_layout.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

/// main(1) starts Task {}(2); task 2 opens group scope 1 with children 3 and 4; child 3 opens
/// group scope 2 with child 6 and starts an unstructured Task {}(5); main starts a detached
/// task (7) last.
Trace family_trace() {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.add_task(TaskInfo{2, TaskKind::unstructured, 0, 1, 0, "Task {} @10", {}, 1});
    t.add_scope(ScopeInfo{1, ScopeKind::throwing_task_group, 2, "withThrowingTaskGroup @12", {}});
    t.add_task(TaskInfo{3, TaskKind::child, 2, 2, 1, "child A", {}, 2});
    t.add_task(TaskInfo{4, TaskKind::child, 2, 2, 1, "child B", {}, 3});
    t.add_task(TaskInfo{5, TaskKind::unstructured, 0, 3, 0, "Task {} @20", {}, 4});
    t.add_scope(ScopeInfo{2, ScopeKind::task_group, 3, "withTaskGroup @22", {}});
    t.add_task(TaskInfo{6, TaskKind::child, 3, 3, 2, "grandchild", {}, 5});
    t.add_task(TaskInfo{7, TaskKind::detached, 0, 1, 0, "Task.detached @30", {}, 6});
    return t;
}

std::vector<TaskId> task_rows(const LaneLayout& l) {
    std::vector<TaskId> out;
    for (const Row& r : l.rows()) out.push_back(r.kind == RowKind::task ? r.task : 1000 + r.scope);
    return out;
}

Interval interval(Tick t0, Tick t1, LaneState s, std::uint32_t e0) {
    Interval iv;
    iv.t0 = t0;
    iv.t1 = t1;
    iv.e0 = e0;
    iv.e1 = e0 + 1;
    iv.state = s;
    return iv;
}

}  // namespace

TEST_CASE("time maps to pixels and back, and zooming keeps the point under the mouse still") {
    TimeView v;
    v.set_pixels(100, 1000);
    v.set_range(0, 10.0 * k_second);
    CHECK(v.to_x(5.0 * k_second) == doctest::Approx(600));
    CHECK(v.to_position(600) == doctest::Approx(5.0 * k_second));
    v.zoom(0.5, 350);  // 2.5 s is under x = 350
    CHECK(v.to_x(2.5 * k_second) == doctest::Approx(350));
    CHECK(v.end() - v.begin() == doctest::Approx(5.0 * k_second));
    v.pan_pixels(100);  // content moves right: earlier times come in
    CHECK(v.to_x(2.5 * k_second) == doctest::Approx(450));
}

TEST_CASE("fitting shows the whole range with a small margin and ruler ticks are 1, 2 or 5 times a power of ten") {
    TimeView v;
    v.set_pixels(0, 1000);
    v.fit(0, 3.0 * k_second);
    CHECK(v.begin() < 0);
    CHECK(v.end() > 3.0 * k_second);
    CHECK(v.to_x(0) > 0);
    CHECK(v.to_x(3.0 * k_second) < 1000);
    v.set_range(0, 10.0 * k_second);
    CHECK(v.tick_step(80) == doctest::Approx(1.0 * k_second));  // 80 px = 0.8 s → 1 s
    CHECK(v.tick_step(150) == doctest::Approx(2.0 * k_second)); // 1.5 s → 2 s
    CHECK(v.tick_step(300) == doctest::Approx(5.0 * k_second)); // 3 s → 5 s
}

TEST_CASE("lanes follow the task tree depth first, with unstructured work as top-level lanes outside brackets") {
    Trace t = family_trace();
    LaneLayout l;
    l.update(t, {});
    // 1000 + n is the header row of scope n. Task 5 was created by child A (inside the group)
    // but is unstructured: it has no parent, so it is a top-level lane after Task {} @10's
    // whole subtree (creation order among top-level lanes).
    CHECK(task_rows(l) == std::vector<TaskId>{1, 2, 1001, 3, 1002, 6, 4, 5, 7});
    std::vector<std::uint32_t> depths;
    for (const Row& r : l.rows()) depths.push_back(r.depth);
    CHECK(depths == std::vector<std::uint32_t>{0, 0, 1, 1, 2, 2, 1, 0, 0});
    CHECK(l.rows()[1].unstructured);
    CHECK(l.rows()[7].unstructured);
    CHECK(l.rows()[8].unstructured);
    CHECK_FALSE(l.rows()[3].unstructured);
    CHECK_FALSE(l.rows()[0].has_children);  // main has no structured children here
    CHECK(l.row_of(6) == 5);
    CHECK(l.lane_parent(2) == 0);
    CHECK(l.lane_parent(5) == 0);
    CHECK(l.lane_parent(6) == 3);
}

TEST_CASE("each structured scope is bracketed from its header row to its last child's subtree") {
    Trace t = family_trace();
    LaneLayout l;
    l.update(t, {});
    REQUIRE(l.brackets().size() == 2);
    const Bracket& outer = l.brackets()[0];
    const Bracket& inner = l.brackets()[1];
    CHECK(outer.scope == 1);
    CHECK(outer.owner == 2);
    CHECK(outer.first_row == 2);
    CHECK(outer.last_row == 6);  // child B; the unstructured task 5 stays outside
    CHECK(inner.scope == 2);
    CHECK(inner.first_row == 4);
    CHECK(inner.last_row == 5);
    // No unstructured row lies inside a bracket.
    for (const Bracket& b : l.brackets())
        for (std::uint32_t r = b.first_row; r <= b.last_row; ++r) CHECK_FALSE(l.rows()[r].unstructured);
}

TEST_CASE("folding a task hides its subtree and maps hidden tasks to its row") {
    Trace t = family_trace();
    LaneLayout l;
    l.update(t, {2});
    CHECK(task_rows(l) == std::vector<TaskId>{1, 2, 5, 7});  // 5 is unstructured: not folded with its creator
    CHECK(l.rows()[1].folded);
    CHECK(l.rows()[1].hidden == 3);  // 3, 4, 6
    CHECK(l.row_of(6) == 1);
    CHECK_FALSE(l.shown(6));
    CHECK(l.brackets().empty());
    l.update(t, {});
    CHECK(l.rows().size() == 9);
}

TEST_CASE("tasks appearing later extend the layout without a reset") {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    LaneLayout l;
    l.update(t, {});
    CHECK(l.rows().size() == 1);
    t.add_scope(ScopeInfo{1, ScopeKind::task_group, 1, "withTaskGroup @3", {}});
    t.add_task(TaskInfo{2, TaskKind::child, 1, 1, 1, "child", {}, 1});
    l.update(t, {});
    CHECK(task_rows(l) == std::vector<TaskId>{1, 1001, 2});
}

TEST_CASE("only the rows inside the vertical window are visible") {
    Trace t = family_trace();
    LaneLayout l;
    l.update(t, {});
    CHECK(l.visible_rows(0, 100, 30) == std::pair<std::uint32_t, std::uint32_t>{0, 4});
    CHECK(l.visible_rows(95, 40, 30) == std::pair<std::uint32_t, std::uint32_t>{3, 5});
    CHECK(l.visible_rows(1000, 100, 30) == std::pair<std::uint32_t, std::uint32_t>{9, 9});
}

TEST_CASE("sub-pixel intervals are merged into one span per pixel column, wide ones stay whole") {
    // 1,000 one-tick intervals alternating running and suspended, then one wide sleep.
    std::vector<Interval> ivs;
    for (std::uint32_t i = 0; i < 1000; ++i)
        ivs.push_back(interval(i, i + 1, i % 2 ? LaneState::suspended : LaneState::running, i));
    ivs.push_back(interval(1000, 2000, LaneState::sleeping, 1000));
    TimelineModel model;
    AxisPositions axis(model, false);
    TimeView v;
    v.set_pixels(0, 20);  // 100 ticks per pixel
    v.set_range(0, 2000);
    std::vector<LodSpan> spans;
    lod_spans(ivs, axis, v, 0, 20, spans);
    REQUIRE(spans.size() >= 2);
    CHECK(spans.size() <= 11);
    std::uint32_t merged = 0;
    for (std::size_t k = 0; k + 1 < spans.size(); ++k) {
        merged += spans[k].merged;
        CHECK(spans[k].state == LaneState::running);  // running wins a crowded column
    }
    CHECK(merged == 1000);
    CHECK(spans.back().state == LaneState::sleeping);
    CHECK(spans.back().merged == 1);
    CHECK(spans.back().x0 == doctest::Approx(10));
    CHECK(spans.back().x1 == doctest::Approx(20));
    // Zoomed in, every interval is its own span.
    v.set_range(0, 20);  // 1 tick per pixel
    lod_spans(ivs, axis, v, 0, 20, spans);
    CHECK(spans.size() == 20);
    CHECK(spans[3].state == LaneState::suspended);
}

TEST_CASE("a lane with a million intervals yields a bounded number of spans") {
    std::vector<Interval> ivs;
    ivs.reserve(1'000'000);
    for (std::uint32_t i = 0; i < 1'000'000; ++i)
        ivs.push_back(interval(i, i + 1, i % 3 ? LaneState::suspended : LaneState::running, i));
    TimelineModel model;
    AxisPositions axis(model, false);
    TimeView v;
    v.set_pixels(0, 1500);
    v.set_range(0, 1'000'000);
    std::vector<LodSpan> spans;
    lod_spans(ivs, axis, v, 0, 1500, spans);
    CHECK(spans.size() <= 1501);
    // Panning to the right half only looks at the intervals there.
    lod_spans(ivs, axis, v, 750, 1500, spans);
    CHECK(spans.front().x0 >= 750);
}

TEST_CASE("marks crowd into one glyph per kind and pixel column") {
    std::vector<Mark> marks;
    for (std::uint32_t i = 0; i < 500; ++i) marks.push_back(Mark{i, static_cast<Tick>(i), MarkKind::printed, 0, 0});
    marks.push_back(Mark{500, 250, MarkKind::cancel_requested, 0, 0});
    std::sort(marks.begin(), marks.end(), [](const Mark& a, const Mark& b) { return a.time < b.time; });
    TimelineModel model;
    AxisPositions axis(model, false);
    TimeView v;
    v.set_pixels(0, 10);
    v.set_range(0, 500);
    std::vector<LodMark> out;
    lod_marks(marks, axis, v, 0, 10, out);
    std::uint32_t prints = 0;
    int cancels = 0;
    for (const LodMark& m : out) {
        if (marks[m.index].kind == MarkKind::printed) prints += m.count;
        else ++cancels;
    }
    CHECK(prints == 500);
    CHECK(cancels == 1);  // a rare kind is never swallowed by a crowd of another
    CHECK(out.size() <= 12);
}

TEST_CASE("arrows run between lane centres and stop at the target bar's edge") {
    const ArrowRoute down = route_arrow(ArrowKind::spawn, 50, 10, 110, 6);
    REQUIRE(down.count == 2);
    CHECK(down.points[0].x == 50);
    CHECK(down.points[0].y == 10);
    CHECK(down.points[1].x == 50);
    CHECK(down.points[1].y == 104);
    const ArrowRoute up = route_arrow(ArrowKind::explicit_cancel, 50, 110, 10, 6);
    REQUIRE(up.count == 3);
    CHECK(up.points[1].x == 54);  // cancel arrows leave the spawn line free
    CHECK(up.points[2].x == 54);
    CHECK(up.points[2].y == 16);
    const ArrowRoute delivered = route_arrow(ArrowKind::error_delivered, 50, 110, 10, 6);
    CHECK(delivered.points[2].x == 46);
    const ArrowRoute same = route_arrow(ArrowKind::explicit_cancel, 50, 30, 30, 6);
    REQUIRE(same.count == 2);
    CHECK(same.points[1].x > 50);
    CHECK(same.points[1].y == 30);
}
