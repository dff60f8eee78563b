// The memory budget of a run (engine/memory_meter.hpp): what a program's values, tasks,
// frames, output and trace hold is counted, and a run that passes its limit stops with a
// message naming what grew, at the statement that grew it, before the memory is touched.
#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "engine/memory_meter.hpp"
#include "scenarios/frontend.hpp"
#include "tests/diagnostic_coverage.hpp"

using namespace tasklab;

TASKLAB_COVERS_DIAGNOSTIC(memory_limit);

namespace {

struct BudgetRun {
    std::vector<std::string> lines;
    RunState state = RunState::running;
    std::string message;     ///< the diagnostic's message line
    std::string rendered;    ///< the whole rendered diagnostic
    DiagnosticKind kind = DiagnosticKind::expected_token;
};

BudgetRun run(const std::string& name, const std::string& text, RunOptions options = {}) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    Controller c(parsed.program, options);
    c.run_until_idle();
    BudgetRun o;
    for (const auto& l : c.output()) o.lines.push_back(l.text);
    o.state = c.status().state;
    if (c.status().diagnostic) {
        o.message = c.status().diagnostic->message;
        o.rendered = render(*file, *c.status().diagnostic);
        o.kind = c.status().diagnostic->kind;
    }
    return o;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("A Python list appended to without end stops at the memory limit, naming the list and the line") {
    const BudgetRun o = run("grow.py", "# tasklab: limit memory 16MB\nxs = []\nwhile True:\n    xs.append(len(xs))\n");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, "memory limit of 16 MB reached: a list grew to "));
    CHECK(has(o.rendered, "grow.py:4:5: error: memory limit of 16 MB reached"));
    CHECK(has(o.rendered, "raise it with `# tasklab: limit memory 32MB`"));
}

TEST_CASE("A Swift array appended to without end stops there too, and the help uses Swift's comment") {
    const BudgetRun o = run("grow.swift", "// tasklab: limit memory 16MB\nvar xs: [Int] = []\nwhile true { xs.append(xs.count) }\n");
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, "memory limit of 16 MB reached: an array grew to "));
    CHECK(has(o.rendered, "grow.swift:3:14: error:"));
    CHECK(has(o.rendered, "raise it with `// tasklab: limit memory 32MB`"));
}

TEST_CASE("Doubling a string is refused before the allocation that would pass the limit, in both languages") {
    const BudgetRun py = run("double.py", "# tasklab: limit memory 64MB\ns = 'ab'\nfor i in range(40):\n    s += s\nprint(len(s))\n");
    CHECK(py.kind == DiagnosticKind::memory_limit);
    CHECK(has(py.message, "memory limit of 64 MB reached: a string of 67108864 bytes needs 64 MB in tasklab"));
    CHECK(py.lines.empty());
    const BudgetRun swift = run("double.swift", "// tasklab: limit memory 64MB\nvar s = \"ab\"\nfor _ in 0..<40 { s += s }\nprint(s.count)\n");
    CHECK(swift.kind == DiagnosticKind::memory_limit);
    CHECK(has(swift.message, "a string of 67108864 bytes needs 64 MB in tasklab"));
    CHECK(has(swift.rendered, "double.swift:3:19: error:"));
}

TEST_CASE("Making a list, an array or a string larger than the limit stops before it is made") {
    struct Case {
        const char* name;
        const char* text;
        const char* message;
    };
    for (const Case& c : {Case{"mul.py", "# tasklab: limit memory 32MB\nxs = [0] * 9_000_000\n", "a list of 9000000 elements needs 275 MB in tasklab"},
                          Case{"range.py", "# tasklab: limit memory 32MB\nxs = list(range(5_000_000))\n", "a list of 5000000 elements needs 153 MB"},
                          Case{"strmul.py", "# tasklab: limit memory 4MB\ns = 'ab' * 4_000_000\n", "a string of 8000000 bytes needs 8 MB"},
                          Case{"rep.swift", "// tasklab: limit memory 32MB\nlet xs = Array(repeating: 0, count: 9_000_000)\n",
                               "an array of 9000000 elements needs 275 MB in tasklab"},
                          Case{"arr.swift", "// tasklab: limit memory 32MB\nlet xs = Array(0..<5_000_000)\n", "an array of 5000000 elements needs 153 MB"},
                          Case{"str.swift", "// tasklab: limit memory 4MB\nlet s = String(repeating: \"ab\", count: 4_000_000)\n",
                               "a string of 8000000 bytes needs 8 MB"}}) {
        CAPTURE(c.name);
        const BudgetRun o = run(c.name, c.text);
        CHECK(o.kind == DiagnosticKind::memory_limit);
        CHECK(has(o.message, c.message));
    }
}

TEST_CASE("Many small objects alive at once: the message counts them rather than blaming the list that holds them") {
    const BudgetRun o = run("small.swift", "// tasklab: limit memory 16MB\nvar xs: [[Int]] = []\nfor i in 0..<1_000_000 { xs.append([i, i, i]) }\n");
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, "memory limit of 16 MB reached: "));
    CHECK(has(o.message, " arrays are alive ("));
}

TEST_CASE("Values that are freed give their memory back: making and dropping a big list many times finishes") {
    // 100 lists of 1.5 MB each: 150 MB if none were given back, 3 MB at a time when they are.
    const BudgetRun py = run("churn.py", "# tasklab: limit memory 4MB\nfor i in range(100):\n    xs = [i] * 50_000\nprint(len(xs))\n");
    CHECK(py.state == RunState::finished);
    CHECK(py.lines == std::vector<std::string>{"50000"});
    const BudgetRun swift = run("churn.swift",
                                "// tasklab: limit memory 4MB\nvar n = 0\nfor i in 0..<100 {\n    let xs = Array(repeating: i, count: 50_000)\n"
                                "    n = xs.count\n}\nprint(n)\n");
    CHECK(swift.state == RunState::finished);
    CHECK(swift.lines == std::vector<std::string>{"50000"});
}

TEST_CASE("Tasks count toward the limit: ten thousand sleeping tasks pass 16 MB") {
    const BudgetRun o = run("tasks.py",
                          "# tasklab: limit memory 16MB\nimport asyncio\nasync def nap():\n    await asyncio.sleep(10)\n"
                          "async def main():\n    ts = [asyncio.create_task(nap()) for _ in range(10_000)]\n    await asyncio.sleep(1)\n"
                          "asyncio.run(main())\n");
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, " tasks are alive ("));
}

TEST_CASE("The trace counts: an endless await loop with a raised step limit stops at the memory limit") {
    const BudgetRun o = run("spin.py",
                          "# tasklab: limit memory 8MB\n# tasklab: limit steps 100000000\nimport asyncio\nasync def main():\n"
                          "    while True:\n        await asyncio.sleep(0)\nasyncio.run(main())\n");
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, "memory limit of 8 MB reached: the trace holds "));
}

TEST_CASE("Printed text counts: a task that prints long lines forever stops at the memory limit") {
    const BudgetRun o = run("chatty.py",
                          "# tasklab: limit memory 8MB\n# tasklab: limit steps 100000000\nimport asyncio\nasync def main():\n"
                          "    while True:\n        print('x' * 10_000)\n        await asyncio.sleep(0)\nasyncio.run(main())\n");
    CHECK(o.kind == DiagnosticKind::memory_limit);
    CHECK(has(o.message, "memory limit of 8 MB reached: the program printed "));
    CHECK(!o.lines.empty());
}

TEST_CASE("RunOptions::max_memory sets the limit when the file has no directive; the directive wins over it") {
    RunOptions small;
    small.max_memory = 16ULL << 20;
    const std::string grow = "xs = []\nwhile True:\n    xs.append(1)\n";
    CHECK(has(run("opt.py", grow, small).message, "memory limit of 16 MB reached"));
    CHECK(has(run("opt.py", "# tasklab: limit memory 32MB\n" + grow, small).message, "memory limit of 32 MB reached"));
    CHECK(RunOptions{}.max_memory == k_default_memory_limit);
}

TEST_CASE("A run stops at the same statement with the same message every time") {
    const std::string text = "// tasklab: limit memory 16MB\nvar xs: [String] = []\nvar d: [Int: Int] = [:]\nvar i = 0\nwhile true {\n"
                             "    xs.append(String(repeating: \"x\", count: i % 100))\n    if i < 100 { d[i] = i }\n    i += 1\n}\n";
    const BudgetRun a = run("same.swift", text);
    const BudgetRun b = run("same.swift", text);
    CHECK(a.kind == DiagnosticKind::memory_limit);
    CHECK(a.rendered == b.rendered);
}

TEST_CASE("The meter counts what objects hold and gives it back when they die") {
    MemoryMeter meter(1 << 20);
    {
        const MeterScope scope(meter);
        MemoryCharge a;
        a.set(MemoryKind::list, 1000, 10);
        CHECK(meter.live() == 1000);
        a.set(MemoryKind::list, 600 << 10, 6000);
        CHECK(meter.live() == 600 << 10);
        CHECK(!meter.over());
        CHECK(meter.would_pass(500 << 10));
        {
            const MemoryCharge b(MemoryKind::task, 500 << 10);
            CHECK(meter.over());
            CHECK(meter.over_message() == "memory limit of 1 MB reached: 1 list is alive (600 KB of 1 MB)");
        }
        CHECK(meter.live() == 600 << 10);
        CHECK(meter.peak() == 1100 << 10);
    }
    CHECK(meter.live() == 0);
    CHECK(MemoryMeter::current() == nullptr);
    const MemoryCharge outside;  // no meter installed: nothing is counted
    CHECK(meter.live() == 0);
}
