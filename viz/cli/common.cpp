// Helpers shared by the `tasklab` commands: the usage text, loading a scenario, limits,
// colour and line splitting.
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <ostream>

#include "cli.hpp"
#include "viz/host/native_stack.hpp"

namespace tasklab::cli {

std::string usage_text() {
    return R"(tasklab — run concurrency scenarios on a deterministic, virtual-time scheduler

Usage:
  tasklab run FILE [options]      run a scenario, show its output, a timeline and a summary
  tasklab FILE [options]          the same as `tasklab run FILE`
  tasklab check FILE... [options] run each scenario and compare its output with its
                                  `tasklab: expect` lines (and `expect-error`)
  tasklab list [--dir DIR]        list the bundled scenarios (swift/, gcd/, actors/, asyncio/) with titles
  tasklab explore FILE [options]  run a scenario under every order the real runtime leaves open
                                  (which ready task runs first, a preemption between statements,
                                  equal timers) and list each distinct outcome
  tasklab --help                  show this help

Scenario files are .swift (tasklab's Swift and GCD subset) or .py (its asyncio subset).

Options for run:
  --print-only          print only what the program prints, one line per line, nothing else
                        (to compare with a real run; an uncaught error still goes to stderr)
  --events              show the event log (one line per trace event) instead of the timeline
  --trace OUT.jsonl     also write the whole trace as JSON lines to OUT.jsonl ('-': stdout only)
  --perfetto OUT.json   also write the run in Chrome's Trace Event Format, for ui.perfetto.dev
                        and chrome://tracing ('-': stdout only)
  --perfetto-axis A     its time axis: steps (default: virtual time with every scheduler step
                        drawn a few microseconds wide) or virtual (virtual time as it is)
  --width N             timeline width in columns (default 100)
  --no-color            no ANSI colour (colour is used only on a terminal without NO_COLOR)
Options for run and check:
  --limit-steps N       stop after N scheduler steps (overrides `tasklab: limit steps`)
  --limit-time T        stop at virtual time T: 30s, 500ms, 2m (overrides `tasklab: limit time`)
  --limit-memory SIZE   stop when the program's values pass SIZE: 256MB, 2GB (default 1GB;
                        overrides `tasklab: limit memory`)
Options for explore:
  --max-runs N          run at most N orders (default 2000); the list says when it stopped early
  --max-steps N         run at most N scheduler steps in all (default 250000): a program with
                        many tasks makes long runs
  --preemptions K       let another thread run between two statements at most K times per
                        order (Swift and GCD; default 1)
  --trace-of K          show the run of outcome K as `run` shows it (with run's options)
  --json                print the outcomes as one JSON object (lines, how each run ended,
                        how many orders, where it departs from tasklab's own order)
Options for list:
  --dir DIR             list the .swift and .py files of DIR and its subfolders instead

Options may come before or after the file names; `--` ends the options.

Exit status:
  0  ok (for check: every file passed)
  1  the scenario ended with an uncaught error (as the real runtime would)
  2  usage error, or a file could not be read
  3  the file has errors (diagnostics are printed on stderr)
  4  stopped by a runtime error, a deadlock or a limit
  5  check found a difference
  For explore: 0 when the search was complete, 4 when a bound stopped it first.
)";
}

std::optional<LoadedScenario> load_scenario(const std::string& path, std::string& error) {
    std::string text;
    if (!read_scenario_text(path, text, error)) return std::nullopt;
    LoadedScenario loaded;
    loaded.file = std::make_shared<const SourceFile>(path, std::move(text));
    loaded.parsed = parse_scenario(loaded.file);
    return loaded;
}

std::optional<LoadedScenario> load_to_run(const CliOptions& o, std::ostream& err, int& status) {
    const std::string& path = o.files.front();
    std::string read_error;
    auto loaded = load_scenario(path, read_error);
    if (!loaded) {
        err << "tasklab: cannot read " << path << ": " << read_error << '\n';
        status = static_cast<int>(ExitCode::usage);
        return std::nullopt;
    }
    if (!loaded->parsed.diagnostics.items().empty()) err << render_all(*loaded->file, loaded->parsed.diagnostics);
    if (!loaded->parsed.ok()) {
        status = static_cast<int>(ExitCode::diagnostics);
        return std::nullopt;
    }
    apply_limits(*loaded->parsed.program, o);
    return loaded;
}

std::string plural(std::uint64_t n, std::string_view one, std::string_view many) {
    return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

RunOptions host_run_options() {
    RunOptions options;
    options.native_stack_size = host::native_stack_size();
    return options;
}

void apply_limits(ast::Program& program, const CliOptions& options) {
    if (options.limit_steps) program.step_limit = *options.limit_steps;
    if (options.limit_time) program.time_limit = *options.limit_time;
    if (options.limit_memory) program.memory_limit = *options.limit_memory;
}

std::string styled(const CliOptions& options, std::string_view sgr, std::string_view text) {
    if (!options.color || sgr.empty()) return std::string(text);
    std::string out = "\x1b[";
    out += sgr;
    out += 'm';
    out += text;
    out += "\x1b[0m";
    return out;
}

std::vector<std::string> split_lines(std::string_view text) {
    std::vector<std::string> lines;
    std::size_t start = 0;
    for (;;) {
        const std::size_t nl = text.find('\n', start);
        if (nl == std::string_view::npos) {
            lines.emplace_back(text.substr(start));
            return lines;
        }
        lines.emplace_back(text.substr(start, nl - start));
        start = nl + 1;
    }
}

}  // namespace tasklab::cli
