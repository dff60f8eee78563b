// The interpreter, driven through real Swift source: parse_swift -> Controller -> the lines
// the program prints, compared with what a real Swift run prints.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {
struct Ran {
    std::vector<std::string> lines;
    RunStatus status;
    std::vector<Tick> times;
};

Ran run(const std::string& text) {
    auto file = std::make_shared<SourceFile>("test.swift", text);
    ParseResult parsed = parse_swift(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    Ran r;
    for (const auto& l : c.output()) {
        r.lines.push_back(l.text);
        r.times.push_back(l.time);
    }
    r.status = c.status();
    return r;
}

using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("a task that sleeps prints after main's sleep lets it run") {
    auto r = run(R"(
Task {
    try await Task.sleep(for: .seconds(1))
    print("task done")
}
print("main")
try await Task.sleep(for: .seconds(2))
print("main done")
)");
    CHECK(r.lines == Lines{"main", "task done", "main done"});
    CHECK(r.times == std::vector<Tick>{0, k_second, 2 * k_second});
    CHECK(r.status.state == RunState::finished);
}
