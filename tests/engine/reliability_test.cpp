// The interpreters' runtime on inputs that once crashed, hung or printed a wrong answer
// (tests/reliability holds the files): each ends with what the real runtime prints, or with
// a clear limit message at the right place.
#include <doctest/doctest.h>

#include <sys/resource.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "engine/controller.hpp"
#include "engine/interp/python/values.hpp"
#include "engine/interp/swift/value.hpp"
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

ReproOutcome run_text(const std::string& name, const std::string& text, std::uint64_t statement_budget = 0) {
    auto file = std::make_shared<SourceFile>(name, text);
    ParseResult parsed = parse_scenario(file);
    REQUIRE_MESSAGE(parsed.ok(), render_all(*file, parsed.diagnostics));
    RunOptions options;
    if (statement_budget) options.max_statements_per_step = statement_budget;
    Controller c(parsed.program, options);
    c.run_until_idle();
    ReproOutcome o;
    for (const auto& l : c.output()) o.lines.push_back(l.text);
    o.state = c.status().state;
    if (c.status().diagnostic) o.diagnostic = render(*file, *c.status().diagnostic);
    o.exit_code = c.status().exit_code;
    return o;
}

ReproOutcome run_file(const std::string& name, std::uint64_t statement_budget = 0) {
    return run_text(name, read_reproducer(name), statement_budget);
}

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
        CHECK(o.lines == std::vector<std::string>{"998"});  // CPython 3.11's answer
    }
}

// ---------------------------------------------------------------------------------------
// Values that contain themselves, deep nesting, teardown
// ---------------------------------------------------------------------------------------

TEST_CASE("A Python list or dict that contains itself prints as [...] or {...}, as CPython does") {
    CHECK(run_file("py_self_referential_list_print.py").lines == std::vector<std::string>{"[[...]]"});
    CHECK(run_file("py_self_referential_dict_print.py").lines == std::vector<std::string>{"{'self': {...}}"});
    const ReproOutcome o = run_text("cycles.py",
                                    "a = [1]\na.append(a)\nb = {1: a}\nb[2] = b\nprint(b)\nprint((a, a))\nprint(str(a))\n");
    CHECK(o.lines == std::vector<std::string>{"{1: [1, [...]], 2: {...}}", "([1, [...]], [1, [...]])", "[1, [...]]"});
}

TEST_CASE("Comparing two Python lists that contain themselves raises RecursionError in comparison") {
    const ReproOutcome uncaught = run_file("py_self_referential_eq.py");
    CHECK(uncaught.state == RunState::uncaught_error);
    CHECK(uncaught.exit_code == 1);
    const ReproOutcome caught = run_text("eq.py",
                                         "a = []\na.append(a)\nb = []\nb.append(b)\ntry:\n    print(a == b)\n"
                                         "except RecursionError as e:\n    print(e)\nprint(a == a, [[1]] == [[1]], [[1]] != [[2]])\n");
    CHECK(caught.lines == std::vector<std::string>{"maximum recursion depth exceeded in comparison", "True True True"});
}

TEST_CASE("repr of a Python list nested deeper than CPython's recursion limit raises RecursionError, and 997 levels print") {
    const ReproOutcome uncaught = run_file("py_nested_list_30000_str.py");
    CHECK(uncaught.state == RunState::uncaught_error);
    const ReproOutcome o = run_text("nest.py",
                                    "for n in (997, 998):\n    x = 0\n    for i in range(n):\n        x = [x]\n    try:\n"
                                    "        print(n, len(repr(x)))\n    except RecursionError as e:\n        print(n, e)\n");
    CHECK(o.lines == std::vector<std::string>{"997 1995", "998 maximum recursion depth exceeded while getting the repr of an object"});
}

TEST_CASE("A 300,000-node linked list is torn down at the end of a Python or Swift run") {
    for (const char* name : {"py_linked_list_300k_teardown.py", "swift_linked_list_300k_teardown.swift"}) {
        const ReproOutcome o = run_file(name);
        CHECK(o.state == RunState::finished);
        CHECK(o.lines == std::vector<std::string>{"built"});
    }
}

TEST_CASE("Freeing values nested a million deep does not recurse, even on a small stack") {
    // Runs on the test's own thread, not the engine's big stack: a recursive teardown of a
    // million levels would overflow it.
    {
        py::Value x = py::Value::integer(0);
        for (int k = 0; k < 1'000'000; ++k) x = py::make_list({std::move(x)});
    }
    {
        interp::Value x = interp::Value::integer(0);
        for (int k = 0; k < 1'000'000; ++k) x = interp::Value::array({std::move(x)});
    }
    CHECK(true);  // reaching here is the check: the process did not die
}

TEST_CASE("sorted() with a comparison that contradicts itself returns every element, never undefined behaviour") {
    CHECK(run_file("py_sort_inconsistent_cmp.py").lines == std::vector<std::string>{"1000"});
    const ReproOutcome o = run_text("sort.py",
                                    "print(sorted([3, 1, 2, 1, 5, 4]))\nprint(sorted(['b', 'a', 'c'], reverse=True))\n"
                                    "print(sorted([(1, 'b'), (0, 'x'), (1, 'a')], key=lambda p: p[0]))\n");
    CHECK(o.lines == std::vector<std::string>{"[1, 1, 2, 3, 4, 5]", "['c', 'b', 'a']", "[(0, 'x'), (1, 'b'), (1, 'a')]"});
}

TEST_CASE("DispatchQueue.main has its label and its queue, whatever order the compiler evaluates arguments in") {
    CHECK(run_file("clang_only_dispatchqueue_main_null_deref.swift").lines == std::vector<std::string>{"com.apple.main-thread"});
    // Real Swift runs the main-queue block and the work item on different threads, so only
    // these orders are certain: the item before its notification, the delayed block last.
    std::vector<std::string> lines = run_file("ubsan_dispatchqueue_main_use_after_move.swift").lines;
    REQUIRE(lines.size() == 4);
    const auto pos = [&](const std::string& l) { return std::find(lines.begin(), lines.end(), l) - lines.begin(); };
    CHECK(pos("item runs") < pos("notified"));
    CHECK(pos("main queue") < 3);
    CHECK(lines.back() == "after 1.5 s");
}

// ---------------------------------------------------------------------------------------
// Loops and built-ins count against the statement budget
// ---------------------------------------------------------------------------------------

TEST_CASE("Loops with an empty body stop at the statement budget with a message naming the loop") {
    struct Case {
        const char* file;
        const char* where;
    };
    for (const Case& c : {Case{"swift_empty_while_hang.swift", "swift_empty_while_hang.swift:1:1: error: this loop did not end"},
                          Case{"swift_empty_for_hang.swift", "swift_empty_for_hang.swift:1:1: error: this loop did not end"},
                          Case{"swift_empty_while_in_task_hang.swift", "swift_empty_while_in_task_hang.swift:1:16: error: this loop did not end"},
                          Case{"hang_while_space.swift", "hang_while_space.swift:1:1: error: this loop did not end"},
                          Case{"hang_while_cond.swift", "hang_while_cond.swift:2:1: error: this loop did not end"},
                          Case{"hang_gcd_while_empty.swift", "hang_gcd_while_empty.swift:2:32: error: this loop did not end"},
                          Case{"hang_task_while_empty.swift", "hang_task_while_empty.swift:1:16: error: this loop did not end"},
                          Case{"hang_for_empty.swift", "hang_for_empty.swift:1:1: error: this loop did not end"}}) {
        CAPTURE(c.file);
        const ReproOutcome o = run_file(c.file, 100'000);
        CHECK(o.state == RunState::runtime_error);
        CHECK(o.diagnostic.find(c.where) != std::string::npos);
        CHECK(o.diagnostic.find("a task ran 100000 statements, loop iterations and elements of built-in work without suspending") !=
              std::string::npos);
    }
    // A call in the condition counts too.
    const ReproOutcome call = run_file("hang_while_call.swift", 100'000);
    CHECK(call.state == RunState::runtime_error);
    CHECK(call.diagnostic.find("hang_while_call.swift:2:7: error: too many calls") != std::string::npos);
}

TEST_CASE("An empty loop stops at the default budget of ten million") {
    const ReproOutcome o = run_file("hang_while_empty.swift");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("a task ran 10000000 statements, loop iterations") != std::string::npos);
}

TEST_CASE("Built-ins that make or walk millions of elements count them against the budget before allocating") {
    struct Case {
        const char* file;
        const char* message;
    };
    for (const Case& c : {Case{"hang_array_range.swift", "hang_array_range.swift:1:7: error: this range is too long to walk in one step"},
                          Case{"hang_map_big.swift", "hang_map_big.swift:1:9: error: this array is too long to make in one step"},
                          Case{"hang_strrep.swift", "hang_strrep.swift:1:7: error: this string is too long to make in one step"},
                          Case{"hang_reduce.swift", "error: this range is too long to walk in one step"},
                          Case{"hang_list_big.py", "hang_list_big.py:1:8: error: this list is too long to make in one step"},
                          Case{"hang_strmul.py", "hang_strmul.py:1:15: error: this string is too long to make in one step"},
                          Case{"hang_sorted.py", "hang_sorted.py:1:7: error: this range is too long to walk in one step"}}) {
        CAPTURE(c.file);
        const ReproOutcome o = run_file(c.file);
        CHECK(o.state == RunState::runtime_error);
        CHECK(o.diagnostic.find(c.message) != std::string::npos);
    }
    // Small ones still run.
    const ReproOutcome ok = run_text("small.swift",
                                     "print(Array(0..<5).count, String(repeating: \"ab\", count: 3))\n"
                                     "print((1...1000).reduce(0) { $0 + $1 })\n");
    CHECK(ok.lines == std::vector<std::string>{"5 ababab", "500500"});
}

TEST_CASE("A stride through Int.max ends there, as in Swift") {
    CHECK(run_file("swift_stride_overflow_hang.swift").lines ==
          std::vector<std::string>{"9223372036854775806", "9223372036854775807"});
    const ReproOutcome o = run_text("stride.swift",
                                    "for i in stride(from: Int.min + 1, through: Int.min, by: -1) { print(i) }\n"
                                    "for x in stride(from: 0.0, through: 1.0, by: 0.5) { print(x) }\n");
    CHECK(o.lines == std::vector<std::string>{"-9223372036854775807", "-9223372036854775808", "0.0", "0.5", "1.0"});
}

TEST_CASE("String(format:) with a huge precision stops with a message; long results are not truncated") {
    const ReproOutcome o = run_file("swift_string_format_huge_precision.swift");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("swift_string_format_huge_precision.swift:2:7: error: String(format:) width or precision 2147483647 is "
                            "larger than tasklab allows (4096)") != std::string::npos);
    const ReproOutcome wide = run_text("wide.swift", "import Foundation\nprint(String(format: \"%.600f\", 1.0).count)\n");
    CHECK(wide.lines == std::vector<std::string>{"602"});
}

TEST_CASE("asyncio.gather of many tasks de-duplicates in linear time and keeps repeated awaitables once") {
    const ReproOutcome o = run_text("gather.py",
                                    "import asyncio\nasync def w(i):\n    await asyncio.sleep(0)\n    return i\n"
                                    "async def main():\n    ts = [asyncio.create_task(w(i)) for i in range(20000)]\n"
                                    "    r = await asyncio.gather(*ts, ts[0], ts[1])\n    print(len(r), r[-2], r[-1], sum(r))\n"
                                    "asyncio.run(main())\n");
    CHECK(o.lines == std::vector<std::string>{"20002 0 1 199990001"});
}

// ---------------------------------------------------------------------------------------
// Edges where the answer used to be silently wrong
// ---------------------------------------------------------------------------------------

TEST_CASE("Delays past the end of the virtual clock wait, never fire at once") {
    // asyncio.sleep(1e300) and Task.sleep(for: .seconds(1e300)) sleep forever in the real
    // runtimes: here the run reaches its time limit.
    for (const char* name : {"wrong_asyncio_sleep_1e300.py", "wrong_task_sleep_1e300.swift", "wrong_thread_sleep_inf.swift"}) {
        CAPTURE(name);
        const ReproOutcome o = run_file(name);
        CHECK(o.state == RunState::time_limit);
        CHECK(o.lines.empty());
    }
    // A callback or block due in 1e10 s never runs before the program ends.
    CHECK(run_file("wrong_call_later_1e10.py").lines.empty());
    CHECK(run_file("wrong_asyncafter_far_future.swift").lines == std::vector<std::string>{"end"});
}

TEST_CASE("time.sleep of infinity raises OverflowError as CPython does") {
    const ReproOutcome o = run_file("wrong_time_sleep_inf.py");
    CHECK(o.state == RunState::uncaught_error);
    CHECK(o.lines.empty());
    const ReproOutcome caught = run_text("sleep.py",
                                         "import time\ntry:\n    time.sleep(float('inf'))\nexcept OverflowError as e:\n    print(e)\n");
    CHECK(caught.lines == std::vector<std::string>{"timestamp out of range for platform time_t"});
}

TEST_CASE("Int.min % -1 traps with an arithmetic overflow, as in Swift; other remainders by -1 are 0") {
    const ReproOutcome o = run_file("wrong_int_min_rem_minus1.swift");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("wrong_int_min_rem_minus1.swift:3:9: error: arithmetic overflow") != std::string::npos);
    CHECK(run_text("rem.swift", "print(7 % -1, -7 % 3)\n").lines == std::vector<std::string>{"0 -1"});
}

TEST_CASE("abs(-2**63) and round(1e300) report the 64-bit int limit; round(inf) raises OverflowError") {
    for (const char* name : {"wrong_abs_int_min.py", "wrong_round_huge.py"}) {
        CAPTURE(name);
        const ReproOutcome o = run_file(name);
        CHECK(o.state == RunState::runtime_error);
        CHECK(o.diagnostic.find("error: integer overflow: tasklab's Python ints are 64-bit") != std::string::npos);
    }
    const ReproOutcome o = run_text("round.py",
                                    "try:\n    round(float('inf'))\nexcept OverflowError as e:\n    print(e)\nprint(round(2.5), abs(-5))\n");
    CHECK(o.lines == std::vector<std::string>{"cannot convert float infinity to integer", "2 5"});
}

TEST_CASE("sys.exit(-1) exits with status 255 and sys.exit(\"bye\") with 1 and the message on stderr") {
    const ReproOutcome neg = run_file("wrong_sys_exit_negative.py");
    CHECK(neg.state == RunState::finished);
    CHECK(neg.exit_code == 255);
    auto file = std::make_shared<SourceFile>("bye.py", read_reproducer("wrong_sys_exit_string.py"));
    ParseResult parsed = parse_scenario(file);
    REQUIRE(parsed.ok());
    Controller c(parsed.program);
    c.run_until_idle();
    CHECK(c.status().state == RunState::finished);
    CHECK(c.status().exit_code == 1);
    CHECK(c.status().stderr_text == "bye\n");
}

TEST_CASE("Changing a dict's size while a for loop walks it raises RuntimeError; changing values does not") {
    const ReproOutcome o = run_file("wrong_dict_mutation_during_iteration.py");
    CHECK(o.state == RunState::uncaught_error);
    CHECK(o.lines.empty());
    const ReproOutcome ok = run_text("d.py", "d = {1: 1, 2: 2}\nfor k in d:\n    d[k] = 5\nprint(d)\n"
                                             "try:\n    for k in d:\n        d.pop(k)\nexcept RuntimeError as e:\n    print(e)\n");
    CHECK(ok.lines == std::vector<std::string>{"{1: 5, 2: 5}", "dictionary changed size during iteration"});
}

TEST_CASE("A ClosedRange that ends at Int.max holds its last value and iterates without overflow") {
    CHECK(run_file("wrong_closed_range_to_int_max.swift").lines ==
          std::vector<std::string>{"9223372036854775805", "9223372036854775806", "9223372036854775807"});
    const ReproOutcome o = run_text("range.swift",
                                    "let r = (Int.max - 2)...Int.max\nprint(r.count, r.last!, r.contains(Int.max), Array(r).count)\n"
                                    "print((0..<5).last!, (1...1).count, (3..<3).count)\n");
    CHECK(o.lines == std::vector<std::string>{"3 9223372036854775807 true 3", "4 1 0"});
}

TEST_CASE("A double Optional prints as Optional(Optional(5)), as in Swift") {
    CHECK(run_file("wrong_double_optional.swift").lines == std::vector<std::string>{"Optional(Optional(5))"});
    const ReproOutcome o = run_text("opt.swift", "let x: Int?? = 5\nif let y = x { print(y) }\nlet z: Int? = 3\nprint(z, x!)\n");
    CHECK(o.lines == std::vector<std::string>{"Optional(5)", "Optional(3) Optional(5)"});
}

TEST_CASE("Int.min.magnitude is the UInt 9223372036854775808, as in Swift, not a negative number") {
    const ReproOutcome o = run_file("wrong_int_min_magnitude.swift");
    CHECK(o.lines == std::vector<std::string>{"9223372036854775808"});
    CHECK(run_text("mag.swift", "print((-5).magnitude, Int.max.magnitude, type(of: Int8(-3).magnitude))\n").lines ==
          std::vector<std::string>{"5 9223372036854775807 UInt8"});
}

TEST_CASE("A run that creates a million tasks stops at the task limit with a message, in well under a gigabyte") {
    const ReproOutcome o = run_file("py_gather_1m_quadratic.py");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("py_gather_1m_quadratic.py:5:11: error: this run created 200000 tasks, tasklab's limit per run") !=
          std::string::npos);
    const ReproOutcome swift = run_text("tasks.swift", "for _ in 0..<200001 { Task { } }\n");
    CHECK(swift.state == RunState::runtime_error);
    CHECK(swift.diagnostic.find("tasks.swift:1:23: error: this run created 200000 tasks") != std::string::npos);
}

TEST_CASE("Int.random(in: Int.min...Int.max) draws from all 2^64 values, as in Swift, instead of calling the range empty") {
    CHECK(run_file("wrong_random_full_range.swift").lines == std::vector<std::string>{"true"});
    const ReproOutcome o = run_text("r.swift",
                                    "var neg = false\nvar pos = false\nfor _ in 0..<64 {\n    let x = Int.random(in: Int.min...Int.max)\n"
                                    "    if x < 0 { neg = true } else { pos = true }\n}\nprint(neg, pos)\nprint(Int.random(in: 5...5))\n");
    CHECK(o.lines == std::vector<std::string>{"true true", "5"});
    const ReproOutcome empty = run_text("e.swift", "print(Int.random(in: 1..<1))\n");
    CHECK(empty.diagnostic.find("Can't get random value with an empty range") != std::string::npos);
}

TEST_CASE("asyncio.timeout with a deadline already past cancels the block and raises TimeoutError, as CPython") {
    const ReproOutcome o = run_file("wrong_timeout_negative.py");
    CHECK(o.lines.empty());
    CHECK(o.state == RunState::uncaught_error);
    CHECK(o.exit_code == 1);
    const ReproOutcome caught = run_text("t.py",
                                         "import asyncio\nasync def main():\n    try:\n        async with asyncio.timeout(-1):\n"
                                         "            await asyncio.sleep(1)\n    except TimeoutError:\n        print('timed out at', "
                                         "asyncio.get_running_loop().time())\nasyncio.run(main())\n");
    CHECK(caught.lines == std::vector<std::string>{"timed out at 0.0"});
}

TEST_CASE("A time limit past the end of the virtual clock is refused where it is written") {
    auto file = std::make_shared<SourceFile>("wrong_loop_time_clamped.py", read_reproducer("wrong_loop_time_clamped.py"));
    const ParseResult parsed = parse_scenario(file);
    REQUIRE(parsed.diagnostics.size() == 1);
    const std::string text = render_all(*file, parsed.diagnostics);
    CHECK(text.find("wrong_loop_time_clamped.py:1:23: error: `limit time` can be at most 2305843009s (about 73 years)") !=
          std::string::npos);
}

TEST_CASE("String(format:) with a width of 2^31 stops with a message (Foundation on Linux crashes there)") {
    const ReproOutcome o = run_file("wrong_string_format_wide.swift");
    CHECK(o.state == RunState::runtime_error);
    CHECK(o.diagnostic.find("wrong_string_format_wide.swift:2:7: error: String(format:) width or precision 2147483647 is larger") !=
          std::string::npos);
}

TEST_CASE("[Int](…) initialises an array, and operators passed as functions apply as they do between operands") {
    // The lines swiftc's build of the file prints.
    CHECK(run_file("swift_array_type_init_and_operator_functions.swift").lines ==
          std::vector<std::string>{"[0, 1, 2, 3, 4]", "10", "6", "[3, 2, 1]", "[1, 2, 3]", "[\"x\", \"x\", \"x\"]", "0 true", "[0.0, 0.0]",
                                   "[[], []]", "ab", "false", "[\"k\": 1]", "-55"});
    const ReproOutcome bad = run_text("bad.swift", "print([1, 2].reduce(0, &&))\n");
    CHECK(bad.diagnostic.find("error: `&&` takes two Bools") != std::string::npos);
    const ReproOutcome notype = run_text("lit.swift", "let a = [1](0..<3)\n");
    CHECK(notype.diagnostic.find("a value of type [Int] cannot be called") != std::string::npos);
}
