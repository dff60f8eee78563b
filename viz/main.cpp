// tasklab-viz: the GLFW/OpenGL bootstrap, the command line and the frame loop. Everything
// else lives in App (viz/app.hpp) and the panels.
#include <algorithm>
#include <charconv>
#include <cfloat>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include "scenarios/diagnostics.hpp"
#include "scenarios/frontend.hpp"
#include "scenarios/source.hpp"
#include "viz/app.hpp"
#include "viz/export/frame_export.hpp"
#include "viz/host/native_stack.hpp"
#include "viz/layout_report.hpp"
#include "viz/model/seek_bench.hpp"
#include "viz/panels/commands.hpp"
#include "viz/screenshot.hpp"
#include "viz/text/text_util.hpp"

namespace {

constexpr const char* k_usage = R"(tasklab-viz — see how tasks and cancellation move through a scenario

Usage:
  tasklab-viz [options] [FILE [COMPARE_FILE]]
      With no file, a picker lists the bundled scenarios (or the files of --dir DIR); its
      path box opens any .swift or .py file, and so does dropping one on the window.

Options:
  --screenshot OUT.png   render one view without interaction, save it as a PNG and exit
                         (without a file: the picker); also writes OUT.png.json, what the
                         timeline drew: its rectangles, each lane's rows, states and colours
  --layout-json PATH     with --screenshot: write that description to PATH instead
  --step N               start at scheduler step N (default: 0; with --screenshot: the end)
  --size WxH             window size in pixels (default 1600x1000)
  --scale S              UI scale, e.g. 1.5 or 2 for a projector (default 1)
  --theme NAME           dark (default), light or contrast
  --presenter            start in presenter mode (large crisp text, high contrast, spotlight)
  --compare A B          show two scenarios one above the other on one time axis (two files
                         alone do the same)
  --outcomes             start with the Outcomes view shown: the race explorer runs the
                         file under every order a real runtime could take (X toggles it)
  --outcome K            open on explored outcome K's run (1: tasklab's own order), with the
                         Outcomes view shown and the run's choice points marked
  --compare-outcomes J K show outcomes J and K of FILE one above the other (0: tasklab's own
                         order, unexplored)
  --show-help            start with the keyboard help shown
  --axis NAME            the timeline's x axis: time (virtual time), steps (every scheduler
                         step one width), time+steps (virtual time with every instant that
                         holds several steps opened up so each step gets room; also `mixed`)
                         or auto (the default: time+steps when a lesson's key events would
                         share an instant, else time)
  --select N             select task N at start
  --mouse X,Y            with --screenshot: the pointer's position (to show a hover tooltip)
  --bench-frames N       run the scenario to its end, then render N frames while the cursor
                         moves and print the median and p95 frame times
  --bench-seek N FILE    run the scenario to its end, then seek back to N steps chosen by a
                         fixed seed (visited from the last back to the first), time each seek
                         and print "seek median X ms, p95 Y ms"; needs no window
  --frames-report OUT.json
                         draw frames as the window does (real time passing) while the
                         scenario's run goes on, until no run is in flight, then write what
                         each frame saw (was a run in flight, how far it got) and how the run
                         ended to OUT.json and exit; with --screenshot, the PNG is the frame
                         before the Esc of --stop-after-frames (else the last one)
  --stop-after-frames K  with --frames-report: press Esc (stop the run) once K frames were
                         drawn while a run was in flight
  --statement-budget N   statements a task may run without suspending before the run stops
                         (default 10000000)
  --dir DIR              the picker lists the .swift and .py files of DIR (and of its
                         subfolders) instead of the bundled scenarios; a folder given as
                         FILE does the same
  --help                 show this help

Slides (render without interaction, write the files and exit):
  --export-steps A..B OUTDIR
                         one PNG per scheduler step from A to B into OUTDIR (created if
                         missing), named step-0007.png so they sort; A.. runs to the end, ..B
                         starts at 0; an end beyond the run is clamped to its last step
  --per-instant          one frame per virtual instant instead (its last step in the range)
  --gif OUT.gif          an animated GIF of the same frames (the whole run without
                         --export-steps); works with --size, --scale, --theme, --presenter
  --gif-delay MS         each GIF frame's time in milliseconds (default 500)
)";

struct MainOptions {
    tasklab::viz::AppOptions app;
    std::string screenshot;
    std::string layout_json;  ///< --layout-json: the screenshot's layout sidecar ("": OUT.png.json)
    int width = 1600;
    int height = 1000;
    int bench_frames = 0;
    int bench_seek = 0;  ///< --bench-seek N: seeks back over a finished run, timed (no window)
    bool compare = false;
    bool compare_outcomes = false;  ///< --compare-outcomes J K
    std::optional<tasklab::viz::RangeText> export_range;  ///< --export-steps A..B
    std::string export_dir;                                ///< --export-steps' OUTDIR
    std::string gif;                                       ///< --gif OUT.gif
    int gif_delay_ms = 500;
    bool per_instant = false;
    ImVec2 mouse{-FLT_MAX, -FLT_MAX};  ///< --mouse: pointer position in headless runs
    std::string frames_report;         ///< --frames-report OUT.json
    std::uint64_t stop_after_frames = 0;  ///< --stop-after-frames K (0: never)
};

bool parse_uint(std::string_view s, std::uint64_t& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

/// Parses the command line; returns an exit status >= 0 when the program should stop.
int parse_args(int argc, char** argv, MainOptions& o) {
    for (int i = 1; i < argc; ++i) {
        const std::string_view a = argv[i];
        auto value = [&](std::string_view& out) {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "tasklab-viz: %.*s needs a value\n", static_cast<int>(a.size()), a.data());
                return false;
            }
            out = argv[++i];
            return true;
        };
        std::string_view v;
        if (a == "--help" || a == "-h") {
            std::fputs(k_usage, stdout);
            return 0;
        } else if (a == "--screenshot") {
            if (!value(v)) return 2;
            o.screenshot = std::string(v);
        } else if (a == "--layout-json") {
            if (!value(v)) return 2;
            o.layout_json = std::string(v);
        } else if (a == "--step") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n)) {
                std::fprintf(stderr, "tasklab-viz: --step needs a number\n");
                return 2;
            }
            o.app.step = n;
        } else if (a == "--size") {
            if (!value(v)) return 2;
            const auto x = v.find('x');
            std::uint64_t w = 0, h = 0;
            if (x == std::string_view::npos || !parse_uint(v.substr(0, x), w) || !parse_uint(v.substr(x + 1), h) ||
                w < 200 || h < 150 || w > 8192 || h > 8192) {
                std::fprintf(stderr, "tasklab-viz: --size needs WxH, e.g. 1600x1000\n");
                return 2;
            }
            o.width = static_cast<int>(w);
            o.height = static_cast<int>(h);
        } else if (a == "--scale") {
            if (!value(v)) return 2;
            o.app.scale = std::strtof(std::string(v).c_str(), nullptr);
            if (!(o.app.scale >= 0.5f && o.app.scale <= 4.0f)) {
                std::fprintf(stderr, "tasklab-viz: --scale needs a number from 0.5 to 4\n");
                return 2;
            }
        } else if (a == "--theme") {
            if (!value(v)) return 2;
            if (v == "dark") o.app.theme = tasklab::viz::ThemeKind::dark;
            else if (v == "light") o.app.theme = tasklab::viz::ThemeKind::light;
            else if (v == "contrast" || v == "high-contrast") o.app.theme = tasklab::viz::ThemeKind::high_contrast;
            else {
                std::fprintf(stderr, "tasklab-viz: --theme is dark, light or contrast\n");
                return 2;
            }
        } else if (a == "--axis") {
            if (!value(v)) return 2;
            if (v == "time") o.app.axis = tasklab::viz::TimeAxis::virtual_time;
            else if (v == "steps") o.app.axis = tasklab::viz::TimeAxis::steps;
            else if (v == "time+steps" || v == "mixed") o.app.axis = tasklab::viz::TimeAxis::time_and_steps;
            else if (v == "auto") o.app.axis.reset();
            else {
                std::fprintf(stderr, "tasklab-viz: --axis is time, steps, time+steps or auto\n");
                return 2;
            }
        } else if (a == "--select") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n > 0xFFFFFFFFu) {
                std::fprintf(stderr, "tasklab-viz: --select needs a task number\n");
                return 2;
            }
            o.app.select = static_cast<tasklab::TaskId>(n);
        } else if (a == "--presenter") {
            o.app.presenter = true;
        } else if (a == "--show-help") {
            o.app.show_help = true;
        } else if (a == "--compare") {
            o.compare = true;
        } else if (a == "--outcomes") {
            o.app.show_outcomes = true;
        } else if (a == "--outcome" || a == "--compare-outcomes") {
            const int n = a == "--outcome" ? 1 : 2;
            o.app.outcomes.clear();
            for (int k = 0; k < n; ++k) {
                char* end = nullptr;
                const unsigned long long m = i + 1 < argc ? std::strtoull(argv[i + 1], &end, 10) : 0;
                if (i + 1 >= argc || end == argv[i + 1] || *end != '\0' || m > 100000 || (n == 1 && m == 0)) {
                    std::fprintf(stderr, "tasklab-viz: %.*s needs %s\n", static_cast<int>(a.size()), a.data(),
                                 n == 1 ? "an outcome number from 1" : "two outcome numbers (0: tasklab's own order)");
                    return 2;
                }
                o.app.outcomes.push_back(static_cast<std::size_t>(m));
                ++i;
            }
            o.compare_outcomes = n == 2;
        } else if (a == "--dir") {
            if (!value(v)) return 2;
            o.app.scenario_dir = std::string(v);
        } else if (a == "--export-steps") {
            if (i + 2 >= argc) {
                std::fprintf(stderr, "tasklab-viz: --export-steps needs a range and a folder: --export-steps A..B OUTDIR\n");
                return 2;
            }
            std::string why;
            o.export_range = tasklab::viz::parse_step_range(argv[++i], why);
            if (!o.export_range) {
                std::fprintf(stderr, "tasklab-viz: --export-steps: %s\n", why.c_str());
                return 2;
            }
            o.export_dir = argv[++i];
        } else if (a == "--per-instant") {
            o.per_instant = true;
        } else if (a == "--gif") {
            if (!value(v)) return 2;
            o.gif = std::string(v);
        } else if (a == "--gif-delay") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n < 10 || n > 60000) {
                std::fprintf(stderr, "tasklab-viz: --gif-delay needs milliseconds from 10 to 60000\n");
                return 2;
            }
            o.gif_delay_ms = static_cast<int>(n);
        } else if (a == "--mouse") {
            if (!value(v)) return 2;
            const auto comma = v.find(',');
            std::uint64_t x = 0, y = 0;
            if (comma == std::string_view::npos || !parse_uint(v.substr(0, comma), x) || !parse_uint(v.substr(comma + 1), y)) {
                std::fprintf(stderr, "tasklab-viz: --mouse needs X,Y in pixels\n");
                return 2;
            }
            o.mouse = ImVec2(static_cast<float>(x), static_cast<float>(y));
        } else if (a == "--frames-report") {
            if (!value(v)) return 2;
            o.frames_report = std::string(v);
        } else if (a == "--stop-after-frames") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n == 0 || n > 1000000) {
                std::fprintf(stderr, "tasklab-viz: --stop-after-frames needs a number from 1 to 1000000\n");
                return 2;
            }
            o.stop_after_frames = n;
        } else if (a == "--statement-budget") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n == 0) {
                std::fprintf(stderr, "tasklab-viz: --statement-budget needs a positive number\n");
                return 2;
            }
            o.app.run.max_statements_per_step = n;
        } else if (a == "--bench-frames") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n == 0 || n > 100000) {
                std::fprintf(stderr, "tasklab-viz: --bench-frames needs a number from 1 to 100000\n");
                return 2;
            }
            o.bench_frames = static_cast<int>(n);
        } else if (a == "--bench-seek") {
            std::uint64_t n = 0;
            if (!value(v) || !parse_uint(v, n) || n == 0 || n > 100000) {
                std::fprintf(stderr, "tasklab-viz: --bench-seek needs a number from 1 to 100000\n");
                return 2;
            }
            o.bench_seek = static_cast<int>(n);
        } else if (a.size() > 1 && a[0] == '-') {
            std::fprintf(stderr, "tasklab-viz: unknown option %.*s (see --help)\n", static_cast<int>(a.size()), a.data());
            return 2;
        } else {
            o.app.files.emplace_back(a);
        }
    }
    if (o.compare_outcomes) {
        if (o.app.files.size() != 1 || o.compare) {
            std::fprintf(stderr, "tasklab-viz: --compare-outcomes J K needs one scenario file\n");
            return 2;
        }
        o.app.files.push_back(o.app.files[0]);  // the same file twice: one outcome each
    }
    if (!o.app.outcomes.empty() && o.app.files.empty()) {
        std::fprintf(stderr, "tasklab-viz: --outcome needs a scenario file\n");
        return 2;
    }
    if (o.compare && o.app.files.size() != 2) {
        std::fprintf(stderr, "tasklab-viz: --compare needs two scenario files\n");
        return 2;
    }
    if (o.bench_seek > 0 && o.app.files.size() != 1) {
        std::fprintf(stderr, "tasklab-viz: --bench-seek needs one scenario file\n");
        return 2;
    }
    if (o.bench_frames > 0 && o.app.files.empty()) {
        std::fprintf(stderr, "tasklab-viz: --bench-frames needs a scenario file\n");
        return 2;
    }
    // A folder given as the file: list it in the picker.
    std::error_code ec;
    if (o.app.files.size() == 1 && o.app.scenario_dir.empty() && std::filesystem::is_directory(o.app.files[0], ec)) {
        o.app.scenario_dir = o.app.files[0];
        o.app.files.clear();
    }
    if (!o.app.scenario_dir.empty() && !std::filesystem::is_directory(o.app.scenario_dir, ec)) {
        std::fprintf(stderr, "tasklab-viz: --dir %s: not a folder\n", o.app.scenario_dir.c_str());
        return 2;
    }
    const bool exporting = o.export_range || !o.gif.empty();
    if (exporting && o.app.files.empty()) {
        std::fprintf(stderr, "tasklab-viz: --export-steps and --gif need a scenario file\n");
        return 2;
    }
    if (exporting && (!o.screenshot.empty() || o.bench_frames > 0)) {
        std::fprintf(stderr, "tasklab-viz: --export-steps and --gif cannot be combined with --screenshot or --bench-frames\n");
        return 2;
    }
    if (o.per_instant && !exporting) {
        std::fprintf(stderr, "tasklab-viz: --per-instant goes with --export-steps or --gif\n");
        return 2;
    }
    if (!o.frames_report.empty() && (o.app.files.empty() || exporting || o.bench_frames > 0)) {
        std::fprintf(stderr, "tasklab-viz: --frames-report needs a scenario file and goes without --bench-frames and exports\n");
        return 2;
    }
    if (o.stop_after_frames > 0 && o.frames_report.empty()) {
        std::fprintf(stderr, "tasklab-viz: --stop-after-frames goes with --frames-report\n");
        return 2;
    }
    // Headless renders wait for the engine (each picture shows a settled run); --frames-report
    // is the window's own loop, where the engine's long runs go on while frames are drawn.
    if (o.frames_report.empty() && (!o.screenshot.empty() || o.bench_frames > 0 || exporting)) o.app.wait_seconds = -1;
    if (!o.screenshot.empty() && !o.app.step && o.frames_report.empty()) o.app.start_at_end = true;
    if (!o.layout_json.empty() && o.screenshot.empty()) {
        std::fprintf(stderr, "tasklab-viz: --layout-json needs --screenshot\n");
        return 2;
    }
    if (!o.screenshot.empty() && o.layout_json.empty()) o.layout_json = o.screenshot + ".json";
    return -1;
}

void glfw_error(int code, const char* text) { std::fprintf(stderr, "tasklab-viz: GLFW error %d: %s\n", code, text); }

/// Where a frame's time went (for --bench-frames).
struct FrameSplit {
    double build_ms = 0;   ///< the App and ImGui building the frame's geometry
    int vertices = 0;
    int commands = 0;  ///< draw calls
};

/// One frame: fonts, ImGui frame, App, render. The caller swaps buffers.
FrameSplit render_frame(tasklab::viz::App& app, GLFWwindow* window, double dt, bool headless = false,
                        ImVec2 mouse = ImVec2(-FLT_MAX, -FLT_MAX)) {
    const auto t0 = std::chrono::steady_clock::now();
    if (app.prepare_frame()) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    // Headless runs have a pointer somewhere on the virtual screen: keep it out of the picture
    // (or put it where --mouse says).
    if (headless) ImGui::GetIO().MousePos = mouse;
    ImGui::NewFrame();
    app.frame(dt);
    ImGui::Render();
    FrameSplit split;
    split.build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    split.vertices = ImGui::GetDrawData()->TotalVtxCount;
    for (int i = 0; i < ImGui::GetDrawData()->CmdListsCount; ++i)
        split.commands += ImGui::GetDrawData()->CmdLists[i]->CmdBuffer.Size;
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    glViewport(0, 0, fb_w, fb_h);
    // The clear colour is the windows' background, so the tiled panels need no fill of their
    // own (a full-screen layer fewer for a software rasteriser).
    const ImVec4 bg = ImGui::GetStyle().Colors[ImGuiCol_WindowBg];
    glClearColor(bg.x, bg.y, bg.z, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    return split;
}

/// CPU time used by this process so far (all threads), in milliseconds: on a busy machine the
/// wall-clock frame time also counts time spent waiting for a core.
double process_cpu_ms() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Pixels covered by the frame's triangles, per draw list (window), largest first: what a
/// software rasteriser pays for.
std::vector<std::pair<double, std::string>> covered_pixels() {
    std::vector<std::pair<double, std::string>> out;
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int i = 0; i < dd->CmdListsCount; ++i) {
        const ImDrawList* list = dd->CmdLists[i];
        double area = 0;
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            for (unsigned k = 0; k + 2 < cmd.ElemCount; k += 3) {
                const ImVec2 a = list->VtxBuffer[static_cast<int>(list->IdxBuffer[static_cast<int>(cmd.IdxOffset + k)] + cmd.VtxOffset)].pos;
                const ImVec2 b = list->VtxBuffer[static_cast<int>(list->IdxBuffer[static_cast<int>(cmd.IdxOffset + k + 1)] + cmd.VtxOffset)].pos;
                const ImVec2 c = list->VtxBuffer[static_cast<int>(list->IdxBuffer[static_cast<int>(cmd.IdxOffset + k + 2)] + cmd.VtxOffset)].pos;
                area += std::abs((b.x - a.x) * (c.y - a.y) - (c.x - a.x) * (b.y - a.y)) * 0.5;
            }
        }
        out.emplace_back(area, list->_OwnerName ? list->_OwnerName : "?");
    }
    std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.first > y.first; });
    return out;
}

// --bench-seek: the Controller alone, no window (viz/model/seek_bench.hpp).
int run_seek_bench(const std::string& path, int seeks, const tasklab::RunOptions& options) {
    std::string text, error;
    if (!tasklab::read_scenario_text(path, text, error)) {
        std::fprintf(stderr, "tasklab-viz: %s\n", error.c_str());
        return 1;
    }
    auto file = std::make_shared<const tasklab::SourceFile>(path, std::move(text));
    tasklab::ParseResult parsed = tasklab::parse_scenario(file);
    if (!parsed.ok()) {
        std::fprintf(stderr, "%s", tasklab::render_all(*file, parsed.diagnostics).c_str());
        return 1;
    }
    const tasklab::viz::SeekBenchResult r = tasklab::viz::bench_seek(parsed.program, options, seeks);
    std::printf("run: %llu steps, %llu events in %.1f ms\n", static_cast<unsigned long long>(r.total_steps),
                static_cast<unsigned long long>(r.total_events), r.run_ms);
    std::printf("seeks: %zu back from the end (steps %llu down to %llu)\n", r.seek_ms.size(),
                static_cast<unsigned long long>(r.targets.empty() ? 0 : r.targets.front()),
                static_cast<unsigned long long>(r.targets.empty() ? 0 : r.targets.back()));
    std::printf("seek median %.2f ms, p95 %.2f ms\n", tasklab::viz::seek_percentile(r.seek_ms, 0.5),
                tasklab::viz::seek_percentile(r.seek_ms, 0.95));
    if (!r.mismatch.empty()) {
        std::fprintf(stderr, "tasklab-viz: --bench-seek: %s\n", r.mismatch.c_str());
        return 1;
    }
    return 0;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(k, v.size() - 1)];
}

/// Files dropped onto the window since the last frame (GLFW calls drop_files during polling;
/// the frame loop opens them between frames).
std::vector<std::string>& dropped_files() {
    static std::vector<std::string> files;
    return files;
}

void drop_files(GLFWwindow*, int count, const char** paths) {
    for (int i = 0; i < count; ++i) dropped_files().emplace_back(paths[i]);
}

/// Opens what was dropped: one file replaces the scenario shown (or becomes the compared one
/// while the picker is open for comparing); two files are opened side by side.
void open_dropped(tasklab::viz::App& app) {
    std::vector<std::string> files = std::exchange(dropped_files(), {});
    if (files.empty()) return;
    tasklab::viz::UiState& ui = app.ui();
    const bool compare = ui.picker == tasklab::viz::PickerMode::compare && app.session();
    ui.picker = tasklab::viz::PickerMode::closed;
    if (compare) app.open_compare(files[0]);
    else app.open(files[0]);
    if (files.size() > 1 && !compare) app.open_compare(files[1]);
    tasklab::viz::notify("Opened " + files[0] + (files.size() > 1 && !compare ? " and " + files[1] : std::string()));
    // Say on stderr what was opened and whether it runs, as Ctrl+S says what it saved.
    for (tasklab::viz::Session* s : {compare ? nullptr : app.session(), app.compare_session()}) {
        if (!s || (s != app.session() && !compare && files.size() < 2)) continue;
        tasklab::viz::report_opened(*s);
    }
}

/// Renders the App for an export: the frame before is shown first (the caller reads each frame
/// from the back buffer before asking for the next), no real time passes, the pointer is away.
tasklab::viz::RenderFrame export_renderer(tasklab::viz::App& app, GLFWwindow* window) {
    return [&app, window, first = true]() mutable {
        if (!first) glfwSwapBuffers(window);
        first = false;
        glfwPollEvents();
        render_frame(app, window, 0.0, true);
        int w = 0, h = 0;
        glfwGetFramebufferSize(window, &w, &h);
        return std::make_pair(w, h);
    };
}

/// --export-steps / --gif: renders the range and writes the files. Returns the exit status.
int run_export(tasklab::viz::App& app, GLFWwindow* window, const MainOptions& opts) {
    using namespace tasklab::viz;
    Session* s = app.session();
    if (!s || !s->has_run()) {
        const std::string& file = opts.app.files[0];
        if (s && !s->load_error().empty()) {
            std::fprintf(stderr, "tasklab-viz: cannot read %s: %s\n", file.c_str(), s->load_error().c_str());
            return 2;
        }
        if (s && s->latest_source()) std::fputs(render_all(*s->latest_source(), s->diagnostics()).c_str(), stderr);
        std::fprintf(stderr, "tasklab-viz: %s has errors: nothing to export\n", file.c_str());
        return 3;
    }
    const ResolvedRange resolved = resolve_step_range(opts.export_range.value_or(RangeText{}), s->total_steps());
    if (!resolved.range) {
        std::fprintf(stderr, "tasklab-viz: --export-steps: %s\n", resolved.error.c_str());
        return 2;
    }
    if (!resolved.note.empty()) std::fprintf(stderr, "tasklab-viz: note: %s\n", resolved.note.c_str());
    ExportJob job;
    job.range = *resolved.range;
    job.unit = opts.per_instant ? FrameUnit::instant : FrameUnit::step;
    job.png_dir = opts.export_dir;
    job.gif_path = opts.gif;
    job.gif_delay_ms = opts.gif_delay_ms;
    const ExportOutcome done = export_frames(app, job, export_renderer(app, window));
    if (!done.error.empty()) {
        std::fprintf(stderr, "tasklab-viz: %s\n", done.error.c_str());
        return 1;
    }
    std::printf("wrote %zu frame%s (steps %llu..%llu%s)%s%s%s%s\n", done.frames, done.frames == 1 ? "" : "s",
                static_cast<unsigned long long>(job.range.first), static_cast<unsigned long long>(job.range.last),
                opts.per_instant ? ", one per virtual instant" : "", opts.export_dir.empty() ? "" : " to ",
                opts.export_dir.c_str(), opts.gif.empty() ? "" : " and ", opts.gif.c_str());
    return 0;
}

/// Saves the frame just rendered (before the buffer swap) as a PNG. False on failure.
bool save_frame(GLFWwindow* window, const std::string& path) {
    int fb_w = 0, fb_h = 0;
    glfwGetFramebufferSize(window, &fb_w, &fb_h);
    const std::string err = tasklab::viz::save_framebuffer_png(path, fb_w, fb_h);
    if (!err.empty()) std::fprintf(stderr, "tasklab-viz: %s\n", err.c_str());
    return err.empty();
}

/// --frames-report: the window's frame loop without a person (see the usage text). The report
/// says how many frames were drawn while a run was in flight, how far the run had got at each
/// of them, when Esc was pressed and how the run ended; wall-clock gaps are only informative.
int run_frames_report(tasklab::viz::App& app, GLFWwindow* window, const MainOptions& opts) {
    using Clock = std::chrono::steady_clock;
    tasklab::viz::Session* s = app.session();
    if (!s) return 1;
    const auto t0 = Clock::now();
    auto seconds = [&](Clock::time_point t) { return std::chrono::duration<double>(t - t0).count(); };
    std::uint64_t frames = 0, running_frames = 0, idle_frames = 0;
    std::uint64_t esc_frame = 0, first_steps = 0, last_steps = 0;
    std::uint64_t frames_after_esc_running = 0;
    bool esc_pressed = false, shot_taken = false, timed_out = false;
    double max_gap_ms = 0, esc_at = 0, idle_at = 0;
    std::string frames_json;
    auto last = Clock::now();
    int status = 0;
    for (;;) {
        glfwPollEvents();
        const bool running = s->running();
        const tasklab::viz::RunProgress p = s->progress();
        // A key press is a key down for one frame (ImGui 1.86 reads io.KeysDown).
        const bool press = running && !esc_pressed && opts.stop_after_frames > 0 && running_frames >= opts.stop_after_frames;
        ImGui::GetIO().KeysDown[GLFW_KEY_ESCAPE] = press;
        const auto now = Clock::now();
        render_frame(app, window, std::chrono::duration<double>(now - last).count(), true, opts.mouse);
        const double gap_ms = std::chrono::duration<double, std::milli>(now - last).count();
        if (frames >= 2) max_gap_ms = std::max(max_gap_ms, gap_ms);  // the first frames build the fonts
        last = now;
        // The picture of the running indicator is the frame before the key goes down.
        if (running && !shot_taken && opts.stop_after_frames > 0 && running_frames + 1 >= opts.stop_after_frames) {
            if (!opts.screenshot.empty() && !save_frame(window, opts.screenshot)) status = 1;
            shot_taken = true;
        }
        if (press) {
            esc_pressed = true;
            esc_frame = frames;
            esc_at = seconds(Clock::now());
        }
        glfwSwapBuffers(window);
        if (running) {
            if (running_frames == 0) first_steps = p.steps;
            last_steps = p.steps;
            ++running_frames;
            if (esc_pressed) ++frames_after_esc_running;
        }
        if (frames_json.size() < 200000) {
            frames_json += frames_json.empty() ? "" : ",";
            frames_json += "{\"running\":" + std::string(running ? "true" : "false") + ",\"steps\":" + std::to_string(p.steps) +
                           ",\"events\":" + std::to_string(p.events) + ",\"info_gap_ms\":" + std::to_string(static_cast<int>(gap_ms)) + "}";
        }
        ++frames;
        if (!s->running()) {
            if (idle_frames == 0) idle_at = seconds(Clock::now());
            if (++idle_frames >= 3) break;  // the run's end drawn
        }
        if (seconds(Clock::now()) > 600) {
            timed_out = true;
            break;
        }
    }
    ImGui::GetIO().KeysDown[GLFW_KEY_ESCAPE] = false;
    if (!opts.screenshot.empty() && !shot_taken && !save_frame(window, opts.screenshot)) status = 1;
    const bool has_run = s->has_run();
    const tasklab::RunStatus& st = has_run ? s->controller().status() : tasklab::RunStatus{};
    std::string out = "{\n";
    out += "  \"frames\": " + std::to_string(frames) + ",\n";
    out += "  \"frames_while_running\": " + std::to_string(running_frames) + ",\n";
    out += "  \"steps_at_first_running_frame\": " + std::to_string(first_steps) + ",\n";
    out += "  \"steps_at_last_running_frame\": " + std::to_string(last_steps) + ",\n";
    out += "  \"esc_pressed\": " + std::string(esc_pressed ? "true" : "false") + ",\n";
    out += "  \"esc_frame\": " + std::to_string(esc_frame) + ",\n";
    out += "  \"frames_while_running_after_esc\": " + std::to_string(frames_after_esc_running) + ",\n";
    out += "  \"timed_out\": " + std::string(timed_out ? "true" : "false") + ",\n";
    out += "  \"has_run\": " + std::string(has_run ? "true" : "false") + ",\n";
    out += "  \"state\": \"" + std::string(has_run ? tasklab::run_state_name(st.state) : "none") + "\",\n";
    out += "  \"message\": " + tasklab::text::quoted(st.message) + ",\n";
    out += "  \"diagnostic_kind_is_step_limit\": " +
           std::string(st.diagnostic && st.diagnostic->kind == tasklab::DiagnosticKind::step_limit ? "true" : "false") + ",\n";
    out += "  \"step\": " + std::to_string(s->step()) + ",\n";
    out += "  \"total_steps\": " + std::to_string(s->total_steps()) + ",\n";
    out += "  \"at_end\": " + std::string(s->at_end() ? "true" : "false") + ",\n";
    out += "  \"events\": " + std::to_string(s->event_count()) + ",\n";
    out += "  \"info_max_frame_gap_ms\": " + std::to_string(max_gap_ms) + ",\n";
    out += "  \"info_esc_to_idle_ms\": " + std::to_string(esc_pressed ? (idle_at - esc_at) * 1000.0 : 0.0) + ",\n";
    out += "  \"info_seconds\": " + std::to_string(seconds(Clock::now())) + ",\n";
    out += "  \"frame_log\": [" + frames_json + "]\n}\n";
    FILE* f = std::fopen(opts.frames_report.c_str(), "wb");
    if (!f || std::fwrite(out.data(), 1, out.size(), f) != out.size()) {
        std::fprintf(stderr, "tasklab-viz: cannot write %s\n", opts.frames_report.c_str());
        status = 1;
    }
    if (f) std::fclose(f);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    MainOptions opts;
    opts.app.run.native_stack_size = tasklab::host::native_stack_size();  // the OS facts a run needs
    if (int rc = parse_args(argc, argv, opts); rc >= 0) return rc;
    const bool exporting = opts.export_range || !opts.gif.empty();
    const bool headless = !opts.screenshot.empty() || opts.bench_frames > 0 || exporting || !opts.frames_report.empty();

    if (opts.bench_seek > 0) return run_seek_bench(opts.app.files[0], opts.bench_seek, opts.app.run);

    glfwSetErrorCallback(glfw_error);
    if (!glfwInit()) {
        std::fprintf(stderr, "tasklab-viz: cannot open a window (no display? try xvfb-run)\n");
        return 1;
    }
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    if (headless) glfwWindowHint(GLFW_RESIZABLE, GLFW_FALSE);
    GLFWwindow* window = glfwCreateWindow(opts.width, opts.height, "tasklab-viz", nullptr, nullptr);
    if (!window) {
        std::fprintf(stderr, "tasklab-viz: cannot create an OpenGL 3.0 window\n");
        glfwTerminate();
        return 1;
    }
    glfwMakeContextCurrent(window);
    glfwSwapInterval(headless ? 0 : 1);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;  // the layout is fixed: nothing to remember
    ImGui_ImplGlfw_InitForOpenGL(window, true);
    ImGui_ImplOpenGL3_Init("#version 130");

    int status = 0;
    {
        tasklab::viz::App app(opts.app);
        if (exporting) {
            status = run_export(app, window, opts);
        } else if (!opts.frames_report.empty()) {
            status = run_frames_report(app, window, opts);
        } else if (!opts.screenshot.empty()) {
            // A few frames so fonts, layout and fit-to-window settle, then read the last one back.
            // The timeline records what it draws; the last frame's record goes next to the PNG.
            tasklab::viz::LayoutReport report;
            app.set_layout_report(&report);
            for (int i = 0; i < 4; ++i) {
                glfwPollEvents();
                report = tasklab::viz::LayoutReport{};
                render_frame(app, window, 1.0 / 60.0, true, opts.mouse);
                if (i == 3) {
                    int fb_w = 0, fb_h = 0;
                    glfwGetFramebufferSize(window, &fb_w, &fb_h);
                    const std::string err = tasklab::viz::save_framebuffer_png(opts.screenshot, fb_w, fb_h);
                    if (!err.empty()) {
                        std::fprintf(stderr, "tasklab-viz: %s\n", err.c_str());
                        status = 1;
                    }
                    tasklab::viz::record_covering_windows(report, *ImGui::GetDrawData(), "Timeline");
                    report.image_width = fb_w;
                    report.image_height = fb_h;
                    const std::string layout_err = tasklab::viz::write_layout_report(opts.layout_json, report);
                    if (!layout_err.empty()) {
                        std::fprintf(stderr, "tasklab-viz: %s\n", layout_err.c_str());
                        status = 1;
                    }
                }
                glfwSwapBuffers(window);
            }
            app.set_layout_report(nullptr);
        } else if (opts.bench_frames > 0) {
            tasklab::viz::Session* s = app.session();
            if (!s || !s->has_run()) {
                std::fprintf(stderr, "tasklab-viz: %s: cannot run the scenario\n", opts.app.files[0].c_str());
                status = 1;
            } else {
                // Play the end of the run while the frames are timed: the trace is (nearly)
                // complete, and the cursor moves every frame by a fast-forward pace of 10 steps
                // (600 steps per second at 60 frames per second).
                const std::uint64_t total = s->total_steps();
                const std::uint64_t per_frame = 10;
                const std::uint64_t span = per_frame * static_cast<std::uint64_t>(opts.bench_frames);
                s->seek(total > span ? total - span : 0);
                for (int i = 0; i < 3; ++i) {  // settle fonts and layout (not timed)
                    render_frame(app, window, 0.0, true);
                    glfwSwapBuffers(window);
                }
                s->set_speed(static_cast<double>(per_frame) * 60.0);
                s->set_playing(true);
                app.reset_cpu_counters();
                std::vector<double> ms, build_ms, render_ms, cpu_ms;
                double vertices = 0, commands = 0;
                for (int i = 0; i < opts.bench_frames; ++i) {
                    glfwPollEvents();
                    const double c0 = process_cpu_ms();
                    const auto t0 = std::chrono::steady_clock::now();
                    const FrameSplit split = render_frame(app, window, 1.0 / 60.0, true);
                    glFinish();
                    const auto tr = std::chrono::steady_clock::now();
                    render_ms.push_back(std::chrono::duration<double, std::milli>(tr - t0).count());
                    glfwSwapBuffers(window);
                    glFinish();
                    const auto t1 = std::chrono::steady_clock::now();
                    ms.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
                    cpu_ms.push_back(process_cpu_ms() - c0);
                    build_ms.push_back(split.build_ms);
                    vertices += split.vertices;
                    commands += split.commands;
                    if (!s->playing()) s->set_playing(true);
                }
                std::printf("frames %d  steps %llu  events %llu  tasks %zu\n", opts.bench_frames,
                            static_cast<unsigned long long>(s->step()), static_cast<unsigned long long>(s->event_count()),
                            s->trace().tasks().size() - 1);
                std::printf("frame time: median %.2f ms, p95 %.2f ms\n", percentile(ms, 0.5), percentile(ms, 0.95));
                std::printf("  of which building the frame: median %.2f ms, p95 %.2f ms; %.0f vertices and %.0f draw calls per frame\n",
                            percentile(build_ms, 0.5), percentile(build_ms, 0.95), vertices / opts.bench_frames,
                            commands / opts.bench_frames);
                std::printf("  building and rendering (before the buffer swap): median %.2f ms\n", percentile(render_ms, 0.5));
                std::printf("  CPU time of this process per frame (all threads): median %.2f ms, p95 %.2f ms\n",
                            percentile(cpu_ms, 0.5), percentile(cpu_ms, 0.95));
                std::printf("  CPU per frame in the App: advancing the session %.2f ms;",
                            app.update_cpu_ms() / opts.bench_frames);
                const auto& panel_ms = app.panel_cpu_ms();
                for (std::size_t i = 0; i < panel_ms.size() && i < app.panels().size(); ++i)
                    if (panel_ms[i] / opts.bench_frames >= 0.01)
                        std::printf(" %s %.2f", app.panels()[i]->title().c_str(), panel_ms[i] / opts.bench_frames);
                std::printf(" ms\n");
                const auto covered = covered_pixels();
                double covered_total = 0;
                for (const auto& c : covered) covered_total += c.first;
                std::printf("  pixels drawn in the last frame (unclipped triangle areas): %.2f Mpx; largest:", covered_total / 1e6);
                for (std::size_t i = 0; i < covered.size() && i < 4; ++i)
                    std::printf(" %s %.2f", covered[i].second.c_str(), covered[i].first / 1e6);
                std::printf("\n");
            }
        } else {
            glfwSetDropCallback(window, drop_files);
            double last = glfwGetTime();
            while (!glfwWindowShouldClose(window) && !app.quit_requested()) {
                // A run in flight on the worker: keep drawing its progress.
                const bool busy = app.session() && (app.session()->playing() || app.session()->running() ||
                                                    (app.compare_session() && app.compare_session()->running()));
                if (busy) glfwPollEvents();
                else glfwWaitEventsTimeout(0.25);  // still wake up to poll the file for changes
                open_dropped(app);
                tasklab::viz::report_opened_runs(app);
                const double now = glfwGetTime();
                render_frame(app, window, now - last);
                last = now;
                if (auto& job = tasklab::viz::pending_window_export(); job) {
                    const tasklab::viz::ExportJob todo = *std::exchange(job, std::nullopt);
                    const auto done = tasklab::viz::export_frames(app, todo, export_renderer(app, window));
                    if (done.error.empty())
                        tasklab::viz::notify("Exported " + std::to_string(done.frames) + " slides (steps " +
                                             std::to_string(todo.range.first) + ".." + std::to_string(todo.range.last) +
                                             ") and a GIF to " + todo.png_dir.string());
                    else
                        tasklab::viz::notify("Export failed: " + done.error, true);
                    std::fprintf(stderr, "tasklab-viz: %s\n", tasklab::viz::notice().text.c_str());
                    last = glfwGetTime();
                }
                const std::string shot = app.take_screenshot_request();
                if (!shot.empty()) {
                    int fb_w = 0, fb_h = 0;
                    glfwGetFramebufferSize(window, &fb_w, &fb_h);
                    const std::string err = tasklab::viz::save_framebuffer_png(shot, fb_w, fb_h);
                    std::fprintf(stderr, "tasklab-viz: %s\n", err.empty() ? ("saved " + shot).c_str() : err.c_str());
                }
                glfwSwapBuffers(window);
            }
        }
    }

    ImGui_ImplOpenGL3_Shutdown();
    ImGui_ImplGlfw_Shutdown();
    ImGui::DestroyContext();
    glfwDestroyWindow(window);
    glfwTerminate();
    return status;
}
