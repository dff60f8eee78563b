// The shared driving verbs: cursor moves with breakpoints, jumps, exports, the keyboard map.
#include "commands.hpp"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "viz/app.hpp"
#include "viz/export/export_plan.hpp"
#include "viz/export/frame_export.hpp"
#include "viz/text/perfetto.hpp"

namespace tasklab::viz {

namespace {

constexpr double k_notice_seconds = 5.0;

const SourceFile* file_of(Session& s) { return s.has_run() ? &s.source() : nullptr; }

/// Selects the event a move stopped at, so the source and the tree follow.
void select_event(App& app, Session& s, std::uint64_t event) {
    if (!s.has_run() || event >= s.trace().size()) return;
    UiState& ui = app.ui();
    ui.selected_event = event;
    const Event e = s.trace().at(event);
    if (e.task != 0) ui.selected_task = e.task;
}

/// After a plain move the "current event" is the cursor's: forget a clicked one.
void clear_selection(App& app) { app.ui().selected_event.reset(); }

const char* jump_name(JumpKind kind) {
    switch (kind) {
        case JumpKind::cancel: return "cancel";
        case JumpKind::spawn: return "spawn";
        case JumpKind::threw: return "throw";
        case JumpKind::narration: return "note";
    }
    return "event";
}

}  // namespace

Notice& notice() {
    static Notice n;
    return n;
}

void notify(std::string text, bool error) {
    Notice& n = notice();
    n.text = std::move(text);
    n.error = error;
    n.seconds_left = k_notice_seconds;
}

void go_to_event(App& app, Session& s, std::uint64_t event) {
    if (!s.has_run() || event >= s.trace().size()) return;
    s.set_playing(false);
    const Event e = s.trace().at(event);
    if (e.step < s.step()) s.seek(e.step);
    select_event(app, s, event);
}

void step_forward(App& app, Session& s) {
    s.set_playing(false);
    clear_selection(app);
    s.step_forward();
}

void step_back(App& app, Session& s) {
    s.set_playing(false);
    clear_selection(app);
    s.step_back();
}

void next_instant(App& app, Session& s) {
    if (!s.has_run()) return;
    s.set_playing(false);
    clear_selection(app);
    const Breakpoints& bp = app.ui().breakpoints;
    BreakpointWatch watch(bp, file_of(s), s.now());
    const Tick t0 = s.now();
    while (!s.at_end() && s.now() == t0) {
        const std::uint64_t first = s.trace().size();
        // A slow step goes to the worker thread: the cursor moves when it is done.
        if (!s.step_forward() || s.running()) return;
        if (!bp.any()) continue;
        for (std::uint64_t i = first; i < s.trace().size(); ++i)
            if (watch(s.trace().at(i))) {
                select_event(app, s, watch.hit().event);
                notify("Stopped at a breakpoint: " + watch.hit().reason);
                return;
            }
    }
}

void previous_instant(App& app, Session& s) {
    if (!s.has_run() || s.step() == 0) return;
    s.set_playing(false);
    clear_selection(app);
    const Trace& trace = s.trace();
    const Tick now = s.now();
    // Events are in time order: find the first one at the cursor's instant.
    std::uint64_t lo = 0, hi = trace.size();
    while (lo < hi) {
        const std::uint64_t mid = lo + (hi - lo) / 2;
        if (trace.at(mid).time < now) lo = mid + 1;
        else hi = mid;
    }
    std::uint64_t target = lo == 0 ? 0 : trace.at(lo - 1).step;
    if (target >= s.step()) target = s.step() - 1;
    const auto hit = find_break_backward(trace, app.ui().breakpoints, file_of(s), s.step(), target);
    if (hit) {
        const std::uint64_t event = hit->event;
        const std::string reason = hit->reason;
        s.seek(trace.at(event).step);
        select_event(app, s, event);
        notify("Stopped at a breakpoint: " + reason);
        return;
    }
    s.seek(target);
}

void jump(App& app, Session& s, JumpKind kind, bool forward) {
    if (!s.has_run()) return;
    s.set_playing(false);
    const auto found =
        s.seek_event(forward ? Direction::forward : Direction::backward, [kind](const Event& e) { return is_jump_target(kind, e); });
    if (found) {
        select_event(app, s, *found);
        return;
    }
    if (s.running()) return;  // the search went on on the worker thread: the cursor moves when it is done
    notify(std::string("No ") + (forward ? "later " : "earlier ") + jump_name(kind) + ".");
}

void previous_breakpoint(App& app, Session& s) {
    if (!s.has_run()) return;
    s.set_playing(false);
    const Breakpoints& bp = app.ui().breakpoints;
    if (!bp.any()) {
        notify("No breakpoint is set (see Breakpoints in the toolbar).");
        return;
    }
    const auto hit = find_break_backward(s.trace(), bp, file_of(s), s.step());
    if (!hit) {
        notify("No breakpoint before the cursor.");
        return;
    }
    const std::uint64_t event = hit->event;
    const std::string reason = hit->reason;
    s.seek(s.trace().at(event).step);
    select_event(app, s, event);
    notify("Stopped at a breakpoint: " + reason);
}

namespace {
/// Sessions (by serial) whose opening report waits for their run (report_opened_runs).
std::vector<std::uint64_t>& opened_to_report() {
    static std::vector<std::uint64_t> serials;
    return serials;
}
}  // namespace

void report_opened(const Session& s) {
    if (s.loading()) {  // its run is still made on the worker thread: said when it arrives
        opened_to_report().push_back(s.serial());
        return;
    }
    std::string how;
    if (!s.load_error().empty()) how = "cannot read it: " + s.load_error();
    else if (!s.has_run()) how = std::to_string(s.diagnostics().items().size()) + " diagnostics, it does not run";
    else how = std::to_string(s.total_steps()) + " steps";
    std::fprintf(stderr, "tasklab-viz: opened %s (%s)\n", s.path().c_str(), how.c_str());
}

void report_opened_runs(App& app) {
    auto& pending = opened_to_report();
    for (auto it = pending.begin(); it != pending.end();) {
        const Session* found = nullptr;
        for (std::size_t i = 0; i < 2; ++i)
            if (const Session* s = app.run(i); s && s->serial() == *it) found = s;
        if (found && found->loading()) {
            ++it;
            continue;
        }
        if (found) report_opened(*found);  // a file replaced meanwhile is not reported
        it = pending.erase(it);
    }
}

std::uint64_t trace_key(const Session& s) { return (s.serial() << 40) ^ s.epoch(); }

std::string export_stem(const Session& s) {
    const std::string stem = std::filesystem::path(s.path()).stem().string();
    return stem.empty() ? std::string("tasklab") : stem;
}

std::string save_view_png(App& app) {
    Session* s = app.session();
    const std::string stem = s ? export_stem(*s) + "-step-" + std::to_string(s->step()) : std::string("tasklab-picker");
    std::error_code ec;
    const std::string name = unique_path(std::filesystem::current_path(ec), stem, ".png").filename().string();
    app.request_screenshot(name);
    notify("Saved the view as " + name);
    return name;
}

void export_scene(App& app) { request_window_export(app); }

std::string export_perfetto(App& app, Session& s) {
    (void)app;
    if (!s.has_run()) {
        notify("Nothing to export: the scenario does not run.", true);
        return {};
    }
    // The whole run, not only what the cursor has reached.
    std::unique_ptr<ScriptedChooser> chooser;  // an explored outcome's order, if one is shown
    Controller full(s.controller().program_ptr(), s.own_run_options(chooser));
    full.run_until_idle();
    const std::string name = export_stem(s) + ".perfetto.json";
    std::ofstream out(name, std::ios::binary);
    if (out) write_perfetto_json(out, full.trace(), &full.program());
    if (!out) {
        notify("Cannot write " + name, true);
        return {};
    }
    notify("Exported " + name + " (open it in ui.perfetto.dev)");
    return name;
}

// clang-format off
const KeyHelp k_keys[] = {
    {"Space", "play / pause (stops at breakpoints)", "play"},
    {"Shift+Space", "play backward (stops at breakpoints)", nullptr},
    {"\u2192 \u2190", "one step forward / back", "step"},
    {"Shift+\u2192 \u2190", "next / previous virtual instant", "instant"},
    {"Home End", "first step / end of the run", "start/end"},
    {"+ -", "faster / slower", "speed"},
    {"N P", "next / previous cancel", "cancel"},
    {"S \u21E7S", "next / previous spawn (Shift+S)", "spawn"},
    {"T \u21E7T", "next / previous throw (Shift+T)", "throw"},
    {"B", "breakpoint on the selected source line", "breakpoint"},
    {"\u21E7B", "back to the previous breakpoint hit (Shift+B)", nullptr},
    {"F1 ?", "this help", "help"},
    {"F11 / Ctrl+P", "presenter mode", "presenter"},
    {"Ctrl+S", "save a PNG of the view (a new file each time)", nullptr},
    {"Ctrl+\u21E7E", "export the scene as slides: PNG per step + GIF (Ctrl+Shift+E)", nullptr},
    {"Ctrl+E", "export the whole run for Perfetto (JSON)", nullptr},
    {"O", "open a scenario", "open"},
    {"R", "reload the file", nullptr},
    {"C", "compare with another scenario / stop comparing", "compare"},
    {"X", "outcomes: every order a real runtime could take (the race explorer)", nullptr},
    {"Esc", "stop a run in flight; close the help or the picker", nullptr},
    {"V F L", "timeline: next axis (time, time + steps, steps) / fit / legend", nullptr},
    {"I", "inspector (the selected task's values) / what runs next", nullptr},
};
// clang-format on
const std::size_t k_key_count = sizeof(k_keys) / sizeof(k_keys[0]);

}  // namespace tasklab::viz
