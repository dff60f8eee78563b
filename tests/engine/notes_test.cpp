// Notes: `tasklab: note` fires when its statement starts, `note-at <event>` when the event
// happens in the task running the statement; every note is recorded once, and the narration
// events number their chapters in playing order (Scheduler::narrate).
#include <doctest/doctest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

/// One narration event as recorded: its note text, chapter, time and where in the trace.
struct Narrated {
    std::string text;
    std::uint32_t chapter = 0;
    Tick time = 0;
    std::uint64_t index = 0;
};

struct Run {
    std::vector<Narrated> notes;
    std::vector<Event> events;
};

Run run(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = name.ends_with(".py") ? parse_python(file) : parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Run r;
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) {
        const Event e = c.trace().at(i);
        r.events.push_back(e);
        if (e.kind == EventKind::narration)
            r.notes.push_back({parsed.program->notes.at(e.payload - 1), e.related, e.time, i});
    }
    return r;
}

/// The index of the first event of `kind` for a task named `task` (none: trace size).
std::uint64_t first_event(const Run& r, EventKind kind) {
    for (const Event& e : r.events)
        if (e.kind == kind) return e.index;
    return r.events.size();
}

constexpr Tick k_ms = 1'000'000;

}  // namespace

TEST_CASE("a note in a function called twice is recorded once, at the first call") {
    const Run r = run("t.py",
                      "import asyncio\n"
                      "async def f(n):\n"
                      "    # tasklab: note f runs.\n"
                      "    await asyncio.sleep(n)\n"
                      "async def main():\n"
                      "    await f(1)\n"
                      "    await f(2)\n"
                      "asyncio.run(main())\n");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].text == "f runs.");
    CHECK(r.notes[0].time == 0);
}

TEST_CASE("chapters are numbered in playing order, not file order") {
    const Run r = run("t.py",
                      "import asyncio\n"
                      "async def worker():\n"
                      "    # tasklab: note first in the file, second to play\n"
                      "    await asyncio.sleep(1)\n"
                      "async def main():\n"
                      "    # tasklab: note second in the file, first to play\n"
                      "    t = asyncio.create_task(worker())\n"
                      "    await t\n"
                      "asyncio.run(main())\n");
    REQUIRE(r.notes.size() == 2);
    CHECK(r.notes[0].text == "second in the file, first to play");
    CHECK(r.notes[0].chapter == 1);
    CHECK(r.notes[1].text == "first in the file, second to play");
    CHECK(r.notes[1].chapter == 2);
}

TEST_CASE("note-at end fires when the awaited task has finished, not when the await starts") {
    const Run r = run("t.py",
                      "import asyncio\n"
                      "async def worker():\n"
                      "    await asyncio.sleep(0.5)\n"
                      "async def main():\n"
                      "    t = asyncio.create_task(worker())\n"
                      "    # tasklab: note-at end The worker is done.\n"
                      "    await t\n"
                      "asyncio.run(main())\n");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].time == 500 * k_ms);
    CHECK(r.notes[0].index > first_event(r, EventKind::task_finished));
}

TEST_CASE("note-at cancel fires at a cancel requested while its statement runs") {
    const Run r = run("t.py",
                      "import asyncio\n"
                      "async def worker():\n"
                      "    try:\n"
                      "        # tasklab: note-at cancel The cancel reaches the sleep.\n"
                      "        await asyncio.sleep(5)\n"
                      "    except asyncio.CancelledError:\n"
                      "        pass\n"
                      "async def main():\n"
                      "    t = asyncio.create_task(worker())\n"
                      "    await asyncio.sleep(2)\n"
                      "    t.cancel()\n"
                      "    await t\n"
                      "asyncio.run(main())\n");
    REQUIRE(r.notes.size() == 1);
    CHECK(r.notes[0].time == 2000 * k_ms);
    CHECK(r.events[r.notes[0].index - 1].kind == EventKind::cancel_requested);
}

TEST_CASE("note-at cancel does not fire for a cancel after its statement ended") {
    const Run r = run("t.py",
                      "import asyncio\n"
                      "async def worker():\n"
                      "    # tasklab: note-at cancel Never: the sleep is over before the cancel.\n"
                      "    await asyncio.sleep(1)\n"
                      "    try:\n"
                      "        await asyncio.sleep(5)\n"
                      "    except asyncio.CancelledError:\n"
                      "        pass\n"
                      "async def main():\n"
                      "    t = asyncio.create_task(worker())\n"
                      "    await asyncio.sleep(2)\n"
                      "    t.cancel()\n"
                      "    await t\n"
                      "asyncio.run(main())\n");
    CHECK(r.notes.empty());
}

TEST_CASE("note-at observed, throw and finish fire at their events in Swift") {
    // Task.detached: a Task {} made here would inherit the main actor, which the blocking
    // sleep(1) of the top-level code holds, and start only at 1 s.
    const Run r = run("t.swift",
                      "let t = Task.detached {\n"
                      "    // tasklab: note-at finish The task is over.\n"
                      "    sleep(2)\n"
                      "    // tasklab: note-at observed The flag is read.\n"
                      "    print(Task.isCancelled)\n"
                      "    do {\n"
                      "        // tasklab: note-at throw It throws.\n"
                      "        try Task.checkCancellation()\n"
                      "    } catch {\n"
                      "        print(\"caught\")\n"
                      "    }\n"
                      "}\n"
                      "sleep(1)\n"
                      "t.cancel()\n"
                      "await t.value\n");
    REQUIRE(r.notes.size() == 3);
    CHECK(r.notes[0].text == "The flag is read.");
    CHECK(r.events[r.notes[0].index - 1].kind == EventKind::cancel_observed);
    CHECK(r.notes[1].text == "It throws.");
    CHECK(r.events[r.notes[1].index - 1].kind == EventKind::threw);
    CHECK(r.notes[2].text == "The task is over.");
    CHECK(r.events[r.notes[2].index - 1].kind == EventKind::task_finished);
    for (const Narrated& n : r.notes) CHECK(n.time == 2000 * k_ms);
    CHECK(r.notes[2].chapter == 3);
}

namespace {

Run run_bundled(const std::string& relative) {
    std::ifstream in(std::string(TASKLAB_SOURCE_DIR) + "/scenarios/" + relative, std::ios::binary);
    REQUIRE(in);
    std::ostringstream text;
    text << in.rdbuf();
    return run(relative, text.str());
}

}  // namespace

TEST_CASE("server_cancel_and_await narrates its notes in the order they happen") {
    const Run r = run_bundled("asyncio/server_cancel_and_await.py");
    REQUIRE(r.notes.size() == 5);
    CHECK(r.notes[0].text.starts_with("The server waits here forever"));
    CHECK(r.notes[1].text.starts_with("cancel() only requests"));
    CHECK(r.notes[2].text.starts_with("The cancel arrived at the Future"));
    CHECK(r.notes[3].text.starts_with("Re-raise"));
    CHECK(r.notes[4].text.starts_with("`await server_task` returns only now"));
    for (std::size_t i = 0; i < r.notes.size(); ++i) CHECK(r.notes[i].chapter == i + 1);
}

TEST_CASE("antipattern_swallow_cancel says the task ended normally when it has, not before") {
    const Run r = run_bundled("asyncio/antipattern_swallow_cancel.py");
    const Narrated* ended = nullptr;
    for (const Narrated& n : r.notes)
        if (n.text.starts_with("The task ended normally")) ended = &n;
    REQUIRE(ended != nullptr);
    // The server task returns at 0.8 s, after its 0.5 s cleanup; the note comes after that.
    Tick server_end = -1;
    for (const Event& e : r.events)
        if (e.kind == EventKind::task_finished && e.task != 0 && e.index < ended->index) server_end = e.time;
    CHECK(server_end == 800 * k_ms);
    CHECK(ended->time == 800 * k_ms);
}

TEST_CASE("every bundled lesson records each note at most once") {
    for (const char* lesson : {"asyncio/await_error_handling.py", "swift/taskgroup_child_error.swift",
                               "asyncio/graceful_shutdown.py", "swift/cancel_all_what_really_happens.swift"}) {
        CAPTURE(lesson);
        const Run r = run_bundled(lesson);
        for (std::size_t i = 0; i < r.notes.size(); ++i)
            for (std::size_t j = i + 1; j < r.notes.size(); ++j) CHECK(r.notes[i].text != r.notes[j].text);
    }
}
