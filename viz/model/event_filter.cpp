// The event log's filter and its incremental index.
#include "event_filter.hpp"

#include <algorithm>

#include "viz/model/glossary.hpp"
#include "viz/text/event_log.hpp"

namespace tasklab::viz {

namespace {
char fold(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
}  // namespace

bool contains_folded(std::string_view haystack, std::string_view needle) {
    if (needle.empty()) return true;
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) { return fold(a) == fold(b); });
    return it != haystack.end();
}

std::string event_search_text(const Trace& trace, const Event& e, const ast::Program* program) {
    // What the log shows (plain words, viz/model/glossary.hpp) and the trace's own names, so
    // "finished" and "task_finished", "a child's error" and "child_error" all find the event.
    std::string s = lane_name(trace, e.task);
    s += ' ';
    s += words(e.kind);
    s += ' ';
    s += plain_details(trace, e, program);
    s += ' ';
    s += event_kind_name(e.kind);
    s += ' ';
    s += event_detail_name(e);
    return s;
}

bool EventIndex::sync(const Trace& trace, std::uint64_t epoch, const EventFilter& filter, const ast::Program* program,
                      std::uint64_t budget) {
    if (epoch != m_epoch || !(filter == m_filter) || trace.size() < m_scanned) {
        m_epoch = epoch;
        m_filter = filter;
        m_needle = filter.text;
        m_scanned = 0;
        m_indices.clear();
    }
    const bool all_kinds = m_filter.kinds.all();
    const std::uint64_t end = std::min(trace.size(), m_scanned + std::max<std::uint64_t>(budget, 1));
    if (all_kinds && m_needle.empty()) {
        // Everything passes: no decoding at all.
        for (; m_scanned < end; ++m_scanned) m_indices.push_back(m_scanned);
    } else {
        for (; m_scanned < end; ++m_scanned) {
            const StoredEvent& st = trace.stored(m_scanned);
            if (!m_filter.kinds.test(static_cast<std::size_t>(st.kind))) continue;
            if (!m_needle.empty() && !contains_folded(event_search_text(trace, trace.at(m_scanned), program), m_needle))
                continue;
            m_indices.push_back(m_scanned);
        }
    }
    return m_scanned == trace.size();
}

}  // namespace tasklab::viz
