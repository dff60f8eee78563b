// The Outcomes view's model: the race explorer run off the window's thread, and its result in
// the words and rows the view shows.
//
// tasklab's scheduler takes one fixed order where a real runtime leaves it open; explore()
// (engine/explore.hpp) runs the program under every such order up to a bound and lists the
// distinct outcomes. That takes up to seconds, so an OutcomeExplorer runs it on a thread of its
// own while the window goes on drawing ("exploring… 2.1 s") and can be stopped. An explored run
// marks the program's syntax tree (the Swift resolver sends every statement of task code to the
// preemptible path), so the explorer is always given a program parsed for it alone, never the
// one a Session's Controller runs.
//
// outcome_rows() turns the result into what a person reads: each outcome's number, how many
// orders lead to it, where it first departs from the default order ("at 3.000s, `outerItem`
// ran before `asyncAfter @35`"), how it ended, and its printed lines with those that differ
// from outcome 1 marked (a longest common subsequence, so one extra line does not mark every
// line after it). summary_text() says how many orders were run and pruned and whether the
// search was complete or stopped at a bound.
//
// Pure C++ over the engine: no ImGui, no GL (tests/viz/outcome_list_test.cpp).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "engine/explore.hpp"

namespace tasklab::viz {

/// One printed line of an outcome, and whether outcome 1 lacks it there.
struct OutcomeLine {
    std::string text;
    bool differs = false;  ///< not matched by a line of outcome 1 (longest common subsequence)
};

/// One outcome as the view lists it.
struct OutcomeRow {
    std::size_t number = 0;   ///< 1-based, in the explorer's order (1: the default order's)
    std::size_t runs = 0;     ///< explored orders that end here
    std::string divergence;   ///< where it departs from the default order ("" for outcome 1)
    std::string ending;       ///< how it ended, in words ("finished", "deadlock: …")
    bool ended_normally = true;
    std::vector<OutcomeLine> lines;  ///< every printed line, marked
    std::size_t differing = 0;       ///< lines marked, plus outcome 1's lines this one lacks
    std::size_t missing = 0;         ///< outcome 1's lines this one lacks
};

/// Marks the lines of `lines` that a longest common subsequence with `first` leaves out, and
/// counts the lines of `first` it leaves out (`missing`). Long outputs (over 4,000 lines on
/// either side) are compared line by line at equal positions instead.
std::vector<OutcomeLine> mark_differing_lines(const std::vector<std::string>& first, const std::vector<std::string>& lines,
                                              std::size_t* missing = nullptr);

/// How an outcome ended, in words: "finished", or the state's name and its message.
std::string ending_text(const ExploredOutcome& o);

/// The rows of every outcome of `result`, in its order.
std::vector<OutcomeRow> outcome_rows(const ExploreResult& result);

/// "14 orders explored, 6 pruned as equivalent, 2 outcomes; complete" or "…; stopped at the
/// bound of 2000 orders".
std::string summary_text(const ExploreResult& result, const ExploreOptions& options);

/// One choice point of the run shown, as the timeline marks it.
struct ChoiceMark {
    std::uint64_t event = 0;   ///< the trace index the choice was made at (the next event's)
    Tick now = 0;
    TaskId taken = 0;          ///< the task that went first (its lane carries the mark)
    std::size_t alternatives = 0;  ///< the other tasks that could have gone first
    bool departs = false;      ///< the choice taken is not tasklab's default
    std::string text;          ///< "here the runtime could have chosen otherwise: 1 alternative", and what was taken
};

/// The marks of `choices` that lie in `trace` (made before its last event), in order.
std::vector<ChoiceMark> choice_marks(const std::vector<ChoiceMade>& choices, const Trace& trace);

/// Runs explore() on a thread of its own (one search at a time).
class OutcomeExplorer {
public:
    OutcomeExplorer() = default;
    /// Stops the search in flight and waits for it.
    ~OutcomeExplorer();
    OutcomeExplorer(const OutcomeExplorer&) = delete;
    OutcomeExplorer& operator=(const OutcomeExplorer&) = delete;

    /// Explores `program` (parsed for the explorer alone: explored runs mark it) with
    /// `options`; `key` names what was explored (the caller's file and text). A search in
    /// flight is stopped first and its result dropped.
    void start(std::shared_ptr<const ast::Program> program, ExploreOptions options, std::string key);
    /// Asks the search in flight to stop; it ends with the outcomes found so far.
    void stop() { m_stop.store(true, std::memory_order_relaxed); }
    /// True from start() until the search has ended.
    [[nodiscard]] bool busy() const { return m_started && !m_done.load(std::memory_order_acquire); }
    /// True once a search was started (its result may still be coming).
    [[nodiscard]] bool started() const { return m_started; }
    /// Waits up to `seconds` (negative: as long as it takes). True when no search is in flight.
    bool wait(double seconds);
    /// Wall-clock seconds the search took so far (or in all, once it has ended).
    [[nodiscard]] double seconds() const;
    /// The finished search's result, or nullptr while it runs or when none was started.
    [[nodiscard]] const ExploreResult* result() const { return m_started && !busy() ? &m_result : nullptr; }
    /// The rows of result() (made once when it arrives), empty until then.
    [[nodiscard]] const std::vector<OutcomeRow>& rows() const;
    /// The options of the search started last.
    [[nodiscard]] const ExploreOptions& options() const { return m_options; }
    /// The key given to start() ("" before).
    [[nodiscard]] const std::string& key() const { return m_key; }
    /// Forgets the result (a new file was opened).
    void clear();

private:
    void join();
    bool m_started = false;
    std::string m_key;
    ExploreOptions m_options;
    std::thread m_thread;
    std::atomic<bool> m_stop{false};
    std::atomic<bool> m_done{false};
    std::chrono::steady_clock::time_point m_begin;
    std::chrono::steady_clock::time_point m_end;
    ExploreResult m_result;                    ///< written by the thread until m_done
    mutable std::vector<OutcomeRow> m_rows;    ///< made from m_result on the first rows() after it
    mutable bool m_rows_made = false;
};

}  // namespace tasklab::viz
