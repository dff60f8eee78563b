// The interpreters' runtime on inputs that once crashed, hung or printed a wrong answer
// (tests/reliability holds the files): each ends with what the real runtime prints, or with
// a clear limit message at the right place.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;
namespace fs = std::filesystem;

namespace {

struct ReproOutcome {
    std::vector<std::string> lines;
    RunState state = RunState::running;
    std::string diagnostic;  ///< rendered, when the run ended with one
    int exit_code = 0;
};

std::string read_reproducer(const std::string& name) {
    std::ifstream in(fs::path(TASKLAB_SOURCE_DIR) / "tests" / "reliability" / name, std::ios::binary);
    REQUIRE_MESSAGE(in.good(), "missing tests/reliability/" << name);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

ReproOutcome run_text(const std::string& name, const std::string& text) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program);
    c.run_until_idle();
    ReproOutcome o;
    for (const auto& l : c.output()) o.lines.push_back(l.text);
    o.state = c.status().state;
    if (c.status().diagnostic) o.diagnostic = render(*file, *c.status().diagnostic);
    o.exit_code = c.status().exit_code;
    return o;
}

ReproOutcome run_file(const std::string& name) { return run_text(name, read_reproducer(name)); }

}  // namespace

// ---------------------------------------------------------------------------------------
// Call depth
// ---------------------------------------------------------------------------------------

TEST_CASE("A Swift function that recurses 5,000 deep returns its answer as a real Swift program does") {
    const ReproOutcome o = run_file("swift_sync_recursion_5000.swift");
    CHECK(o.state == RunState::finished);
    CHECK(o.lines == std::vector<std::string>{"5000"});
}

TEST_CASE("An async Swift function that awaits itself 10,000 deep returns its answer") {
    const ReproOutcome o = run_file("swift_async_recursion_10000.swift");
    CHECK(o.state == RunState::finished);
    CHECK(o.lines == std::vector<std::string>{"10000"});
}

TEST_CASE("Swift recursion without a base case stops with a stack overflow that names the function and where it is declared") {
    const ReproOutcome o = run_file("swift_unbounded_recursion.swift");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("swift_unbounded_recursion.swift:1:12: error: stack overflow") != std::string::npos);
    CHECK(o.diagnostic.find("the recursion repeats `f` (declared at swift_unbounded_recursion.swift:1:6)") != std::string::npos);
}

TEST_CASE("Async Swift recursion without a base case stops with a stack overflow too") {
    const ReproOutcome o = run_text("deep.swift", "func g(_ n: Int) async -> Int {\n    return await g(n + 1)\n}\nprint(await g(0))\n");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("deep.swift:2:18: error: stack overflow: 20000 nested calls; the recursion repeats `g`") != std::string::npos);
}

TEST_CASE("Python's RecursionError comes at CPython's depth whatever the process's stack limit") {
    // The depth is counted in frames and the engine runs on its own fixed stack, so a 1 MB
    // stack limit changes nothing (the limit applies to the main thread's stack only).
    rlimit old{};
    REQUIRE(getrlimit(RLIMIT_STACK, &old) == 0);
    for (rlim_t size : {rlim_t{1} << 20, rlim_t{2} << 20, rlim_t{8} << 20}) {
        rlimit lower = old;
        lower.rlim_cur = old.rlim_max == RLIM_INFINITY || size < old.rlim_max ? size : old.rlim_max;
        setrlimit(RLIMIT_STACK, &lower);
        const ReproOutcome o = run_file("recursion_depends_on_ulimit.py");
        setrlimit(RLIMIT_STACK, &old);
        CHECK(o.state == RunState::finished);
        CHECK(o.lines == std::vector<std::string>{"999"});
    }
}
