// What an export of slides covers: which steps become frames and what the files are called.
//
// `tasklab-viz --export-steps A..B OUTDIR` and the window's export key (Ctrl+Shift+E) both
// turn a range of scheduler steps into pictures: one per step, or one per virtual instant (the
// view at the last step of each instant, when everything that happens at that moment has
// happened). This file holds the decisions that need no window: reading "A..B", checking it
// against the run's length (an end beyond the run is clamped, a start beyond it is an error),
// choosing the frames, naming them so they sort, the range around the cursor that the
// breakpoints bound, and file names that never overwrite an earlier picture.
//
// Pure C++ over the standard library (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/time.hpp"

namespace tasklab::viz {

/// Scheduler steps `first` to `last`, both included (step 0: before the first step).
struct StepRange {
    std::uint64_t first = 0;
    std::uint64_t last = 0;
    friend bool operator==(const StepRange&, const StepRange&) = default;
};

/// A range as written on the command line; a missing end means "to the end of the run".
struct RangeText {
    std::uint64_t first = 0;
    std::optional<std::uint64_t> last;  ///< unset: the last step of the run
};

/// Reads "A..B", "A.." (to the end), "..B" (from step 0) or "N" (one step). On bad text
/// returns nothing and sets `error` to what is wrong ("A > B" among others).
[[nodiscard]] std::optional<RangeText> parse_step_range(std::string_view text, std::string& error);

/// A range checked against a run of `total_steps` steps (steps 0..total_steps).
struct ResolvedRange {
    std::optional<StepRange> range;  ///< unset: nothing to export (see error)
    std::string error;               ///< why there is nothing to export
    std::string note;                ///< set when the end was clamped to the run's last step
};

/// Clamps an end beyond the run to its last step (with a note); a start beyond it is an error.
[[nodiscard]] ResolvedRange resolve_step_range(const RangeText& text, std::uint64_t total_steps);

/// What one frame stands for.
enum class FrameUnit : std::uint8_t {
    step,     ///< every step of the range
    instant,  ///< every virtual instant of the range, shown at its last step in the range
};

/// The steps to draw, in order. `time_after_step[k]` is the virtual time after step k (the
/// whole run, k = 0..total); for FrameUnit::instant each instant's last step in `range` is
/// drawn, so the count equals the number of distinct times among the range's steps.
[[nodiscard]] std::vector<std::uint64_t> frame_steps(StepRange range, FrameUnit unit,
                                                     const std::vector<Tick>& time_after_step);

/// "step-0007.png": the step zero-padded to at least four digits (more when the run has more
/// steps), so the names sort in playing order.
[[nodiscard]] std::string frame_file_name(std::uint64_t step, std::uint64_t total_steps, std::string_view extension = ".png");

/// `dir`/`stem``extension` when no such file or folder exists, else the first free one of
/// `stem`-2, `stem`-3, …: a picture or folder never replaces an earlier one.
[[nodiscard]] std::filesystem::path unique_path(const std::filesystem::path& dir, std::string_view stem,
                                                std::string_view extension);

/// The stretch of the run around `cursor` that breakpoints bound, the scene that ends where
/// the cursor stopped: from the latest step before the cursor where a breakpoint hits (or
/// step 0) to the first one at or after the cursor (or the end of the run). `hit_steps` are
/// the steps (sorted, duplicates allowed) where a breakpoint hits in the whole run; hits at
/// step 0 bound nothing. With none the whole run 0..total_steps is returned.
[[nodiscard]] StepRange breakpoint_range(const std::vector<std::uint64_t>& hit_steps, std::uint64_t cursor,
                                         std::uint64_t total_steps);

}  // namespace tasklab::viz
