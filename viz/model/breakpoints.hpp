// Breakpoints and jump targets: which trace events stop the cursor.
//
// A teacher sets breakpoints on kinds of event (a cancel requested, a cancel observed, a throw,
// a task finishing), on a moment of virtual time (the first step at or after T) and on source
// lines (any event whose span starts on the line). They are honoured in both directions:
// playing or stepping forward stops after the step that hits one (BreakpointWatch is the
// predicate Session::update calls on each new event), and going backward stops at the latest
// earlier step that hits one (find_break_backward scans the trace already recorded, so no
// replay is needed to find it).
//
// Jumps (next / previous cancel, spawn, throw) are simpler predicates over single events.
//
// Pure C++ over engine/trace.hpp: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "engine/trace.hpp"
#include "scenarios/source.hpp"

namespace tasklab::viz {

/// What the teacher wants the cursor to stop at.
struct Breakpoints {
    bool cancel_requested = false;  ///< a cancel request reaches a task
    bool cancel_observed = false;   ///< a task notices its cancellation
    bool threw = false;             ///< a task throws
    bool task_finished = false;     ///< a task ends (any outcome)
    std::optional<Tick> time_at_least;  ///< the first step whose virtual time is >= this
    std::set<std::uint32_t> lines;      ///< 1-based source lines
    bool enabled = true;                ///< the master switch: off ignores all of the above

    /// True when any breakpoint is set (and the master switch is on).
    [[nodiscard]] bool any() const;
    /// Adds or removes a line breakpoint.
    void toggle_line(std::uint32_t line);
};

/// Why the cursor stopped (for the toolbar's readout).
struct BreakHit {
    std::uint64_t event = 0;  ///< the event that hit
    std::string reason;       ///< "cancel requested", "line 12", "time ≥ 1.000s", …
};

/// The reason `e` hits one of the event breakpoints (kinds and lines; not time), or "".
/// `file` is the run's source (for line breakpoints); null disables them.
[[nodiscard]] std::string event_break_reason(const Breakpoints& bp, const Event& e, const SourceFile* file);

/// The predicate playing and stepping forward stop at: kinds, lines, and the time breakpoint
/// crossed for the first time after `start_time` (where the cursor stood when it was made).
/// Copies of one watch share their state (std::function copies it).
class BreakpointWatch {
public:
    BreakpointWatch(Breakpoints bp, const SourceFile* file, Tick start_time);
    /// True when `e` (the next event in trace order) stops the cursor.
    bool operator()(const Event& e);
    /// The last hit (empty reason when none yet).
    [[nodiscard]] const BreakHit& hit() const { return m_state->hit; }

private:
    struct State {
        Breakpoints bp;
        const SourceFile* file = nullptr;
        Tick last_time = 0;
        BreakHit hit;
    };
    std::shared_ptr<State> m_state;
};

/// The latest event of a step before `before_step` that hits a breakpoint, searching the
/// recorded trace backward no further than `stop_step` (inclusive). The time breakpoint hits
/// at the first event at or after T (the step where time reached T). Nothing when none hits.
[[nodiscard]] std::optional<BreakHit> find_break_backward(const Trace& trace, const Breakpoints& bp,
                                                          const SourceFile* file, std::uint64_t before_step,
                                                          std::uint64_t stop_step = 0);

/// What the jump keys look for.
enum class JumpKind : std::uint8_t {
    cancel,  ///< a cancel request
    spawn,   ///< a task created (not main)
    threw,   ///< a throw
    narration,  ///< a narration note
};

/// True when `e` is a target of `kind`.
[[nodiscard]] bool is_jump_target(JumpKind kind, const Event& e);

/// The 1-based source line an event points at, 0 when it has no span (or no file).
[[nodiscard]] std::uint32_t event_line(const Event& e, const SourceFile* file);

}  // namespace tasklab::viz
