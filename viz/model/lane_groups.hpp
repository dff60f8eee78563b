// Alike lanes: a group of a thousand children that look the same is drawn as one row.
//
// A lesson like "cancelAll() after 10 images" starts 1,000 downloads; one lane each would leave
// the class scrolling through 1,002 rows to find the ten that matter. As the CLI's text
// timeline does (viz/text/text_timeline.cpp), sibling lanes of one family (the same name
// but for the instance number: "downloadImage #12", "downloadImage #13") whose pictures are
// alike share one row, labelled "downloadImage #1 +988 alike". Here "alike" means the same
// sequence of states (with the cancelled-but-still-going flag), the same kinds of marks and
// the same ending; when things happen does not count. Only leaf lanes (no lanes of their own
// below) in one scope and at one depth are grouped, and only when at least `min_group` of
// them are alike, so a handful of lanes is always shown one by one.
//
// AlikeLanes keeps the grouped layout up to date cheaply: it reads the look again only for the
// lanes of the events read since the last update, regroups only when a look or the rows
// changed, and keeps its grouped copy while the groups stand. (A layout of over 20,000 rows
// regroups on every fourth change of looks while the run plays.)
//
// Pure C++ over the timeline model: no ImGui, no GL (unit-tested in tests/viz).
#pragma once

#include <cstdint>
#include <vector>

#include "viz/model/timeline_layout.hpp"

namespace tasklab::viz {

class AlikeLanes {
public:
    /// Fewer alike siblings than this are shown one by one.
    static constexpr std::uint32_t k_min_group = 5;

    /// The layout to draw: `base` itself when nothing groups, or a copy in which every group of
    /// alike siblings shares its first member's row (Row::alike counts the others; row_of()
    /// maps them to that row; shown() is false for them). `base_version` changes whenever
    /// `base` was rebuilt (other folds, new tasks, a replay).
    const LaneLayout& update(const Trace& trace, const TimelineModel& model, const LaneLayout& base,
                             std::uint64_t base_version);
    /// Forgets everything.
    void reset();
    /// The tasks sharing the row of `task` (its group, itself first), or just `task`.
    [[nodiscard]] std::vector<TaskId> group_of(TaskId task) const;

private:
    /// The look of one lane: equal looks (and families) are alike. 0: not known yet.
    static std::uint64_t look(const Trace& trace, const LaneData& lane, TaskId task);
    void regroup(const Trace& trace, const LaneLayout& base);

    std::vector<std::uint64_t> m_looks;   // by TaskId
    std::vector<TaskId> m_leader;         // by TaskId: the first member of its group (itself when alone)
    std::vector<std::uint32_t> m_lead;    // by base row: the row it is drawn in (itself when kept)
    std::uint64_t m_base_version_grouped = ~std::uint64_t{0};
    bool m_stale = true;                  // the grouped copy must be rebuilt
    bool m_looks_changed = false;         // looks changed since the last regroup
    int m_deferred = 0;                   // changes of looks not regrouped yet (very long layouts)
    // An open-addressing table look -> (first row, count), reused by each regroup.
    // A slot is empty unless its generation is the current one, so the table is never cleared.
    struct Slot {
        std::uint64_t look = 0;
        std::uint32_t lead = 0;
        std::uint32_t count = 0;
        std::uint32_t generation = 0;
    };
    std::vector<Slot> m_table;
    std::uint32_t m_generation = 0;
    std::uint64_t m_base_version = ~std::uint64_t{0};
    std::uint64_t m_events_seen = ~std::uint64_t{0};  // the model's event count at the last update
    const LaneLayout* m_base = nullptr;
    LaneLayout m_out;
    bool m_grouped = false;
};

}  // namespace tasklab::viz
