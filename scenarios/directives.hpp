// Directives: tasklab's own settings, written in scenario comments.
//
// A directive is a comment whose text starts with `tasklab:` — `// tasklab: …` in Swift and
// `# tasklab: …` in Python — so a scenario stays valid source for the real toolchain. Both
// front ends hand every line comment to collect_directive() and call attach_notes() once the
// tree is built. The known directives:
//
//     title <text>                   seed <n>                 note <text>
//     note-at <event> <text>         (event: end, cancel, observed, throw, finish)
//     expect <text>                  expect-error <text>
//     latency <api> <duration>       latency <api> <min>..<max>
//     signal <SIGNAME> at <duration> limit steps <n>          limit time <duration>
//     swift-version <mode>           (the real compiler's language mode: checked, not modelled)
//     limit memory <size>            (size: 256MB, 1GB, 512KB; binary units)
//
// Durations are a whole or decimal number and a unit: `2s`, `1.5s`, `500ms`, `250us`, `10ns`.
#pragma once

#include <cstdint>

#include <string>
#include <string_view>
#include <vector>

#include "ast.hpp"
#include "diagnostics.hpp"

namespace tasklab {

/// A `note` waiting for the statement after it.
struct PendingNote {
    std::string text;
    Span span;  ///< the directive's text; notes attach to the first statement beginning after it
    bool targeted = false;                ///< a `note-at`: fires at `at`, not when the statement starts
    ast::NoteEvent at = ast::NoteEvent::end;
};

/// What directives carry from one comment to the next in one file.
struct DirectiveState {
    std::vector<PendingNote> notes;  ///< in file order
    std::uint64_t expect_bytes = 0;  ///< text of every `expect` line so far (k_max_expect_bytes caps it)
};

/// Most expected lines a file may declare (`expect` and `expect-repeat` together).
inline constexpr std::uint64_t k_max_expect_lines = 1'000'000;
/// Most bytes of expected text a file may declare (each line counts its length plus one).
inline constexpr std::uint64_t k_max_expect_bytes = 16ULL * 1024 * 1024;

/// The latest virtual time `limit time` may name: the end of tasklab's virtual clock (about
/// 73 years; delays past it wait until then, see docs/language.md "Runtime limits").
inline constexpr std::int64_t k_max_time_limit = INT64_MAX / 4;
/// Smallest and largest `limit memory` (1 MiB to 1 TiB).
inline constexpr std::uint64_t k_min_memory_limit = 1ULL << 20;
inline constexpr std::uint64_t k_max_memory_limit = 1ULL << 40;

/// Reads a size: a whole number and a binary unit, `256MB`, `1GB`, `512KB`, `64MiB` or
/// `4096B` (1MB is 1,048,576 bytes; a huge size saturates). False when malformed.
bool parse_size(std::string_view text, std::uint64_t& out);

/// The known directive names, in the order help text lists them.
const std::vector<std::string_view>& directive_names();

/// Reads one comment. `comment_body` is the text after the comment marker (`//`, `#`) and
/// `body_span` is where that text lies in the file. Comments that do not start with
/// `tasklab:` (after optional spaces) are ignored. Settings go to `program`, notes wait in
/// `state`, errors (unknown_directive, invalid_directive) go to `diags`.
void collect_directive(std::string_view comment_body, Span body_span, ast::Program& program, DiagnosticList& diags,
                       DirectiveState& state);

/// Gives each pending note to the first statement (at any depth, closure bodies included)
/// that begins after it; `note`s that reach the same statement are joined with "\n". Fills
/// Program::notes and Stmt::note; a `note-at` gets its own Program::notes entry and is
/// chained from Stmt::note_at through Program::note_ats. A note with no statement after it
/// is an invalid_directive.
void attach_notes(ast::Program& program, const DirectiveState& state, DiagnosticList& diags);

/// Parses a duration (`2s`, `1.5s`, `500ms`, `250us`, `10ns`) into nanoseconds. False when the
/// text is malformed, negative, finer than a nanosecond, or too large.
bool parse_duration(std::string_view text, ast::Nanos& out);

}  // namespace tasklab
