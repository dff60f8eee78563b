// The memory budget of one run: a counter of the bytes a program's values hold.
//
// A classroom program may build a list of a hundred million elements, double a string forty
// times or keep every message it ever received; a real runtime takes gigabytes for that, and
// tasklab (which spends more per element) would take the machine down with it. Instead of
// hooking malloc, the interpreters count what they allocate for the program: each list,
// array, string, dict, set, tuple and object holds a MemoryCharge sized by its contents
// (elements × bytes per element, plus the object itself), and re-sizes it where it grows;
// each task and each call frame holds a fixed charge; printed text and the trace's events are
// counted as they accumulate. The sum is compared with the run's limit (default 1 GiB,
// `tasklab: limit memory 256MB`): the interpreters check it at every statement and every unit
// of built-in work, and before any allocation whose size they know in advance (`[0] * n`,
// `String(repeating:count:)`, concatenation), so a run stops with a message naming what grew
// before the memory is touched. The figures are counted, not measured: the same program
// stops at the same statement on every machine.
//
// A Controller owns one MemoryMeter per run and installs it (MeterScope) while the run steps;
// objects made while no meter is installed are not counted. A charge gives its bytes back
// to the meter it was taken from, so the meter must outlive every value of its run.
#pragma once

#include <array>
#include <cstdint>
#include <string>

namespace tasklab {

/// The default memory budget of a run (docs/language.md "Runtime limits").
inline constexpr std::uint64_t k_default_memory_limit = 1ULL << 30;

/// What a charge pays for; the limit message names the kind that grew.
enum class MemoryKind : std::uint8_t { list, array, string, dict, set, tuple, object, task, frame, output, trace };
inline constexpr std::size_t k_memory_kinds = 11;

/// The counter of one run. Not thread-safe: one run steps on one thread at a time.
class MemoryMeter {
public:
    explicit MemoryMeter(std::uint64_t limit = k_default_memory_limit) : m_limit(limit) {}
    MemoryMeter(const MemoryMeter&) = delete;
    MemoryMeter& operator=(const MemoryMeter&) = delete;

    /// Adds `delta` bytes of `kind` (negative: given back). `elements` and `object_bytes` are
    /// the size of the object that grew (for the message); `objects` moves the count of live
    /// objects of the kind (+1 made, -1 freed).
    void add(MemoryKind kind, std::int64_t delta, std::uint64_t elements, int objects, std::uint64_t object_bytes = 0);
    /// Sets the bytes of a kind counted as a whole (the trace's events), not per object.
    void set_total(MemoryKind kind, std::uint64_t bytes, std::uint64_t elements);

    [[nodiscard]] std::uint64_t live() const { return m_live; }
    [[nodiscard]] std::uint64_t peak() const { return m_peak; }
    [[nodiscard]] std::uint64_t limit() const { return m_limit; }
    /// True once the live bytes are past the limit.
    [[nodiscard]] bool over() const { return m_live > m_limit; }
    /// True when `bytes` more would pass the limit.
    [[nodiscard]] bool would_pass(std::uint64_t bytes) const { return bytes > m_limit || m_live > m_limit - bytes; }

    /// "memory limit of 256 MB reached: a list grew to 8388608 elements (256 MB)", naming the
    /// object whose growth passed the limit when it holds a good share of it, else the kind
    /// of value that holds the most ("3000000 objects are alive (240 MB)").
    [[nodiscard]] std::string over_message() const;
    /// "memory limit of 256 MB reached: a list of 100000000 elements needs 3052 MB in tasklab"
    /// for an allocation refused before it is made (or holders() when the request is smaller
    /// than what is in use already).
    [[nodiscard]] std::string refusal_message(MemoryKind kind, std::uint64_t elements, std::uint64_t bytes) const;
    /// What holds the most memory: "3000000 objects are alive (240 MB of 256 MB)", "the trace
    /// holds …", "the program printed …".
    [[nodiscard]] std::string holders() const;
    /// "256 MB" (or "1 GB", "512 KB").
    static std::string format_size(std::uint64_t bytes);
    /// "list", "string", …
    static const char* kind_name(MemoryKind kind);

    /// The meter of the run stepping on this thread, if any.
    static MemoryMeter* current();

private:
    friend class MeterScope;
    std::uint64_t m_limit;
    std::uint64_t m_live = 0;
    std::uint64_t m_peak = 0;
    std::array<std::uint64_t, k_memory_kinds> m_bytes{};
    std::array<std::uint64_t, k_memory_kinds> m_objects{};
    std::array<std::uint64_t, k_memory_kinds> m_elements{};  ///< for kinds counted as a whole
    // The growth that first passed the limit.
    bool m_passed = false;
    MemoryKind m_culprit_kind = MemoryKind::list;
    std::uint64_t m_culprit_elements = 0;
    std::uint64_t m_culprit_bytes = 0;
};

/// Installs a meter as the current one for its lifetime (restores the previous one after).
class MeterScope {
public:
    explicit MeterScope(MemoryMeter& meter);
    ~MeterScope();
    MeterScope(const MeterScope&) = delete;
    MeterScope& operator=(const MeterScope&) = delete;

private:
    MemoryMeter* m_previous;
};

/// The bytes one object holds, charged to the meter that was current when it was made and
/// given back when it dies. A copy starts uncharged (the copy's owner charges it).
class MemoryCharge {
public:
    MemoryCharge() : m_meter(MemoryMeter::current()) {}
    /// A fixed charge (a task, a frame) for as long as it lives.
    MemoryCharge(MemoryKind kind, std::uint64_t bytes) : MemoryCharge() { set(kind, bytes, 1); }
    MemoryCharge(const MemoryCharge&) : MemoryCharge() {}
    MemoryCharge& operator=(const MemoryCharge&) { return *this; }
    ~MemoryCharge() {
        if (m_meter && m_counted) m_meter->add(m_kind, -static_cast<std::int64_t>(m_bytes), 0, -1);
    }
    /// Charges `bytes` in all for this object (the change from the last call is what counts).
    void set(MemoryKind kind, std::uint64_t bytes, std::uint64_t elements) {
        if (!m_meter) return;
        if (m_counted && kind != m_kind) {
            m_meter->add(m_kind, -static_cast<std::int64_t>(m_bytes), 0, -1);
            m_counted = false;
            m_bytes = 0;
        }
        m_meter->add(kind, static_cast<std::int64_t>(bytes) - static_cast<std::int64_t>(m_bytes), elements, m_counted ? 0 : 1, bytes);
        m_counted = true;
        m_kind = kind;
        m_bytes = bytes;
    }
    [[nodiscard]] std::uint64_t bytes() const { return m_bytes; }

private:
    MemoryMeter* m_meter;
    std::uint64_t m_bytes = 0;
    MemoryKind m_kind = MemoryKind::object;
    bool m_counted = false;
};

/// The help line of a memory-limit message, with the directive in the scenario's own comment
/// syntax (`comment` is "//" or "#").
std::string memory_help(const MemoryMeter& meter, const char* comment = "//");

/// Bytes a container of `capacity` elements of `element_size` holds, with its object.
inline std::uint64_t container_bytes(std::uint64_t object_size, std::uint64_t capacity, std::uint64_t element_size) {
    return object_size + 16 + capacity * element_size;  // 16: the shared_ptr control block
}

/// Fixed charges: what a task (its coroutine frames, records and trace rows) and a call
/// frame (its environment and coroutine frame) cost, measured once on the benchmarks and
/// rounded (docs/language.md "Runtime limits").
inline constexpr std::uint64_t k_task_bytes = 4096;
inline constexpr std::uint64_t k_frame_bytes = 512;

}  // namespace tasklab
