// The driving verbs every panel shares: moving the cursor (with breakpoints), jumping to an
// event, saving a picture, exporting the run, and the keyboard map.
//
// The toolbar's buttons, the keyboard, and clicks in the log, output, source and chapters all
// go through these functions, so a click and a key do exactly the same thing. Each verb acts
// on the App's main session; the compared one follows it (compare_panel.cpp).
//
// The keyboard map (k_keys) is one table: the help overlay and the hint bar print it, and
// controls_panel.cpp acts on it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "viz/model/breakpoints.hpp"

namespace tasklab::viz {

class App;
class Session;

/// A message for the toolbar (what was saved, why the cursor stopped), shown for a few seconds.
struct Notice {
    std::string text;
    bool error = false;
    double seconds_left = 0;
};

/// The notice currently shown (shared by every panel of the process' one App).
Notice& notice();
/// Shows `text` in the toolbar for a few seconds.
void notify(std::string text, bool error = false);

/// Moves the cursor to the end of `event`'s step (replaying back when it lies before the
/// cursor) and selects it: the source panel shows its line, the tree its task.
void go_to_event(App& app, Session& s, std::uint64_t event);

/// One step forward. Stops at nothing: one step is one step.
void step_forward(App& app, Session& s);
/// One step back (exact: the run is replayed to the step before).
void step_back(App& app, Session& s);
/// Forward until virtual time moves on, stopping early at a breakpoint.
void next_instant(App& app, Session& s);
/// Back to the last step of the previous virtual instant, stopping early at a breakpoint.
void previous_instant(App& app, Session& s);
/// To the next / previous event of `kind` (selecting it). Reports when there is none.
void jump(App& app, Session& s, JumpKind kind, bool forward);
/// Back to the latest earlier breakpoint hit. Reports when there is none.
void previous_breakpoint(App& app, Session& s);

/// Asks for a PNG of the next frame, named after the scenario and step, in the working
/// directory: name-step-N.png, or name-step-N-2.png, -3, … when that exists (never
/// overwrites). Returns the file name.
std::string save_view_png(App& app);
/// Exports the scene around the cursor as slides (one PNG per step and an animated GIF) into
/// a new folder of the working directory: from the last breakpoint hit before the cursor (or
/// step 0) to the first one at or after it (or the end); with no breakpoint, the whole run.
/// See viz/export/frame_export.hpp.
void export_scene(App& app);
/// Runs the scenario to its end and writes it as Chrome Trace Event JSON (opens in
/// ui.perfetto.dev) into the working directory. Returns the file name, or "" on failure.
std::string export_perfetto(App& app, Session& s);

/// Prints on stderr that `s` was opened and whether it runs ("opened FILE (11 steps)"), as
/// Ctrl+S prints what it saved: the picker, its path box and a drop all report this way.
/// While its run is still made on the worker thread, the report waits for report_opened_runs.
void report_opened(const Session& s);
/// Prints the reports that waited for their runs (the frame loop calls it every frame).
void report_opened_runs(App& app);

/// A key for data derived from a session's trace: it changes whenever the trace is replaced
/// (step back, reload) or another session takes its place (Session::serial and epoch).
std::uint64_t trace_key(const Session& s);

/// A file name stem for exports: the scenario's file name without its extension.
std::string export_stem(const Session& s);

/// One row of the keyboard map.
struct KeyHelp {
    const char* keys;     ///< "Space", "Shift+\u2192"
    const char* action;   ///< what it does
    const char* hint;     ///< its word in the hint bar, or nullptr when the bar leaves it out
};

/// The keyboard map, in the order the help lists it.
extern const KeyHelp k_keys[];
extern const std::size_t k_key_count;

}  // namespace tasklab::viz
