// The timeline model on Swift actors: a task that waits for a busy actor gets a lane state of
// its own, naming the actor, and a task blocked while it keeps an actor says which one; the
// glossary and legend tell both in words.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"
#include "viz/model/glossary.hpp"
#include "viz/model/timeline_model.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

/// Runs the UI-freeze pattern: two main-actor tasks, one blocking the main actor for 0.9 s.
std::unique_ptr<Controller> ui_freeze() {
    auto file = std::make_shared<SourceFile>("freeze.swift", R"SW(
import Foundation
let ticker = Task {
    try? await Task.sleep(for: .milliseconds(200))
    print("tick")
}
let export = Task {
    usleep(900_000)
    print("export done")
}
await ticker.value
await export.value
)SW");
    ParseResult parsed = parse_swift(file);
    REQUIRE(parsed.ok());
    auto c = std::make_unique<Controller>(parsed.program);
    c->run_until_idle();
    return c;
}

TaskId named(const Trace& t, const std::string& name) {
    for (const TaskInfo& info : t.tasks())
        if (info.name == name) return info.id;
    return 0;
}

}  // namespace

TEST_CASE("a task woken while another holds its actor waits in a lane state of its own, naming the actor") {
    auto c = ui_freeze();
    const Trace& trace = c->trace();
    TimelineModel model;
    model.sync(trace, 1);
    const TaskId ticker = named(trace, "ticker");
    const TaskId exporter = named(trace, "export");
    REQUIRE(ticker != 0);
    REQUIRE(exporter != 0);
    ActorId main_actor = 0;
    for (const ActorInfo& a : trace.actors())
        if (a.name == "MainActor") main_actor = a.id;
    REQUIRE(main_actor != 0);

    // ticker: sleeping 0 → 0.2 s, then waiting for the main actor until 0.9 s.
    bool waited = false;
    for (const Interval& iv : model.lane(ticker).intervals)
        if (iv.state == LaneState::actor_wait) {
            waited = true;
            CHECK(iv.actor == main_actor);
            CHECK(iv.t0 == 200 * k_millisecond);
            CHECK(iv.t1 == 900 * k_millisecond);
        }
    CHECK(waited);
    // export: blocked 0 → 0.9 s, keeping the main actor.
    bool kept = false;
    for (const Interval& iv : model.lane(exporter).intervals)
        if (iv.state == LaneState::blocked) kept = iv.actor == main_actor;
    CHECK(kept);
}

TEST_CASE("the legend and the glossary name the actor wait and the actor events in plain words") {
    CHECK(words(LaneState::actor_wait) == "waiting for an actor");
    CHECK(words(WaitReason::actor) == "waiting for an actor");
    CHECK(words(EventKind::actor_waiting) == "waits for an actor");
    bool in_legend = false;
    for (const LegendEntry& e : legend_entries())
        in_legend = in_legend || (e.kind == LegendEntry::Kind::state && e.value == static_cast<int>(LaneState::actor_wait));
    CHECK(in_legend);
}
