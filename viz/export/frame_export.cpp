// Running an export: seek, render, read back, write (see frame_export.hpp).
#include "frame_export.hpp"

#include <system_error>
#include <tuple>

#include "engine/controller.hpp"
#include "viz/app.hpp"
#include "viz/export/gif_writer.hpp"
#include "viz/model/breakpoints.hpp"
#include "viz/panels/commands.hpp"
#include "viz/screenshot.hpp"
#include "viz/session.hpp"

namespace tasklab::viz {

namespace {

/// Frames rendered before the first picture (fonts and layout settle) and before each picture
/// (a scroll asked for in one frame is applied in the next).
constexpr int k_settle_frames = 3;
constexpr int k_frames_per_picture = 2;
/// The last frame of a GIF stays this many times as long, so the loop's restart shows.
constexpr int k_last_frame_hold = 3;
/// The window's export blocks the window while it renders: a longer scene is exported one
/// frame per virtual instant, and one with more instants than this is refused.
constexpr std::size_t k_window_max_frames = 240;

}  // namespace

std::vector<Tick> step_times(const Session& s) {
    std::vector<Tick> times;
    if (!s.has_run()) return times;
    std::unique_ptr<ScriptedChooser> chooser;  // an explored outcome's order, if one is shown
    Controller probe(s.controller().program_ptr(), s.own_run_options(chooser));
    times.push_back(probe.now());
    while (!probe.finished() && times.size() <= s.total_steps()) {
        probe.step();
        times.push_back(probe.now());
    }
    return times;
}

std::vector<std::uint64_t> breakpoint_hit_steps(App& app, const Session& s) {
    std::vector<std::uint64_t> hits;
    const Breakpoints& bp = app.ui().breakpoints;
    if (!s.has_run() || !bp.any()) return hits;
    std::unique_ptr<ScriptedChooser> chooser;  // an explored outcome's order, if one is shown
    Controller probe(s.controller().program_ptr(), s.own_run_options(chooser));
    probe.run_until_idle();
    BreakpointWatch watch(bp, &s.source(), 0);
    const Trace& trace = probe.trace();
    for (std::uint64_t i = 0; i < trace.size(); ++i) {
        const Event e = trace.at(i);
        if (watch(e) && (hits.empty() || hits.back() != e.step)) hits.push_back(e.step);
    }
    return hits;
}

ExportOutcome export_frames(App& app, const ExportJob& job, const RenderFrame& render) {
    ExportOutcome out;
    Session* s = app.session();
    if (!s || !s->has_run()) {
        out.error = "the scenario does not run";
        return out;
    }
    if (s->running()) {
        out.error = "the run is still being made: wait for it or stop it (Esc), then export";
        return out;
    }
    const std::vector<std::uint64_t> steps =
        frame_steps(job.range, job.unit, job.unit == FrameUnit::instant ? step_times(*s) : std::vector<Tick>{});
    if (steps.empty()) {
        out.error = "no frames in the range";
        return out;
    }
    std::error_code ec;
    if (!job.png_dir.empty()) {
        std::filesystem::create_directories(job.png_dir, ec);
        if (!std::filesystem::is_directory(job.png_dir, ec)) {
            out.error = "cannot create the folder " + job.png_dir.string();
            return out;
        }
    }
    const bool was_playing = s->playing();
    const std::uint64_t was_at = s->step();
    const auto was_selected = app.ui().selected_event;
    s->set_playing(false);
    app.ui().selected_event.reset();

    std::optional<GifWriter> gif;
    std::vector<std::uint8_t> rgb;
    int width = 0, height = 0;
    s->seek(steps.front());
    s->settle(-1);  // a slow move goes to the worker: each picture waits for it
    for (int i = 0; i < k_settle_frames; ++i) std::tie(width, height) = render();
    for (std::size_t k = 0; k < steps.size() && out.error.empty(); ++k) {
        s->seek(steps[k]);
        s->settle(-1);
        int w = 0, h = 0;
        for (int i = 0; i < k_frames_per_picture; ++i) std::tie(w, h) = render();
        if (std::string err = read_framebuffer_rgb(w, h, rgb); !err.empty()) {
            out.error = err;
            break;
        }
        if (!job.png_dir.empty()) {
            const std::string path = (job.png_dir / frame_file_name(steps[k], s->total_steps())).string();
            if (std::string err = write_png(path, w, h, rgb); !err.empty()) {
                out.error = err;
                break;
            }
        }
        if (!job.gif_path.empty()) {
            if (!gif) {
                width = w;
                height = h;
                gif.emplace(job.gif_path, w, h);
                if (!gif->error().empty()) {
                    out.error = gif->error();
                    break;
                }
            }
            if (w != width || h != height) {
                out.error = "the window changed size during the export";
                break;
            }
            const int delay = job.gif_delay_ms * (k + 1 == steps.size() && steps.size() > 1 ? k_last_frame_hold : 1);
            if (!gif->add_frame(rgb, delay)) {
                out.error = gif->error();
                break;
            }
        }
        ++out.frames;
    }
    if (gif && !gif->finish() && out.error.empty()) out.error = gif->error();

    s->seek(was_at);
    s->settle(-1);
    s->set_playing(was_playing);
    app.ui().selected_event = was_selected;
    for (int i = 0; i < k_frames_per_picture; ++i) render();
    return out;
}

std::optional<ExportJob>& pending_window_export() {
    static std::optional<ExportJob> job;
    return job;
}

void request_window_export(App& app) {
    Session* s = app.session();
    if (!s || !s->has_run()) {
        notify("Nothing to export: the scenario does not run.", true);
        return;
    }
    ExportJob job;
    job.range = breakpoint_range(breakpoint_hit_steps(app, *s), s->step(), s->total_steps());
    if (job.range.last - job.range.first + 1 > k_window_max_frames) {
        job.unit = FrameUnit::instant;
        const std::size_t instants = frame_steps(job.range, FrameUnit::instant, step_times(*s)).size();
        if (instants > k_window_max_frames) {
            notify("Steps " + std::to_string(job.range.first) + ".." + std::to_string(job.range.last) + " hold " +
                       std::to_string(instants) + " instants: set breakpoints around a shorter scene, or use "
                       "tasklab-viz --export-steps A..B OUTDIR",
                   true);
            return;
        }
    }
    const std::string stem = export_stem(*s);
    std::error_code ec;
    const std::filesystem::path cwd = std::filesystem::current_path(ec);
    job.png_dir = unique_path(cwd, stem + "-steps-" + std::to_string(job.range.first) + "-" + std::to_string(job.range.last), "");
    job.gif_path = (job.png_dir / (stem + ".gif")).string();
    pending_window_export() = std::move(job);
}

}  // namespace tasklab::viz
