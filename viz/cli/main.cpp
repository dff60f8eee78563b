// `tasklab`: run scenario files on the deterministic scheduler and show what happened.
//
// This file reads the arguments and dispatches; the commands live in run_command.cpp,
// check_command.cpp and list_command.cpp. Options may come before or after the file names.
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <string_view>

#include "cli.hpp"
#include "scenarios/directives.hpp"

using namespace tasklab;
using namespace tasklab::cli;

namespace {

struct UsageError {
    std::string message;
};

std::optional<std::uint64_t> parse_count(std::string_view s) {
    std::uint64_t v = 0;
    const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// "30s", "500ms", "2m", "1h", "250us", "10ns"; a bare number means seconds.
std::optional<Tick> parse_duration(std::string_view s) {
    std::size_t digits = 0;
    while (digits < s.size() && s[digits] >= '0' && s[digits] <= '9') ++digits;
    if (digits == 0) return std::nullopt;
    const auto value = parse_count(s.substr(0, digits));
    if (!value) return std::nullopt;
    const std::string_view unit = s.substr(digits);
    Tick scale = 0;
    if (unit.empty() || unit == "s") scale = k_second;
    else if (unit == "ms") scale = k_millisecond;
    else if (unit == "us") scale = k_microsecond;
    else if (unit == "ns") scale = k_nanosecond;
    else if (unit == "m" || unit == "min") scale = 60 * k_second;
    else if (unit == "h") scale = 3600 * k_second;
    else return std::nullopt;
    if (*value > static_cast<std::uint64_t>(INT64_MAX / scale)) return std::nullopt;
    return static_cast<Tick>(*value) * scale;
}

bool looks_like_scenario(std::string_view arg) { return arg.ends_with(".swift") || arg.ends_with(".py"); }

CliOptions parse_arguments(int argc, char** argv) {
    CliOptions o;
    bool saw_command = false, only_files = false;
    bool saw_print_only = false, saw_events = false, saw_dir = false, saw_width = false, saw_axis = false;
    bool saw_explore = false;
    for (int i = 1; i < argc; ++i) {
        std::string_view arg = argv[i];
        if (only_files || arg.empty() || arg[0] != '-' || arg == "-") {
            if (!saw_command && !only_files) {
                saw_command = true;
                if (arg == "run") { o.command = Command::run; continue; }
                if (arg == "check") { o.command = Command::check; continue; }
                if (arg == "list") { o.command = Command::list; continue; }
                if (arg == "explore") { o.command = Command::explore; continue; }
                if (arg == "help") { o.command = Command::help; continue; }
                if (!looks_like_scenario(arg)) throw UsageError{"unknown command '" + std::string(arg) + "'"};
                o.command = Command::run;  // `tasklab FILE` is short for `tasklab run FILE`
            }
            o.files.emplace_back(arg);
            continue;
        }
        if (arg == "--") { only_files = true; continue; }
        // --name=value or --name value
        std::string_view name = arg, inline_value;
        bool has_inline = false;
        if (const auto eq = arg.find('='); eq != std::string_view::npos && arg.starts_with("--")) {
            name = arg.substr(0, eq);
            inline_value = arg.substr(eq + 1);
            has_inline = true;
        }
        auto value = [&]() -> std::string_view {
            if (has_inline) return inline_value;
            if (i + 1 >= argc) throw UsageError{"option " + std::string(name) + " needs a value"};
            return argv[++i];
        };
        auto no_value = [&] {
            if (has_inline) throw UsageError{"option " + std::string(name) + " takes no value"};
        };
        if (name == "-h" || name == "--help") { no_value(); o.command = Command::help; return o; }
        if (name == "--print-only") { no_value(); saw_print_only = true; o.view = RunView::print_only; }
        else if (name == "--events") { no_value(); saw_events = true; o.view = RunView::events; }
        else if (name == "--trace") {
            o.trace_path = std::string(value());
            if (o.trace_path.empty()) throw UsageError{"--trace needs a file name"};
        } else if (name == "--perfetto") {
            o.perfetto_path = std::string(value());
            if (o.perfetto_path.empty()) throw UsageError{"--perfetto needs a file name"};
        } else if (name == "--perfetto-axis") {
            saw_axis = true;
            const std::string_view v = value();
            if (v == "steps") o.perfetto_axis = PerfettoAxis::steps;
            else if (v == "virtual") o.perfetto_axis = PerfettoAxis::virtual_time;
            else throw UsageError{"--perfetto-axis expects steps or virtual, not '" + std::string(v) + "'"};
        } else if (name == "--limit-steps") {
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n == 0) throw UsageError{"--limit-steps expects a positive number, not '" + std::string(v) + "'"};
            o.limit_steps = n;
        } else if (name == "--limit-time") {
            const std::string_view v = value();
            const auto d = parse_duration(v);
            if (!d || *d == 0) throw UsageError{"--limit-time expects a duration such as 30s or 500ms, not '" + std::string(v) + "'"};
            if (*d > k_max_time_limit)
                throw UsageError{"--limit-time can be at most " + std::to_string(k_max_time_limit / 1'000'000'000) +
                                 "s (about 73 years), where tasklab's virtual clock ends"};
            o.limit_time = d;
        } else if (name == "--limit-memory") {
            const std::string_view v = value();
            std::uint64_t bytes = 0;
            if (!parse_size(v, bytes) || bytes < k_min_memory_limit)
                throw UsageError{"--limit-memory expects a size from 1MB to 1024GB such as 256MB or 2GB, not '" + std::string(v) + "'"};
            o.limit_memory = bytes;
        } else if (name == "--dir") {
            saw_dir = true;
            o.dir = std::string(value());
        } else if (name == "--width") {
            saw_width = true;
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n < 20 || *n > 1000) throw UsageError{"--width expects a number of columns from 20 to 1000"};
            o.width = static_cast<std::uint32_t>(*n);
        } else if (name == "--no-color") { no_value(); o.color = false; }
        else if (name == "--max-runs") {
            saw_explore = true;
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n == 0 || *n > 10'000'000) throw UsageError{"--max-runs expects a number from 1 to 10000000, not '" + std::string(v) + "'"};
            o.max_runs = *n;
        } else if (name == "--max-steps") {
            saw_explore = true;
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n == 0) throw UsageError{"--max-steps expects a positive number, not '" + std::string(v) + "'"};
            o.max_steps = *n;
        } else if (name == "--preemptions") {
            saw_explore = true;
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n > 8) throw UsageError{"--preemptions expects a number from 0 to 8, not '" + std::string(v) + "'"};
            o.preemptions = static_cast<unsigned>(*n);
        } else if (name == "--json") {
            no_value();
            saw_explore = true;
            o.json = true;
        } else if (name == "--trace-of") {
            saw_explore = true;
            const std::string_view v = value();
            const auto n = parse_count(v);
            if (!n || *n == 0) throw UsageError{"--trace-of expects an outcome number (1, 2, …), not '" + std::string(v) + "'"};
            o.trace_of = n;
        }
        else throw UsageError{"unknown option '" + std::string(arg) + "'"};
    }
    if (saw_print_only && saw_events) throw UsageError{"--print-only and --events cannot be combined"};
    if (o.trace_path == "-" && o.perfetto_path == "-") throw UsageError{"--trace - and --perfetto - cannot share stdout"};
    if (saw_axis && o.perfetto_path.empty()) throw UsageError{"--perfetto-axis applies to --perfetto"};
    const bool run_only = saw_print_only || saw_events || !o.trace_path.empty() || !o.perfetto_path.empty() || saw_width;
    if (saw_explore && o.command != Command::explore) throw UsageError{"--max-runs, --max-steps, --preemptions, --trace-of and --json apply to explore"};
    switch (o.command) {
    case Command::explore:
        if (o.files.empty()) throw UsageError{"explore needs a scenario file"};
        if (o.files.size() > 1) throw UsageError{"explore takes one scenario file"};
        if (saw_dir) throw UsageError{"--dir applies to list"};
        if (o.json && o.trace_of) throw UsageError{"--json and --trace-of cannot be combined"};
        if (run_only && !o.trace_of) throw UsageError{"--print-only, --events, --trace, --perfetto and --width apply to run and to explore --trace-of"};
        break;
    case Command::help:
        if (!o.files.empty()) throw UsageError{"unexpected argument '" + o.files.front() + "'"};
        break;
    case Command::run:
        if (o.files.empty()) throw UsageError{"run needs a scenario file"};
        if (o.files.size() > 1) throw UsageError{"run takes one scenario file (use check for several)"};
        if (saw_dir) throw UsageError{"--dir applies to list"};
        break;
    case Command::check:
        if (o.files.empty()) throw UsageError{"check needs at least one scenario file"};
        if (run_only) throw UsageError{"--print-only, --events, --trace, --perfetto and --width apply to run"};
        if (saw_dir) throw UsageError{"--dir applies to list"};
        break;
    case Command::list:
        if (!o.files.empty()) throw UsageError{"list takes no files (use --dir DIR)"};
        if (run_only || o.limit_steps || o.limit_time || o.limit_memory) throw UsageError{"list takes only --dir"};
        break;
    }
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    std::ios::sync_with_stdio(false);
    CliOptions options;
    try {
        options = parse_arguments(argc, argv);
    } catch (const UsageError& e) {
        std::cerr << "tasklab: " << e.message << "\nTry 'tasklab --help' for the commands and options.\n";
        return static_cast<int>(ExitCode::usage);
    }
    // Colour only for a person at a terminal: never into files, pipes or with NO_COLOR set.
    options.color = options.color && isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;

    int status = 0;
    try {
        switch (options.command) {
        case Command::help:
            std::cout << usage_text();
            status = static_cast<int>(ExitCode::ok);
            break;
        case Command::run: status = run_command(options, std::cout, std::cerr); break;
        case Command::check: status = check_command(options, std::cout, std::cerr); break;
        case Command::list: status = list_command(options, std::cout, std::cerr); break;
        case Command::explore: status = explore_command(options, std::cout, std::cerr); break;
        }
    } catch (const std::exception& e) {
        // Scenario errors are values; a C++ exception here is a bug in tasklab itself.
        std::cout.flush();
        std::cerr << "tasklab: internal error: " << e.what() << '\n';
        return static_cast<int>(ExitCode::stopped);
    }
    std::cout.flush();
    return status;
}
