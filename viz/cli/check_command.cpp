// `tasklab check FILE…`: run each scenario and compare what it prints with its
// `tasklab: expect …` lines, and its uncaught error with `tasklab: expect-error …`.
//
//     PASS scenarios/swift/unstructured_task.swift
//     FAIL scenarios/swift/born_cancelled.swift
//       line 2 differs
//         expected: 🟡 Task: 작업이 취소되었습니다.
//         actual:   ➡️ Task2 작업이 완료되었습니다.
//
// It also explores each file (engine/explore.hpp, the default bounds) and warns when its
// output depends on a race no narration mentions: a lesson that prints one thing in tasklab
// and may print another in a real run should say so (docs/language.md, "The race lint").
// Warnings do not change the exit status.
//
//     scenarios/gcd/x.swift: warning: this output depends on a race: 2 outcomes possible (see tasklab explore scenarios/gcd/x.swift)
#include <algorithm>
#include <ostream>

#include "cli.hpp"
#include "engine/controller.hpp"
#include "engine/explore.hpp"

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

/// True when a narration text names a race: a word that starts with "race" or "racy" or is
/// "racing", in any case ("trace" and "embrace" are not the word).
bool note_mentions_race(std::string_view text) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    const auto letter = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
    for (std::size_t i = 0; i + 4 <= text.size(); ++i) {
        if (i > 0 && letter(text[i - 1])) continue;  // "trace", "embrace": not the word
        if (lower(text[i]) != 'r' || lower(text[i + 1]) != 'a' || lower(text[i + 2]) != 'c') continue;
        const char c = lower(text[i + 3]);
        if (c == 'e' || c == 'y') return true;  // race, races, raced, race-free, racy
        if (c == 'i' && i + 6 <= text.size() && lower(text[i + 4]) == 'n' && lower(text[i + 5]) == 'g') return true;
    }
    return false;
}

/// The race lint: a warning when the program has more than one outcome (explored with the
/// default bounds) and none of its `tasklab: note` texts mentions a race.
std::optional<std::string> race_warning(const std::string& path, std::shared_ptr<const ast::Program> program) {
    for (const auto& note : program->notes)
        if (note_mentions_race(note)) return std::nullopt;
    ExploreOptions options;  // the default bounds
    options.run = host_run_options();
    const ExploreResult result = explore(std::move(program), options);
    if (result.outcomes.size() < 2) return std::nullopt;
    return path + ": warning: this output depends on a race: " + (result.complete ? "" : "at least ") +
           std::to_string(result.outcomes.size()) + " outcomes possible (see tasklab explore " + path + ")";
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
        if (loaded->parsed.ok()) {
            if (auto warning = race_warning(path, loaded->parsed.program))
                out << styled(o, "1;33", *warning) << '\n';
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
