// Golden tests: every bundled scenario, run to the end, against a checked-in golden file.
//
// For each scenario under scenarios/swift/*.swift, scenarios/gcd/*.swift, scenarios/actors/*.swift and
// scenarios/asyncio/*.py (the folders are globbed at run time, so a new scenario is picked up
// without editing this file), tests/golden/<folder>/<name>.golden holds what the run must
// give: how it ended (RunState and the exit status the real program would have), the number
// of trace events and tasks, the Trace::digest(), and every line the program printed
// (exactly what `tasklab run --print-only` writes). The test also checks that the scenario's
// own `tasklab: expect` lines (and `expect-error`) match what it printed, and that two runs
// give the same digest.
//
// Rewriting the golden files: when the engine's behaviour changes on purpose, run
//
//     TASKLAB_UPDATE_GOLDEN=1 build/tests/tasklab_tests -tc="every bundled scenario*"
//
// and the test writes each golden file instead of comparing it (files that did not change are
// left untouched). Review the diff (`git diff tests/golden`) before committing: a golden file
// is only as right as the person who read it. Golden files whose scenario no longer exists
// are reported by a separate test case; delete them by hand.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "engine/controller.hpp"
#include "scenarios/frontend.hpp"

using namespace tasklab;

namespace {

namespace fs = std::filesystem;

/// A scenario folder and the file extension its scenarios use.
struct ScenarioFolder {
    std::string_view name;
    std::string_view extension;
};
constexpr ScenarioFolder k_folders[] = {{"swift", ".swift"}, {"gcd", ".swift"}, {"actors", ".swift"}, {"asyncio", ".py"}};

fs::path source_dir() { return fs::path(TASKLAB_SOURCE_DIR); }

/// One bundled scenario: `folder/stem` names it, e.g. `swift/born_cancelled`.
struct Scenario {
    std::string folder;
    std::string stem;
    fs::path source;  ///< scenarios/<folder>/<stem><ext>
    fs::path golden;  ///< tests/golden/<folder>/<stem>.golden
    [[nodiscard]] std::string label() const { return "scenarios/" + folder + "/" + source.filename().string(); }
    [[nodiscard]] std::string golden_label() const { return "tests/golden/" + folder + "/" + stem + ".golden"; }
};

/// Every bundled scenario, sorted by folder then file name (directory order is not stable).
std::vector<Scenario> bundled_scenarios() {
    std::vector<Scenario> out;
    for (const auto& folder : k_folders) {
        const fs::path dir = source_dir() / "scenarios" / folder.name;
        std::error_code ec;
        if (!fs::is_directory(dir, ec)) continue;
        std::vector<Scenario> here;
        for (const auto& entry : fs::directory_iterator(dir)) {
            if (!entry.is_regular_file() || entry.path().extension() != folder.extension) continue;
            Scenario s;
            s.folder = std::string(folder.name);
            s.stem = entry.path().stem().string();
            s.source = entry.path();
            s.golden = source_dir() / "tests" / "golden" / folder.name / (s.stem + ".golden");
            here.push_back(std::move(s));
        }
        std::sort(here.begin(), here.end(), [](const Scenario& a, const Scenario& b) { return a.stem < b.stem; });
        for (auto& s : here) out.push_back(std::move(s));
    }
    return out;
}

bool update_requested() {
    const char* v = std::getenv("TASKLAB_UPDATE_GOLDEN");
    return v != nullptr && std::string_view(v) == "1";
}

std::string read_file(const fs::path& path, bool& ok) {
    std::ifstream in(path, std::ios::binary);
    ok = static_cast<bool>(in);
    std::ostringstream text;
    if (ok) text << in.rdbuf();
    return text.str();
}

/// Splits on '\n'; a final newline does not start another line.
std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    while (start < text.size()) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            break;
        }
        lines.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
    return lines;
}

std::string hex64(std::uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
    return buf;
}

/// What one run of a scenario gives, in the shape of its golden file.
struct Outcome {
    RunState state = RunState::running;
    int exit_code = 0;
    std::uint64_t events = 0;
    std::size_t tasks = 0;
    std::uint64_t digest = 0;
    std::vector<std::string> printed;  ///< --print-only output, one entry per line
    std::vector<std::string> stderr_lines;
    std::string stderr_text;
};

Outcome run_once(const std::shared_ptr<const ast::Program>& program) {
    Controller c(program);
    c.run_until_idle();
    Outcome o;
    o.state = c.status().state;
    o.exit_code = c.status().exit_code;
    o.events = c.trace().size();
    o.tasks = c.trace().tasks().size() - 1;  // index 0 is a placeholder
    o.digest = c.trace().digest();
    // --print-only writes each OutputLine's text followed by '\n'; a text may hold newlines.
    for (const auto& line : c.output()) {
        std::size_t start = 0;
        for (;;) {
            const std::size_t nl = line.text.find('\n', start);
            if (nl == std::string::npos) {
                o.printed.push_back(line.text.substr(start));
                break;
            }
            o.printed.push_back(line.text.substr(start, nl - start));
            start = nl + 1;
        }
    }
    o.stderr_text = c.status().stderr_text;
    o.stderr_lines = split_lines(o.stderr_text);
    return o;
}

/// The golden file's text. Printed lines carry a "| " prefix and stderr lines "! ", so blank
/// lines and trailing spaces survive and a reader sees where each line starts and ends.
std::string render_golden(const Scenario& s, const Outcome& o) {
    std::string g;
    g += "# Golden run of " + s.label() + ". Rewrite: TASKLAB_UPDATE_GOLDEN=1 tasklab_tests -tc=\"every bundled scenario*\"\n";
    g += "state: " + std::string(run_state_name(o.state)) + "\n";
    g += "exit code: " + std::to_string(o.exit_code) + "\n";
    g += "events: " + std::to_string(o.events) + "\n";
    g += "tasks: " + std::to_string(o.tasks) + "\n";
    g += "digest: " + hex64(o.digest) + "\n";
    g += "printed: " + std::to_string(o.printed.size()) + (o.printed.size() == 1 ? " line\n" : " lines\n");
    for (const auto& line : o.printed) g += "| " + line + "\n";
    if (!o.stderr_lines.empty()) {
        g += "stderr: " + std::to_string(o.stderr_lines.size()) + (o.stderr_lines.size() == 1 ? " line\n" : " lines\n");
        for (const auto& line : o.stderr_lines) g += "! " + line + "\n";
    }
    return g;
}

/// "" when equal, else where the two lists first differ: "line N differs" and both lines.
std::string first_difference(const std::vector<std::string>& expected, const std::vector<std::string>& actual,
                             std::string_view expected_name, std::string_view actual_name) {
    const std::size_t n = std::max(expected.size(), actual.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool have_e = i < expected.size(), have_a = i < actual.size();
        if (have_e && have_a && expected[i] == actual[i]) continue;
        return "line " + std::to_string(i + 1) + " differs\n  " + std::string(expected_name) + ": " +
               (have_e ? expected[i] : "(end: " + std::to_string(expected.size()) + " lines)") + "\n  " +
               std::string(actual_name) + ": " +
               (have_a ? actual[i] : "(end: " + std::to_string(actual.size()) + " lines)");
    }
    return {};
}

void check_scenario(const Scenario& s) {
    const std::string label = s.label();  // INFO keeps a reference: it must outlive the checks
    INFO("scenario: ", label);
    bool readable = false;
    const std::string text = read_file(s.source, readable);
    // CHECK and return, not REQUIRE: a fatal failure would end the loop and hide the other
    // scenarios' results.
    CHECK_MESSAGE(readable, "cannot read ", s.source.string());
    if (!readable) return;
    auto file = std::make_shared<const SourceFile>(s.label(), text);
    ParseResult parsed = parse_scenario(file);
    CHECK_MESSAGE(parsed.ok(), s.label(), " has errors:\n", render_all(*file, parsed.diagnostics));
    if (!parsed.ok()) return;
    const std::shared_ptr<const ast::Program> program = parsed.program;

    const Outcome first = run_once(program);
    const Outcome second = run_once(program);
    CHECK_MESSAGE(first.digest == second.digest, s.label(), ": two runs gave different traces (digest ",
                  hex64(first.digest), " then ", hex64(second.digest), ")");
    CHECK_MESSAGE(first.printed == second.printed, s.label(), ": two runs printed different lines");

    // The scenario's own claim about what the real runtime prints.
    CHECK_MESSAGE(!(program->expect.empty() && program->expect_error.empty()), s.label(),
                  " has no `tasklab: expect` lines");
    if (!program->expect.empty() || !program->expect_error.empty()) {
        const std::string diff = first_difference(program->expect, first.printed, "expected", "printed ");
        CHECK_MESSAGE(diff.empty(), s.label(), ": its `tasklab: expect` lines and its printed lines differ: ",
                      diff);
        if (program->expect_error.empty()) {
            CHECK_MESSAGE(first.state != RunState::uncaught_error, s.label(), ": unexpected uncaught error: ",
                          first.stderr_text);
        } else {
            CHECK_MESSAGE(first.state == RunState::uncaught_error, s.label(),
                          ": `tasklab: expect-error` but the run ended ", run_state_name(first.state));
            CHECK_MESSAGE(first.stderr_text.find(program->expect_error) != std::string::npos, s.label(),
                          ": stderr does not contain the `expect-error` text \"", program->expect_error, "\"");
        }
    }

    const std::string actual = render_golden(s, first);
    bool have_golden = false;
    const std::string golden = read_file(s.golden, have_golden);
    if (update_requested()) {
        if (!have_golden || golden != actual) {
            fs::create_directories(s.golden.parent_path());
            std::ofstream out(s.golden, std::ios::binary | std::ios::trunc);
            out << actual;
            CHECK_MESSAGE(static_cast<bool>(out.flush()), "cannot write ", s.golden.string());
            MESSAGE("rewrote ", s.golden_label());
        }
        return;
    }
    CHECK_MESSAGE(have_golden, s.label(), " has no golden file ", s.golden_label(),
                  "; create it with TASKLAB_UPDATE_GOLDEN=1 and read it before committing");
    if (!have_golden) return;
    const std::string diff = first_difference(split_lines(golden), split_lines(actual), "golden", "actual");
    CHECK_MESSAGE(diff.empty(), s.label(), " differs from ", s.golden_label(), ": ", diff);
}

}  // namespace

TEST_CASE("every bundled scenario matches its golden file, its own expectations and itself") {
    const std::vector<Scenario> scenarios = bundled_scenarios();
    REQUIRE_FALSE(scenarios.empty());
    for (const Scenario& s : scenarios) {
        const std::string name = s.label();
        SUBCASE(name.c_str()) { check_scenario(s); }
    }
}

TEST_CASE("every golden file belongs to a bundled scenario") {
    std::vector<std::string> expected;
    for (const Scenario& s : bundled_scenarios()) expected.push_back(s.golden.lexically_normal().string());
    const fs::path root = source_dir() / "tests" / "golden";
    std::error_code ec;
    if (!fs::is_directory(root, ec)) return;
    for (const auto& entry : fs::recursive_directory_iterator(root)) {
        if (!entry.is_regular_file() || entry.path().extension() != ".golden") continue;
        const std::string path = entry.path().lexically_normal().string();
        CHECK_MESSAGE(std::find(expected.begin(), expected.end(), path) != expected.end(), path,
                      " has no scenario under scenarios/ (delete it, or restore the scenario)");
    }
}
