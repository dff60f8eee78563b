// The event log: a trace as one readable line per event (`tasklab run --events`).
//
//     #12  step 3   1.000s  downloadImage #2   cancel_requested  cause=group by main  demo.swift:14:9
//
// Every field of an event is decoded for people: the detail byte becomes its enum name
// (cause, wait reason, outcome, …), payloads become their text or number, related ids become
// lane or scope names, spans become file:line:col. The helpers that decode a single event are
// public so the JSON exporter and the summaries say the same thing in the same words.
//
// Pure functions over a const Trace; the Program (optional) supplies the source file for
// locations and the narration texts. Standard library only; deterministic byte for byte.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/trace.hpp"
#include "scenarios/ast.hpp"

namespace tasklab {

/// The name of an event's detail byte for its kind ("group", "sleep", "returned"), or "" when
/// the kind carries no detail.
[[nodiscard]] std::string_view event_detail_name(const Event& e);

/// A lane's label for people: the task's name, or "task N" when it has none; "-" for task 0.
[[nodiscard]] std::string lane_name(const Trace& trace, TaskId task);

/// The decoded details of one event: "cause=group by main", "sleep 1s", "\"hello\"", ….
[[nodiscard]] std::string describe_event(const Trace& trace, const Event& e, const ast::Program* program = nullptr);

/// "file:line:col" of a span, or "" when the program (or its file) is unknown or the span is unset.
[[nodiscard]] std::string span_location(const ast::Program* program, Span span);

/// Writes the whole trace, one line per event, columns aligned; locations name the file
/// without its directories.
void write_event_log(std::ostream& out, const Trace& trace, const ast::Program* program = nullptr);

/// The event log as a string (for tests and small traces).
[[nodiscard]] std::string event_log(const Trace& trace, const ast::Program* program = nullptr);

}  // namespace tasklab
