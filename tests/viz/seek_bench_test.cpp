// The step-back benchmark's bookkeeping (viz/model/seek_bench.hpp): it visits the seeded
// targets from the end backwards, lands on each one with the events the first run had
// recorded by then, and picks the same targets for the same seed. Its timings are printed by
// `tasklab-viz --bench-seek`, never checked here.
#include <doctest/doctest.h>

#include <algorithm>
#include <memory>
#include <string>

#include "scenarios/frontend.hpp"
#include "viz/model/seek_bench.hpp"

using namespace tasklab;
using namespace tasklab::viz;

namespace {

std::shared_ptr<const ast::Program> parse_program(const std::string& name, const std::string& text) {
    ParseResult parsed = parse_scenario(std::make_shared<SourceFile>(name, text));
    REQUIRE(parsed.ok());
    return parsed.program;
}

const char* const k_python = R"(import asyncio

async def worker(i):
    for k in range(3):
        await asyncio.sleep(0.1 * (i + 1))
    print("done", i)

async def main():
    async with asyncio.TaskGroup() as tg:
        for i in range(4):
            tg.create_task(worker(i))

asyncio.run(main())
)";

}  // namespace

TEST_CASE("the seek benchmark lands every seek on its step with the events of the first run") {
    const SeekBenchResult r = bench_seek(parse_program("seek.py", k_python), RunOptions{}, 12);
    CHECK(r.total_steps > 10);
    CHECK(r.total_events > r.total_steps);
    CHECK(r.mismatch.empty());
    REQUIRE(r.targets.size() == 12);
    CHECK(r.seek_ms.size() == 12);
    CHECK(std::is_sorted(r.targets.begin(), r.targets.end(), std::greater<>()));
    CHECK(r.targets.front() < r.total_steps);
}

TEST_CASE("the seek benchmark draws the same targets for the same seed and others for another") {
    auto program = parse_program("seek.py", k_python);
    const SeekBenchResult a = bench_seek(program, RunOptions{}, 8, 42);
    const SeekBenchResult b = bench_seek(program, RunOptions{}, 8, 42);
    const SeekBenchResult c = bench_seek(program, RunOptions{}, 8, 43);
    CHECK(a.targets == b.targets);
    CHECK(a.targets != c.targets);
}

TEST_CASE("seek percentiles take the nearest rank") {
    CHECK(seek_percentile({}, 0.5) == 0);
    CHECK(seek_percentile({5, 1, 3}, 0.5) == 3);
    CHECK(seek_percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.95) == 10);
    CHECK(seek_percentile({1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 0.5) == 5);
}
