// The event log's filter: by kind, by text, incrementally.
#include <doctest/doctest.h>

#include "viz/model/event_filter.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

Trace printing_trace(int lines) {
    Trace t;
    t.add_task(TaskInfo{1, TaskKind::main, 0, 0, 0, "main", {}, 0});
    t.set_clock(0, 0);
    t.append(EventKind::task_created, 1, 0, 0, static_cast<std::uint8_t>(TaskKind::main));
    t.set_clock(1, 0);
    t.append(EventKind::task_started, 1);
    for (int i = 0; i < lines; ++i)
        t.append(EventKind::printed, 1, 0, t.add_string(i % 2 ? "Odd line" : "even line"));
    return t;
}

}  // namespace

TEST_CASE("text matching ignores ASCII case") {
    CHECK(contains_folded("Task {} @12 cancel_requested", "CANCEL"));
    CHECK(contains_folded("anything", ""));
    CHECK_FALSE(contains_folded("main", "mains"));
}

TEST_CASE("an empty filter lists every event, and the index grows with the trace") {
    Trace t = printing_trace(3);
    EventIndex idx;
    CHECK(idx.sync(t, 1, EventFilter{}, nullptr));
    CHECK(idx.indices().size() == 5);
    t.append(EventKind::task_finished, 1, 0, t.add_string(""), static_cast<std::uint8_t>(Outcome::returned));
    CHECK(idx.sync(t, 1, EventFilter{}, nullptr));
    CHECK(idx.indices().size() == 6);
    CHECK(idx.indices().back() == 5);
}

TEST_CASE("a kind filter and a text filter combine") {
    const Trace t = printing_trace(6);
    EventFilter f;
    f.kinds.reset();
    f.kinds.set(static_cast<std::size_t>(EventKind::printed));
    EventIndex idx;
    idx.sync(t, 1, f, nullptr);
    CHECK(idx.indices().size() == 6);
    f.text = "odd";
    idx.sync(t, 1, f, nullptr);
    REQUIRE(idx.indices().size() == 3);
    CHECK(idx.indices()[0] == 3);
    // The kind's name and the task's name are searched too.
    f.kinds = EventFilter::all_kinds();
    f.text = "TASK_STARTED";
    idx.sync(t, 1, f, nullptr);
    CHECK(idx.indices().size() == 1);
}

TEST_CASE("a text filter over a long trace catches up within its budget, call by call") {
    const Trace t = printing_trace(100);
    EventFilter f;
    f.text = "even";
    EventIndex idx;
    int calls = 1;
    while (!idx.sync(t, 1, f, nullptr, 30)) ++calls;
    CHECK(calls == 4);
    CHECK(idx.scanned() == t.size());
    CHECK(idx.indices().size() == 50);
    // A new epoch starts over.
    idx.sync(t, 2, f, nullptr, 10);
    CHECK(idx.scanned() == 10);
}
