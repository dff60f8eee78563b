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

// ---------------------------------------------------------------- the time-and-steps axis

namespace {

/// main (1) and a child (2). 0 s: steps 0–2 (a spawn, a note, bookkeeping); 1 s: one step (a
/// print); 2 s: steps 4–6 (a cancel request, the child noticing and throwing, its end);
/// 3 s: one step (main ends). Instants at 0 s and 2 s hold several steps.
Trace instants_trace() {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));  // 0
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);                                                   // 1
    t.add_task(TaskInfo{2, TaskKind::child, 1, 1, 0, "child", {}, 2});
    t.append(EventKind::task_created, 2, 1, 0, static_cast<std::uint8_t>(TaskKind::child)); // 2
    t.append(EventKind::narration, 1, 0, 1);                                                // 3
    t.append(EventKind::task_suspended, 1, 0, t.intern("sleep 3s"), static_cast<std::uint8_t>(WaitReason::sleep));
    t.set_clock(2, 0);
    t.append(EventKind::task_started, 2);                                                   // 5
    t.append(EventKind::task_suspended, 2, 0, t.intern("sleep 2s"), static_cast<std::uint8_t>(WaitReason::sleep));
    t.set_clock(3, k_second);
    t.append(EventKind::printed, 1, 0, t.add_string("tick"));                               // 7
    t.set_clock(4, 2 * k_second);
    t.append(EventKind::cancel_requested, 2, 1, 0, static_cast<std::uint8_t>(CancelCause::explicit_call));  // 8
    t.set_clock(5, 2 * k_second);
    t.append(EventKind::task_resumed, 2, 0, 0, static_cast<std::uint8_t>(ResumeStatus::cancelled));       // 9
    t.append(EventKind::cancel_observed, 2, 0, 0, static_cast<std::uint8_t>(ObservedBy::sleep));           // 10
    t.append(EventKind::threw, 2, 0, t.add_string("CancellationError()"));                                 // 11
    t.set_clock(6, 2 * k_second);
    t.append(EventKind::task_finished, 2, 0, 0, static_cast<std::uint8_t>(Outcome::cancelled));           // 12
    t.set_clock(7, 3 * k_second);
    t.append(EventKind::task_resumed, 1);                                                   // 13
    t.append(EventKind::task_finished, 1, 0, 0, static_cast<std::uint8_t>(Outcome::returned));  // 14
    return t;
}

struct MixedFixture {
    Trace trace = instants_trace();
    TimelineModel model;
    InstantTable table;
    TimeView view;
    MixedFixture(float width_px = 1000, float min_px = 15) {
        model.sync(trace, 1);
        table.build(trace);
        view.set_pixels(0, width_px);
        view.set_slot_width(fit_slot_width(3 * k_second, table.total_slots(), width_px, min_px));
        const AxisPositions a = axis();
        const auto [lo, hi] = a.extent(3 * k_second, 7);
        view.set_range(lo, hi);
    }
    [[nodiscard]] AxisPositions axis() const { return AxisPositions(model, TimeAxis::time_and_steps, &table, view.slot_width()); }
    [[nodiscard]] float x(std::uint32_t event) const { return view.to_x(axis().event(event, model.time_of_event(event))); }
    /// The pixels step `s` takes: from its first event's slot start to the next step's.
    [[nodiscard]] float step_px(std::uint64_t s) const {
        const double slot = view.slot_width();
        const double a = slot * table.slots_before_event(table.first_event_of_step(s));
        const double b = slot * table.slots_before_event(table.first_event_of_step(s + 1));
        return static_cast<float>((b - a) / view.units_per_pixel());
    }
};

}  // namespace

TEST_CASE("instants holding several steps are opened, each step taking at least half a slot") {
    const Trace t = instants_trace();
    InstantTable table;
    table.build(t);
    REQUIRE(table.opened().size() == 2);
    const auto& zero = table.opened()[0];
    const auto& two = table.opened()[1];
    CHECK(zero.time == 0);
    CHECK(zero.first_step == 0);
    CHECK(zero.end_step == 3);
    CHECK(zero.first_event == 0);
    CHECK(zero.end_event == 7);
    // Step 0: main's creation (a spawn: half a slot); step 1: a spawn (0.5) and a note (1);
    // step 2: bookkeeping only (raised to half a slot, shared by its two events).
    CHECK(zero.slots == doctest::Approx(0.5 + 1.5 + 0.5));
    CHECK(table.slots_before_event(6) - table.slots_before_event(5) == doctest::Approx(0.25));
    CHECK(two.time == 2 * k_second);
    CHECK(two.first_step == 4);
    CHECK(two.end_step == 7);
    CHECK(two.slots_before == doctest::Approx(2.5));
    CHECK(two.slots == doctest::Approx(1.0 + 2.0 + 1.0));  // request; observed + threw; the end
    CHECK(two.key_events == 4);
    CHECK(table.total_slots() == doctest::Approx(6.5));
    // The instant at 1 s holds one step: no slots.
    CHECK(table.slots_before_event(7) == doctest::Approx(table.slots_before_event(8)));
    CHECK(table.opened_at(k_second) == nullptr);
    CHECK(table.opened_at(2 * k_second) == &table.opened()[1]);
    CHECK(table.crowded());
    CHECK(table.time_of_event(9) == 2 * k_second);
}

TEST_CASE("positions on the time-and-steps axis only grow, event after event") {
    MixedFixture f;
    double last = -1;
    for (std::uint32_t e = 0; e < f.trace.size(); ++e) {
        const double p = f.axis().event(e, f.model.time_of_event(e));
        CHECK(p >= last);
        last = p;
    }
    // Events that draw something get distinct places, even at one instant.
    CHECK(f.x(10) > f.x(9));
    CHECK(f.x(11) > f.x(10));
    CHECK(f.x(12) > f.x(11));
    CHECK(f.axis().cursor() >= last);
}

TEST_CASE("between opened instants the time-and-steps axis is proportional to virtual time") {
    MixedFixture f;
    const AxisPositions a = f.axis();
    const float px_per_second = static_cast<float>(k_second / f.view.units_per_pixel());
    // 0.5 s → 1 s → 1.5 s: no instant is opened between them.
    const float x_half = f.view.to_x(a.time_position(k_second / 2));
    const float x_one = f.view.to_x(a.time_position(k_second));
    const float x_one_half = f.view.to_x(a.time_position(3 * k_second / 2));
    CHECK(x_one - x_half == doctest::Approx(px_per_second * 0.5f).epsilon(1e-4));
    CHECK(x_one_half - x_one == doctest::Approx(px_per_second * 0.5f).epsilon(1e-4));
    // The print at 1 s (an instant of one step) sits exactly at 1 s.
    CHECK(f.x(7) == doctest::Approx(x_one));
    // From the end of the 2 s instant to 3 s is one second's worth of pixels.
    const InstantTable::Opened& two = f.table.opened()[1];
    const double two_end = static_cast<double>(two.time) + f.view.slot_width() * (two.slots_before + two.slots);
    CHECK(f.x(14) - f.view.to_x(two_end) == doctest::Approx(px_per_second).epsilon(1e-4));
    // Without a slot width (or on a run with no opened instant) it is the time axis.
    const AxisPositions plain(f.model, TimeAxis::time_and_steps, &f.table, 0.0);
    CHECK(plain.event(7, k_second) == doctest::Approx(static_cast<double>(k_second)));
}

TEST_CASE("fitted, every step of an opened instant is at least the minimum width, and zooming in only widens it") {
    MixedFixture f(1000, 15);
    // Every step at least half a slot; a step that draws at least a slot per glyph.
    for (std::uint64_t s : {0, 1, 2, 4, 5, 6}) CHECK(f.step_px(s) >= 7.5f - 0.01f);
    for (std::uint64_t s : {4, 6}) CHECK(f.step_px(s) >= 15.0f - 0.01f);
    CHECK(f.step_px(5) >= 30.0f - 0.01f);
    // Two consecutive key events of one step (observed, threw) are a slot apart.
    CHECK(f.x(11) - f.x(10) >= 15.0f - 0.01f);
    // The slots take what they need and time the rest: 6.5 slots × 15 px of 1000 px.
    CHECK(f.step_px(0) == doctest::Approx(7.5f).epsilon(1e-3));
    const float before = f.x(11) - f.x(10);
    const float anchor_x = f.x(10);
    f.view.zoom(0.5, anchor_x);
    CHECK(f.x(10) == doctest::Approx(anchor_x));  // the point under the anchor stays
    CHECK(f.x(11) - f.x(10) == doctest::Approx(before * 2).epsilon(1e-3));
    f.view.pan_pixels(120);
    CHECK(f.x(10) == doctest::Approx(anchor_x + 120));
    CHECK(f.x(11) - f.x(10) == doctest::Approx(before * 2).epsilon(1e-3));
}

TEST_CASE("when the minimum widths would crowd out time, the slots take at most 70 percent of the width") {
    // 6.5 slots × 100 px would be 650 px of 500: the slots get 350 px, time 150.
    MixedFixture f(500, 100);
    const double slots_px = f.table.total_slots() * f.view.slot_width() / f.view.units_per_pixel();
    const double time_px = 3.0 * k_second / f.view.units_per_pixel();
    CHECK(slots_px / (slots_px + time_px) == doctest::Approx(0.7));
    // A run that takes no virtual time is all slots; a run with no opened instant has none.
    CHECK(fit_slot_width(0, 12.0, 1000, 15) == doctest::Approx(1.0));
    CHECK(fit_slot_width(3 * k_second, 0.0, 1000, 15) == 0.0);
}

TEST_CASE("pixels map back to the same time between instants and to the same step inside them") {
    MixedFixture f;
    const AxisPositions a = f.axis();
    for (Tick t : {Tick{k_second / 4}, Tick{k_second}, Tick{3 * k_second / 2}, Tick{5 * k_second / 2}}) {
        const double p = a.time_position(t);
        CHECK(a.at(p).time == t);
        CHECK_FALSE(a.at(p).in_step);
        // Through a pixel: within what one pixel is worth.
        const AxisPoint back = a.at(f.view.to_position(f.view.to_x(p)));
        CHECK(static_cast<double>(std::llabs(back.time - t)) <= f.view.units_per_pixel());
    }
    for (std::uint64_t s : {0, 1, 2, 4, 5, 6}) {
        const AxisPoint p = a.at(f.view.to_position(f.view.to_x(a.step_position(s))));
        CHECK(p.in_step);
        CHECK(p.step == s);
        CHECK(p.time == f.table.time_of_event(f.table.first_event_of_step(s)));
    }
    // The same on the step axis.
    const AxisPositions steps(f.model, TimeAxis::steps, nullptr, 0);
    CHECK(steps.at(steps.step_position(5)).step == 5);
}

TEST_CASE("a fan-out lane after lane takes slots for its first three events only, so a thousand spawns stay narrow") {
    // main spawns 1,000 children in one step, then (another step) cancels them all.
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    for (TaskId c = 2; c < 1002; ++c) {
        t.add_task(TaskInfo{c, TaskKind::child, 1, 1, 0, "child", {}, c});
        t.append(EventKind::task_created, c, 1, 0, static_cast<std::uint8_t>(TaskKind::child));
    }
    t.set_clock(2, 0);
    for (TaskId c = 2; c < 1002; ++c) {
        t.append(EventKind::cancel_requested, c, 1, 0, static_cast<std::uint8_t>(CancelCause::group_cancel_all));
        t.append(EventKind::timer_disarmed, c);  // bookkeeping between them does not end the fan
    }
    InstantTable table;
    table.build(t);
    REQUIRE(table.opened().size() == 1);
    // Step 0: 0.5; step 1: three spawns of 0.5; step 2: three cancels of 1.
    CHECK(table.opened()[0].slots == doctest::Approx(0.5 + 1.5 + 3.0));
    // The first three spawns are half a slot apart, the rest share the place after them.
    CHECK(table.event_centre(2) - table.event_centre(1) == doctest::Approx(0.5));
    CHECK(table.event_centre(3) - table.event_centre(2) == doctest::Approx(0.5));
    CHECK(table.event_centre(500) == doctest::Approx(table.event_centre(4)));
    CHECK(table.crowded());  // three cancel requests at one instant

    // One lane printing line after line is no fan-out: every print gets its slot.
    Trace p;
    p.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    p.set_clock(0, 0);
    p.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    p.set_clock(1, 0);
    for (int i = 0; i < 11; ++i) p.append(EventKind::printed, 1, 0, p.add_string("line"));
    InstantTable prints;
    prints.build(p);
    REQUIRE(prints.opened().size() == 1);
    CHECK(prints.opened()[0].slots == doctest::Approx(0.5 + 11.0));
}

TEST_CASE("two runs on one time-and-steps axis open each instant as wide as the wider of the two") {
    // Run A is instants_trace() (instants opened at 0 s and 2 s); run B opens only 0 s, wider.
    MixedFixture a;
    Trace tb;
    tb.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    tb.set_clock(0, 0);
    tb.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    tb.set_clock(1, 0);
    for (int i = 0; i < 6; ++i) tb.append(EventKind::printed, 1, 0, tb.add_string("line"));
    tb.append(EventKind::task_suspended, 1, 0, tb.intern("sleep 3s"), static_cast<std::uint8_t>(WaitReason::sleep));
    tb.set_clock(2, 3 * k_second);
    tb.append(EventKind::task_resumed, 1);
    tb.append(EventKind::task_finished, 1, 0, 0, static_cast<std::uint8_t>(Outcome::returned));
    TimelineModel mb;
    mb.sync(tb, 1);
    InstantTable b;
    b.build(tb);
    const InstantTable shared = InstantTable::merged(a.table, b);
    REQUIRE(shared.opened().size() == 2);
    CHECK(shared.opened()[0].slots == doctest::Approx(6.5));  // B's 0.5 + 6 beats A's 2.5
    CHECK(shared.opened()[1].slots == doctest::Approx(4.0));  // only A opens 2 s
    CHECK(shared.total_slots() == doctest::Approx(10.5));
    const double slot = 1e7;
    const AxisPositions pa(a.model, TimeAxis::time_and_steps, &a.table, slot, &shared);
    const AxisPositions pb(mb, TimeAxis::time_and_steps, &b, slot, &shared);
    // Any time outside an opened instant lies at the same place for both runs.
    for (Tick t : {Tick{k_second / 2}, Tick{k_second}, Tick{5 * k_second / 2}, Tick{3 * k_second}})
        CHECK(pa.time_position(t) == doctest::Approx(pb.time_position(t)));
    // B's end at 3 s and A's end at 3 s line up; each run's events keep their own order.
    CHECK(pa.event(14, 3 * k_second) == doctest::Approx(pb.event(9, 3 * k_second)));
    CHECK(pb.event(3, 0) > pb.event(2, 0));
    CHECK(pa.at(pa.time_position(k_second)).time == k_second);
}
