// `tasklab check FILE…`: run each scenario and compare what it prints with its
// `tasklab: expect …` lines, and its uncaught error with `tasklab: expect-error …`.
//
//     PASS scenarios/swift/unstructured_task.swift
//     FAIL scenarios/swift/born_cancelled.swift
//       line 2 differs
//         expected: 🟡 Task: 작업이 취소되었습니다.
//         actual:   ➡️ Task2 작업이 완료되었습니다.
#include <algorithm>
#include <ostream>

#include "cli.hpp"
#include "engine/controller.hpp"

namespace tasklab::cli {

namespace {

struct Verdict {
    bool pass = true;
    std::vector<std::string> reasons;  // indented lines under FAIL
    void fail(std::string reason) {
        pass = false;
        reasons.push_back(std::move(reason));
    }
};

std::string first_line(std::string_view text) {
    const auto nl = text.find('\n');
    return std::string(nl == std::string_view::npos ? text : text.substr(0, nl));
}

std::string plural_lines(std::size_t n) { return std::to_string(n) + (n == 1 ? " line" : " lines"); }

void compare_output(Verdict& v, const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
    const std::size_t n = std::max(expected.size(), actual.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool have_e = i < expected.size(), have_a = i < actual.size();
        if (have_e && have_a && expected[i] == actual[i]) continue;
        v.fail("line " + std::to_string(i + 1) + " differs");
        v.fail("  expected: " + (have_e ? expected[i]
                                        : "(end of output: " + plural_lines(expected.size()) + " expected)"));
        v.fail("  actual:   " + (have_a ? actual[i] : "(end of output: it printed " + plural_lines(actual.size()) + ")"));
        return;
    }
}

Verdict check_one(const LoadedScenario& loaded, const CliOptions& o) {
    Verdict v;
    const ast::Program& program = *loaded.parsed.program;
    if (!loaded.parsed.ok()) {
        v.fail("the file has errors:");
        for (const auto& line : split_lines(render_all(*loaded.file, loaded.parsed.diagnostics)))
            if (!line.empty()) v.fail("  " + line);
        return v;
    }
    if (program.expect.empty() && program.expect_error.empty()) {
        const std::string_view comment = program.language == ast::Language::python ? "#" : "//";
        v.fail("it has no expectations: add a `" + std::string(comment) +
               " tasklab: expect <line>` comment for each line it should print");
        return v;
    }
    apply_limits(*loaded.parsed.program, o);
    Controller controller(loaded.parsed.program, host_run_options());
    controller.run_until_idle();
    const RunStatus& st = controller.status();

    std::vector<std::string> actual;
    for (const auto& line : controller.output())
        for (auto& part : split_lines(line.text)) actual.push_back(std::move(part));
    compare_output(v, program.expect, actual);

    switch (st.state) {
    case RunState::finished:
        if (!program.expect_error.empty())
            v.fail("expected an uncaught error containing \"" + program.expect_error +
                   "\", but the program finished normally");
        break;
    case RunState::uncaught_error:
        if (program.expect_error.empty())
            v.fail("unexpected uncaught error: " + first_line(st.stderr_text));
        else if (st.stderr_text.find(program.expect_error) == std::string::npos)
            v.fail("expected the uncaught error to contain \"" + program.expect_error + "\", got: " +
                   first_line(st.stderr_text));
        break;
    default: {
        std::string where;
        if (st.diagnostic && loaded.file) {
            const LineCol lc = loaded.file->locate(st.diagnostic->span.begin);
            where = " (" + loaded.file->name() + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column) + ")";
        }
        v.fail("the run stopped: " + (st.message.empty() ? std::string(run_state_name(st.state)) : st.message) + where);
        break;
    }
    }
    return v;
}

}  // namespace

int check_command(const CliOptions& o, std::ostream& out, std::ostream& err) {
    std::size_t passed = 0, failed = 0;
    bool unreadable = false;
    for (const auto& path : o.files) {
        std::string read_error;
        auto loaded = load_scenario(path, read_error);
        if (!loaded) {
            err << "tasklab: cannot read " << path << ": " << read_error << '\n';
            unreadable = true;
            ++failed;
            continue;
        }
        const Verdict v = check_one(*loaded, o);
        if (v.pass) {
            ++passed;
            out << styled(o, "1;32", "PASS") << ' ' << path << '\n';
        } else {
            ++failed;
            out << styled(o, "1;31", "FAIL") << ' ' << path << '\n';
            for (const auto& r : v.reasons) out << "  " << r << '\n';
        }
    }
    if (o.files.size() > 1) {
        out << '\n' << passed << " passed, " << failed << " failed\n";
    }
    out.flush();
    if (unreadable) return static_cast<int>(ExitCode::usage);
    return static_cast<int>(failed == 0 ? ExitCode::ok : ExitCode::check_failed);
}

}  // namespace tasklab::cli
