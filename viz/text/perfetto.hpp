// The trace in Chrome's Trace Event Format (`tasklab run --perfetto OUT.json`): one file that
// opens in ui.perfetto.dev and in chrome://tracing, so a run can be explored, zoomed and shared
// with the tools people already use.
//
//     {"displayTimeUnit":"ms",
//      "otherData":{"scenario":…,"title":…,"tasklab_version":…,"time_axis":…,"order":…},
//      "traceEvents":[
//     {"name":"process_name","ph":"M","pid":1,"tid":1,"args":{"name":"demo.swift · …"}},
//     {"name":"running","cat":"state","ph":"X","ts":11,"dur":40,"pid":1,"tid":1,…},
//     …]}
//
// Lanes: the run is process 1; every task is one thread, named by its lane label (indented two
// spaces per level of the task tree, "⇢ " before unstructured work) and numbered in the
// timeline's depth-first order (tid = thread_sort_index = lane position + 1, so Perfetto,
// which orders threads by tid, and catapult, which reads the sort index, agree). args.task is
// the task id.
//
// Slices: one complete ("X") slice per state interval of a task, named by the state alone
// ("created", "running", "suspended", "sleeping", "blocked", and "cancelled, still …" once a
// cancel was requested and the task has not finished), so every viewer gives each state one
// colour; the slices of one lane never overlap. Instants ("i", thread scope) mark task ends,
// cancel requests, throws, catches, prints, narration and lints.
//
// Arrows: v2 flows (bind_id with flow_out / flow_in) between tiny slices nested in the state
// slices: spawn (creator → the new task's "created" slice), cancel requests (requester, parent
// or group owner → the target's "cancel requested" slice → the slice where the target noticed),
// errors (the child's throw → its owner's "error delivered"). A failing group child's error
// thus leads to its owner, and from the owner to every sibling the group cancelled. Each arrow
// has its own id, one flow_out and one flow_in, and its source never lies after its sink.
//
// The time axis (otherData.time_axis says which): a virtual-time scheduler runs long bursts at
// one instant, so plain virtual time would pile them onto one timestamp. Every drawn trace
// event gets a window of 8 µs (4 µs more where a new scheduler step begins): state changes sit
// at offset 3, arrow sources at 1 (or 6, for arrows that end in a later event), arrow sinks at
// 4. PerfettoAxis::steps adds these windows to virtual time (ts = virtual µs + the windows of
// every event before), so virtual gaps keep their length; PerfettoAxis::virtual_time keeps
// ts = virtual µs wherever the bursts fit before the next instant. Timestamps are integers.
//
// Size: past PerfettoOptions::max_events the export stops adding detail (instants, arrows);
// past twice that it stops altogether, closing every open slice. otherData says so.
//
// Pure functions over a const Trace; standard library only; deterministic byte for byte.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>

#include "engine/trace.hpp"
#include "scenarios/ast.hpp"

namespace tasklab {

/// The version written into otherData (keep in step with project(VERSION) in CMakeLists.txt).
inline constexpr std::string_view k_tasklab_version = "0.1.0";

/// How trace time becomes the `ts` of the exported events.
enum class PerfettoAxis : std::uint8_t {
    steps,         ///< virtual µs plus a fixed width for every event: bursts spread, gaps kept
    virtual_time,  ///< virtual µs; bursts spread 8 µs per event and push on only when they overflow
};

/// "steps" or "virtual" (the spelling of `--perfetto-axis`).
[[nodiscard]] std::string_view perfetto_axis_name(PerfettoAxis axis);

struct PerfettoOptions {
    PerfettoAxis axis = PerfettoAxis::steps;
    /// Trace events written before detail (instants, arrows) stops; at twice this the export
    /// stops altogether.
    std::uint64_t max_events = 2'000'000;
};

/// Writes the whole trace as one Trace Event Format JSON object. `program` (optional) supplies
/// the scenario name, the title, source locations and the narration texts.
void write_perfetto_json(std::ostream& out, const Trace& trace, const ast::Program* program = nullptr,
                         const PerfettoOptions& options = {});

/// The JSON as a string (for tests and small traces).
[[nodiscard]] std::string perfetto_json(const Trace& trace, const ast::Program* program = nullptr,
                                        const PerfettoOptions& options = {});

}  // namespace tasklab
