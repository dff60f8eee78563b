// The text timeline: a whole run drawn as one lane per task, for terminals and slides.
//
//     Timeline · 1 column = 50ms · 0s … 3s
//                           0s        500ms     1s        1.5s      2s        2.5s      3s
//                           ├─────────┼─────────┼─────────┼─────────┼─────────┼─────────┤
//     main                  █─────────────────────────────────────────────────────────────✓
//       downloadImage #1    █░░░░░░░░░░░░░░░░░░░▼⊘
//     ⇢ Task {} @12         █▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▼╱╱╱╱╱╱╱╱╱╱╱╱╱╱╱╱╱╱╱◆✓
//
// Lanes follow the task tree depth first (TaskInfo::parent), indented by depth. Work that is
// not structured (Task {}, Task.detached, GCD work items, loop callbacks) is placed right
// after its creator's subtree at the creator's depth and marked "⇢ " (LaneTree::depth_first,
// engine/fold.hpp). The states come from the fold (fold_event), read as the events stream by. The time axis is scaled
// to fit the width with a 1-2-5 tick per column; when no virtual time passes at all, the axis
// counts scheduler steps instead.
//
// Five or more neighbouring siblings of one name family ("downloadImage #1", "#2", …) whose
// rows look the same share one row, labelled "name +N alike" (a thousand cancelled children
// become one line); beyond TimelineOptions::max_lanes rows the rest is counted, not drawn.
//
// Each column shows one glyph: a mark when something notable happened in it (end of the task,
// cancel requested, cancel observed, throw, print — in that order of precedence), else a
// running block if the task ran in it (running takes no virtual time, so a zero-length burst
// still shows), else the state that lasted longest in it. Every state has its own glyph, so
// the picture reads the same without colour; ANSI colour is added only on request.
//
// Pure functions over a const Trace; standard library only; deterministic.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "engine/fold.hpp"
#include "engine/trace.hpp"

namespace tasklab {

/// Whether the timeline uses ANSI colour escapes (callers decide: a TTY and no NO_COLOR).
enum class ColorMode : std::uint8_t { plain, ansi };

/// Whether the legend is printed under the lanes.
enum class Legend : std::uint8_t { hide, show };

/// Whether neighbouring sibling lanes with the same picture share one row.
enum class Collapse : std::uint8_t { none, alike };

struct TimelineOptions {
    std::uint32_t width = 100;        ///< most columns the axis may take (the labels come on top)
    ColorMode color = ColorMode::plain;
    Legend legend = Legend::show;
    Collapse collapse = Collapse::alike;
    std::size_t max_lanes = 200;      ///< rows beyond this are counted, not drawn
};

// The lanes in display order (TimelineLane, timeline_lanes) are the fold's: engine/fold.hpp.

/// Writes the timeline: a title line, the ruler, one line per lane, and the legend.
void write_text_timeline(std::ostream& out, const Trace& trace, const TimelineOptions& options = {});

/// The timeline as a string.
[[nodiscard]] std::string text_timeline(const Trace& trace, const TimelineOptions& options = {});

}  // namespace tasklab
