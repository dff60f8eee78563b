// Slides out: a range of steps rendered frame by frame to numbered PNGs and/or an animated GIF.
//
// `tasklab-viz --export-steps A..B OUTDIR [--per-instant] [--gif OUT.gif] FILE` runs this once
// without interaction; in the window, Ctrl+Shift+E queues a job (request_window_export) that
// main.cpp runs after the frame. Either way the App's main session is moved to each frame's
// step, the App is rendered as usual (same size, scale, theme, presenter mode, axis) with the
// pointer away, and the framebuffer is read back; afterwards the cursor returns to where it was.
// Choosing steps and names lives in export_plan.hpp, colours and GIF coding in
// quantize.hpp and gif_writer.hpp.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "viz/export/export_plan.hpp"

namespace tasklab::viz {

class App;
class Session;

/// What to export.
struct ExportJob {
    StepRange range;
    FrameUnit unit = FrameUnit::step;
    std::filesystem::path png_dir;  ///< one PNG per frame here (created if missing); empty: no PNGs
    std::string gif_path;           ///< an animated GIF of the frames; empty: no GIF
    int gif_delay_ms = 500;         ///< each frame's time in the GIF (the last one stays 3× as long)
};

/// How an export went.
struct ExportOutcome {
    std::size_t frames = 0;  ///< frames rendered and written
    std::string error;       ///< "" when every file was written
};

/// Renders one frame of the App into the back buffer (pointer away, no time passing) and
/// returns the framebuffer's size in pixels.
using RenderFrame = std::function<std::pair<int, int>()>;

/// The virtual time after each step of the session's whole run, steps 0..total_steps (a probe
/// run of the same program).
[[nodiscard]] std::vector<Tick> step_times(const Session& s);

/// Steps of the session's whole run where the App's breakpoints hit, in order.
[[nodiscard]] std::vector<std::uint64_t> breakpoint_hit_steps(App& app, const Session& s);

/// Renders and writes `job`'s frames for the App's main session. Requires a session that runs.
ExportOutcome export_frames(App& app, const ExportJob& job, const RenderFrame& render);

/// Ctrl+Shift+E: queues an export of the scene around the cursor (breakpoint_range) as PNGs
/// and a GIF into a new folder in the working directory. A scene of more than 240 steps is
/// exported one frame per virtual instant; one of more than 240 instants is refused (with a
/// notice), since the window waits while it renders.
void request_window_export(App& app);
/// The queued window export, if any (main.cpp takes it after the frame and runs it).
std::optional<ExportJob>& pending_window_export();

}  // namespace tasklab::viz
