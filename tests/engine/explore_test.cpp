// The race explorer (engine/explore.hpp): which orders each model opens, the outcomes it
// finds, the bounds, determinism, and that an explored run taking every default is the very
// run tasklab makes without a chooser.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "engine/explore.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

namespace fs = std::filesystem;

std::shared_ptr<const ast::Program> parse_text(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    return parsed.program;
}

/// The run of one outcome, made again from its script and run to the end.
struct OutcomeRun {
    ScriptedChooser chooser;
    Controller c;
    OutcomeRun(std::shared_ptr<const ast::Program> program, const ExploredOutcome& o)
        : chooser(o.script, 1), c(std::move(program), scripted_run(RunOptions{}, chooser)) {
        c.run_until_idle();
    }
};

std::vector<std::vector<std::string>> outcome_lines(const ExploreResult& r) {
    std::vector<std::vector<std::string>> out;
    for (const auto& o : r.outcomes) out.push_back(o.lines);
    return out;
}

/// Two tasks of a group read a shared counter, then write it back plus one: a lost update
/// needs the second task to run between the first one's read and its write.
const char* const k_data_race = R"SW(
final class Counter: @unchecked Sendable {
    var value = 0
}
let counter = Counter()
await withTaskGroup(of: Void.self) { group in
    for _ in 0..<2 {
        group.addTask {
            let v = counter.value
            counter.value = v + 1
        }
    }
}
print("value: \(counter.value)")
)SW";

/// A work item that polls its flag once a second, cancelled at the very instant its third
/// sleep ends.
const char* const k_gcd_race = R"SW(
import Foundation
let queue = DispatchQueue.global()
var item: DispatchWorkItem!
item = DispatchWorkItem {
    for i in 0...10 {
        if item.isCancelled { break }
        sleep(1)
        print("step \(i)")
    }
}
queue.async(execute: item)
queue.asyncAfter(deadline: .now() + 3) {
    item.cancel()
}
sleep(5)
)SW";

}  // namespace

TEST_CASE("a data race on a class shared by two tasks shows the lost update as a second outcome") {
    const ExploreResult r = explore(parse_text("race.swift", k_data_race), ExploreOptions{});
    CHECK(r.complete);
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0].lines == std::vector<std::string>{"value: 2"});
    CHECK_FALSE(r.outcomes[0].diverges_at.has_value());
    CHECK(r.outcomes[1].lines == std::vector<std::string>{"value: 1"});
    REQUIRE(r.outcomes[1].diverges_at.has_value());
    CHECK(r.outcomes[1].choices[*r.outcomes[1].diverges_at].point == ChoicePoint::preempt);
    CHECK(r.outcomes[1].divergence.find("ran between two statements of") != std::string::npos);
    std::size_t runs = 0;
    for (const auto& o : r.outcomes) runs += o.runs;
    CHECK(runs == r.runs);
}

TEST_CASE("without preemptions only the order of whole steps is open, and the update is never lost") {
    ExploreOptions o;
    o.preemptions = 0;
    const ExploreResult r = explore(parse_text("race.swift", k_data_race), o);
    CHECK(r.complete);
    CHECK(outcome_lines(r) == std::vector<std::vector<std::string>>{{"value: 2"}});
}

TEST_CASE("a cancel due at the instant a work item wakes races with it: two outcomes") {
    const ExploreResult r = explore(parse_text("gcd.swift", k_gcd_race), ExploreOptions{});
    CHECK(r.complete);
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0].lines == std::vector<std::string>{"step 0", "step 1", "step 2"});
    CHECK(r.outcomes[1].lines == std::vector<std::string>{"step 0", "step 1", "step 2", "step 3"});
    REQUIRE(r.outcomes[1].diverges_at.has_value());
    const ChoiceMade& c = r.outcomes[1].choices[*r.outcomes[1].diverges_at];
    CHECK(c.point == ChoicePoint::pick);
    CHECK(c.now == 3 * k_second);
}

TEST_CASE("exploring twice gives the same outcomes in the same order with the same counts") {
    auto program = parse_text("gcd.swift", k_gcd_race);
    const ExploreResult a = explore(program, ExploreOptions{});
    const ExploreResult b = explore(program, ExploreOptions{});
    REQUIRE(a.outcomes.size() == b.outcomes.size());
    CHECK(a.runs == b.runs);
    CHECK(a.pruned == b.pruned);
    for (std::size_t k = 0; k < a.outcomes.size(); ++k) {
        CHECK(a.outcomes[k].lines == b.outcomes[k].lines);
        CHECK(a.outcomes[k].runs == b.outcomes[k].runs);
        CHECK(a.outcomes[k].script == b.outcomes[k].script);
    }
}

TEST_CASE("an outcome's script makes its run again") {
    auto program = parse_text("race.swift", k_data_race);
    const ExploreResult r = explore(program, ExploreOptions{});
    for (const auto& o : r.outcomes) {
        OutcomeRun run(program, o);
        const Controller& c = run.c;
        std::vector<std::string> lines;
        for (const auto& l : c.output()) lines.push_back(l.text);
        CHECK(lines == o.lines);
    }
}

TEST_CASE("replay_to in an explored run restarts the chooser and gives the same trace prefix") {
    auto program = parse_text("race.swift", k_data_race);
    const ExploreResult r = explore(program, ExploreOptions{});
    REQUIRE(r.outcomes.size() == 2);
    OutcomeRun run(program, r.outcomes[1]);
    Controller& c = run.c;
    const std::uint64_t digest = c.trace().digest();
    const std::uint64_t steps = c.step_index();
    c.replay_to(steps / 2);
    c.run_until_idle();
    CHECK(c.trace().digest() == digest);
    CHECK(c.output().back().text == "value: 1");
}

TEST_CASE("the preempted task's gap is recorded as a wait of reason preempted") {
    auto program = parse_text("race.swift", k_data_race);
    const ExploreResult r = explore(program, ExploreOptions{});
    REQUIRE(r.outcomes.size() == 2);
    OutcomeRun run(program, r.outcomes[1]);
    const Controller& c = run.c;
    std::size_t preempted = 0;
    for (std::uint64_t i = 0; i < c.trace().size(); ++i) {
        const StoredEvent& e = c.trace().stored(i);
        if (e.kind == EventKind::task_suspended && e.detail == static_cast<std::uint8_t>(WaitReason::preempted)) ++preempted;
    }
    CHECK(preempted == 1);
}

TEST_CASE("max_runs stops the search and says it is not complete") {
    ExploreOptions o;
    o.max_runs = 1;
    const ExploreResult r = explore(parse_text("race.swift", k_data_race), o);
    CHECK(r.runs == 1);
    CHECK_FALSE(r.complete);
    CHECK_FALSE(r.hit_max_steps);
    CHECK(r.outcomes.size() == 1);
}

TEST_CASE("max_steps bounds the steps of all runs together") {
    ExploreOptions o;
    o.max_steps = 1;
    const ExploreResult r = explore(parse_text("race.swift", k_data_race), o);
    CHECK(r.runs == 1);
    CHECK_FALSE(r.complete);
    CHECK(r.hit_max_steps);
}

TEST_CASE("asyncio: equal deadlines armed by different tasks at different instants race") {
    const char* const text = R"PY(
import asyncio

async def worker(name, first, second):
    await asyncio.sleep(first)
    print(name, "a")
    await asyncio.sleep(second)
    print(name, "b")

async def main():
    async with asyncio.TaskGroup() as tg:
        tg.create_task(worker("x", 1, 1))
        tg.create_task(worker("y", 2, 1))

asyncio.run(main())
)PY";
    const ExploreResult r = explore(parse_text("ties.py", text), ExploreOptions{});
    CHECK(r.complete);
    CHECK_FALSE(r.rules.any_ready_order);
    CHECK_FALSE(r.rules.preemption);
    CHECK(r.rules.timer_ties);
    // At 2 s: y's first sleep (armed at 0 s) and x's second (armed at 1 s) end; the real
    // deadlines differ by how long each task took to arm its timer.
    CHECK(outcome_lines(r) ==
          std::vector<std::vector<std::string>>{{"x a", "y a", "x b", "y b"}, {"x a", "x b", "y a", "y b"}});
    REQUIRE(r.outcomes[1].diverges_at.has_value());
    CHECK(r.outcomes[1].choices[*r.outcomes[1].diverges_at].point == ChoicePoint::timer);
}

TEST_CASE("asyncio: timers armed at one instant keep their arming order, as CPython's clock moves on between them") {
    const char* const text = R"PY(
import asyncio

async def worker(name):
    await asyncio.sleep(1)
    print(name)

async def main():
    async with asyncio.TaskGroup() as tg:
        for name in "abc":
            tg.create_task(worker(name))

asyncio.run(main())
)PY";
    const ExploreResult r = explore(parse_text("batch.py", text), ExploreOptions{});
    CHECK(r.complete);
    CHECK(r.runs == 1);
    CHECK(outcome_lines(r) == std::vector<std::vector<std::string>>{{"a", "b", "c"}});
}

TEST_CASE("asyncio: a loop whose order nothing leaves open has one outcome and one run") {
    const char* const text = R"PY(
import asyncio

async def worker(name, delay):
    await asyncio.sleep(delay)
    print(name)

async def main():
    await asyncio.gather(worker("a", 1), worker("b", 2), worker("c", 0))

asyncio.run(main())
)PY";
    const ExploreResult r = explore(parse_text("fixed.py", text), ExploreOptions{});
    CHECK(r.complete);
    CHECK(r.runs == 1);
    CHECK(outcome_lines(r) == std::vector<std::vector<std::string>>{{"c", "a", "b"}});
}

TEST_CASE("a semaphore's signal that wakes a waiter is a preemption point: the waiter may print first") {
    // signal() makes no event of its own; waking a task still lets it run before the
    // signaller's next statement on a real machine.
    const char* const text = R"SW(
import Foundation
let semaphore = DispatchSemaphore(value: 0)
DispatchQueue.global().async {
    Thread.sleep(forTimeInterval: 0.1)
    let woke = semaphore.signal()
    print("worker: woke a waiter: \(woke != 0)")
}
semaphore.wait()
print("main: in")
Thread.sleep(forTimeInterval: 0.2)
)SW";
    const ExploreResult r = explore(parse_text("semaphore.swift", text), ExploreOptions{});
    CHECK(r.complete);
    CHECK(outcome_lines(r) == std::vector<std::vector<std::string>>{{"worker: woke a waiter: true", "main: in"},
                                                                   {"main: in", "worker: woke a waiter: true"}});
}

TEST_CASE("property observers and computed properties run synchronously in an explored run too") {
    // Accessors are not task code: preempting inside one would need the coroutine path, which
    // a synchronous property read or write does not take.
    const char* const text = R"SW(
struct Progress {
    var done = 0 {
        willSet { print("will become \(newValue)") }
        didSet { print("was \(oldValue)") }
    }
    var half: Int {
        get { done / 2 }
        set { done = newValue * 2 }
    }
}
var p = Progress()
p.done = 1
p.half = 2
print("half \(p.half)")
)SW";
    const ExploreResult r = explore(parse_text("observers.swift", text), ExploreOptions{});
    REQUIRE(r.outcomes.size() == 1);
    CHECK(r.outcomes[0].state == RunState::finished);
    CHECK(r.outcomes[0].lines == std::vector<std::string>{"will become 1", "was 0", "will become 4", "was 1", "half 2"});
}

TEST_CASE("an explored run that takes every default is the run tasklab makes, for every bundled scenario") {
    const fs::path root = fs::path(TASKLAB_SOURCE_DIR) / "scenarios";
    std::vector<fs::path> files;
    for (const char* folder : {"swift", "gcd", "actors", "asyncio"})
        for (const auto& entry : fs::directory_iterator(root / folder))
            if (entry.path().extension() == ".swift" || entry.path().extension() == ".py") files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    REQUIRE(files.size() > 20);
    for (const auto& path : files) {
        CAPTURE(path.string());
        std::ifstream in(path, std::ios::binary);
        std::ostringstream text;
        text << in.rdbuf();
        // Two parses: an explored run marks its own AST (every statement of task code may suspend).
        auto plain_program = parse_text(path.string(), text.str());
        auto explored_program = parse_text(path.string(), text.str());
        Controller plain(plain_program, RunOptions{});
        plain.run_until_idle();
        ScriptedChooser chooser({}, 1);
        Controller explored(explored_program, scripted_run(RunOptions{}, chooser));
        explored.run_until_idle();
        CHECK(explored.trace().digest() == plain.trace().digest());
        CHECK(explored.status().state == plain.status().state);
    }
}

TEST_CASE("a run that meets more choice points than one run may note takes tasklab's order after them and the search says so") {
    // The main thread polls a flag another thread sets: every turn of the loop reads shared
    // state, so each one is a preemption point while the work item is ready.
    const char* const text = R"SW(
import Foundation
final class Flag: @unchecked Sendable { var done = false }
let flag = Flag()
DispatchQueue.global().async {
    flag.done = true
}
var spins = 0
while !flag.done && spins < 20000 {
    spins += 1
}
print(flag.done ? "saw it" : "gave up")
)SW";
    ExploreOptions o;
    o.max_runs = 3;
    const ExploreResult r = explore(parse_text("spin.swift", text), o);
    CHECK_FALSE(r.complete);
    CHECK(r.hit_max_choices);
    CHECK(r.choice_points == k_max_choices_per_run);
    REQUIRE(r.outcomes.size() == 2);
    CHECK(r.outcomes[0].lines == std::vector<std::string>{"gave up"});
    CHECK(r.outcomes[1].lines == std::vector<std::string>{"saw it"});
}
