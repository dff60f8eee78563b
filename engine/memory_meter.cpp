// The memory budget of one run (see memory_meter.hpp).
#include "memory_meter.hpp"

#include <algorithm>

namespace tasklab {

namespace {
thread_local MemoryMeter* t_current = nullptr;

std::string plural_kind(MemoryKind kind, std::uint64_t n) {
    std::string name = MemoryMeter::kind_name(kind);
    if (n != 1) name += "s";
    return std::to_string(n) + " " + name;
}
}  // namespace

MemoryMeter* MemoryMeter::current() { return t_current; }

MeterScope::MeterScope(MemoryMeter& meter) : m_previous(t_current) { t_current = &meter; }
MeterScope::~MeterScope() { t_current = m_previous; }

const char* MemoryMeter::kind_name(MemoryKind kind) {
    static constexpr const char* names[k_memory_kinds] = {"list",  "array", "string", "dict",   "set",  "tuple",
                                                          "object", "task",  "frame",  "line of output", "trace event"};
    return names[static_cast<std::size_t>(kind)];
}

std::string MemoryMeter::format_size(std::uint64_t bytes) {
    if (bytes >= (1ULL << 30) && bytes % (1ULL << 30) == 0) return std::to_string(bytes >> 30) + " GB";
    if (bytes >= (1ULL << 20)) return std::to_string((bytes + (1ULL << 19)) >> 20) + " MB";
    if (bytes >= (1ULL << 10)) return std::to_string((bytes + (1ULL << 9)) >> 10) + " KB";
    return std::to_string(bytes) + " bytes";
}

void MemoryMeter::add(MemoryKind kind, std::int64_t delta, std::uint64_t elements, int objects, std::uint64_t object_bytes) {
    const auto k = static_cast<std::size_t>(kind);
    m_live = static_cast<std::uint64_t>(static_cast<std::int64_t>(m_live) + delta);
    m_bytes[k] = static_cast<std::uint64_t>(static_cast<std::int64_t>(m_bytes[k]) + delta);
    m_objects[k] = static_cast<std::uint64_t>(static_cast<std::int64_t>(m_objects[k]) + objects);
    if (m_live > m_peak) m_peak = m_live;
    if (delta > 0 && m_live > m_limit && !m_passed) {
        m_passed = true;
        m_culprit_kind = kind;
        m_culprit_elements = elements;
        m_culprit_bytes = object_bytes;
    }
}

void MemoryMeter::set_total(MemoryKind kind, std::uint64_t bytes, std::uint64_t elements) {
    const auto k = static_cast<std::size_t>(kind);
    const std::int64_t delta = static_cast<std::int64_t>(bytes) - static_cast<std::int64_t>(m_bytes[k]);
    m_elements[k] = elements;
    m_objects[k] = 0;
    add(kind, delta, elements, 0);
}

std::string MemoryMeter::over_message() const {
    std::string msg = "memory limit of " + format_size(m_limit) + " reached: ";
    // The object whose growth passed the limit names the cause when it holds half the bytes;
    // otherwise the kind that holds the most does (a million small objects, not the list of them).
    if (m_passed && m_culprit_bytes >= m_live / 2 && m_culprit_kind != MemoryKind::trace && m_culprit_kind != MemoryKind::output) {
        const char* unit = m_culprit_kind == MemoryKind::string ? " bytes" : m_culprit_kind == MemoryKind::object ? " fields" : " elements";
        return msg + "a" + (m_culprit_kind == MemoryKind::array || m_culprit_kind == MemoryKind::object ? "n " : " ") +
               kind_name(m_culprit_kind) + " grew to " + std::to_string(m_culprit_elements) + unit;
    }
    return msg + holders();
}

std::string MemoryMeter::holders() const {
    std::size_t top = 0;
    for (std::size_t k = 1; k < k_memory_kinds; ++k)
        if (m_bytes[k] > m_bytes[top]) top = k;
    const auto top_kind = static_cast<MemoryKind>(top);
    if (top_kind == MemoryKind::trace)
        return "the trace holds " + std::to_string(m_elements[top]) + " events (" + format_size(m_bytes[top]) +
               "); each scheduler step records a few";
    if (top_kind == MemoryKind::output) return "the program printed " + format_size(m_bytes[top]) + " of text";
    const bool most = m_bytes[top] >= m_live / 10 * 9;
    return plural_kind(top_kind, m_objects[top]) + (m_objects[top] == 1 ? " is" : " are") + " alive (" + format_size(m_bytes[top]) +
           (most ? std::string() : " of " + format_size(m_live)) + ")";
}

std::string MemoryMeter::refusal_message(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes) const {
    // A small request on top of a full budget: what holds the memory is the story.
    if (bytes < m_live) return "memory limit of " + format_size(m_limit) + " reached: " + holders();
    const bool an = kind == MemoryKind::array || kind == MemoryKind::object;
    const char* unit = kind == MemoryKind::string ? " bytes" : " elements";
    return "memory limit of " + format_size(m_limit) + " reached: " + (an ? "an " : "a ") + kind_name(kind) + " of " +
           std::to_string(elements) + unit + " needs " + format_size(bytes) + " in tasklab" +
           (m_live > (1ULL << 20) ? " (" + format_size(m_live) + " in use already)" : std::string());
}

std::string memory_help(const MemoryMeter& meter, const char* comment) {
    return std::string("tasklab stops a run whose values pass its memory limit before the machine runs out; raise it with `") +
           comment + " tasklab: limit memory " + std::to_string(std::max<std::uint64_t>(meter.limit() >> 20, 1) * 2) + "MB`";
}

}  // namespace tasklab
