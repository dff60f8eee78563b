// The `tasklab` command: shared pieces of its subcommands (run, check, list).
//
// main.cpp turns the arguments into CliOptions and dispatches; each command lives in its own
// file and returns the process exit status. Everything printed goes through the streams
// passed in, so the commands stay testable and nothing else writes to stdout.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/run_types.hpp"
#include "engine/time.hpp"
#include "scenarios/frontend.hpp"
#include "viz/text/perfetto.hpp"

namespace tasklab {
class Controller;
}

namespace tasklab::cli {

/// The exit statuses of `tasklab`, as documented in `tasklab --help`.
enum class ExitCode : int {
    ok = 0,              ///< the run (or every check) succeeded
    uncaught_error = 1,  ///< the scenario ended with an uncaught error, as the real runtime would
    usage = 2,           ///< bad arguments, unreadable files
    diagnostics = 3,     ///< the scenario file has errors
    stopped = 4,         ///< a runtime error, a deadlock or a limit stopped the run
    check_failed = 5,    ///< `check` found a difference
};

enum class Command : std::uint8_t { help, run, check, list, explore };

/// What `run` prints on stdout.
enum class RunView : std::uint8_t {
    report,      ///< header, printed lines, timeline, summary
    print_only,  ///< only what the program printed
    events,      ///< header, printed lines, the event log, summary
};

struct CliOptions {
    Command command = Command::help;
    std::vector<std::string> files;
    RunView view = RunView::report;
    std::string trace_path;                 ///< --trace OUT.jsonl ("-": stdout); empty: none
    std::string perfetto_path;              ///< --perfetto OUT.json ("-": stdout); empty: none
    PerfettoAxis perfetto_axis = PerfettoAxis::steps;  ///< --perfetto-axis steps|virtual
    std::optional<std::uint64_t> limit_steps;
    std::optional<Tick> limit_time;
    std::optional<std::uint64_t> limit_memory;  ///< --limit-memory, in bytes
    std::string dir;                        ///< --dir for `list`
    std::uint32_t width = 100;              ///< --width: timeline columns
    bool color = true;                      ///< ANSI colour on stdout (off: --no-color, no TTY, NO_COLOR)
    std::uint64_t max_runs = 2000;          ///< explore --max-runs: orders to run at most
    std::uint64_t max_steps = 250'000;    ///< explore --max-steps: steps of all runs together at most
    unsigned preemptions = 1;               ///< explore --preemptions: per order at most
    std::optional<std::uint64_t> trace_of;  ///< explore --trace-of K: show outcome K's run as `run` does
    bool json = false;                      ///< explore --json: the outcomes as one JSON object
};

/// The usage text (`tasklab --help`).
std::string usage_text();

/// A scenario file read and parsed.
struct LoadedScenario {
    std::shared_ptr<const SourceFile> file;
    ParseResult parsed;
};

/// Reads and parses `path`. On a read failure returns nothing and sets `error` to the reason
/// ("No such file or directory").
std::optional<LoadedScenario> load_scenario(const std::string& path, std::string& error);

/// Reads and parses the one file of `run` or `explore` and applies the --limit-* options. On
/// failure says why on `err` (the file's diagnostics, or why it cannot be read), sets `status`
/// (usage or diagnostics) and returns nothing.
std::optional<LoadedScenario> load_to_run(const CliOptions& options, std::ostream& err, int& status);

/// "1 order", "3 orders".
std::string plural(std::uint64_t n, std::string_view one, std::string_view many);

/// Applies --limit-steps / --limit-time / --limit-memory to a parsed program (they override its directives).
void apply_limits(ast::Program& program, const CliOptions& options);
/// The run options of this host: the defaults, and the facts of the operating system the
/// engine needs (the native stack size).
RunOptions host_run_options();

int run_command(const CliOptions& options, std::ostream& out, std::ostream& err);
int check_command(const CliOptions& options, std::ostream& out, std::ostream& err);
int list_command(const CliOptions& options, std::ostream& out, std::ostream& err);
int explore_command(const CliOptions& options, std::ostream& out, std::ostream& err);
/// What `run` shows of a finished run (its report, --print-only, --events, --trace,
/// --perfetto) and its exit status; `explore --trace-of` shows an outcome's run the same way.
int report_run(const CliOptions& options, const Controller& controller, std::ostream& out, std::ostream& err);

/// Wraps text in an ANSI style when colour is on ("1" bold, "2" dim, "1;31" bold red, …).
std::string styled(const CliOptions& options, std::string_view sgr, std::string_view text);

/// Splits text into lines at '\n': "a\nb" is two lines, "" and "a\n" end in an empty line.
std::vector<std::string> split_lines(std::string_view text);

}  // namespace tasklab::cli
