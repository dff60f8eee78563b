// Alike lanes: grouping sibling lanes that look the same.
#include "lane_groups.hpp"

#include <unordered_map>

#include "viz/text/text_util.hpp"

namespace tasklab::viz {

namespace {

std::uint64_t mix(std::uint64_t h, std::uint64_t v) {
    // FNV-1a over the value's bytes: stable from run to run (no std::hash).
    for (int i = 0; i < 8; ++i) {
        h ^= (v >> (8 * i)) & 0xFF;
        h *= 0x100000001B3ull;
    }
    return h;
}

}  // namespace

void AlikeLanes::reset() {
    m_looks.clear();
    m_leader.clear();
    m_base_version = ~std::uint64_t{0};
    m_events_seen = ~std::uint64_t{0};
    m_base_version_grouped = ~std::uint64_t{0};
    m_lead.clear();
    m_looks_changed = false;
    m_deferred = 0;
    m_table.clear();
    m_generation = 0;
    m_stale = true;
    m_base = nullptr;
    m_out = LaneLayout{};
    m_grouped = false;
}

std::uint64_t AlikeLanes::look(const Trace& trace, const LaneData& lane, TaskId task) {
    std::uint64_t h = 0xCBF29CE484222325ull;
    for (const char c : text::family_name(trace.task(task).name)) h = mix(h, static_cast<unsigned char>(c));
    h = mix(h, 0xFFFF);
    // States in order, repeats collapsed; the cancel flag counts.
    int last = -1;
    for (const Interval& iv : lane.intervals) {
        const int code = static_cast<int>(iv.state) * 2 + (iv.cancel_pending ? 1 : 0);
        if (code == last) continue;
        last = code;
        h = mix(h, static_cast<std::uint64_t>(code));
    }
    std::uint32_t kinds = 0;
    for (const Mark& m : lane.marks) kinds |= 1u << static_cast<unsigned>(m.kind);
    h = mix(h, kinds);
    h = mix(h, lane.end ? 1 + static_cast<std::uint64_t>(lane.end->outcome) : 0);
    h = mix(h, lane.gap >= 0 ? 1 : 0);
    return h == 0 ? 1 : h;
}

const LaneLayout& AlikeLanes::update(const Trace& trace, const TimelineModel& model, const LaneLayout& base,
                                     std::uint64_t base_version) {
    bool changed = base_version != m_base_version || &base != m_base;
    const std::uint64_t events = std::min<std::uint64_t>(model.event_count(), trace.size());
    // Called by several panels in one frame: nothing new since the last call.
    if (!changed && events == m_events_seen && !m_looks_changed) return m_grouped ? m_out : base;
    m_base_version = base_version;
    m_base = &base;
    const auto& lanes = model.lanes();
    const std::size_t n = std::min(lanes.size(), trace.tasks().size());
    auto refresh = [&](std::size_t t) {
        const std::uint64_t l = look(trace, lanes[t], static_cast<TaskId>(t));
        if (l != m_looks[t]) {
            m_looks[t] = l;
            m_looks_changed = true;
        }
    };
    if (m_looks.size() != n || m_events_seen == ~std::uint64_t{0} || events < m_events_seen) {
        // Everything is read again (a new trace, new tasks).
        m_looks.assign(n, 0);
        for (std::size_t t = 1; t < n; ++t) refresh(t);
        changed = true;
    } else {
        // Only the lanes of the events read since: the model changes a lane only at its own
        // task's events.
        for (std::uint64_t i = m_events_seen; i < events; ++i) {
            const TaskId t = trace.stored(i).task;
            if (t > 0 && t < n) refresh(t);
        }
    }
    m_events_seen = events;
    if (base_version != m_base_version_grouped) {
        m_base_version_grouped = base_version;
        m_stale = true;  // other base rows: rebuild the copy even when the groups read the same
    }
    // A very long layout regroups on every fourth change of looks alone (a playing run of
    // 100,000 lanes changes some every frame); a change of the rows regroups at once.
    const bool huge = base.rows().size() > 20000;
    if (changed || (m_looks_changed && (!huge || ++m_deferred >= 4))) {
        m_deferred = 0;
        m_looks_changed = false;
        regroup(trace, base);
    }
    return m_grouped ? m_out : base;
}

void AlikeLanes::regroup(const Trace& trace, const LaneLayout& base) {
    (void)trace;
    const auto& rows = base.rows();
    // lead[k]: the row that row k is drawn in (k itself unless folded into an earlier row).
    std::vector<std::uint32_t> lead(rows.size());
    for (std::size_t k = 0; k < rows.size(); ++k) lead[k] = static_cast<std::uint32_t>(k);
    bool any = false;
    auto leaf = [&](const Row& r) {
        return r.kind == RowKind::task && !r.has_children && r.task < m_looks.size() && m_looks[r.task] != 0;
    };
    // Runs of leaf task rows at one depth in one scope; in each run, equal looks group under
    // the first. Counted first, so that groups under k_min_group stay one row per lane.
    for (std::size_t i = 0; i < rows.size();) {
        if (!leaf(rows[i])) {
            ++i;
            continue;
        }
        std::size_t j = i + 1;
        while (j < rows.size() && leaf(rows[j]) && rows[j].depth == rows[i].depth && rows[j].scope == rows[i].scope &&
               rows[j].unstructured == rows[i].unstructured)
            ++j;
        if (j - i >= k_min_group) {
            std::size_t size = 16;
            while (size < 2 * (j - i)) size *= 2;
            if (m_table.size() < size) m_table.assign(size, Slot{});
            size = m_table.size();
            if (++m_generation == 0) {
                m_table.assign(size, Slot{});
                m_generation = 1;
            }
            const std::uint32_t gen = m_generation;
            auto slot = [&](std::uint64_t look) -> Slot& {
                std::size_t h = static_cast<std::size_t>(look ^ (look >> 29)) & (size - 1);
                while (m_table[h].generation == gen && m_table[h].look != look) h = (h + 1) & (size - 1);
                return m_table[h];
            };
            for (std::size_t k = i; k < j; ++k) {
                Slot& sl = slot(m_looks[rows[k].task]);
                if (sl.generation != gen) sl = Slot{m_looks[rows[k].task], static_cast<std::uint32_t>(k), 0, gen};
                ++sl.count;
            }
            for (std::size_t k = i; k < j; ++k) {
                const Slot& sl = slot(m_looks[rows[k].task]);
                if (sl.count < k_min_group || sl.lead == k) continue;
                lead[k] = sl.lead;
                any = true;
            }
        }
        i = j;
    }
    // The same groups over the same base rows as last time: the grouped copy stands.
    if (any == m_grouped && lead == m_lead && !m_stale) return;
    m_stale = false;
    m_lead = std::move(lead);
    m_grouped = any;
    m_leader.assign(m_looks.size(), 0);
    for (std::size_t t = 0; t < m_leader.size(); ++t) m_leader[t] = static_cast<TaskId>(t);
    if (!any) {
        m_out = LaneLayout{};
        return;
    }
    // The grouped copy: kept rows renumbered, brackets and row_of remapped.
    std::vector<std::uint32_t> new_index(rows.size(), 0);
    std::vector<std::uint32_t> last_kept(rows.size(), 0);  // the last kept row at or above, renumbered
    m_out.m_rows.clear();
    m_out.m_rows.reserve(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        if (m_lead[i] != i) {
            new_index[i] = new_index[m_lead[i]];
            last_kept[i] = static_cast<std::uint32_t>(m_out.m_rows.size() - 1);
            ++m_out.m_rows[new_index[i]].alike;
            if (rows[i].task < m_leader.size()) m_leader[rows[i].task] = rows[m_lead[i]].task;
            continue;
        }
        new_index[i] = static_cast<std::uint32_t>(m_out.m_rows.size());
        last_kept[i] = new_index[i];
        Row r = rows[i];
        r.alike = 0;
        m_out.m_rows.push_back(r);
    }
    m_out.m_brackets = base.m_brackets;
    for (Bracket& b : m_out.m_brackets) {
        b.first_row = new_index[b.first_row];
        b.last_row = last_kept[b.last_row];
    }
    // m_tree (lane parents) stays empty: drawing needs only rows, brackets and row_of.
    m_out.m_row_of = base.m_row_of;
    for (auto& r : m_out.m_row_of)
        if (r >= 0 && static_cast<std::size_t>(r) < new_index.size()) r = new_index[static_cast<std::size_t>(r)];
    m_out.m_shown = base.m_shown;
    for (std::size_t t = 0; t < m_leader.size() && t < m_out.m_shown.size(); ++t)
        if (m_leader[t] != t) m_out.m_shown[t] = false;
    m_out.m_tasks_seen = base.m_tasks_seen;
    m_out.m_folded = base.m_folded;
    m_out.m_dirty = false;
}

std::vector<TaskId> AlikeLanes::group_of(TaskId task) const {
    if (task >= m_leader.size()) return {task};
    const TaskId lead = m_leader[task];
    std::vector<TaskId> out{lead};
    for (std::size_t t = 0; t < m_leader.size(); ++t)
        if (m_leader[t] == lead && t != lead) out.push_back(static_cast<TaskId>(t));
    return out;
}

}  // namespace tasklab::viz
