// The event log's filter: which events of the trace the log lists.
//
// A filter is a set of event kinds plus a text that must occur (case-insensitively, ASCII
// folding only) in the event's line as the log shows it (task name, kind and details in plain
// words) or in the trace's names for its kind and detail.
// EventIndex keeps the indices of the matching events and extends them as the trace grows. A
// kind-only filter is cheap (one byte compare per event); a text filter decodes each event, so
// EventIndex::sync takes a budget and resumes on the next call, keeping frames short even on a
// trace of a million events.
//
// Pure C++ over engine/trace.hpp and viz/text/event_log.hpp: no ImGui, no GL.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/trace.hpp"
#include "scenarios/ast.hpp"

namespace tasklab::viz {

struct EventFilter {
    std::bitset<k_event_kind_count> kinds = all_kinds();  ///< kinds listed
    std::string text;                                     ///< "" matches every event

    /// Every kind.
    [[nodiscard]] static std::bitset<k_event_kind_count> all_kinds() {
        return std::bitset<k_event_kind_count>().set();
    }
    [[nodiscard]] bool operator==(const EventFilter& other) const = default;
};

/// The text the filter matches: the log's line in plain words ("main finished returned") and
/// the trace's names of the kind and detail ("task_finished returned").
[[nodiscard]] std::string event_search_text(const Trace& trace, const Event& e, const ast::Program* program);

/// True when `needle` occurs in `haystack`, ignoring ASCII case.
[[nodiscard]] bool contains_folded(std::string_view haystack, std::string_view needle);

/// The indices of the events that pass a filter, kept up to date with a growing trace.
class EventIndex {
public:
    /// Scans at most `budget` new events. Starts over when the epoch or the filter changed.
    /// Returns true when the index has caught up with the trace.
    bool sync(const Trace& trace, std::uint64_t epoch, const EventFilter& filter, const ast::Program* program,
              std::uint64_t budget = 200'000);
    [[nodiscard]] const std::vector<std::uint64_t>& indices() const { return m_indices; }
    /// Events scanned so far (< trace size while catching up).
    [[nodiscard]] std::uint64_t scanned() const { return m_scanned; }

private:
    std::uint64_t m_epoch = ~std::uint64_t{0};
    EventFilter m_filter;
    std::string m_needle;
    std::uint64_t m_scanned = 0;
    std::vector<std::uint64_t> m_indices;
};

}  // namespace tasklab::viz
