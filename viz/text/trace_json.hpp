// The trace as JSON lines (`tasklab run --trace OUT.jsonl`), for other tools and for diffing.
//
// Line 1 is a header object:
//     {"format":"tasklab-trace","version":1,"scenario":"demo.swift","title":"…",
//      "tasks":[{"id":1,"kind":"main","name":"main","parent":0,"creator":0,"scope":0,"line":1,"col":1},…],
//      "scopes":[{"id":1,"kind":"withThrowingTaskGroup","owner":1,"name":"…","line":14,"col":5},…]}
// then one object per event, in trace order:
//     {"i":0,"step":0,"t":0,"kind":"task_created","task":1,"related":0,"detail":"main",
//      "payload":"main","line":1,"col":1}
// `t` is virtual time in integer nanoseconds; `detail` is the name of the detail byte (null
// when the kind has none); `payload` is the decoded text for string payloads, the number for
// numeric payloads (durations, deadlines) and the raw value otherwise; `line`/`col` are 0
// when the event has no source position.
//
// The output is deterministic byte for byte (no floating point, no maps), and strings are
// escaped per RFC 8259: UTF-8 passes through, control characters become \n, \t, \u001b, ….
// Pure functions over a const Trace; standard library only.
#pragma once

#include <ostream>
#include <string>
#include <string_view>

#include "engine/trace.hpp"
#include "scenarios/ast.hpp"

namespace tasklab {

/// `s` as a JSON string literal, quotes included.
[[nodiscard]] std::string json_string(std::string_view s);

/// Writes the header line and one line per event. `program` (optional) supplies the scenario
/// file name, the title and the source positions.
void write_trace_json(std::ostream& out, const Trace& trace, const ast::Program* program = nullptr);

/// The JSON lines as a string.
[[nodiscard]] std::string trace_json(const Trace& trace, const ast::Program* program = nullptr);

}  // namespace tasklab
