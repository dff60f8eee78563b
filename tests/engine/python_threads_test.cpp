// Worker threads of the Python interpreter: asyncio.to_thread and loop.run_in_executor, run on
// a fiber of their own as scheduler tasks of kind `thread`. Expected lines are what CPython
// 3.11 prints for the same program under the asyncio oracle (tests/asyncio_oracle/selftest.py
// holds the same programs).
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {
using Lines = std::vector<std::string>;

struct Ran {
    Lines lines;
    std::vector<std::string> tasks;  ///< the lane that printed each line
    RunStatus status;
    std::uint64_t digest = 0;
    std::vector<Event> events;
    std::vector<TaskInfo> infos;  ///< by TaskId (index 0 unused)
    std::string error;            ///< the rendered runtime diagnostic, if any
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.py", text);
    ParseResult parsed = parse_python(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) {
        r.lines.push_back(l.text);
        r.tasks.push_back(c.trace().task(l.task).name);
    }
    r.status = c.status();
    r.digest = c.trace().digest();
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) r.events.push_back(c.trace().at(i));
    r.infos.push_back(TaskInfo{});
    for (TaskId t = 1; t < c.trace().tasks().size(); ++t) r.infos.push_back(c.trace().task(t));
    if (r.status.diagnostic) r.error = render(*file, *r.status.diagnostic);
    return r;
}

/// The tasks of kind `thread`, in creation order.
std::vector<TaskId> threads_of(const Ran& r) {
    std::vector<TaskId> out;
    for (TaskId t = 1; t < r.infos.size(); ++t)
        if (r.infos[t].kind == TaskKind::thread) out.push_back(t);
    return out;
}

/// The first event of `kind` for `task` (an empty optional when there is none).
std::optional<Event> first(const Ran& r, EventKind kind, TaskId task) {
    for (const Event& e : r.events)
        if (e.kind == kind && e.task == task) return e;
    return std::nullopt;
}
std::optional<Event> last(const Ran& r, EventKind kind, TaskId task) {
    std::optional<Event> found;
    for (const Event& e : r.events)
        if (e.kind == kind && e.task == task) found = e;
    return found;
}
}  // namespace

TEST_SUITE("python interpreter: worker threads") {

TEST_CASE("a worker thread starts after the current batch and its time.sleep lets the loop run on") {
    const Ran r = run(R"py(import asyncio, time
def work(name, d):
    print(f"{name} starts at {time.monotonic()}")
    time.sleep(d)
    print(f"{name} wakes at {time.monotonic()}")
    return name * 2
async def ticker():
    for k in range(3):
        print(f"tick {k} at {asyncio.get_running_loop().time()}")
        await asyncio.sleep(0.5)
async def main():
    t = asyncio.create_task(ticker())
    print("main:", await asyncio.to_thread(work, "ab", 1))
    await t
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"tick 0 at 0.0", "ab starts at 0.0", "tick 1 at 0.5", "ab wakes at 1.0", "tick 2 at 1.0", "main: abab"});
    // The worker is a lane of its own, named after the call, and printed its own lines.
    const std::vector<TaskId> workers = threads_of(r);
    REQUIRE(workers.size() == 1);
    CHECK(r.infos[workers[0]].name == "work('ab', 1)");
    CHECK(r.tasks[1] == "work('ab', 1)");
    CHECK(r.tasks[3] == "work('ab', 1)");
    // Its sleep is thread-blocking work of its own task: blocked for 1 s, never suspended.
    const auto blocked = first(r, EventKind::task_blocked, workers[0]);
    REQUIRE(blocked);
    CHECK(blocked->time == 0);
    const auto unblocked = first(r, EventKind::task_unblocked, workers[0]);
    REQUIRE(unblocked);
    CHECK(unblocked->time == k_second);
    CHECK_FALSE(first(r, EventKind::task_suspended, workers[0]));
    const auto done = last(r, EventKind::task_finished, workers[0]);
    REQUIRE(done);
    CHECK(static_cast<Outcome>(done->detail) == Outcome::returned);
}

TEST_CASE("cancelling the task that awaits a thread leaves the thread running, and asyncio.run waits for it") {
    const Ran r = run(R"py(import asyncio, time
def work():
    for k in range(3):
        time.sleep(1)
        print(f"thread: step {k + 1} at {time.monotonic()}")
    return "result nobody reads"
async def main():
    try:
        await asyncio.wait_for(asyncio.to_thread(work), timeout=1.5)
    except TimeoutError:
        print(f"main: timed out at {time.monotonic()}")
    print("main returns")
asyncio.run(main())
print(f"asyncio.run returned at {time.monotonic()}")
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"thread: step 1 at 1.0", "main: timed out at 1.5", "main returns", "thread: step 2 at 2.0",
                           "thread: step 3 at 3.0", "asyncio.run returned at 3.0"});
    const std::vector<TaskId> workers = threads_of(r);
    REQUIRE(workers.size() == 1);
    // No cancel ever reaches the thread: it returns normally at 3 s.
    CHECK_FALSE(first(r, EventKind::cancel_requested, workers[0]));
    const auto done = last(r, EventKind::task_finished, workers[0]);
    REQUIRE(done);
    CHECK(static_cast<Outcome>(done->detail) == Outcome::returned);
    CHECK(done->time == 3 * k_second);
}

TEST_CASE("an exception in the thread is raised at the await; run_in_executor submits before it is awaited") {
    const Ran r = run(R"py(import asyncio, time
def fails():
    time.sleep(0.25)
    raise ValueError("disk full")
def note(text):
    print(text, "at", time.monotonic())
    return len(text)
async def main():
    loop = asyncio.get_running_loop()
    fut = loop.run_in_executor(None, note, "submitted")
    print("future made")
    await asyncio.sleep(0.1)
    print("awaited:", await fut)
    try:
        await asyncio.to_thread(fails)
    except ValueError as e:
        print("caught", repr(e), "at", loop.time())
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"future made", "submitted at 0.0", "awaited: 9", "caught ValueError('disk full') at 0.35"});
    const std::vector<TaskId> workers = threads_of(r);
    REQUIRE(workers.size() == 2);
    const auto done = last(r, EventKind::task_finished, workers[1]);
    REQUIRE(done);
    CHECK(static_cast<Outcome>(done->detail) == Outcome::threw);
}

TEST_CASE("the default executor has five workers: a sixth call waits, and a cancelled waiting call never runs") {
    const Ran r = run(R"py(import asyncio, time
def work(n):
    print(f"job {n} starts at {time.monotonic()}")
    time.sleep(1)
    return n
async def main():
    jobs = [asyncio.create_task(asyncio.to_thread(work, n)) for n in range(7)]
    await asyncio.sleep(0.5)
    jobs[6].cancel()
    print(await asyncio.gather(*jobs[:6]), jobs[6].cancelled())
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"job 0 starts at 0.0", "job 1 starts at 0.0", "job 2 starts at 0.0", "job 3 starts at 0.0",
                           "job 4 starts at 0.0", "job 5 starts at 1.0", "[0, 1, 2, 3, 4, 5] True"});
    const std::vector<TaskId> workers = threads_of(r);
    REQUIRE(workers.size() == 7);
    const auto seventh = last(r, EventKind::task_finished, workers[6]);
    REQUIRE(seventh);
    CHECK(static_cast<Outcome>(seventh->detail) == Outcome::skipped);
    CHECK(seventh->time == k_second);  // its turn came when a worker finished
}

TEST_CASE("time.sleep on the loop's own thread holds the workers too: a worker due meanwhile runs at the next pass") {
    const Ran r = run(R"py(import asyncio, time
def work():
    time.sleep(0.5)
    print(f"worker wakes at {time.monotonic()}")
async def main():
    fut = asyncio.get_running_loop().run_in_executor(None, work)
    await asyncio.sleep(0)
    time.sleep(2)
    print(f"loop thread wakes at {time.monotonic()}")
    await fut
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"loop thread wakes at 2.0", "worker wakes at 2.0"});
}

TEST_CASE("runs with worker threads are deterministic: the same trace byte for byte") {
    const std::string program = R"py(import asyncio, time
def work(n):
    time.sleep(0.1 * n)
    return n * n
async def main():
    print(await asyncio.gather(*(asyncio.to_thread(work, n) for n in range(8))))
asyncio.run(main())
)py";
    const Ran a = run(program);
    const Ran b = run(program);
    CHECK(a.lines == Lines{"[0, 1, 4, 9, 16, 25, 36, 49]"});
    CHECK(a.digest == b.digest);
}

TEST_CASE("deep recursion in a worker thread raises RecursionError there and at the await") {
    const Ran r = run(R"py(import asyncio
def down(n):
    return down(n + 1)
async def main():
    try:
        await asyncio.to_thread(down, 0)
    except RecursionError as e:
        print("RecursionError:", e)
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::finished);
    CHECK(r.lines == Lines{"RecursionError: maximum recursion depth exceeded"});
}

TEST_CASE("a worker thread has no running event loop") {
    const Ran r = run(R"py(import asyncio
def work():
    try:
        asyncio.get_running_loop()
    except RuntimeError as e:
        print("get_running_loop:", e)
    try:
        asyncio.current_task()
    except RuntimeError as e:
        print("current_task:", e)
async def main():
    await asyncio.to_thread(work)
    print("main's loop is running:", asyncio.get_running_loop().is_running())
asyncio.run(main())
)py");
    CHECK(r.lines == Lines{"get_running_loop: no running event loop", "current_task: no running event loop",
                           "main's loop is running: True"});
}

TEST_CASE("an executor other than the default one is refused with a diagnostic") {
    const Ran r = run(R"py(import asyncio
async def main():
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(object(), print, "x")
asyncio.run(main())
)py");
    CHECK(r.status.state == RunState::runtime_error);
    CHECK(r.error.find("tasklab runs only the loop's default executor") != std::string::npos);
    CHECK(r.error.find("test.py:4:") != std::string::npos);
}

TEST_CASE("a run torn down while a worker sleeps unwinds the worker cleanly") {
    auto file = std::make_shared<SourceFile>("test.py", R"py(import asyncio, time
def work():
    try:
        time.sleep(5)
    finally:
        print("finally must not run at teardown")
async def main():
    await asyncio.to_thread(work)
asyncio.run(main())
)py");
    ParseResult parsed = parse_python(file);
    REQUIRE(parsed.ok());
    TaskId worker = 0;
    {
        Controller c(parsed.program);
        // Step until the worker has blocked in its sleep, then drop the run.
        for (int k = 0; k < 50 && worker == 0; ++k) {
            c.step();
            for (TaskId t = 1; t < c.trace().tasks().size(); ++t)
                if (c.trace().task(t).kind == TaskKind::thread && c.inspect(t).state == TaskState::blocked) worker = t;
        }
        CHECK(c.output().empty());
    }
    CHECK(worker != 0);
}

}  // TEST_SUITE
