// The glossary: the plain words the visualizer shows for every name the trace uses.
//
// The trace names things as the engine does (`task_finished`, `child_error`, `body_skipped`);
// `tasklab run --events` prints those names, and they are right for a tool. A student watching
// the visualizer reads "finished", "a child's error cancelled the group", "skipped before it
// started". This file is the one place where each name gets its words: one table per enum of
// engine/trace.hpp (event kinds and every detail: task kinds, wait reasons, resume statuses,
// outcomes, cancel causes, what noticed a cancel, scope kinds, lint kinds, end reasons) and per
// enum of the timeline model (lane states, marks, arrows), in the enum's order, each row with
// the trace's name, the words and a sentence for the help's glossary. Every panel that shows an
// event (event log, source header, timeline tooltips, queues) asks here; tests/viz/glossary_test
// fails when an enum grows a value without words.
//
// It also holds the timeline's glyphs and the legend: one entry per mark, in the same words.
//
// Pure C++ over engine/trace.hpp and the timeline model: no ImGui, no GL.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "engine/trace.hpp"
#include "scenarios/ast.hpp"
#include "viz/model/timeline_model.hpp"

namespace tasklab::viz {

/// Glyphs of the timeline (UTF-8). Each glyph means one thing (see legend_entries()).
namespace glyph {
inline constexpr const char* returned = "\u2713";          // ✓
inline constexpr const char* threw = "\u2717";             // ✗ an error was thrown (and, at a lane's end, ended it)
inline constexpr const char* cancelled = "\u2298";         // ⊘
inline constexpr const char* skipped = "\u21B7";           // ↷
inline constexpr const char* abandoned = "\u2026";         // …
inline constexpr const char* cancel_requested = "\u25BC";  // ▼
inline constexpr const char* cancel_observed = "\u25CF";   // ●
inline constexpr const char* caught = "\u21A9";            // ↩
inline constexpr const char* print = "\u2022";             // •
inline constexpr const char* narration = "\u270E";         // ✎
inline constexpr const char* handler = "\u2691";           // ⚑
inline constexpr const char* error_delivered = "\u21E7";   // ⇧
inline constexpr const char* lint = "\u26A0";              // ⚠
inline constexpr const char* unstructured = "\u2197";      // ↗
inline constexpr const char* thread = "\u224B";            // ≋ a worker thread's lane
inline constexpr const char* delta = "\u0394";             // Δ
}  // namespace glyph

/// One name of the trace and how the visualizer says it.
struct Term {
    std::string_view name;     ///< the trace's name, as `tasklab run --events` prints it
    std::string_view words;    ///< what the visualizer shows instead
    std::string_view meaning;  ///< one sentence for the glossary in the help
};

/// The tables of the glossary, one per enum.
enum class TermGroup : std::uint8_t {
    event,          ///< EventKind
    task_kind,      ///< TaskKind (task_created)
    wait_reason,    ///< WaitReason (task_suspended)
    resume_status,  ///< ResumeStatus (task_resumed)
    outcome,        ///< Outcome (task_finished)
    cancel_cause,   ///< CancelCause (cancel_requested)
    observed_by,    ///< ObservedBy (cancel_observed)
    scope_kind,     ///< ScopeKind (scope_entered, scope_exited)
    lint_kind,      ///< LintKind (lint)
    end_reason,     ///< EndReason (run_ended)
    lane_state,     ///< LaneState (the timeline's patterns)
    mark,           ///< MarkKind (the timeline's glyphs)
    arrow,          ///< ArrowKind (the timeline's arrows)
};
inline constexpr int k_term_group_count = 13;

/// The group's heading in the glossary ("Events", "Why a cancel was requested", …).
[[nodiscard]] std::string_view term_group_title(TermGroup g);
/// The enum the group covers, as spelled in the source ("EventKind", "Outcome", …).
[[nodiscard]] std::string_view term_group_enum(TermGroup g);
/// Every term of a group, indexed by the enum's value.
[[nodiscard]] std::span<const Term> terms(TermGroup g);

/// The words for one value ("?" for a value beyond the table).
[[nodiscard]] std::string_view words(EventKind k);
[[nodiscard]] std::string_view words(TaskKind k);
[[nodiscard]] std::string_view words(WaitReason w);
[[nodiscard]] std::string_view words(ResumeStatus s);
[[nodiscard]] std::string_view words(Outcome o);
[[nodiscard]] std::string_view words(CancelCause c);
[[nodiscard]] std::string_view words(ObservedBy o);
[[nodiscard]] std::string_view words(ScopeKind k);
[[nodiscard]] std::string_view words(LintKind k);
[[nodiscard]] std::string_view words(EndReason r);
[[nodiscard]] std::string_view words(LaneState s);
[[nodiscard]] std::string_view words(MarkKind k);
[[nodiscard]] std::string_view words(ArrowKind k);

/// The words of an event's detail byte ("returned", "a child's error cancelled the group"), ""
/// when its kind carries no detail, "?" when the byte is out of range.
[[nodiscard]] std::string_view detail_words(const Event& e);
/// The event's details in plain words: what the event log's details column shows.
[[nodiscard]] std::string plain_details(const Trace& trace, const Event& e, const ast::Program* program = nullptr);
/// One line for an event: "finished: returned", "cancel requested: cancelAll() was called, by main".
[[nodiscard]] std::string plain_summary(const Trace& trace, const Event& e, const ast::Program* program = nullptr);

/// `message` without a leading "heading:" that repeats what is already said ("deadlock:
/// nothing can run" under the heading "deadlock" → "nothing can run").
[[nodiscard]] std::string_view without_heading(std::string_view message, std::string_view heading);

/// The glyph of a mark, and of a lane's ending (✗ for both a thrown error and a lane ended by one).
[[nodiscard]] const char* mark_glyph(MarkKind kind);
[[nodiscard]] const char* outcome_glyph(Outcome o);

/// One entry of the timeline's legend.
struct LegendEntry {
    enum class Kind : std::uint8_t {
        state,         ///< value: LaneState
        pending,       ///< the "cancel requested, still going" hatching (value: LaneState::running)
        outcome,       ///< value: Outcome (a glyph at a lane's end)
        mark,          ///< value: MarkKind (a glyph on a lane)
        arrow,         ///< value: ArrowKind
        unstructured,  ///< the ↗ before a lane's name
        thread,        ///< the ≋ before a worker thread's lane name
        gap,           ///< the Δ bracket under a lane
    } kind;
    int value;
    const char* glyph;       ///< nullptr for states and arrows (drawn as samples)
    std::string_view words;  ///< the glossary's words for it
};
/// The legend: every state, arrow and glyph the timeline draws, each once. A mark and an
/// outcome that share a glyph (✗) share one entry.
[[nodiscard]] std::span<const LegendEntry> legend_entries();

}  // namespace tasklab::viz
