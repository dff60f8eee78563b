// What the libFuzzer targets of tests/fuzz share: one input becomes one scenario file, parsed
// (and, for the run targets, run) the way `tasklab run` does, with limits small enough that
// every input ends in a small fraction of a second under AddressSanitizer.
//
// A target fails (abort(), which libFuzzer reports as a crash with the input saved) only for
// what must never happen whatever the input: a parser that gives up because its work stopped
// being linear in its input, or a run that ends in RunState::internal_error (a bug in
// tasklab by its own account). Crashes, sanitizer reports, hangs (-timeout) and memory
// blow-ups (-rss_limit_mb, -malloc_limit_mb) are libFuzzer's own findings.
// docs/fuzzing.md says how to build the targets and run them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "engine/controller.hpp"
#include "scenarios/front_end_limits.hpp"
#include "scenarios/frontend.hpp"

namespace tasklab::fuzz {

/// Scheduler steps a fuzzed run may take (a `limit steps` directive can only lower it).
inline constexpr std::uint64_t k_max_steps = 64;
/// Statements, loop iterations and elements of built-in work per step: with k_max_steps,
/// this bounds a run's work to about 128,000 units, and it also bounds the call depth.
inline constexpr std::uint64_t k_max_statements_per_step = 2000;
/// The run's memory budget (`limit memory` can only lower it): far below libFuzzer's
/// -malloc_limit_mb, so a string or list that doubles stops at the budget, with its message.
inline constexpr std::uint64_t k_max_memory = 64ull << 20;

/// Parser work per input byte above which the parse counts as non-linear. Linear parses stay
/// far below it, although lookahead that is bounded by a nesting cap (64 levels of a type
/// scanned behind each `[`, 256 levels of brackets and blocks) lets a few hundred nested
/// brackets reach about 350 reads per byte; a quadratic parse of a few KB passes it.
inline constexpr std::uint64_t k_parser_work_per_byte = 1024;
/// Inputs shorter than this are not held to the per-byte bound (a few tokens of lookahead
/// weigh more in a tiny input).
inline constexpr std::size_t k_min_bytes_for_work_bound = 32;

[[noreturn]] inline void fail(const char* what, const std::string& detail) {
    std::fprintf(stderr, "tasklab fuzz: %s\n%s\n", what, detail.c_str());
    std::fflush(stderr);
    std::abort();
}

/// Parses `data` as the scenario file `name` and renders its diagnostics; fails when the
/// parser gave up or did more than linear work.
inline ParseResult parse_input(const char* name, const std::uint8_t* data, std::size_t size,
                               std::shared_ptr<const SourceFile>& file) {
    file = std::make_shared<SourceFile>(name, std::string(reinterpret_cast<const char*>(data), size));
    ParseResult parsed = parse_scenario(file);
    const std::string rendered = render_all(*file, parsed.diagnostics);
    // The message, not the rendering: the rendering quotes the input's own lines.
    for (const Diagnostic& d : parsed.diagnostics.items())
        if (d.message.rfind("the parser gave up", 0) == 0) fail("the parser gave up", rendered);
    if (size >= k_min_bytes_for_work_bound && parsed.parser_work > k_parser_work_per_byte * (size + 1))
        fail("parser work is not linear in the input",
             std::to_string(parsed.parser_work) + " tokens read for " + std::to_string(size) + " bytes");
    return parsed;
}

/// Parses and, when the file has no errors, runs it to its end under the fuzzing limits and
/// renders how it ended; fails on an internal error.
inline void parse_and_run(const char* name, const std::uint8_t* data, std::size_t size) {
    std::shared_ptr<const SourceFile> file;
    ParseResult parsed = parse_input(name, data, size, file);
    if (!parsed.ok()) return;
    ast::Program& program = *parsed.program;
    if (program.step_limit == 0 || program.step_limit > k_max_steps) program.step_limit = k_max_steps;
    if (program.memory_limit == 0 || program.memory_limit > k_max_memory) program.memory_limit = k_max_memory;
    RunOptions options;
    options.limits.max_steps = k_max_steps;
    options.max_statements_per_step = k_max_statements_per_step;
    options.max_memory = k_max_memory;
    Controller controller(parsed.program, options);
    controller.run_until_idle();
    const RunStatus& status = controller.status();
    std::string rendered = status.message;
    if (status.diagnostic) rendered += render(*file, *status.diagnostic);
    for (const OutputLine& line : controller.output()) rendered += line.text;
    if (status.state == RunState::internal_error) fail("the run ended with an internal error", rendered);
}

}  // namespace tasklab::fuzz
